//! Evaluation: gold sets, scoring, and comparison with a saved baseline.
//!
//! A gold set is a directory:
//!
//! ```text
//! entities.csv   doc_id,type,canonical              one row per entity per document
//! triples.csv    subject,object,relation,kind,doc_id one row per relation per document
//! absent.csv     doc_id,type,canonical              (optional) must NOT be reported
//! articles/      the articles, named <doc_id>.txt
//! ```
//!
//! Scoring is document-level: an entity is `(doc_id, type, name)`, a triple
//! `(doc_id, kind, relation, pair)` with the pair unordered for cooperation
//! kinds. Names are folded before comparison: letter case, accents and
//! punctuation are ignored (`Descôtes` = `descotes`, `U.S.-France` = `US France`).
//! Triples whose status is `negated` are not counted as predictions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use accord_core::engine::{EntityRow, TripleRow};
use accord_core::error::{Error, Result};
use accord_core::relate::Status;

/// An entity as gold or prediction: document, type, canonical name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntityItem {
    /// doc_id.
    pub doc_id: String,
    /// Type (`COUNTRY`, ...).
    pub etype: String,
    /// Canonical name as written.
    pub canonical: String,
}

/// A triple as gold or prediction.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TripleItem {
    /// doc_id.
    pub doc_id: String,
    /// Kind (`agreement`, ...).
    pub kind: String,
    /// Subject.
    pub subject: String,
    /// Object.
    pub object: String,
    /// Relation.
    pub relation: String,
}

/// One gold set loaded from a directory.
#[derive(Clone, Debug)]
pub struct GoldSet {
    /// Its name (the directory's name).
    pub name: String,
    /// The articles directory.
    pub articles: PathBuf,
    /// Gold entities.
    pub entities: Vec<EntityItem>,
    /// Entities that must not be reported.
    pub absent: Vec<EntityItem>,
    /// Gold triples.
    pub triples: Vec<TripleItem>,
}

/// A prediction: what accord (or another system) reported, with evidence.
#[derive(Clone, Debug, Default)]
pub struct Prediction {
    /// Entities with a context snippet.
    pub entities: Vec<(EntityItem, String)>,
    /// Triples with their evidence sentence.
    pub triples: Vec<(TripleItem, String)>,
}

/// Precision, recall and F1 of one group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    /// True positives.
    pub tp: usize,
    /// False positives (spurious).
    pub fp: usize,
    /// False negatives (missed).
    pub fn_: usize,
    /// tp / (tp + fp), 1 when nothing was predicted.
    pub precision: f64,
    /// tp / (tp + fn), 1 when nothing was expected.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    fn new(tp: usize, fp: usize, fn_: usize) -> Prf {
        let precision = if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let recall = if tp + fn_ == 0 {
            1.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
        Prf {
            tp,
            fp,
            fn_,
            precision: round(precision),
            recall: round(recall),
            f1: round(f1),
        }
    }
}

/// A missed, spurious or leaked item, with where to look.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    /// doc_id.
    pub doc_id: String,
    /// `entities:TYPE` or `triples:kind`.
    pub group: String,
    /// The item, readable (`PERSON Vinay Kwatra`, `India | France | Trishna`).
    pub item: String,
    /// Evidence: the sentence or text around it, when known.
    pub evidence: String,
}

/// The scores of one gold set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SetScores {
    /// Per entity type, plus `ALL` (micro-average).
    pub entities: BTreeMap<String, Prf>,
    /// Per triple kind, plus `all` (micro-average).
    pub triples: BTreeMap<String, Prf>,
}

/// The full report of one gold set.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SetReport {
    /// Set name.
    pub name: String,
    /// Scores.
    pub scores: SetScores,
    /// Gold items not found.
    pub missed: Vec<Finding>,
    /// Predicted items not in the gold.
    pub spurious: Vec<Finding>,
    /// Items of `absent.csv` that were reported.
    pub leaked: Vec<Finding>,
}

/// A baseline: scores per set, as `--write-baseline` saves them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Scores per set name.
    pub sets: BTreeMap<String, SetScores>,
}

