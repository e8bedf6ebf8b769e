//! Safe runs: ids from untrusted input kept out of spreadsheet formulas, an
//! empty run that does not wipe the previous output, the output lock, a
//! full disk, and the messages a newcomer reads.

use crate::util::{Workdir, csv_rows, repo};

fn copy_corpus(wd: &Workdir, to: &str) {
    for e in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let p = e.unwrap().path();
        wd.write(
            &format!("{to}/{}", p.file_name().unwrap().to_str().unwrap()),
            std::fs::read(&p).unwrap(),
        );
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn formula_ids_are_neutralized_and_stay_joinable() {
    let wd = Workdir::new();
    let evil = "=HYPERLINK(\"http://evil.example\",\"x\")";
    let dump = [
        serde_json::json!({"id": evil, "text": "India and France signed the Letter of Intent on Defence Space Cooperation in Paris."}),
        serde_json::json!({"id": "-5", "text": "ISRO and NASA met."}),
        serde_json::json!({"id": "@SUM(1)", "text": "ESA and JAXA met."}),
    ]
    .map(|v| v.to_string() + "\n")
    .concat();
    wd.write("d.jsonl", &dump);
    wd.ok(&["extract", "d.jsonl", "-o", "out", "-q", "--raw-csv"]);
    let safe = format!("'{evil}");
    let docs = csv_rows(&wd.read("out/documents.csv"));
    let ids: Vec<&str> = docs.iter().map(|d| d["doc_id"].as_str()).collect();
    assert!(
        ids.contains(&safe.as_str()) && ids.contains(&"-5") && ids.contains(&"'@SUM(1)"),
        "{ids:?}"
    );
    for file in ["entities.csv", "triples.csv"] {
        let rows = csv_rows(&wd.read(&format!("out/{file}")));
        assert!(rows.iter().any(|r| r["doc_id"] == safe), "{file}");
        assert!(rows.iter().all(|r| !r["doc_id"].starts_with('=')), "{file}");
    }
    assert!(wd.read("out/accord-manifest.csv").contains("'=HYPERLINK"));
    // The manifest agrees: an incremental run finds nothing new.
    let again = wd.ok(&["extract", "d.jsonl", "-o", "out", "--incremental"]);
    assert!(
        stderr(&again).contains("0 articles read, 0 skipped, 3 unchanged"),
        "{}",
        stderr(&again)
    );
    // And merge gives the same ids.
    let shard = wd.ok(&["extract", "d.jsonl", "--format", "shard", "-q"]);
    wd.write("s.shard", &shard.stdout);
    wd.ok(&["merge", "s.shard", "-o", "merged", "-q"]);
    assert_eq!(wd.read("merged/entities.csv"), wd.read("out/entities.csv"));
    // And aggregate names the same documents.
    wd.ok(&["aggregate", "out", "-o", "agg", "-q"]);
    let rel = csv_rows(&wd.read("agg/relations.csv"));
    assert!(rel.iter().any(|r| r["doc_ids"] == safe), "{rel:?}");
}

#[test]
fn a_run_that_reads_nothing_keeps_the_old_output() {
    let wd = Workdir::new();
    copy_corpus(&wd, "corpus");
    wd.ok(&["extract", "-q"]);
    let before = wd.read("output/entities.csv");
    wd.write("pdfs/a.pdf", "%PDF");
    wd.write("pdfs/b.pdf", "%PDF");
    wd.write("pdfs/sub/c.docx", "PK");
    wd.write("pdfs/empty.txt", "");
    let out = wd.accord(&["extract", "pdfs", "-q"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("no article was read"), "{err}");
    assert!(
        err.contains("2 .pdf") && err.contains("1 .docx") && err.contains("1 article skipped"),
        "{err}"
    );
    assert!(err.contains("left as it was"), "{err}");
    assert_eq!(wd.read("output/entities.csv"), before);
    assert!(
        !std::fs::read_dir(wd.path().join("output"))
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"))
    );
    wd.ok(&["extract", "pdfs", "-q", "--allow-empty"]);
    assert_eq!(csv_rows(&wd.read("output/entities.csv")).len(), 0);
}

#[test]
fn a_second_run_on_the_same_output_is_told_who_holds_it() {
    let wd = Workdir::new();
    copy_corpus(&wd, "corpus");
    // Another run holds the lock: this test process, with the OS lock taken.
    let lock_path = wd.write("output/.accord.lock", "pid 1 since 0\n");
    let held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&lock_path)
        .unwrap();
    held.try_lock().unwrap();
    let out = wd.accord(&["extract", "-q"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("output is being written by another accord run (pid 1 since 0)"),
        "{err}"
    );
    assert!(!wd.path().join("output/entities.csv").exists());
    // A lock file left by a run that is gone holds no OS lock: it is taken
    // over, and removed after.
    drop(held);
    wd.ok(&["extract", "-q"]);
    assert!(!wd.path().join("output/.accord.lock").exists());
}

#[test]
fn a_file_size_limit_mid_run_keeps_the_old_output() {
    let wd = Workdir::new();
    copy_corpus(&wd, "corpus");
    wd.ok(&["extract", "-q", "--no-cache"]);
    let before: Vec<String> = [
        "entities.csv",
        "triples.csv",
        "documents.csv",
        "accord-manifest.csv",
    ]
    .iter()
    .map(|f| wd.read(&format!("output/{f}")))
    .collect();
    wd.write("corpus/extra.txt", "ISRO and CNES signed an agreement.");
    // 8 blocks of 512 bytes: less than entities.csv.
    let out = std::process::Command::new("sh")
        .args(["-c", "ulimit -f 8 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_accord"))
        .args(["extract", "-q", "--no-cache"])
        .current_dir(wd.path())
        .env("ACCORD_CACHE_DIR", wd.cache_dir())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("file-size limit"), "{err}");
    assert!(
        err.contains("previous output in output is left as it was"),
        "{err}"
    );
    let after: Vec<String> = [
        "entities.csv",
        "triples.csv",
        "documents.csv",
        "accord-manifest.csv",
    ]
    .iter()
    .map(|f| wd.read(&format!("output/{f}")))
    .collect();
    assert!(before == after, "the old output changed");
    let names: Vec<String> = std::fs::read_dir(wd.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.ends_with(".tmp") && n != ".accord.lock"),
        "{names:?}"
    );
}

