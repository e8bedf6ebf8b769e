//! `accord gazetteer`: load the gazetteers, report every bad row, show
//! counts; and its subcommands, one file each: `lint` (every problem, with
//! what to do), `suggest` (names the gazetteers lack, mined from articles)
//! and `import-wikidata` (rows from a Wikidata JSON dump).

mod import;
mod lint;
mod suggest;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use accord_core::error::Result;
use accord_core::gazetteer::{EntityType, Gazetteer};
use accord_core::matcher::Matcher;

/// Arguments of `accord gazetteer`.
#[derive(Debug, Args, Default)]
#[command(args_conflicts_with_subcommands = true)]
pub struct GazetteerArgs {
    /// Directory of CSV gazetteers to check on top of the embedded ones.
    #[arg(short, long, value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
    /// Without a subcommand: check the rows and show counts.
    #[command(subcommand)]
    pub command: Option<GazetteerCommand>,
}

/// Subcommands of `accord gazetteer`.
#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    /// Every problem of the gazetteers with file, line and what to do; exit 1 on errors.
    Lint(lint::LintArgs),
    /// Mine articles for names the gazetteers lack; write them as rows to review.
    Suggest(suggest::SuggestArgs),
    /// Write gazetteer rows from a Wikidata JSON dump (.json, .json.gz, .json.bz2).
    ImportWikidata(import::ImportArgs),
}

/// Write `text` to stdout in one go (a closed pipe is reported as such).
fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| accord_core::Error::io("<stdout>", e))
}

/// Run `accord gazetteer` or one of its subcommands.
pub fn run(args: GazetteerArgs) -> Result<ExitCode> {
    match args.command {
        Some(GazetteerCommand::Lint(a)) => lint::run(a),
        Some(GazetteerCommand::Suggest(a)) => suggest::run(a),
        Some(GazetteerCommand::ImportWikidata(a)) => import::run(a),
        None => stats(args.gazetteers),
    }
}

/// `accord gazetteer` alone: errors fail the command; statistics go to stdout.
fn stats(dir: Option<PathBuf>) -> Result<ExitCode> {
    let gaz = Gazetteer::load(dir.as_deref())?;
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