/// A score that fell by more than the tolerance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Regression {
    /// Set name.
    pub set: String,
    /// `entities:TYPE` or `triples:kind`.
    pub group: String,
    /// F1 in the baseline.
    pub before: f64,
    /// F1 now.
    pub after: f64,
}

/// Fold a name for comparison: no case, accents or punctuation.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '/' {
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The header, then the records, of a CSV file (`#` lines are comments).
fn read_rows(path: &Path) -> Result<Vec<csv::StringRecord>> {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(path)
        .map_err(|e| Error::csv(path, e))?;
    let headers = rdr.headers().map_err(|e| Error::csv(path, e))?.clone();
    let mut rows = Vec::new();
    rows.push(headers);
    for r in rdr.records() {
        rows.push(r.map_err(|e| Error::csv(path, e))?);
    }
    Ok(rows)
}

fn field<'r>(headers: &csv::StringRecord, row: &'r csv::StringRecord, name: &str) -> &'r str {
    headers
        .iter()
        .position(|h| h.trim() == name)
        .and_then(|i| row.get(i))
        .unwrap_or("")
        .trim()
}

fn need(path: &Path, headers: &csv::StringRecord, cols: &[&str]) -> Result<()> {
    for c in cols {
        if !headers.iter().any(|h| h.trim() == *c) {
            return Err(Error::row(path, 1, format!("missing column '{c}'")));
        }
    }
    Ok(())
}

fn read_entities(path: &Path) -> Result<Vec<EntityItem>> {
    let rows = read_rows(path)?;
    let (h, rows) = rows.split_first().expect("header");
    need(path, h, &["doc_id", "type", "canonical"])?;
    Ok(rows
        .iter()
        .map(|r| EntityItem {
            doc_id: field(h, r, "doc_id").to_string(),
            etype: field(h, r, "type").to_ascii_uppercase(),
            canonical: field(h, r, "canonical").to_string(),
        })
        .collect())
}

fn read_triples(path: &Path) -> Result<Vec<(TripleItem, String, String)>> {
    let rows = read_rows(path)?;
    let (h, rows) = rows.split_first().expect("header");
    need(
        path,
        h,
        &["subject", "object", "relation", "kind", "doc_id"],
    )?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                TripleItem {
                    doc_id: field(h, r, "doc_id").to_string(),
                    kind: field(h, r, "kind").to_ascii_lowercase(),
                    subject: field(h, r, "subject").to_string(),
                    object: field(h, r, "object").to_string(),
                    relation: field(h, r, "relation").to_string(),
                },
                field(h, r, "evidence").to_string(),
                field(h, r, "status").to_string(),
            )
        })
        .collect())
}

/// Load the gold sets under `dir`: `dir` itself if it holds `entities.csv`,
/// else each subdirectory that does, in name order.
pub fn load_sets(dir: &Path) -> Result<Vec<GoldSet>> {
    let mut dirs = Vec::new();
    if dir.join("entities.csv").is_file() {
        dirs.push(dir.to_path_buf());
    } else {
        let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        for ent in rd {
            let p = ent.map_err(|e| Error::io(dir, e))?.path();
            if p.join("entities.csv").is_file() {
                dirs.push(p);
            }
        }
        dirs.sort();
    }
    if dirs.is_empty() {
        return Err(Error::msg(format!(
            "{}: no gold set here (a directory with entities.csv)",
            dir.display()
        )));
    }
    dirs.iter()
        .map(|d| {
            let absent = d.join("absent.csv");
            let triples = d.join("triples.csv");
            Ok(GoldSet {
                name: d.file_name().map_or_else(
                    || d.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                ),
                articles: d.join("articles"),
                entities: read_entities(&d.join("entities.csv"))?,
                absent: if absent.is_file() {
                    read_entities(&absent)?
                } else {
                    Vec::new()
                },
                triples: if triples.is_file() {
                    read_triples(&triples)?.into_iter().map(|t| t.0).collect()
                } else {
                    Vec::new()
                },
            })
        })
        .collect()
}

