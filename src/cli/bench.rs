//! `accord bench`: generate synthetic corpora and gazetteers, measure load,
//! matching and end-to-end throughput, and report them against issue 7's
//! targets as Markdown.
//!
//! The heavy lifting lives in [`accord_bench::synth`] (data) and [`accord_bench::bench`]
//! (measurements); this file resolves the flags, runs the plan in order with
//! progress on stderr, and renders the report.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use accord_bench::bench::{
    self, ChildRun, Corpus, E2e, ExtractJob, InputFormat, MB, Report, Samples, Scale, ScaleResult,
    Texts,
};
use accord_bench::synth::Generator;
use accord_core::error::{Error, Result};
use accord_core::gazetteer::Gazetteer;

/// The generator seed unless `--seed` says otherwise.
pub const DEFAULT_SEED: u64 = 20_240_304;

/// Arguments of `accord bench`.
#[derive(Debug, Args, Default)]
pub struct BenchArgs {
    /// Corpus sizes in MB (10^6 bytes), comma-separated. Default: 100,1000.
    #[arg(long, value_name = "MB,...", value_delimiter = ',')]
    pub size_mb: Option<Vec<u64>>,
    /// Gazetteer scales: `shipped` and total alias counts. Default: shipped,10k,100k,1m.
    #[arg(long, value_name = "SCALE,...", value_delimiter = ',')]
    pub gaz_scales: Option<Vec<Scale>>,
    /// Worker thread counts for the end-to-end runs. Default: 1,2.
    #[arg(long, value_name = "N,...", value_delimiter = ',')]
    pub threads: Option<Vec<usize>>,
    /// Runs per measurement (min and median are reported). Default: 3.
    #[arg(long, value_name = "N")]
    pub runs: Option<usize>,
    /// Where generated data and temporary outputs go (reused between runs).
    #[arg(long, value_name = "DIR", default_value = "target/bench")]
    pub work: PathBuf,
    /// Also write the Markdown report to this file (atomically).
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// Tiny sizes for a quick check: 2 MB, shipped and 10k gazetteers, 1 thread, 1 run.
    #[arg(long)]
    pub smoke: bool,
    /// Seed of the data generators.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Most MB of text held in memory for the in-process scans. Default: 100.
    #[arg(long, value_name = "MB")]
    pub sample_mb: Option<u64>,
    /// Only write a generated JSONL dump of --size-mb MB (the first size) to
    /// FILE, and measure nothing (test data for other tools, such as the Spark check).
    #[arg(long, value_name = "FILE")]
    pub generate: Option<PathBuf>,
    /// Run the adversarial suite instead: one article of each hostile shape
    /// (issue 20) at 0.5 and 2 MB through `accord extract -j 1`, with MB/s
    /// and peak RSS per shape. `--write FILE` puts the table between
    /// `<!-- adversarial -->` markers in FILE.
    #[arg(long)]
    pub adversarial: bool,
    /// With --adversarial: also run the 60 MB one-line JSONL article.
    #[arg(long, requires = "adversarial")]
    pub large_jsonl: bool,
    /// Measure the roofline instead: on the JSONL corpus of --size-mb MB
    /// (the first size; shipped gazetteer), the reader alone, one worker
    /// alone, the writer alone and the bare Aho-Corasick scan, each on one
    /// thread, in MB/s of input, with the speed-up over one worker that the
    /// reader and the writer allow. `--write FILE` puts the table between
    /// `<!-- roofline -->` markers in FILE.
    #[arg(long, conflicts_with = "adversarial")]
    pub roofline: bool,
}

