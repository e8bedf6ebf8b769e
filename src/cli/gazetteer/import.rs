//! `accord gazetteer import-wikidata`: gazetteer rows, with their real
//! Wikidata ids, from a Wikidata JSON dump streamed in bounded memory (see
//! `accord_io::wikidata`).

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use accord_core::error::{Error, Result};
use accord_core::gazetteer::{EntityType, Gazetteer};
use accord_io::wikidata::{self, Kind, Options, Post, Row};

/// The kinds of rows, as `--type` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    /// Space agencies: instances of "space agency" and its subclasses.
    Agency,
    /// Holders of the posts given with --post.
    Person,
    /// Spacecraft, satellites, probes and space missions, and their subclasses.
    Mission,
    /// Instances of the classes given with --class.
    Org,
}

/// Arguments of `accord gazetteer import-wikidata`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The dump: a Wikidata JSON dump (.json, .json.gz or .json.bz2), one entity per line.
    #[arg(value_name = "DUMP")]
    pub dump: PathBuf,
    /// Kinds of rows to write (repeat or comma-separate). Default: agency and
    /// mission, plus person with --post and org with --class.
    #[arg(long = "type", value_name = "TYPE", value_delimiter = ',')]
    pub types: Vec<TypeArg>,
    /// Directory to write agencies.csv, officials.csv, missions.csv and
    /// organisations.csv into (created if missing; those files replaced whole).
    #[arg(short, long, value_name = "DIR", default_value = "wikidata-gazetteers")]
    pub out: PathBuf,
    /// Gazetteers the rows must not repeat (on top of the embedded ones):
    /// items whose Wikidata id or name they hold are skipped.
    #[arg(short, long, value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
    /// A post whose holders become persons, as QID or QID=ORG_ID
    /// (`--post Q123=agency:nasa`): title from its English label, org the given id.
    #[arg(long, value_name = "QID[=ORG]")]
    pub post: Vec<String>,
    /// A class whose instances (and its subclasses' instances) become
    /// organisations (`--type org`).
    #[arg(long, value_name = "QID")]
    pub class: Vec<String>,
    /// No progress bar and no summary.
    #[arg(short, long)]
    pub quiet: bool,
}

fn qid(s: &str) -> Result<u32> {
    s.trim()
        .strip_prefix('Q')
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| Error::msg(format!("'{s}' is not a Wikidata item id (Q and a number)")))
}

