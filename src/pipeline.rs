//! The pipeline: document → normalize → segment → match + recognize →
//! resolve → rows, one document at a time, documents in parallel.
//!
//! Workers each produce a whole document's rows; the rows are then sorted by
//! `(doc_id, start, ...)` so the output is byte-identical at any thread count.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::gazetteer::{EntityType, Gazetteer};
use crate::input::{self, Document, Located, Outcome};
use crate::matcher::{Candidate, Matcher};
use crate::normalize::{Normalized, normalize};
use crate::recognize::{self, Recognizers, parse_iso_date};
use crate::relate::{self, Kind};
use crate::resolve::{self, Entity};
use crate::segment::{self, Segments};

/// Everything built once from a gazetteer and shared by all workers.
#[derive(Debug)]
pub struct Engine {
    gaz: Gazetteer,
    matcher: Matcher,
    recognizers: Recognizers,
}

/// One row of `entities.csv`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntityRow {
    /// doc_id.
    pub doc_id: String,
    /// Start byte offset in the text as read.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Type.
    pub etype: EntityType,
    /// Canonical name.
    pub canonical: String,
    /// Gazetteer id, empty for pattern-found entities.
    pub entity_id: String,
    /// Surface text, `doc[start..end]`.
    pub text: String,
    /// The rule that found it.
    pub rule: &'static str,
}

/// One row of `triples.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct TripleRow {
    /// doc_id.
    pub doc_id: String,
    /// Evidence start offset in the text as read.
    pub evidence_start: usize,
    /// Evidence end offset.
    pub evidence_end: usize,
    /// Kind.
    pub kind: Kind,
    /// Subject.
    pub subject: String,
    /// Object.
    pub object: String,
    /// Relation.
    pub relation: String,
    /// The evidence sentence as read.
    pub evidence: String,
    /// Subject type.
    pub subject_type: EntityType,
    /// Object type.
    pub object_type: EntityType,
    /// Article date.
    pub date: String,
    /// Status.
    pub status: &'static str,
    /// Confidence in [0, 1].
    pub confidence: f32,
    /// Rule.
    pub rule: &'static str,
}

impl TripleRow {
    /// The sort key: document, evidence position, then the triple itself.
    fn key(&self) -> (&str, usize, Kind, &str, &str, &str) {
        (
            &self.doc_id,
            self.evidence_start,
            self.kind,
            &self.subject,
            &self.object,
            &self.relation,
        )
    }
}

/// One row of `documents.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocRow {
    /// doc_id.
    pub doc_id: String,
    /// Path it was read from.
    pub source: String,
    /// Title line, if any.
    pub title: String,
    /// Article date (ISO 8601), if known.
    pub date: String,
    /// Size in bytes as read.
    pub bytes: usize,
    /// `ok` or `skipped: <reason>`.
    pub status: String,
    /// Problems that did not stop processing, `; `-separated.
    pub warnings: String,
}

/// One document analysed: what the relation stage and the writers read.
#[derive(Debug)]
pub struct Analysis<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Its normalized view.
    pub norm: Normalized<'a>,
    /// Segmentation of the normalized text.
    pub segments: Segments,
    /// Resolved entities, in normalized offsets, sorted by start.
    pub entities: Vec<Entity>,
    /// Article date, if known.
    pub date: Option<(i32, u32, u32)>,
}

/// The rows of one run, sorted.
#[derive(Debug, Default)]
pub struct Output {
    /// documents.csv rows.
    pub documents: Vec<DocRow>,
    /// entities.csv rows.
    pub entities: Vec<EntityRow>,
    /// triples.csv rows.
    pub triples: Vec<TripleRow>,
}

/// Everything one document yields.
#[derive(Debug)]
pub struct DocOutput {
    /// Its documents.csv row.
    pub doc: DocRow,
    /// Its entities.
    pub entities: Vec<EntityRow>,
    /// Its triples.
    pub triples: Vec<TripleRow>,
}

