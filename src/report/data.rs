//! The data a report shows: read from `extract` output (documents, triples,
//! entities, manifest) and aggregate's relations, filtered, and shaped into
//! what the page draws and embeds.
//!
//! Reading is forgiving: a row that cannot be read (bad UTF-8, too few
//! fields, a bad number) is reported as `file:line: reason` in
//! [`Report::problems`] and left out; a missing directory or file, or a file
//! without a needed column, is an error.
//!
//! Relations come from aggregate ([`crate::aggregate`]), never from grouping
//! code of our own: the `relations.csv` and `entity_counts.csv` that
//! `accord aggregate` wrote into the one directory given, when they are
//! there and not older than its `triples.csv`; otherwise
//! [`aggregate::aggregate`] over the directories. A period (`--since`,
//! `--until`) or unreadable rows make it feed aggregate's
//! [`aggregate::Aggregator`] the rows already read, of the articles kept
//! only, so that every count and date on the page is over those articles.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::aggregate::{self, Aggregate, EntityCount, Relation};
use accord_core::error::{Error, Result};
use accord_io::output::unguard;

use super::layout;

/// What to keep.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Kinds of relation to keep; empty keeps all.
    pub kinds: Vec<String>,
    /// Keep articles dated on or after this ISO date (`2024`, `2024-03`, `2024-03-05`).
    pub since: Option<String>,
    /// Keep articles dated on or before this ISO date (a prefix covers its whole period).
    pub until: Option<String>,
    /// Keep relations supported by at least this many independent documents.
    pub min_documents: usize,
}

impl Filters {
    /// True when a period is asked for.
    pub fn has_period(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// Whether an article dated `date` is in the period. Without a period
    /// every article is; with one, an undated article is not.
    pub fn in_period(&self, date: &str) -> bool {
        if !self.has_period() {
            return true;
        }
        if date.is_empty() || !date.as_bytes()[0].is_ascii_digit() {
            return false;
        }
        if let Some(s) = &self.since
            && date < s.as_str()
        {
            return false;
        }
        if let Some(u) = &self.until {
            let head = &date[..date.len().min(u.len())];
            if head > u.as_str() {
                return false;
            }
        }
        true
    }

    /// Whether a relation of `kind` is kept.
    pub fn keeps_kind(&self, kind: &str) -> bool {
        self.kinds.is_empty() || self.kinds.iter().any(|k| k == kind)
    }
}

/// Whether `s` is an ISO date or a prefix of one: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// How much the page embeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Documents whose text (or evidence) and triples are embedded.
    pub text_docs: usize,
    /// Bytes of article text embedded in all.
    pub text_bytes: usize,
    /// Documents listed (title, date, address); those cited by a relation always are.
    pub doc_meta: usize,
    /// Nodes drawn in the network (the most connected).
    pub nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            text_docs: 2_000,
            text_bytes: 16 << 20,
            doc_meta: 20_000,
            nodes: 150,
        }
    }
}

/// One row of `documents.csv`, cells as the article had them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Doc {
    /// doc_id.
    pub id: String,
    /// The file (and record) it was read from.
    pub source: String,
    /// Title.
    pub title: String,
    /// Article date (ISO), if known.
    pub date: String,
    /// `ok` or `skipped: <reason>`.
    pub status: String,
    /// The article's address, if the input gave one.
    pub url: String,
    /// The earlier article this one is a near-duplicate of.
    pub duplicate_of: String,
}

/// One row of `triples.csv`, cells as the article had them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Triple {
    /// Subject.
    pub subject: String,
    /// Object.
    pub object: String,
    /// Relation name.
    pub relation: String,
    /// Kind.
    pub kind: String,
    /// doc_id.
    pub doc_id: String,
    /// Evidence sentence.
    pub evidence: String,
    /// Subject type.
    pub subject_type: String,
    /// Object type.
    pub object_type: String,
    /// Article date.
    pub date: String,
    /// Status (`signed`, `planned`, …).
    pub status: String,
    /// Confidence as written.
    pub confidence: String,
}

/// What the output directories hold, read.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// The directories, as given.
    pub dirs: Vec<PathBuf>,
    /// Documents by doc_id (the first directory that lists one wins).
    pub docs: BTreeMap<String, Doc>,
    /// Documents listed in all, counting repeats across directories.
    pub doc_rows: usize,
    /// Every triple read.
    pub triples: Vec<Triple>,
    /// Gazetteer fingerprints of the runs (from `accord-manifest.csv`).
    pub fingerprints: Vec<String>,
    /// Rows that could not be read: `file:line: reason`.
    pub problems: Vec<String>,
}

