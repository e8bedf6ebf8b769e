//! Benchmark measurements behind `accord bench`: plain functions that time one
//! thing and return plain structs; the command line orchestrates and prints.
//!
//! What is measured, and how:
//!
//! - **Load + build**: [`Gazetteer::load`] plus [`Engine::new`] in this
//!   process, once per run ([`load_and_build`]), from the CSV files; and for
//!   a gazetteer directory, again through the gazetteer cache as a warm
//!   `extract` does it: read and hash the files, read the cache file, build
//!   the automaton ([`load_cached`]).
//! - **Matcher**: [`Matcher::find`] over documents already in memory, with
//!   their ASCII-lowercased views computed beforehand, on one thread
//!   ([`scan_matcher`]).
//! - **Bare baseline**: the same aliases in a plain leftmost-longest,
//!   ASCII-case-insensitive [`AhoCorasick`], counting `find_iter` matches over
//!   the same bytes on one thread ([`scan_baseline`]). It is the ceiling the
//!   pipeline is compared against: no boundary or case checks, no other stage.
//! - **End to end**: the `accord` binary run as a child process on a corpus
//!   directory or JSONL file, timed around the child, with its peak resident
//!   set size read from `/usr/bin/time -v` when that exists ([`run_extract`]).
//!
//! Throughput is input bytes ÷ wall seconds, in MB/s with 1 MB = 10^6 bytes.
//! Every timing is repeated; [`Samples`] keeps all runs and reports the
//! minimum and the median, which resist a noisy machine better than a mean.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::synth::{self, CorpusStats, Generator, SynGazetteer};
use accord_core::cache;
use accord_core::engine::Engine;
use accord_core::error::{Error, Result};
use accord_core::gazetteer::{Files, Gazetteer};
use accord_core::matcher::Matcher;
use accord_io::input::{self, Input, Outcome};

/// Bytes in a megabyte, as throughput is reported (decimal, like `extract`).
pub const MB: f64 = 1e6;

/// Repeated measurements of one quantity (seconds, usually).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Samples {
    sorted: Vec<f64>,
}

impl Samples {
    /// Collect measurements (in any order).
    pub fn new(mut values: Vec<f64>) -> Samples {
        values.sort_by(f64::total_cmp);
        Samples { sorted: values }
    }

    /// Number of measurements.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// True when nothing was measured.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// Smallest value (NaN when empty).
    pub fn min(&self) -> f64 {
        self.sorted.first().copied().unwrap_or(f64::NAN)
    }

    /// Largest value (NaN when empty).
    pub fn max(&self) -> f64 {
        self.sorted.last().copied().unwrap_or(f64::NAN)
    }

    /// Median; the mean of the two middle values for an even count (NaN when empty).
    pub fn median(&self) -> f64 {
        let n = self.sorted.len();
        match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => self.sorted[n / 2],
            _ => (self.sorted[n / 2 - 1] + self.sorted[n / 2]) / 2.0,
        }
    }
}

/// MB/s for `bytes` in `seconds`.
pub fn mbps(bytes: u64, seconds: f64) -> f64 {
    bytes as f64 / MB / seconds.max(1e-9)
}

/// A gazetteer size to benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scale {
    /// The embedded gazetteers as shipped.
    Shipped,
    /// The shipped gazetteers plus synthetic missions, this many aliases in all.
    Aliases(usize),
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Scale::Shipped => f.write_str("shipped"),
            Scale::Aliases(n) if n % 1_000_000 == 0 => write!(f, "{}m", n / 1_000_000),
            Scale::Aliases(n) if n % 1_000 == 0 => write!(f, "{}k", n / 1_000),
            Scale::Aliases(n) => write!(f, "{n}"),
        }
    }
}

impl FromStr for Scale {
    type Err = String;

    /// `shipped`, or an alias count: `10000`, `10_000`, `10k`, `1m`.
    fn from_str(s: &str) -> std::result::Result<Scale, String> {
        let t = s.trim().to_ascii_lowercase().replace('_', "");
        if t == "shipped" {
            return Ok(Scale::Shipped);
        }
        let (digits, mult) = match t.as_bytes().last() {
            Some(b'k') => (&t[..t.len() - 1], 1_000),
            Some(b'm') => (&t[..t.len() - 1], 1_000_000),
            _ => (t.as_str(), 1),
        };
        match digits.parse::<usize>() {
            Ok(n) if n > 0 => Ok(Scale::Aliases(n * mult)),
            _ => Err(format!(
                "'{s}' is not a gazetteer scale (shipped, or an alias count such as 10k, 100k, 1m)"
            )),
        }
    }
}

