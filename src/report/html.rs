//! The page: static HTML and SVG written here, one JSON block with the data
//! the script needs, and the script itself (`page.js`, hand-written, no
//! library), which fills the table, draws the timeline's bars and answers
//! clicks.
//!
//! Escaping: every string from an article goes through [`escape`] into HTML
//! text or a quoted attribute, or through [`script_json`] into the JSON
//! block, where `<`, `>`, `&`, U+2028 and U+2029 are written as `\uXXXX`
//! escapes, so no article text can close the `<script>` element. The script
//! puts strings into the page with `textContent` and attribute setters only,
//! and links only `http(s)://` addresses ([`super::data::safe_url`]).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::data::{Report, iso_date};
use super::layout::{HEIGHT, WIDTH};

const CSS: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Rows per table page.
pub const PAGE_SIZE: usize = 50;

/// Timeline drawing: width, plot left and right, bar top and axis line.
const TL_WIDTH: f64 = 1000.0;
const TL_X0: f64 = 40.0;
const TL_X1: f64 = 990.0;
const TL_TOP: f64 = 10.0;
const TL_AXIS: f64 = 130.0;

/// `s` escaped for HTML text and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `value` as JSON that is safe inside `<script type="application/json">`:
/// `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes (they can only occur
/// inside JSON strings, where the escapes mean the same characters).
pub fn script_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The data block the script reads.
pub fn data(report: &Report) -> Value {
    let doc_at: std::collections::HashMap<&str, usize> = report
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let rels: Vec<Value> = report
        .relations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!([
                r.kind,
                r.subject,
                r.object,
                r.relation,
                r.sources,
                report.relation_docs[i],
                r.first_date,
                r.last_date,
                r.evidence,
                doc_at.get(r.evidence_doc_id.as_str()),
                format!("{:.2}", r.confidence),
                r.subject_type,
                r.object_type,
                report.relation_days[i],
            ])
        })
        .collect();
    let t = &report.timeline;
    json!({
        "rels": rels,
        "nodes": report.nodes,
        "edges": report.edges,
        "docs": report.docs,
        "texts": report.texts,
        "tl": {
            "d0": t.d0,
            "d1": t.d1,
            "unit": t.unit,
            "bins": t.bins,
            "x0": TL_X0,
            "x1": TL_X1,
            "top": TL_TOP,
            "axis": TL_AXIS,
        },
        "pageSize": PAGE_SIZE,
        "textDocs": report.limits.text_docs,
        "textsOmitted": report.texts_omitted,
    })
}

/// The whole page.
pub fn page(report: &Report) -> String {
    let mut h = String::with_capacity(1 << 16);
    let shown = report.relations.len();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Nothing may be fetched: the page is complete in itself.
    h.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>accord report</title>\n<style>\n");
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n");
    let _ = write!(
        h,
        "<header><h1>accord report</h1><p class=\"sub\">{} documents read, {} relations shown \
         &middot; accord {}{}</p>\n<nav><a href=\"#network\">Network</a> <a href=\"#timeline\">Timeline</a> \
         <a href=\"#relations\">Relations</a> <a href=\"#document\">Document</a> \
         <a href=\"#summary\">Summary</a></nav></header>\n",
        report.docs_read,
        shown,
        escape(&report.version),
        filters_text(report)
            .map(|f| format!(" &middot; {}", escape(&f)))
            .unwrap_or_default(),
    );
    h.push_str("<pre id=\"errors\" role=\"alert\"></pre>\n");
    network(&mut h, report);
    timeline(&mut h, report);
    table(&mut h, report);
    h.push_str(
        "<section id=\"document\"><h2>Document</h2><div id=\"doc-view\"><p class=\"hint\">\
         Follow an evidence or document link to read the article here, its entities \
         highlighted by type, with its triples.</p></div></section>\n",
    );
    summary(&mut h, report);
    h.push_str("<script type=\"application/json\" id=\"data\">");
    h.push_str(&script_json(&data(report)));
    h.push_str("</script>\n<script>\n");
    h.push_str(SCRIPT);
    h.push_str("</script>\n</body>\n</html>\n");
    h
}

