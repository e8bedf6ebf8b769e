//! Real-world inputs, made small: WARC records as wget, Heritrix, warcprox
//! and pywb write them (chunked and compressed bodies, redirects, `dns:`
//! records, CR CR LF lines, damaged records), ARC files, pages in declared
//! charsets. Every input here is built by the test; the real files these
//! cases come from are checked by `scripts/interop-check`.

use std::collections::HashMap;
use std::io::Write;

use crate::util::{Workdir, csv_rows};

/// A WARC record of `kind` with `block`, lines ended by `eol`.
fn record_eol(kind: &str, id: &str, extra: &str, block: &[u8], eol: &str) -> Vec<u8> {
    let mut head = vec![
        "WARC/1.0".to_string(),
        format!("WARC-Type: {kind}"),
        format!("WARC-Record-ID: <urn:uuid:{id}>"),
        "WARC-Date: 2024-02-21T08:00:00Z".to_string(),
        format!("WARC-Target-URI: https://news.example/{id}"),
    ];
    head.extend(extra.lines().map(str::to_string));
    if !extra.contains("Content-Type") {
        head.push("Content-Type: application/http; msgtype=response".into());
    }
    head.push(format!("Content-Length: {}", block.len()));
    let mut r = (head.join(eol) + eol + eol).into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(format!("{eol}{eol}").as_bytes());
    r
}

fn record(kind: &str, id: &str, extra: &str, block: &[u8]) -> Vec<u8> {
    record_eol(kind, id, extra, block, "\r\n")
}

fn response(head: &str, body: &[u8]) -> Vec<u8> {
    let mut r = head.replace('\n', "\r\n").into_bytes();
    r.extend_from_slice(b"\r\n\r\n");
    r.extend_from_slice(body);
    r
}

const PAGE: &str = "<html><head><title>Space pact</title></head><body><p>ISRO and CNES signed an agreement in Paris.</p></body></html>";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// documents.csv of a run, by doc_id.
fn docs_of(wd: &Workdir, out: &str) -> HashMap<String, HashMap<String, String>> {
    csv_rows(&wd.read(&format!("{out}/documents.csv")))
        .into_iter()
        .map(|r| (r["doc_id"].clone(), r))
        .collect()
}

fn canonicals(wd: &Workdir, out: &str, doc: &str) -> Vec<String> {
    csv_rows(&wd.read(&format!("{out}/entities.csv")))
        .into_iter()
        .filter(|r| r["doc_id"] == doc)
        .map(|r| r["canonical"].clone())
        .collect()
}

#[test]
fn chunked_and_compressed_bodies_are_decoded() {
    let wd = Workdir::new();
    // "ISRO" split across two chunks, as wget and Heritrix store it.
    let (a, b) = PAGE.split_at(PAGE.find("ISRO").unwrap() + 2);
    let chunked = format!(
        "{:x}\r\n{a}\r\n{:x};ext=1\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    let mut w = record(
        "response",
        "chunked",
        "",
        &response(
            "HTTP/1.1 200 OK\nContent-Type: text/html\nTransfer-Encoding: chunked",
            chunked.as_bytes(),
        ),
    );
    w.extend(record(
        "response",
        "gzipped",
        "",
        &response(
            "HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Encoding: gzip",
            &gzip(PAGE.as_bytes()),
        ),
    ));
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(PAGE.as_bytes()).unwrap();
    w.extend(record(
        "response",
        "deflated",
        "",
        &response(
            "HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Encoding: deflate",
            &z.finish().unwrap(),
        ),
    ));
    wd.write("in/crawl.warc", &w);
    wd.ok(&["extract", "in/crawl.warc", "-o", "out", "-q"]);
    let docs = docs_of(&wd, "out");
    for id in ["chunked", "gzipped", "deflated"] {
        assert_eq!(docs[id]["status"], "ok", "{id}: {:?}", docs[id]);
        assert_eq!(docs[id]["title"], "Space pact");
        let c = canonicals(&wd, "out", id);
        assert!(
            c.contains(&"Indian Space Research Organisation".to_string()),
            "{id}: {c:?}"
        );
    }
    assert!(!wd.read("out/entities.csv").contains(";ext"));
}

