//! The data the page embeds, built from small output directories written
//! here: counts, edges, filters, escaping, embedded texts, determinism.

use std::path::{Path, PathBuf};

use super::data::{self, Filters, Limits, Report, day_number, iso_date, safe_url};
use super::html;

const DOCS: &str = "doc_id,source,title,date,bytes,status,warnings,url,duplicate_of
a,SRC/a.txt,India and France,2024-03-05,10,ok,,https://example.org/a,
b,SRC/b.txt,<script>alert(1)</script> India,2024-03-06,10,ok,,javascript:alert(1),
c,SRC/c.txt,Copy of a,2024-03-07,10,ok,,,a
d,SRC/d.txt,Old news,2023-01-10,10,ok,,,
e,SRC/e.pdf,,,0,skipped: not a text file (.pdf),,,
f,SRC/f.pdf,,,0,skipped: not a text file (.pdf),,,
g,SRC/g.bin,,,0,skipped: binary (NUL at byte 12),,,
";

const TRIPLES: &str = "subject,object,relation,kind,doc_id,evidence,subject_type,object_type,date,evidence_start,evidence_end,status,confidence,rule
India,France,Letter of Intent on Defence Space Cooperation,agreement,a,India and France signed the Letter of Intent on Defence Space Cooperation.,COUNTRY,COUNTRY,2024-03-05,0,10,signed,0.90,between
France,India,the Letter of Intent,agreement,b,<script>alert(1)</script> France and India signed the Letter of Intent.,COUNTRY,COUNTRY,2024-03-06,0,10,signed,0.85,a-and-b-verb
India,France,Letter of Intent on Defence Space Cooperation,agreement,c,India and France signed the Letter of Intent on Defence Space Cooperation.,COUNTRY,COUNTRY,2024-03-07,0,10,signed,0.90,between
India,France,Trishna,mission,a,India and France build Trishna.,COUNTRY,COUNTRY,2024-03-05,0,10,planned,0.85,a-and-b-verb
Indian Space Research Organisation,Centre national d'études spatiales,Memorandum of Understanding,agreement,d,ISRO and CNES signed an MoU.,AGENCY,AGENCY,2023-01-10,0,10,signed,0.90,a-and-b-verb
Vinay Kwatra,India,Foreign Secretary,role,a,Foreign Secretary Vinay Kwatra from India.,PERSON,COUNTRY,2024-03-05,0,10,stated,0.85,name-from-country
";

/// Article texts; `a` has a non-ASCII letter before its entities, so byte
/// and UTF-16 offsets differ.
const TEXT_A: &str =
    "Descôtes: India and France signed the Letter of Intent on Defence Space Cooperation.\n";
const TEXT_B: &str =
    "<script>alert(1)</script> France and India signed the Letter of Intent.\u{2028}\n";

/// A directory shaped like `extract`'s output, and the article files it names.
fn fixture(root: &Path) -> PathBuf {
    let src = root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let out = root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let src_s = src.to_str().unwrap();
    std::fs::write(out.join("documents.csv"), DOCS.replace("SRC", src_s)).unwrap();
    std::fs::write(out.join("triples.csv"), TRIPLES).unwrap();
    std::fs::write(src.join("a.txt"), TEXT_A).unwrap();
    std::fs::write(src.join("b.txt"), TEXT_B).unwrap();
    std::fs::write(src.join("c.txt"), TEXT_A).unwrap();
    // d's source is gone: its view shows evidence only.
    let at = |text: &str, what: &str| {
        let s = text.find(what).unwrap();
        (s, s + what.len())
    };
    let mut ents = String::from("doc_id,type,canonical,entity_id,text,start,end,rule\n");
    for (doc, text) in [("a", TEXT_A), ("b", TEXT_B), ("c", TEXT_A)] {
        for (ty, name) in [("COUNTRY", "India"), ("COUNTRY", "France")] {
            let (s, e) = at(text, name);
            ents.push_str(&format!(
                "{doc},{ty},{name},country:x,{name},{s},{e},gazetteer\n"
            ));
        }
    }
    ents.push_str("d,AGENCY,Indian Space Research Organisation,agency:isro,ISRO,0,4,gazetteer\n");
    ents.push_str("d,AGENCY,Centre national d'études spatiales,agency:cnes,CNES,9,13,gazetteer\n");
    std::fs::write(out.join("entities.csv"), ents).unwrap();
    std::fs::write(
        out.join("accord-manifest.csv"),
        "# fingerprint 00ff\ndoc_id,content_hash,sketch\n",
    )
    .unwrap();
    out
}