#[test]
fn messages_a_newcomer_reads() {
    let wd = Workdir::new();
    // No corpus/ and no input.
    let err = stderr(&wd.accord(&["extract"]));
    assert!(err.contains("default input directory corpus/"), "{err}");
    assert!(err.contains("accord extract DIR_OR_FILE"), "{err}");
    copy_corpus(&wd, "in");
    // -o naming a file.
    wd.write("out.csv", "x");
    let err = stderr(&wd.accord(&["extract", "in", "-o", "out.csv"]));
    assert!(err.contains("-o out.csv is a file"), "{err}");
    // A misspelled flag.
    let err = stderr(&wd.accord(&["extract", "in", "--qiet"]));
    assert!(err.contains("--quiet"), "{err}");
    // Standard input twice.
    let out = wd.accord(&["extract", "-", "-"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("standard input (-) can be read once"),
        "{}",
        stderr(&out)
    );
    // Flags that do nothing here.
    let out = wd.accord(&[
        "extract",
        "in",
        "--format",
        "jsonl",
        "--excel",
        "--stdin-name",
        "x.jsonl",
    ]);
    let err = stderr(&out);
    assert!(
        err.contains("warning: --excel has no effect with --format jsonl"),
        "{err}"
    );
    assert!(
        err.contains("warning: --stdin-name names standard input, which is not read"),
        "{err}"
    );
}