/// A prediction from accord's own rows.
pub fn prediction_from_rows(
    entities: &[EntityRow],
    triples: &[TripleRow],
    texts: &BTreeMap<String, String>,
) -> Prediction {
    let mut p = Prediction::default();
    for e in entities {
        let ctx = texts
            .get(&e.doc_id)
            .map(|t| snippet(t, e.start, e.end))
            .unwrap_or_else(|| e.text.clone());
        p.entities.push((
            EntityItem {
                doc_id: e.doc_id.clone(),
                etype: e.etype.as_str().to_string(),
                canonical: e.canonical.clone(),
            },
            ctx,
        ));
    }
    for t in triples.iter().filter(|t| t.status != Status::Negated) {
        p.triples.push((
            TripleItem {
                doc_id: t.doc_id.clone(),
                kind: t.kind.as_str().to_string(),
                subject: t.subject.clone(),
                object: t.object.clone(),
                relation: t.relation.clone(),
            },
            t.evidence.clone(),
        ));
    }
    p
}

/// A prediction from an output directory (`entities.csv`, `triples.csv`).
pub fn prediction_from_dir(dir: &Path) -> Result<Prediction> {
    let mut p = Prediction::default();
    let ents = dir.join("entities.csv");
    let rows = read_rows(&ents)?;
    let (h, rows) = rows.split_first().expect("header");
    need(&ents, h, &["doc_id", "type", "canonical", "text"])?;
    for r in rows {
        p.entities.push((
            EntityItem {
                doc_id: field(h, r, "doc_id").to_string(),
                etype: field(h, r, "type").to_string(),
                canonical: unguard(field(h, r, "canonical")).to_string(),
            },
            unguard(field(h, r, "text")).to_string(),
        ));
    }
    let tri = dir.join("triples.csv");
    if tri.is_file() {
        for (t, evidence, status) in read_triples(&tri)? {
            if status != "negated" {
                let t = TripleItem {
                    subject: unguard(&t.subject).to_string(),
                    object: unguard(&t.object).to_string(),
                    relation: unguard(&t.relation).to_string(),
                    ..t
                };
                p.triples.push((t, unguard(&evidence).to_string()));
            }
        }
    }
    Ok(p)
}

/// Undo the spreadsheet guard on a cell read back from CSV.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// About 60 bytes of text either side of a span, on one line.
fn snippet(text: &str, start: usize, end: usize) -> String {
    let mut a = start.saturating_sub(60);
    while !text.is_char_boundary(a) {
        a += 1;
    }
    let mut b = (end + 60).min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    text[a..b].split_whitespace().collect::<Vec<_>>().join(" ")
}

fn entity_key(e: &EntityItem) -> (String, String, String) {
    (e.doc_id.clone(), e.etype.clone(), fold(&e.canonical))
}

fn triple_key(t: &TripleItem) -> (String, String, String, String, String) {
    let (mut a, mut b) = (fold(&t.subject), fold(&t.object));
    if t.kind != "role" && a > b {
        std::mem::swap(&mut a, &mut b);
    }
    (t.doc_id.clone(), t.kind.clone(), fold(&t.relation), a, b)
}

/// Where a missed item shows in the article: the text around its first word.
fn find_evidence(text: Option<&String>, needle: &str) -> String {
    let Some(text) = text else {
        return String::new();
    };
    let word = needle.split_whitespace().next().unwrap_or("");
    if word.is_empty() {
        return String::new();
    }
    match text.find(word) {
        Some(i) => snippet(text, i, i + word.len()),
        None => String::new(),
    }
}

