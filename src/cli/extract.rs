//! `accord extract`: read articles, write `entities.csv`, `triples.csv` and
//! `documents.csv` (or JSON lines on standard output).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::CsvFlags;

use crate::config::Config;
use accord_core::error::{Error, Result};
use accord_core::gazetteer::Files;
use accord_io::dedupe::Deduper;
use accord_io::input::detect::Format;
use accord_io::input::{self, Input, ReadOptions, StdinAs, jsonl::Fields};
use accord_io::output;
use accord_io::output::jsonl::JsonLines;
use accord_io::output::lock::Lock;
use accord_io::output::manifest::Manifest;
use accord_io::output::sorted::{DEFAULT_BUDGET, SortedCsv};
use accord_io::run::{self, DocOutput, Encoding, Progress, Sink, StreamOptions};

/// Default of `--max-article-seconds`.
pub const DEFAULT_MAX_ARTICLE_SECONDS: f64 = 30.0;

/// What `extract` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// entities.csv, triples.csv and documents.csv in the output directory.
    #[default]
    Csv,
    /// One JSON object per article on standard output, in input order.
    Jsonl,
    /// One line per article on standard output holding its CSV rows, for
    /// `accord merge` to join pieces of one run (see the scale-out section
    /// of the README). doc_ids are left as read and near-duplicates are not
    /// flagged: `merge` does both across all pieces.
    Shard,
}

/// Format of inputs whose name does not show one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Recognise it from the content.
    #[default]
    Auto,
    /// Plain text or Markdown, one article.
    Text,
    /// An HTML page, one article.
    Html,
    /// JSON lines, one article each.
    Jsonl,
    /// A WARC file of HTML responses.
    Warc,
    /// An ARC file (the Internet Archive's format before WARC).
    Arc,
}

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
    /// Output: CSV files in --out, or JSON lines on standard output.
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    pub format: OutputFormat,
    /// Format of standard input and of files whose name shows none.
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    pub input_format: InputFormat,
    /// Name standard input as this file: the source column, the doc_id stem,
    /// and (unless --input-format is given) the format its name shows.
    #[arg(long, value_name = "PATH")]
    pub stdin_name: Option<String>,
    /// doc_id stem of standard input's lines without an id (default: from --stdin-name).
    #[arg(long, value_name = "ID")]
    pub stdin_id: Option<String>,
    /// Line number of standard input's first line, when it is a piece of a larger JSONL file.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub first_line: usize,
    /// JSONL field holding the article id (default: id, doc_id, uuid).
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
    /// JSONL field holding the text (default: text, body, content, article, maintext).
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,
    /// JSONL field holding the headline (default: title, headline).
    #[arg(long, value_name = "NAME")]
    pub title_field: Option<String>,
    /// JSONL field holding the publication date (default: date, published, publish_date, date_publish, published_at).
    #[arg(long, value_name = "NAME")]
    pub date_field: Option<String>,
    /// JSONL field holding the address (default: url, link, source_url).
    #[arg(long, value_name = "NAME")]
    pub url_field: Option<String>,
    /// Process only articles the output directory does not hold yet, and
    /// merge their rows into its CSV files.
    #[arg(long)]
    pub incremental: bool,
    /// Largest article (or JSONL line) in bytes; larger ones are skipped and reported.
    #[arg(long, value_name = "BYTES", default_value_t = input::DEFAULT_MAX_ARTICLE_BYTES)]
    pub max_article_bytes: usize,
    /// Stop an article that takes longer than this many seconds and report
    /// it as skipped (`skipped: took longer than S s`); 0 turns the limit off.
    #[arg(long, value_name = "S", default_value_t = DEFAULT_MAX_ARTICLE_SECONDS)]
    pub max_article_seconds: f64,
    /// Skip articles that are not valid UTF-8 instead of replacing the bad bytes.
    #[arg(long)]
    pub strict_utf8: bool,
    /// Memory for sorting rows before they spill to temporary files, in MB.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_BUDGET >> 20)]
    pub sort_buffer_mb: usize,
    /// Flag an article as a near-duplicate of an earlier one at this estimated
    /// similarity of their bodies (0 turns it off).
    #[arg(long, value_name = "T", default_value_t = accord_io::dedupe::DEFAULT_THRESHOLD)]
    pub duplicate_threshold: f64,
    /// Load `--gazetteers` from their CSV files, without reading or writing
    /// the gazetteer cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Write the run's figures (bytes, articles, rows, seconds, peak memory) as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub stats: Option<PathBuf>,
    /// How CSV cells and files are written.
    #[command(flatten)]
    pub csv: CsvFlags,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Replace the output files even when no article was read (by default
    /// such a run stops and leaves the previous output as it was).
    #[arg(long)]
    pub allow_empty: bool,
}

