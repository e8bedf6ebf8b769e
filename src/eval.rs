//! Evaluation: gold sets, scoring, and comparison with a saved baseline.
//!
//! A gold set is a directory:
//!
//! ```text
//! entities.csv   doc_id,type,canonical              one row per entity per document
//! triples.csv    subject,object,relation,kind,doc_id one row per relation per document
//! absent.csv     doc_id,type,canonical              (optional) must NOT be reported
//! types.txt      COUNTRY AGENCY ...                 (optional) the entity types it annotates
//! articles/      the articles, named <doc_id>.txt
//! ```
//!
//! Lines starting with `#` are comments; other files (a `README.md`, a
//! `sources.csv`) are not read.
//!
//! # Matching
//!
//! Scoring is document-level: an entity is `(doc_id, type, name)`, a triple
//! `(doc_id, kind, relation, pair)` with the pair unordered for cooperation
//! kinds and ordered (person, body) for roles.
//!
//! - Names are folded before comparison: letter case, accents and
//!   punctuation are ignored (`Descôtes` = `descotes`, `U.S.-France` =
//!   `US France`).
//! - Any name cell of the gold (an entity's canonical name; a triple's
//!   subject, object or relation) may hold alternatives separated by `|`:
//!   `Indian Space Research Organisation|ISRO`. A prediction matching any one
//!   of them matches the item. Predictions are not split on `|`.
//! - A predicted entity answers to a set of names, not only its canonical
//!   name: the surface forms its document uses for it (the `text` of its
//!   rows of that document, type and canonical name) and, when a row has an
//!   `entity_id`, the canonical name and aliases of that gazetteer entry
//!   (in the gazetteers of `--gazetteers`, else the embedded ones; no other
//!   entry's). It matches a gold item when any of its names equals, after
//!   folding, any of the item's alternatives. A triple's subject and object
//!   answer, beside themselves, to the names of every predicted entity of
//!   the triple's document whose canonical name they are (a country's
//!   aliases hold its demonyms). Why: annotators name one entity in
//!   different ways (`Centre National d'Études Spatiales|CNES` for accord's
//!   `National Centre for Space Studies`, `Roscosmos` for `State Space
//!   Corporation Roscosmos`), and a gold set should not have to know
//!   accord's canonical names. The risk: a mention resolved to the wrong
//!   entity still counts as right when its surface form is the gold's name
//!   (`ESA` in the text, resolved to some other agency, matches a gold
//!   `ESA`), so entity scores measure finding what the text names more than
//!   resolving it. `absent.csv` items are checked against the same names.
//! - Relation names also match when their content words overlap by at least
//!   half of their union (Jaccard ≥ 0.5), after folding and without
//!   [`RELATION_STOPWORDS`]: annotators name one instrument in different
//!   words (`Framework Agreement on Space Cooperation` = `framework
//!   agreement for cooperation in space`). Names with no content word
//!   match only when equal. See [`relations_match`].
//! - Each gold item is matched at most once and each prediction matches at
//!   most one gold item: within a document and a type (or kind), the counted
//!   true positives are a maximum one-to-one matching, found in a fixed
//!   order (gold and predictions sorted, exact relation matches tried before
//!   overlaps), so the same inputs always give the same counts and lists.
//!   A second prediction for an already-matched item (`Bolden` beside
//!   `Charles Bolden` for `Charles Bolden|Bolden`) is a false positive, and
//!   a prediction whose names match two items takes one. Of the predictions
//!   that could take an item, one matching through its own canonical name
//!   (and for triples, after the relation match, both parties through their
//!   own names) is tried first.
//! - With `types.txt`, only the listed entity types are scored: predictions
//!   of other types are neither false positives nor listed, and a gold row
//!   of an unlisted type is an error in the gold. Triples are scored whatever
//!   the types of their parties.
//!
//! Triples whose status is `negated` are not counted as predictions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use accord_core::engine::{EntityRow, TripleRow};
use accord_core::error::{Error, Result};
use accord_core::gazetteer::{EntityType, Gazetteer};
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
    /// The entity types the set annotates (`types.txt`); `None`: every type.
    pub types: Option<BTreeSet<String>>,
}

/// A prediction: what accord (or another system) reported, with evidence.
#[derive(Clone, Debug, Default)]
pub struct Prediction {
    /// Entities with a context snippet.
    pub entities: Vec<(EntityItem, String)>,
    /// Triples with their evidence sentence.
    pub triples: Vec<(TripleItem, String)>,
    /// The further names each predicted entity answers to, folded, keyed by
    /// document, type and folded canonical name: the surface forms its
    /// document uses for it and its gazetteer entry's canonical name and
    /// aliases (see the module doc). Its own canonical name always counts,
    /// listed here or not. Fill it with [`Prediction::add_name`] and
    /// [`Prediction::add_entry_names`].
    pub names: BTreeMap<NameKey, BTreeSet<String>>,
}

/// An entity as [`Prediction::names`] keys it: document, type, folded
/// canonical name.
pub type NameKey = (String, String, String);

impl Prediction {
    /// Let the predicted entity `e` answer to `name` too (a surface form its
    /// document uses for it). An empty name is ignored.
    pub fn add_name(&mut self, e: &EntityItem, name: &str) {
        let name = fold(name);
        if !name.is_empty() {
            self.names.entry(entity_key(e)).or_default().insert(name);
        }
    }

    /// Let the predicted entity `e` answer to the canonical name and every
    /// alias of the gazetteer entry `id` (nothing when `id` is empty or no
    /// entry has it).
    pub fn add_entry_names(&mut self, e: &EntityItem, gaz: &Gazetteer, id: &str) {
        if id.is_empty() {
            return;
        }
        if let Some(i) = gaz.index_of(id) {
            let entry = gaz.entry(i);
            for name in std::iter::once(&entry.canonical).chain(&entry.aliases) {
                self.add_name(e, name);
            }
        }
    }

    /// Every name the predicted entity `(doc, etype, folded canonical)`
    /// answers to, folded: its canonical name and [`Prediction::names`].
    fn names_of(&self, key: &NameKey) -> BTreeSet<String> {
        let mut out = self.names.get(key).cloned().unwrap_or_default();
        out.insert(key.2.clone());
        out
    }