/// The filters applied, in words; `None` when there are none.
fn filters_text(report: &Report) -> Option<String> {
    let f = &report.filters;
    let mut parts = Vec::new();
    if !f.kinds.is_empty() {
        parts.push(format!("kinds {}", f.kinds.join(", ")));
    }
    if let Some(s) = &f.since {
        parts.push(format!("since {s}"));
    }
    if let Some(u) = &f.until {
        parts.push(format!("until {u}"));
    }
    if f.min_documents > 1 {
        parts.push(format!("at least {} documents", f.min_documents));
    }
    (!parts.is_empty()).then(|| format!("filtered: {}", parts.join("; ")))
}

/// The kinds that have their own colour.
const KINDS: [&str; 3] = ["agreement", "mission", "dialogue"];

/// A CSS class name made of `s`'s ASCII letters.
fn class_word(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphabetic).collect()
}

fn network(h: &mut String, report: &Report) {
    h.push_str("<section id=\"network\"><h2>Cooperation network</h2>\n");
    h.push_str(
        "<p class=\"legend\"><span class=\"sw t-COUNTRY\"></span>country \
         <span class=\"sw t-AGENCY\"></span>agency <span class=\"sw t-ORG\"></span>organisation \
         <span class=\"sw t-other\"></span>other &middot; \
         <span class=\"ln k-agreement\"></span>agreement <span class=\"ln k-mission\"></span>mission \
         <span class=\"ln k-dialogue\"></span>dialogue &middot; node size: mentions; \
         line width: supporting documents. Hover an edge to see the pair, click it (or a node) \
         for what they share.</p>\n",
    );
    if report.nodes_omitted > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\">The network shows the {} most connected parties; {} more are in \
             the table only.</p>",
            report.nodes.len(),
            report.nodes_omitted
        );
    }
    h.push_str("<div class=\"net-wrap\">\n");
    let _ = writeln!(
        h,
        "<svg id=\"net\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"cooperation network\">"
    );
    if report.nodes.is_empty() {
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" class=\"empty\" text-anchor=\"middle\">No cooperation between \
             two parties in these articles.</text>",
            WIDTH / 2.0,
            HEIGHT / 2.0
        );
    }
    h.push_str("<g id=\"edges\">\n");
    // Edges between one pair fan out, one curve per kind.
    let mut per_pair: std::collections::BTreeMap<(usize, usize), Vec<usize>> = Default::default();
    for (i, e) in report.edges.iter().enumerate() {
        per_pair.entry((e.a, e.b)).or_default().push(i);
    }
    let max_docs = report.edges.iter().map(|e| e.documents).max().unwrap_or(1) as f64;
    for ((a, b), list) in &per_pair {
        let (na, nb) = (&report.nodes[*a], &report.nodes[*b]);
        let (dx, dy) = (nb.x - na.x, nb.y - na.y);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (px, py) = (-dy / len, dx / len);
        for (j, &i) in list.iter().enumerate() {
            let e = &report.edges[i];
            let off = (j as f64 - (list.len() - 1) as f64 / 2.0) * 22.0;
            let (cx, cy) = (
                (na.x + nb.x) / 2.0 + px * off,
                (na.y + nb.y) / 2.0 + py * off,
            );
            let width = 1.5 + 6.5 * (e.documents as f64 / max_docs).sqrt();
            let kind = if KINDS.contains(&e.kind.as_str()) {
                class_word(&e.kind)
            } else {
                "other".into()
            };
            let _ = writeln!(
                h,
                "<path class=\"edge k-{kind}\" data-e=\"{i}\" data-a=\"{}\" data-b=\"{}\" \
                 d=\"M{:.1} {:.1}Q{:.1} {:.1} {:.1} {:.1}\" stroke-width=\"{width:.1}\">\
                 <title>{} \u{2013} {}: {} ({} document{})</title></path>",
                escape(&na.name),
                escape(&nb.name),
                na.x,
                na.y,
                cx,
                cy,
                nb.x,
                nb.y,
                escape(&na.name),
                escape(&nb.name),
                escape(&e.kind),
                e.documents,
                if e.documents == 1 { "" } else { "s" },
            );
        }
    }
    h.push_str("</g>\n<g id=\"nodes\">\n");
    for (i, n) in report.nodes.iter().enumerate() {
        let t = match n.etype.as_str() {
            "COUNTRY" | "AGENCY" | "ORG" => n.etype.as_str(),
            _ => "other",
        };
        let _ = writeln!(
            h,
            "<g class=\"node t-{t}\" data-n=\"{i}\" transform=\"translate({:.1} {:.1})\">\
             <circle r=\"{:.1}\"></circle><text y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <title>{} ({}): {} mention{}</title></g>",
            n.x,
            n.y,
            n.r,
            n.r + 12.0,
            escape(&n.name),
            escape(&n.name),
            escape(&n.etype),
            n.mentions,
            if n.mentions == 1 { "" } else { "s" },
        );
    }
    h.push_str("</g>\n</svg>\n");
    h.push_str(
        "<aside id=\"details\"><p id=\"hover\" class=\"hint\">Hover an edge to see the pair.</p>\
         <div id=\"details-body\"><p class=\"hint\">Click an edge or a node to see its \
         instruments, missions and dialogues.</p></div></aside>\n</div>\n</section>\n",
    );
}

