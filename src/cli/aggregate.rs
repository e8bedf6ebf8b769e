//! `accord aggregate`: one row per cooperation across the articles of one or
//! more output directories, and mention counts per entity.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::CsvFlags;
use crate::aggregate;
use accord_core::error::Result;

/// Arguments of `accord aggregate`.
#[derive(Debug, Args, Default)]
pub struct AggregateArgs {
    /// Output directories of `accord extract` to read. Default: output/
    #[arg(value_name = "OUTPUT_DIR")]
    pub inputs: Vec<PathBuf>,
    /// Where to write relations.csv and entity_counts.csv. Default: output/
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Count near-duplicate articles as separate supporting documents.
    #[arg(long)]
    pub count_duplicates: bool,
    /// How CSV cells and files are written.
    #[command(flatten)]
    pub csv: CsvFlags,
    /// Print no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Run `accord aggregate`.
pub fn run(args: AggregateArgs) -> Result<ExitCode> {
    let inputs = if args.inputs.is_empty() {
        vec![PathBuf::from("output")]
    } else {
        args.inputs.clone()
    };
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("output"));
    let agg = aggregate::aggregate(&inputs, args.count_duplicates)?;
    aggregate::write(&out, &agg, args.csv.options())?;
    if !args.quiet {
        eprintln!(
            "accord: {} relations, {} entities from {} output director{}; wrote {}",
            agg.relations.len(),
            agg.entities.len(),
            inputs.len(),
            if inputs.len() == 1 { "y" } else { "ies" },
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