fn report(dir: &Path, filters: &Filters) -> Report {
    data::build(
        data::load(&[dir.to_path_buf()]).unwrap(),
        filters,
        Limits::default(),
    )
    .unwrap()
}

fn find<'a>(r: &'a Report, kind: &str, relation: &str) -> Option<&'a aggregate::Relation> {
    r.relations
        .iter()
        .find(|x| x.kind == kind && x.relation == relation)
}

use crate::aggregate;

#[test]
fn counts_documents_relations_and_skips() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture(tmp.path());
    let r = report(&dir, &Filters::default());
    assert_eq!((r.docs_total, r.docs_read, r.docs_duplicates), (7, 4, 1));
    assert_eq!(
        r.skipped,
        [
            ("not a text file (.pdf)".to_string(), 2),
            ("binary (NUL at byte".to_string(), 1)
        ]
    );
    assert_eq!(r.triples, 6);
    assert_eq!(r.fingerprints, ["00ff"]);
    // aggregate's folding: "the Letter of Intent" joins the long name; the
    // near-duplicate c counts with a.
    let loi = find(
        &r,
        "agreement",
        "Letter of Intent on Defence Space Cooperation",
    )
    .unwrap();
    assert_eq!(loi.doc_ids, ["a", "b", "c"]);
    assert_eq!(loi.sources, 2);
    assert_eq!(
        (loi.first_date.as_str(), loi.last_date.as_str()),
        ("2024-03-05", "2024-03-07")
    );
    assert_eq!(r.relations.len(), 4);
    assert!(
        r.relations_from.contains("computed"),
        "{}",
        r.relations_from
    );
    // Top pair and top instrument.
    assert_eq!(
        (r.top_pairs[0].a.as_str(), r.top_pairs[0].b.as_str()),
        ("France", "India")
    );
    assert_eq!((r.top_pairs[0].documents, r.top_pairs[0].relations), (2, 2));
    assert_eq!(r.relations[r.top_instruments[0]].relation, loi.relation);
}

#[test]
fn nodes_are_parties_sized_by_mentions_and_edges_are_kinds_weighted_by_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture(tmp.path());
    let r = report(&dir, &Filters::default());
    let names: Vec<(&str, &str, u64)> = r
        .nodes
        .iter()
        .map(|n| (n.name.as_str(), n.etype.as_str(), n.mentions))
        .collect();
    // Roles draw no node: Vinay Kwatra is not there.
    assert_eq!(
        names,
        [
            ("Centre national d'études spatiales", "AGENCY", 1),
            ("France", "COUNTRY", 3),
            ("India", "COUNTRY", 3),
            ("Indian Space Research Organisation", "AGENCY", 1),
        ]
    );
    let edge = |kind: &str| {
        r.edges
            .iter()
            .find(|e| e.kind == kind && r.nodes[e.a].name == "France")
            .unwrap()
    };
    assert_eq!(edge("agreement").documents, 2);
    assert_eq!(r.nodes[edge("agreement").b].name, "India");
    assert_eq!(edge("mission").documents, 1);
    assert_eq!(r.edges.len(), 3);
    // The timeline covers the dated articles of every kind but roles.
    assert_eq!(r.timeline.unit, "week");
    assert_eq!(iso_date(r.timeline.d0), "2023-01-10");
    assert!(r.timeline.d1 >= day_number("2024-03-07").unwrap());
    assert_eq!(r.timeline.undated, 0);
}