/// Timing of gazetteer load plus engine build, and what was built.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadBuild {
    /// Seconds per run, load and build together.
    pub seconds: Samples,
    /// Seconds per run of [`Gazetteer::load`] alone.
    pub load_seconds: Samples,
    /// Seconds per run of [`Engine::new`] alone.
    pub build_seconds: Samples,
    /// Gazetteer entries.
    pub entries: usize,
    /// Aliases ([`Gazetteer::alias_count`]).
    pub aliases: usize,
    /// Distinct patterns in the automaton.
    pub patterns: usize,
    /// Heap bytes of the automaton ([`Matcher::memory_usage`]).
    pub automaton_bytes: usize,
    /// Seconds per run through the gazetteer cache, warm ([`load_cached`]);
    /// `None` for the embedded gazetteers, which are never cached.
    pub cached_seconds: Option<Samples>,
}

/// Load the gazetteers (the embedded ones plus `dir`) and build the engine,
/// `runs` times; return the timings and the last engine built.
pub fn load_and_build(dir: Option<&Path>, runs: usize) -> Result<(LoadBuild, Engine)> {
    let (mut secs, mut load, mut build) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs.max(1) {
        // Free the previous engine first, so runs do not compete for memory.
        drop(last.take());
        let started = Instant::now();
        let gaz = Gazetteer::load(dir)?;
        let loaded = started.elapsed().as_secs_f64();
        let engine = Engine::new(gaz)?;
        let total = started.elapsed().as_secs_f64();
        secs.push(total);
        load.push(loaded);
        build.push(total - loaded);
        last = Some(engine);
    }
    let engine = last.expect("at least one run");
    let gaz = engine.gazetteer();
    let lb = LoadBuild {
        seconds: Samples::new(secs),
        load_seconds: Samples::new(load),
        build_seconds: Samples::new(build),
        entries: gaz.entries().len(),
        aliases: gaz.alias_count(),
        patterns: engine.matcher().pattern_count(),
        automaton_bytes: engine.matcher().memory_usage(),
        cached_seconds: None,
    };
    Ok((lb, engine))
}

/// Load the gazetteers of `dir` through the cache in `cache_dir` and build
/// the engine, as a warm `accord extract -g DIR` does, `runs` times after
/// one unmeasured run that writes the cache file.
pub fn load_cached(dir: &Path, cache_dir: &Path, runs: usize) -> Result<Samples> {
    let once = || -> Result<(Engine, cache::Status, Vec<String>)> {
        let files = Files::read(Some(dir))?;
        let fingerprint = files.fingerprint()?;
        let cache::Loaded {
            gazetteer,
            matcher,
            status,
            notes,
        } = cache::load(files, &fingerprint, Some(cache_dir))?;
        Ok((Engine::with_matcher(gazetteer, matcher), status, notes))
    };
    // Writes the cache file (a note says why an old one was replaced).
    drop(once()?);
    let mut secs = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let (engine, status, notes) = once()?;
        secs.push(started.elapsed().as_secs_f64());
        drop(engine);
        if status != cache::Status::Hit {
            return Err(Error::msg(format!(
                "{}: the gazetteer cache in {} was not used: {}",
                dir.display(),
                cache_dir.display(),
                notes.join("; ")
            )));
        }
    }
    Ok(Samples::new(secs))
}

/// Documents held in memory for in-process scans: each text with its
/// ASCII-lowercased view (what the pipeline hands the matcher).
#[derive(Clone, Debug, Default)]
pub struct Texts {
    docs: Vec<(String, String)>,
    bytes: u64,
}

impl Texts {
    /// Read the documents under `dir`, in name order, until at least `limit`
    /// bytes are held.
    pub fn read(dir: &Path, limit: u64) -> Result<Texts> {
        let mut t = Texts::default();
        for loc in input::locate(&[Input::Path(dir.to_path_buf())])? {
            if t.bytes >= limit {
                break;
            }
            if let Outcome::Ok(doc) = input::read(&loc) {
                t.bytes += doc.text.len() as u64;
                let lower = doc.text.to_ascii_lowercase();
                t.docs.push((doc.text, lower));
            }
        }
        Ok(t)
    }

    /// Hold one more text (with its ASCII-lowercased view).
    pub fn push(&mut self, text: String) {
        self.bytes += text.len() as u64;
        let lower = text.to_ascii_lowercase();
        self.docs.push((text, lower));
    }

    /// Total bytes of the texts.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when there is no document.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// A timed scan over [`Texts`].
#[derive(Clone, Debug, PartialEq)]
pub struct Scan {
    /// Bytes scanned per run.
    pub bytes: u64,
    /// Seconds per run.
    pub seconds: Samples,
    /// Matches found in one run.
    pub matches: u64,
}

impl Scan {
    /// MB/s of the median run.
    pub fn mbps_median(&self) -> f64 {
        mbps(self.bytes, self.seconds.median())
    }

