//! The pipeline: document → normalize → segment → match + recognize →
//! resolve → rows, one document at a time, documents in parallel.
//!
//! [`Engine::stream`] is a bounded pipeline: one thread reads and decodes
//! articles (decompressing, parsing dumps), the workers analyse batches of
//! them in parallel, and one thread hands each document's rows, in input
//! order, to a [`Sink`]. At most a few batches are in flight, so memory
//! depends on the largest article, not on the size of the input. Sinks that
//! sort (CSV) sort by `doc_id` first, so the output is byte-identical at any
//! thread count.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::dedupe;
use crate::error::{Error, Result};
use crate::gazetteer::{EntityType, Gazetteer};
use crate::input::{self, Document, Located, Outcome, ReadOptions};
use crate::matcher::{Candidate, Matcher};
use crate::normalize::{Normalized, normalize};
use crate::output::{Fragment, jsonl, shard};
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
    /// Texts longer than this are matched in pieces of this size in parallel (0: never).
    chunk_bytes: usize,
}

/// Default for [`Engine::set_chunk_bytes`]: 1 MiB.
pub const CHUNK_BYTES: usize = 1 << 20;

/// What the matcher and the recognizers find in a text (or a piece of one),
/// each in the order it was found.
#[derive(Debug, Default)]
struct Found {
    candidates: Vec<Candidate>,
    conjuncts: Vec<Candidate>,
    titled: Vec<recognize::Proposal>,
    bare_titles: Vec<recognize::TitleHit>,
    role_nouns: Vec<recognize::Proposal>,
    phrases: Vec<recognize::Proposal>,
    companies: Vec<recognize::Proposal>,
    dates: [Vec<recognize::Proposal>; 4],
    acronyms: Vec<recognize::AcronymDef>,
}

impl Found {
    /// Append the finds of the next piece, whose offsets start at `at`.
    fn append(&mut self, mut next: Found, at: usize) {
        let shift = |r: &mut std::ops::Range<usize>| {
            r.start += at;
            r.end += at;
        };
        for c in next.candidates.iter_mut().chain(&mut next.conjuncts) {
            c.start += at;
            c.end += at;
        }
        let proposals = next
            .titled
            .iter_mut()
            .chain(&mut next.role_nouns)
            .chain(&mut next.phrases)
            .chain(&mut next.companies)
            .chain(next.dates.iter_mut().flatten());
        for p in proposals {
            shift(&mut p.span);
            if let Some(t) = &mut p.title {
                shift(&mut t.span);
            }
        }
        for t in &mut next.bare_titles {
            shift(&mut t.span);
        }
        for a in &mut next.acronyms {
            shift(&mut a.name);
            shift(&mut a.acronym);
        }
        self.candidates.append(&mut next.candidates);
        self.conjuncts.append(&mut next.conjuncts);
        self.titled.append(&mut next.titled);
        self.bare_titles.append(&mut next.bare_titles);
        self.role_nouns.append(&mut next.role_nouns);
        self.phrases.append(&mut next.phrases);
        self.companies.append(&mut next.companies);
        for (all, mut more) in self.dates.iter_mut().zip(next.dates) {
            all.append(&mut more);
        }
        self.acronyms.append(&mut next.acronyms);
    }
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
    /// Address of the article, if the input gave one.
    pub url: String,
    /// doc_id of the earlier article this one is a near-duplicate of, if any.
    pub duplicate_of: String,
}

impl DocRow {
    /// True when the document was processed.
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }
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
    /// Its entities, sorted.
    pub entities: Vec<EntityRow>,
    /// Its triples, sorted.
    pub triples: Vec<TripleRow>,
    /// Content hash of the article as read (see [`input::content_hash`]); 0 when skipped.
    pub hash: u128,
    /// The rows already encoded for the sink, when [`StreamOptions::encode`] asked for it.
    pub encoded: Option<Encoded>,
    /// The body's near-duplicate sketch, when it has enough words.
    pub sketch: Option<dedupe::Sketch>,
}

/// How the workers encode each document's rows for the sink, so that the
/// single output thread only copies bytes.
#[derive(Clone, Copy, Debug, Default)]
pub enum Encoding {
    /// Leave the rows as they are.
    #[default]
    None,
    /// CSV fragments ([`crate::output::Fragment`]).
    Csv(crate::output::CsvOptions),
    /// One JSON line ([`crate::output::jsonl::encode`]).
    JsonLine,
    /// One shard line ([`crate::output::shard::encode`]).
    Shard(crate::output::CsvOptions),
}

