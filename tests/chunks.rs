//! A large single document is matched in pieces in parallel: its output must
//! not depend on the pieces or the thread count.

use std::process::Command;

use crate::util::{Workdir, assert_same, csv_rows, repo};

/// Separators between copies of the articles: blank lines, white space
/// around line breaks, and line breaks inside dates, where no cut may fall.
const SEPARATORS: &[&str] = &[
    "\n",
    "\n\n",
    "\n \n\t\n",
    "\nSigned on March\n4, 2024 in Paris, after talks on Dec.\n6 and 10\n- 12 May 2023.\n",
    "\nThe Foreign Secretary\nVinay Kwatra met KASA Administrator Yoon Youngbin.\n",
    "\n\n4 June\n2024\n",
];

/// About `size` bytes: the sample articles again and again, with varied separators.
fn large_document(size: usize) -> String {
    let mut articles: Vec<String> = std::fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    articles.sort();
    let mut doc = String::new();
    let mut k = 0;
    while doc.len() < size {
        doc.push_str(&articles[k % articles.len()]);
        doc.push_str(SEPARATORS[k % SEPARATORS.len()]);
        k += 1;
    }
    doc
}

/// `accord extract big.txt` with `-j threads`, pieces of `chunk` bytes (None: the default).
fn extract(wd: &Workdir, out: &str, threads: &str, chunk: Option<&str>) -> (String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.args(["extract", "big.txt", "-o", out, "-q", "-j", threads])
        .current_dir(wd.path());
    match chunk {
        Some(c) => cmd.env("ACCORD_CHUNK_BYTES", c),
        None => cmd.env_remove("ACCORD_CHUNK_BYTES"),
    };
    let run = cmd.output().expect("run accord");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (
        wd.read(&format!("{out}/entities.csv")),
        wd.read(&format!("{out}/triples.csv")),
    )
}

#[test]
fn large_document_output_does_not_depend_on_pieces_or_threads() {
    let wd = Workdir::new();
    wd.write("big.txt", large_document(3 << 20));
    let (ents, triples) = extract(&wd, "whole", "1", Some("0"));
    let rows = csv_rows(&ents);
    assert!(rows.len() > 10_000, "{} entities", rows.len());
    assert!(
        rows.iter()
            .any(|r| r["type"] == "DATE" && r["text"] == "March\n4, 2024")
    );
    assert!(csv_rows(&triples).len() >= 10);
    for (out, threads, chunk) in [
        ("default-1", "1", None),
        ("default-2", "2", None),
        ("pieces-2", "2", Some("1")),
        ("pieces-1", "1", Some("100000")),
    ] {
        let (e, t) = extract(&wd, out, threads, chunk);
        assert_same(&e, &ents, &format!("entities.csv, {out}"));
        assert_same(&t, &triples, &format!("triples.csv, {out}"));
    }
}
