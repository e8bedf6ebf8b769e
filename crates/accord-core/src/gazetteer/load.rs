//! Reading gazetteer CSV files into entries, with every bad row reported by
//! file and line.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::{CasePolicy, EntityType, Entry, Gazetteer, Post, Title};
use crate::error::{Error, Result};
use crate::text::normalize::normalize_owned;

/// The gazetteers compiled into the binary: (file name, contents).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "countries.csv",
        include_str!("../../../../gazetteers/countries.csv"),
    ),
    (
        "agencies.csv",
        include_str!("../../../../gazetteers/agencies.csv"),
    ),
    (
        "organisations.csv",
        include_str!("../../../../gazetteers/organisations.csv"),
    ),
    (
        "officials.csv",
        include_str!("../../../../gazetteers/officials.csv"),
    ),
    (
        "missions.csv",
        include_str!("../../../../gazetteers/missions.csv"),
    ),
    (
        "agreements.csv",
        include_str!("../../../../gazetteers/agreements.csv"),
    ),
    (
        "dialogues.csv",
        include_str!("../../../../gazetteers/dialogues.csv"),
    ),
    (
        "locations.csv",
        include_str!("../../../../gazetteers/locations.csv"),
    ),
    (
        "titles.csv",
        include_str!("../../../../gazetteers/titles.csv"),
    ),
];

/// Where a gazetteer row came from: a file (embedded or on disk) and a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// `embedded:countries.csv` or a path on disk.
    pub file: String,
    /// 1-based line number.
    pub line: u64,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What a file holds, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileKind {
    Entities(Option<EntityType>),
    Titles,
}

fn file_kind(name: &str) -> FileKind {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.strip_suffix(".csv").unwrap_or(stem);
    FileKind::Entities(Some(match stem {
        "countries" => EntityType::Country,
        "agencies" => EntityType::Agency,
        "organisations" | "organizations" | "orgs" => EntityType::Org,
        "officials" | "people" | "persons" => EntityType::Person,
        "missions" => EntityType::Mission,
        "agreements" => EntityType::Agreement,
        "dialogues" => EntityType::Dialogue,
        "locations" | "places" => EntityType::Location,
        "titles" => return FileKind::Titles,
        _ => return FileKind::Entities(None),
    }))
}

/// Rows read from one set of files (the embedded set or a directory).
#[derive(Default)]
pub(super) struct Loaded {
    pub(super) entries: Vec<Entry>,
    pub(super) titles: Vec<Title>,
    pub(super) errors: Vec<Error>,
    /// Keep each row of a person with several posts as its own entry (one
    /// post, its own line), as the lint wants, instead of merging them.
    pub(super) one_entry_per_row: bool,
}

/// The gazetteer files of `--gazetteers DIR`, read once, so that the
/// fingerprint and the load see the same bytes even if a file changes on
/// disk in between.
#[derive(Debug, Default)]
pub struct Files {
    dir: Option<PathBuf>,
    /// Each `.csv` file of `dir` in name order, with its contents or the
    /// error reading it.
    files: Vec<(PathBuf, std::io::Result<Vec<u8>>)>,
    /// Leave out the embedded gazetteers ([`Files::read_alone`]).
    alone: bool,
}