    /// The names of [`Prediction::names`] by document and folded canonical
    /// name, whatever the type: what a triple's party answers to.
    fn names_by_canonical(&self) -> BTreeMap<(&str, &str), BTreeSet<&str>> {
        let mut out: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
        for ((doc, _, canonical), names) in &self.names {
            out.entry((doc.as_str(), canonical.as_str()))
                .or_default()
                .extend(names.iter().map(String::as_str));
        }
        out
    }
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

/// The entities of a gold file; with `types`, a row of another type is an
/// error naming its line.
fn read_entities(path: &Path, types: Option<&BTreeSet<String>>) -> Result<Vec<EntityItem>> {
    let rows = read_rows(path)?;
    let (h, rows) = rows.split_first().expect("header");
    need(path, h, &["doc_id", "type", "canonical"])?;
    rows.iter()
        .map(|r| {
            let etype = type_name(field(h, r, "type"));
            if let Some(types) = types.filter(|t| !t.contains(&etype)) {
                let line = r.position().map_or(0, |p| p.line());
                let listed = types.iter().cloned().collect::<Vec<_>>().join(" ");
                return Err(Error::row(
                    path,
                    line,
                    format!("type '{etype}' is not in the set's types.txt ({listed})"),
                ));
            }
            Ok(EntityItem {
                doc_id: field(h, r, "doc_id").to_string(),
                etype,
                canonical: field(h, r, "canonical").to_string(),
            })
        })
        .collect()
}

/// A type name as accord writes it (`organisation` -> `ORG`); an unknown
/// one upper-cased.
fn type_name(s: &str) -> String {
    EntityType::parse(s).map_or_else(|| s.to_ascii_uppercase(), |t| t.as_str().to_string())
}

/// The entity types of a `types.txt`: names separated by white space or
/// commas, `#` lines ignored. Each must be one of accord's types.
fn read_types(path: &Path) -> Result<BTreeSet<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut types = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        for name in line.split(|c: char| c.is_whitespace() || c == ',') {
            if name.is_empty() {
                continue;
            }
            let Some(t) = EntityType::parse(name) else {
                let known: Vec<&str> = EntityType::ALL.iter().map(|t| t.as_str()).collect();
                return Err(Error::row(
                    path,
                    i as u64 + 1,
                    format!("unknown entity type '{name}' (known: {})", known.join(" ")),
                ));
            };
            types.insert(t.as_str().to_string());
        }
    }
    if types.is_empty() {
        return Err(Error::msg(format!(
            "{}: names no entity type (remove it to score every type)",
            path.display()
        )));
    }
    Ok(types)
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
            let types = d.join("types.txt");
            let types = if types.is_file() {
                Some(read_types(&types)?)
            } else {
                None
            };
            Ok(GoldSet {
                name: d.file_name().map_or_else(
                    || d.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                ),
                articles: d.join("articles"),
                entities: read_entities(&d.join("entities.csv"), types.as_ref())?,
                absent: if absent.is_file() {
                    read_entities(&absent, None)?
                } else {
                    Vec::new()
                },
                triples: if triples.is_file() {
                    read_triples(&triples)?.into_iter().map(|t| t.0).collect()
                } else {
                    Vec::new()
                },
                types,
            })
        })
        .collect()
}