#[test]
fn filters_kind_min_documents_and_period() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture(tmp.path());
    let kinds = report(
        &dir,
        &Filters {
            kinds: vec!["mission".into()],
            ..Filters::default()
        },
    );
    assert_eq!(kinds.relations.len(), 1);
    assert_eq!(kinds.relations[0].relation, "Trishna");
    assert_eq!(kinds.relations_before_filters, 4);
    let min = report(
        &dir,
        &Filters {
            min_documents: 2,
            ..Filters::default()
        },
    );
    assert_eq!(min.relations.len(), 1);
    assert_eq!(min.relations[0].sources, 2);
    // A period: counts and dates are over its articles only.
    let period = report(
        &dir,
        &Filters {
            since: Some("2024-03-06".into()),
            until: Some("2024-03".into()),
            ..Filters::default()
        },
    );
    let loi = find(
        &period,
        "agreement",
        "Letter of Intent on Defence Space Cooperation",
    )
    .unwrap();
    assert_eq!(loi.doc_ids, ["b", "c"]);
    assert_eq!(loi.first_date, "2024-03-06");
    assert!(find(&period, "mission", "Trishna").is_none());
    assert!(find(&period, "agreement", "Memorandum of Understanding").is_none());
    assert_eq!(period.docs_in_period, 2);
    assert!(period.relations_from.contains("period"));
    let until = report(
        &dir,
        &Filters {
            until: Some("2023".into()),
            ..Filters::default()
        },
    );
    assert_eq!(until.relations.len(), 1);
    assert_eq!(until.relations[0].relation, "Memorandum of Understanding");
}

#[test]
fn period_bounds_and_dates() {
    let f = Filters {
        since: Some("2024-03".into()),
        until: Some("2024-04".into()),
        ..Filters::default()
    };
    for (date, kept) in [
        ("2024-03-01", true),
        ("2024-04-30", true),
        ("2024-02-29", false),
        ("2024-05-01", false),
        ("", false),
        ("XXXX-03-05", false),
    ] {
        assert_eq!(f.in_period(date), kept, "{date}");
    }
    assert!(Filters::default().in_period(""));
    for d in ["2024", "2024-03", "2024-03-05"] {
        assert!(data::is_iso_date(d), "{d}");
    }
    for d in ["24", "2024-3", "2024/03/05", "2024-03-05T00"] {
        assert!(!data::is_iso_date(d), "{d}");
    }
    assert_eq!(day_number("1970-01-01"), Some(0));
    assert_eq!(day_number("2024-03-05"), Some(19_787));
    assert_eq!(day_number("2024-03"), day_number("2024-03-01"));
    assert_eq!(day_number("2024-13-01"), None);
    for d in [-1, 0, 59, 19_787, 2_000_000] {
        assert_eq!(day_number(&iso_date(d)), Some(d), "{d}");
    }
    assert_eq!(safe_url("https://x.org/a?b=<c>"), "https://x.org/a?b=<c>");
    assert_eq!(safe_url(" javascript:alert(1)"), "");
    assert_eq!(safe_url("data:text/html,x"), "");
}

#[test]
fn article_strings_are_escaped_in_html_and_in_the_json_block() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture(tmp.path());
    let r = report(&dir, &Filters::default());
    let page = html::page(&r);
    // Only the page's own two script elements open.
    assert_eq!(page.matches("<script").count(), 2, "{page}");
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains('\u{2028}'));
    // The JSON block holds the strings, escaped, and parses back to them.
    let start = page
        .find("<script type=\"application/json\" id=\"data\">")
        .unwrap();
    let body = &page[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    assert!(!body.contains('<') && !body.contains('>') && !body.contains('&'));
    assert!(body.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v, html::data(&r));
    let b = v["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "b")
        .unwrap();
    assert_eq!(b["title"], "<script>alert(1)</script> India");
    // A javascript: address is no link.
    assert_eq!(b["url"], "");
    let text = &v["texts"][b["text"].as_u64().unwrap() as usize]["text"];
    assert_eq!(text.as_str().unwrap(), TEXT_B);
    // Escaping by itself.
    assert_eq!(
        html::escape("<a href=\"x\">'&'</a>"),
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    );
    assert_eq!(
        html::script_json(&serde_json::json!(["</script>\u{2028}\u{2029}&"])),
        "[\"\\u003c/script\\u003e\\u2028\\u2029\\u0026\"]"
    );
}

#[test]
fn texts_are_read_back_with_utf16_offsets_or_say_why_not() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture(tmp.path());
    let r = report(&dir, &Filters::default());
    let view = |id: &str| {
        let d = r.docs.iter().find(|d| d.id == id).unwrap();
        &r.texts[d.text.unwrap()]
    };
    let a = view("a");
    let text = a.text.as_deref().unwrap();
    let utf16: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(a.ents.len(), 2);
    for (s, e, ty, canonical) in &a.ents {
        assert_eq!(String::from_utf16(&utf16[*s..*e]).unwrap(), *canonical);
        assert_eq!(ty, "COUNTRY");
    }
    assert_eq!(a.triples.len(), 3);
    // d's file is gone: evidence only, and why.
    let d = view("d");
    assert!(d.text.is_none());
    assert!(d.why.contains("cannot be read"), "{}", d.why);
    assert_eq!(d.triples[0][5], "ISRO and CNES signed an MoU.");
    // A file changed since extract read it is not shown with stale offsets.
    std::fs::write(tmp.path().join("src/a.txt"), "Changed.\n").unwrap();
    let r = report(&dir, &Filters::default());
    let a = &r.texts[r.docs[0].text.unwrap()];
    assert!(a.text.is_none());
    assert!(a.why.contains("no longer holds"), "{}", a.why);
}