    /// MB/s of the fastest run.
    pub fn mbps_best(&self) -> f64 {
        mbps(self.bytes, self.seconds.min())
    }
}

/// Time [`Matcher::find`] over every text, `runs` times, on this thread.
pub fn scan_matcher(matcher: &Matcher, texts: &Texts, runs: usize) -> Scan {
    let mut out = Vec::new();
    let mut secs = Vec::with_capacity(runs);
    let mut matches = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let mut n = 0u64;
        for (text, lower) in &texts.docs {
            out.clear();
            matcher.find(text, lower, &mut out);
            n += out.len() as u64;
        }
        secs.push(started.elapsed().as_secs_f64());
        matches = std::hint::black_box(n);
    }
    Scan {
        bytes: texts.bytes,
        seconds: Samples::new(secs),
        matches,
    }
}

/// Every form the matcher searches for (aliases, combining forms, blocking
/// phrases), ASCII-lowercased and deduplicated as the matcher's patterns are.
pub fn alias_patterns(gaz: &Gazetteer) -> Vec<String> {
    let mut p: Vec<String> = gaz
        .entries()
        .iter()
        .flat_map(|e| e.aliases.iter().chain(&e.combining).chain(&e.blockers))
        .map(|a| a.to_ascii_lowercase())
        .collect();
    p.sort_unstable();
    p.dedup();
    p
}

/// The bare Aho-Corasick baseline: build and scan results.
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    /// Patterns in the automaton.
    pub patterns: usize,
    /// Seconds to build it.
    pub build_seconds: f64,
    /// Its heap bytes.
    pub memory_bytes: usize,
    /// The timed scan.
    pub scan: Scan,
}

/// Build a leftmost-longest, ASCII-case-insensitive automaton of `patterns`
/// and count its `find_iter` matches over every text, `runs` times.
pub fn scan_baseline(patterns: &[String], texts: &Texts, runs: usize) -> Result<Baseline> {
    let started = Instant::now();
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(patterns)
        .map_err(|e| Error::msg(format!("cannot build the baseline automaton: {e}")))?;
    let build_seconds = started.elapsed().as_secs_f64();
    let mut secs = Vec::with_capacity(runs);
    let mut matches = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let mut n = 0u64;
        for (text, _) in &texts.docs {
            n += ac.find_iter(text.as_bytes()).count() as u64;
        }
        secs.push(started.elapsed().as_secs_f64());
        matches = std::hint::black_box(n);
    }
    Ok(Baseline {
        patterns: ac.patterns_len(),
        build_seconds,
        memory_bytes: ac.memory_usage(),
        scan: Scan {
            bytes: texts.bytes,
            seconds: Samples::new(secs),
            matches,
        },
    })
}

/// One run of the `accord` binary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChildRun {
    /// Wall-clock seconds, measured around the child process.
    pub seconds: f64,
    /// Peak resident set size in KiB, from `/usr/bin/time -v` (if available).
    pub max_rss_kib: Option<u64>,
}

/// `/usr/bin/time`, if this machine has it.
pub fn time_program() -> Option<PathBuf> {
    let p = PathBuf::from("/usr/bin/time");
    p.is_file().then_some(p)
}

/// What to run: `EXE extract INPUT -o OUT -j THREADS -q [-g GAZETTEERS]`.
#[derive(Clone, Copy, Debug)]
pub struct ExtractJob<'a> {
    /// The `accord` executable.
    pub exe: &'a Path,
    /// Input directory or file.
    pub input: &'a Path,
    /// Output directory; emptied before the run.
    pub out: &'a Path,
    /// Worker threads.
    pub threads: usize,
    /// Extra gazetteers (`-g`).
    pub gazetteers: Option<&'a Path>,
    /// `/usr/bin/time` to wrap the child in, for its peak RSS.
    pub time: Option<&'a Path>,
}

/// Run `accord extract` once; `Err` holds a one-line reason when the child
/// cannot start or exits unsuccessfully.
pub fn run_extract(job: &ExtractJob<'_>) -> std::result::Result<ChildRun, String> {
    let _ = std::fs::remove_dir_all(job.out);
    let mut cmd = match job.time {
        Some(time) => {
            let mut c = Command::new(time);
            c.arg("-v").arg(job.exe);
            c
        }
        None => Command::new(job.exe),
    };
    cmd.arg("extract")
        .arg(job.input)
        .arg("-o")
        .arg(job.out)
        .arg("-j")
        .arg(job.threads.to_string())
        .arg("-q")
        // Every run pays the full load, as the first run of a new gazetteer
        // does; and the user's cache directory stays untouched.
        .arg("--no-cache");
    if let Some(g) = job.gazetteers {
        cmd.arg("-g").arg(g);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", job.exe.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let why = stderr
            .lines()
            .find(|l| l.starts_with("accord:") || l.starts_with("Command terminated"))
            .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
            .unwrap_or("no message");
        let why: String = why.chars().take(200).collect();
        return Err(format!("{}: {why}", out.status));
    }
    Ok(ChildRun {
        seconds,
        max_rss_kib: job.time.and_then(|_| parse_max_rss(&stderr)),
    })
}