impl ExtractArgs {
    /// Resolve the flags into a runtime configuration.
    pub fn to_config(&self) -> Result<Config> {
        let mut cfg = Config::default();
        if self.inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
            return Err(Error::msg(
                "standard input (-) can be read once; give - only once",
            ));
        }
        if !self.inputs.is_empty() {
            cfg.inputs = self
                .inputs
                .iter()
                .map(|p| {
                    if p.as_os_str() == "-" {
                        Input::Stdin(StdinAs {
                            name: self.stdin_name.clone(),
                            id: self.stdin_id.clone(),
                            first_line: self.first_line,
                        })
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
        if !(0.0..=1.0).contains(&self.duplicate_threshold) {
            return Err(Error::msg("--duplicate-threshold must be between 0 and 1"));
        }
        if self.max_article_bytes == 0 {
            return Err(Error::msg("--max-article-bytes must be at least 1"));
        }
        if !(self.max_article_seconds >= 0.0 && self.max_article_seconds.is_finite()) {
            return Err(Error::msg(
                "--max-article-seconds must be a number of seconds, 0 or more",
            ));
        }
        if self.incremental && self.format != OutputFormat::Csv {
            return Err(Error::msg(
                "--incremental works on the CSV files of an output directory, not with --format jsonl or shard",
            ));
        }
        if self.first_line == 0 {
            return Err(Error::msg("--first-line counts from 1"));
        }
        cfg.csv = self.csv.options();
        cfg.quiet = self.quiet;
        Ok(cfg)
    }

    /// Flags given that do nothing in the chosen mode, each with why.
    pub fn idle_flags(&self) -> Vec<String> {
        let mut out = Vec::new();
        let stdin = self.inputs.iter().any(|p| p.as_os_str() == "-");
        if !stdin {
            for (given, flag) in [
                (self.stdin_name.is_some(), "--stdin-name"),
                (self.stdin_id.is_some(), "--stdin-id"),
                (self.first_line != 1, "--first-line"),
            ] {
                if given {
                    out.push(format!(
                        "{flag} names standard input, which is not read (no - among the inputs)"
                    ));
                }
            }
        }
        if self.format == OutputFormat::Jsonl {
            for (given, flag) in [
                (self.csv.excel, "--excel"),
                (self.csv.raw_csv, "--raw-csv"),
                (self.out.is_some(), "-o/--out"),
                (self.allow_empty, "--allow-empty"),
            ] {
                if given {
                    out.push(format!(
                        "{flag} has no effect with --format jsonl, which writes JSON lines to standard output"
                    ));
                }
            }
        }
        if self.format == OutputFormat::Shard && (self.out.is_some() || self.allow_empty) {
            out.push(
                "-o/--out and --allow-empty have no effect with --format shard, which writes to standard output".into(),
            );
        }
        out
    }

    /// The near-duplicate index of a run (`None` when turned off), holding
    /// the first articles of earlier runs for an incremental one.
    fn deduper(&self, base: Option<&Manifest>) -> Option<Deduper> {
        if self.duplicate_threshold <= 0.0 {
            return None;
        }
        let mut d = Deduper::new(self.duplicate_threshold);
        if let Some(m) = base {
            d.seed_all(
                m.docs
                    .iter()
                    .filter_map(|(id, (_, sketch))| Some((id, sketch.as_ref()?))),
            );
        }
        Some(d)
    }

    /// The per-article time limit, if any.
    fn article_seconds(&self) -> Option<f64> {
        (self.max_article_seconds > 0.0).then_some(self.max_article_seconds)
    }

    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: match self.input_format {
                InputFormat::Auto => None,
                InputFormat::Text => Some(Format::Text),
                InputFormat::Html => Some(Format::Html),
                InputFormat::Jsonl => Some(Format::Jsonl),
                InputFormat::Warc => Some(Format::Warc),
                InputFormat::Arc => Some(Format::Arc),
            },
            fields: Fields {
                id: self.id_field.clone(),
                text: self.text_field.clone(),
                title: self.title_field.clone(),
                date: self.date_field.clone(),
                url: self.url_field.clone(),
            },
            max_article_bytes: self.max_article_bytes,
            strict_utf8: self.strict_utf8,
        }
    }
}

/// Run `accord extract`.
pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let cfg = args.to_config()?;
    for idle in args.idle_flags() {
        eprintln!("accord: warning: {idle}");
    }
    if args.inputs.is_empty() && !Path::new("corpus").exists() {
        return Err(Error::msg(format!(
            "no input given, and the default input directory corpus/ is not in {}; name the files or directories to read: accord extract DIR_OR_FILE... (or - for standard input)",
            std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|_| "the current directory".into())
        )));
    }
    if args.format == OutputFormat::Csv && cfg.out.is_file() {
        return Err(Error::msg(format!(
            "-o {} is a file; -o names the directory that receives entities.csv, triples.csv and documents.csv",
            cfg.out.display()
        )));
    }
    let read = args.read_options();
    let started = Instant::now();
    let files = Files::read(cfg.gazetteers.as_deref())?;
    let fingerprint = files.fingerprint()?;
    let (engine, cache) = super::load_engine(files, &fingerprint, args.no_cache, cfg.quiet)?;
    let docs = input::locate(&cfg.inputs)?;
    let total = input::total_bytes(&docs);
    let bar = progress_bar(cfg.quiet, total);
    let mut report = |p: &Progress| {
        if let Some(b) = &bar {
            b.set_position(p.raw_bytes);
            b.set_message(format!("{} articles", p.documents));
        }
    };
    let progress = match args.format {
        OutputFormat::Jsonl | OutputFormat::Shard => {
            let shard = args.format == OutputFormat::Shard;
            let stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
            let mut sink = JsonLines::new(stdout);
            let mut sink = Report {
                inner: &mut sink,
                bar: bar.clone(),
            };
            let p = run::stream(
                &engine,
                &docs,
                StreamOptions {
                    threads: cfg.threads,
                    read: &read,
                    keep: None,
                    on_progress: Some(&mut report),
                    encode: if shard {
                        Encoding::Shard(cfg.csv)
                    } else {
                        Encoding::JsonLine
                    },
                    duplicates: if shard { None } else { args.deduper(None) },
                    unique_ids: !shard,
                    max_article_seconds: args.article_seconds(),
                },
                &mut sink,
            )?;
            sink.inner.finish_stream()?;
            p
        }
        OutputFormat::Csv => {
            std::fs::create_dir_all(&cfg.out).map_err(|e| Error::io(&cfg.out, e))?;
            let _lock = Lock::take(&cfg.out)?;
            output::clean_stale_temps(&cfg.out);
            let base = if args.incremental {
                base_manifest(&cfg.out, &fingerprint)?
            } else {
                None
            };
            let keep = |id: &str, hash: u128| {
                base.as_ref()
                    .is_none_or(|m| m.docs.get(id).map(|d| d.0) != Some(hash))
            };
            let mut sink = SortedCsv::new(&cfg.out, cfg.csv, args.sort_buffer_mb << 20);
            let p = run::stream(
                &engine,
                &docs,
                StreamOptions {
                    threads: cfg.threads,
                    read: &read,
                    keep: Some(&keep),
                    on_progress: Some(&mut report),
                    encode: Encoding::Csv(cfg.csv),
                    duplicates: args.deduper(base.as_ref()),
                    unique_ids: true,
                    max_article_seconds: args.article_seconds(),
                },
                &mut Report {
                    inner: &mut sink,
                    bar: bar.clone(),
                },
            )?;
            if p.documents == p.skipped && p.unchanged == 0 && !args.allow_empty {
                // Dropping the sink removes its temporary files.
                drop(sink);
                return Err(Error::msg(nothing_read(&cfg.inputs, &p, &cfg.out)));
            }
            sink.finish(&fingerprint, base)
                .map_err(|e| out_of_space(e, &cfg.out))?;
            p
        }
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    let rss = peak_rss_kb();
    if let Some(path) = &args.stats {
        write_stats(path, &progress, secs, rss, cache)?;
    }
    if !cfg.quiet {
        let unchanged = if args.incremental {
            format!(", {} unchanged", progress.unchanged)
        } else {
            String::new()
        };
        let wrote = match args.format {
            OutputFormat::Csv => format!("; wrote {}", cfg.out.display()),
            OutputFormat::Jsonl | OutputFormat::Shard => String::new(),
        };
        eprintln!(
            "accord: {} articles read, {} skipped{unchanged}, {} entities, {} triples; {:.2} s, {:.1} MB/s{}{wrote}",
            progress.documents - progress.skipped,
            progress.skipped,
            progress.entities,
            progress.triples,
            secs,
            progress.text_bytes as f64 / 1e6 / secs.max(1e-9),
            rss.map(|kb| format!(", peak memory {} MB", kb / 1024))
                .unwrap_or_default(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Why a run that read no article stops: what was found and skipped.
fn nothing_read(inputs: &[Input], p: &Progress, out: &Path) -> String {
    let unread = input::unread_by_extension(inputs);
    let mut found = Vec::new();
    if p.skipped > 0 {
        found.push(format!(
            "{} {} skipped (reasons above)",
            p.skipped,
            if p.skipped == 1 {
                "article"
            } else {
                "articles"
            }
        ));
    }
    if !unread.is_empty() {
        let n: usize = unread.values().sum();
        let exts: Vec<String> = unread.iter().map(|(ext, k)| format!("{k} {ext}")).collect();
        found.push(format!(
            "{n} {} not read, as their names show no format accord reads ({})",
            if n == 1 { "file" } else { "files" },
            exts.join(", ")
        ));
    }
    if found.is_empty() {
        found.push("no file".into());
    }
    format!(
        "no article was read: {}; the previous output in {} is left as it was (--allow-empty writes empty files)",
        found.join("; "),
        out.display()
    )
}

/// A full disk or a file-size limit, said plainly.
fn out_of_space(e: Error, out: &Path) -> Error {
    if e.is_out_of_space() {
        Error::msg(format!(
            "{e}: the disk is full or a file-size limit was reached; the previous output in {} is left as it was",
            out.display()
        ))
    } else {
        e
    }
}

/// Tells the user on stderr about each skipped article and each warning,
/// then hands the rows on.
struct Report<'a, S: Sink> {
    inner: &'a mut S,
    bar: Option<indicatif::ProgressBar>,
}

impl<S: Sink> Sink for Report<'_, S> {
    fn accept(&mut self, out: DocOutput) -> Result<()> {
        let d = &out.doc;
        let say = |msg: String| match &self.bar {
            Some(b) => b.println(msg),
            None => eprintln!("{msg}"),
        };
        if !d.is_ok() {
            say(format!("accord: {}: {}", d.source, d.status));
        }
        if !d.warnings.is_empty() {
            say(format!("accord: {}: warning: {}", d.source, d.warnings));
        }
        self.inner.accept(out)
    }
}

/// The manifest an incremental run builds on, or `None` (with the reason on
/// stderr) when the output must be made afresh.
fn base_manifest(out: &Path, fingerprint: &str) -> Result<Option<Manifest>> {
    match Manifest::load(out)? {
        Some(m) if m.fingerprint == fingerprint => Ok(Some(m)),
        Some(_) => {
            eprintln!(
                "accord: the gazetteers or the accord version changed since {} was written; processing every input again and replacing the output",
                out.display()
            );
            Ok(None)
        }
        None => {
            if out.join("documents.csv").exists() {
                eprintln!(
                    "accord: {} has no {}; processing every input and replacing the output",
                    out.display(),
                    accord_io::output::manifest::FILE
                );
            }
            Ok(None)
        }
    }
}

fn progress_bar(quiet: bool, total: u64) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr_with_hz(4),
    );
    let style = indicatif::ProgressStyle::with_template(
        "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} {msg} ETA {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// Peak resident memory of this process in KiB (Linux; `None` elsewhere).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn write_stats(
    path: &Path,
    p: &Progress,
    secs: f64,
    rss: Option<u64>,
    cache: accord_core::cache::Status,
) -> Result<()> {
    let v = serde_json::json!({
        "articles": p.documents - p.skipped,
        "skipped": p.skipped,
        "unchanged": p.unchanged,
        "entities": p.entities,
        "triples": p.triples,
        "text_bytes": p.text_bytes,
        "input_bytes": p.raw_bytes,
        "seconds": secs,
        "peak_rss_kb": rss,
        "gazetteer_cache": cache.as_str(),
    });
    std::fs::write(path, format!("{v:#}\n")).map_err(|e| Error::io(path, e))
}
