//! Scale-out: pieces of one dump run apart (`extract --format shard`) and
//! joined by `accord merge` give the files of one run over the whole dump.

use crate::util::{Workdir, repo};

/// A dump with what makes the run-wide steps hard: doc_ids repeated across
/// pieces, a republished copy of an earlier article, blank, broken and
/// id-less lines, invalid UTF-8 and a CRLF line end.
fn dump() -> Vec<u8> {
    let mut paths: Vec<_> = std::fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let line = |id: Option<&str>, text: &str| {
        let mut v = serde_json::json!({ "text": text });
        if let Some(id) = id {
            v["id"] = id.into();
        }
        format!("{v}\n").into_bytes()
    };
    let mut out = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        out.extend(line(Some(&format!("a{}", i % 2)), t));
    }
    out.extend(b"\n");
    out.extend(b"{\"id\": \"broken\", \"text\": \n");
    out.extend(line(None, &texts[2]));
    let body = texts[0].split_once('\n').unwrap().1;
    let copy = format!(
        "Space ties: India and France deepen cooperation\n\nHome > World > Space\n{body}\nAlso Read: More stories from our partners.\n"
    );
    out.extend(line(Some("wire-copy"), &copy));
    out.extend(b"{\"id\": \"latin1\", \"text\": \"ISRO and CNES \xe9tudes\"}\r\n");
    out.extend(line(Some("a0"), &texts[4]));
    out
}

/// The dump's lines cut into pieces at `cuts` (line numbers that start a piece).
fn pieces(dump: &[u8], cuts: &[usize]) -> Vec<(usize, Vec<u8>)> {
    let lines: Vec<&[u8]> = dump.split_inclusive(|&b| b == b'\n').collect();
    let mut starts = vec![1];
    starts.extend_from_slice(cuts);
    starts.push(lines.len() + 1);
    starts
        .windows(2)
        .map(|w| (w[0], lines[w[0] - 1..w[1] - 1].concat()))
        .collect()
}

const FILES: [&str; 4] = [
    "documents.csv",
    "entities.csv",
    "triples.csv",
    "accord-manifest.csv",
];

#[test]
fn pieces_merge_into_the_files_of_one_run() {
    let wd = Workdir::new();
    let dump = dump();
    wd.write("dump.jsonl", &dump);
    wd.ok(&["extract", "dump.jsonl", "-o", "whole", "-q"]);
    let whole_docs = wd.read("whole/documents.csv");
    // The dump exercises what it is meant to.
    assert!(whole_docs.contains("a0~2,"), "{whole_docs}");
    assert!(whole_docs.contains("skipped: line 7: not JSON"));
    assert!(whole_docs.contains("invalid UTF-8"));
    let copy = whole_docs
        .lines()
        .find(|l| l.starts_with("wire-copy,"))
        .unwrap();
    assert!(copy.ends_with(",a0"), "{copy}");

    // Cut before the broken line, between the original and its copy, and
    // before the last a0; each piece named as the dump from its first line.
    for cuts in [&[7, 9, 11][..], &[2][..], &[]] {
        let mut shards = Vec::new();
        for (first, piece) in pieces(&dump, cuts) {
            let first = first.to_string();
            let out = wd.accord_stdin(
                &[
                    "extract",
                    "-",
                    "--format",
                    "shard",
                    "--input-format",
                    "jsonl",
                    "--stdin-name",
                    "dump.jsonl",
                    "--first-line",
                    &first,
                    "-j",
                    "2",
                    "-q",
                ],
                &piece,
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            shards.extend(out.stdout);
        }
        wd.write("shards.jsonl", &shards);
        // From a file, and from standard input.
        wd.ok(&["merge", "shards.jsonl", "-o", "merged", "-q"]);
        let piped = wd.accord_stdin(&["merge", "-o", "piped", "-q"], &shards);
        assert!(piped.status.success());
        for f in FILES {
            let want = wd.read(&format!("whole/{f}"));
            assert_eq!(wd.read(&format!("merged/{f}")), want, "{f}, cuts {cuts:?}");
            assert_eq!(wd.read(&format!("piped/{f}")), want, "{f}, cuts {cuts:?}");
        }
    }
}

#[test]
fn merge_refuses_a_cut_shard_and_keeps_the_old_output() {
    let wd = Workdir::new();
    let dump = dump();
    let out = wd.accord_stdin(
        &[
            "extract",
            "-",
            "--format",
            "shard",
            "--stdin-name",
            "dump.jsonl",
            "-q",
        ],
        &dump,
    );
    assert!(out.status.success());
    wd.write("good.jsonl", &out.stdout);
    wd.ok(&["merge", "good.jsonl", "-o", "o", "-q"]);
    let before: Vec<String> = FILES.iter().map(|f| wd.read(&format!("o/{f}"))).collect();
    // The second line cut short, as by a task killed mid-write.
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let cut = &lines[1][..lines[1].len() / 2];
    lines[1] = cut;
    wd.write("cut.jsonl", lines.join("\n"));
    let bad = wd.accord(&["merge", "cut.jsonl", "-o", "o", "-q"]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("cut.jsonl:2: not a line of `accord extract --format shard`"),
        "{err}"
    );
    for (f, want) in FILES.iter().zip(&before) {
        assert_eq!(&wd.read(&format!("o/{f}")), want, "{f} changed");
    }
    let leftovers: Vec<_> = std::fs::read_dir(wd.path().join("o"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".accord-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
