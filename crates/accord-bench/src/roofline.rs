//! The roofline of `accord extract`: each stage of the run alone, on one
//! thread, over the same input, so that the figures say which stage bounds
//! the run at N threads.
//!
//! [`accord_io::run::stream`] is a pipeline of one reader thread, N workers
//! and one output thread. The workers scale with the cores; the reader and
//! the writer do not. A run on N workers can go at most
//! `min(reader, writer) ÷ worker` times faster than one worker: that ratio
//! is the speed-up the single-threaded stages allow.
//!
//! Each stage runs the very functions the pipeline runs, minus the channels
//! between threads:
//!
//! - **reader**: [`input::read_each`] over the located input (open, decompress,
//!   parse JSONL/WARC/HTML into documents) and [`run::admit`] (unique doc_id,
//!   content hash), the documents then dropped;
//! - **worker**: [`run::work`] on each document already in memory: the whole
//!   extraction plus encoding the rows as CSV;
//! - **writer**: [`run::Writer::accept`] into a [`SortedCsv`] of a temporary
//!   directory, then [`SortedCsv::finish`], for the documents the worker stage
//!   produced (near-duplicate check, copying the encoded rows into the three
//!   files, renaming them into place);
//! - **bare scan**: the shipped aliases in a plain Aho-Corasick automaton over
//!   the same texts ([`bench::scan_baseline`]), the ceiling of the matcher.
//!
//! Every stage reports MB/s of *input* (the bytes of the files read), so the
//! ratios between stages are ratios of throughput on the same data; the bare
//! scan also reports MB/s of document text, as the other benchmarks do.
//! The worker stage holds every document and its output in memory: give it
//! a corpus that fits.

use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use accord_core::engine::Engine;
use accord_core::error::{Error, Result};
use accord_io::input::{self, Input, Outcome, ReadOptions};
use accord_io::output::CsvOptions;
use accord_io::output::sorted::{DEFAULT_BUDGET, SortedCsv};
use accord_io::run::{self, DocOutput, Encoding, UniqueIds, Writer};

use crate::bench::{self, Samples, Texts, mbps};

/// One stage timed alone.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    /// `reader`, `worker`, `writer` or `bare scan`.
    pub name: &'static str,
    /// Seconds per run.
    pub seconds: Samples,
}

/// The roofline of one input.
#[derive(Clone, Debug, PartialEq)]
pub struct Roofline {
    /// The input file or directory.
    pub input: String,
    /// Bytes of the input files.
    pub input_bytes: u64,
    /// Bytes of document text read from them.
    pub text_bytes: u64,
    /// Documents read.
    pub documents: usize,
    /// Entity rows written.
    pub entities: u64,
    /// Triple rows written.
    pub triples: u64,
    /// The reader alone.
    pub reader: Stage,
    /// One worker alone.
    pub worker: Stage,
    /// The writer alone.
    pub writer: Stage,
    /// The bare Aho-Corasick scan of the shipped aliases.
    pub bare: Stage,
}

impl Roofline {
    /// MB/s of input of a stage's median run.
    pub fn mbps(&self, stage: &Stage) -> f64 {
        mbps(self.input_bytes, stage.seconds.median())
    }

    /// The speed-up over one worker that the reader allows (reader ÷ worker).
    pub fn reader_allows(&self) -> f64 {
        self.worker.seconds.median() / self.reader.seconds.median().max(1e-9)
    }

    /// The speed-up over one worker that the writer allows (writer ÷ worker).
    pub fn writer_allows(&self) -> f64 {
        self.worker.seconds.median() / self.writer.seconds.median().max(1e-9)
    }

    /// The worker's throughput as a share of the bare scan's, both in MB/s of text.
    pub fn worker_of_bare(&self) -> f64 {
        self.bare.seconds.median() / self.worker.seconds.median().max(1e-9)
    }
}