/// Read the CSV at `path`, calling `row` with the line number and the
/// cells of the columns `want` (in that order) of every readable row. The
/// first `required` columns must be in the header; later ones read as empty
/// when absent. Unreadable rows go to `problems`.
pub fn read_rows(
    path: &Path,
    want: &[&str],
    required: usize,
    problems: &mut Vec<String>,
    mut row: impl FnMut(u64, Vec<String>),
) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 16, file));
    let headers = r.byte_headers().map_err(|e| Error::csv(path, e))?.clone();
    let mut cols = Vec::with_capacity(want.len());
    for (i, w) in want.iter().enumerate() {
        let at = headers.iter().position(|h| {
            let h = h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h);
            h == w.as_bytes()
        });
        if at.is_none() && i < required {
            return Err(Error::row(path, 1, format!("no `{w}` column")));
        }
        cols.push(at);
    }
    let mut rec = csv::ByteRecord::new();
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(Error::csv(path, e));
                }
                problems.push(Error::csv(path, e).to_string());
                continue;
            }
        }
        let line = rec.position().map_or(0, |p| p.line());
        let mut cells = Vec::with_capacity(want.len());
        let mut bad = None;
        for (w, c) in want.iter().zip(&cols) {
            let cell = match c {
                None => Some(&b""[..]),
                Some(i) => rec.get(*i),
            };
            match cell.map(std::str::from_utf8) {
                Some(Ok(s)) => cells.push(s.to_string()),
                Some(Err(_)) => {
                    bad = Some(format!("invalid UTF-8 in `{w}`"));
                    break;
                }
                None => {
                    bad = Some(format!(
                        "row has {} fields, `{w}` is field {}",
                        rec.len(),
                        c.unwrap_or(0) + 1
                    ));
                    break;
                }
            }
        }
        match bad {
            Some(reason) => problems.push(Error::row(path, line, reason).to_string()),
            None => row(line, cells),
        }
    }
    Ok(())
}

/// The `# fingerprint` line of a run's manifest, if it has one.
fn fingerprint(dir: &Path) -> Option<String> {
    let path = accord_io::output::manifest::Manifest::path(dir);
    let file = std::fs::File::open(path).ok()?;
    let mut first = String::new();
    std::io::BufReader::new(file).read_line(&mut first).ok()?;
    first
        .strip_prefix("# fingerprint ")
        .map(|f| f.trim().to_string())
}

/// Read the documents and triples of the output directories `dirs`.
pub fn load(dirs: &[PathBuf]) -> Result<Inputs> {
    let mut inputs = Inputs {
        dirs: dirs.to_vec(),
        ..Inputs::default()
    };
    for dir in dirs {
        if !dir.is_dir() {
            return Err(Error::msg(format!(
                "{}: not an output directory (run `accord extract -o {}` first)",
                dir.display(),
                dir.display()
            )));
        }
        if let Some(f) = fingerprint(dir)
            && !inputs.fingerprints.contains(&f)
        {
            inputs.fingerprints.push(f);
        }
        let Inputs {
            docs,
            doc_rows,
            triples,
            problems,
            ..
        } = &mut inputs;
        read_rows(
            &dir.join("documents.csv"),
            &[
                "doc_id",
                "source",
                "title",
                "date",
                "status",
                "url",
                "duplicate_of",
            ],
            4,
            problems,
            |_, c| {
                *doc_rows += 1;
                let mut c = c.into_iter();
                let mut next = || c.next().unwrap_or_default();
                let doc = Doc {
                    id: next(),
                    source: unguard(&next()).to_string(),
                    title: unguard(&next()).to_string(),
                    date: next(),
                    status: unguard(&next()).to_string(),
                    url: unguard(&next()).to_string(),
                    duplicate_of: next(),
                };
                docs.entry(doc.id.clone()).or_insert(doc);
            },
        )?;
        read_rows(
            &dir.join("triples.csv"),
            &[
                "subject",
                "object",
                "relation",
                "kind",
                "doc_id",
                "evidence",
                "subject_type",
                "object_type",
                "date",
                "confidence",
                "status",
            ],
            10,
            problems,
            |_, c| {
                let mut c = c.into_iter();
                let mut next = || c.next().unwrap_or_default();
                triples.push(Triple {
                    subject: next(),
                    object: next(),
                    relation: next(),
                    kind: next(),
                    doc_id: next(),
                    evidence: next(),
                    subject_type: next(),
                    object_type: next(),
                    date: next(),
                    confidence: next(),
                    status: next(),
                });
            },
        )?;
    }
    Ok(inputs)
}