/// The resolved benchmark plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BenchConfig {
    /// Corpus sizes in MB, ascending.
    pub sizes_mb: Vec<u64>,
    /// Gazetteer scales, `shipped` first.
    pub scales: Vec<Scale>,
    /// Thread counts, ascending.
    pub threads: Vec<usize>,
    /// Runs per measurement.
    pub runs: usize,
    /// Work directory.
    pub work: PathBuf,
    /// Report file.
    pub write: Option<PathBuf>,
    /// Generator seed.
    pub seed: u64,
    /// In-process sample cap in MB.
    pub sample_mb: u64,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            sizes_mb: vec![100, 1000],
            scales: vec![
                Scale::Shipped,
                Scale::Aliases(10_000),
                Scale::Aliases(100_000),
                Scale::Aliases(1_000_000),
            ],
            threads: vec![1, 2],
            runs: 3,
            work: PathBuf::from("target/bench"),
            write: None,
            seed: DEFAULT_SEED,
            sample_mb: 100,
        }
    }
}

impl BenchConfig {
    /// The `--smoke` plan: seconds, not minutes.
    pub fn smoke() -> BenchConfig {
        BenchConfig {
            sizes_mb: vec![2],
            scales: vec![Scale::Shipped, Scale::Aliases(10_000)],
            threads: vec![1],
            runs: 1,
            ..BenchConfig::default()
        }
    }
}

fn sorted<T: Ord + Copy>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    v.sort();
    v.dedup();
    v
}

impl BenchArgs {
    /// Resolve the flags: explicit values, else the smoke plan, else the defaults.
    pub fn to_config(&self) -> Result<BenchConfig> {
        let base = if self.smoke {
            BenchConfig::smoke()
        } else {
            BenchConfig::default()
        };
        let cfg = BenchConfig {
            sizes_mb: sorted(self.size_mb.as_deref().unwrap_or(&base.sizes_mb)),
            scales: sorted(self.gaz_scales.as_deref().unwrap_or(&base.scales)),
            threads: sorted(self.threads.as_deref().unwrap_or(&base.threads)),
            runs: self.runs.unwrap_or(base.runs),
            work: self.work.clone(),
            write: self.write.clone(),
            seed: self.seed,
            sample_mb: self.sample_mb.unwrap_or(base.sample_mb),
        };
        if cfg.sizes_mb.is_empty() || cfg.sizes_mb.contains(&0) {
            return Err(Error::msg("--size-mb needs sizes of at least 1 MB"));
        }
        if cfg.scales.is_empty() {
            return Err(Error::msg("--gaz-scales needs at least one scale"));
        }
        if cfg.threads.is_empty() || cfg.threads.contains(&0) {
            return Err(Error::msg("--threads needs counts of at least 1"));
        }
        if cfg.runs == 0 {
            return Err(Error::msg("--runs must be at least 1"));
        }
        if cfg.sample_mb == 0 {
            return Err(Error::msg("--sample-mb must be at least 1"));
        }
        Ok(cfg)
    }
}

fn progress(msg: impl AsRef<str>) {
    eprintln!("bench: {}", msg.as_ref());
}