/// The `Maximum resident set size (kbytes): N` line of GNU `time -v`.
pub fn parse_max_rss(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|l| {
        l.trim()
            .strip_prefix("Maximum resident set size (kbytes):")
            .and_then(|v| v.trim().parse().ok())
    })
}

/// Data rows of a CSV file with a header (0 when it cannot be read).
pub fn csv_rows(path: &Path) -> usize {
    csv::Reader::from_path(path)
        .map(|mut r| r.records().filter(|r| r.is_ok()).count())
        .unwrap_or(0)
}

/// What a benchmark report says about the machine and build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Machine {
    /// Logical CPUs available.
    pub cpus: usize,
    /// CPU model name, from `/proc/cpuinfo`.
    pub cpu_model: String,
    /// Total memory in bytes, from `/proc/meminfo`.
    pub ram_bytes: Option<u64>,
    /// `YYYY-MM-DD HH:MM UTC`.
    pub date: String,
    /// `git rev-parse --short HEAD` of the working directory, if any.
    pub commit: Option<String>,
    /// accord's version.
    pub version: String,
    /// True for an optimized build (debug numbers are not representative).
    pub optimized: bool,
    /// True when `/usr/bin/time` was found.
    pub time_available: bool,
    /// The 1, 5 and 15-minute load averages when the benchmark started.
    pub load_average: Option<String>,
}

/// The 1, 5 and 15-minute load averages from `/proc/loadavg`: on a shared
/// machine, the context every figure needs.
pub fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let parts: Vec<&str> = text.split_whitespace().take(3).collect();
    (parts.len() == 3).then(|| parts.join(" "))
}

/// Describe this machine.
pub fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name") || l.starts_with("Model"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let ram_bytes = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map(|kib| kib * 1024);
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Machine {
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu_model,
        ram_bytes,
        date: utc_date(now),
        commit,
        version: env!("CARGO_PKG_VERSION").to_string(),
        optimized: !cfg!(debug_assertions),
        time_available: time_program().is_some(),
        load_average: load_average(),
    }
}

/// `YYYY-MM-DD HH:MM UTC` for seconds since the Unix epoch (proleptic
/// Gregorian calendar, by the days-from-civil inverse).
pub fn utc_date(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (h, m) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    // Shift the epoch to 0000-03-01 so leap days end each 4/100/400-year cycle.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02} UTC")
}

/// A generated corpus: the same articles as a `.txt` directory and as JSONL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corpus {
    /// Requested size in MB.
    pub size_mb: u64,
    /// Directory of `.txt` articles.
    pub txt_dir: PathBuf,
    /// The JSONL file.
    pub jsonl: PathBuf,
    /// What the text directory holds.
    pub txt: CorpusStats,
    /// What the JSONL file holds.
    pub jsonl_stats: CorpusStats,
    /// True when an earlier run's data was reused.
    pub reused: bool,
}

fn read_stamp(path: &Path, key: &str) -> Option<Vec<(String, u64)>> {
    let text = std::fs::read_to_string(path).ok()?;
    let rest = text.strip_prefix(key)?;
    rest.lines()
        .map(|l| {
            let (k, v) = l.split_once(' ')?;
            Some((k.to_string(), v.parse().ok()?))
        })
        .collect()
}

/// Write `body` to `path` through a temporary file in the same directory and
/// a rename, so readers never see half a file.
pub fn write_atomic_text(path: &Path, body: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    std::io::Write::write_all(&mut tmp, body.as_bytes()).map_err(|e| Error::io(path, e))?;
    // A temporary file is private (0600); a report is for everyone to read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o644);
        tmp.as_file()
            .set_permissions(mode)
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// The text between `<!-- NAME -->` and `<!-- /NAME -->` in `doc`: a
/// section that one mode of `accord bench` writes and the others keep.
pub fn marked_section<'a>(doc: &'a str, name: &str) -> Option<&'a str> {
    let (open, close) = (format!("<!-- {name} -->\n"), format!("<!-- /{name} -->"));
    let a = doc.find(&open)? + open.len();
    let b = doc[a..].find(&close)? + a;
    Some(&doc[a..b])
}

/// Replace the text between `<!-- NAME -->` and `<!-- /NAME -->` in `doc`
/// with `section`, or append the section with its markers.
pub fn splice_marked(doc: &str, name: &str, section: &str) -> String {
    let (open, close) = (format!("<!-- {name} -->\n"), format!("<!-- /{name} -->"));
    if let (Some(a), Some(b)) = (doc.find(&open), doc.find(&close))
        && a < b
    {
        return format!("{}{open}{section}{}", &doc[..a], &doc[b..]);
    }
    let sep = if doc.is_empty() || doc.ends_with("\n\n") {
        ""
    } else if doc.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    format!("{doc}{sep}{open}{section}{close}\n")
}