/// The `relations.csv` and `entity_counts.csv` of `dir`, if both are there and
/// not older than its `triples.csv`.
fn fresh_aggregate(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let rel = dir.join("relations.csv");
    let counts = dir.join("entity_counts.csv");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let (r, _) = (modified(&rel)?, modified(&counts)?);
    let t = modified(&dir.join("triples.csv"))?;
    (r >= t).then_some((rel, counts))
}

/// Read a `relations.csv` and `entity_counts.csv` that `accord aggregate` wrote.
fn read_aggregate(rel: &Path, counts: &Path, problems: &mut Vec<String>) -> Result<Aggregate> {
    let mut agg = Aggregate::default();
    // Rows with a bad number, reported after the file is read.
    let mut bad = Vec::new();
    read_rows(
        rel,
        aggregate::RELATIONS_HEADER,
        aggregate::RELATIONS_HEADER.len(),
        problems,
        |line, c| {
            let (Ok(sources), Ok(confidence)) = (c[4].parse(), c[10].parse()) else {
                bad.push(line);
                return;
            };
            let u = |i: usize| unguard(&c[i]).to_string();
            agg.relations.push(Relation {
                kind: u(0),
                subject: u(1),
                object: u(2),
                relation: u(3),
                sources,
                doc_ids: unguard(&c[5])
                    .split(';')
                    .filter(|d| !d.is_empty())
                    .map(str::to_string)
                    .collect(),
                first_date: u(6),
                last_date: u(7),
                evidence: u(8),
                evidence_doc_id: c[9].clone(),
                confidence,
                subject_type: u(11),
                object_type: u(12),
            });
        },
    )?;
    for line in bad.drain(..) {
        problems
            .push(Error::row(rel, line, "`documents` or `confidence` is not a number").to_string());
    }
    read_rows(
        counts,
        aggregate::ENTITY_COUNTS_HEADER,
        aggregate::ENTITY_COUNTS_HEADER.len(),
        problems,
        |line, c| {
            let (Ok(mentions), Ok(documents)) = (c[3].parse(), c[4].parse()) else {
                bad.push(line);
                return;
            };
            agg.entities.push(EntityCount {
                etype: c[0].clone(),
                canonical: unguard(&c[1]).to_string(),
                entity_id: c[2].clone(),
                mentions,
                documents,
            });
        },
    )?;
    for line in bad {
        problems.push(
            Error::row(counts, line, "`mentions` or `documents` is not a number").to_string(),
        );
    }
    Ok(agg)
}

/// Aggregate the rows already read, only those of documents in `keep` (all
/// when `None`), with aggregate's own code; entity rows are read from each
/// directory's `entities.csv` once, here.
fn aggregate_rows(
    inputs: &Inputs,
    keep: Option<&HashSet<&str>>,
    problems: &mut Vec<String>,
) -> Result<Aggregate> {
    let kept = |id: &str| keep.is_none_or(|k| k.contains(id));
    let mut agg = aggregate::Aggregator::default();
    for d in inputs.docs.values().filter(|d| kept(&d.id)) {
        agg.duplicate(&d.id, &d.duplicate_of);
    }
    for t in inputs.triples.iter().filter(|t| kept(&t.doc_id)) {
        agg.triple(aggregate::TripleRow {
            subject: &t.subject,
            object: &t.object,
            relation: &t.relation,
            kind: &t.kind,
            doc_id: &t.doc_id,
            evidence: &t.evidence,
            subject_type: &t.subject_type,
            object_type: &t.object_type,
            date: &t.date,
            confidence: &t.confidence,
        });
    }
    for dir in &inputs.dirs {
        read_rows(
            &dir.join("entities.csv"),
            &["doc_id", "type", "canonical", "entity_id"],
            3,
            problems,
            |_, c| {
                if kept(&c[0]) {
                    agg.entity(&c[0], &c[1], &c[2], &c[3]);
                }
            },
        )?;
    }
    Ok(agg.finish())
}