/// Score a prediction against a gold set. Only documents of the set count.
pub fn score(set: &GoldSet, pred: &Prediction, texts: &BTreeMap<String, String>) -> SetReport {
    let docs: BTreeSet<&str> = set
        .entities
        .iter()
        .map(|e| e.doc_id.as_str())
        .chain(set.triples.iter().map(|t| t.doc_id.as_str()))
        .chain(texts.keys().map(|k| k.as_str()))
        .collect();
    let mut report = SetReport {
        name: set.name.clone(),
        ..SetReport::default()
    };

    // Entities.
    let gold: BTreeMap<_, &EntityItem> = set.entities.iter().map(|e| (entity_key(e), e)).collect();
    let mut predicted: BTreeMap<_, (&EntityItem, &String)> = BTreeMap::new();
    for (e, ctx) in &pred.entities {
        if docs.contains(e.doc_id.as_str()) {
            predicted.entry(entity_key(e)).or_insert((e, ctx));
        }
    }
    let mut types: BTreeSet<String> = gold.keys().map(|k| k.1.clone()).collect();
    types.extend(predicted.keys().map(|k| k.1.clone()));
    let (mut tp_all, mut fp_all, mut fn_all) = (0, 0, 0);
    for t in &types {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (k, e) in gold.iter().filter(|(k, _)| &k.1 == t) {
            if predicted.contains_key(k) {
                tp += 1;
            } else {
                fn_ += 1;
                report.missed.push(Finding {
                    doc_id: e.doc_id.clone(),
                    group: format!("entities:{t}"),
                    item: format!("{t} {}", e.canonical),
                    evidence: find_evidence(texts.get(&e.doc_id), &e.canonical),
                });
            }
        }
        for (k, (e, ctx)) in predicted.iter().filter(|(k, _)| &k.1 == t) {
            if !gold.contains_key(k) {
                fp += 1;
                report.spurious.push(Finding {
                    doc_id: e.doc_id.clone(),
                    group: format!("entities:{t}"),
                    item: format!("{t} {}", e.canonical),
                    evidence: (*ctx).clone(),
                });
            }
        }
        report
            .scores
            .entities
            .insert(t.clone(), Prf::new(tp, fp, fn_));
        (tp_all, fp_all, fn_all) = (tp_all + tp, fp_all + fp, fn_all + fn_);
    }
    report
        .scores
        .entities
        .insert("ALL".into(), Prf::new(tp_all, fp_all, fn_all));
    for a in &set.absent {
        if let Some((e, ctx)) = predicted.get(&entity_key(a)) {
            report.leaked.push(Finding {
                doc_id: e.doc_id.clone(),
                group: format!("entities:{}", e.etype),
                item: format!("{} {}", e.etype, e.canonical),
                evidence: (*ctx).clone(),
            });
        }
    }

    // Triples.
    let gold: BTreeMap<_, &TripleItem> = set.triples.iter().map(|t| (triple_key(t), t)).collect();
    let mut predicted: BTreeMap<_, (&TripleItem, &String)> = BTreeMap::new();
    for (t, ev) in &pred.triples {
        if docs.contains(t.doc_id.as_str()) {
            predicted.entry(triple_key(t)).or_insert((t, ev));
        }
    }
    let mut kinds: BTreeSet<String> = gold.keys().map(|k| k.1.clone()).collect();
    kinds.extend(predicted.keys().map(|k| k.1.clone()));
    let (mut tp_all, mut fp_all, mut fn_all) = (0, 0, 0);
    let show = |t: &TripleItem| format!("{} | {} | {}", t.subject, t.object, t.relation);
    for k in &kinds {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (key, t) in gold.iter().filter(|(key, _)| &key.1 == k) {
            if predicted.contains_key(key) {
                tp += 1;
            } else {
                fn_ += 1;
                report.missed.push(Finding {
                    doc_id: t.doc_id.clone(),
                    group: format!("triples:{k}"),
                    item: show(t),
                    evidence: find_evidence(texts.get(&t.doc_id), &t.relation),
                });
            }
        }
        for (key, (t, ev)) in predicted.iter().filter(|(key, _)| &key.1 == k) {
            if !gold.contains_key(key) {
                fp += 1;
                report.spurious.push(Finding {
                    doc_id: t.doc_id.clone(),
                    group: format!("triples:{k}"),
                    item: show(t),
                    evidence: (*ev).clone(),
                });
            }
        }
        report
            .scores
            .triples
            .insert(k.clone(), Prf::new(tp, fp, fn_));
        (tp_all, fp_all, fn_all) = (tp_all + tp, fp_all + fp, fn_all + fn_);
    }
    report
        .scores
        .triples
        .insert("all".into(), Prf::new(tp_all, fp_all, fn_all));
    report.missed.sort();
    report.spurious.sort();
    report.leaked.sort();
    report
}

