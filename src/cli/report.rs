//! `accord report`: one self-contained HTML page of the cooperation in one
//! or more output directories (network, timeline, relations, documents,
//! summary). See [`crate::report`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::report::{self, Filters, Limits};
use accord_core::error::{Error, Result};

/// Arguments of `accord report`.
#[derive(Debug, Args, Default)]
pub struct ReportArgs {
    /// Output directories of `accord extract` (and `accord aggregate`) to
    /// read. Default: output/
    #[arg(value_name = "OUTPUT_DIR")]
    pub inputs: Vec<PathBuf>,
    /// The HTML file to write. Default: report.html in the first OUTPUT_DIR
    /// (output/report.html).
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Show only relations supported by at least N independent documents.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_documents: usize,
    /// Show only these kinds of relation (agreement, mission, dialogue, role).
    #[arg(long, value_name = "K,..", value_delimiter = ',')]
    pub kind: Vec<String>,
    /// Only articles dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles dated on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD;
    /// a month or year includes all of it).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Print no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

impl ReportArgs {
    /// The directories to read, the file to write and the filters, checked.
    pub fn resolve(&self) -> Result<(Vec<PathBuf>, PathBuf, Filters)> {
        let inputs = if self.inputs.is_empty() {
            vec![PathBuf::from("output")]
        } else {
            self.inputs.clone()
        };
        let out = self
            .out
            .clone()
            .unwrap_or_else(|| inputs[0].join("report.html"));
        for (flag, v) in [("--since", &self.since), ("--until", &self.until)] {
            if let Some(d) = v
                && !report::data::is_iso_date(d)
            {
                return Err(Error::msg(format!(
                    "{flag} {d}: not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
                )));
            }
        }
        // `--until 2024` covers all of 2024: compare at the shorter length.
        if let (Some(s), Some(u)) = (&self.since, &self.until)
            && s[..s.len().min(u.len())] > u[..s.len().min(u.len())]
        {
            return Err(Error::msg(format!("--since {s} is after --until {u}")));
        }
        let mut kinds: Vec<String> = Vec::new();
        for k in &self.kind {
            let k = k.trim().to_ascii_lowercase();
            if k.is_empty() || !k.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(Error::msg(format!(
                    "--kind {k:?}: a kind is a word such as agreement, mission, dialogue or role"
                )));
            }
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        kinds.sort();
        Ok((
            inputs,
            out,
            Filters {
                kinds,
                since: self.since.clone(),
                until: self.until.clone(),
                min_documents: self.min_documents,
            },
        ))
    }
}

/// Run `accord report`.
pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let (inputs, out, filters) = args.resolve()?;
    let loaded = report::data::load(&inputs)?;
    let built = report::data::build(loaded, &filters, Limits::default())?;
    for k in &filters.kinds {
        if !built.kinds_seen.contains(k) {
            eprintln!(
                "accord: warning: --kind {k}: no relation of that kind (kinds here: {})",
                built.kinds_seen.join(", ")
            );
        }
    }
    for p in built.problems.iter().take(20) {
        eprintln!("accord: {p}");
    }
    if built.problems.len() > 20 {
        eprintln!(
            "accord: and {} more input problems (listed in the report)",
            built.problems.len() - 20
        );
    }
    report::write(&out, &built)?;
    if !args.quiet {
        eprintln!(
            "accord: {} relations, {} parties, {} documents read; wrote {}",
            built.relations.len(),
            built.nodes.len(),
            built.docs_read,
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let (inputs, out, f) = ReportArgs::default().resolve().unwrap();
        assert_eq!(inputs, [PathBuf::from("output")]);
        assert_eq!(out, PathBuf::from("output/report.html"));
        assert_eq!(f, Filters::default());
        let args = ReportArgs {
            inputs: vec!["a".into(), "b".into()],
            out: Some("r.html".into()),
            min_documents: 2,
            kind: vec!["Mission".into(), "agreement".into(), "mission".into()],
            since: Some("2024-03".into()),
            until: Some("2024".into()),
            quiet: true,
        };
        let (inputs, out, f) = args.resolve().unwrap();
        assert_eq!(inputs.len(), 2);
        assert_eq!(out, PathBuf::from("r.html"));
        assert_eq!(f.kinds, ["agreement", "mission"]);
        assert_eq!(f.min_documents, 2);
        // Without -o the page goes into the first directory.
        let args = ReportArgs {
            inputs: vec!["runs/a".into()],
            ..ReportArgs::default()
        };
        assert_eq!(
            args.resolve().unwrap().1,
            PathBuf::from("runs/a/report.html")
        );
    }

    #[test]
    fn bad_flags_are_refused_with_the_value() {
        let bad = |a: ReportArgs| a.resolve().unwrap_err().to_string();
        let e = bad(ReportArgs {
            since: Some("March 2024".into()),
            ..ReportArgs::default()
        });
        assert!(e.contains("--since March 2024"), "{e}");
        let e = bad(ReportArgs {
            since: Some("2024-05".into()),
            until: Some("2024-01-31".into()),
            ..ReportArgs::default()
        });
        assert!(e.contains("after"), "{e}");
        let e = bad(ReportArgs {
            kind: vec!["<b>".into()],
            ..ReportArgs::default()
        });
        assert!(e.contains("--kind"), "{e}");
    }
}