/// aggregate's relations and entity counts for `inputs` under `filters`,
/// and a sentence saying where they came from.
pub fn relations(
    inputs: &Inputs,
    filters: &Filters,
    problems: &mut Vec<String>,
) -> Result<(Aggregate, String)> {
    if !filters.has_period()
        && let [dir] = inputs.dirs.as_slice()
        && let Some((rel, counts)) = fresh_aggregate(dir)
    {
        let agg = read_aggregate(&rel, &counts, problems)?;
        return Ok((
            agg,
            format!("read from {} (written by accord aggregate)", rel.display()),
        ));
    }
    if filters.has_period() {
        let keep: HashSet<&str> = inputs
            .docs
            .values()
            .filter(|d| filters.in_period(&d.date))
            .map(|d| d.id.as_str())
            .collect();
        let agg = aggregate_rows(inputs, Some(&keep), problems)?;
        return Ok((
            agg,
            "computed by accord aggregate's code over the articles of the period".into(),
        ));
    }
    match aggregate::aggregate(&inputs.dirs, false) {
        Ok(agg) => Ok((
            agg,
            "computed in memory by accord aggregate's code (no current relations.csv)".into(),
        )),
        Err(e) => {
            problems.push(format!(
                "aggregate: {e}; relations computed from the rows that could be read"
            ));
            let agg = aggregate_rows(inputs, None, problems)?;
            Ok((
                agg,
                "computed by accord aggregate's code over the rows that could be read".into(),
            ))
        }
    }
}

// ---------------------------------------------------------------------------
// What the page shows.

/// A node of the cooperation network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    /// Canonical name.
    pub name: String,
    /// Entity type.
    #[serde(rename = "type")]
    pub etype: String,
    /// Mentions across the documents.
    pub mentions: u64,
    /// Independent documents over all its edges.
    #[serde(skip)]
    pub weight: usize,
    /// Position and radius, from [`layout`].
    #[serde(skip)]
    pub x: f64,
    /// Position.
    #[serde(skip)]
    pub y: f64,
    /// Radius.
    #[serde(skip)]
    pub r: f64,
}

/// An edge: one kind of cooperation between two nodes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Edge {
    /// Node index of the smaller name.
    pub a: usize,
    /// Node index of the other.
    pub b: usize,
    /// Kind.
    pub kind: String,
    /// Independent supporting documents over its relations.
    pub documents: usize,
    /// Indices of its relations in [`Report::relations`].
    pub rels: Vec<usize>,
}

/// A document as the page lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocMeta {
    /// doc_id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Date.
    pub date: String,
    /// Address (http or https only, else empty).
    pub url: String,
    /// Source file.
    pub source: String,
    /// Index in [`Report::texts`], if embedded.
    pub text: Option<usize>,
}

/// A document's embedded view: its text with entities, or why not, and its triples.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocText {
    /// Index in [`Report::docs`].
    pub doc: usize,
    /// The article text, when it could be read back from its source.
    pub text: Option<String>,
    /// Why the text is not shown.
    pub why: String,
    /// Entities: UTF-16 start and end in `text`, type, canonical name.
    pub ents: Vec<(usize, usize, String, String)>,
    /// Triples: kind, subject, object, relation, status, evidence.
    pub triples: Vec<[String; 6]>,
}

/// The timeline's scale and bins, computed in Rust.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Timeline {
    /// First and last day shown (days since 1970-01-01).
    pub d0: i64,
    /// Last day shown.
    pub d1: i64,
    /// Bin width's name: `day`, `week`, `month` or `year`.
    pub unit: String,
    /// Bin start days, ascending; the last bin ends at `d1 + 1`.
    pub bins: Vec<i64>,
    /// Relations with no dated article (not on the timeline).
    pub undated: usize,
}

/// A pair of parties and what they share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// One party.
    pub a: String,
    /// The other.
    pub b: String,
    /// Independent supporting documents over their relations.
    pub documents: usize,
    /// Number of relations.
    pub relations: usize,
}