impl Files {
    /// Read the `.csv` files directly inside `dir` (none without a `dir`).
    ///
    /// A directory that cannot be listed or holds no `.csv` file is an
    /// error; a file that cannot be read is kept as such and reported by the
    /// load.
    pub fn read(dir: Option<&Path>) -> Result<Files> {
        let Some(dir) = dir else {
            return Ok(Files::default());
        };
        let files = csv_files(dir)?
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path);
                (path, bytes)
            })
            .collect();
        Ok(Files {
            dir: Some(dir.to_path_buf()),
            files,
            alone: false,
        })
    }

    /// Like [`Files::read`], for the files of `dir` alone: the load leaves
    /// out the embedded gazetteers (to lint or mine a directory that stands
    /// for the whole set, such as `gazetteers/` itself).
    pub fn read_alone(dir: &Path) -> Result<Files> {
        let mut files = Files::read(Some(dir))?;
        files.alone = true;
        Ok(files)
    }

    /// True when the load leaves out the embedded gazetteers.
    pub fn is_alone(&self) -> bool {
        self.alone
    }

    /// The directory, as given.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// A hash of the embedded gazetteers, these files and the accord version:
    /// equal fingerprints give equal extraction. A file that could not be
    /// read is an error.
    pub fn fingerprint(&self) -> Result<String> {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut add = |name: &str, bytes: &[u8]| {
            for part in [name.as_bytes(), bytes] {
                h.update(&(part.len() as u64).to_le_bytes());
                h.update(part);
            }
        };
        add("accord", env!("CARGO_PKG_VERSION").as_bytes());
        if self.alone {
            add("alone", b"");
        } else {
            for (name, text) in EMBEDDED {
                add(name, text.as_bytes());
            }
        }
        for (path, bytes) in &self.files {
            let bytes = bytes.as_ref().map_err(|e| Error::io(path, copy_io(e)))?;
            add(
                &path.file_name().unwrap_or_default().to_string_lossy(),
                bytes,
            );
        }
        Ok(format!("{:032x}", h.digest128()))
    }
}

/// `std::io::Error` is not `Clone`; the same kind and message will do.
fn copy_io(e: &std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), e.to_string())
}

/// Each file's bytes are dropped once parsed, to keep the peak memory down.
pub(super) fn load(files: Files) -> Result<Gazetteer> {
    let (embedded, user, errors) = read_sets(files, false);
    if !errors.is_empty() {
        return Err(Error::partial(errors));
    }
    Ok(combine(embedded, user))
}

/// Read the embedded set (unless the files stand alone) and the files of the
/// directory, each checked for duplicate ids; the errors of both.
pub(super) fn read_sets(files: Files, one_entry_per_row: bool) -> (Loaded, Loaded, Vec<Error>) {
    let mut embedded = Loaded {
        one_entry_per_row,
        ..Loaded::default()
    };
    if !files.alone {
        for (name, text) in EMBEDDED {
            read_file(
                &format!("embedded:{name}"),
                file_kind(name),
                text.as_bytes(),
                &mut embedded,
            );
        }
        check_unique_ids(&mut embedded);
    }
    let mut user = Loaded {
        one_entry_per_row,
        ..Loaded::default()
    };
    if files.dir.is_some() {
        for (path, bytes) in files.files {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let kind = file_kind(name);
            match bytes {
                Ok(bytes) => read_file(&path.display().to_string(), kind, &bytes, &mut user),
                Err(e) => user.errors.push(Error::io(&path, e)),
            }
        }
        check_unique_ids(&mut user);
    }
    let mut errors = std::mem::take(&mut embedded.errors);
    errors.append(&mut user.errors);
    (embedded, user, errors)
}

/// The directory's rows first, then the embedded rows it does not replace.
pub(super) fn combine(embedded: Loaded, user: Loaded) -> Gazetteer {
    let entries = merge_entries(embedded.entries, user.entries);
    let mut titles = user.titles;
    titles.extend(embedded.titles);
    Gazetteer::from_parts(entries, titles)
}

/// The rows the matcher sees, in its order: the directory's rows first, so
/// that an alias they share with an embedded row resolves to the user's
/// entity, then the embedded rows whose id the directory does not replace.
/// The loader and the lint both use it, so they check the same rows.
pub(super) fn merge_entries(embedded: Vec<Entry>, user: Vec<Entry>) -> Vec<Entry> {
    let replaced: std::collections::HashSet<&str> = user.iter().map(|e| e.id.as_str()).collect();
    let kept: Vec<Entry> = embedded
        .into_iter()
        .filter(|e| !replaced.contains(e.id.as_str()))
        .collect();
    drop(replaced);
    let mut entries = user;
    entries.extend(kept);
    entries
}

/// The `.csv` files directly inside `dir`, sorted by name.
fn csv_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for ent in rd {
        let ent = ent.map_err(|e| Error::io(dir, e))?;
        let path = ent.path();
        if path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"))
            && path.is_file()
        {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(Error::msg(format!(
            "{}: no .csv gazetteer files in this directory",
            dir.display()
        )));
    }
    files.sort();
    Ok(files)
}

