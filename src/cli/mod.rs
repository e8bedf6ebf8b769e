//! The command line: the only module that reads flags or prints to the user.
//!
//! Each subcommand (`accord extract`, `merge`, `eval`, …) lives in their own file with
//! their arguments and a `run` function; this file holds the top-level parser
//! and the shared exit-status logic.

mod aggregate;
mod bench;
mod eval;
mod extract;
mod gazetteer;
mod inputs;
mod merge;
mod report;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use accord_core::engine::{CHUNK_BYTES, Engine};
use accord_core::gazetteer::Files;

pub use aggregate::AggregateArgs;
pub use bench::BenchArgs;
pub use eval::EvalArgs;
pub use extract::ExtractArgs;
pub use gazetteer::GazetteerArgs;
pub use inputs::InputsArgs;
pub use merge::MergeArgs;
pub use report::ReportArgs;

/// accord: international space cooperation from news text to data.
#[derive(Debug, Parser)]
#[command(name = "accord", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract entities from articles into CSV files.
    Extract(ExtractArgs),
    /// Check gazetteer files and show their statistics.
    Gazetteer(GazetteerArgs),
    /// Score the extraction against gold sets; fail on a drop against a baseline.
    Eval(EvalArgs),
    /// One row per cooperation across articles, and mention counts per entity.
    Aggregate(AggregateArgs),
    /// One self-contained HTML page: network, timeline, relations, documents, summary.
    Report(ReportArgs),
    /// Join the pieces of one run (`extract --format shard`) into its CSV files.
    Merge(MergeArgs),
    /// Measure throughput on generated data; report against the performance targets.
    Bench(BenchArgs),
    /// Name and order a file listing (JSON lines on stdin) as `extract` would: for jobs that list files themselves, such as Spark.
    Inputs(InputsArgs),
}

/// The CSV flags of the commands that write CSV cells.
#[derive(Clone, Copy, Debug, Default, clap::Args)]
pub struct CsvFlags {
    /// Write cells as they are, without neutralizing formula-like cells.
    #[arg(long)]
    pub raw_csv: bool,
    /// Start each CSV with a UTF-8 byte-order mark so Excel shows accents right.
    #[arg(long)]
    pub excel: bool,
}

impl CsvFlags {
    /// The writers' options.
    pub fn options(self) -> accord_io::output::CsvOptions {
        accord_io::output::CsvOptions {
            raw: self.raw_csv,
            bom: self.excel,
        }
    }
}

/// Run a parsed command line; the only place that decides the exit status.
pub fn run(cli: Cli) -> accord_core::Result<ExitCode> {
    // A file-size limit (`ulimit -f`) kills a process that passes it
    // unless SIGXFSZ is handled; handled, the write fails with an error
    // that is reported like a full disk, and the old output stays.
    #[cfg(unix)]
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Gazetteer(args) => gazetteer::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Aggregate(args) => aggregate::run(args),
        Command::Report(args) => report::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Inputs(args) => inputs::run(args),
    }
}

/// Build the engine for `files` (whose fingerprint is `fingerprint`),
/// through the gazetteer cache unless `no_cache`. Cache notes go to stderr
/// unless `quiet`.
fn load_engine(
    files: Files,
    fingerprint: &str,
    no_cache: bool,
    quiet: bool,
) -> accord_core::Result<(Engine, accord_core::cache::Status)> {
    let dir = if no_cache {
        None
    } else {
        accord_core::cache::dir_from_env(|v| std::env::var_os(v))
    };
    let loaded = accord_core::cache::load(files, fingerprint, dir.as_deref().map(Path::new))?;
    if !quiet {
        for note in &loaded.notes {
            eprintln!("accord: {note}");
        }
    }
    let mut engine = Engine::with_matcher(loaded.gazetteer, loaded.matcher);
    // ACCORD_CHUNK_BYTES: a testing and tuning knob (0 turns chunking off).
    if let Ok(v) = std::env::var("ACCORD_CHUNK_BYTES") {
        engine.set_chunk_bytes(v.trim().parse().unwrap_or(CHUNK_BYTES));
    }
    Ok((engine, loaded.status))
}