/// `accord bench --adversarial`: exit status 1 when a shape misses a target.
fn run_adversarial(args: &BenchArgs, cfg: &BenchConfig) -> Result<ExitCode> {
    use accord_bench::adversarial::{self, LARGE_JSONL, SHAPES, SIZES};
    let exe = std::env::current_exe()
        .map_err(|e| Error::msg(format!("cannot find the accord executable: {e}")))?;
    let machine = bench::machine();
    if !machine.optimized {
        progress("this is a debug build: numbers are not representative");
    }
    let dir = cfg.work.join("adversarial");
    let runs = args.runs.unwrap_or(1);
    let mut say = |m: &str| progress(m);
    let mut results = adversarial::run_suite(&exe, &dir, SHAPES, &SIZES, runs, &mut say)?;
    if args.large_jsonl {
        let large: Vec<_> = SHAPES
            .iter()
            .filter(|s| s.name == "jsonl-line")
            .copied()
            .collect();
        let mut big = adversarial::run_suite(&exe, &dir, &large, &[LARGE_JSONL], runs, &mut say)?;
        for r in &mut big {
            r.name = "jsonl-line-60mb";
        }
        results.extend(big);
    }
    let header = format!(
        "### Adversarial shapes (`accord bench --adversarial{}`)\n\n\
         One article per run, `accord extract -j 1 --max-article-seconds 0`, whole process \
         (gazetteer load included), fastest of {runs} run(s). {} cores ({}), load average {}, {}, commit {}.",
        if args.large_jsonl {
            " --large-jsonl"
        } else {
            ""
        },
        machine.cpus,
        machine.cpu_model,
        machine.load_average.as_deref().unwrap_or("?"),
        machine.date,
        machine.commit.as_deref().unwrap_or("?"),
    );
    let text = adversarial::report(&results, &header);
    print!("{text}");
    if let Some(path) = &cfg.write {
        let old = std::fs::read_to_string(path).unwrap_or_default();
        bench::write_atomic_text(path, &adversarial::splice(&old, &text))?;
        progress(format!("wrote {}", path.display()));
    }
    Ok(if results.iter().all(|r| r.met() != Some(false)) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `accord bench --roofline`.
fn run_roofline(cfg: &BenchConfig) -> Result<ExitCode> {
    std::fs::create_dir_all(&cfg.work).map_err(|e| Error::io(&cfg.work, e))?;
    let machine = bench::machine();
    if !machine.optimized {
        progress("this is a debug build: numbers are not representative");
    }
    let shipped = Gazetteer::load(None)?;
    let generator = Generator::new(&shipped, cfg.seed)?;
    let size = cfg.sizes_mb[0];
    progress(format!("corpus {size} MB (txt dir and JSONL)"));
    let corpus = bench::ensure_corpus(&generator, &shipped, &cfg.work, size)?;
    let engine = accord_core::engine::Engine::new(shipped)?;
    progress(format!(
        "roofline of {}, {} run(s) per stage",
        corpus.jsonl.display(),
        cfg.runs
    ));
    let r = accord_bench::roofline::measure(&engine, &corpus.jsonl, &cfg.work, cfg.runs)?;
    let header = format!(
        "### Roofline (`accord bench --roofline --size-mb {size} --runs {}`)\n\n\
         Each stage of `accord extract` alone on one thread, same input, same run. \
         {} cores ({}), load average {} at start, {} at end, {}, commit {}.",
        cfg.runs,
        machine.cpus,
        machine.cpu_model,
        machine.load_average.as_deref().unwrap_or("?"),
        bench::load_average().as_deref().unwrap_or("?"),
        machine.date,
        machine.commit.as_deref().unwrap_or("?"),
    );
    let text = accord_bench::roofline::report(&r, &header);
    print!("{text}");
    if let Some(path) = &cfg.write {
        let old = std::fs::read_to_string(path).unwrap_or_default();
        bench::write_atomic_text(path, &bench::splice_marked(&old, "roofline", &text))?;
        progress(format!("wrote {}", path.display()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Run `accord bench`: exit status 1 when an end-to-end run on text files failed.
pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let cfg = args.to_config()?;
    if args.adversarial {
        return run_adversarial(&args, &cfg);
    }
    if args.roofline {
        return run_roofline(&cfg);
    }
    if let Some(path) = &args.generate {
        let generator = Generator::new(&Gazetteer::load(None)?, cfg.seed)?;
        let size = cfg.sizes_mb[0];
        let stats = generator.write_jsonl(path, size * 1_000_000)?;
        progress(format!(
            "wrote {}: {} articles, {} bytes",
            path.display(),
            stats.articles,
            stats.bytes
        ));
        return Ok(ExitCode::SUCCESS);
    }
    let exe = std::env::current_exe()
        .map_err(|e| Error::msg(format!("cannot find the accord executable: {e}")))?;
    std::fs::create_dir_all(&cfg.work).map_err(|e| Error::io(&cfg.work, e))?;
    let machine = bench::machine();
    if !machine.optimized {
        progress("this is a debug build: numbers are not representative");
    }
    let shipped = Gazetteer::load(None)?;
    let generator = Generator::new(&shipped, cfg.seed)?;
    let mut notes = Vec::new();

    let mut corpora = Vec::new();
    for &size in &cfg.sizes_mb {
        progress(format!("corpus {size} MB (txt dir and JSONL)"));
        let started = std::time::Instant::now();
        let c = bench::ensure_corpus(&generator, &shipped, &cfg.work, size)?;
        progress(format!(
            "  {} articles, {} txt bytes, {} JSONL bytes ({}, {:.1} s)",
            c.txt.articles,
            c.txt.bytes,
            c.jsonl_stats.bytes,
            if c.reused { "reused" } else { "generated" },
            started.elapsed().as_secs_f64()
        ));
        corpora.push(c);
    }
    let mut gaz_dirs: Vec<(Scale, Option<PathBuf>)> = Vec::new();
    let mut gazetteers = Vec::new();
    for &scale in &cfg.scales {
        match scale {
            Scale::Shipped => gaz_dirs.push((scale, None)),
            Scale::Aliases(n) => {
                progress(format!("gazetteer {scale} ({n} aliases)"));
                let started = std::time::Instant::now();
                let (dir, syn, reused) = bench::ensure_gazetteer(&shipped, cfg.seed, &cfg.work, n)?;
                progress(format!(
                    "  {} synthetic entries, {} synthetic aliases ({}, {:.1} s)",
                    syn.entries,
                    syn.aliases,
                    if reused { "reused" } else { "generated" },
                    started.elapsed().as_secs_f64()
                ));
                gaz_dirs.push((scale, Some(dir)));
                gazetteers.push(syn);
            }
        }
    }

    // In process: load + build, matcher scan, bare baseline; one scale at a time.
    let smallest = &corpora[0];
    let limit = cfg.sample_mb.min(smallest.size_mb) * MB as u64;
    let texts = Texts::read(&smallest.txt_dir, limit)?;
    let mut scales = Vec::new();
    // The bench's own cache directory, never the user's.
    let cache_dir = cfg.work.join("cache");
    for (scale, dir) in &gaz_dirs {
        progress(format!("load + build, gazetteer {scale}"));
        let (mut load, engine) = bench::load_and_build(dir.as_deref(), cfg.runs)?;
        progress(format!(
            "  median {:.3} s, {} patterns, automaton {:.1} MB",
            load.seconds.median(),
            load.patterns,
            load.automaton_bytes as f64 / MB
        ));
        progress(format!(
            "matcher scan, gazetteer {scale}, {:.1} MB",
            texts.bytes() as f64 / MB
        ));
        let matcher = bench::scan_matcher(engine.matcher(), &texts, cfg.runs);
        progress(format!("  {:.1} MB/s", matcher.mbps_median()));
        let patterns = bench::alias_patterns(engine.gazetteer());
        drop(engine);
        progress(format!("bare Aho-Corasick scan, gazetteer {scale}"));
        let baseline = bench::scan_baseline(&patterns, &texts, cfg.runs)?;
        progress(format!("  {:.1} MB/s", baseline.scan.mbps_median()));
        drop(patterns);
        if let Some(dir) = dir {
            progress(format!("load + build through the cache, gazetteer {scale}"));
            let cached = bench::load_cached(dir, &cache_dir, cfg.runs)?;
            progress(format!("  median {:.3} s", cached.median()));
            load.cached_seconds = Some(cached);
        }
        scales.push(ScaleResult {
            scale: *scale,
            load,
            matcher,
            baseline,
        });
    }
    let (sample_docs, sample_bytes) = (texts.len(), texts.bytes());
    drop(texts);

    // End to end, as a child process.
    let time = bench::time_program();
    if time.is_none() {
        notes.push("/usr/bin/time not found: peak RSS not measured.".to_string());
    }
    let out_dir = cfg.work.join("out");
    let jsonl_ok = probe_jsonl(&exe, &generator, &cfg.work, time.as_deref());
    if let Err(why) = &jsonl_ok {
        notes.push(format!("JSONL runs skipped: {why}."));
    }
    let mut e2e = Vec::new();
    let mut txt_failed = false;
    let mut plan: Vec<(&Corpus, InputFormat, Scale, Option<&Path>, usize)> = Vec::new();
    for c in &corpora {
        for format in [InputFormat::Txt, InputFormat::Jsonl] {
            for &t in &cfg.threads {
                plan.push((c, format, Scale::Shipped, None, t));
            }
        }
    }
    for (scale, dir) in &gaz_dirs {
        if let Some(dir) = dir {
            plan.push((smallest, InputFormat::Txt, *scale, Some(dir.as_path()), 1));
        }
    }
    for (c, format, scale, gaz, threads) in plan {
        let (input, bytes) = match format {
            InputFormat::Txt => (&c.txt_dir, c.txt.bytes),
            InputFormat::Jsonl => (&c.jsonl, c.jsonl_stats.bytes),
        };
        let label = format!(
            "extract {} MB {format}, gazetteer {scale}, {threads} thread{}",
            c.size_mb,
            if threads == 1 { "" } else { "s" }
        );
        let runs = match (&jsonl_ok, format) {
            (Err(why), InputFormat::Jsonl) => Err(why.clone()),
            _ => {
                let job = ExtractJob {
                    exe: &exe,
                    input,
                    out: &out_dir,
                    threads,
                    gazetteers: gaz,
                    time: time.as_deref(),
                };
                let runs = repeat_extract(&job, cfg.runs, bytes, &label);
                if let Err(why) = &runs {
                    txt_failed |= format == InputFormat::Txt;
                    notes.push(format!("{label} failed: {why}"));
                }
                runs
            }
        };
        e2e.push(E2e {
            size_mb: c.size_mb,
            format,
            scale,
            threads,
            bytes,
            runs,
        });
    }
    let _ = std::fs::remove_dir_all(&out_dir);

    let report = Report {
        machine,
        command: std::iter::once("accord".to_string())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" "),
        seed: cfg.seed,
        runs: cfg.runs,
        corpora,
        gazetteers,
        sample_docs,
        sample_bytes,
        scales,
        e2e,
        notes,
        load_average_end: bench::load_average(),
    };
    let text = markdown(&report);
    print!("{text}");
    if let Some(path) = &cfg.write {
        // Keep the adversarial suite's section (`bench --adversarial --write`).
        let old = std::fs::read_to_string(path).unwrap_or_default();
        let mut text = match accord_bench::adversarial::section(&old) {
            Some(kept) => accord_bench::adversarial::splice(&text, kept),
            None => text,
        };
        if let Some(kept) = bench::marked_section(&old, "roofline") {
            text = bench::splice_marked(&text, "roofline", kept);
        }
        bench::write_atomic_text(path, &text)?;
        progress(format!("wrote {}", path.display()));
    }
    Ok(if txt_failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Run one end-to-end configuration `runs` times, reporting each run; stop at
/// the first failure.
fn repeat_extract(
    job: &ExtractJob<'_>,
    runs: usize,
    bytes: u64,
    label: &str,
) -> std::result::Result<Vec<ChildRun>, String> {
    let mut out = Vec::with_capacity(runs);
    for i in 0..runs {
        match bench::run_extract(job) {
            Ok(r) => {
                progress(format!(
                    "{label}: run {}/{runs}: {:.2} s, {:.1} MB/s, peak RSS {}",
                    i + 1,
                    r.seconds,
                    bench::mbps(bytes, r.seconds),
                    r.max_rss_kib.map_or("n/a".into(), |k| mb(k * 1024))
                ));
                out.push(r);
            }
            Err(why) => {
                progress(format!("{label}: failed: {why}"));
                return Err(why);
            }
        }
    }
    Ok(out)
}

/// Can this build read JSONL? Run it on two records and count the documents.
fn probe_jsonl(
    exe: &Path,
    generator: &Generator,
    work: &Path,
    time: Option<&Path>,
) -> std::result::Result<(), String> {
    let dir = work.join("probe");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = dir.join("probe.jsonl");
    let body: String = (0..2)
        .map(|i| generator.article(i).to_json_line() + "\n")
        .collect();
    std::fs::write(&file, body).map_err(|e| format!("{}: {e}", file.display()))?;
    let out = dir.join("out");
    let job = ExtractJob {
        exe,
        input: &file,
        out: &out,
        threads: 1,
        gazetteers: None,
        time,
    };
    let result =
        bench::run_extract(&job).and_then(|_| match bench::csv_rows(&out.join("documents.csv")) {
            2 => Ok(()),
            n => Err(format!(
                "this build does not read JSONL records (a 2-record file gave {n} document{})",
                if n == 1 { "" } else { "s" }
            )),
        });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / MB)
}

fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{:.3} s", s)
    } else {
        format!("{:.2} s", s)
    }
}

fn rate(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.1}"))
}

fn min_median(s: &Samples) -> (String, String) {
    (secs(s.min()), secs(s.median()))
}

/// The report as Markdown.
fn markdown(r: &Report) -> String {
    let mut s = String::new();
    let m = &r.machine;
    let _ = writeln!(s, "# accord benchmarks\n");
    let _ = writeln!(
        s,
        "Measured by `{}` ({} run{} per measurement; min and median reported). \
         Regenerate with `scripts/bench`.\n",
        r.command,
        r.runs,
        if r.runs == 1 { "" } else { "s" }
    );
    s.push_str("## Machine\n\n| | |\n| --- | --- |\n");
    let _ = writeln!(s, "| CPU | {} |", m.cpu_model);
    let _ = writeln!(s, "| logical CPUs | {} |", m.cpus);
    let _ = writeln!(
        s,
        "| memory | {} |",
        m.ram_bytes
            .map_or("unknown".into(), |b| format!("{:.1} GB", b as f64 / 1e9))
    );
    let _ = writeln!(s, "| date | {} |", m.date);
    let _ = writeln!(
        s,
        "| commit | {} |",
        m.commit.as_deref().unwrap_or("unknown")
    );
    let _ = writeln!(
        s,
        "| accord | {} ({} build) |",
        m.version,
        if m.optimized {
            "release"
        } else {
            "debug: not representative"
        }
    );
    let _ = writeln!(
        s,
        "| load average (1, 5, 15 min) | {} at start, {} at end |",
        m.load_average.as_deref().unwrap_or("unknown"),
        r.load_average_end.as_deref().unwrap_or("unknown")
    );
    let _ = writeln!(
        s,
        "| peak RSS | {} |\n",
        if m.time_available {
            "`/usr/bin/time -v`"
        } else {
            "not measured (no /usr/bin/time)"
        }
    );

    s.push_str("## Data\n\n");
    let _ = writeln!(
        s,
        "Synthetic news articles of 3–6 KiB generated by `accord::synth` (seed {}) from the \
         shipped gazetteer's own names: countries and adjectives, agencies with acronym \
         definitions, titled officials, missions, agreements, dialogues, places and dates, \
         with filler sentences, boilerplate blocks (\"Also Read\" lists, share lines, wire \
         credits) and some non-ASCII words. One article sequence is written as a directory of \
         `.txt` files and as one JSONL file, each up to the corpus size; JSON escaping makes \
         records longer, so the JSONL file holds fewer of the same articles. 1 MB = 10^6 bytes.\n",
        r.seed
    );
    s.push_str(
        "| corpus | txt articles | txt bytes | JSONL articles | JSONL bytes |\n| --- | ---: | ---: | ---: | ---: |\n",
    );
    for c in &r.corpora {
        let _ = writeln!(
            s,
            "| {} MB | {} | {} | {} | {} |",
            c.size_mb, c.txt.articles, c.txt.bytes, c.jsonl_stats.articles, c.jsonl_stats.bytes
        );
    }
    if !r.gazetteers.is_empty() {
        s.push_str(
            "\nSynthetic gazetteers add `mission:syn-…` rows (one `missions.csv`) to the shipped \
             ones; their names combine shipped adjectives, acronyms, missions and places with \
             qualifiers and nouns (\"ISRO Chandrayaan Lunar Orbiter\").\n\n",
        );
        s.push_str("| gazetteer | synthetic entries | synthetic aliases | aliases in all |\n| --- | ---: | ---: | ---: |\n");
        for g in &r.gazetteers {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                Scale::Aliases(g.total_aliases),
                g.entries,
                g.aliases,
                g.total_aliases
            );
        }
    }

    s.push_str("\n## Targets (issue 7)\n\n| target | goal | measured | status |\n| --- | --- | --- | --- |\n");
    for t in bench::targets(r) {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            t.name,
            t.goal,
            t.measured,
            match t.verdict {
                bench::Verdict::Met => "**met**".to_string(),
                bench::Verdict::NotMet => "**not met**".to_string(),
                bench::Verdict::NotMeasured => "n/a".to_string(),
            }
        );
    }
    s.push_str("\n### Headline ratios\n\n");
    let ratio = |v: Option<f64>, f: &dyn Fn(f64) -> String| v.map_or("n/a".into(), f);
    let _ = writeln!(
        s,
        "- end-to-end MB/s ÷ bare Aho-Corasick MB/s, 1 thread, shipped gazetteer: {}",
        ratio(bench::e2e_vs_baseline(r, Scale::Shipped), &|v| format!(
            "{:.0}%",
            v * 100.0
        ))
    );
    let _ = writeln!(
        s,
        "- 2 threads ÷ 1 thread, end to end: {}",
        ratio(bench::two_thread_speedup(r), &|v| format!("{v:.2}×"))
    );
    let _ = writeln!(
        s,
        "- MB/s change with corpus size: {}",
        bench::size_drift(r).map_or("n/a (one size)".into(), |(a, b, d)| format!(
            "{a} MB → {b} MB: {:+.1}%",
            d * 100.0
        ))
    );

    s.push_str(
        "\n## Gazetteer load + build\n\n`Gazetteer::load` + `Engine::new` in process \
         (CSV parsing, normalization, automaton and recognizers); the split columns are \
         medians of each part. *Cached*: the same through a warm gazetteer cache, as \
         `extract -g DIR` runs once the cache file exists (read and hash the CSV files, \
         read the cache file, build the automaton); the embedded gazetteers alone are \
         never cached.\n\n",
    );
    s.push_str("| gazetteer | entries | aliases | patterns | min | median | of which load | of which build | cached min | cached median | automaton memory |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for x in &r.scales {
        let (min, med) = min_median(&x.load.seconds);
        let (cmin, cmed) = x
            .load
            .cached_seconds
            .as_ref()
            .map_or(("n/a".into(), "n/a".into()), min_median);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {min} | {med} | {} | {} | {cmin} | {cmed} | {:.1} MB |",
            x.scale,
            x.load.entries,
            x.load.aliases,
            x.load.patterns,
            secs(x.load.load_seconds.median()),
            secs(x.load.build_seconds.median()),
            x.load.automaton_bytes as f64 / MB
        );
    }

    let _ = writeln!(
        s,
        "\n## Matcher and bare Aho-Corasick, in process, 1 thread\n\n\
         Over {} documents ({:.1} MB) of the smallest corpus held in memory. `Matcher::find` \
         gets each text with its ASCII-lowercased view computed beforehand (overlapping \
         search, boundary and case checks). The bare baseline is \
         `AhoCorasick::builder().match_kind(LeftmostLongest).ascii_case_insensitive(true)` over \
         the same patterns, counting `find_iter` matches.\n",
        r.sample_docs,
        r.sample_bytes as f64 / MB
    );
    s.push_str("| gazetteer | matcher min | median | MB/s | candidates | bare build | bare memory | bare min | median | MB/s | matches | matcher ÷ bare |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for x in &r.scales {
        let (mmin, mmed) = min_median(&x.matcher.seconds);
        let (bmin, bmed) = min_median(&x.baseline.scan.seconds);
        let _ = writeln!(
            s,
            "| {} | {mmin} | {mmed} | {:.1} | {} | {} | {:.1} MB | {bmin} | {bmed} | {:.1} | {} | {:.0}% |",
            x.scale,
            x.matcher.mbps_median(),
            x.matcher.matches,
            secs(x.baseline.build_seconds),
            x.baseline.memory_bytes as f64 / MB,
            x.baseline.scan.mbps_median(),
            x.baseline.scan.matches,
            x.matcher.mbps_median() / x.baseline.scan.mbps_median() * 100.0
        );
    }

    s.push_str(
        "\n## End to end: `accord extract`\n\n`accord extract INPUT -o OUT -j N -q` as a child \
         process: wall clock measured around it, MB/s = input bytes ÷ seconds (MB/s columns \
         from the median and the fastest run), peak RSS the largest over the runs.\n\n",
    );
    s.push_str("| corpus | input | gazetteer | threads | min | median | MB/s (median) | MB/s (best) | peak RSS |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for e in &r.e2e {
        let (min, med) = match e.seconds() {
            Some(sm) => min_median(&sm),
            None => ("n/a".into(), "n/a".into()),
        };
        let _ = writeln!(
            s,
            "| {} MB | {} | {} | {} | {min} | {med} | {} | {} | {} |",
            e.size_mb,
            e.format,
            e.scale,
            e.threads,
            rate(e.mbps_median()),
            rate(e.mbps_best()),
            e.max_rss_bytes().map_or("n/a".into(), mb)
        );
    }
    if !r.notes.is_empty() {
        s.push_str("\n## Notes\n\n");
        for n in &r.notes {
            let _ = writeln!(s, "- {}", n.replace('|', "\\|"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrap {
        #[command(flatten)]
        args: BenchArgs,
    }

    fn config(argv: &[&str]) -> Result<BenchConfig> {
        let w = Wrap::try_parse_from(std::iter::once("bench").chain(argv.iter().copied()))
            .map_err(|e| Error::msg(e.to_string()))?;
        w.args.to_config()
    }

    #[test]
    fn defaults() {
        let c = config(&[]).unwrap();
        assert_eq!(c, BenchConfig::default());
        assert_eq!(c.sizes_mb, [100, 1000]);
        assert_eq!(c.threads, [1, 2]);
        assert_eq!(c.runs, 3);
        assert_eq!(c.work, Path::new("target/bench"));
        assert_eq!(c.scales.len(), 4);
    }

    #[test]
    fn smoke_plan_and_explicit_overrides() {
        let c = config(&["--smoke"]).unwrap();
        assert_eq!(c.sizes_mb, [2]);
        assert_eq!(c.scales, [Scale::Shipped, Scale::Aliases(10_000)]);
        assert_eq!((c.runs, c.threads.as_slice()), (1, &[1][..]));
        let c = config(&[
            "--smoke",
            "--size-mb",
            "20,5,20",
            "--gaz-scales",
            "100k,shipped",
            "--threads",
            "2,1",
            "--runs",
            "2",
            "--work",
            "w",
            "--write",
            "B.md",
            "--seed",
            "9",
            "--sample-mb",
            "7",
        ])
        .unwrap();
        assert_eq!(c.sizes_mb, [5, 20]);
        assert_eq!(c.scales, [Scale::Shipped, Scale::Aliases(100_000)]);
        assert_eq!(c.threads, [1, 2]);
        assert_eq!(c.runs, 2);
        assert_eq!(c.work, Path::new("w"));
        assert_eq!(c.write.as_deref(), Some(Path::new("B.md")));
        assert_eq!((c.seed, c.sample_mb), (9, 7));
    }

    #[test]
    fn bad_values_are_refused() {
        for argv in [
            &["--size-mb", "0"][..],
            &["--threads", "0"],
            &["--runs", "0"],
            &["--gaz-scales", "huge"],
            &["--sample-mb", "0"],
        ] {
            assert!(config(argv).is_err(), "{argv:?}");
        }
    }
}