fn stamp_value(values: &[(String, u64)], key: &str) -> Option<u64> {
    values.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
}

/// Generate (or reuse, when its stamp matches) the corpus of `size_mb` MB in
/// `work`: `corpus-<N>mb/` and `corpus-<N>mb.jsonl`, with `corpus-<N>mb.stamp`
/// written last so an interrupted generation is never reused.
pub fn ensure_corpus(
    generator: &Generator,
    gaz: &Gazetteer,
    work: &Path,
    size_mb: u64,
) -> Result<Corpus> {
    let name = format!("corpus-{size_mb}mb");
    let txt_dir = work.join(&name);
    let jsonl = work.join(format!("{name}.jsonl"));
    let stamp = work.join(format!("{name}.stamp"));
    let target = size_mb * MB as u64;
    let sample = xxhash_rust::xxh3::xxh3_64(generator.article(0).to_txt().as_bytes());
    let key = format!(
        "accord bench corpus v{}\nseed {}\ntarget {target}\ngazetteer {:016x}\nsample {sample:016x}\n",
        synth::GENERATOR_VERSION,
        generator.seed(),
        synth::gazetteer_fingerprint(gaz),
    );
    if let Some(v) = read_stamp(&stamp, &key)
        && txt_dir.is_dir()
        && jsonl.is_file()
        && let (Some(articles), Some(txt_bytes), Some(jsonl_bytes)) = (
            stamp_value(&v, "articles"),
            stamp_value(&v, "txt_bytes"),
            stamp_value(&v, "jsonl_bytes"),
        )
    {
        return Ok(Corpus {
            size_mb,
            txt_dir,
            jsonl,
            txt: CorpusStats {
                articles,
                bytes: txt_bytes,
            },
            jsonl_stats: CorpusStats {
                articles,
                bytes: jsonl_bytes,
            },
            reused: true,
        });
    }
    let _ = std::fs::remove_file(&stamp);
    if txt_dir.exists() {
        std::fs::remove_dir_all(&txt_dir).map_err(|e| Error::io(&txt_dir, e))?;
    }
    std::fs::create_dir_all(&txt_dir).map_err(|e| Error::io(&txt_dir, e))?;
    let txt = generator.write_txt(&txt_dir, target)?;
    let jsonl_stats = generator.write_jsonl(&jsonl, target)?;
    write_atomic_text(
        &stamp,
        &format!(
            "{key}articles {}\ntxt_bytes {}\njsonl_bytes {}\n",
            txt.articles, txt.bytes, jsonl_stats.bytes
        ),
    )?;
    Ok(Corpus {
        size_mb,
        txt_dir,
        jsonl,
        txt,
        jsonl_stats,
        reused: false,
    })
}

/// Generate (or reuse) the synthetic gazetteer directory `gaz-<scale>/` in
/// `work` holding `aliases` aliases in all; see [`synth::write_gazetteer`].
pub fn ensure_gazetteer(
    shipped: &Gazetteer,
    seed: u64,
    work: &Path,
    aliases: usize,
) -> Result<(PathBuf, SynGazetteer, bool)> {
    let name = format!("gaz-{}", Scale::Aliases(aliases));
    let dir = work.join(&name);
    let stamp = work.join(format!("{name}.stamp"));
    let key = format!(
        "accord bench gazetteer v{}\nseed {seed}\naliases {aliases}\ngazetteer {:016x}\n",
        synth::GENERATOR_VERSION,
        synth::gazetteer_fingerprint(shipped),
    );
    let file = dir.join("missions.csv");
    if let Some(v) = read_stamp(&stamp, &key)
        && file.is_file()
        && let (Some(entries), Some(synthetic)) =
            (stamp_value(&v, "entries"), stamp_value(&v, "synthetic"))
    {
        let syn = SynGazetteer {
            path: file,
            entries: entries as usize,
            aliases: synthetic as usize,
            total_aliases: shipped.alias_count() + synthetic as usize,
        };
        return Ok((dir, syn, true));
    }
    let _ = std::fs::remove_file(&stamp);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    let syn = synth::write_gazetteer(shipped, seed, &dir, aliases)?;
    write_atomic_text(
        &stamp,
        &format!("{key}entries {}\nsynthetic {}\n", syn.entries, syn.aliases),
    )?;
    Ok((dir, syn, false))
}

/// The input form of an end-to-end run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum InputFormat {
    /// A directory of `.txt` files.
    Txt,
    /// One JSONL file.
    Jsonl,
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputFormat::Txt => "txt dir",
            InputFormat::Jsonl => "JSONL",
        })
    }
}