/// A document's rows encoded by a worker.
#[derive(Debug)]
pub enum Encoded {
    /// CSV bytes for the three files.
    Csv(crate::output::Fragment),
    /// One line for a line-based sink (JSON or shard), with its newline.
    Line(Vec<u8>),
}

/// Receives each document's output, in input order.
pub trait Sink: Send {
    /// Take one document's output.
    fn accept(&mut self, out: DocOutput) -> Result<()>;
}

/// Running totals of a streamed run.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    /// Documents processed.
    pub documents: u64,
    /// Of which skipped.
    pub skipped: u64,
    /// Documents passed over because the filter had seen them.
    pub unchanged: u64,
    /// Entity rows.
    pub entities: u64,
    /// Triple rows.
    pub triples: u64,
    /// Bytes of article text processed.
    pub text_bytes: u64,
    /// Raw bytes read from the input files (compressed size).
    pub raw_bytes: u64,
}

/// Decides from an article's id and content hash whether to process it.
pub type KeepFn<'a> = dyn Fn(&str, u128) -> bool + Sync + 'a;

/// How [`Engine::stream`] runs.
pub struct StreamOptions<'a> {
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// How articles are read.
    pub read: &'a ReadOptions,
    /// Keep an article with this id and content hash? (`None`: keep all.)
    pub keep: Option<&'a KeepFn<'a>>,
    /// Called after each batch with the totals so far.
    pub on_progress: Option<&'a mut (dyn FnMut(&Progress) + Send)>,
    /// What the workers encode the rows into.
    pub encode: Encoding,
    /// Flag near-duplicates of earlier articles in this index (`None`: don't);
    /// an incremental run seeds it with the articles of earlier runs.
    pub duplicates: Option<dedupe::Deduper>,
    /// Make doc_ids unique in the run (`~2`, `~3`); a shard leaves that to the merge.
    pub unique_ids: bool,
}

/// A sink that keeps everything in memory, for tests and evaluation.
#[derive(Debug, Default)]
pub struct Collect(pub Vec<DocOutput>);

impl Sink for Collect {
    fn accept(&mut self, out: DocOutput) -> Result<()> {
        self.0.push(out);
        Ok(())
    }
}

impl Collect {
    /// All rows, sorted as the CSV files are.
    pub fn into_output(self) -> Output {
        let mut out = Output::default();
        for d in self.0 {
            out.documents.push(d.doc);
            out.entities.extend(d.entities);
            out.triples.extend(d.triples);
        }
        out.documents.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
        out.entities.sort();
        out.triples.sort_by(|a, b| a.key().cmp(&b.key()));
        out
    }
}

/// Articles per batch, and text bytes per batch, handed to the workers at once.
const BATCH_DOCS: usize = 256;
const BATCH_BYTES: usize = 8 << 20;

/// The article date as `(y, m, d)` from a date the input gave in its own
/// format (`2024-02-20T10:00:00Z`, `Tue, 20 Feb 2024 10:00:00 GMT`, `February 20, 2024`).
pub fn metadata_date(raw: &str) -> Option<(i32, u32, u32)> {
    let raw = raw.trim();
    if let Some(d) = raw.get(..10).and_then(parse_iso_date) {
        return Some(d);
    }
    let mut found = Vec::new();
    recognize::dates(raw, None, &mut found);
    found
        .iter()
        .find_map(|p| parse_iso_date(&p.canonical).filter(|_| p.canonical.len() == 10))
}

/// The document's warnings, and one more when the source gave a date
/// that cannot be read (the article then has no date, or the one its text
/// header gives).
fn warnings_with_date(doc: &Document) -> String {
    let mut w = doc.warnings.join("; ");
    if let Some(raw) = doc.date.as_deref().filter(|r| !r.trim().is_empty())
        && metadata_date(raw).is_none()
    {
        if !w.is_empty() {
            w.push_str("; ");
        }
        w.push_str(&format!(
            "the date {:?} given by the source cannot be read",
            raw.trim()
        ));
    }
    w
}

