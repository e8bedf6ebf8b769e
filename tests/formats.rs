//! Dump formats end to end: each gives the same entities as the plain text
//! of the same articles; streaming JSONL output; incremental runs.

use std::io::Write;

use crate::util::{Workdir, assert_same, csv_rows, repo};

/// The sample corpus as (stem, text).
fn seeds() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_stem().unwrap().to_str().unwrap().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn jsonl(articles: &[(String, String)]) -> String {
    articles
        .iter()
        .map(|(id, text)| serde_json::json!({ "id": id, "text": text }).to_string() + "\n")
        .collect()
}

/// Entity rows without the columns that name the file (all but none: the
/// doc_id is the record id, so rows compare whole).
fn entities(wd: &Workdir, out: &str) -> String {
    wd.read(&format!("{out}/entities.csv"))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn jsonl_and_compressed_jsonl_match_plain_text() {
    let wd = Workdir::new();
    let arts = seeds();
    for (id, text) in &arts {
        wd.write(&format!("plain/{id}.txt"), text);
    }
    wd.ok(&["extract", "plain", "-o", "out-plain", "-q"]);
    let want = entities(&wd, "out-plain");
    let want_triples = wd.read("out-plain/triples.csv");
    assert!(want.lines().count() > 100);

    let dump = jsonl(&arts);
    wd.write("d/a.jsonl", &dump);
    wd.write("d/b.jsonl.gz", gzip(dump.as_bytes()));
    wd.write(
        "d/c.ndjson.zst",
        zstd::encode_all(dump.as_bytes(), 3).unwrap(),
    );
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    bz.write_all(dump.as_bytes()).unwrap();
    wd.write("d/e.jsonl.bz2", bz.finish().unwrap());
    for f in ["a.jsonl", "b.jsonl.gz", "c.ndjson.zst", "e.jsonl.bz2"] {
        let out = format!("out-{f}");
        wd.ok(&["extract", &format!("d/{f}"), "-o", &out, "-q"]);
        assert_same(&entities(&wd, &out), &want, f);
        assert_same(&wd.read(&format!("{out}/triples.csv")), &want_triples, f);
        let docs = csv_rows(&wd.read(&format!("{out}/documents.csv")));
        assert_eq!(docs.len(), arts.len());
        assert!(docs[0]["source"].ends_with(&format!("{f}:1")), "{docs:?}");
    }
    // A directory walk reads dumps by their names too.
    wd.write("d/notes.pdf", "not read");
    wd.ok(&["extract", "d", "-o", "out-dir", "-q"]);
    let docs = csv_rows(&wd.read("out-dir/documents.csv"));
    assert_eq!(docs.len(), 4 * arts.len(), "same ids made unique");
    assert!(docs.iter().any(|d| d["doc_id"].ends_with("~4")));
}

#[test]
fn dump_errors_are_reported_and_the_rest_is_read() {
    let wd = Workdir::new();
    let arts = seeds();
    let good = jsonl(&arts[..2]);
    let mut dump = String::new();
    dump.push_str(good.lines().next().unwrap());
    dump.push_str("\n{\"id\": \"broken\", \"text\": \n[1,2]\n{\"id\":\"notext\"}\n");
    dump.push_str(good.lines().nth(1).unwrap());
    dump.push('\n');
    wd.write("bad.jsonl", &dump);
    // A gzip stream cut in the middle.
    let gz = gzip(jsonl(&arts).as_bytes());
    wd.write("cut.jsonl.gz", &gz[..gz.len() / 2]);
    // A name that lies about the content.
    wd.write("fake.jsonl.zst", "plain text");
    let out = wd.ok(&[
        "extract",
        "bad.jsonl",
        "cut.jsonl.gz",
        "fake.jsonl.zst",
        "-o",
        "o",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let docs = csv_rows(&wd.read("o/documents.csv"));
    let status = |id: &str| {
        docs.iter()
            .find(|d| d["doc_id"] == id)
            .unwrap_or_else(|| panic!("{id} in {docs:?}"))["status"]
            .clone()
    };
    assert_eq!(status(&arts[0].0), "ok");
    assert_eq!(status(&arts[1].0), "ok");
    assert!(status("bad:2").contains("line 2: not JSON"));
    assert!(status("bad:3").contains("line 3: not a JSON object"));
    assert!(status("notext").contains("line 4: no text field"));
    assert!(status("fake").contains("the name says zstd"));
    assert!(
        docs.iter().any(|d| d["source"] == "cut.jsonl.gz"
            && d["status"].contains("gzip member 1 cannot be decoded (the file ends inside it)")),
        "{docs:?}"
    );
    assert!(
        stderr.contains("bad.jsonl:2: skipped: line 2: not JSON"),
        "{stderr}"
    );
}

/// A news page around an article: navigation, cookie banner, related links, scripts.
fn page(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;").replace('<', "&lt;")))
        .collect();
    format!(
        "<!DOCTYPE html><html><head><title>{title} | Example News</title>\
<meta property=\"og:title\" content=\"{title}\">\
<meta property=\"article:published_time\" content=\"2024-03-05T09:00:00+05:30\">\
<script>var nav = 'India France NASA';</script><style>p {{ color: red }}</style></head>\
<body><nav><a href=\"/\">Home</a> <a href=\"/world\">Japan</a> <a>ISRO news</a></nav>\
<div class=\"cookie-consent\">We use cookies. Accept the European Space Agency terms.</div>\
<header>Example News: China, Russia, NASA</header>\
<article><h1>{title}</h1>\n{body}<div class=\"related-links\"><a>Germany and JAXA sign pact</a></div></article>\
<aside>Trending: Roscosmos</aside><footer>(c) Example News, Canada</footer></body></html>"
    )
}

/// Title and paragraphs of a plain-text article whose first line is its title.
fn parts(text: &str) -> (String, Vec<String>) {
    let mut blocks = text
        .split("\n\n")
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|b| !b.is_empty());
    let title = blocks.next().unwrap();
    // (A page shows its headline once: 002 repeats it as its first paragraph.)
    (title.clone(), blocks.filter(|b| *b != title).collect())
}

fn warc_record(kind: &str, id: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2024-03-06T00:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

#[test]
fn html_and_warc_match_plain_text() {
    let wd = Workdir::new();
    let arts: Vec<(String, String, Vec<String>)> = seeds()
        .into_iter()
        .take(3)
        .map(|(id, text)| {
            let (t, p) = parts(&text);
            (id, t, p)
        })
        .collect();
    let mut warc = warc_record("warcinfo", "info", "", b"software: test\r\n");
    for (id, title, paras) in &arts {
        let plain = format!("{title}\n\n{}", paras.join("\n\n"));
        wd.write(&format!("plain/{id}.txt"), &plain);
        let p: Vec<&str> = paras.iter().map(String::as_str).collect();
        let html = page(title, &p);
        wd.write(&format!("html/{id}.html"), &html);
        let http =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
        if id != &arts[2].0 {
            warc.extend(warc_record(
                "response",
                id,
                &format!("https://example.com/{id}"),
                http.as_bytes(),
            ));
        }
    }
    warc.extend(warc_record(
        "response",
        "logo",
        "https://example.com/logo.png",
        b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n",
    ));
    wd.write("cc/news.warc.gz", gzip(&warc));
    wd.ok(&["extract", "plain", "-o", "o-plain", "-q"]);
    wd.ok(&["extract", "html", "-o", "o-html", "-q"]);
    wd.ok(&["extract", "cc/news.warc.gz", "-o", "o-warc", "-q"]);
    let want = entities(&wd, "o-plain");
    assert_same(&entities(&wd, "o-html"), &want, "html");
    // The WARC holds the first two articles.
    let two: String = want
        .lines()
        .filter(|l| !l.starts_with(&arts[2].0))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_same(&entities(&wd, "o-warc"), &two, "warc");
    let docs = csv_rows(&wd.read("o-warc/documents.csv"));
    assert_eq!(docs.len(), 3, "{docs:?}");
    let first = docs.iter().find(|d| d["doc_id"] == arts[0].0).unwrap();
    assert_eq!(first["url"], format!("https://example.com/{}", arts[0].0));
    assert_eq!(
        first["date"], "2024-03-05",
        "the page's date wins over the crawl date"
    );
    let logo = docs.iter().find(|d| d["doc_id"] == "logo").unwrap();
    assert!(logo["status"].contains("not HTML (content type image/png)"));
    let html_docs = csv_rows(&wd.read("o-html/documents.csv"));
    assert!(html_docs.iter().all(|d| d["date"] == "2024-03-05"));
}

#[test]
fn stdin_jsonl_streams_json_lines_in_input_order() {
    let wd = Workdir::new();
    let mut arts = seeds();
    arts.reverse();
    wd.write("dump.jsonl", jsonl(&arts));
    let input = std::fs::File::open(wd.path().join("dump.jsonl")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["extract", "-", "--format", "jsonl", "-j", "2", "-q"])
        .current_dir(wd.path())
        .stdin(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["doc_id"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = arts.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, want, "input order, not sorted");
    // The same entities as the CSV run.
    wd.ok(&["extract", "dump.jsonl", "-o", "o", "-q"]);
    let csv = csv_rows(&wd.read("o/entities.csv"));
    let from_json: usize = lines
        .iter()
        .map(|l| l["entities"].as_array().unwrap().len())
        .sum();
    assert_eq!(from_json, csv.len());
    let text = &arts[0].1;
    for e in lines[0]["entities"].as_array().unwrap() {
        let (s, t) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..t], e["text"].as_str().unwrap());
    }
    let triples = csv_rows(&wd.read("o/triples.csv"));
    let from_json: usize = lines
        .iter()
        .map(|l| l["triples"].as_array().unwrap().len())
        .sum();
    assert_eq!(from_json, triples.len());
}

#[test]
fn spilled_sorting_gives_the_same_files_at_any_thread_count() {
    let wd = Workdir::new();
    let arts = seeds();
    let mut many = Vec::new();
    for i in 0..150 {
        for (id, text) in &arts {
            many.push((format!("{id}-{i:03}"), text.clone()));
        }
    }
    // Shuffle deterministically so input order is not doc_id order.
    many.sort_by_key(|(id, _)| id.bytes().rev().collect::<Vec<_>>());
    wd.write("many.jsonl", jsonl(&many));
    wd.ok(&["extract", "many.jsonl", "-o", "mem", "-j", "1", "-q"]);
    wd.ok(&[
        "extract",
        "many.jsonl",
        "-o",
        "spill",
        "-j",
        "2",
        "-q",
        "--sort-buffer-mb",
        "0",
    ]);
    for f in [
        "entities.csv",
        "triples.csv",
        "documents.csv",
        "accord-manifest.csv",
    ] {
        assert_same(
            &wd.read(&format!("spill/{f}")),
            &wd.read(&format!("mem/{f}")),
            f,
        );
    }
    // The same articles in doc_id order take the direct path (no buffering):
    // the same rows.
    many.sort();
    wd.write("sorted.jsonl", jsonl(&many));
    wd.ok(&["extract", "sorted.jsonl", "-o", "direct", "-j", "2", "-q"]);
    for f in ["entities.csv", "triples.csv"] {
        assert_same(
            &wd.read(&format!("direct/{f}")),
            &wd.read(&format!("mem/{f}")),
            f,
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(wd.path().join("spill"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn incremental_runs_add_only_new_articles() {
    let wd = Workdir::new();
    let arts = seeds();
    for (id, text) in &arts {
        wd.write(&format!("all/{id}.txt"), text);
    }
    for (id, text) in &arts[..2] {
        wd.write(&format!("day1/{id}.txt"), text);
    }
    for (id, text) in &arts[2..] {
        wd.write(&format!("day2/{id}.txt"), text);
    }
    wd.ok(&["extract", "all", "-o", "full", "-q"]);
    wd.ok(&["extract", "day1", "-o", "inc", "--incremental"]);
    // Day 2 brings three new articles and one already seen.
    wd.write(&format!("day2/{}.txt", arts[0].0), &arts[0].1);
    let out = wd.ok(&["extract", "day2", "-o", "inc", "--incremental"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("3 articles read, 0 skipped, 1 unchanged"),
        "{stderr}"
    );
    for f in ["entities.csv", "triples.csv", "documents.csv"] {
        let full = wd.read(&format!("full/{f}"));
        let inc = wd.read(&format!("inc/{f}"));
        if f == "documents.csv" {
            // Only the source paths differ.
            assert_same(
                &inc.replace("day1/", "dayN/").replace("day2/", "dayN/"),
                &full.replace("all/", "dayN/"),
                f,
            );
        } else {
            assert_same(&inc, &full, f);
        }
    }
    // Nothing new: nothing processed, files unchanged.
    let before = wd.read("inc/entities.csv");
    let out = wd.ok(&["extract", "day2", "-o", "inc", "--incremental"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("0 articles read, 0 skipped, 4 unchanged"),
        "{stderr}"
    );
    assert_eq!(wd.read("inc/entities.csv"), before);
    // A changed article is processed again and replaces its old rows.
    let id = &arts[1].0;
    wd.write(
        &format!("day2/{id}.txt"),
        "India and Japan agree to cooperate.",
    );
    let out = wd.ok(&["extract", "day2", "-o", "inc", "--incremental"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 articles read"));
    let rows = csv_rows(&wd.read("inc/entities.csv"));
    let mine: Vec<_> = rows.iter().filter(|r| &r["doc_id"] == id).collect();
    assert_eq!(mine.len(), 2, "{mine:?}");
    assert_eq!(csv_rows(&wd.read("inc/documents.csv")).len(), 5);
}

#[test]
fn an_interrupted_run_leaves_the_output_whole() {
    let wd = Workdir::new();
    let arts = seeds();
    let mut many = Vec::new();
    for i in 0..400 {
        for (id, text) in &arts {
            many.push((format!("{id}-{i:03}"), text.clone()));
        }
    }
    wd.write("many.jsonl", jsonl(&many));
    wd.write("small.jsonl", jsonl(&arts));
    wd.ok(&[
        "extract",
        "small.jsonl",
        "-o",
        "o",
        "--incremental",
        "-q",
        "--duplicate-threshold",
        "0",
    ]);
    let before: Vec<String> = ["entities.csv", "triples.csv", "documents.csv"]
        .iter()
        .map(|f| wd.read(&format!("o/{f}")))
        .collect();
    let mut interrupted = 0;
    for delay_ms in [50, 300] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
            .args([
                "extract",
                "many.jsonl",
                "-o",
                "o",
                "--incremental",
                "-q",
                "-j",
                "1",
                "--duplicate-threshold",
                "0",
            ])
            .current_dir(wd.path())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        if !finished {
            interrupted += 1;
            let now: Vec<String> = ["entities.csv", "triples.csv", "documents.csv"]
                .iter()
                .map(|f| wd.read(&format!("o/{f}")))
                .collect();
            // Either untouched, or (if the kill came after the renames) complete.
            let docs = csv_rows(&now[2]);
            assert!(
                now == before || docs.len() == arts.len() + many.len(),
                "half-written output: {} documents",
                docs.len()
            );
        }
    }
    // Otherwise the kill checked nothing.
    assert!(interrupted > 0, "every run finished before the kill");
    // The next run completes the work and cleans up.
    wd.ok(&[
        "extract",
        "small.jsonl",
        "many.jsonl",
        "-o",
        "o",
        "--incremental",
        "-q",
        "--duplicate-threshold",
        "0",
    ]);
    // (Every article of many.jsonl copies one of small.jsonl: near-duplicate
    // flags are made within one run, so a full run would differ there.)
    wd.ok(&[
        "extract",
        "small.jsonl",
        "many.jsonl",
        "-o",
        "full",
        "-q",
        "--duplicate-threshold",
        "0",
    ]);
    for f in ["entities.csv", "triples.csv", "documents.csv"] {
        assert_same(
            &wd.read(&format!("o/{f}")),
            &wd.read(&format!("full/{f}")),
            f,
        );
    }
    let stray: Vec<_> = std::fs::read_dir(wd.path().join("o"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty());
}