/// Results for one gazetteer scale, in process.
#[derive(Clone, Debug, PartialEq)]
pub struct ScaleResult {
    /// The scale.
    pub scale: Scale,
    /// Load + build.
    pub load: LoadBuild,
    /// [`Matcher::find`] scan.
    pub matcher: Scan,
    /// The bare baseline.
    pub baseline: Baseline,
}

/// End-to-end runs of one configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct E2e {
    /// Corpus size in MB (as requested).
    pub size_mb: u64,
    /// Input form.
    pub format: InputFormat,
    /// Gazetteer scale.
    pub scale: Scale,
    /// Worker threads.
    pub threads: usize,
    /// Input bytes.
    pub bytes: u64,
    /// The runs, or why there are none.
    pub runs: std::result::Result<Vec<ChildRun>, String>,
}

impl E2e {
    /// Wall seconds of the runs.
    pub fn seconds(&self) -> Option<Samples> {
        let runs = self.runs.as_ref().ok()?;
        Some(Samples::new(runs.iter().map(|r| r.seconds).collect()))
    }

    /// MB/s of the median run.
    pub fn mbps_median(&self) -> Option<f64> {
        self.seconds().map(|s| mbps(self.bytes, s.median()))
    }

    /// MB/s of the fastest run.
    pub fn mbps_best(&self) -> Option<f64> {
        self.seconds().map(|s| mbps(self.bytes, s.min()))
    }

    /// Peak RSS over the runs, in bytes.
    pub fn max_rss_bytes(&self) -> Option<u64> {
        let runs = self.runs.as_ref().ok()?;
        runs.iter()
            .map(|r| r.max_rss_kib.map(|k| k * 1024))
            .collect::<Option<Vec<u64>>>()?
            .into_iter()
            .max()
    }
}

/// Everything one `accord bench` measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The machine and build.
    pub machine: Machine,
    /// The command line that produced it.
    pub command: String,
    /// Generator seed.
    pub seed: u64,
    /// Runs per measurement.
    pub runs: usize,
    /// Corpora generated.
    pub corpora: Vec<Corpus>,
    /// Synthetic gazetteers, by alias count.
    pub gazetteers: Vec<SynGazetteer>,
    /// Documents and bytes held for the in-process scans.
    pub sample_docs: usize,
    /// Bytes of the in-process sample.
    pub sample_bytes: u64,
    /// In-process results per scale.
    pub scales: Vec<ScaleResult>,
    /// End-to-end results.
    pub e2e: Vec<E2e>,
    /// Remarks (skipped measurements and why).
    pub notes: Vec<String>,
    /// Load averages when the measurements ended.
    pub load_average_end: Option<String>,
}

impl Report {
    /// The in-process results of `scale`.
    pub fn scale(&self, scale: Scale) -> Option<&ScaleResult> {
        self.scales.iter().find(|s| s.scale == scale)
    }

    /// The end-to-end result of one configuration.
    pub fn e2e(
        &self,
        size_mb: u64,
        format: InputFormat,
        scale: Scale,
        threads: usize,
    ) -> Option<&E2e> {
        self.e2e.iter().find(|e| {
            e.size_mb == size_mb && e.format == format && e.scale == scale && e.threads == threads
        })
    }

    fn smallest(&self) -> Option<u64> {
        self.corpora.iter().map(|c| c.size_mb).min()
    }

    fn largest(&self) -> Option<u64> {
        self.corpora.iter().map(|c| c.size_mb).max()
    }
}

/// Whether a target was met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Met.
    Met,
    /// Not met.
    NotMet,
    /// Not measured in this run.
    NotMeasured,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not met",
            Verdict::NotMeasured => "n/a",
        })
    }
}

/// One performance target of issue 7 and how this run fared.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// What is measured.
    pub name: String,
    /// The goal, as written in the issue.
    pub goal: String,
    /// The measured value, or why there is none.
    pub measured: String,
    /// The verdict.
    pub verdict: Verdict,
}

fn target(
    name: String,
    goal: &str,
    value: Option<(f64, String)>,
    ok: impl Fn(f64) -> bool,
) -> Target {
    match value {
        Some((v, text)) => Target {
            name,
            goal: goal.into(),
            measured: text,
            verdict: if ok(v) { Verdict::Met } else { Verdict::NotMet },
        },
        None => Target {
            name,
            goal: goal.into(),
            measured: "not measured".into(),
            verdict: Verdict::NotMeasured,
        },
    }
}

/// End-to-end MB/s (1 thread) ÷ bare-baseline MB/s, for `scale` on the smallest corpus.
pub fn e2e_vs_baseline(r: &Report, scale: Scale) -> Option<f64> {
    let e = r
        .e2e(r.smallest()?, InputFormat::Txt, scale, 1)?
        .mbps_median()?;
    Some(e / r.scale(scale)?.baseline.scan.mbps_median())
}

