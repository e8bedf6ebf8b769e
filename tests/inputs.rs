//! `accord inputs` names a listing exactly as `extract` names the same files.

use crate::util::{Workdir, csv_rows};

#[test]
fn inputs_names_a_listing_as_extract_reads_the_tree() {
    let w = Workdir::new();
    let article = "India and France signed a space agreement in Paris on Monday.";
    for rel in [
        "in/b.txt",
        "in/b.md",
        "in/2024/a.txt",
        "in/2024/a.html.gz",
        "in/notes.pdf",
    ] {
        w.write(rel, article);
    }
    let out = w.accord(&["extract", "--no-cache", "-o", "out", "in"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = std::fs::read_to_string(w.path().join("out/documents.csv")).unwrap();
    let want: Vec<(String, String)> = csv_rows(&docs)
        .into_iter()
        .map(|r| (r["doc_id"].clone(), r["source"].clone()))
        .collect();

    // The listing in walk order, not sorted, with a file accord does not read.
    let listing: String = ["b.txt", "notes.pdf", "2024/a.html.gz", "b.md", "2024/a.txt"]
        .iter()
        .map(|rel| {
            let parts: Vec<&str> = rel.split('/').collect();
            format!(
                "{{\"given\":\"in\",\"path\":{}}}\n",
                serde_json::json!(parts)
            )
        })
        .collect();
    let out = w.accord_stdin(&["inputs"], listing.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got: Vec<(String, String)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["doc_id"].as_str().unwrap().to_string(),
                v["source"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // documents.csv is sorted by doc_id; reading order is the listing's.
    got.sort();
    assert_eq!(got, want);
    assert_eq!(got.len(), 4, "notes.pdf is not read");
}

#[test]
fn a_bad_listing_line_is_a_clear_error() {
    let w = Workdir::new();
    let out = w.accord_stdin(&["inputs"], b"{\"given\": 3}\n");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("-:1") && err.contains("not a listing line"),
        "{err}"
    );
}