/// Everything the page shows.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// accord's version.
    pub version: String,
    /// The directories read.
    pub dirs: Vec<String>,
    /// Gazetteer fingerprints of the runs.
    pub fingerprints: Vec<String>,
    /// The filters applied.
    pub filters: Filters,
    /// The limits applied.
    pub limits: Limits,
    /// Where the relations came from.
    pub relations_from: String,
    /// Documents listed in documents.csv (distinct ids).
    pub docs_total: usize,
    /// Documents read (`ok`).
    pub docs_read: usize,
    /// Documents in the period (all read ones without a period).
    pub docs_in_period: usize,
    /// Read documents flagged as near-duplicates.
    pub docs_duplicates: usize,
    /// Skip reasons and their counts.
    pub skipped: Vec<(String, usize)>,
    /// Triples read.
    pub triples: usize,
    /// Relations before the kind and support filters.
    pub relations_before_filters: usize,
    /// The kinds of the relations before the filters, sorted.
    pub kinds_seen: Vec<String>,
    /// The relations shown, in aggregate's order.
    pub relations: Vec<Relation>,
    /// Per relation: days of its dated supporting articles, ascending, distinct.
    pub relation_days: Vec<Vec<i64>>,
    /// Per relation: indices of its documents in `docs`.
    pub relation_docs: Vec<Vec<usize>>,
    /// Network nodes.
    pub nodes: Vec<Node>,
    /// Network edges.
    pub edges: Vec<Edge>,
    /// Nodes left out of the drawing (beyond [`Limits::nodes`]).
    pub nodes_omitted: usize,
    /// Timeline.
    pub timeline: Timeline,
    /// Documents listed.
    pub docs: Vec<DocMeta>,
    /// Documents not listed (beyond [`Limits::doc_meta`], cited by no relation).
    pub docs_omitted: usize,
    /// Embedded document views.
    pub texts: Vec<DocText>,
    /// Documents cited by a relation whose view is not embedded (beyond the limits).
    pub texts_omitted: usize,
    /// Top pairs by supporting documents.
    pub top_pairs: Vec<Pair>,
    /// Top instruments (agreement relations), as indices into `relations`.
    pub top_instruments: Vec<usize>,
    /// Rows that could not be read, and other notes on the input.
    pub problems: Vec<String>,
}