fn check_unique_ids(loaded: &mut Loaded) {
    let mut seen: HashMap<String, (Source, &str)> = HashMap::new();
    for e in &loaded.entries {
        if let Some((first, canonical)) = seen.get(&e.id) {
            // Another post of the same person, kept apart for the lint.
            if loaded.one_entry_per_row
                && e.etype == EntityType::Person
                && *canonical == e.canonical
                && first.file == e.source.file
            {
                continue;
            }
            loaded.errors.push(Error::row(
                &e.source.file,
                e.source.line,
                format!("duplicate id '{}' (first at {first})", e.id),
            ));
        } else {
            seen.insert(e.id.clone(), (e.source.clone(), &e.canonical));
        }
    }
}

/// Column positions found in a header.
struct Columns {
    map: HashMap<String, usize>,
}

impl Columns {
    fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> &'r str {
        self.map
            .get(name)
            .and_then(|&i| rec.get(i))
            .unwrap_or("")
            .trim()
    }
}

fn read_file(name: &str, kind: FileKind, bytes: &[u8], out: &mut Loaded) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(false)
        .from_reader(bytes);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.errors.push(Error::csv(name, e));
            return;
        }
    };
    let cols = Columns {
        map: headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_ascii_lowercase(), i))
            .collect(),
    };
    let required: &[&str] = match kind {
        FileKind::Titles => &["title"],
        FileKind::Entities(Some(_)) => &["id", "canonical"],
        FileKind::Entities(None) => &["id", "canonical", "type"],
    };
    for col in required {
        if !cols.map.contains_key(*col) {
            let why = if *col == "type" {
                "missing column 'type' (needed when the file name does not name a type)".to_string()
            } else {
                format!("missing column '{col}'")
            };
            out.errors.push(Error::row(name, 1, why));
            return;
        }
    }
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(Error::csv(name, e));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let result = match kind {
            FileKind::Titles => parse_title(&cols, &rec).map(|t| out.titles.push(t)),
            FileKind::Entities(etype) => {
                parse_entry(&cols, &rec, etype, name, line).map(|e| add_entry(out, e))
            }
        };
        if let Err(msg) = result {
            out.errors.push(Error::row(name, line, msg));
        }
    }
}

/// Add a parsed row; a further row for the same person (same id and name in
/// the same file) adds a post rather than an entity.
fn add_entry(out: &mut Loaded, e: Entry) {
    if !out.one_entry_per_row
        && e.etype == EntityType::Person
        && let Some(first) =
            out.entries.iter_mut().rev().find(|x| {
                x.id == e.id && x.canonical == e.canonical && x.source.file == e.source.file
            })
    {
        first.posts.extend(e.posts);
        for a in e.aliases {
            if !first.aliases.contains(&a) {
                first.aliases.push(a);
            }
        }
        return;
    }
    out.entries.push(e);
}

/// Split a `|`-separated list; an empty item is an error.
fn split_list(field: &str, what: &str) -> std::result::Result<Vec<String>, String> {
    if field.trim().is_empty() {
        return Ok(Vec::new());
    }
    field
        .split('|')
        .map(|a| {
            let a = normalize_owned(a);
            if a.is_empty() {
                Err(format!("empty {what} in '{field}'"))
            } else {
                Ok(a)
            }
        })
        .collect()
}

fn parse_title(cols: &Columns, rec: &csv::StringRecord) -> std::result::Result<Title, String> {
    let title = normalize_owned(cols.get(rec, "title"));
    if title.is_empty() {
        return Err("empty title".into());
    }
    let mut forms = vec![title.clone()];
    for a in split_list(cols.get(rec, "aliases"), "alias")? {
        if !forms.contains(&a) {
            forms.push(a);
        }
    }
    Ok(Title { title, forms })
}

fn valid_id(id: &str) -> bool {
    let Some((prefix, slug)) = id.split_once(':') else {
        return false;
    };
    !prefix.is_empty()
        && !slug.is_empty()
        && prefix.bytes().all(|b| b.is_ascii_lowercase())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

fn parse_year(s: &str, col: &str) -> std::result::Result<Option<i32>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(y) if (1900..=2100).contains(&y) => Ok(Some(y)),
        _ => Err(format!("'{col}' must be a year (YYYY), found '{s}'")),
    }
}

