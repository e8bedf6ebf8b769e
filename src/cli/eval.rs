//! `accord eval`: score extraction against gold sets, compare with a baseline.
//!
//! Every gold set found under each `--gold` is scored and reported on its
//! own (`dev`, `seeds`, `test` under `tests/gold`; `realdev` from
//! `--gold ../shared/realdev`), then summed up one line per set. How items
//! match is [`crate::eval`]'s business; the gazetteers of `--gazetteers` (or
//! the embedded ones) give the aliases a predicted entity answers to.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::eval::{self, Baseline, Prf, Regression, SetReport};
use accord_core::error::{Error, Result};
use accord_core::gazetteer::{Files, Gazetteer};
use accord_io::input::{self, Input, Outcome};

/// Report formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal.
    #[default]
    Table,
    /// Everything, machine-readable.
    Json,
    /// Tables for a CI summary or a pull request.
    Markdown,
    /// JUnit XML: one test case per score group.
    Junit,
}

/// Arguments of `accord eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A gold set, or a directory of gold sets (each with entities.csv, triples.csv, articles/).
    /// Repeat to score several; set names must differ.
    #[arg(long, value_name = "DIR", default_value = "tests/gold")]
    pub gold: Vec<PathBuf>,
    /// Score this output directory (entities.csv, triples.csv) instead of running the extraction.
    #[arg(long, value_name = "DIR")]
    pub pred: Option<PathBuf>,
    /// Compare with this saved scores file; exit with status 1 when an F1 drops.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Save the scores as a baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Largest F1 drop that is not a regression.
    #[arg(long, value_name = "F1", default_value_t = 0.005)]
    pub tolerance: f64,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Extra gazetteers, as for `extract`: the extraction runs with them, and a
    /// predicted entity answers to the aliases of its entry (`entity_id`) in
    /// them, with `--pred` too.
    #[arg(short, long, value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Load `--gazetteers` from their CSV files, without the gazetteer cache.
    #[arg(long)]
    pub no_cache: bool,
}