/// 2-thread ÷ 1-thread end-to-end MB/s, shipped gazetteer, smallest corpus.
pub fn two_thread_speedup(r: &Report) -> Option<f64> {
    let size = r.smallest()?;
    let one = r
        .e2e(size, InputFormat::Txt, Scale::Shipped, 1)?
        .mbps_median()?;
    let two = r
        .e2e(size, InputFormat::Txt, Scale::Shipped, 2)?
        .mbps_median()?;
    Some(two / one)
}

/// (largest − smallest) ÷ smallest corpus end-to-end MB/s (1 thread, shipped).
pub fn size_drift(r: &Report) -> Option<(u64, u64, f64)> {
    let (small, large) = (r.smallest()?, r.largest()?);
    if small == large {
        return None;
    }
    let a = r
        .e2e(small, InputFormat::Txt, Scale::Shipped, 1)?
        .mbps_median()?;
    let b = r
        .e2e(large, InputFormat::Txt, Scale::Shipped, 1)?
        .mbps_median()?;
    Some((small, large, (b - a) / a))
}

/// The targets of issue 7, evaluated on `r`.
pub fn targets(r: &Report) -> Vec<Target> {
    let one_m = Scale::Aliases(1_000_000);
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    let mut t = vec![
        target(
            "end-to-end ÷ bare Aho-Corasick, 1 thread, shipped gazetteer".into(),
            "≥ 40%",
            e2e_vs_baseline(r, Scale::Shipped).map(|v| (v, pct(v))),
            |v| v >= 0.40,
        ),
        target(
            "2 threads ÷ 1 thread, end to end".into(),
            "≥ 1.8×",
            two_thread_speedup(r).map(|v| (v, format!("{v:.2}×"))),
            |v| v >= 1.8,
        ),
        target(
            "1M aliases: load + build (median)".into(),
            "< 10 s",
            r.scale(one_m).map(|s| {
                let v = s.load.seconds.median();
                (v, format!("{v:.2} s"))
            }),
            |v| v < 10.0,
        ),
        target(
            "1M aliases: peak RSS of `extract`".into(),
            "< 1.5 GB",
            r.smallest()
                .and_then(|s| r.e2e(s, InputFormat::Txt, one_m, 1))
                .and_then(E2e::max_rss_bytes)
                .map(|b| (b as f64, format!("{:.0} MB", b as f64 / MB))),
            |v| v < 1.5e9,
        ),
        target(
            "1M aliases: end-to-end ÷ bare Aho-Corasick, 1 thread".into(),
            "≥ 25%",
            e2e_vs_baseline(r, one_m).map(|v| (v, pct(v))),
            |v| v >= 0.25,
        ),
    ];
    let jsonl = r.largest().map(|size| {
        let rss = r
            .e2e
            .iter()
            .filter(|e| e.size_mb == size && e.format == InputFormat::Jsonl)
            .filter_map(E2e::max_rss_bytes)
            .max();
        (size, rss)
    });
    t.push(match jsonl {
        Some((size, rss)) => target(
            format!("JSONL peak RSS, {size} MB corpus"),
            if size >= 1000 {
                "< 300 MB"
            } else {
                "< 300 MB (stated for 1 GB)"
            },
            rss.map(|b| (b as f64, format!("{:.0} MB", b as f64 / MB))),
            |v| v < 300e6,
        ),
        None => target("JSONL peak RSS".into(), "< 300 MB", None, |_| true),
    });
    t.push(match size_drift(r) {
        Some((a, b, d)) => target(
            format!("MB/s change from {a} MB to {b} MB corpus"),
            "within 10%",
            Some((d, format!("{:+.1}%", d * 100.0))),
            |v| v.abs() <= 0.10,
        ),
        None => target(
            "MB/s change between corpus sizes".into(),
            "within 10%",
            None,
            |_| true,
        ),
    });
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_min_median() {
        let s = Samples::new(vec![3.0, 1.0, 2.0]);
        assert_eq!((s.min(), s.median(), s.max()), (1.0, 2.0, 3.0));
        assert_eq!(Samples::new(vec![4.0, 1.0]).median(), 2.5);
        assert!(Samples::default().median().is_nan());
    }

    #[test]
    fn scales_parse_and_print() {
        for (text, want, shown) in [
            ("shipped", Scale::Shipped, "shipped"),
            ("10k", Scale::Aliases(10_000), "10k"),
            ("100_000", Scale::Aliases(100_000), "100k"),
            ("1M", Scale::Aliases(1_000_000), "1m"),
            ("12345", Scale::Aliases(12_345), "12345"),
        ] {
            let s: Scale = text.parse().unwrap();
            assert_eq!(s, want);
            assert_eq!(s.to_string(), shown);
        }
        for bad in ["", "0", "k", "ten", "-5"] {
            assert!(bad.parse::<Scale>().is_err(), "{bad}");
        }
    }

    #[test]
    fn time_v_rss_is_parsed() {
        let err = "\tCommand being timed: \"accord extract\"\n\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:01.52\n\tMaximum resident set size (kbytes): 51234\n\tExit status: 0\n";
        assert_eq!(parse_max_rss(err), Some(51234));
        assert_eq!(parse_max_rss("nothing"), None);
    }

    #[test]
    fn utc_dates() {
        assert_eq!(utc_date(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_date(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_date(1_709_251_199), "2024-02-29 23:59 UTC");
        assert_eq!(utc_date(1_735_689_600), "2025-01-01 00:00 UTC");
    }

    fn run(secs: &[f64], rss_kib: Option<u64>) -> Vec<ChildRun> {
        secs.iter()
            .map(|&seconds| ChildRun {
                seconds,
                max_rss_kib: rss_kib,
            })
            .collect()
    }

    fn scan(bytes: u64, secs: f64) -> Scan {
        Scan {
            bytes,
            seconds: Samples::new(vec![secs]),
            matches: 1,
        }
    }

    #[test]
    fn targets_from_a_report() {
        let corpus = |size_mb| Corpus {
            size_mb,
            txt_dir: PathBuf::new(),
            jsonl: PathBuf::new(),
            txt: CorpusStats::default(),
            jsonl_stats: CorpusStats::default(),
            reused: false,
        };
        let e2e = |size_mb, format, scale, threads, secs: &[f64], rss| E2e {
            size_mb,
            format,
            scale,
            threads,
            bytes: size_mb * 1_000_000,
            runs: Ok(run(secs, rss)),
        };
        let scale = |scale, load: f64, base_secs| ScaleResult {
            scale,
            load: LoadBuild {
                seconds: Samples::new(vec![load]),
                load_seconds: Samples::new(vec![load / 2.0]),
                build_seconds: Samples::new(vec![load / 2.0]),
                entries: 1,
                aliases: 1,
                patterns: 1,
                automaton_bytes: 1,
                cached_seconds: None,
            },
            matcher: scan(100_000_000, 1.0),
            baseline: Baseline {
                patterns: 1,
                build_seconds: 0.0,
                memory_bytes: 0,
                scan: scan(100_000_000, base_secs),
            },
        };
        let one_m = Scale::Aliases(1_000_000);
        let r = Report {
            machine: machine(),
            command: String::new(),
            seed: 1,
            runs: 3,
            corpora: vec![corpus(100), corpus(1000)],
            gazetteers: vec![],
            sample_docs: 1,
            sample_bytes: 100_000_000,
            // Baseline 500 MB/s shipped, 100 MB/s at 1M.
            scales: vec![scale(Scale::Shipped, 0.01, 0.2), scale(one_m, 12.0, 1.0)],
            e2e: vec![
                // 100 MB in 0.4 s median: 250 MB/s = 50% of 500.
                e2e(
                    100,
                    InputFormat::Txt,
                    Scale::Shipped,
                    1,
                    &[0.3, 0.4, 0.5],
                    Some(100_000),
                ),
                // 2 threads: 100 MB in 0.25 s: 1.6×.
                e2e(
                    100,
                    InputFormat::Txt,
                    Scale::Shipped,
                    2,
                    &[0.25],
                    Some(100_000),
                ),
                // 1 GB in 4.2 s: 238 MB/s, -4.8%.
                e2e(
                    1000,
                    InputFormat::Txt,
                    Scale::Shipped,
                    1,
                    &[4.2],
                    Some(100_000),
                ),
                e2e(
                    1000,
                    InputFormat::Jsonl,
                    Scale::Shipped,
                    1,
                    &[4.0],
                    Some(200_000),
                ),
                E2e {
                    runs: Err("exit status: 2".into()),
                    ..e2e(1000, InputFormat::Jsonl, Scale::Shipped, 2, &[], None)
                },
                // 1M: 100 MB in 5 s = 20 MB/s = 20% of 100; 2 GB RSS.
                e2e(100, InputFormat::Txt, one_m, 1, &[5.0], Some(2_000_000)),
            ],
            notes: vec![],
            load_average_end: None,
        };
        let t = targets(&r);
        let verdicts: Vec<(Verdict, &str)> =
            t.iter().map(|t| (t.verdict, t.measured.as_str())).collect();
        assert_eq!(
            verdicts,
            [
                (Verdict::Met, "50%"),
                (Verdict::NotMet, "1.60×"),
                (Verdict::NotMet, "12.00 s"),
                (Verdict::NotMet, "2048 MB"),
                (Verdict::NotMet, "20%"),
                (Verdict::Met, "205 MB"),
                (Verdict::Met, "-4.8%"),
            ]
        );
        let mut small = r.clone();
        small.corpora.truncate(1);
        small.scales.truncate(1);
        let t = targets(&small);
        assert_eq!(t[2].verdict, Verdict::NotMeasured);
        assert_eq!(t[6].verdict, Verdict::NotMeasured);
    }
}