fn parse_entry(
    cols: &Columns,
    rec: &csv::StringRecord,
    file_type: Option<EntityType>,
    file: &str,
    line: u64,
) -> std::result::Result<Entry, String> {
    let id = cols.get(rec, "id");
    if id.is_empty() {
        return Err("empty id".into());
    }
    if !valid_id(id) {
        return Err(format!(
            "id '{id}' is not of the form 'type:slug' (lowercase letters, digits, '-', '_', '.')"
        ));
    }
    let etype = match cols.get(rec, "type") {
        "" => file_type.ok_or_else(|| format!("row '{id}' has an empty 'type'"))?,
        t => EntityType::parse(t).ok_or_else(|| format!("unknown type '{t}'"))?,
    };
    let canonical = normalize_owned(cols.get(rec, "canonical"));
    if canonical.is_empty() {
        return Err(format!("row '{id}' has an empty canonical name"));
    }
    let case_field = cols.get(rec, "case");
    let case = CasePolicy::parse(case_field).ok_or_else(|| {
        format!("unknown case policy '{case_field}' (expected auto, exact or fold)")
    })?;
    let mut aliases = vec![canonical.clone()];
    for a in split_list(cols.get(rec, "aliases"), "alias")? {
        if !aliases.contains(&a) {
            aliases.push(a);
        }
    }
    let combining = split_list(cols.get(rec, "combining"), "combining form")?;
    let blockers = split_list(cols.get(rec, "not"), "blocking phrase")?;
    let country = cols.get(rec, "country").to_string();
    let iso2 = |c: &str| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic());
    if !country.is_empty() && !iso2(&country) {
        return Err(format!(
            "country '{country}' is not an ISO 3166-1 alpha-2 code"
        ));
    }
    let wikidata = cols.get(rec, "wikidata").to_string();
    let qid =
        |w: &str| w.len() > 1 && w.starts_with('Q') && w[1..].bytes().all(|b| b.is_ascii_digit());
    if !wikidata.is_empty() && !qid(&wikidata) {
        return Err(format!("wikidata '{wikidata}' is not a Q-id"));
    }
    let mut parties = split_list(cols.get(rec, "partners"), "partner")?;
    parties.extend(split_list(cols.get(rec, "parties"), "party")?);
    for p in &parties {
        if !iso2(p) {
            return Err(format!("party '{p}' is not an ISO 3166-1 alpha-2 code"));
        }
    }
    let from = parse_year(cols.get(rec, "from"), "from")?;
    let to = parse_year(cols.get(rec, "to"), "to")?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(format!("'from' ({f}) is after 'to' ({t})"));
    }
    Ok(Entry {
        id: id.to_string(),
        etype,
        canonical,
        aliases,
        combining,
        blockers,
        country: country.to_ascii_uppercase(),
        wikidata,
        case,
        posts: {
            let title = normalize_owned(cols.get(rec, "title"));
            let org = cols.get(rec, "org").to_string();
            if title.is_empty() && org.is_empty() && from.is_none() && to.is_none() {
                Vec::new()
            } else {
                vec![Post {
                    title,
                    org,
                    from,
                    to,
                }]
            }
        },
        parties: parties.iter().map(|p| p.to_ascii_uppercase()).collect(),
        source: Source {
            file: file.to_string(),
            line,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, text: &str) -> Loaded {
        let mut out = Loaded::default();
        read_file(name, file_kind(name), text.as_bytes(), &mut out);
        check_unique_ids(&mut out);
        out
    }

    #[test]
    fn embedded_gazetteers_load_without_errors() {
        let g = Gazetteer::load(None).unwrap_or_else(|e| panic!("{e}"));
        assert!(g.entries().len() > 500);
        assert!(!g.titles().is_empty());
    }

    #[test]
    fn good_rows_and_comments() {
        let out = read(
            "agencies.csv",
            "# comment\nid,canonical,aliases,country,case\nagency:x,Xeno Agency,XA|Xeno,FR,exact\n",
        );
        assert!(out.errors.is_empty());
        let e = &out.entries[0];
        assert_eq!(e.etype, EntityType::Agency);
        assert_eq!(e.aliases, ["Xeno Agency", "XA", "Xeno"]);
        assert_eq!(e.case, CasePolicy::Exact);
        assert_eq!(e.source.line, 3);
    }

    #[test]
    fn bad_rows_are_reported_with_line_and_the_rest_kept() {
        let text = "id,canonical,aliases,country,case,from\n\
            agency:a,A Agency,,,,\n\
            ,No Id,,,,\n\
            agency:b,,,,,\n\
            agency:c,C,x||y,,,\n\
            agency:d,D,,,shouting,\n\
            agency:e,E,,FRA,,\n\
            agency:f,F,,,,20x\n\
            agency:a,Again,,,,\n\
            BAD ID,G,,,,\n\
            agency:h,H,,,\n\
            agency:i,I Agency,,,,\n";
        let out = read("agencies.csv", text);
        let msgs: Vec<String> = out.errors.iter().map(|e| e.to_string()).collect();
        let want = [
            ("agencies.csv:3:", "empty id"),
            ("agencies.csv:4:", "empty canonical"),
            ("agencies.csv:5:", "empty alias"),
            ("agencies.csv:6:", "unknown case policy 'shouting'"),
            ("agencies.csv:7:", "FRA"),
            ("agencies.csv:8:", "20x"),
            ("agencies.csv:10:", "not of the form"),
            ("agencies.csv:11:", "fields"),
            ("agencies.csv:9:", "duplicate id 'agency:a'"),
        ];
        assert_eq!(msgs.len(), want.len(), "{msgs:#?}");
        for (prefix, needle) in want {
            assert!(
                msgs.iter()
                    .any(|m| m.starts_with(prefix) && m.contains(needle)),
                "no error {prefix} {needle} in {msgs:#?}"
            );
        }
        let ids: Vec<&str> = out.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["agency:a", "agency:a", "agency:i"]);
    }

    #[test]
    fn several_posts_of_one_person_make_one_entity() {
        let out = read(
            "officials.csv",
            "id,canonical,aliases,title,org,from,to\n\
             person:a,Ann Bee,A. Bee,Ambassador,country:in,2017,2020\n\
             person:a,Ann Bee,,Foreign Secretary,country:in,2022,2024\n\
             person:a,Other Name,,Minister,country:in,,\n",
        );
        assert_eq!(out.entries.len(), 2);
        let e = &out.entries[0];
        assert_eq!(e.posts.len(), 2);
        assert!(e.posts[1].held_in(2023) && !e.posts[1].held_in(2021));
        assert!(
            out.errors[0]
                .to_string()
                .contains("duplicate id 'person:a'")
        );
    }

    #[test]
    fn missing_columns_and_unknown_file_types() {
        let out = read("agencies.csv", "id,aliases\nagency:a,x\n");
        assert!(
            out.errors[0]
                .to_string()
                .contains("missing column 'canonical'")
        );
        let out = read("extra.csv", "id,canonical\nx:a,A\n");
        assert!(out.errors[0].to_string().contains("missing column 'type'"));
        let out = read(
            "extra.csv",
            "id,canonical,type\nx:a,A,mission\nx:b,B,planet\n",
        );
        assert_eq!(out.entries[0].etype, EntityType::Mission);
        assert!(out.errors[0].to_string().contains("unknown type 'planet'"));
    }

    #[test]
    fn user_rows_override_embedded_by_id() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("agencies.csv"),
            "id,canonical,aliases\nagency:isro,Indian Space Research Organisation,Bharatiya Test Alias\nagency:zz-test,Zed Test Agency,ZTA\n",
        )
        .unwrap();
        let g = Gazetteer::load(Some(dir.path())).unwrap();
        let isro = g.entry(g.index_of("agency:isro").unwrap());
        assert!(isro.aliases.iter().any(|a| a == "Bharatiya Test Alias"));
        assert!(isro.source.file.ends_with("agencies.csv"));
        assert!(!isro.source.file.starts_with("embedded:"));
        assert!(g.index_of("agency:zz-test").is_some());
        assert_eq!(
            g.entries().iter().filter(|e| e.id == "agency:isro").count(),
            1
        );
    }
}