fn timeline(h: &mut String, report: &Report) {
    let t = &report.timeline;
    h.push_str("<section id=\"timeline\"><h2>Timeline</h2>\n<div class=\"filters\">\n");
    // Filter choices: the parties of the relations shown, by type.
    let mut countries = std::collections::BTreeSet::new();
    let mut agencies = std::collections::BTreeSet::new();
    let mut kinds = std::collections::BTreeSet::new();
    for r in &report.relations {
        kinds.insert(r.kind.as_str());
        for (name, ty) in [(&r.subject, &r.subject_type), (&r.object, &r.object_type)] {
            match ty.as_str() {
                "COUNTRY" => {
                    countries.insert(name.as_str());
                }
                "AGENCY" => {
                    agencies.insert(name.as_str());
                }
                _ => {}
            }
        }
    }
    let select = |h: &mut String, id: &str, all: &str, items: &std::collections::BTreeSet<&str>| {
        let _ = write!(
            h,
            "<label>{all} <select id=\"{id}\"><option value=\"\">all</option>"
        );
        for i in items {
            let _ = write!(h, "<option value=\"{0}\">{0}</option>", escape(i));
        }
        h.push_str("</select></label>\n");
    };
    select(h, "f-country", "Country", &countries);
    select(h, "f-agency", "Agency", &agencies);
    select(h, "f-kind", "Kind", &kinds);
    h.push_str(
        "<span>Period: <b id=\"period\">all dates</b></span> \
         <button id=\"clear-period\" type=\"button\">all dates</button>\n</div>\n",
    );
    h.push_str(
        "<p class=\"hint\">Agreements, missions and dialogues by article date, one count per \
         relation and article day. Drag across the chart to choose a period, click a bar for \
         its period; the filters apply to the network and the table too.</p>\n",
    );
    let _ = writeln!(
        h,
        "<svg id=\"tl\" viewBox=\"0 0 {TL_WIDTH} 160\" role=\"img\" aria-label=\"timeline\" \
         data-unit=\"{}\">",
        escape(&t.unit)
    );
    let _ = writeln!(
        h,
        "<line class=\"axis\" x1=\"{TL_X0}\" y1=\"{TL_AXIS}\" x2=\"{TL_X1}\" y2=\"{TL_AXIS}\"></line>"
    );
    if t.bins.is_empty() {
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"70\" text-anchor=\"middle\" class=\"empty\">No dated article.</text>",
            TL_WIDTH / 2.0
        );
    } else {
        let span = (t.d1 + 1 - t.d0) as f64;
        let x = |d: i64| TL_X0 + (d - t.d0) as f64 / span * (TL_X1 - TL_X0);
        let every = t.bins.len().div_ceil(10).max(1);
        for (i, &b) in t.bins.iter().enumerate().step_by(every) {
            let iso = iso_date(b);
            let label = match t.unit.as_str() {
                "year" => &iso[..iso.len() - 6],
                "month" => &iso[..iso.len() - 3],
                _ => &iso,
            };
            let _ = writeln!(
                h,
                "<line class=\"tick\" x1=\"{0:.1}\" y1=\"{TL_AXIS}\" x2=\"{0:.1}\" y2=\"{1}\"></line>\
                 <text class=\"tick-label\" x=\"{0:.1}\" y=\"{2}\" data-bin=\"{i}\">{label}</text>",
                x(b),
                TL_AXIS + 5.0,
                TL_AXIS + 20.0,
            );
        }
    }
    let _ = writeln!(
        h,
        "<g id=\"tl-bars\"></g><rect id=\"brush\" x=\"0\" y=\"{TL_TOP}\" width=\"0\" height=\"{}\"></rect>\n</svg>",
        TL_AXIS - TL_TOP
    );
    if t.undated > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\">{} relation{} with no dated article {} not on the timeline.</p>",
            t.undated,
            if t.undated == 1 { "" } else { "s" },
            if t.undated == 1 { "is" } else { "are" }
        );
    }
    h.push_str("</section>\n");
}