/// The options: what to write, and what the gazetteers already know.
fn options(args: &ImportArgs, gaz: &Gazetteer) -> Result<Options> {
    let posts = args
        .post
        .iter()
        .map(|p| {
            let (q, org) = p.split_once('=').unwrap_or((p, ""));
            Ok(Post {
                item: qid(q)?,
                org: org.trim().to_string(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let org_classes = args
        .class
        .iter()
        .map(|c| qid(c))
        .collect::<Result<Vec<_>>>()?;
    let kinds: Vec<Kind> = if args.types.is_empty() {
        let mut k = vec![Kind::Agency, Kind::Mission];
        if !posts.is_empty() {
            k.push(Kind::Person);
        }
        if !org_classes.is_empty() {
            k.push(Kind::Org);
        }
        k
    } else {
        args.types
            .iter()
            .map(|t| match t {
                TypeArg::Agency => Kind::Agency,
                TypeArg::Person => Kind::Person,
                TypeArg::Mission => Kind::Mission,
                TypeArg::Org => Kind::Org,
            })
            .collect()
    };
    if kinds.contains(&Kind::Person) && posts.is_empty() {
        return Err(Error::msg(
            "--type person needs at least one --post QID (the post whose holders to import)",
        ));
    }
    if kinds.contains(&Kind::Org) && org_classes.is_empty() {
        return Err(Error::msg(
            "--type org needs at least one --class QID (the class whose instances to import)",
        ));
    }
    let mut opts = Options {
        kinds,
        org_classes,
        posts,
        ..Options::default()
    };
    for e in gaz.entries() {
        if let Some(n) = e.wikidata.strip_prefix('Q').and_then(|n| n.parse().ok()) {
            opts.known_items.insert(n);
        }
        for a in &e.aliases {
            opts.known_names.insert(a.to_lowercase());
            if e.etype == EntityType::Country && !e.country.is_empty() {
                opts.country_names
                    .insert(a.to_lowercase(), e.country.to_ascii_uppercase());
            }
        }
        opts.known_ids.insert(e.id.clone());
    }
    Ok(opts)
}

/// File name and header of each kind's rows.
fn layout(kind: Kind) -> (&'static str, &'static [&'static str]) {
    match kind {
        Kind::Agency => (
            "agencies.csv",
            &[
                "id",
                "canonical",
                "aliases",
                "country",
                "wikidata",
                "case",
                "notes",
            ],
        ),
        Kind::Org => (
            "organisations.csv",
            &[
                "id",
                "canonical",
                "aliases",
                "country",
                "wikidata",
                "case",
                "notes",
            ],
        ),
        Kind::Mission => (
            "missions.csv",
            &[
                "id",
                "canonical",
                "aliases",
                "country",
                "partners",
                "wikidata",
                "case",
                "notes",
            ],
        ),
        Kind::Person => (
            "officials.csv",
            &[
                "id",
                "canonical",
                "aliases",
                "title",
                "org",
                "country",
                "from",
                "to",
                "wikidata",
                "case",
                "notes",
            ],
        ),
    }
}

fn record(r: &Row) -> Vec<String> {
    let year = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
    let notes = "imported from Wikidata; review before use".to_string();
    let aliases = r.aliases.join("|");
    match r.kind {
        Kind::Agency | Kind::Org => vec![
            r.id.clone(),
            r.canonical.clone(),
            aliases,
            r.country.clone(),
            r.wikidata.clone(),
            String::new(),
            notes,
        ],
        Kind::Mission => vec![
            r.id.clone(),
            r.canonical.clone(),
            aliases,
            r.country.clone(),
            String::new(),
            r.wikidata.clone(),
            String::new(),
            notes,
        ],
        Kind::Person => vec![
            r.id.clone(),
            r.canonical.clone(),
            aliases,
            r.title.clone(),
            r.org.clone(),
            r.country.clone(),
            year(r.from),
            year(r.to),
            r.wikidata.clone(),
            String::new(),
            notes,
        ],
    }
}

/// One output file, written to a temporary file and renamed into place.
struct Out {
    path: PathBuf,
    writer: csv::Writer<accord_io::output::AtomicFile>,
}

fn open(dir: &Path, kind: Kind) -> Result<Out> {
    let (name, header) = layout(kind);
    let file = accord_io::output::AtomicFile::create(&dir.join(name))?;
    let mut writer = csv::Writer::from_writer(file);
    writer
        .write_record(header)
        .map_err(|e| Error::csv(dir.join(name), e))?;
    Ok(Out {
        path: dir.join(name),
        writer,
    })
}

/// Run `accord gazetteer import-wikidata`.
pub fn run(args: ImportArgs) -> Result<ExitCode> {
    let gaz = Gazetteer::load(args.gazetteers.as_deref())?;
    let opts = options(&args, &gaz)?;
    drop(gaz);
    // A dump that cannot be opened leaves no empty output directory behind.
    std::fs::File::open(&args.dump).map_err(|e| Error::io(&args.dump, e))?;
    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let mut outs: HashMap<Kind, Out> = HashMap::new();
    for &k in &opts.kinds {
        outs.insert(k, open(&args.out, k)?);
    }
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(0),
            indicatif::ProgressDrawTarget::stderr_with_hz(4),
        );
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg} {bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut pass_shown = 0;
    let mut progress = |pass: u32, read: u64, total: u64| {
        if let Some(bar) = &bar {
            if pass != pass_shown {
                pass_shown = pass;
                bar.reset();
                bar.set_length(total);
                bar.set_message(if pass == 1 {
                    "pass 1/2 (classes, countries)"
                } else {
                    "pass 2/2 (rows)"
                });
            }
            bar.set_position(read);
        }
    };
    let mut sink = |row: Row| -> Result<()> {
        let out = outs
            .get_mut(&row.kind)
            .ok_or_else(|| Error::msg("row of a kind not asked for"))?;
        out.writer
            .write_record(record(&row))
            .map_err(|e| Error::csv(&out.path, e))
    };
    let summary = wikidata::import(&args.dump, &opts, &mut progress, &mut sink)?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut written = Vec::new();
    let mut kinds: Vec<Kind> = outs.keys().copied().collect();
    kinds.sort();
    for k in kinds {
        let out = outs.remove(&k).expect("kind present");
        let file = out
            .writer
            .into_inner()
            .map_err(|e| Error::io(&out.path, e.into_error()))?;
        file.commit()?;
        written.push(out.path);
    }
    if !args.quiet {
        for (line, why) in &summary.bad_lines {
            eprintln!("accord: {}:{line}: {why}", args.dump.display());
        }
        let rows: Vec<String> = summary
            .rows
            .iter()
            .map(|(k, n)| format!("{n} {}", k.prefix()))
            .collect();
        let files: HashSet<String> = written.iter().map(|p| p.display().to_string()).collect();
        let mut files: Vec<String> = files.into_iter().collect();
        files.sort();
        eprintln!(
            "accord: {} entities read, {} lines skipped; rows: {}; {} already known, {} without an English label; wrote {}",
            summary.items,
            summary.bad_count,
            if rows.is_empty() {
                "none".to_string()
            } else {
                rows.join(", ")
            },
            summary.known,
            summary.unlabelled,
            files.join(", ")
        );
        eprintln!(
            "accord: review the rows, then `accord gazetteer lint -g {}`",
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
