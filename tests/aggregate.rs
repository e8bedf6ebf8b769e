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
