//! `accord gazetteer lint`: every problem of the gazetteers, with file, line
//! and what to do; exit status 1 when any is an error.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use accord_core::error::Result;
use accord_core::gazetteer::Files;
use accord_core::gazetteer::lint::lint;

/// Arguments of `accord gazetteer lint`.
#[derive(Debug, Args, Default)]
pub struct LintArgs {
    /// Directory of CSV gazetteers to lint on top of the embedded ones.
    #[arg(short, long, value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
    /// Lint the files of DIR alone, without the embedded gazetteers (to lint
    /// `gazetteers/` itself, by its own file names).
    #[arg(long, requires = "gazetteers")]
    pub no_embedded: bool,
    /// Print errors only.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Run `accord gazetteer lint`: problems on stdout, a summary on stderr.
pub fn run(args: LintArgs) -> Result<ExitCode> {
    let files = match (&args.gazetteers, args.no_embedded) {
        (Some(dir), true) => Files::read_alone(dir)?,
        (dir, _) => Files::read(dir.as_deref())?,
    };
    let report = lint(files);
    let mut out = String::new();
    for p in &report.problems {
        if args.quiet && p.severity != accord_core::gazetteer::lint::Severity::Error {
            continue;
        }
        out.push_str(&p.to_string());
        out.push('\n');
    }
    super::print(&out)?;
    eprintln!(
        "accord: {} rows linted: {} errors, {} warnings",
        report.rows,
        report.errors(),
        report.warnings()
    );
    Ok(if report.errors() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