impl Engine {
    /// Build the matcher and recognizers for `gaz`.
    pub fn new(gaz: Gazetteer) -> Result<Engine> {
        let matcher = Matcher::new(&gaz)?;
        let recognizers = Recognizers::new(&gaz);
        Ok(Engine {
            gaz,
            matcher,
            recognizers,
        })
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// The matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Run every stage up to resolution on one document.
    pub fn analyze<'a>(&self, doc: &'a Document) -> Analysis<'a> {
        let norm = normalize(&doc.text);
        let text = norm.text();
        let segments = segment::segment(text);
        let date = segments
            .meta_date
            .as_ref()
            .and_then(|(_, d)| parse_iso_date(d));
        let lower = text.to_ascii_lowercase();
        let mut candidates: Vec<Candidate> = Vec::new();
        self.matcher.find(text, &lower, &mut candidates);
        self.expand_conjuncts(text, &mut candidates);
        let mut proposals = Vec::new();
        let mut bare_titles = Vec::new();
        self.recognizers
            .titled_persons(text, &mut proposals, &mut bare_titles);
        self.recognizers.role_nouns(text, &mut proposals);
        recognize::phrases(text, &mut proposals);
        recognize::companies(text, &mut proposals);
        recognize::dates(text, date, &mut proposals);
        let mut acronyms = Vec::new();
        recognize::acronym_defs(text, &mut acronyms);
        let entities = resolve::resolve(resolve::Inputs {
            text,
            gaz: &self.gaz,
            candidates: &candidates,
            proposals,
            acronyms: &acronyms,
            bare_titles: &bare_titles,
            year: date.map(|d| d.0),
            segments: &segments,
        });
        Analysis {
            doc,
            segments,
            entities,
            date,
            norm,
        }
    }

    /// `Departments of State and Commerce`: each conjunct whose full name
    /// (`Department of Commerce`) is a gazetteer alias becomes a candidate.
    fn expand_conjuncts(&self, text: &str, candidates: &mut Vec<Candidate>) {
        let mut conj = Vec::new();
        recognize::conjuncts(text, &mut conj);
        let mut found = Vec::new();
        for c in conj {
            found.clear();
            self.matcher
                .find(&c.full, &c.full.to_ascii_lowercase(), &mut found);
            if let Some(hit) = found.iter().find(|h| {
                h.start == 0 && h.end == c.full.len() && h.form == crate::matcher::Form::Alias
            }) {
                candidates.push(Candidate {
                    start: c.span.start,
                    end: c.span.end,
                    entry: hit.entry,
                    form: crate::matcher::Form::Alias,
                });
            }
        }
    }

    /// The entity rows of an analysis, in original offsets.
    pub fn entity_rows(&self, a: &Analysis<'_>) -> Vec<EntityRow> {
        a.entities
            .iter()
            .map(|e| {
                let start = a.norm.start_to_original(e.span.start);
                let end = a.norm.end_to_original(e.span.end);
                EntityRow {
                    doc_id: a.doc.id.clone(),
                    start,
                    end,
                    etype: e.etype,
                    canonical: e.canonical.clone(),
                    entity_id: e
                        .entry
                        .map(|i| self.gaz.entry(i as usize).id.clone())
                        .unwrap_or_default(),
                    text: a.doc.text[start..end].to_string(),
                    rule: e.rule,
                }
            })
            .collect()
    }

    /// The triple rows of an analysis, in original offsets.
    pub fn triple_rows(&self, a: &Analysis<'_>) -> Vec<TripleRow> {
        let date = a
            .segments
            .meta_date
            .as_ref()
            .map(|(_, d)| d.clone())
            .unwrap_or_default();
        relate::relate(a.norm.text(), &a.segments, &a.entities, &self.gaz)
            .into_iter()
            .map(|t| {
                let start = a.norm.start_to_original(t.evidence.start);
                let end = a.norm.end_to_original(t.evidence.end);
                TripleRow {
                    doc_id: a.doc.id.clone(),
                    evidence_start: start,
                    evidence_end: end,
                    kind: t.kind,
                    subject: t.subject,
                    object: t.object,
                    relation: t.relation,
                    evidence: a.doc.text[start..end].to_string(),
                    subject_type: t.subject_type,
                    object_type: t.object_type,
                    date: date.clone(),
                    status: t.status,
                    confidence: t.confidence,
                    rule: t.rule,
                }
            })
            .collect()
    }

    /// Process one located document completely. A bug that panics on one
    /// document costs that document (reported as skipped), not the run.
    pub fn process(&self, loc: &Located) -> DocOutput {
        let run = std::panic::AssertUnwindSafe(|| self.process_inner(loc));
        std::panic::catch_unwind(run).unwrap_or_else(|_| DocOutput {
            doc: DocRow {
                doc_id: loc.id.clone(),
                source: loc.source.clone(),
                title: String::new(),
                date: String::new(),
                bytes: 0,
                status: "skipped: internal error while processing (please report it)".into(),
                warnings: String::new(),
            },
            entities: Vec::new(),
            triples: Vec::new(),
        })
    }

    fn process_inner(&self, loc: &Located) -> DocOutput {
        match input::read(loc) {
            Outcome::Ok(doc) => {
                let a = self.analyze(&doc);
                let rows = self.entity_rows(&a);
                let triples = self.triple_rows(&a);
                let title = a
                    .segments
                    .title
                    .clone()
                    .map(|r| a.norm.text()[r].to_string())
                    .unwrap_or_default();
                let date = a
                    .segments
                    .meta_date
                    .as_ref()
                    .map(|(_, d)| d.clone())
                    .unwrap_or_default();
                let row = DocRow {
                    doc_id: doc.id.clone(),
                    source: doc.source.clone(),
                    title,
                    date,
                    bytes: doc.text.len(),
                    status: "ok".into(),
                    warnings: doc.warnings.join("; "),
                };
                DocOutput {
                    doc: row,
                    entities: rows,
                    triples,
                }
            }
            Outcome::Skipped {
                id,
                source,
                bytes,
                reason,
            } => DocOutput {
                doc: DocRow {
                    doc_id: id,
                    source,
                    title: String::new(),
                    date: String::new(),
                    bytes,
                    status: format!("skipped: {reason}"),
                    warnings: String::new(),
                },
                entities: Vec::new(),
                triples: Vec::new(),
            },
        }
    }

    /// Process all documents on `threads` worker threads (0: one per core).
    pub fn run(&self, docs: &[Located], threads: usize) -> Result<Output> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::msg(format!("cannot start {threads} worker threads: {e}")))?;
        let per_doc: Vec<DocOutput> =
            pool.install(|| docs.par_iter().map(|d| self.process(d)).collect());
        let mut out = Output::default();
        for d in per_doc {
            out.documents.push(d.doc);
            out.entities.extend(d.entities);
            out.triples.extend(d.triples);
        }
        out.documents.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
        out.entities.sort();
        out.triples.sort_by(|a, b| a.key().cmp(&b.key()));
        Ok(out)
    }
}
