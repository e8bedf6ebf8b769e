//! Broken and hostile input: reported, skipped or flagged; nothing else lost.

use crate::util::{Workdir, csv_rows, repo};

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

/// Every input in `tests/hostile/` gets the outcome `tests/hostile/expect.csv`
/// gives it; nothing crashes, every skip is on stderr with its file, and
/// every processed article's offsets slice back to its text.
#[test]
fn hostile_suite() {
    let wd = Workdir::new();
    let dir = repo().join("tests/hostile");
    let out = wd.ok(&["extract", dir.to_str().unwrap(), "-o", "o"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let docs = csv_rows(&wd.read("o/documents.csv"));
    let expect = csv_rows(&std::fs::read_to_string(dir.join("expect.csv")).unwrap());
    let matches = |want: &str, id: &str| match want.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => id == want,
    };
    for e in &expect {
        let d = docs
            .iter()
            .find(|d| matches(&e["doc_id"], &d["doc_id"]) && d["source"].contains(&e["file"]))
            .unwrap_or_else(|| {
                panic!(
                    "{} / {} not in documents.csv: {docs:#?}",
                    e["file"], e["doc_id"]
                )
            });
        assert!(d["status"].starts_with(&e["status"]), "{e:?} got {d:?}");
        assert!(d["warnings"].contains(&e["warning"]), "{e:?} got {d:?}");
        if d["status"] != "ok" {
            assert!(
                stderr.contains(&d["source"]),
                "{} not reported: {stderr}",
                d["source"]
            );
        }
    }
    // Every skipped row is one the suite expects.
    for d in docs.iter().filter(|d| d["status"] != "ok") {
        assert!(
            expect
                .iter()
                .any(|e| matches(&e["doc_id"], &d["doc_id"]) && e["status"] != "ok"),
            "unexpected skip {d:?}"
        );
    }
    // Spreadsheet safety on article text.
    for r in csv_rows(&wd.read("o/triples.csv")) {
        assert!(!r["evidence"].starts_with(['=', '+', '-', '@']), "{r:?}");
    }
    let ents = csv_rows(&wd.read("o/entities.csv"));
    assert!(ents.iter().any(|r| r["doc_id"] == "formula"));
    for r in ents
        .iter()
        .filter(|r| ["latin1", "controls", "formula"].contains(&r["doc_id"].as_str()))
    {
        let bytes = std::fs::read(dir.join(format!("{}.txt", r["doc_id"]))).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let (s, t): (usize, usize) = (r["start"].parse().unwrap(), r["end"].parse().unwrap());
        let surface = r["text"]
            .strip_prefix('\'')
            .filter(|_| r["text"].len() > t - s)
            .unwrap_or(&r["text"]);
        assert_eq!(&text[s..t], surface, "{r:?}");
    }
}

#[test]
fn strict_utf8_and_size_limits_skip_with_a_reason() {
    let wd = Workdir::new();
    let dir = repo().join("tests/hostile");
    wd.ok(&[
        "extract",
        dir.join("latin1.txt").to_str().unwrap(),
        "-o",
        "o",
        "--strict-utf8",
        "-q",
        // The only article is skipped: without it the run would stop.
        "--allow-empty",
    ]);
    let docs = csv_rows(&wd.read("o/documents.csv"));
    assert!(
        docs[0]["status"].starts_with("skipped: invalid UTF-8 at byte 4 (--strict-utf8)"),
        "{docs:?}"
    );
    // One 50 MB line over a 10 MB limit: reported, not cut; the next article is read.
    let mut dump = String::from("{\"id\":\"big\",\"text\":\"");
    dump.push_str(&"India and France. ".repeat(50_000_000 / 18));
    dump.push_str("\"}\n{\"id\":\"next\",\"text\":\"NASA and ISRO.\"}\n");
    wd.write("big.jsonl", &dump);
    wd.write("big.txt", &dump[..12_000_000]);
    wd.ok(&[
        "extract",
        "big.jsonl",
        "big.txt",
        "-o",
        "o2",
        "--max-article-bytes",
        "10000000",
    ]);
    let docs = csv_rows(&wd.read("o2/documents.csv"));
    let status = |id: &str| docs.iter().find(|d| d["doc_id"] == id).unwrap()["status"].clone();
    assert!(
        status("big:1").contains("line 1: longer than the limit of 10000000 bytes"),
        "{docs:?}"
    );
    assert_eq!(status("next"), "ok");
    assert!(
        status("big.txt").contains("larger than the limit of 10000000 bytes"),
        "{docs:?}"
    );
    // A long single-line article under the limit is processed whole.
    wd.write(
        "line.txt",
        "India and France signed a pact with ISRO. ".repeat(40_000),
    );
    wd.ok(&["extract", "line.txt", "-o", "o3", "-q"]);
    let ents = csv_rows(&wd.read("o3/entities.csv"));
    assert!(ents.len() >= 120_000, "{}", ents.len());
}