/// Measure the roofline of `path` (a file or directory as `extract` takes
/// it) with `engine`, `runs` times per stage; `work` is a scratch directory
/// for the writer's output.
pub fn measure(engine: &Engine, path: &Path, work: &Path, runs: usize) -> Result<Roofline> {
    let runs = runs.max(1);
    let located = input::locate(&[Input::Path(path.to_path_buf())])?;
    let opts = ReadOptions::default();

    // Reader alone.
    let mut secs = Vec::with_capacity(runs);
    let mut input_bytes = 0;
    for _ in 0..runs {
        let counter = AtomicU64::new(0);
        let started = Instant::now();
        let mut ids = UniqueIds::default();
        for loc in &located {
            input::read_each(loc, &opts, &counter, &mut |rec| {
                drop(std::hint::black_box(run::admit(Some(&mut ids), rec)));
                true
            });
        }
        secs.push(started.elapsed().as_secs_f64());
        input_bytes = counter.into_inner();
    }
    let reader = Stage {
        name: "reader",
        seconds: Samples::new(secs),
    };

    // The documents, in memory, for the other stages.
    let mut records = Vec::new();
    let mut ids = UniqueIds::default();
    let counter = AtomicU64::new(0);
    for loc in &located {
        input::read_each(loc, &opts, &counter, &mut |rec| {
            records.push(run::admit(Some(&mut ids), rec));
            true
        });
    }
    if records.is_empty() {
        return Err(Error::msg(format!(
            "{}: no document to measure the roofline on",
            path.display()
        )));
    }
    let mut texts = Texts::default();
    let mut text_bytes = 0;
    for (rec, _) in &records {
        if let Outcome::Ok(d) = rec {
            text_bytes += d.text.len() as u64;
            texts.push(d.text.clone());
        }
    }

    // One worker alone.
    let encode = Encoding::Csv(CsvOptions::default());
    let mut secs = Vec::with_capacity(runs);
    let mut outputs: Vec<DocOutput> = Vec::new();
    for _ in 0..runs {
        let batch = records.clone();
        outputs = Vec::with_capacity(batch.len());
        let started = Instant::now();
        for (rec, hash) in batch {
            outputs.push(run::work(engine, rec, hash, None, encode));
        }
        secs.push(started.elapsed().as_secs_f64());
    }
    let worker = Stage {
        name: "worker",
        seconds: Samples::new(secs),
    };
    drop(records);

    // The writer alone.
    let out_dir = work.join("roofline-out");
    let mut secs = Vec::with_capacity(runs);
    let (mut entities, mut triples) = (0, 0);
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&out_dir);
        std::fs::create_dir_all(&out_dir).map_err(|e| Error::io(&out_dir, e))?;
        let batch = outputs.clone();
        let started = Instant::now();
        let mut sink = SortedCsv::new(&out_dir, CsvOptions::default(), DEFAULT_BUDGET);
        let mut w = Writer::new(
            encode,
            Some(accord_io::dedupe::Deduper::new(
                accord_io::dedupe::DEFAULT_THRESHOLD,
            )),
        );
        for d in batch {
            w.accept(d, &mut sink)?;
        }
        sink.finish("roofline", None)?;
        secs.push(started.elapsed().as_secs_f64());
        (entities, triples) = (w.progress.entities, w.progress.triples);
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    let writer = Stage {
        name: "writer",
        seconds: Samples::new(secs),
    };
    let documents = outputs.len();
    drop(outputs);

    // The bare scan of the same texts.
    let patterns = bench::alias_patterns(engine.gazetteer());
    let baseline = bench::scan_baseline(&patterns, &texts, runs)?;
    let bare = Stage {
        name: "bare scan",
        seconds: baseline.scan.seconds,
    };

    Ok(Roofline {
        input: path.display().to_string(),
        input_bytes,
        text_bytes,
        documents,
        entities,
        triples,
        reader,
        worker,
        writer,
        bare,
    })
}

/// The roofline as a Markdown section (heading included).
pub fn report(r: &Roofline, header: &str) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "{header}\n");
    let _ = writeln!(
        s,
        "Input `{}`: {} documents, {} input bytes, {} text bytes; {} entity rows, {} triple rows. \
         MB/s of input (1 MB = 10^6 bytes), median run; allows = the speed-up over one \
         worker that the stage permits (its MB/s ÷ the worker's).\n",
        r.input, r.documents, r.input_bytes, r.text_bytes, r.entities, r.triples
    );
    let _ = writeln!(
        s,
        "| stage | min | median | MB/s of input | MB/s of text | allows |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: |");
    let allows = |st: &Stage| -> String {
        match st.name {
            "reader" => format!("{:.1}×", r.reader_allows()),
            "writer" => format!("{:.1}×", r.writer_allows()),
            "worker" => "1.0×".into(),
            _ => String::new(),
        }
    };
    for st in [&r.reader, &r.worker, &r.writer, &r.bare] {
        let _ = writeln!(
            s,
            "| {} | {:.3} s | {:.3} s | {:.1} | {:.1} | {} |",
            st.name,
            st.seconds.min(),
            st.seconds.median(),
            r.mbps(st),
            mbps(r.text_bytes, st.seconds.median()),
            allows(st)
        );
    }
    let _ = writeln!(
        s,
        "\n- reader ÷ worker: {:.1}× (target ≥ 32×: {})\n- writer ÷ worker: {:.1}× (target ≥ 32×: {})\n- worker ÷ bare scan: {:.1}%",
        r.reader_allows(),
        if r.reader_allows() >= 32.0 {
            "met"
        } else {
            "**not met**"
        },
        r.writer_allows(),
        if r.writer_allows() >= 32.0 {
            "met"
        } else {
            "**not met**"
        },
        100.0 * r.worker_of_bare()
    );
    s
}
