//! `accord extract`: read articles, write `entities.csv`, `triples.csv` and `documents.csv`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::gazetteer::Gazetteer;
use crate::input::{self, Input};
use crate::output::{self, CsvOptions};
use crate::pipeline::Engine;

/// Arguments of `accord extract`.
#[derive(Debug, Args, Default)]
pub struct ExtractArgs {
    /// Files and directories to read (walked recursively), or `-` for standard input.
    /// Default: corpus/
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output directory (created if missing; its CSV files are replaced whole).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Directory of CSV gazetteers that extend and override the embedded ones.
    #[arg(short, long, value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Write cells as they are, without neutralizing formula-like cells.
    #[arg(long)]
    pub raw_csv: bool,
    /// Start each CSV with a UTF-8 byte-order mark so Excel shows accents right.
    #[arg(long)]
    pub excel: bool,
    /// Print no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

impl ExtractArgs {
    /// Resolve the flags into a runtime configuration.
    pub fn to_config(&self) -> Result<Config> {
        let mut cfg = Config::default();
        if !self.inputs.is_empty() {
            cfg.inputs = self
                .inputs
                .iter()
                .map(|p| {
                    if p.as_os_str() == "-" {
                        Input::Stdin
                    } else {
                        Input::Path(p.clone())
                    }
                })
                .collect();
        }
        if let Some(o) = &self.out {
            cfg.out = o.clone();
        }
        cfg.gazetteers = self.gazetteers.clone();
        if let Some(n) = self.threads {
            if n == 0 {
                return Err(Error::msg("--threads must be at least 1"));
            }
            cfg.threads = n;
        }
        cfg.csv = CsvOptions {
            raw: self.raw_csv,
            bom: self.excel,
        };
        cfg.quiet = self.quiet;
        Ok(cfg)
    }
}

/// Run `accord extract`.
pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let cfg = args.to_config()?;
    let started = Instant::now();
    let gaz = Gazetteer::load(cfg.gazetteers.as_deref())?;
    let engine = Engine::new(gaz)?;
    let docs = input::locate(&cfg.inputs)?;
    std::fs::create_dir_all(&cfg.out).map_err(|e| Error::io(&cfg.out, e))?;
    output::clean_stale_temps(&cfg.out);
    let out = engine.run(&docs, cfg.threads)?;
    for d in &out.documents {
        if d.status != "ok" {
            eprintln!("accord: {}: {}", d.source, d.status);
        }
        if !d.warnings.is_empty() {
            eprintln!("accord: {}: warning: {}", d.source, d.warnings);
        }
    }
    output::write_entities(&cfg.out, &out.entities, cfg.csv)?;
    output::write_triples(&cfg.out, &out.triples, cfg.csv)?;
    output::write_documents(&cfg.out, &out.documents, cfg.csv)?;
    if !cfg.quiet {
        let bytes: usize = out.documents.iter().map(|d| d.bytes).sum();
        let ok = out.documents.iter().filter(|d| d.status == "ok").count();
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "accord: {} documents read, {} skipped, {} entities, {} triples; {:.2} s, {:.1} MB/s; wrote {}",
            ok,
            out.documents.len() - ok,
            out.entities.len(),
            out.triples.len(),
            secs,
            bytes as f64 / 1e6 / secs.max(1e-9),
            cfg.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