#[test]
fn a_bad_record_costs_that_record_only() {
    let wd = Workdir::new();
    let page = response("HTTP/1.1 200 OK\nContent-Type: text/html", PAGE.as_bytes());
    let good = |id: &str| record("response", id, "", &page);
    // Record 2 claims more bytes than it has: its block runs into record 3.
    let long = String::from_utf8(good("long")).unwrap().replace(
        &format!("Content-Length: {}", page.len()),
        "Content-Length: 400",
    );
    // Record 4 claims fewer: the next line is not a record's start.
    let short = String::from_utf8(good("short")).unwrap().replace(
        &format!("Content-Length: {}", page.len()),
        "Content-Length: 20",
    );
    let mut w = good("one");
    w.extend(long.as_bytes());
    w.extend(good("three"));
    w.extend(short.as_bytes());
    w.extend(good("five"));
    wd.write("in/plain.warc", &w);
    let out = wd.ok(&["extract", "in/plain.warc", "-o", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let docs = docs_of(&wd, "out");
    for id in ["one", "three", "five"] {
        assert_eq!(docs[id]["status"], "ok", "{id}: {docs:?}");
    }
    assert!(
        docs["plain#2"]["status"].starts_with("skipped: WARC record 2: its Content-Length (400)"),
        "{docs:?}"
    );
    assert!(
        docs["plain#4"]["status"].starts_with("skipped: WARC record 4:"),
        "{docs:?}"
    );
    assert!(!stderr.contains("Read further"), "{stderr}");

    // Per-record gzip: a damaged member is passed over for the next one.
    let mut members = gzip(&good("one"));
    let mut bad = gzip(&good("two"));
    let mid = bad.len() / 2;
    bad[mid..mid + 8].copy_from_slice(&[0xff; 8]);
    members.extend(bad);
    members.extend(gzip(&good("three")));
    wd.write("in/members.warc.gz", &members);
    wd.ok(&["extract", "in/members.warc.gz", "-o", "gz", "-q"]);
    let docs = docs_of(&wd, "gz");
    assert_eq!(docs["one"]["status"], "ok", "{docs:?}");
    assert_eq!(docs["three"]["status"], "ok", "{docs:?}");
    assert!(
        docs.values().any(|d| d["status"].contains("gzip member 2")),
        "{docs:?}"
    );
}

/// Three gzip members, each holding one of `parts`, the middle one damaged.
fn damaged_middle_member(parts: [&[u8]; 3]) -> Vec<u8> {
    let mut file = gzip(parts[0]);
    let mut bad = gzip(parts[1]);
    let mid = bad.len() / 2;
    bad[mid..mid + 8].copy_from_slice(&[0xff; 8]);
    file.extend(bad);
    file.extend(gzip(parts[2]));
    file
}

#[test]
fn a_damaged_gzip_member_costs_that_member_whatever_the_name() {
    let wd = Workdir::new();
    let page = response("HTTP/1.1 200 OK\nContent-Type: text/html", PAGE.as_bytes());
    let good = |id: &str| record("response", id, "", &page);
    let warc = damaged_middle_member([&good("one"), &good("two"), &good("three")]);
    // A WARC known only by its content, and one named by --input-format.
    wd.write("crawl.gz", &warc);
    wd.write("crawl.dat", &warc);
    let line = |id: &str| {
        format!("{{\"id\":\"{id}\",\"text\":\"ISRO and CNES signed an agreement in Paris.\"}}\n")
    };
    // A JSONL written one member per record, as a log rotated with gzip is.
    let jsonl = damaged_middle_member([
        line("j1").as_bytes(),
        line("j2").repeat(20).as_bytes(),
        line("j3").as_bytes(),
    ]);
    wd.write("in/lines.jsonl.gz", &jsonl);
    // An ARC, one member per record.
    let vblock = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n";
    let mut head = format!(
        "filedesc://old.arc 0.0.0.0 20140216050221 text/plain {}\n",
        vblock.len()
    )
    .into_bytes();
    head.extend(vblock);
    head.extend(b"\n");
    let arc_record = |n: usize| {
        let mut r = format!(
            "http://news.example/{n} 192.0.2.1 20140216050221 text/html {}\n",
            page.len()
        )
        .into_bytes();
        r.extend(&page);
        r.extend(b"\n");
        r
    };
    let mut arc = gzip(&head);
    arc.extend(damaged_middle_member([
        &arc_record(2),
        &arc_record(3),
        &arc_record(4),
    ]));
    wd.write("in/old.arc.gz", &arc);

    let out = wd.ok(&["extract", "in", "crawl.gz", "-o", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let docs = docs_of(&wd, "out");
    for id in ["one", "three", "j1", "j3", "old#2"] {
        assert_eq!(docs[id]["status"], "ok", "{id}: {docs:?}");
    }
    // The ARC record after the damaged one is read (its id may carry a
    // `~n`: the line the damage left is reported under the same number).
    let by_url = |url: &str| docs.values().filter(|d| d["url"] == url).count();
    assert!(
        docs.values()
            .any(|d| d["url"] == "http://news.example/4" && d["status"] == "ok"),
        "{docs:?}"
    );
    assert_eq!(by_url("http://news.example/3"), 0, "{docs:?}");
    for (file, id, prefix) in [
        ("crawl.gz", "crawl#", "skipped: WARC record "),
        (
            "in/lines.jsonl.gz",
            "lines#gzip1",
            "skipped: gzip member 2 cannot be decoded",
        ),
        ("in/old.arc.gz", "old#", "skipped: ARC record "),
    ] {
        let hit = docs.iter().find(|(k, d)| {
            k.starts_with(id)
                && d["status"].starts_with(prefix)
                && d["status"].contains("gzip member ")
        });
        assert!(hit.is_some(), "{file}: no damage report: {docs:?}");
        let (_, d) = hit.unwrap();
        assert!(d["source"].starts_with(file), "{d:?}");
        assert!(
            stderr.contains(file) && stderr.contains("gzip member "),
            "{stderr}"
        );
    }

    let out = wd.ok(&[
        "extract",
        "--input-format",
        "warc",
        "crawl.dat",
        "-o",
        "fmt-out",
    ]);
    let docs = docs_of(&wd, "fmt-out");
    assert_eq!(docs["one"]["status"], "ok", "{docs:?}");
    assert_eq!(docs["three"]["status"], "ok", "{docs:?}");
    assert!(
        docs.values().any(|d| d["status"].contains("gzip member 2")),
        "{docs:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn crawler_variants_of_records() {
    let wd = Workdir::new();
    let html = PAGE.as_bytes();
    let mut w = record(
        "warcinfo",
        "info",
        "Content-Type: application/warc-fields",
        b"software: test\r\n",
    );
    // A dns: lookup is a response record, but not HTTP.
    w.extend(record(
        "response",
        "dns",
        "Content-Type: text/dns",
        b"20240221080000\nnews.example. 600 IN A 192.0.2.1\n",
    ));
    w.extend(record(
        "response",
        "moved",
        "",
        &response("HTTP/1.1 301 Moved Permanently\nLocation: /new", b""),
    ));
    w.extend(record(
        "response",
        "gone",
        "",
        &response("HTTP/1.1 404 Not Found\nContent-Type: text/html", html),
    ));
    w.extend(record(
        "response",
        "h2",
        "",
        &response("HTTP/2 200\ncontent-type: text/html", html),
    ));
    // No Content-Type in the response: the payload type the crawler identified.
    w.extend(record(
        "response",
        "untyped",
        "WARC-Identified-Payload-Type: text/html",
        &response("HTTP/1.1 200 OK", html),
    ));
    w.extend(record("request", "req", "", b"GET / HTTP/1.1\r\n\r\n"));
    wd.write("in/variants.warc", &w);
    let out = wd.ok(&["extract", "in", "-o", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let docs = docs_of(&wd, "out");
    assert!(!docs.contains_key("dns") && !docs.contains_key("info") && !docs.contains_key("req"));
    assert!(!stderr.contains("dns"), "{stderr}");
    assert!(
        docs["moved"]["status"].contains("HTTP status 301 Moved Permanently (a redirect"),
        "{docs:?}"
    );
    assert!(
        docs["gone"]["status"].contains("HTTP status 404 Not Found"),
        "{docs:?}"
    );
    for id in ["h2", "untyped"] {
        assert_eq!(docs[id]["status"], "ok", "{id}: {docs:?}");
    }
}

#[test]
fn arc_files_are_read() {
    let wd = Workdir::new();
    let page = response("HTTP/1.1 200 OK\nContent-Type: text/html", PAGE.as_bytes());
    let version = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n";
    let mut arc = format!(
        "filedesc://old.arc 0.0.0.0 20140216050221 text/plain {}\n",
        version.len()
    )
    .into_bytes();
    arc.extend(version);
    arc.extend(b"\n");
    arc.extend(b"dns:news.example 192.0.2.1 20140216050221 text/dns 12\n20140216050\n\n");
    arc.extend(
        format!(
            "http://news.example/a 192.0.2.1 20140216050221 text/html {}\n",
            page.len()
        )
        .as_bytes(),
    );
    arc.extend(&page);
    arc.extend(b"\n");
    wd.write("in/old.arc.gz", gzip(&arc));
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    let docs = docs_of(&wd, "out");
    assert_eq!(docs.len(), 1, "{docs:?}");
    let d = &docs["old#3"];
    assert_eq!(d["status"], "ok");
    assert_eq!(d["url"], "http://news.example/a");
    assert!(
        canonicals(&wd, "out", "old#3").contains(&"Indian Space Research Organisation".to_string())
    );
}

#[test]
fn declared_charsets_are_decoded() {
    let wd = Workdir::new();
    let latin1 = b"<html><head><meta charset=\"ISO-8859-1\"><title>ESA</title></head><body><p>ESA Director General Jan W\xF6rner met ISRO officials.</p></body></html>";
    wd.write("in/meta.html", latin1);
    // In a WARC the HTTP header declares it.
    let mut block =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n".to_vec();
    block.extend(b"<p>ESA Director General Jan W\xF6rner met ISRO officials.</p>");
    wd.write("in/crawl.warc", record("response", "w", "", &block));
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    let docs = docs_of(&wd, "out");
    for id in ["meta", "w"] {
        assert!(
            docs[id]["warnings"].contains("read as windows-1252"),
            "{id}: {docs:?}"
        );
        assert!(
            canonicals(&wd, "out", id).contains(&"Johann-Dietrich Wörner".to_string()),
            "{id}"
        );
    }
    assert!(docs["meta"]["warnings"].contains("<meta>"));
    assert!(docs["w"]["warnings"].contains("HTTP"));
}

#[test]
fn page_furniture_is_not_read() {
    let wd = Workdir::new();
    let story = "<p>ISRO and CNES signed an agreement in Paris on the TRISHNA mission.</p><p>The two agencies will share the data.</p>";
    let rail = |name: &str| format!("<a href=\"/{name}\">Roscosmos and {name} talks</a>");
    let page = format!(
        "<html><head><title>Pact</title></head><body><div class=\"story\">{story}\
         <ul><li>{}</li><li>{}</li><li>{}</li></ul>\
         <div class=\"teaser-rail\"><p>Roscosmos chief visits</p></div>\
         <div class=\"most-read\"><p>Roscosmos in the news</p></div>\
         <div class=\"author-bio\"><p>She covered Roscosmos for years.</p></div>\
         <div class=\"cards\"><div class=\"card\">{}<p>Roscosmos summary one, a longer teaser text than the link.</p></div>\
         <div class=\"card\">{}<p>Roscosmos summary two, a longer teaser text than the link.</p></div>\
         <div class=\"card\">{}<p>Roscosmos summary three, a longer teaser text than the link.</p></div></div>\
         <p>From the section Roscosmos</p><p>From the section Roscosmos</p><p>From the section Roscosmos</p>\
         </div></body></html>",
        rail("a"),
        rail("b"),
        rail("c"),
        rail("d"),
        rail("e"),
        rail("f"),
    );
    wd.write("in/furniture.html", &page);
    // JSON-LD articleBody is the article when it is one, not a summary.
    let ld = r#"<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"2023-06-26T09:00:00Z","articleBody":"NASA and JAXA agreed to fly a Japanese astronaut to the Moon.\n\nThe agreement was signed in Washington."}</script></head><body><p>NASA and JAXA agreed.</p><p>Roscosmos newsletter sign-up text.</p></body></html>"#;
    wd.write("in/ld.html", ld);
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    let ents = wd.read("out/entities.csv");
    assert!(!ents.contains("Roscosmos"), "{ents}");
    let c = canonicals(&wd, "out", "furniture");
    assert!(
        c.contains(&"Indian Space Research Organisation".to_string()),
        "{c:?}"
    );
    let c = canonicals(&wd, "out", "ld");
    assert!(
        c.contains(&"Japan Aerospace Exploration Agency".to_string()),
        "{c:?}"
    );
    assert_eq!(docs_of(&wd, "out")["ld"]["date"], "2023-06-26");
}

#[test]
fn source_dates_in_many_forms() {
    let wd = Workdir::new();
    let line = |id: &str, date: serde_json::Value| {
        serde_json::json!({"id": id, "text": "ISRO and NASA met.", "date": date}).to_string() + "\n"
    };
    let dump = [
        line("slash", "26/06/2023".into()),
        line("compact", "20230626".into()),
        line("epoch", 1687737600.into()),
        line("iso", "2023-06-26T10:00:00Z".into()),
        line("bad", "next Tuesday-ish".into()),
    ]
    .concat();
    wd.write("in/d.jsonl", dump);
    // A page with no date of its own in a WARC: the crawl date, said so.
    let page = response("HTTP/1.1 200 OK\nContent-Type: text/html", PAGE.as_bytes());
    wd.write("in/c.warc", record("response", "crawled", "", &page));
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    let docs = docs_of(&wd, "out");
    for id in ["slash", "compact", "epoch", "iso"] {
        assert_eq!(docs[id]["date"], "2023-06-26", "{id}");
        assert_eq!(docs[id]["warnings"], "", "{id}");
    }
    assert_eq!(docs["bad"]["date"], "");
    assert!(
        docs["bad"]["warnings"].contains("\"next Tuesday-ish\" given by the source cannot be read"),
        "{:?}",
        docs["bad"]
    );
    assert_eq!(docs["crawled"]["date"], "2024-02-21");
    assert!(
        docs["crawled"]["warnings"].contains("crawl date"),
        "{:?}",
        docs["crawled"]
    );
}

#[test]
fn a_date_does_not_span_a_paragraph_break() {
    let wd = Workdir::new();
    wd.write(
        "in/a.txt",
        "ISRO review\n\nThe review closed in Dec\n\n2012 was the year ISRO and NASA met.",
    );
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    for r in csv_rows(&wd.read("out/entities.csv")) {
        assert!(!(r["type"] == "DATE" && r["text"].contains('\n')), "{r:?}");
    }
}

#[test]
fn json_documents_and_titles() {
    let wd = Workdir::new();
    // news-please: one pretty-printed object per .json file.
    let np = serde_json::json!({
        "title": "India’s pact with France",
        "maintext": "India and France signed a space agreement.",
        "date_publish": "2023-06-26 10:00:00",
        "url": "https://news.example/np",
    });
    wd.write("in/np.json", serde_json::to_string_pretty(&np).unwrap());
    // A JSON array of records (pandas, jq), Trafilatura's `source` address.
    let arr = serde_json::json!([
        {"id": "t1", "title": "ISRO", "text": "ISRO and CNES met.", "source": "https://news.example/t1"},
        {"id": "t2", "text": "NASA and ESA met.", "source": "Wire service"},
    ]);
    wd.write("in/arr.json", serde_json::to_string_pretty(&arr).unwrap());
    // JSON lines stay JSON lines, in a .json file too.
    wd.write(
        "in/lines.json",
        "{\"id\":\"l1\",\"text\":\"NASA met ISRO.\"}\n{\"id\":\"l2\",\"text\":\"ESA met ISRO.\"}\n",
    );
    // A title is kept although the text starts with the same words.
    wd.write(
        "in/t.jsonl",
        serde_json::json!({"id": "same", "title": "India and France", "text": "India and France signed a pact."}).to_string(),
    );
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    let docs = docs_of(&wd, "out");
    assert_eq!(docs["np"]["status"], "ok", "{docs:?}");
    assert_eq!(docs["np"]["title"], "India’s pact with France");
    assert_eq!(docs["np"]["date"], "2023-06-26");
    assert_eq!(docs["np"]["url"], "https://news.example/np");
    assert_eq!(docs["t1"]["url"], "https://news.example/t1");
    assert_eq!(docs["t2"]["url"], "");
    assert_eq!(docs["t2"]["status"], "ok");
    assert_eq!(docs["l1"]["status"], "ok");
    assert_eq!(docs["l2"]["source"], "in/lines.json:2");
    assert_eq!(docs["same"]["title"], "India and France");
    assert_eq!(docs["same"]["bytes"], "49");
}

#[test]
fn cr_cr_lf_lines_and_a_status_without_text() {
    let wd = Workdir::new();
    let html = PAGE.as_bytes();
    // pywb's file: every line ends CR CR LF, the status has no text.
    let crcrlf = record_eol(
        "response",
        "crcrlf",
        "",
        &response("HTTP/1.0 200 \nContent-Type: text/html", html)
            .iter()
            .flat_map(|&b| {
                if b == b'\r' {
                    vec![b'\r', b'\r']
                } else {
                    vec![b]
                }
            })
            .collect::<Vec<u8>>(),
        "\r\r\n",
    );
    wd.write("in/crcrlf.warc", &crcrlf);
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    assert_eq!(docs_of(&wd, "out")["crcrlf"]["status"], "ok");
}

#[test]
fn a_jsonl_title_is_kept_when_the_text_starts_with_its_words() {
    let wd = Workdir::new();
    wd.write(
        "in/t.jsonl",
        serde_json::json!({"id": "same", "title": "India and France", "text": "India and France signed a pact."}).to_string()
            + "\n"
            + &serde_json::json!({"id": "dup", "title": "India and France", "text": "India and France\n\nThey signed a pact."}).to_string(),
    );
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    let docs = docs_of(&wd, "out");
    assert_eq!(docs["same"]["title"], "India and France");
    assert_eq!(docs["same"]["bytes"], "49");
    // A text whose first line is the title is read as it is.
    assert_eq!(docs["dup"]["bytes"], "37");
}

#[test]
fn the_title_column_keeps_the_sources_characters() {
    let wd = Workdir::new();
    wd.write(
        "in/a.txt",
        "India\u{2019}s pact \u{2014} with France\n\nIndia and France signed a pact.",
    );
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    assert_eq!(
        docs_of(&wd, "out")["a"]["title"],
        "India\u{2019}s pact \u{2014} with France"
    );
}