/// A prediction from accord's own rows. Each entity answers to its surface
/// forms (`text`) and, through its `entity_id`, to the names of its entry
/// in `gaz` (the gazetteers the rows were extracted with).
pub fn prediction_from_rows(
    entities: &[EntityRow],
    triples: &[TripleRow],
    texts: &BTreeMap<String, String>,
    gaz: &Gazetteer,
) -> Prediction {
    let mut p = Prediction::default();
    for e in entities {
        let ctx = texts
            .get(&e.doc_id)
            .map(|t| snippet(t, e.start, e.end))
            .unwrap_or_else(|| e.text.clone());
        let item = EntityItem {
            doc_id: e.doc_id.clone(),
            etype: e.etype.as_str().to_string(),
            canonical: e.canonical.clone(),
        };
        p.add_name(&item, &e.text);
        p.add_entry_names(&item, gaz, &e.entity_id);
        p.entities.push((item, ctx));
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
/// As with [`prediction_from_rows`], each entity answers to its surface
/// forms (the `text` column) and, when an `entity_id` column names an entry
/// of `gaz`, to that entry's names.
pub fn prediction_from_dir(dir: &Path, gaz: &Gazetteer) -> Result<Prediction> {
    let mut p = Prediction::default();
    let ents = dir.join("entities.csv");
    let rows = read_rows(&ents)?;
    let (h, rows) = rows.split_first().expect("header");
    need(&ents, h, &["doc_id", "type", "canonical", "text"])?;
    for r in rows {
        let item = EntityItem {
            doc_id: field(h, r, "doc_id").to_string(),
            // Read as gold types are (`organisation` is `ORG`), so another
            // tool's output scores the same.
            etype: type_name(field(h, r, "type")),
            canonical: accord_io::output::unguard(field(h, r, "canonical")).to_string(),
        };
        let text = accord_io::output::unguard(field(h, r, "text"));
        p.add_name(&item, text);
        p.add_entry_names(
            &item,
            gaz,
            accord_io::output::unguard(field(h, r, "entity_id")),
        );
        p.entities.push((item, text.to_string()));
    }
    let tri = dir.join("triples.csv");
    if tri.is_file() {
        for (t, evidence, status) in read_triples(&tri)? {
            if status != "negated" {
                let t = TripleItem {
                    subject: accord_io::output::unguard(&t.subject).to_string(),
                    object: accord_io::output::unguard(&t.object).to_string(),
                    relation: accord_io::output::unguard(&t.relation).to_string(),
                    ..t
                };
                p.triples
                    .push((t, accord_io::output::unguard(&evidence).to_string()));
            }
        }
    }
    Ok(p)
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

/// Words left out when relation names are compared by overlap.
pub const RELATION_STOPWORDS: [&str; 10] = [
    "the", "of", "on", "for", "and", "in", "between", "a", "an", "to",
];

/// How well a predicted relation name matches a gold one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// Content words overlap (Jaccard ≥ 0.5).
    Overlap,
    /// Equal after folding.
    Equal,
}

/// The content words of a folded name.
fn content_words(folded: &str) -> BTreeSet<&str> {
    folded
        .split(' ')
        .filter(|w| !w.is_empty() && !RELATION_STOPWORDS.contains(w))
        .collect()
}

/// How two folded relation names match, if they do.
fn relation_strength(gold: &str, pred: &str) -> Option<Strength> {
    if gold == pred {
        return Some(Strength::Equal);
    }
    let (g, p) = (content_words(gold), content_words(pred));
    let common = g.intersection(&p).count();
    let union = g.len() + p.len() - common;
    // Integer form of common / union >= 0.5; no content word, no overlap.
    (common > 0 && 2 * common >= union).then_some(Strength::Overlap)
}

/// Whether two relation names name the same thing: equal after [`fold`], or
/// their content words (without [`RELATION_STOPWORDS`]) overlap with a
/// Jaccard index of at least 0.5. Neither name is split on `|` here.
///
/// ```
/// use accord::eval::relations_match;
/// assert!(relations_match("Letter of Intent", "letter-of-intent"));
/// assert!(relations_match("Framework Agreement on Space Cooperation",
///                         "framework agreement for cooperation in space"));
/// // {mars, working, group} against {mars, group}: 2 of 3.
/// assert!(relations_match("Mars Working Group", "the Mars group"));
/// // {joint, statement, intent} against {statement}: 1 of 3.
/// assert!(!relations_match("Joint Statement of Intent", "statement"));
/// ```
pub fn relations_match(a: &str, b: &str) -> bool {
    relation_strength(&fold(a), &fold(b)).is_some()
}

/// A gold name cell: its `|`-separated alternatives, folded, sorted, without
/// duplicates. An empty cell is one empty alternative.
fn alternatives(cell: &str) -> Vec<String> {
    let mut alts: Vec<String> = cell
        .split('|')
        .map(fold)
        .filter(|a| !a.is_empty())
        .collect();
    if alts.is_empty() {
        alts.push(String::new());
    }
    alts.sort();
    alts.dedup();
    alts
}

/// The raw alternatives of a gold cell, to look them up in the article.
fn raw_alternatives(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').map(str::trim).filter(|a| !a.is_empty())
}

/// A gold entity ready to match: document, type, folded alternatives.
type GoldEntityKey = (String, String, Vec<String>);

/// A prediction's key: document, type, folded name.
fn entity_key(e: &EntityItem) -> NameKey {
    (e.doc_id.clone(), e.etype.clone(), fold(&e.canonical))
}

/// How a predicted entity's names match a gold name cell's alternatives:
/// `Some(true)` through its own (folded) canonical name, `Some(false)`
/// through another of its names only, `None` not at all.
fn name_strength(alts: &[String], canonical: &str, names: &BTreeSet<String>) -> Option<bool> {
    if alts.iter().any(|a| a == canonical) {
        Some(true)
    } else {
        alts.iter().any(|a| names.contains(a)).then_some(false)
    }
}

/// A gold triple ready to match: document, kind, then the folded
/// alternatives of relation, subject and object (the last two in sorted
/// order for unordered kinds, so that `A,B` and `B,A` are one item).
type GoldTripleKey = (String, String, Vec<String>, Vec<String>, Vec<String>);

fn gold_triple_key(t: &TripleItem) -> GoldTripleKey {
    let (mut a, mut b) = (alternatives(&t.subject), alternatives(&t.object));
    if t.kind != "role" && a > b {
        std::mem::swap(&mut a, &mut b);
    }
    (
        t.doc_id.clone(),
        t.kind.clone(),
        alternatives(&t.relation),
        a,
        b,
    )
}

/// A prediction's key: document, kind, folded relation, pair (sorted unless
/// a role).
fn triple_key(t: &TripleItem) -> (String, String, String, String, String) {
    let (mut a, mut b) = (fold(&t.subject), fold(&t.object));
    if t.kind != "role" && a > b {
        std::mem::swap(&mut a, &mut b);
    }
    (t.doc_id.clone(), t.kind.clone(), fold(&t.relation), a, b)
}

/// A predicted triple ready to match: its key ([`triple_key`]), then the
/// names each party of the key answers to (the party itself included).
type PredTriple<'a> = (
    (String, String, String, String, String),
    [BTreeSet<String>; 2],
    (&'a TripleItem, &'a String),
);

/// How a predicted triple matches a gold one: same document and kind, each
/// party answers to one of the alternatives of a gold party (either way
/// round unless a role), and the best relation match over the gold
/// relation's alternatives. Ranked by that relation match, then by whether
/// both parties matched by their own names rather than other names.
fn triple_strength(gold: &GoldTripleKey, pred: &PredTriple<'_>) -> Option<(Strength, bool)> {
    let (gdoc, gkind, grel, gs, go) = gold;
    let ((pdoc, pkind, prel, ps, po), [ns, no], _) = pred;
    if gdoc != pdoc || gkind != pkind {
        return None;
    }
    // Both parties must match: no `&&` between the `?`s, which would skip
    // the second when the first matched only through another name.
    let pair = |a: &[String], b: &[String]| {
        let (first, second) = (name_strength(a, ps, ns)?, name_strength(b, po, no)?);
        Some(first && second)
    };
    let straight = pair(gs, go);
    let swapped = if gkind == "role" { None } else { pair(go, gs) };
    let direct = straight.max(swapped)?;
    let relation = grel
        .iter()
        .filter_map(|alt| relation_strength(alt, prel))
        .max()?;
    Some((relation, direct))
}

/// A maximum one-to-one matching between gold items and predictions.
/// `edges[g]` lists the predictions gold item `g` may take, best first; gold
/// items are tried in order (Kuhn's augmenting paths), so the result depends
/// only on the order of the inputs. Returns which predictions were taken.
fn max_matching(edges: &[Vec<usize>], n_pred: usize) -> Vec<Option<usize>> {
    fn augment(
        g: usize,
        edges: &[Vec<usize>],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &p in &edges[g] {
            if std::mem::replace(&mut seen[p], true) {
                continue;
            }
            if owner[p].is_none_or(|o| augment(o, edges, owner, seen)) {
                owner[p] = Some(g);
                return true;
            }
        }
        false
    }
    let mut owner = vec![None; n_pred];
    for g in 0..edges.len() {
        let mut seen = vec![false; n_pred];
        augment(g, edges, &mut owner, &mut seen);
    }
    owner
}

/// Match gold items to predictions group by group (a group is a document
/// and a type or kind: `group` of each side). `strength` says whether and
/// how well a prediction matches a gold item. Returns, for each gold item
/// and for each prediction, whether it was matched.
fn match_groups<G, P, K: Ord, S: Ord>(
    gold: &[G],
    pred: &[P],
    group_gold: impl Fn(&G) -> K,
    group_pred: impl Fn(&P) -> K,
    strength: impl Fn(&G, &P) -> Option<S>,
) -> (Vec<bool>, Vec<bool>) {
    let mut groups: BTreeMap<K, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, g) in gold.iter().enumerate() {
        groups.entry(group_gold(g)).or_default().0.push(i);
    }
    for (i, p) in pred.iter().enumerate() {
        groups.entry(group_pred(p)).or_default().1.push(i);
    }
    let mut gold_hit = vec![false; gold.len()];
    let mut pred_hit = vec![false; pred.len()];
    for (gs, ps) in groups.values() {
        if gs.is_empty() || ps.is_empty() {
            continue;
        }
        let edges: Vec<Vec<usize>> = gs
            .iter()
            .map(|&g| {
                let mut e: Vec<(std::cmp::Reverse<S>, usize)> = ps
                    .iter()
                    .enumerate()
                    .filter_map(|(j, &p)| {
                        strength(&gold[g], &pred[p]).map(|s| (std::cmp::Reverse(s), j))
                    })
                    .collect();
                e.sort();
                e.into_iter().map(|(_, j)| j).collect()
            })
            .collect();
        for (j, owner) in max_matching(&edges, ps.len()).into_iter().enumerate() {
            if let Some(k) = owner {
                pred_hit[ps[j]] = true;
                gold_hit[gs[k]] = true;
            }
        }
    }
    (gold_hit, pred_hit)
}

