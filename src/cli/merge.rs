//! `accord merge`: join the shard lines of the pieces of one run (Spark
//! tasks, chunks run on several machines) into the CSV files that one
//! `extract` over the whole input writes.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use accord_core::error::{Error, Result};
use accord_core::gazetteer::Gazetteer;
use accord_io::output::shard::Merge;
use accord_io::output::sorted::{DEFAULT_BUDGET, SortedCsv};
use accord_io::output::{self, CsvOptions};

/// Arguments of `accord merge`.
#[derive(Debug, Args, Default)]
pub struct MergeArgs {
    /// Files of shard lines (`extract --format shard`), in input order, or
    /// `-` for standard input. Default: standard input.
    #[arg(value_name = "SHARD")]
    pub inputs: Vec<PathBuf>,
    /// Output directory (created if missing; its CSV files are replaced whole).
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// The gazetteer directory the pieces ran with (it names the run in the
    /// manifest, as `extract` does).
    #[arg(short, long, value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
    /// Flag an article as a near-duplicate of an earlier one at this
    /// estimated similarity of their bodies (0 turns it off).
    #[arg(long, value_name = "T", default_value_t = accord_io::dedupe::DEFAULT_THRESHOLD)]
    pub duplicate_threshold: f64,
    /// Memory for sorting rows before they spill to temporary files, in MB.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_BUDGET >> 20)]
    pub sort_buffer_mb: usize,
    /// Start each CSV with a UTF-8 byte-order mark so Excel shows accents
    /// right. (Cells were written by the pieces: give them --raw-csv, if wanted.)
    #[arg(long)]
    pub excel: bool,
    /// Print no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Run `accord merge`.
pub fn run(args: MergeArgs) -> Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.duplicate_threshold) {
        return Err(Error::msg("--duplicate-threshold must be between 0 and 1"));
    }
    let started = Instant::now();
    let fingerprint = Gazetteer::fingerprint(args.gazetteers.as_deref())?;
    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    output::clean_stale_temps(&args.out);
    let opts = CsvOptions {
        raw: false,
        bom: args.excel,
    };
    let sink = SortedCsv::new(&args.out, opts, args.sort_buffer_mb << 20);
    let mut merge = Merge::new(
        sink,
        (args.duplicate_threshold > 0.0).then_some(args.duplicate_threshold),
    );
    let stdin = [PathBuf::from("-")];
    let inputs = if args.inputs.is_empty() {
        &stdin[..]
    } else {
        &args.inputs[..]
    };
    for path in inputs {
        if path.as_os_str() == "-" {
            merge.read("-", std::io::stdin().lock())?;
        } else {
            let f = File::open(path).map_err(|e| Error::io(path, e))?;
            merge.read(&path.display().to_string(), BufReader::new(f))?;
        }
    }
    let t = merge.finish(&fingerprint)?;
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "accord: merged {} articles ({} skipped), {} entities, {} triples; {:.2} s; wrote {}",
            t.documents - t.skipped,
            t.skipped,
            t.entities,
            t.triples,
            secs,
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
