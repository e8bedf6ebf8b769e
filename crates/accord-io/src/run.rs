//! The run: documents read, analysed in parallel and written in input order.
//!
//! [`stream`] is a bounded pipeline: one thread reads and decodes
//! articles (decompressing, parsing dumps), the workers analyse batches of
//! them in parallel, and one thread hands each document's rows, in input
//! order, to a [`Sink`]. At most a few batches are in flight, so memory
//! depends on the largest article, not on the size of the input. Sinks that
//! sort (CSV) sort by `doc_id` first, so the output is byte-identical at any
//! thread count.
//!
//! Each article runs within a [`Budget`]: a deadline of
//! [`StreamOptions::max_article_seconds`] from the moment a worker takes it
//! up. An article that runs out is reported as `skipped: took longer than
//! S s` and the run goes on.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use accord_core::budget::Budget;
use accord_core::engine::{DocRow, Engine, EntityRow, TripleRow};
use accord_core::error::{Error, Result};

use crate::dedupe;
use crate::input::{self, Located, Outcome, ReadOptions};
use crate::output::{Fragment, jsonl, shard};

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
#[derive(Clone, Debug)]
pub struct DocOutput {
    /// Its documents.csv row.
    pub doc: DocRow,
    /// Its entities, sorted (empty once [`work`] has encoded them as CSV).
    pub entities: Vec<EntityRow>,
    /// Its triples, sorted (empty once [`work`] has encoded them as CSV).
    pub triples: Vec<TripleRow>,
    /// How many entity and triple rows it has, counted before any were dropped.
    pub rows: (usize, usize),
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
    /// CSV fragments ([`crate::output::Fragment`]); the rows themselves are
    /// then dropped ([`DocOutput::rows`] keeps their counts).
    Csv(crate::output::CsvOptions),
    /// One JSON line ([`crate::output::jsonl::encode`]).
    JsonLine,
    /// One shard line ([`crate::output::shard::encode`]).
    Shard(crate::output::CsvOptions),
}

/// A document's rows encoded by a worker.
#[derive(Clone, Debug)]
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

/// How [`stream`] runs.
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
    /// Stop an article that takes longer than this many seconds and report
    /// it as skipped (`None`: no limit).
    pub max_article_seconds: Option<f64>,
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

/// Process one article completely. A bug that panics on one article
/// costs that article (reported as skipped), not the run.
pub fn process(engine: &Engine, rec: Outcome) -> DocOutput {
    process_hashed(engine, rec, None, None)
}

/// [`process`] stopped after `seconds`: an article that takes longer is
/// reported as `skipped: took longer than S s`.
pub fn process_within(engine: &Engine, rec: Outcome, seconds: Option<f64>) -> DocOutput {
    process_hashed(engine, rec, None, seconds)
}

/// [`process`] with the content hash already known
/// (the reader computes it for incremental runs).
fn process_hashed(
    engine: &Engine,
    rec: Outcome,
    hash: Option<u128>,
    seconds: Option<f64>,
) -> DocOutput {
    let (id, source, bytes) = (rec.id().to_string(), source_of(&rec), rec.bytes());
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs_f64(s));
    let budget = Budget::until(deadline);
    let run = std::panic::AssertUnwindSafe(|| {
        process_inner(engine, rec, hash, &budget).unwrap_or_else(|(id, source, bytes)| {
            skipped_output(
                id,
                source,
                bytes,
                format!("took longer than {} s", seconds.unwrap_or_default()),
            )
        })
    });
    std::panic::catch_unwind(run).unwrap_or_else(|_| {
        skipped_output(
            id,
            source,
            bytes,
            "internal error while processing (please report it)".into(),
        )
    })
}