/// Where a missed item shows in the article: the text around the first word
/// of the first of its alternatives found.
fn find_evidence(text: Option<&String>, cell: &str) -> String {
    let Some(text) = text else {
        return String::new();
    };
    raw_alternatives(cell)
        .filter_map(|alt| alt.split_whitespace().next())
        .find_map(|word| text.find(word).map(|i| snippet(text, i, i + word.len())))
        .unwrap_or_default()
}

/// Score a prediction against a gold set. Only documents of the set count,
/// and with `types.txt` only its entity types.
pub fn score(set: &GoldSet, pred: &Prediction, texts: &BTreeMap<String, String>) -> SetReport {
    let docs: BTreeSet<&str> = set
        .entities
        .iter()
        .map(|e| e.doc_id.as_str())
        .chain(set.triples.iter().map(|t| t.doc_id.as_str()))
        .chain(texts.keys().map(|k| k.as_str()))
        .collect();
    let scored = |etype: &str| set.types.as_ref().is_none_or(|t| t.contains(etype));
    let mut report = SetReport {
        name: set.name.clone(),
        ..SetReport::default()
    };

    // Entities: gold items (one per distinct document, type and set of
    // alternatives) against distinct predictions, both in key order.
    let gold: Vec<(GoldEntityKey, &EntityItem)> = set
        .entities
        .iter()
        .filter(|e| scored(&e.etype))
        .map(|e| {
            let key = (
                e.doc_id.clone(),
                e.etype.clone(),
                alternatives(&e.canonical),
            );
            (key, e)
        })
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let mut predicted: BTreeMap<_, (&EntityItem, &String)> = BTreeMap::new();
    for (e, ctx) in &pred.entities {
        if docs.contains(e.doc_id.as_str()) && scored(&e.etype) {
            predicted.entry(entity_key(e)).or_insert((e, ctx));
        }
    }
    let predicted: Vec<(NameKey, BTreeSet<String>, (&EntityItem, &String))> = predicted
        .into_iter()
        .map(|(k, v)| {
            let names = pred.names_of(&k);
            (k, names, v)
        })
        .collect();
    let (gold_hit, pred_hit) = match_groups(
        &gold,
        &predicted,
        |(k, _)| (k.0.clone(), k.1.clone()),
        |(k, _, _)| (k.0.clone(), k.1.clone()),
        |(g, _), (p, names, _)| name_strength(&g.2, &p.2, names),
    );
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for ((k, e), hit) in gold.iter().zip(&gold_hit) {
        let c = counts.entry(k.1.clone()).or_default();
        if *hit {
            c.0 += 1;
        } else {
            c.2 += 1;
            report.missed.push(Finding {
                doc_id: e.doc_id.clone(),
                group: format!("entities:{}", k.1),
                item: format!("{} {}", k.1, e.canonical),
                evidence: find_evidence(texts.get(&e.doc_id), &e.canonical),
            });
        }
    }
    for ((k, _, (e, ctx)), hit) in predicted.iter().zip(&pred_hit) {
        let c = counts.entry(k.1.clone()).or_default();
        if !*hit {
            c.1 += 1;
            report.spurious.push(Finding {
                doc_id: e.doc_id.clone(),
                group: format!("entities:{}", k.1),
                item: format!("{} {}", k.1, e.canonical),
                evidence: (*ctx).clone(),
            });
        }
    }
    report.scores.entities = totals(counts, "ALL");
    for a in set.absent.iter().filter(|a| scored(&a.etype)) {
        let alts = alternatives(&a.canonical);
        for ((doc, etype, name), names, (e, ctx)) in &predicted {
            if *doc == a.doc_id && *etype == a.etype && name_strength(&alts, name, names).is_some()
            {
                report.leaked.push(Finding {
                    doc_id: e.doc_id.clone(),
                    group: format!("entities:{}", e.etype),
                    item: format!("{} {}", e.etype, e.canonical),
                    evidence: (*ctx).clone(),
                });
            }
        }
    }

    // Triples.
    let gold: Vec<(GoldTripleKey, &TripleItem)> = set
        .triples
        .iter()
        .map(|t| (gold_triple_key(t), t))
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let mut predicted: BTreeMap<_, (&TripleItem, &String)> = BTreeMap::new();
    for (t, ev) in &pred.triples {
        if docs.contains(t.doc_id.as_str()) {
            predicted.entry(triple_key(t)).or_insert((t, ev));
        }
    }
    let by_canonical = pred.names_by_canonical();
    let party_names = |doc: &str, party: &str| -> BTreeSet<String> {
        let mut names: BTreeSet<String> = by_canonical
            .get(&(doc, party))
            .into_iter()
            .flatten()
            .map(|n| n.to_string())
            .collect();
        names.insert(party.to_string());
        names
    };
    let predicted: Vec<PredTriple> = predicted
        .into_iter()
        .map(|(k, v)| {
            let names = [party_names(&k.0, &k.3), party_names(&k.0, &k.4)];
            (k, names, v)
        })
        .collect();
    let (gold_hit, pred_hit) = match_groups(
        &gold,
        &predicted,
        |(k, _)| (k.0.clone(), k.1.clone()),
        |(k, _, _)| (k.0.clone(), k.1.clone()),
        |(g, _), p| triple_strength(g, p),
    );
    let show = |t: &TripleItem| format!("{} | {} | {}", t.subject, t.object, t.relation);
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for ((k, t), hit) in gold.iter().zip(&gold_hit) {
        let c = counts.entry(k.1.clone()).or_default();
        if *hit {
            c.0 += 1;
        } else {
            c.2 += 1;
            report.missed.push(Finding {
                doc_id: t.doc_id.clone(),
                group: format!("triples:{}", k.1),
                item: show(t),
                evidence: find_evidence(texts.get(&t.doc_id), &t.relation),
            });
        }
    }
    for ((k, _, (t, ev)), hit) in predicted.iter().zip(&pred_hit) {
        let c = counts.entry(k.1.clone()).or_default();
        if !*hit {
            c.1 += 1;
            report.spurious.push(Finding {
                doc_id: t.doc_id.clone(),
                group: format!("triples:{}", k.1),
                item: show(t),
                evidence: (*ev).clone(),
            });
        }
    }
    report.scores.triples = totals(counts, "all");
    report.missed.sort();
    report.spurious.sort();
    report.leaked.sort();
    report
}

