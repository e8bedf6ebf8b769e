//! Broken and hostile input: reported, skipped or flagged; nothing else lost.

use crate::util::{Workdir, csv_rows};

#[test]
fn bad_files_are_reported_and_the_rest_processed() {
    let wd = Workdir::new();
    wd.write("in/good.txt", "NASA and ISRO signed an agreement.");
    wd.write(
        "in/latin1.txt",
        b"CNES and the Agence spatiale \xE9tait ISRO.",
    );
    wd.write("in/binary.txt", b"NASA\0\x01\x02");
    wd.write("in/empty.txt", "");
    let out = wd.ok(&["extract", "in", "-o", "out"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let docs = csv_rows(&wd.read("out/documents.csv"));
    let status = |id: &str| docs.iter().find(|d| d["doc_id"] == id).unwrap()["status"].clone();
    assert_eq!(status("good"), "ok");
    assert_eq!(status("latin1"), "ok");
    assert!(status("binary").starts_with("skipped: binary file"));
    assert_eq!(status("empty"), "skipped: empty file");
    let latin = docs.iter().find(|d| d["doc_id"] == "latin1").unwrap();
    assert!(latin["warnings"].contains("invalid UTF-8 at byte 29"));
    assert!(
        stderr.contains("binary.txt: skipped: binary file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("latin1.txt: warning: invalid UTF-8"),
        "{stderr}"
    );
    let ents = csv_rows(&wd.read("out/entities.csv"));
    let ids: Vec<&str> = ents.iter().map(|r| r["doc_id"].as_str()).collect();
    assert!(ids.contains(&"good") && ids.contains(&"latin1") && !ids.contains(&"binary"));
}

#[test]
fn formula_like_cells_are_neutralized_unless_raw() {
    let wd = Workdir::new();
    wd.write(
        "in/a.txt",
        "=HYPERLINK(\"http://x\",\"y\") and India\n\nIndia and France met in Paris.",
    );
    wd.ok(&["extract", "in", "-o", "out"]);
    let docs = csv_rows(&wd.read("out/documents.csv"));
    assert_eq!(
        docs[0]["title"],
        "'=HYPERLINK(\"http://x\",\"y\") and India"
    );
    wd.ok(&["extract", "in", "-o", "raw", "--raw-csv"]);
    let docs = csv_rows(&wd.read("raw/documents.csv"));
    assert_eq!(docs[0]["title"], "=HYPERLINK(\"http://x\",\"y\") and India");
    wd.ok(&["extract", "in", "-o", "xl", "--excel"]);
    assert!(wd.read("xl/entities.csv").starts_with('\u{feff}'));
}

#[test]
fn a_missing_input_is_a_clear_error() {
    let wd = Workdir::new();
    let out = wd.accord(&["extract", "nowhere", "-o", "out"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("accord: nowhere: "), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn stale_temporary_files_are_removed_and_old_output_replaced_whole() {
    let wd = Workdir::new();
    wd.write("out/.accord-abc123.tmp", "half");
    wd.write("out/entities.csv", "old contents");
    wd.write("in/a.txt", "NASA.");
    wd.ok(&["extract", "in", "-o", "out"]);
    assert!(!wd.path().join("out/.accord-abc123.tmp").exists());
    assert!(wd.read("out/entities.csv").starts_with("doc_id,"));
}