/// Run `accord eval`.
pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let mut sets = Vec::new();
    for dir in &args.gold {
        for set in eval::load_sets(dir)? {
            if sets.iter().any(|s: &eval::GoldSet| s.name == set.name) {
                return Err(Error::msg(format!(
                    "{}: a second gold set named '{}' (names key the scores and the baseline)",
                    dir.display(),
                    set.name
                )));
            }
            sets.push(set);
        }
    }
    let engine = match &args.pred {
        Some(_) => None,
        None => {
            let files = Files::read(args.gazetteers.as_deref())?;
            let fingerprint = files.fingerprint()?;
            Some(super::load_engine(files, &fingerprint, args.no_cache, false)?.0)
        }
    };
    let from_dir = match &args.pred {
        Some(dir) => {
            let gaz = Gazetteer::load(args.gazetteers.as_deref())?;
            Some(eval::prediction_from_dir(dir, &gaz)?)
        }
        None => None,
    };
    let mut reports = Vec::new();
    for set in &sets {
        let docs = if set.articles.is_dir() {
            input::locate(&[Input::Path(set.articles.clone())])?
        } else {
            Vec::new()
        };
        let mut texts = BTreeMap::new();
        for d in &docs {
            if let Outcome::Ok(doc) = input::read(d) {
                texts.insert(doc.id, doc.text);
            }
        }
        let pred = match (&engine, &from_dir) {
            (_, Some(p)) => p.clone(),
            (Some(engine), None) => {
                if docs.is_empty() {
                    return Err(Error::msg(format!(
                        "{}: no articles to run the extraction on (or give --pred)",
                        set.articles.display()
                    )));
                }
                let out = accord_io::run::run(engine, &docs, args.threads)?;
                eval::prediction_from_rows(&out.entities, &out.triples, &texts, engine.gazetteer())
            }
            (None, None) => unreachable!("either an engine or a prediction"),
        };
        reports.push(eval::score(set, &pred, &texts));
    }
    let (regressions, unknown) = match &args.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let base: Baseline = serde_json::from_str(&text)
                .map_err(|e| Error::msg(format!("{}: not a baseline file: {e}", path.display())))?;
            let unknown: Vec<&str> = reports
                .iter()
                .filter(|r| !base.sets.contains_key(&r.name))
                .map(|r| r.name.as_str())
                .collect();
            (
                Some(eval::compare(&base, &reports, args.tolerance)),
                unknown,
            )
        }
        None => (None, Vec::new()),
    };
    let text = match args.format {
        Format::Table => table(&reports, regressions.as_deref()),
        Format::Markdown => markdown(&reports, regressions.as_deref()),
        Format::Json => json(&reports, regressions.as_deref())?,
        Format::Junit => junit(&reports, regressions.as_deref()),
    };
    print!("{text}");
    // On stderr, so that JSON and JUnit stay parseable.
    for name in unknown {
        eprintln!(
            "accord eval: note: the baseline has no gold set '{name}': its scores are not gated"
        );
    }
    if let Some(path) = &args.write_baseline {
        let base = Baseline {
            sets: reports
                .iter()
                .map(|r| (r.name.clone(), r.scores.clone()))
                .collect(),
        };
        let body = serde_json::to_string_pretty(&base).expect("scores serialize") + "\n";
        write_file(path, &body)?;
    }
    Ok(match regressions {
        Some(r) if !r.is_empty() => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}

fn write_file(path: &std::path::Path, body: &str) -> Result<()> {
    let mut file = accord_io::output::AtomicFile::create(path)?;
    file.write(body.as_bytes())?;
    file.commit()
}

fn row(name: &str, p: &Prf) -> String {
    format!(
        "  {name:<12} {:>6.3} {:>6.3} {:>6.3} {:>5} {:>5} {:>5}\n",
        p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
    )
}

/// A set's micro-averaged entity and triple scores.
fn overall(r: &SetReport) -> (Prf, Prf) {
    let get = |m: &BTreeMap<String, Prf>, k: &str| m.get(k).copied().unwrap_or_default();
    (
        get(&r.scores.entities, "ALL"),
        get(&r.scores.triples, "all"),
    )
}

/// `agreement 0.32, mission 0.24, ...`: triple F1 per kind.
fn by_kind(r: &SetReport) -> String {
    r.scores
        .triples
        .iter()
        .filter(|(k, _)| *k != "all")
        .map(|(k, p)| format!("{k} {:.2}", p.f1))
        .collect::<Vec<_>>()
        .join(", ")
}

fn table(reports: &[SetReport], regs: Option<&[Regression]>) -> String {
    let mut s = String::new();
    for r in reports {
        let _ = writeln!(s, "gold set {}", r.name);
        for (what, groups) in [
            ("entities", &r.scores.entities),
            ("triples", &r.scores.triples),
        ] {
            let _ = writeln!(
                s,
                "  {what:<12} {:>6} {:>6} {:>6} {:>5} {:>5} {:>5}",
                "P", "R", "F1", "tp", "fp", "fn"
            );
            for (g, p) in groups {
                s.push_str(&row(g, p));
            }
        }
        for (label, items) in [
            ("missed", &r.missed),
            ("spurious", &r.spurious),
            ("reported from boilerplate or negatives", &r.leaked),
        ] {
            let _ = writeln!(s, "  {label} ({}):", items.len());
            for f in items {
                let _ = writeln!(
                    s,
                    "    [{}] {}: {}  «{}»",
                    f.doc_id, f.group, f.item, f.evidence
                );
            }
        }
        s.push('\n');
    }
    s.push_str("summary\n");
    let _ = writeln!(
        s,
        "  {:<12} {:>6} {:>6} {:>6}  {:>6} {:>6} {:>6}  triple F1 by kind",
        "set", "ent P", "ent R", "ent F1", "tri P", "tri R", "tri F1"
    );
    for r in reports {
        let (e, t) = overall(r);
        let _ = writeln!(
            s,
            "  {:<12} {:>6.3} {:>6.3} {:>6.3}  {:>6.3} {:>6.3} {:>6.3}  {}",
            r.name,
            e.precision,
            e.recall,
            e.f1,
            t.precision,
            t.recall,
            t.f1,
            by_kind(r)
        );
    }
    s.push('\n');
    if let Some(regs) = regs {
        if regs.is_empty() {
            s.push_str("no regression against the baseline\n");
        } else {
            let _ = writeln!(s, "REGRESSIONS against the baseline ({}):", regs.len());
            for g in regs {
                let _ = writeln!(
                    s,
                    "  {} {}: F1 {:.4} -> {:.4}",
                    g.set, g.group, g.before, g.after
                );
            }
        }
    }
    s
}

fn markdown(reports: &[SetReport], regs: Option<&[Regression]>) -> String {
    let mut s = String::new();
    for r in reports {
        let _ = writeln!(s, "### Gold set `{}`\n", r.name);
        s.push_str("| group | P | R | F1 | tp | fp | fn |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (what, groups) in [
            ("entities", &r.scores.entities),
            ("triples", &r.scores.triples),
        ] {
            for (g, p) in groups {
                let _ = writeln!(
                    s,
                    "| {what}:{g} | {:.3} | {:.3} | {:.3} | {} | {} | {} |",
                    p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
                );
            }
        }
        for (label, items) in [
            ("Missed", &r.missed),
            ("Spurious", &r.spurious),
            ("From boilerplate", &r.leaked),
        ] {
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(s, "\n**{label}** ({})\n", items.len());
            for f in items {
                let _ = writeln!(
                    s,
                    "- `{}` {}: {} — {}",
                    f.doc_id,
                    f.group,
                    f.item,
                    f.evidence.replace('|', "\\|")
                );
            }
        }
        s.push('\n');
    }
    s.push_str("### Summary\n\n| set | entity P / R / F1 | triple P / R / F1 | triple F1 by kind |\n| --- | --- | --- | --- |\n");
    for r in reports {
        let (e, t) = overall(r);
        let _ = writeln!(
            s,
            "| `{}` | {:.3} / {:.3} / {:.3} | {:.3} / {:.3} / {:.3} | {} |",
            r.name,
            e.precision,
            e.recall,
            e.f1,
            t.precision,
            t.recall,
            t.f1,
            by_kind(r)
        );
    }
    s.push('\n');
    if let Some(regs) = regs {
        if regs.is_empty() {
            s.push_str("No regression against the baseline.\n");
        } else {
            s.push_str("**Regressions against the baseline**\n\n");
            for g in regs {
                let _ = writeln!(
                    s,
                    "- {} {}: F1 {:.4} → {:.4}",
                    g.set, g.group, g.before, g.after
                );
            }
        }
    }
    s
}

fn json(reports: &[SetReport], regs: Option<&[Regression]>) -> Result<String> {
    let v = serde_json::json!({ "sets": reports, "regressions": regs });
    Ok(serde_json::to_string_pretty(&v).map_err(|e| Error::msg(e.to_string()))? + "\n")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn junit(reports: &[SetReport], regs: Option<&[Regression]>) -> String {
    let regs = regs.unwrap_or(&[]);
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"accord eval\">\n",
    );
    for r in reports {
        let groups: Vec<(String, &Prf)> = r
            .scores
            .entities
            .iter()
            .map(|(g, p)| (format!("entities:{g}"), p))
            .chain(
                r.scores
                    .triples
                    .iter()
                    .map(|(g, p)| (format!("triples:{g}"), p)),
            )
            .collect();
        let failures = groups
            .iter()
            .filter(|(g, _)| regs.iter().any(|x| x.set == r.name && &x.group == g))
            .count();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">",
            xml_escape(&r.name),
            groups.len()
        );
        for (g, p) in &groups {
            let _ = writeln!(
                s,
                "    <testcase classname=\"{}\" name=\"{}\">",
                xml_escape(&r.name),
                xml_escape(g)
            );
            if let Some(x) = regs.iter().find(|x| x.set == r.name && &x.group == g) {
                let lost: Vec<String> = r
                    .missed
                    .iter()
                    .chain(&r.spurious)
                    .filter(|f| &f.group == g || g.ends_with(":ALL") || g.ends_with(":all"))
                    .map(|f| format!("[{}] {}", f.doc_id, f.item))
                    .collect();
                let _ = writeln!(
                    s,
                    "      <failure message=\"F1 {:.4} -> {:.4}\">{}</failure>",
                    x.before,
                    x.after,
                    xml_escape(&lost.join("\n"))
                );
            }
            let _ = writeln!(
                s,
                "      <system-out>P {:.3} R {:.3} F1 {:.3} (tp {}, fp {}, fn {})</system-out>\n    </testcase>",
                p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
            );
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}
