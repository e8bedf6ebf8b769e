//! `accord extract` end to end: seeds against gold, offsets, determinism, defaults.

use crate::util::{Workdir, csv_rows, entity_set, repo};

fn copy_corpus(wd: &Workdir) {
    for ent in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let p = ent.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        wd.write(&format!("corpus/{name}"), std::fs::read(&p).unwrap());
    }
}

#[test]
fn default_command_reads_corpus_and_writes_output() {
    let wd = Workdir::new();
    copy_corpus(&wd);
    wd.ok(&["extract"]);
    let ents = wd.read("output/entities.csv");
    assert!(ents.starts_with("doc_id,type,canonical,entity_id,text,start,end"));
    let docs = csv_rows(&wd.read("output/documents.csv"));
    assert_eq!(docs.len(), 5);
    assert!(docs.iter().all(|d| d["status"] == "ok"));
    assert_eq!(
        wd.read("output/documents.csv").lines().next().unwrap(),
        "doc_id,source,title,date,bytes,status,warnings,url,duplicate_of"
    );
}

#[test]
fn seeds_match_gold_and_skip_boilerplate() {
    let wd = Workdir::new();
    let corpus = repo().join("corpus");
    wd.ok(&["extract", corpus.to_str().unwrap(), "-o", "out"]);
    let pred = entity_set(&wd.read("out/entities.csv"));
    let gold_dir = repo().join("tests/gold/seeds");
    let gold = entity_set(&std::fs::read_to_string(gold_dir.join("entities.csv")).unwrap());
    let absent = entity_set(&std::fs::read_to_string(gold_dir.join("absent.csv")).unwrap());
    let missed: Vec<_> = gold.difference(&pred).collect();
    let spurious: Vec<_> = pred.difference(&gold).collect();
    let leaked: Vec<_> = absent.intersection(&pred).collect();
    assert!(missed.is_empty(), "missed gold entities: {missed:#?}");
    assert!(leaked.is_empty(), "entities from boilerplate: {leaked:#?}");
    let precision = (pred.len() - spurious.len()) as f64 / pred.len() as f64;
    assert!(
        precision >= 0.95,
        "precision {precision:.3}; spurious: {spurious:#?}"
    );
}

#[test]
fn offsets_slice_back_to_the_text() {
    let wd = Workdir::new();
    copy_corpus(&wd);
    // Curly quotes, dashes, non-breaking spaces and a decomposed accent.
    wd.write(
        "corpus/unicode.txt",
        "The \u{201C}India\u{2013}France\u{201D} talks: Secretary General Anne-Marie Desco\u{0302}tes met\u{00A0}ISRO\u{2019}s chief in New\u{00A0}Delhi\u{2026}\n",
    );
    wd.ok(&["extract"]);
    let rows = csv_rows(&wd.read("output/entities.csv"));
    assert!(rows.len() > 100);
    for r in &rows {
        let path = wd
            .path()
            .join("corpus")
            .join(format!("{}.txt", r["doc_id"]));
        let doc = std::fs::read_to_string(path).unwrap();
        let (s, e): (usize, usize) = (r["start"].parse().unwrap(), r["end"].parse().unwrap());
        assert_eq!(&doc[s..e], r["text"], "{r:?}");
    }
    let uni: Vec<_> = rows.iter().filter(|r| r["doc_id"] == "unicode").collect();
    let names: Vec<&str> = uni.iter().map(|r| r["canonical"].as_str()).collect();
    for want in [
        "India",
        "France",
        "Anne-Marie Descôtes",
        "Indian Space Research Organisation",
        "New Delhi",
    ] {
        assert!(names.contains(&want), "{want} not in {names:?}");
    }
}

#[test]
fn output_is_identical_across_thread_counts() {
    let wd = Workdir::new();
    copy_corpus(&wd);
    // More documents than threads, so the order of completion varies.
    for i in 0..12 {
        let text = std::fs::read_to_string(repo().join("corpus/002_4b4a2474aec07f5a.txt")).unwrap();
        wd.write(&format!("corpus/extra/{i:02}.txt"), &text[(i * 300)..]);
    }
    wd.ok(&["extract", "-j", "1", "-o", "one"]);
    wd.ok(&["extract", "-j", "2", "-o", "two"]);
    wd.ok(&["extract", "-j", "4", "-o", "four"]);
    for f in ["entities.csv", "documents.csv"] {
        let a = wd.read(&format!("one/{f}"));
        assert_eq!(
            a,
            wd.read(&format!("two/{f}")),
            "{f} differs between 1 and 2 threads"
        );
        assert_eq!(
            a,
            wd.read(&format!("four/{f}")),
            "{f} differs between 1 and 4 threads"
        );
    }
}

#[test]
fn doc_ids_from_directories_files_and_stdin() {
    let wd = Workdir::new();
    wd.write("in/2024/a.txt", "NASA and ISRO met.");
    wd.write("b.md", "ESA met JAXA.");
    wd.ok(&["extract", "in", "b.md", "-o", "out"]);
    let ids: Vec<String> = csv_rows(&wd.read("out/documents.csv"))
        .into_iter()
        .map(|r| r["doc_id"].clone())
        .collect();
    assert_eq!(ids, ["2024/a", "b"]);

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["extract", "-", "-o", "piped"])
        .current_dir(wd.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"The Indian Space Research Organisation and CNES.")
        .unwrap();
    assert!(child.wait().unwrap().success());
    let rows = csv_rows(&wd.read("piped/entities.csv"));
    assert_eq!(rows[0]["doc_id"], "stdin");
    assert_eq!(rows[0]["canonical"], "Indian Space Research Organisation");
}

#[test]
fn user_gazetteers_extend_and_override() {
    let wd = Workdir::new();
    wd.write(
        "gaz/agencies.csv",
        "id,canonical,aliases,country\nagency:zeta,Zeta Orbital Agency,ZOA,FR\nagency:isro,Indian Space Research Organisation,Antariksh Test Name,IN\n",
    );
    wd.write("in/a.txt", "The ZOA and Antariksh Test Name met NASA.");
    wd.ok(&["extract", "in", "-g", "gaz", "-o", "out"]);
    let got: Vec<(String, String)> = csv_rows(&wd.read("out/entities.csv"))
        .into_iter()
        .map(|r| (r["text"].clone(), r["entity_id"].clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("ZOA".into(), "agency:zeta".into()),
            ("Antariksh Test Name".into(), "agency:isro".into()),
            ("NASA".into(), "agency:nasa".into()),
        ]
    );
}

#[test]
fn title_holder_resolves_by_article_date() {
    let wd = Workdir::new();
    wd.write(
        "in/old.txt",
        " date 2014-06-01 The NASA Administrator spoke in Houston.\n",
    );
    wd.write(
        "in/new.txt",
        " date 2022-06-01 The NASA Administrator spoke in Houston.\n",
    );
    wd.write(
        "in/undated.txt",
        "The NASA Administrator spoke in Houston.\n",
    );
    wd.ok(&["extract", "in", "-o", "out"]);
    let persons: Vec<(String, String)> = csv_rows(&wd.read("out/entities.csv"))
        .into_iter()
        .filter(|r| r["type"] == "PERSON")
        .map(|r| (r["doc_id"].clone(), r["canonical"].clone()))
        .collect();
    assert_eq!(
        persons,
        [
            ("new".to_string(), "Bill Nelson".to_string()),
            ("old".to_string(), "Charles Bolden".to_string()),
        ]
    );
}
