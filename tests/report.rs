//! `accord report` end to end: extract a small corpus, then report on it.

use crate::util::{Workdir, repo};

/// The JSON block of a report page, parsed.
fn data(page: &str) -> serde_json::Value {
    let open = "<script type=\"application/json\" id=\"data\">";
    let start = page.find(open).expect("data block") + open.len();
    let len = page[start..].find("</script>").expect("end of data block");
    serde_json::from_str(&page[start..start + len]).expect("data block is JSON")
}

const HOSTILE: &str = "<script>alert(1)</script> India and France sign a space pact\n\n\
New Delhi, March 6, 2024: India and France signed the Letter of Intent on Defence Space \
Cooperation. <script>alert(1)</script> <img src=x onerror=alert(2)> The two countries \
will work together.\n";

#[test]
fn extract_then_report_writes_one_page_with_the_corpus_relations() {
    let wd = Workdir::new();
    for e in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let p = e.unwrap().path();
        wd.write(
            &format!("in/{}", p.file_name().unwrap().to_str().unwrap()),
            std::fs::read(&p).unwrap(),
        );
    }
    wd.write("in/hostile.txt", HOSTILE);
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    let out = wd.ok(&["report", "out"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wrote out/report.html"), "{err}");
    let page = wd.read("out/report.html");
    assert!(page.starts_with("<!DOCTYPE html>"));
    // Self-contained: nothing is fetched.
    for external in ["src=\"http", "href=\"http", "@import", "url("] {
        assert!(!page.contains(external), "{external}");
    }
    // The article's script is text, not script.
    assert_eq!(page.matches("<script").count(), 2);
    assert!(!page.contains("<img src=x"));
    let v = data(&page);
    let rels = v["rels"].as_array().unwrap();
    let loi = rels
        .iter()
        .find(|r| r[0] == "agreement" && r[3] == "Letter of Intent on Defence Space Cooperation")
        .expect("the Letter of Intent");
    assert_eq!((&loi[1], &loi[2]), (&"France".into(), &"India".into()));
    // The India–France agreement edge is drawn.
    assert!(page.contains("class=\"edge k-agreement\""));
    assert!(page.contains("data-a=\"France\" data-b=\"India\""));
    let docs = v["docs"].as_array().unwrap();
    let hostile = docs.iter().find(|d| d["id"] == "hostile").expect("listed");
    assert!(hostile["title"].as_str().unwrap().starts_with("<script>"));
    let text = &v["texts"][hostile["text"].as_u64().unwrap() as usize]["text"];
    assert_eq!(text.as_str().unwrap(), HOSTILE);
    // Summary: documents read and the run's fingerprint.
    let manifest = wd.read("out/accord-manifest.csv");
    let fp = manifest
        .lines()
        .next()
        .unwrap()
        .strip_prefix("# fingerprint ")
        .unwrap();
    assert!(page.contains(&format!("<code>{fp}</code>")));
    assert!(page.contains("6 documents read"));

    // The same input gives the same page, byte for byte.
    wd.ok(&["report", "out", "-o", "again.html", "-q"]);
    assert_eq!(wd.read("again.html"), page);

    // Filters: only missions.
    wd.ok(&[
        "report",
        "out",
        "-o",
        "missions.html",
        "--kind",
        "mission",
        "-q",
    ]);
    let v = data(&wd.read("missions.html"));
    let rels = v["rels"].as_array().unwrap();
    assert!(!rels.is_empty());
    assert!(rels.iter().all(|r| r[0] == "mission"));
    // A kind that is not there is said, not silently an empty page.
    let out = wd.ok(&["report", "out", "-o", "none.html", "--kind", "misions"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--kind misions: no relation of that kind"),
        "{err}"
    );

    // With aggregate's output beside it, the page says it read relations.csv
    // and shows the same relations.
    wd.ok(&["aggregate", "out", "-o", "out", "-q"]);
    wd.ok(&["report", "out", "-o", "agg.html", "-q"]);
    let agg = wd.read("agg.html");
    assert!(agg.contains("read from out/relations.csv"));
    assert_eq!(data(&agg)["rels"], data(&page)["rels"]);
}

#[test]
fn bad_input_is_named_with_its_file_and_line() {
    let wd = Workdir::new();
    let out = wd.accord(&["report", "missing"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing: not an output directory"), "{err}");
    assert!(!wd.path().join("missing").exists());

    let wd = Workdir::new();
    wd.write("in/a.txt", HOSTILE);
    wd.ok(&["extract", "in", "-o", "out", "-q"]);
    let mut triples = std::fs::read(wd.path().join("out/triples.csv")).unwrap();
    // The new row's line: one past the rows already there.
    let lines = triples.iter().filter(|&&b| b == b'\n').count() + 1;
    triples
        .extend_from_slice(b"India,Japan,\xff,agreement,a,x,COUNTRY,COUNTRY,,0,1,signed,0.9,r\n");
    wd.write("out/triples.csv", triples);
    let out = wd.ok(&["report", "out", "-q"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("out/triples.csv:{lines}: invalid UTF-8")),
        "{err}"
    );
    // The page is written, and lists the problem.
    assert!(wd.read("out/report.html").contains("Input problems"));
    let out = wd.accord(&["report", "out", "--since", "last year"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since last year"));
}