/// Days since 1970-01-01 of an ISO date (`YYYY-MM-DD`, or its first day
/// for `YYYY-MM` and `YYYY`); `None` for anything else.
pub fn day_number(date: &str) -> Option<i64> {
    let date = date.get(..10.min(date.len()))?;
    let b = date.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = date.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let y = num(0..4)?;
    let (m, d) = match b.len() {
        4 => (1, 1),
        7 if b[4] == b'-' => (num(5..7)?, 1),
        10 if b[4] == b'-' && b[7] == b'-' => (num(5..7)?, num(8..10)?),
        _ => return None,
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (proleptic Gregorian), after H. Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The ISO date of a day number (inverse of [`day_number`]).
pub fn iso_date(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// An address the page may link to: `http(s)://` only, so that no
/// `javascript:` or `data:` address from an article becomes a link.
pub fn safe_url(url: &str) -> String {
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        url.trim().to_string()
    } else {
        String::new()
    }
}

/// An edge's key: subject, its type, object, its type, kind.
type EdgeKey = (String, String, String, String, String);

/// Build the report of `inputs` under `filters` and `limits`.
pub fn build(mut inputs: Inputs, filters: &Filters, limits: Limits) -> Result<Report> {
    let mut problems = std::mem::take(&mut inputs.problems);
    let (agg, relations_from) = relations(&inputs, filters, &mut problems)?;
    let relations_before_filters = agg.relations.len();
    let kinds_seen: BTreeSet<String> = agg.relations.iter().map(|r| r.kind.clone()).collect();
    let relations: Vec<Relation> = agg
        .relations
        .into_iter()
        .filter(|r| filters.keeps_kind(&r.kind) && r.sources >= filters.min_documents)
        .collect();

    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut docs_read = 0;
    let mut docs_in_period = 0;
    let mut docs_duplicates = 0;
    for d in inputs.docs.values() {
        if d.status == "ok" {
            docs_read += 1;
            docs_in_period += usize::from(filters.in_period(&d.date));
            docs_duplicates += usize::from(!d.duplicate_of.is_empty());
        } else {
            let reason = d.status.strip_prefix("skipped: ").unwrap_or(&d.status);
            // Reasons name sizes and files: group by their words before a number or colon.
            let head: String = reason
                .split(|c: char| c == ':' || c.is_ascii_digit())
                .next()
                .unwrap_or(reason)
                .trim()
                .to_string();
            *skipped
                .entry(if head.is_empty() { reason.into() } else { head })
                .or_default() += 1;
        }
    }
    let mut skipped: Vec<(String, usize)> = skipped.into_iter().collect();
    skipped.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

    // The article each document stands for (near-duplicates count once).
    let original = |id: &str| -> String {
        match inputs.docs.get(id) {
            Some(d) if !d.duplicate_of.is_empty() => d.duplicate_of.clone(),
            _ => id.to_string(),
        }
    };

    // Documents listed: those relations cite, then others read in the period.
    let mut listed: BTreeSet<&str> = relations
        .iter()
        .flat_map(|r| r.doc_ids.iter().map(String::as_str))
        .collect();
    let cited = listed.len();
    let mut docs_omitted = 0;
    for d in inputs.docs.values() {
        if d.status == "ok" && filters.in_period(&d.date) && !listed.contains(d.id.as_str()) {
            if listed.len() < limits.doc_meta.max(cited) {
                listed.insert(&d.id);
            } else {
                docs_omitted += 1;
            }
        }
    }
    let mut docs: Vec<DocMeta> = listed
        .iter()
        .map(|id| match inputs.docs.get(*id) {
            Some(d) => DocMeta {
                id: d.id.clone(),
                title: d.title.clone(),
                date: d.date.clone(),
                url: safe_url(&d.url),
                source: d.source.clone(),
                text: None,
            },
            None => DocMeta {
                id: id.to_string(),
                title: String::new(),
                date: String::new(),
                url: String::new(),
                source: "(not in documents.csv)".into(),
                text: None,
            },
        })
        .collect();
    let doc_index: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let relation_docs: Vec<Vec<usize>> = relations
        .iter()
        .map(|r| r.doc_ids.iter().map(|d| doc_index[d.as_str()]).collect())
        .collect();
    let relation_days: Vec<Vec<i64>> = relations
        .iter()
        .map(|r| {
            let days: BTreeSet<i64> = r
                .doc_ids
                .iter()
                .filter_map(|d| inputs.docs.get(d))
                .filter_map(|d| day_number(&d.date))
                .collect();
            days.into_iter().collect()
        })
        .collect();

    // Network: parties of every relation but roles.
    let counts: HashMap<(&str, &str), u64> = agg
        .entities
        .iter()
        .map(|e| ((e.etype.as_str(), e.canonical.as_str()), e.mentions))
        .fold(HashMap::new(), |mut m, (k, v)| {
            *m.entry(k).or_default() += v;
            m
        });
    let mut edge_docs: BTreeMap<EdgeKey, (BTreeSet<String>, Vec<usize>)> = BTreeMap::new();
    for (i, r) in relations.iter().enumerate() {
        if r.kind == "role" {
            continue;
        }
        let slot = edge_docs
            .entry((
                r.subject.clone(),
                r.subject_type.clone(),
                r.object.clone(),
                r.object_type.clone(),
                r.kind.clone(),
            ))
            .or_default();
        slot.0.extend(r.doc_ids.iter().map(|d| original(d)));
        slot.1.push(i);
    }
    let mut weight: BTreeMap<(String, String), usize> = BTreeMap::new();
    for ((s, st, o, ot, _), (d, _)) in &edge_docs {
        *weight.entry((st.clone(), s.clone())).or_default() += d.len();
        *weight.entry((ot.clone(), o.clone())).or_default() += d.len();
    }
    let mut ranked: Vec<((String, String), usize)> = weight.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let nodes_omitted = ranked.len().saturating_sub(limits.nodes);
    ranked.truncate(limits.nodes);
    // Node order: by name, so that indices do not depend on weights.
    ranked.sort_by(|a, b| (&a.0.1, &a.0.0).cmp(&(&b.0.1, &b.0.0)));
    let mut nodes: Vec<Node> = ranked
        .into_iter()
        .map(|((etype, name), weight)| Node {
            mentions: counts
                .get(&(etype.as_str(), name.as_str()))
                .copied()
                .unwrap_or(0),
            name,
            etype,
            weight,
            x: 0.0,
            y: 0.0,
            r: 0.0,
        })
        .collect();
    let node_index: HashMap<(&str, &str), usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| ((n.etype.as_str(), n.name.as_str()), i))
        .collect();
    let mut edges = Vec::new();
    for ((s, st, o, ot, kind), (d, rels)) in &edge_docs {
        if let (Some(&a), Some(&b)) = (
            node_index.get(&(st.as_str(), s.as_str())),
            node_index.get(&(ot.as_str(), o.as_str())),
        ) && a != b
        {
            edges.push(Edge {
                a,
                b,
                kind: kind.clone(),
                documents: d.len(),
                rels: rels.clone(),
            });
        }
    }
    layout::network(&mut nodes, &edges);

    // Top pairs over all kinds but roles, and top instruments.
    let mut pairs: BTreeMap<(String, String), (BTreeSet<String>, usize)> = BTreeMap::new();
    for r in relations.iter().filter(|r| r.kind != "role") {
        let slot = pairs
            .entry((r.subject.clone(), r.object.clone()))
            .or_default();
        slot.0.extend(r.doc_ids.iter().map(|d| original(d)));
        slot.1 += 1;
    }
    let mut top_pairs: Vec<Pair> = pairs
        .into_iter()
        .map(|((a, b), (d, n))| Pair {
            a,
            b,
            documents: d.len(),
            relations: n,
        })
        .collect();
    top_pairs.sort_by(|x, y| {
        y.documents
            .cmp(&x.documents)
            .then(y.relations.cmp(&x.relations))
            .then((&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    top_pairs.truncate(10);
    let mut top_instruments: Vec<usize> = (0..relations.len())
        .filter(|&i| relations[i].kind == "agreement")
        .collect();
    top_instruments.sort_by(|&x, &y| {
        relations[y]
            .sources
            .cmp(&relations[x].sources)
            .then(x.cmp(&y))
    });
    top_instruments.truncate(10);

    let undated = relations
        .iter()
        .zip(&relation_days)
        .filter(|(r, d)| r.kind != "role" && d.is_empty())
        .count();
    let all_days = relations
        .iter()
        .zip(&relation_days)
        .filter(|(r, _)| r.kind != "role")
        .flat_map(|(_, d)| d.iter().copied());
    let timeline = layout::timeline(all_days, undated);

    // Embedded document views: the evidence documents of the best-supported
    // relations first, then the other cited documents, then the rest listed.
    let mut order: Vec<usize> = (0..relations.len()).collect();
    order.sort_by(|&x, &y| {
        relations[y]
            .sources
            .cmp(&relations[x].sources)
            .then(x.cmp(&y))
    });
    let mut chosen: Vec<usize> = Vec::new();
    let mut seen = vec![false; docs.len()];
    let candidates = order
        .iter()
        .filter_map(|&i| {
            doc_index
                .get(relations[i].evidence_doc_id.as_str())
                .copied()
        })
        .chain(relation_docs.iter().flatten().copied())
        .chain(0..docs.len());
    for d in candidates {
        if !seen[d] {
            seen[d] = true;
            chosen.push(d);
        }
    }
    let mut by_doc: HashMap<&str, Vec<&Triple>> = HashMap::new();
    for t in &inputs.triples {
        by_doc.entry(t.doc_id.as_str()).or_default().push(t);
    }
    let mut text_ids: HashSet<String> = HashSet::new();
    let mut budget = limits.text_bytes;
    let mut selected = Vec::new();
    for &d in &chosen {
        let id = &docs[d].id;
        let size = inputs
            .docs
            .get(id)
            .and_then(|doc| std::fs::metadata(&doc.source).ok())
            .map_or(0, |m| m.len() as usize);
        if selected.len() >= limits.text_docs || size > budget {
            continue;
        }
        budget -= size;
        selected.push(d);
        text_ids.insert(id.clone());
    }
    selected.sort_unstable();
    let cited_docs: BTreeSet<usize> = relation_docs.iter().flatten().copied().collect();
    let texts_omitted = cited_docs
        .iter()
        .filter(|d| selected.binary_search(d).is_err())
        .count();
    let spans = entity_spans(&inputs.dirs, &text_ids, &mut problems)?;
    let mut texts = Vec::with_capacity(selected.len());
    for d in selected {
        let id = docs[d].id.clone();
        let mut view = DocText {
            doc: d,
            text: None,
            why: String::new(),
            ents: Vec::new(),
            triples: by_doc
                .get(id.as_str())
                .map(|ts| {
                    ts.iter()
                        .map(|t| {
                            [
                                t.kind.clone(),
                                unguard(&t.subject).to_string(),
                                unguard(&t.object).to_string(),
                                unguard(&t.relation).to_string(),
                                t.status.clone(),
                                unguard(&t.evidence).to_string(),
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default(),
        };
        let empty = Vec::new();
        let ents = spans.get(&id).unwrap_or(&empty);
        match inputs.docs.get(&id) {
            Some(doc) => match read_text(&doc.source, ents) {
                Ok((text, utf16)) => {
                    view.ents = utf16;
                    view.text = Some(text);
                }
                Err(why) => view.why = why,
            },
            None => view.why = "the document is not in documents.csv".into(),
        }
        docs[d].text = Some(texts.len());
        texts.push(view);
    }

    // A row read twice (by aggregate's copy and for the texts) is reported once.
    let mut seen_problems: HashSet<String> = HashSet::new();
    problems.retain(|p| seen_problems.insert(p.clone()));
    Ok(Report {
        version: env!("CARGO_PKG_VERSION").to_string(),
        dirs: inputs
            .dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect(),
        fingerprints: inputs.fingerprints.clone(),
        filters: filters.clone(),
        limits,
        relations_from,
        docs_total: inputs.docs.len(),
        docs_read,
        docs_in_period,
        docs_duplicates,
        skipped,
        triples: inputs.triples.len(),
        relations_before_filters,
        kinds_seen: kinds_seen.into_iter().collect(),
        relations,
        relation_days,
        relation_docs,
        nodes,
        edges,
        nodes_omitted,
        timeline,
        docs,
        docs_omitted,
        texts,
        texts_omitted,
        top_pairs,
        top_instruments,
        problems,
    })
}

/// One entity mention: byte offsets, type, canonical name, surface text.
type Span = (usize, usize, String, String, String);

/// The entity mentions of the documents `ids`, from every directory's
/// entities.csv (the first directory that has a document's rows wins).
fn entity_spans(
    dirs: &[PathBuf],
    ids: &HashSet<String>,
    problems: &mut Vec<String>,
) -> Result<HashMap<String, Vec<Span>>> {
    let mut out: HashMap<String, Vec<Span>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for dir in dirs {
        let mut here: HashMap<String, Vec<Span>> = HashMap::new();
        let path = dir.join("entities.csv");
        let mut bad_offsets = Vec::new();
        read_rows(
            &path,
            &["doc_id", "type", "canonical", "text", "start", "end"],
            6,
            problems,
            |line, c| {
                if !ids.contains(&c[0]) || out.contains_key(&c[0]) {
                    return;
                }
                let (Ok(s), Ok(e)) = (c[4].parse::<usize>(), c[5].parse::<usize>()) else {
                    bad_offsets.push(line);
                    return;
                };
                let mut c = c.into_iter();
                let id = c.next().unwrap_or_default();
                let (t, canon, text) = (
                    c.next().unwrap_or_default(),
                    c.next().unwrap_or_default(),
                    c.next().unwrap_or_default(),
                );
                here.entry(id).or_default().push((
                    s,
                    e,
                    t,
                    unguard(&canon).to_string(),
                    unguard(&text).to_string(),
                ));
            },
        )?;
        for line in bad_offsets {
            problems.push(Error::row(&path, line, "`start` or `end` is not a number").to_string());
        }
        for (k, v) in here {
            out.entry(k).or_insert(v);
        }
    }
    Ok(out)
}

/// The article text at `source`, with the entities' UTF-16 offsets into it,
/// when the file is plain text and still holds what `extract` read (every
/// entity's text at its offsets); otherwise why not.
#[allow(clippy::type_complexity)]
fn read_text(
    source: &str,
    spans: &[Span],
) -> std::result::Result<(String, Vec<(usize, usize, String, String)>), String> {
    let path = Path::new(source);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if source.is_empty() || source == "-" || source == "<stdin>" {
        return Err("the article came from standard input".into());
    }
    if ext != "txt" && ext != "md" {
        return Err(format!(
            "its source ({source}) is not a plain-text file: the report shows evidence sentences only"
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| format!("its source ({source}) cannot be read: {e}"))?;
    if bytes.contains(&0) {
        return Err(format!("its source ({source}) holds binary data"));
    }
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let mut spans: Vec<&Span> = spans.iter().collect();
    spans.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
    for s in &spans {
        if text.get(s.0..s.1) != Some(s.4.as_str()) {
            return Err(format!(
                "its source ({source}) no longer holds the text extract read"
            ));
        }
    }
    // Byte offsets to UTF-16 offsets (what the page's script counts in).
    let mut wanted: Vec<usize> = spans.iter().flat_map(|s| [s.0, s.1]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut map: HashMap<usize, usize> = HashMap::with_capacity(wanted.len());
    let mut units = 0;
    let mut next = wanted.iter().peekable();
    for (b, ch) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        while let Some(&&w) = next.peek() {
            if w > b {
                break;
            }
            map.insert(w, units);
            next.next();
        }
        units += ch.len_utf16();
    }
    let ents = spans
        .iter()
        .map(|s| (map[&s.0], map[&s.1], s.2.clone(), s.3.clone()))
        .collect();
    Ok((text, ents))
}
