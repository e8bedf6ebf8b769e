//! `accord gazetteer suggest`: mine articles for names the gazetteers lack
//! and write them as gazetteer rows to review (see `accord::suggest`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;

use clap::Args;

use accord_core::engine::Engine;
use accord_core::error::{Error, Result};
use accord_core::gazetteer::{Files, Gazetteer};
use accord_io::input::{self, Input, Outcome, ReadOptions};

use crate::suggest::Suggestions;

/// Arguments of `accord gazetteer suggest`.
#[derive(Debug, Args, Default)]
pub struct SuggestArgs {
    /// Files and directories of articles (default: corpus/).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Write the rows to FILE (default: standard output). Name it e.g.
    /// `suggested.csv`: with its `type` column it loads from a -g directory.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Directory of CSV gazetteers on top of the embedded ones.
    #[arg(short, long, value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
    /// Use the files of DIR alone, without the embedded gazetteers.
    #[arg(long, requires = "gazetteers")]
    pub no_embedded: bool,
    /// Leave out names mentioned fewer than N times.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_mentions: u64,
    /// No summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The header of the suggestions file: gazetteer columns, then the evidence.
const HEADER: [&str; 14] = [
    "id",
    "type",
    "canonical",
    "aliases",
    "country",
    "title",
    "wikidata",
    "case",
    "notes",
    "mentions",
    "documents",
    "rules",
    "example_1",
    "example_2",
];

/// Run `accord gazetteer suggest`.
pub fn run(args: SuggestArgs) -> Result<ExitCode> {
    let files = match (&args.gazetteers, args.no_embedded) {
        (Some(dir), true) => Files::read_alone(dir)?,
        (dir, _) => Files::read(dir.as_deref())?,
    };
    let engine = Engine::new(Gazetteer::from_files(files)?)?;
    let inputs: Vec<Input> = if args.inputs.is_empty() {
        vec![Input::Path(PathBuf::from("corpus"))]
    } else {
        args.inputs.iter().cloned().map(Input::Path).collect()
    };
    let docs = input::locate(&inputs)?;
    let mut found = Suggestions::default();
    let opts = ReadOptions::default();
    let counter = AtomicU64::new(0);
    let mut skipped = 0u64;
    for loc in &docs {
        input::read_each(loc, &opts, &counter, &mut |outcome| {
            match outcome {
                Outcome::Ok(doc) => {
                    let analysis = engine.analyze(&doc);
                    found.add(&engine, &analysis);
                }
                Outcome::Skipped { source, reason, .. } => {
                    skipped += 1;
                    eprintln!("accord: {source}: skipped: {reason}");
                }
            }
            true
        });
    }
    let rows = found.rows(engine.gazetteer(), args.min_mentions);
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| Error::csv("<suggestions>", e);
    w.write_record(HEADER).map_err(csv_err)?;
    for s in &rows {
        let mut examples = s.examples.clone();
        examples.resize(2, String::new());
        let notes = format!(
            "suggested from {} mention(s) in {} article(s); review, then append to the type's file",
            s.mentions, s.documents
        );
        w.write_record([
            s.id.as_str(),
            s.etype.as_str(),
            &s.canonical,
            &s.aliases.join("|"),
            &s.country,
            &s.title,
            "",
            "",
            &notes,
            &s.mentions.to_string(),
            &s.documents.to_string(),
            &s.rules,
            &examples[0],
            &examples[1],
        ])
        .map_err(csv_err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::msg(format!("cannot write the suggestions: {e}")))?;
    match &args.out {
        Some(path) => {
            let mut file = accord_io::output::AtomicFile::create(path)?;
            file.write(&bytes)?;
            file.commit()?;
        }
        None => super::print(&String::from_utf8_lossy(&bytes))?,
    }
    if !args.quiet {
        eprintln!(
            "accord: {} articles read, {skipped} skipped; {} names the gazetteers lack{}",
            found.documents(),
            rows.len(),
            args.out
                .as_ref()
                .map(|p| format!("; wrote {}", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
