//! `accord aggregate` on the sample corpus.

use crate::util::{Workdir, csv_rows, repo};

#[test]
fn one_row_per_cooperation_with_its_supporting_documents() {
    let wd = Workdir::new();
    let corpus = repo().join("corpus");
    wd.ok(&["extract", corpus.to_str().unwrap(), "-o", "o", "-q"]);
    wd.ok(&["aggregate", "o", "-o", "agg", "-q"]);
    let rels = csv_rows(&wd.read("agg/relations.csv"));
    let loi: Vec<_> = rels
        .iter()
        .filter(|r| {
            r["kind"] == "agreement"
                && r["subject"] == "France"
                && r["object"] == "India"
                && r["relation"] == "Letter of Intent on Defence Space Cooperation"
        })
        .collect();
    assert_eq!(loi.len(), 1, "{rels:#?}");
    let r = loi[0];
    assert_eq!(r["documents"], "2");
    assert_eq!(r["doc_ids"], "000_7bbf6935570a9736;001_a718532a89fd18ac");
    assert!(!r["evidence"].is_empty());
    // Roles keep their direction; every relation is there once.
    assert!(
        rels.iter()
            .any(|r| r["kind"] == "role" && r["subject"] == "Vinay Kwatra")
    );
    let mut keys: Vec<_> = rels
        .iter()
        .map(|r| (&r["kind"], &r["subject"], &r["object"], &r["relation"]))
        .collect();
    let n = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), n);
    // Entity counts add up to the mentions.
    let counts = csv_rows(&wd.read("agg/entity_counts.csv"));
    let mentions: usize = counts
        .iter()
        .map(|c| c["mentions"].parse::<usize>().unwrap())
        .sum();
    assert_eq!(mentions, csv_rows(&wd.read("o/entities.csv")).len());
    let india = counts.iter().find(|c| c["canonical"] == "India").unwrap();
    assert_eq!(india["documents"], "4");
    // Two output directories read together count a document once per directory.
    wd.ok(&["aggregate", "o", "o", "-o", "agg2", "-q"]);
    let again = csv_rows(&wd.read("agg2/relations.csv"));
    assert_eq!(again.len(), rels.len());
}

#[test]
fn a_republished_copy_is_flagged_and_counted_once() {
    let wd = Workdir::new();
    copy_corpus(&wd, "in");
    // Article 000 republished by another outlet: new headline, its own furniture.
    let orig = std::fs::read_to_string(repo().join("corpus/000_7bbf6935570a9736.txt")).unwrap();
    let body = orig.split_once("\n\n").unwrap().1;
    let copy = format!(
        "India and France renew their space partnership\n\nHome / World / Asia\n\n{body}\n\nAlso Read:\nISRO plans new launch\nNASA budget cut\n\n(Reporting by Staff; Editing by Desk)\n"
    );
    wd.write("in/005_republished.txt", copy);
    wd.ok(&["extract", "in", "-o", "o", "-q"]);
    let docs = csv_rows(&wd.read("o/documents.csv"));
    let dup = |id: &str| docs.iter().find(|d| d["doc_id"] == id).unwrap()["duplicate_of"].clone();
    assert_eq!(dup("005_republished"), "000_7bbf6935570a9736");
    for id in [
        "000_7bbf6935570a9736",
        "001_a718532a89fd18ac",
        "002_4b4a2474aec07f5a",
        "003_94da23ff224a82c3",
        "004_84818f17cbfb3580",
    ] {
        assert_eq!(
            dup(id),
            "",
            "{id}: two outlets' own write-ups are not duplicates"
        );
    }
    let loi = |dir: &str| {
        csv_rows(&wd.read(&format!("{dir}/relations.csv")))
            .into_iter()
            .find(|r| r["relation"] == "Letter of Intent on Defence Space Cooperation")
            .unwrap()
    };
    wd.ok(&["aggregate", "o", "-o", "agg", "-q"]);
    let r = loi("agg");
    assert_eq!(r["documents"], "2");
    assert_eq!(
        r["doc_ids"],
        "000_7bbf6935570a9736;001_a718532a89fd18ac;005_republished"
    );
    wd.ok(&["aggregate", "o", "-o", "all", "-q", "--count-duplicates"]);
    assert_eq!(loi("all")["documents"], "3");
    // Turned off, nothing is flagged.
    wd.ok(&[
        "extract",
        "in",
        "-o",
        "off",
        "-q",
        "--duplicate-threshold",
        "0",
    ]);
    assert!(
        csv_rows(&wd.read("off/documents.csv"))
            .iter()
            .all(|d| d["duplicate_of"].is_empty())
    );
}

#[test]
fn a_copy_republished_after_an_incremental_run_is_still_flagged() {
    let wd = Workdir::new();
    copy_corpus(&wd, "in");
    // Day one: the sample corpus.
    wd.ok(&["extract", "in", "-o", "o", "--incremental", "-q"]);
    // Day two: the wire story of 000 republished by another outlet, and an
    // edited 001 (its earlier version must not count as its duplicate).
    let orig = std::fs::read_to_string(repo().join("corpus/000_7bbf6935570a9736.txt")).unwrap();
    let body = orig.split_once("\n\n").unwrap().1;
    wd.write(
        "in/005_republished.txt",
        format!("India and France renew their space partnership\n\nHome / World / Asia\n\n{body}\n\nAlso Read:\nISRO plans new launch\n"),
    );
    let edited = std::fs::read_to_string(repo().join("corpus/001_a718532a89fd18ac.txt")).unwrap();
    wd.write(
        "in/001_a718532a89fd18ac.txt",
        format!("{edited}\nThis article was updated with a correction.\n"),
    );
    let out = wd.ok(&["extract", "in", "-o", "o", "--incremental"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 articles read"), "{err}");
    let docs = csv_rows(&wd.read("o/documents.csv"));
    let dup = |id: &str| docs.iter().find(|d| d["doc_id"] == id).unwrap()["duplicate_of"].clone();
    assert_eq!(dup("005_republished"), "000_7bbf6935570a9736");
    assert_eq!(dup("001_a718532a89fd18ac"), "");
    // The same files as one run over both days' articles.
    wd.ok(&["extract", "in", "-o", "full", "-q"]);
    for f in ["documents.csv", "entities.csv", "triples.csv"] {
        assert_eq!(
            wd.read(&format!("o/{f}")),
            wd.read(&format!("full/{f}")),
            "{f}"
        );
    }
    // A copy is not itself a seed: its own copy points at the first article.
    let manifest = wd.read("o/accord-manifest.csv");
    let line = |id: &str| {
        manifest
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap()
            .to_string()
    };
    assert!(
        line("000_7bbf6935570a9736")
            .split(',')
            .nth(2)
            .is_some_and(|s| !s.is_empty())
    );
    assert_eq!(line("005_republished").split(',').nth(2), Some(""));
}

/// Copy the sample corpus into `dir` of the work directory.
fn copy_corpus(wd: &Workdir, dir: &str) {
    for e in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let p = e.unwrap().path();
        wd.write(
            &format!("{dir}/{}", p.file_name().unwrap().to_str().unwrap()),
            std::fs::read(&p).unwrap(),
        );
    }
}