#[test]
fn embedded_views_are_capped_and_the_page_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture(tmp.path());
    let limits = Limits {
        text_docs: 1,
        ..Limits::default()
    };
    let r = data::build(
        data::load(std::slice::from_ref(&dir)).unwrap(),
        &Filters::default(),
        limits,
    )
    .unwrap();
    assert_eq!(r.texts.len(), 1);
    // The evidence document of the best-supported relation comes first.
    assert_eq!(r.docs[r.texts[0].doc].id, "a");
    assert_eq!(r.texts_omitted, 3);
    let page = html::page(&r);
    assert!(
        page.contains("3 more documents cited by relations show their evidence sentences only")
    );
}

#[test]
fn aggregate_output_is_used_when_current_and_bad_rows_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture(tmp.path());
    let computed = report(&dir, &Filters::default());
    let agg = aggregate::aggregate(std::slice::from_ref(&dir), false).unwrap();
    aggregate::write(&dir, &agg, accord_io::output::CsvOptions::default()).unwrap();
    let read = report(&dir, &Filters::default());
    assert!(
        read.relations_from.contains("relations.csv"),
        "{}",
        read.relations_from
    );
    assert_eq!(read.relations, computed.relations);
    assert_eq!(html::data(&read), html::data(&computed));
    // A malformed row: reported with file and line, the others read.
    let mut triples = TRIPLES.as_bytes().to_vec();
    triples.extend_from_slice(
        b"India,Japan,\xff\xfe,agreement,a,x,COUNTRY,COUNTRY,2024-03-05,0,1,signed,0.9,r\n",
    );
    triples.extend_from_slice(b"short,row\n");
    std::fs::write(dir.join("triples.csv"), triples).unwrap();
    // Newer than relations.csv whatever the file system's clock resolution.
    std::fs::File::options()
        .write(true)
        .open(dir.join("triples.csv"))
        .unwrap()
        .set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(10))
        .unwrap();
    let r = report(&dir, &Filters::default());
    let where_ = dir.join("triples.csv").display().to_string();
    assert!(
        r.problems
            .iter()
            .any(|p| p.starts_with(&format!("{where_}:8:")) && p.contains("UTF-8")),
        "{:?}",
        r.problems
    );
    assert!(
        r.problems
            .iter()
            .any(|p| p.starts_with(&format!("{where_}:9:"))),
        "{:?}",
        r.problems
    );
    // A bad entities row is read by aggregate's copy and for the texts: said once.
    let mut ents = std::fs::read(dir.join("entities.csv")).unwrap();
    ents.extend_from_slice(b"a,COUNTRY,\xff,x,India,0,5,gazetteer\n");
    std::fs::write(dir.join("entities.csv"), ents).unwrap();
    let again = report(&dir, &Filters::default());
    let bad_entity: Vec<_> = again
        .problems
        .iter()
        .filter(|p| p.contains("entities.csv:"))
        .collect();
    assert_eq!(bad_entity.len(), 1, "{:?}", again.problems);
    // triples.csv is now newer than relations.csv: recomputed, from the good rows.
    assert!(
        r.relations_from.contains("rows that could be read"),
        "{}",
        r.relations_from
    );
    assert_eq!(r.relations, computed.relations);
    // A missing directory is an error that names it.
    let e = data::load(&[tmp.path().join("nope")])
        .unwrap_err()
        .to_string();
    assert!(e.contains("nope"), "{e}");
}

#[test]
fn same_input_same_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture(tmp.path());
    let one = html::page(&report(&dir, &Filters::default()));
    let two = html::page(&report(&dir, &Filters::default()));
    assert_eq!(one, two);
}
