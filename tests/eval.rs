//! `accord eval`: scores, formats, and the baseline gate.

use crate::util::{Workdir, repo};

fn seeds() -> String {
    repo().join("tests/gold/seeds").display().to_string()
}

#[test]
fn seeds_score_and_formats() {
    let wd = Workdir::new();
    let out = wd.ok(&["eval", "--gold", &seeds()]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("gold set seeds"), "{table}");
    assert!(table.contains("missed (0)"), "{table}");

    let out = wd.ok(&["eval", "--gold", &seeds(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sets"][0]["name"], "seeds");
    assert!(
        v["sets"][0]["scores"]["entities"]["ALL"]["f1"]
            .as_f64()
            .unwrap()
            > 0.9
    );

    let out = wd.ok(&["eval", "--gold", &seeds(), "--format", "markdown"]);
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("| entities:ALL |")
    );

    let out = wd.ok(&["eval", "--gold", &seeds(), "--format", "junit"]);
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(
        xml.starts_with("<?xml")
            && xml.contains("<testcase classname=\"seeds\" name=\"triples:all\">")
    );
}

#[test]
fn a_weakened_gazetteer_fails_the_gate_and_lists_what_was_lost() {
    let wd = Workdir::new();
    wd.ok(&["eval", "--gold", &seeds(), "--write-baseline", "base.json"]);
    // Same scores: the gate passes.
    let out = wd.ok(&["eval", "--gold", &seeds(), "--baseline", "base.json"]);
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("no regression")
    );
    // South Korea loses all its names.
    wd.write(
        "weak/countries.csv",
        "id,canonical,aliases,country,case\ncountry:kr,Republic Of Nowhere,,KR,exact\n",
    );
    let out = wd.accord(&[
        "eval",
        "--gold",
        &seeds(),
        "--baseline",
        "base.json",
        "-g",
        "weak",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("REGRESSIONS"), "{text}");
    assert!(text.contains("entities:COUNTRY"), "{text}");
    assert!(
        text.contains("[004_84818f17cbfb3580] entities:COUNTRY: COUNTRY South Korea"),
        "{text}"
    );
    assert!(
        text.contains("Lee Jae-myung | South Korea | President"),
        "{text}"
    );
    // JUnit shows the failure too.
    let out = wd.accord(&[
        "eval",
        "--gold",
        &seeds(),
        "--baseline",
        "base.json",
        "-g",
        "weak",
        "--format",
        "junit",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("<failure message=\"F1")
    );
}

#[test]
fn scores_an_existing_output_directory() {
    let wd = Workdir::new();
    let articles = repo().join("tests/gold/seeds/articles");
    wd.ok(&["extract", articles.to_str().unwrap(), "-o", "out"]);
    let from_dir = wd.ok(&[
        "eval",
        "--gold",
        &seeds(),
        "--pred",
        "out",
        "--format",
        "json",
    ]);
    let direct = wd.ok(&["eval", "--gold", &seeds(), "--format", "json"]);
    let a: serde_json::Value = serde_json::from_slice(&from_dir.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&direct.stdout).unwrap();
    assert_eq!(a["sets"][0]["scores"], b["sets"][0]["scores"]);
}

#[test]
fn bad_gold_is_a_clear_error() {
    let wd = Workdir::new();
    wd.write("gold/g/entities.csv", "doc_id,kind\na,b\n");
    let out = wd.accord(&["eval", "--gold", "gold"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("missing column 'type'")
    );
}

#[test]
fn seed_gold_articles_are_the_sample_corpus() {
    for ent in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let p = ent.unwrap().path();
        let name = p.file_name().unwrap();
        let copy = repo().join("tests/gold/seeds/articles").join(name);
        assert_eq!(
            std::fs::read(&p).unwrap(),
            std::fs::read(&copy).unwrap(),
            "{copy:?}"
        );
    }
}
