//! The per-article time guard (`--max-article-seconds`): an article that
//! runs out is skipped with its status, and every other article of the run
//! is written as without it.

use crate::util::{Workdir, csv_rows};

/// An article built to be slow: 4 MB of titled persons in one sentence
/// with no full stop. Every stage is linear on it, but it still takes far
/// longer than the tiny limit below, in any build.
fn slow_article() -> String {
    (0..50_000)
        .map(|i| {
            format!("ISRO Chairman K. Sivan met NASA Administrator Bill Nelson and Minister {i}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_slow_article_is_skipped_and_the_others_are_written() {
    let wd = Workdir::new();
    wd.write(
        "in/a.txt",
        "India and France signed an agreement on space cooperation.",
    );
    wd.write("in/b-slow.txt", slow_article());
    wd.write(
        "in/c.txt",
        "NASA Administrator Bill Nelson met ISRO Chairman S. Somanath in Bengaluru.",
    );
    let out = wd.ok(&[
        "extract",
        "in",
        "-o",
        "out",
        "-j",
        "2",
        "--max-article-seconds",
        "0.5",
    ]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let docs = csv_rows(&wd.read("out/documents.csv"));
    let status = |id: &str| {
        docs.iter()
            .find(|d| d["doc_id"] == id)
            .unwrap_or_else(|| panic!("no row for {id}: {docs:?}"))["status"]
            .clone()
    };
    assert_eq!(status("b-slow"), "skipped: took longer than 0.5 s");
    assert!(stderr.contains("took longer than 0.5 s"), "{stderr}");
    assert_eq!(status("a"), "ok");
    assert_eq!(status("c"), "ok");
    // The others' rows are all there: the same as a run without the slow article.
    std::fs::remove_file(wd.path().join("in/b-slow.txt")).unwrap();
    wd.ok(&["extract", "in", "-o", "alone"]);
    assert_eq!(wd.read("out/entities.csv"), wd.read("alone/entities.csv"));
    assert_eq!(wd.read("out/triples.csv"), wd.read("alone/triples.csv"));
    let ents = csv_rows(&wd.read("out/entities.csv"));
    assert!(ents.iter().any(|r| r["doc_id"] == "a"));
    assert!(ents.iter().any(|r| r["doc_id"] == "c"));
    assert!(!ents.iter().any(|r| r["doc_id"] == "b-slow"));
}

#[test]
fn the_limit_is_validated_and_zero_turns_it_off() {
    let wd = Workdir::new();
    wd.write("in/a.txt", "India and France signed an agreement.");
    let out = wd.accord(&["extract", "in", "-o", "out", "--max-article-seconds", "-1"]);
    assert!(!out.status.success());
    wd.ok(&["extract", "in", "-o", "out", "--max-article-seconds", "0"]);
    let docs = csv_rows(&wd.read("out/documents.csv"));
    assert_eq!(docs[0]["status"], "ok");
}
