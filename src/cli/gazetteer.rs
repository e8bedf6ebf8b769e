//! `accord gazetteer`: load the gazetteers, report every bad row, show counts.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use accord_core::error::Result;
use accord_core::gazetteer::{EntityType, Gazetteer};
use accord_core::matcher::Matcher;

/// Arguments of `accord gazetteer`.
#[derive(Debug, Args, Default)]
pub struct GazetteerArgs {
    /// Directory of CSV gazetteers to check on top of the embedded ones.
    #[arg(short, long, value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
}

/// Run `accord gazetteer`: errors fail the command; statistics go to stdout.
pub fn run(args: GazetteerArgs) -> Result<ExitCode> {
    let gaz = Gazetteer::load(args.gazetteers.as_deref())?;
    let started = std::time::Instant::now();
    let matcher = Matcher::new(&gaz)?;
    let build = started.elapsed();
    // Dates come from patterns, never from a gazetteer.
    for t in EntityType::ALL
        .into_iter()
        .filter(|&t| t != EntityType::Date)
    {
        let n = gaz.entries().iter().filter(|e| e.etype == t).count();
        println!("{:<10} {n:>6} entries", t.as_str());
    }
    println!("{:<10} {:>6} entries", "TITLE", gaz.titles().len());
    println!(
        "aliases {}, patterns {}, automaton {} KiB, built in {:.1} ms",
        gaz.alias_count(),
        matcher.pattern_count(),
        matcher.memory_usage() / 1024,
        build.as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}