/// The article's output, or its id, source and size when it ran out of budget.
fn process_inner(
    engine: &Engine,
    rec: Outcome,
    hash: Option<u128>,
    budget: &Budget,
) -> std::result::Result<DocOutput, (String, String, usize)> {
    Ok(match rec {
        Outcome::Ok(doc) => {
            let over = || (doc.id.clone(), doc.source.clone(), doc.text.len());
            let a = engine.analyze_within(&doc, budget).map_err(|_| over())?;
            let (row, entities, triples) = engine.rows_within(&a, budget).map_err(|_| over())?;
            DocOutput {
                doc: row,
                rows: (entities.len(), triples.len()),
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
    })
}

/// Process all located inputs on `threads` worker threads (0: one per
/// core) and return the rows in memory, sorted.
pub fn run(engine: &Engine, docs: &[Located], threads: usize) -> Result<Output> {
    let mut sink = Collect::default();
    stream(
        engine,
        docs,
        StreamOptions {
            threads,
            read: &ReadOptions::default(),
            keep: None,
            on_progress: None,
            encode: Encoding::None,
            duplicates: Some(dedupe::Deduper::new(dedupe::DEFAULT_THRESHOLD)),
            unique_ids: true,
            max_article_seconds: None,
        },
        &mut sink,
    )?;
    Ok(sink.into_output())
}

/// Read, analyse and hand to `sink` every article of `docs`, in input
/// order, with reading, analysis and writing overlapping. Doc ids are
/// made unique in the run (a repeated id gets `~2`, `~3`, …).
pub fn stream(
    engine: &Engine,
    docs: &[Located],
    opts: StreamOptions<'_>,
    sink: &mut dyn Sink,
) -> Result<Progress> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| Error::msg(format!("cannot start {} worker threads: {e}", opts.threads)))?;
    let raw_bytes = AtomicU64::new(0);
    let unchanged = AtomicU64::new(0);
    let (rec_tx, rec_rx) = mpsc::sync_channel::<(Outcome, u128)>(BATCH_DOCS * 2);
    let (out_tx, out_rx) = mpsc::sync_channel::<Vec<DocOutput>>(2);
    let read_opts = opts.read;
    let keep = opts.keep;
    let unique_ids = opts.unique_ids;
    let seconds = opts.max_article_seconds;
    let mut on_progress = opts.on_progress;
    std::thread::scope(|scope| {
        let raw_bytes = &raw_bytes;
        let unchanged = &unchanged;
        scope.spawn(move || {
            let mut ids = UniqueIds::default();
            for loc in docs {
                let mut emit = |rec: Outcome| {
                    let (rec, hash) = admit(unique_ids.then_some(&mut ids), rec);
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
        let deduper = opts.duplicates;
        let writer = scope.spawn(move || -> Result<Progress> {
            let mut w = Writer::new(encode, deduper);
            for batch in out_rx {
                for d in batch {
                    w.accept(d, sink)?;
                }
                let p = &mut w.progress;
                p.raw_bytes = raw_bytes.load(Ordering::Relaxed);
                p.unchanged = unchanged.load(Ordering::Relaxed);
                if let Some(f) = on_progress.as_mut() {
                    f(p);
                }
            }
            Ok(w.progress)
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
            let todo = std::mem::take(&mut batch);
            let done: Vec<DocOutput> = pool.install(|| {
                todo.into_par_iter()
                    .map(|(r, hash)| work(engine, r, hash, seconds, encode))
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

/// What the reader thread does with each article it reads before handing
/// it to the workers: make its doc_id unique in the run (with `ids`) and
/// compute its content hash (0 for a skipped article).
pub fn admit(ids: Option<&mut UniqueIds>, mut rec: Outcome) -> (Outcome, u128) {
    if let Some(ids) = ids {
        let id = ids.unique(rec.id());
        rec.set_id(id);
    }
    let hash = match &rec {
        Outcome::Ok(d) => input::content_hash(d),
        Outcome::Skipped { .. } => 0,
    };
    (rec, hash)
}

/// What a worker does with one article: process it (within `seconds`) and
/// encode its rows as `encode` says, so the output thread only copies bytes.
pub fn work(
    engine: &Engine,
    rec: Outcome,
    hash: u128,
    seconds: Option<f64>,
    encode: Encoding,
) -> DocOutput {
    let mut d = process_hashed(engine, rec, Some(hash), seconds);
    d.encoded = match encode {
        Encoding::None => None,
        Encoding::Csv(o) => {
            let f = Fragment::new(&d, o);
            // The CSV sink needs the encoded rows only (a near-duplicate
            // re-encodes its document row alone): free the rows here, on a
            // worker, rather than on the single output thread.
            d.entities = Vec::new();
            d.triples = Vec::new();
            Some(Encoded::Csv(f))
        }
        Encoding::JsonLine => Some(Encoded::Line(jsonl::encode(&d))),
        Encoding::Shard(o) => Some(Encoded::Line(shard::encode(&d, o))),
    };
    d
}

/// What the output thread does with each document, in input order: flag it
/// when it is a near-duplicate of an earlier one (re-encoding its document
/// row), count it, and hand it to the sink.
#[derive(Debug)]
pub struct Writer {
    encode: Encoding,
    deduper: Option<dedupe::Deduper>,
    /// Totals so far (`raw_bytes` and `unchanged` are the reader's to fill in).
    pub progress: Progress,
}

impl Writer {
    /// A writer for rows encoded as `encode`, flagging near-duplicates with `deduper`.
    pub fn new(encode: Encoding, deduper: Option<dedupe::Deduper>) -> Writer {
        Writer {
            encode,
            deduper,
            progress: Progress::default(),
        }
    }

    /// Take the next document's output.
    pub fn accept(&mut self, mut d: DocOutput, sink: &mut dyn Sink) -> Result<()> {
        if let (Some(dd), Some(sk)) = (self.deduper.as_mut(), &d.sketch)
            && let Some(first) = dd.check(&d.doc.doc_id, sk)
        {
            d.doc.duplicate_of = first;
            // The workers encoded the row before this was known.
            match (&mut d.encoded, self.encode) {
                (Some(Encoded::Csv(f)), Encoding::Csv(o)) => {
                    f.doc = Fragment::document(&d.doc, o);
                }
                (Some(Encoded::Line(_)), Encoding::JsonLine) => {
                    d.encoded = Some(Encoded::Line(jsonl::encode(&d)));
                }
                _ => {}
            }
        }
        let p = &mut self.progress;
        p.documents += 1;
        p.skipped += u64::from(!d.doc.is_ok());
        p.entities += d.rows.0 as u64;
        p.triples += d.rows.1 as u64;
        p.text_bytes += d.doc.bytes as u64;
        sink.accept(d)
    }
}

/// Gives each doc_id once in a run: a repeat becomes `id~2`, `id~3`, …
#[derive(Debug, Default)]
pub struct UniqueIds(HashSet<String>);

impl UniqueIds {
    /// `id`, or `id~N` for the first N that is new in the run.
    pub fn unique(&mut self, id: &str) -> String {
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
        rows: (0, 0),
        hash: 0,
        encoded: None,
        sketch: None,
    }
}
