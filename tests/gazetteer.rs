//! Gazetteer loading through the binary: statistics and bad rows.

use crate::util::{Workdir, csv_rows};

#[test]
fn embedded_gazetteers_meet_coverage_floors() {
    let wd = Workdir::new();
    let out = wd.ok(&["gazetteer"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let count = |t: &str| -> usize {
        stdout
            .lines()
            .find(|l| l.starts_with(t))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {t} line in {stdout}"))
    };
    assert!(count("COUNTRY") >= 195, "{stdout}");
    assert!(count("AGENCY") >= 60, "{stdout}");
    assert!(count("MISSION") >= 150, "{stdout}");
    assert!(count("PERSON") >= 50, "{stdout}");
    assert!(count("TITLE") >= 40, "{stdout}");
}

#[test]
fn malformed_rows_stop_the_run_with_file_and_line() {
    let wd = Workdir::new();
    wd.write(
        "gaz/missions.csv",
        "id,canonical,aliases,case\nmission:ok,Good Mission,,\nmission:bad,,,\nmission:worse,Worse,a||b,\nmission:case,Case,,loud\n",
    );
    wd.write("in/a.txt", "NASA.");
    let out = wd.accord(&["extract", "in", "-g", "gaz", "-o", "out"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    for needle in [
        "missions.csv:3:",
        "missions.csv:4:",
        "missions.csv:5:",
        "unknown case policy 'loud'",
    ] {
        assert!(err.contains(needle), "{needle} not in {err}");
    }
    assert!(!wd.path().join("out/entities.csv").exists());
}

#[test]
fn a_good_extension_directory_passes_the_check() {
    let wd = Workdir::new();
    wd.write(
        "gaz/dialogues.csv",
        "id,canonical,aliases,parties\ndialogue:x,Xeno Space Talks,,FR|IN\n",
    );
    let out = wd.ok(&["gazetteer", "-g", "gaz"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("DIALOGUE"));
    wd.write("in/a.txt", "The Xeno Space Talks opened.");
    wd.ok(&["extract", "in", "-g", "gaz", "-o", "out"]);
    let rows = csv_rows(&wd.read("out/entities.csv"));
    assert_eq!(rows[0]["entity_id"], "dialogue:x");
}