/// Scores per group from (tp, fp, fn) counts, plus their micro-average
/// under `all`.
fn totals(counts: BTreeMap<String, (usize, usize, usize)>, all: &str) -> BTreeMap<String, Prf> {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut out: BTreeMap<String, Prf> = counts
        .into_iter()
        .map(|(g, c)| {
            (tp, fp, fn_) = (tp + c.0, fp + c.1, fn_ + c.2);
            (g, Prf::new(c.0, c.1, c.2))
        })
        .collect();
    out.insert(all.to_string(), Prf::new(tp, fp, fn_));
    out
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
            types: None,
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
            ..Prediction::default()
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

    #[test]
    fn relation_names_match_by_folding_or_overlap() {
        // (gold, prediction, match?)
        let table = [
            // Equal after folding.
            ("Letter of Intent", "letter-of-intent", true),
            (
                "U.S.-India Civil Space Joint Working Group",
                "US India civil space joint working group",
                true,
            ),
            // Same content words in other words.
            (
                "Framework Agreement on Space Cooperation",
                "framework agreement for cooperation in space",
                true,
            ),
            // Exactly 0.5: {mars, working, group, meeting} / {mars, group}: 2 of 4.
            ("Mars Working Group meeting", "the Mars group", true),
            // Just under: {joint, statement, intent} / {statement}: 1 of 3.
            ("Joint Statement of Intent", "statement", false),
            // 1 of 2 is exactly 0.5.
            ("Implementing Arrangement", "arrangement", true),
            // 2 of 5 is under.
            (
                "Memorandum of Understanding on Lunar Station",
                "memorandum on station cooperation",
                false,
            ),
            // No content words: only equality counts.
            ("the", "the", true),
            ("of the", "to a", false),
            ("the", "agreement", false),
            ("", "", true),
            ("", "agreement", false),
            // Disjoint.
            ("Artemis Accords", "Outer Space Treaty", false),
        ];
        for (gold, pred, want) in table {
            assert_eq!(relations_match(gold, pred), want, "{gold:?} vs {pred:?}");
            assert_eq!(relations_match(pred, gold), want, "{pred:?} vs {gold:?}");
        }
    }

    #[test]
    fn alternatives_are_split_folded_and_deduplicated() {
        let table: [(&str, &[&str]); 5] = [
            ("India", &["india"]),
            (
                "Indian Space Research Organisation|ISRO",
                &["indian space research organisation", "isro"],
            ),
            ("U.S.|US| us |", &["us"]),
            ("", &[""]),
            ("|", &[""]),
        ];
        for (cell, want) in table {
            assert_eq!(alternatives(cell), want, "{cell:?}");
        }
    }

    fn tri(doc: &str, kind: &str, s: &str, o: &str, r: &str) -> TripleItem {
        TripleItem {
            doc_id: doc.into(),
            kind: kind.into(),
            subject: s.into(),
            object: o.into(),
            relation: r.into(),
        }
    }

    fn set_of(entities: Vec<EntityItem>, triples: Vec<TripleItem>, types: Option<&str>) -> GoldSet {
        GoldSet {
            name: "g".into(),
            articles: PathBuf::new(),
            entities,
            absent: Vec::new(),
            triples,
            types: types.map(|t| t.split(' ').map(String::from).collect()),
        }
    }

    /// (tp, fp, fn) of a group.
    fn counts(p: &Prf) -> (usize, usize, usize) {
        (p.tp, p.fp, p.fn_)
    }

    #[test]
    fn entity_alternatives_match_once_each() {
        // (case, gold canonicals, predicted canonicals, (tp, fp, fn))
        type Case<'a> = (&'a str, &'a [&'a str], &'a [&'a str], (usize, usize, usize));
        let table: [Case; 8] = [
            (
                "one alternative",
                &["Indian Space Research Organisation|ISRO"],
                &["ISRO"],
                (1, 0, 0),
            ),
            (
                "the other",
                &["Indian Space Research Organisation|ISRO"],
                &["Indian Space Research Organisation"],
                (1, 0, 0),
            ),
            (
                "two names for one item: one counts",
                &["Charles Bolden|Bolden"],
                &["Bolden", "Charles Bolden"],
                (1, 1, 0),
            ),
            ("none", &["Charles Bolden|Bolden"], &["Charles"], (0, 1, 1)),
            (
                "the bar is not folded away",
                &["Charles Bolden|Bolden"],
                &["Charles Bolden Bolden"],
                (0, 1, 1),
            ),
            // Greedy would give `US` to the first item and miss the second;
            // the maximum matching finds both.
            (
                "shared alternative",
                &["United States|US", "US Space Force|USSF|US"],
                &["US", "United States"],
                (2, 0, 0),
            ),
            (
                "shared alternative, order swapped",
                &["US Space Force|US", "United States|US"],
                &["United States", "US"],
                (2, 0, 0),
            ),
            (
                "one prediction, two items",
                &["United States|US", "US Space Force|US"],
                &["US"],
                (1, 0, 1),
            ),
        ];
        for (case, gold, pred, want) in table {
            let set = set_of(
                gold.iter().map(|c| ent("a", "AGENCY", c)).collect(),
                Vec::new(),
                None,
            );
            let pred = Prediction {
                entities: pred
                    .iter()
                    .map(|c| (ent("a", "AGENCY", c), String::new()))
                    .collect(),
                triples: Vec::new(),
                ..Prediction::default()
            };
            let r = score(&set, &pred, &BTreeMap::new());
            assert_eq!(counts(&r.scores.entities["ALL"]), want, "{case}");
            assert_eq!(r.missed.len() + r.spurious.len(), want.1 + want.2, "{case}");
            // The same inputs in reverse order score the same.
            let mut rev = pred.clone();
            rev.entities.reverse();
            let again = score(&set, &rev, &BTreeMap::new());
            assert_eq!(again.scores, r.scores, "{case}");
            assert_eq!(
                (again.missed, again.spurious),
                (r.missed, r.spurious),
                "{case}"
            );
        }
    }

    #[test]
    fn triple_alternatives_pairs_and_relation_overlap() {
        let gold = tri(
            "a",
            "agreement",
            "National Aeronautics and Space Administration|NASA",
            "Indian Space Research Organisation|ISRO",
            "Framework Agreement on Space Cooperation|agreement",
        );
        let role = tri(
            "a",
            "role",
            "Charles Bolden|Bolden",
            "NASA|United States",
            "Administrator",
        );
        // (case, prediction, matches?)
        let table = [
            (
                "alternatives on both sides",
                tri("a", "agreement", "NASA", "ISRO", "agreement"),
                true,
            ),
            (
                "pair either way round",
                tri(
                    "a",
                    "agreement",
                    "Indian Space Research Organisation",
                    "NASA",
                    "agreement",
                ),
                true,
            ),
            (
                "relation by overlap",
                tri(
                    "a",
                    "agreement",
                    "NASA",
                    "ISRO",
                    "framework agreement for space cooperation",
                ),
                true,
            ),
            (
                "relation too far",
                tri(
                    "a",
                    "agreement",
                    "NASA",
                    "ISRO",
                    "Memorandum of Understanding",
                ),
                false,
            ),
            (
                "wrong party",
                tri("a", "agreement", "NASA", "JAXA", "agreement"),
                false,
            ),
            (
                "wrong kind",
                tri("a", "mission", "NASA", "ISRO", "agreement"),
                false,
            ),
            (
                "other document",
                tri("b", "agreement", "NASA", "ISRO", "agreement"),
                false,
            ),
            (
                "role",
                tri("a", "role", "Bolden", "United States", "administrator"),
                true,
            ),
            (
                "role turned round",
                tri("a", "role", "NASA", "Charles Bolden", "Administrator"),
                false,
            ),
        ];
        let set = set_of(Vec::new(), vec![gold.clone(), role.clone()], None);
        let texts: BTreeMap<String, String> = [
            ("a".to_string(), String::new()),
            ("b".to_string(), String::new()),
        ]
        .into();
        for (case, pred, want) in table {
            let p = Prediction {
                entities: Vec::new(),
                triples: vec![(pred, String::new())],
                ..Prediction::default()
            };
            let r = score(&set, &p, &texts);
            let all = &r.scores.triples["all"];
            assert_eq!(all.tp == 1, want, "{case}: {:?}", r.scores.triples);
            // Two gold items, one prediction: a match leaves one missed and
            // none spurious; a miss leaves both missed and one spurious.
            let (fn_, fp) = if want { (1, 0) } else { (2, 1) };
            assert_eq!((all.fn_, all.fp), (fn_, fp), "{case}");
        }
        // Two predictions for one item: one true positive, one false.
        let set = set_of(Vec::new(), vec![gold], None);
        let p = Prediction {
            entities: Vec::new(),
            triples: vec![
                (
                    tri("a", "agreement", "NASA", "ISRO", "Framework Agreement"),
                    String::new(),
                ),
                (
                    tri("a", "agreement", "NASA", "ISRO", "agreement"),
                    String::new(),
                ),
            ],
            ..Prediction::default()
        };
        let r = score(&set, &p, &BTreeMap::new());
        assert_eq!(counts(&r.scores.triples["all"]), (1, 1, 0));
        // The exact match is the one counted; the overlap is listed spurious.
        assert_eq!(r.spurious[0].item, "NASA | ISRO | Framework Agreement");
    }

    #[test]
    fn types_txt_limits_the_scored_types() {
        let gold = vec![ent("a", "COUNTRY", "India"), ent("a", "PERSON", "K. Sivan")];
        let pred = Prediction {
            entities: vec![
                (ent("a", "COUNTRY", "India"), String::new()),
                (ent("a", "DATE", "2024-03-20"), String::new()),
                (ent("a", "LOCATION", "Bengaluru"), String::new()),
            ],
            triples: Vec::new(),
            ..Prediction::default()
        };
        // (types.txt, groups scored, ALL as (tp, fp, fn), spurious listed)
        type Case<'a> = (Option<&'a str>, &'a [&'a str], (usize, usize, usize), usize);
        let table: [Case; 3] = [
            (
                None,
                &["ALL", "COUNTRY", "DATE", "LOCATION", "PERSON"],
                (1, 2, 1),
                2,
            ),
            (
                Some("COUNTRY PERSON"),
                &["ALL", "COUNTRY", "PERSON"],
                (1, 0, 1),
                0,
            ),
            (
                Some("COUNTRY PERSON DATE"),
                &["ALL", "COUNTRY", "DATE", "PERSON"],
                (1, 1, 1),
                1,
            ),
        ];
        for (types, groups, all, spurious) in table {
            let set = set_of(gold.clone(), Vec::new(), types);
            let r = score(&set, &pred, &BTreeMap::new());
            let got: Vec<&str> = r.scores.entities.keys().map(String::as_str).collect();
            assert_eq!(got, groups, "{types:?}");
            assert_eq!(counts(&r.scores.entities["ALL"]), all, "{types:?}");
            assert_eq!(r.spurious.len(), spurious, "{types:?}");
        }
    }

    #[test]
    fn types_txt_is_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &str| std::fs::write(dir.path().join(name), body).unwrap();
        write(
            "entities.csv",
            "# comment\ndoc_id,type,canonical\na,COUNTRY,India|Republic of India\na,organisation,ISRO\n",
        );
        write("sources.csv", "doc_id,url\na,http://example.org\n");
        write(
            "types.txt",
            "# what this set annotates\nCOUNTRY, ORG PERSON\n",
        );
        let sets = load_sets(dir.path()).unwrap();
        let want: BTreeSet<String> = ["COUNTRY", "ORG", "PERSON"].map(String::from).into();
        assert_eq!(sets[0].types.as_ref(), Some(&want));
        assert_eq!(sets[0].entities[1].etype, "ORG");

        write("types.txt", "COUNTRY\n");
        let err = load_sets(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("entities.csv") && err.contains("'ORG' is not in"),
            "{err}"
        );
        write("types.txt", "COUNTRY PLANET\n");
        let err = load_sets(dir.path()).unwrap_err().to_string();
        assert!(err.contains("unknown entity type 'PLANET'"), "{err}");
        write("types.txt", "\n");
        let err = load_sets(dir.path()).unwrap_err().to_string();
        assert!(err.contains("names no entity type"), "{err}");
    }

    #[test]
    fn absent_items_with_alternatives_leak() {
        let mut set = set_of(vec![ent("a", "COUNTRY", "India")], Vec::new(), None);
        set.absent = vec![ent("a", "LOCATION", "Indiana|IN")];
        let pred = Prediction {
            entities: vec![(ent("a", "LOCATION", "Indiana"), "ctx".into())],
            triples: Vec::new(),
            ..Prediction::default()
        };
        assert_eq!(score(&set, &pred, &BTreeMap::new()).leaked.len(), 1);
        // Not scored when the set does not annotate the type.
        set.types = Some(["COUNTRY".to_string()].into());
        assert!(score(&set, &pred, &BTreeMap::new()).leaked.is_empty());
    }

    /// Two gazetteer entries: CNES and ISRO.
    fn gaz() -> Gazetteer {
        let entry = |id: &str, names: &[&str]| accord_core::gazetteer::Entry {
            id: id.into(),
            etype: EntityType::Agency,
            canonical: names[0].into(),
            aliases: names.iter().map(|n| n.to_string()).collect(),
            combining: Vec::new(),
            blockers: Vec::new(),
            country: String::new(),
            wikidata: String::new(),
            case: accord_core::gazetteer::CasePolicy::Auto,
            posts: Vec::new(),
            parties: Vec::new(),
            source: accord_core::gazetteer::Source {
                file: "test".into(),
                line: 1,
            },
        };
        Gazetteer::from_parts(
            vec![
                entry(
                    "agency:cnes",
                    &[
                        "National Centre for Space Studies",
                        "CNES",
                        "Centre national d'études spatiales",
                    ],
                ),
                entry(
                    "agency:isro",
                    &["Indian Space Research Organisation", "ISRO"],
                ),
            ],
            Vec::new(),
        )
    }

    /// An entity row as accord writes it: (doc_id, type, canonical, entity_id, text).
    fn row(r: &(&str, &str, &str, &str, &str)) -> EntityRow {
        let (doc, etype, canonical, id, text) = *r;
        EntityRow {
            doc_id: doc.into(),
            start: 0,
            end: text.len(),
            etype: EntityType::parse(etype).unwrap(),
            canonical: canonical.into(),
            entity_id: id.into(),
            text: text.into(),
            rule: "test",
        }
    }

    type Row<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

    #[test]
    fn entities_answer_to_surface_forms_and_their_entry_aliases() {
        const CNES: &str = "National Centre for Space Studies";
        // (case, gold canonicals of doc a, predicted rows, (tp, fp, fn))
        type Case<'a> = (&'a str, &'a [&'a str], &'a [Row<'a>], (usize, usize, usize));
        let table: [Case; 11] = [
            (
                "surface form",
                &["Centre National d'Études Spatiales|French space agency"],
                &[(
                    "a",
                    "AGENCY",
                    CNES,
                    "",
                    "Centre National d’Etudes Spatiales",
                )],
                (1, 0, 0),
            ),
            (
                "a surface form of another mention of it",
                &["French space agency"],
                &[
                    ("a", "AGENCY", CNES, "", CNES),
                    ("a", "AGENCY", CNES, "", "French space agency"),
                ],
                (1, 0, 0),
            ),
            (
                "alias of its entry",
                &["Centre National d'Études Spatiales|CNES"],
                &[("a", "AGENCY", CNES, "agency:cnes", "the French agency")],
                (1, 0, 0),
            ),
            (
                "no alias without an entry id",
                &["CNES"],
                &[("a", "AGENCY", CNES, "", "the French agency")],
                (0, 1, 1),
            ),
            (
                "an unknown entry id gives nothing",
                &["CNES"],
                &[("a", "AGENCY", CNES, "agency:nope", "the French agency")],
                (0, 1, 1),
            ),
            (
                "not through an alias of a different entry",
                &["ISRO"],
                &[("a", "AGENCY", CNES, "agency:cnes", CNES)],
                (0, 1, 1),
            ),
            (
                "not through a surface form in another document",
                &["CNES"],
                &[
                    ("a", "AGENCY", CNES, "", CNES),
                    ("b", "AGENCY", CNES, "", "CNES"),
                ],
                // Doc b's prediction is spurious there.
                (0, 2, 1),
            ),
            (
                "not through a surface form of another type",
                &["CNES"],
                &[
                    ("a", "AGENCY", CNES, "", CNES),
                    ("a", "ORG", CNES, "", "CNES"),
                ],
                (0, 1, 1),
            ),
            (
                "one prediction, two items it answers to: one counts",
                &["CNES", "Centre national d'études spatiales"],
                &[("a", "AGENCY", CNES, "agency:cnes", CNES)],
                (1, 0, 1),
            ),
            (
                "two predictions answer to one item: one counts",
                &["CNES"],
                &[
                    ("a", "AGENCY", "CNES", "", "CNES"),
                    ("a", "AGENCY", CNES, "agency:cnes", CNES),
                ],
                (1, 1, 0),
            ),
            (
                "the maximum matching still finds both",
                &[
                    "CNES|National Centre for Space Studies",
                    "French space agency",
                ],
                &[
                    ("a", "AGENCY", CNES, "", "French space agency"),
                    ("a", "AGENCY", "Centre national", "agency:cnes", "CNES"),
                ],
                (2, 0, 0),
            ),
        ];
        let gaz = gaz();
        for (case, gold, rows, want) in table {
            let set = set_of(
                gold.iter().map(|c| ent("a", "AGENCY", c)).collect(),
                Vec::new(),
                Some("AGENCY"),
            );
            let texts: BTreeMap<String, String> =
                [("a".into(), String::new()), ("b".into(), String::new())].into();
            let mut rows: Vec<EntityRow> = rows.iter().map(row).collect();
            let pred = prediction_from_rows(&rows, &[], &BTreeMap::new(), &gaz);
            let r = score(&set, &pred, &texts);
            assert_eq!(counts(&r.scores.entities["ALL"]), want, "{case}");
            assert_eq!(r.missed.len() + r.spurious.len(), want.1 + want.2, "{case}");
            // The same rows in reverse order score and list the same.
            rows.reverse();
            let rev = prediction_from_rows(&rows, &[], &BTreeMap::new(), &gaz);
            let again = score(&set, &rev, &texts);
            assert_eq!(again.scores, r.scores, "{case}");
            assert_eq!(
                (again.missed, again.spurious),
                (r.missed, r.spurious),
                "{case}"
            );
        }
        // Of two predictions for one item, the one whose own canonical name
        // matches is counted; the one matching through an alias is listed.
        let set = set_of(vec![ent("a", "AGENCY", "CNES")], Vec::new(), None);
        let rows = [
            row(&("a", "AGENCY", CNES, "agency:cnes", CNES)),
            row(&("a", "AGENCY", "CNES", "", "CNES")),
        ];
        let r = score(
            &set,
            &prediction_from_rows(&rows, &[], &BTreeMap::new(), &gaz),
            &BTreeMap::new(),
        );
        assert_eq!(r.spurious[0].item, format!("AGENCY {CNES}"));
    }

    #[test]
    fn triple_parties_answer_to_their_entities_names() {
        const CNES: &str = "National Centre for Space Studies";
        const ISRO: &str = "Indian Space Research Organisation";
        let gold = [
            tri(
                "a",
                "role",
                "Jean-Yves Le Gall",
                "Centre National d'Études Spatiales|CNES",
                "President",
            ),
            tri("a", "agreement", "ISRO", "French space agency", "agreement"),
        ];
        // (case, predicted triple, entity rows, matches?)
        type Case<'a> = (&'a str, TripleItem, &'a [Row<'a>], bool);
        let role = |body: &str| tri("a", "role", "Jean-Yves Le Gall", body, "President");
        let table: [Case; 11] = [
            ("the party as written", role("CNES"), &[], true),
            (
                "one party by another name, the other wrong",
                tri("a", "agreement", CNES, "Zeta Agency", "agreement"),
                &[("a", "AGENCY", CNES, "", "French space agency")],
                false,
            ),
            (
                "one party by another name, the other wrong, turned round",
                tri("a", "agreement", "Zeta Agency", CNES, "agreement"),
                &[("a", "AGENCY", CNES, "", "French space agency")],
                false,
            ),
            ("no entity, no other name", role(CNES), &[], false),
            (
                "alias of the party's entry",
                role(CNES),
                &[("a", "AGENCY", CNES, "agency:cnes", CNES)],
                true,
            ),
            (
                "surface form of the party",
                role(CNES),
                &[(
                    "a",
                    "AGENCY",
                    CNES,
                    "",
                    "Centre National d'Etudes Spatiales",
                )],
                true,
            ),
            (
                "names of any type of entity with that canonical name",
                role(CNES),
                &[("a", "ORG", CNES, "", "CNES")],
                true,
            ),
            (
                "not an alias of a different entry",
                role(CNES),
                &[("a", "AGENCY", CNES, "agency:isro", CNES)],
                false,
            ),
            (
                "not a surface form in another document",
                role(CNES),
                &[("b", "AGENCY", CNES, "", "CNES")],
                false,
            ),
            (
                "not a role turned round",
                tri("a", "role", CNES, "Jean-Yves Le Gall", "President"),
                &[("a", "AGENCY", CNES, "agency:cnes", CNES)],
                false,
            ),
            (
                "both parties by other names, either way round",
                tri("a", "agreement", CNES, ISRO, "agreement"),
                &[
                    ("a", "AGENCY", CNES, "", "French space agency"),
                    ("a", "AGENCY", ISRO, "agency:isro", ISRO),
                ],
                true,
            ),
        ];
        let gaz = gaz();
        let texts: BTreeMap<String, String> =
            [("a".into(), String::new()), ("b".into(), String::new())].into();
        for (case, pred, rows, want) in table {
            let set = set_of(Vec::new(), gold.to_vec(), None);
            let rows: Vec<EntityRow> = rows.iter().map(row).collect();
            let mut p = prediction_from_rows(&rows, &[], &BTreeMap::new(), &gaz);
            p.triples.push((pred, String::new()));
            let r = score(&set, &p, &texts);
            let all = &r.scores.triples["all"];
            assert_eq!(
                counts(all),
                (want as usize, !want as usize, 2 - want as usize),
                "{case}"
            );
        }
        // Two predictions for one item, one by its own name: one true
        // positive, and the one matching through another name is listed.
        let set = set_of(Vec::new(), gold[..1].to_vec(), None);
        let rows = [row(&("a", "AGENCY", CNES, "agency:cnes", CNES))];
        let mut p = prediction_from_rows(&rows, &[], &BTreeMap::new(), &gaz);
        p.triples.push((role(CNES), String::new()));
        p.triples.push((role("CNES"), String::new()));
        let r = score(&set, &p, &BTreeMap::new());
        assert_eq!(counts(&r.scores.triples["all"]), (1, 1, 0));
        let spurious: Vec<&str> = r
            .spurious
            .iter()
            .filter(|f| f.group == "triples:role")
            .map(|f| f.item.as_str())
            .collect();
        assert_eq!(
            spurious,
            [format!("Jean-Yves Le Gall | {CNES} | President")]
        );
    }

    #[test]
    fn an_output_directory_gives_surface_forms_and_aliases() {
        let dir = tempfile::tempdir().unwrap();
        let gaz = gaz();
        let names = |p: &Prediction| -> Vec<String> {
            let key = (
                "a".to_string(),
                "AGENCY".to_string(),
                fold("National Centre for Space Studies"),
            );
            p.names_of(&key).into_iter().collect()
        };
        // (entities.csv, names of the CNES row)
        let table: [(&str, &[&str]); 3] = [
            (
                "doc_id,type,canonical,entity_id,text\n\
                 a,AGENCY,National Centre for Space Studies,agency:cnes,the agency\n",
                &[
                    "centre national detudes spatiales",
                    "cnes",
                    "national centre for space studies",
                    "the agency",
                ],
            ),
            // Another tool's output, without entity ids: surface forms only.
            (
                "doc_id,type,canonical,text\n\
                 a,AGENCY,National Centre for Space Studies,CNES\n",
                &["cnes", "national centre for space studies"],
            ),
            // The spreadsheet guard is undone.
            (
                "doc_id,type,canonical,entity_id,text\n\
                 a,AGENCY,National Centre for Space Studies,,'-CNES\n",
                &["cnes", "national centre for space studies"],
            ),
        ];
        for (csv, want) in table {
            std::fs::write(dir.path().join("entities.csv"), csv).unwrap();
            let p = prediction_from_dir(dir.path(), &gaz).unwrap();
            assert_eq!(names(&p), want, "{csv}");
        }
    }
}
