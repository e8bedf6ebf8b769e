//! `triples.csv` end to end: the seed articles against the gold triples.

use std::collections::BTreeSet;

use crate::util::{Workdir, csv_rows, repo};

type Key = (String, String, String, String, String);

/// (doc_id, kind, relation, a, b) with the pair unordered for cooperation kinds.
fn key(r: &std::collections::HashMap<String, String>) -> Key {
    let (mut a, mut b) = (r["subject"].clone(), r["object"].clone());
    if r["kind"] != "role" && a > b {
        std::mem::swap(&mut a, &mut b);
    }
    (
        r["doc_id"].clone(),
        r["kind"].clone(),
        r["relation"].clone(),
        a,
        b,
    )
}

#[test]
fn seed_triples_reach_precision_and_recall() {
    let wd = Workdir::new();
    wd.ok(&[
        "extract",
        repo().join("corpus").to_str().unwrap(),
        "-o",
        "out",
    ]);
    let raw = wd.read("out/triples.csv");
    assert!(raw.starts_with("subject,object,relation,kind,doc_id,evidence,"));
    let rows = csv_rows(&raw);
    let pred: BTreeSet<Key> = rows
        .iter()
        .filter(|r| r["status"] != "negated")
        .map(key)
        .collect();
    let gold_text = std::fs::read_to_string(repo().join("tests/gold/seeds/triples.csv")).unwrap();
    let gold: BTreeSet<Key> = csv_rows(&gold_text).iter().map(key).collect();
    let hit = gold.intersection(&pred).count() as f64;
    let (p, r) = (hit / pred.len() as f64, hit / gold.len() as f64);
    let missed: Vec<_> = gold.difference(&pred).collect();
    let spurious: Vec<_> = pred.difference(&gold).collect();
    assert!(
        p >= 0.9 && r >= 0.9,
        "precision {p:.3} recall {r:.3}\nmissed: {missed:#?}\nspurious: {spurious:#?}"
    );
    // Every row carries its evidence, which slices back to the document.
    for row in &rows {
        let doc =
            std::fs::read_to_string(repo().join(format!("corpus/{}.txt", row["doc_id"]))).unwrap();
        let (s, e): (usize, usize) = (
            row["evidence_start"].parse().unwrap(),
            row["evidence_end"].parse().unwrap(),
        );
        assert_eq!(&doc[s..e], row["evidence"]);
        let c: f64 = row["confidence"].parse().unwrap();
        assert!((0.0..=1.0).contains(&c));
        assert!(!row["rule"].is_empty());
    }
}

#[test]
fn the_issue_examples_come_out_exactly_as_written() {
    let wd = Workdir::new();
    wd.ok(&[
        "extract",
        repo().join("corpus").to_str().unwrap(),
        "-o",
        "out",
    ]);
    let raw = wd.read("out/triples.csv");
    let lines: Vec<&str> = raw.lines().collect();
    for (prefix, doc) in [
        (
            "India,France,Letter of Intent on Defence Space Cooperation,agreement,",
            "000_",
        ),
        (
            "India,France,Letter of Intent on Defence Space Cooperation,agreement,",
            "001_",
        ),
        ("India,France,Trishna,mission,", "000_"),
        (
            "India,France,India-France Strategic Space Dialogue,dialogue,",
            "000_",
        ),
        (
            "United States,France,Surface Water and Ocean Topography,mission,",
            "002_",
        ),
        (
            "Korea Aerospace Administration,Indian Space Research Organisation,Memorandum of Understanding,agreement,",
            "004_",
        ),
        ("Vinay Kwatra,India,Foreign Secretary,role,", "000_"),
        (
            "Yoon Youngbin,Korea Aerospace Administration,Administrator,role,",
            "004_",
        ),
        (
            "Vipin Narang,United States,Acting Assistant Secretary of Defence for Space Policy,role,",
            "003_",
        ),
    ] {
        let want = format!("{prefix}{doc}");
        assert!(
            lines.iter().any(|l| l.starts_with(&want)),
            "no line starting {want:?}"
        );
    }
}

#[test]
fn triples_are_identical_across_thread_counts() {
    let wd = Workdir::new();
    let corpus = repo().join("corpus");
    wd.ok(&["extract", corpus.to_str().unwrap(), "-j", "1", "-o", "one"]);
    wd.ok(&["extract", corpus.to_str().unwrap(), "-j", "2", "-o", "two"]);
    assert_eq!(wd.read("one/triples.csv"), wd.read("two/triples.csv"));
}