fn iso((y, m, d): (i32, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

impl Engine {
    /// Build the matcher and recognizers for `gaz`.
    pub fn new(gaz: Gazetteer) -> Result<Engine> {
        let matcher = Matcher::new(&gaz)?;
        Ok(Engine::with_matcher(gaz, matcher))
    }

    /// Build the engine around a matcher already built for `gaz` (by
    /// [`crate::cache::load`], say).
    pub fn with_matcher(gaz: Gazetteer, matcher: Matcher) -> Engine {
        let recognizers = Recognizers::new(&gaz);
        // Pieces are cut at line breaks (see `segment::chunks`): a form
        // holding one (only possible in a gazetteer built in code) rules that out.
        let multiline = gaz.entries().iter().any(|e| {
            e.aliases
                .iter()
                .chain(&e.combining)
                .chain(&e.blockers)
                .any(|a| a.contains('\n'))
        }) || gaz
            .titles()
            .iter()
            .any(|t| t.forms.iter().any(|f| f.contains('\n')));
        // ACCORD_CHUNK_BYTES: a testing and tuning knob (0 turns chunking off).
        let chunk_bytes = match std::env::var("ACCORD_CHUNK_BYTES") {
            Ok(v) => v.trim().parse().unwrap_or(CHUNK_BYTES),
            Err(_) => CHUNK_BYTES,
        };
        Engine {
            gaz,
            matcher,
            recognizers,
            chunk_bytes: if multiline { 0 } else { chunk_bytes },
        }
    }

    /// Match texts longer than `bytes` in pieces of that size, in parallel on
    /// the current rayon pool (0: never). The output does not change.
    pub fn set_chunk_bytes(&mut self, bytes: usize) {
        self.chunk_bytes = bytes;
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
        let date = doc.date.as_deref().and_then(metadata_date).or_else(|| {
            segment::meta_date(text)
                .as_ref()
                .and_then(|(_, d)| parse_iso_date(d))
        });
        let (segments, found) = if self.chunk_bytes > 0 && text.len() > self.chunk_bytes {
            // A large text: segment it while its pieces are matched.
            rayon::join(
                || segment::segment(text),
                || {
                    let pieces = segment::chunks(text, self.chunk_bytes);
                    let finds: Vec<Found> = pieces
                        .par_iter()
                        .map(|r| self.find(&text[r.clone()], date))
                        .collect();
                    let mut all = Found::default();
                    for (r, f) in pieces.iter().zip(finds) {
                        all.append(f, r.start);
                    }
                    all
                },
            )
        } else {
            (segment::segment(text), self.find(text, date))
        };
        let Found {
            mut candidates,
            conjuncts,
            titled: mut proposals,
            bare_titles,
            role_nouns,
            phrases,
            companies,
            dates,
            acronyms,
        } = found;
        candidates.extend(conjuncts);
        proposals.extend(
            role_nouns
                .into_iter()
                .chain(phrases)
                .chain(companies)
                .chain(dates.into_iter().flatten()),
        );
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

    /// Run the matcher and the recognizers over `text` (a document or a piece of one).
    fn find(&self, text: &str, date: Option<(i32, u32, u32)>) -> Found {
        let mut f = Found::default();
        let lower = text.to_ascii_lowercase();
        self.matcher.find(text, &lower, &mut f.candidates);
        self.expand_conjuncts(text, &mut f.conjuncts);
        self.recognizers
            .titled_persons(text, &mut f.titled, &mut f.bare_titles);
        self.recognizers.role_nouns(text, &mut f.role_nouns);
        recognize::phrases(text, &mut f.phrases);
        recognize::companies(text, &mut f.companies);
        f.dates = recognize::date_passes(text, date);
        recognize::acronym_defs(text, &mut f.acronyms);
        f
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
        let date = a.date.map(iso).unwrap_or_default();
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

    /// Process one article completely. A bug that panics on one article
    /// costs that article (reported as skipped), not the run.
    pub fn process(&self, rec: Outcome) -> DocOutput {
        self.process_hashed(rec, None)
    }

    /// [`process`](Self::process) with the content hash already known
    /// (the reader computes it for incremental runs).
    fn process_hashed(&self, rec: Outcome, hash: Option<u128>) -> DocOutput {
        let (id, source, bytes) = (rec.id().to_string(), source_of(&rec), rec.bytes());
        let run = std::panic::AssertUnwindSafe(|| self.process_inner(rec, hash));
        std::panic::catch_unwind(run).unwrap_or_else(|_| {
            skipped_output(
                id,
                source,
                bytes,
                "internal error while processing (please report it)".into(),
            )
        })
    }

    fn process_inner(&self, rec: Outcome, hash: Option<u128>) -> DocOutput {
        match rec {
            Outcome::Ok(doc) => {
                let a = self.analyze(&doc);
                let mut entities = self.entity_rows(&a);
                entities.sort();
                let mut triples = self.triple_rows(&a);
                triples.sort_by(|a, b| a.key().cmp(&b.key()));
                // The title as the source wrote it (curly quotes kept), not
                // the normalized form used for matching.
                let title = a
                    .segments
                    .title
                    .clone()
                    .and_then(|r| {
                        let (s, e) = (
                            a.norm.start_to_original(r.start),
                            a.norm.end_to_original(r.end),
                        );
                        doc.text.get(s..e).map(str::to_string)
                    })
                    .unwrap_or_default();
                let row = DocRow {
                    doc_id: doc.id.clone(),
                    source: doc.source.clone(),
                    title,
                    date: a.date.map(iso).unwrap_or_default(),
                    bytes: doc.text.len(),
                    status: "ok".into(),
                    warnings: warnings_with_date(&doc),
                    url: doc.url.clone().unwrap_or_default(),
                    duplicate_of: String::new(),
                };
                DocOutput {
                    doc: row,
                    entities,
                    triples,
                    hash: hash.unwrap_or_else(|| input::content_hash(&doc)),
                    encoded: None,
                    sketch: dedupe::sketch(a.norm.text(), &a.segments.sentences),
                }
            }
            Outcome::Skipped {
                id,
                source,
                bytes,
                reason,
            } => skipped_output(id, source, bytes, reason),
        }
    }

    /// Process all located inputs on `threads` worker threads (0: one per
    /// core) and return the rows in memory, sorted.
    pub fn run(&self, docs: &[Located], threads: usize) -> Result<Output> {
        let mut sink = Collect::default();
        self.stream(
            docs,
            StreamOptions {
                threads,
                read: &ReadOptions::default(),
                keep: None,
                on_progress: None,
                encode: Encoding::None,
                duplicates: Some(dedupe::Deduper::new(dedupe::DEFAULT_THRESHOLD)),
                unique_ids: true,
            },
            &mut sink,
        )?;
        Ok(sink.into_output())
    }

    /// Read, analyse and hand to `sink` every article of `docs`, in input
    /// order, with reading, analysis and writing overlapping. Doc ids are
    /// made unique in the run (a repeated id gets `~2`, `~3`, …).
    pub fn stream(
        &self,
        docs: &[Located],
        opts: StreamOptions<'_>,
        sink: &mut dyn Sink,
    ) -> Result<Progress> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads)
            .build()
            .map_err(|e| {
                Error::msg(format!("cannot start {} worker threads: {e}", opts.threads))
            })?;
        let raw_bytes = AtomicU64::new(0);
        let unchanged = AtomicU64::new(0);
        let (rec_tx, rec_rx) = mpsc::sync_channel::<(Outcome, u128)>(BATCH_DOCS * 2);
        let (out_tx, out_rx) = mpsc::sync_channel::<Vec<DocOutput>>(2);
        let read_opts = opts.read;
        let keep = opts.keep;
        let unique_ids = opts.unique_ids;
        let mut on_progress = opts.on_progress;
        std::thread::scope(|scope| {
            let raw_bytes = &raw_bytes;
            let unchanged = &unchanged;
            scope.spawn(move || {
                let mut ids = UniqueIds::default();
                for loc in docs {
                    let mut emit = |mut rec: Outcome| {
                        if unique_ids {
                            let id = ids.unique(rec.id());
                            rec.set_id(id);
                        }
                        let hash = match &rec {
                            Outcome::Ok(d) => input::content_hash(d),
                            Outcome::Skipped { .. } => 0,
                        };
                        if let Some(keep) = keep
                            && hash != 0
                            && !keep(rec.id(), hash)
                        {
                            unchanged.fetch_add(1, Ordering::Relaxed);
                            return true;
                        }
                        rec_tx.send((rec, hash)).is_ok()
                    };
                    let read = std::panic::AssertUnwindSafe(|| {
                        input::read_each(loc, read_opts, raw_bytes, &mut emit)
                    });
                    if std::panic::catch_unwind(read).is_err() {
                        let rec = Outcome::Skipped {
                            id: if unique_ids {
                                ids.unique(&loc.id)
                            } else {
                                loc.id.clone()
                            },
                            source: loc.source.clone(),
                            bytes: 0,
                            reason: "internal error while reading (please report it); the rest of the file is not read".into(),
                        };
                        if rec_tx.send((rec, 0)).is_err() {
                            return;
                        }
                    }
                }
            });
            let encode = opts.encode;
            let mut deduper = opts.duplicates;
            let writer = scope.spawn(move || -> Result<Progress> {
                let mut p = Progress::default();
                for batch in out_rx {
                    for mut d in batch {
                        if let (Some(dd), Some(sk)) = (deduper.as_mut(), &d.sketch)
                            && let Some(first) = dd.check(&d.doc.doc_id, sk)
                        {
                            d.doc.duplicate_of = first;
                            // The workers encoded the row before this was known.
                            match (&mut d.encoded, encode) {
                                (Some(Encoded::Csv(f)), Encoding::Csv(o)) => {
                                    f.doc = Fragment::document(&d.doc, o);
                                }
                                (Some(Encoded::Line(_)), Encoding::JsonLine) => {
                                    d.encoded = Some(Encoded::Line(jsonl::encode(&d)));
                                }
                                _ => {}
                            }
                        }
                        p.documents += 1;
                        p.skipped += u64::from(!d.doc.is_ok());
                        p.entities += d.entities.len() as u64;
                        p.triples += d.triples.len() as u64;
                        p.text_bytes += d.doc.bytes as u64;
                        sink.accept(d)?;
                    }
                    p.raw_bytes = raw_bytes.load(Ordering::Relaxed);
                    p.unchanged = unchanged.load(Ordering::Relaxed);
                    if let Some(f) = on_progress.as_mut() {
                        f(&p);
                    }
                }
                Ok(p)
            });
            let mut batch: Vec<(Outcome, u128)> = Vec::with_capacity(BATCH_DOCS);
            let mut open = true;
            while open {
                let mut bytes = 0;
                while batch.len() < BATCH_DOCS && bytes < BATCH_BYTES {
                    match rec_rx.recv() {
                        Ok((rec, hash)) => {
                            bytes += rec.bytes();
                            batch.push((rec, hash));
                        }
                        Err(_) => {
                            open = false;
                            break;
                        }
                    }
                }
                if batch.is_empty() {
                    break;
                }
                let work = std::mem::take(&mut batch);
                let done: Vec<DocOutput> = pool.install(|| {
                    work.into_par_iter()
                        .map(|(r, hash)| {
                            let mut d = self.process_hashed(r, Some(hash));
                            d.encoded = match encode {
                                Encoding::None => None,
                                Encoding::Csv(o) => Some(Encoded::Csv(Fragment::new(&d, o))),
                                Encoding::JsonLine => Some(Encoded::Line(jsonl::encode(&d))),
                                Encoding::Shard(o) => Some(Encoded::Line(shard::encode(&d, o))),
                            };
                            d
                        })
                        .collect()
                });
                if out_tx.send(done).is_err() {
                    break;
                }
            }
            drop(out_tx);
            drop(rec_rx);
            let mut p = writer
                .join()
                .map_err(|_| Error::msg("the output thread failed"))??;
            p.raw_bytes = raw_bytes.load(Ordering::Relaxed);
            p.unchanged = unchanged.load(Ordering::Relaxed);
            Ok(p)
        })
    }
}

/// Gives each doc_id once in a run: a repeat becomes `id~2`, `id~3`, …
#[derive(Debug, Default)]
pub(crate) struct UniqueIds(HashSet<String>);

impl UniqueIds {
    pub(crate) fn unique(&mut self, id: &str) -> String {
        if self.0.insert(id.to_string()) {
            return id.to_string();
        }
        let mut n = 2;
        loop {
            let next = format!("{id}~{n}");
            if self.0.insert(next.clone()) {
                return next;
            }
            n += 1;
        }
    }
}

fn source_of(rec: &Outcome) -> String {
    match rec {
        Outcome::Ok(d) => d.source.clone(),
        Outcome::Skipped { source, .. } => source.clone(),
    }
}

fn skipped_output(id: String, source: String, bytes: usize, reason: String) -> DocOutput {
    DocOutput {
        doc: DocRow {
            doc_id: id,
            source,
            title: String::new(),
            date: String::new(),
            bytes,
            status: format!("skipped: {reason}"),
            warnings: String::new(),
            url: String::new(),
            duplicate_of: String::new(),
        },
        entities: Vec::new(),
        triples: Vec::new(),
        hash: 0,
        encoded: None,
        sketch: None,
    }
}