fn table(h: &mut String, report: &Report) {
    h.push_str("<section id=\"relations\"><h2>Relations</h2>\n");
    let _ = writeln!(
        h,
        "<p class=\"hint\">Every relation, one row per kind, pair and relation, with the columns \
         of <code>relations.csv</code> (relations {}). Click a column to sort; {} rows a page.</p>",
        escape(&report.relations_from),
        PAGE_SIZE
    );
    h.push_str(
        "<div class=\"filters\"><label>Search <input id=\"search\" type=\"search\" \
         placeholder=\"name, instrument, evidence\"></label> <span id=\"count\"></span></div>\n",
    );
    h.push_str("<div class=\"table-wrap\"><table id=\"rel-table\"><thead><tr>");
    for (i, c) in crate::aggregate::RELATIONS_HEADER.iter().enumerate() {
        let _ = write!(h, "<th data-col=\"{i}\" tabindex=\"0\">{c}</th>");
    }
    h.push_str("</tr></thead><tbody id=\"rel-rows\"></tbody></table></div>\n");
    h.push_str(
        "<div class=\"pager\"><button id=\"prev\" type=\"button\">previous</button> \
         <span id=\"page\"></span> <button id=\"next\" type=\"button\">next</button></div>\n</section>\n",
    );
}

fn summary(h: &mut String, report: &Report) {
    h.push_str("<section id=\"summary\"><h2>Summary</h2>\n<div class=\"cols\">\n<div>\n<h3>Run</h3>\n<table class=\"kv\">\n");
    let row = |h: &mut String, k: &str, v: &str| {
        let _ = writeln!(h, "<tr><th>{k}</th><td>{v}</td></tr>");
    };
    row(h, "output directories", &escape(&report.dirs.join(", ")));
    row(h, "documents listed", &report.docs_total.to_string());
    row(h, "documents read", &report.docs_read.to_string());
    if report.filters.has_period() {
        row(h, "read, in the period", &report.docs_in_period.to_string());
    }
    row(
        h,
        "near-duplicates among them",
        &report.docs_duplicates.to_string(),
    );
    let skipped: usize = report.skipped.iter().map(|s| s.1).sum();
    row(h, "documents skipped", &skipped.to_string());
    row(h, "triples read", &report.triples.to_string());
    row(
        h,
        "relations",
        &format!(
            "{} shown of {} ({})",
            report.relations.len(),
            report.relations_before_filters,
            escape(&report.relations_from)
        ),
    );
    row(
        h,
        "filters",
        &escape(&filters_text(report).unwrap_or_else(|| "none".into())),
    );
    row(
        h,
        "gazetteer fingerprint",
        &if report.fingerprints.is_empty() {
            "unknown (no accord-manifest.csv)".to_string()
        } else {
            report
                .fingerprints
                .iter()
                .map(|f| format!("<code>{}</code>", escape(f)))
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    row(h, "accord version", &escape(&report.version));
    h.push_str("</table>\n");
    if !report.skipped.is_empty() {
        h.push_str(
            "<h3>Skipped documents</h3>\n<table><tr><th>reason</th><th>documents</th></tr>\n",
        );
        for (reason, n) in &report.skipped {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"num\">{n}</td></tr>",
                escape(reason)
            );
        }
        h.push_str("</table>\n");
    }
    h.push_str("</div>\n<div>\n<h3>Top pairs</h3>\n");
    if report.top_pairs.is_empty() {
        h.push_str("<p>None.</p>\n");
    } else {
        h.push_str("<table><tr><th>pair</th><th>documents</th><th>relations</th></tr>\n");
        for p in &report.top_pairs {
            let _ = writeln!(
                h,
                "<tr><td>{} \u{2013} {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&p.a),
                escape(&p.b),
                p.documents,
                p.relations
            );
        }
        h.push_str("</table>\n");
    }
    h.push_str("<h3>Top instruments</h3>\n");
    if report.top_instruments.is_empty() {
        h.push_str("<p>None.</p>\n");
    } else {
        h.push_str(
            "<table><tr><th>instrument</th><th>parties</th><th>documents</th><th>dates</th></tr>\n",
        );
        for &i in &report.top_instruments {
            let r = &report.relations[i];
            let dates = if r.first_date == r.last_date {
                r.first_date.clone()
            } else {
                format!("{} \u{2013} {}", r.first_date, r.last_date)
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{} \u{2013} {}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                escape(&r.relation),
                escape(&r.subject),
                escape(&r.object),
                r.sources,
                escape(&dates)
            );
        }
        h.push_str("</table>\n");
    }
    h.push_str("</div>\n</div>\n<h3>Limits</h3>\n<ul>\n");
    let _ = writeln!(
        h,
        "<li>Article views (text or evidence, and triples) are embedded for {} document{} \
         (limit: {} documents, {} MB of text).{}</li>",
        report.texts.len(),
        if report.texts.len() == 1 { "" } else { "s" },
        report.limits.text_docs,
        report.limits.text_bytes >> 20,
        if report.texts_omitted > 0 {
            format!(
                " {} more documents cited by relations show their evidence sentences only.",
                report.texts_omitted
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        h,
        "<li>{} documents are listed{}.</li>",
        report.docs.len(),
        if report.docs_omitted > 0 {
            format!(
                "; {} documents that no relation cites are left out (limit: {})",
                report.docs_omitted, report.limits.doc_meta
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        h,
        "<li>The network draws {} of {} parties (limit: {}); the table lists every relation, \
         {} a page.</li>",
        report.nodes.len(),
        report.nodes.len() + report.nodes_omitted,
        report.limits.nodes,
        PAGE_SIZE
    );
    h.push_str("</ul>\n");
    if !report.problems.is_empty() {
        let _ = writeln!(
            h,
            "<h3>Input problems</h3>\n<p>{} row{} could not be read and {} left out:</p>\n<ul class=\"problems\">",
            report.problems.len(),
            if report.problems.len() == 1 { "" } else { "s" },
            if report.problems.len() == 1 {
                "is"
            } else {
                "are"
            }
        );
        for p in report.problems.iter().take(100) {
            let _ = writeln!(h, "<li>{}</li>", escape(p));
        }
        if report.problems.len() > 100 {
            let _ = writeln!(h, "<li>and {} more</li>", report.problems.len() - 100);
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}