/// Every group whose F1 fell by more than `tolerance` since the baseline
/// (a group the baseline does not know is not a regression).
pub fn compare(baseline: &Baseline, reports: &[SetReport], tolerance: f64) -> Vec<Regression> {
    let mut out = Vec::new();
    for r in reports {
        let Some(base) = baseline.sets.get(&r.name) else {
            continue;
        };
        let groups = [
            ("entities", &base.entities, &r.scores.entities),
            ("triples", &base.triples, &r.scores.triples),
        ];
        for (what, before, after) in groups {
            for (g, b) in before {
                let now = after.get(g).map_or(0.0, |p| p.f1);
                if b.f1 - now > tolerance {
                    out.push(Regression {
                        set: r.name.clone(),
                        group: format!("{what}:{g}"),
                        before: b.f1,
                        after: now,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Anne-Marie Descôtes"), "anne marie descotes");
        assert_eq!(fold("U.S.-France  Dialogue"), "us france dialogue");
        assert_eq!(fold("2024-03-20/2024-03-21"), "2024 03 20 2024 03 21");
    }

    #[test]
    fn prf_edge_cases() {
        let p = Prf::new(0, 0, 0);
        assert_eq!((p.precision, p.recall, p.f1), (1.0, 1.0, 1.0));
        let p = Prf::new(3, 1, 2);
        assert_eq!((p.precision, p.recall, p.f1), (0.75, 0.6, 0.6667));
    }

    fn ent(doc: &str, t: &str, c: &str) -> EntityItem {
        EntityItem {
            doc_id: doc.into(),
            etype: t.into(),
            canonical: c.into(),
        }
    }

    #[test]
    fn scoring_lists_what_was_lost_and_compare_flags_drops() {
        let set = GoldSet {
            name: "g".into(),
            articles: PathBuf::new(),
            entities: vec![
                ent("a", "COUNTRY", "India"),
                ent("a", "PERSON", "Anne-Marie Descôtes"),
            ],
            absent: vec![ent("a", "AGENCY", "NASA")],
            triples: vec![TripleItem {
                doc_id: "a".into(),
                kind: "mission".into(),
                subject: "France".into(),
                object: "India".into(),
                relation: "Trishna".into(),
            }],
        };
        let pred = Prediction {
            entities: vec![
                (ent("a", "COUNTRY", "INDIA"), "x".into()),
                (ent("a", "AGENCY", "NASA"), "Nasa to train".into()),
                (ent("other", "COUNTRY", "Chad"), "elsewhere".into()),
            ],
            triples: vec![(
                TripleItem {
                    doc_id: "a".into(),
                    kind: "mission".into(),
                    subject: "India".into(),
                    object: "France".into(),
                    relation: "TRISHNA".into(),
                },
                "ev".into(),
            )],
        };
        let r = score(&set, &pred, &BTreeMap::new());
        assert_eq!(r.scores.entities["ALL"], Prf::new(1, 1, 1));
        assert_eq!(r.scores.triples["all"], Prf::new(1, 0, 0));
        assert_eq!(r.missed[0].item, "PERSON Anne-Marie Descôtes");
        assert_eq!(r.spurious[0].evidence, "Nasa to train");
        assert_eq!(r.leaked.len(), 1);
        let base = Baseline {
            sets: [(
                "g".to_string(),
                SetScores {
                    entities: [("ALL".to_string(), Prf::new(2, 0, 0))].into(),
                    triples: BTreeMap::new(),
                },
            )]
            .into(),
        };
        let regs = compare(&base, std::slice::from_ref(&r), 0.005);
        assert_eq!(regs.len(), 1);
        assert_eq!(regs[0].group, "entities:ALL");
        assert!(compare(&base, &[r], 0.6).is_empty());
    }
}
