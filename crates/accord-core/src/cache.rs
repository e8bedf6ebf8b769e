//! The gazetteer cache: what loading `--gazetteers DIR` computes before the
//! automaton, saved in a binary file so that the next run skips it.
//!
//! With a million aliases, parsing and checking the CSV files, merging them
//! with the embedded rows and sorting the alias tables takes seconds, longer
//! than extracting a megabyte of text. The Aho-Corasick automaton cannot be
//! saved, so the cache holds everything that precedes it: the automaton's
//! patterns, the gazetteer's entries and titles, and the matcher's
//! [`Tables`]. A cached run reads the files (to hash them), checks the cache
//! file, and builds the automaton from the patterns, which come first, on a
//! second thread while it decodes the rest.
//!
//! Invariants:
//!
//! - A cache file is used only when its key matches: a hash of the
//!   gazetteer [fingerprint](crate::gazetteer::Files::fingerprint) (embedded
//!   files, every file of the directory, accord version), of [`FORMAT`], and
//!   of the size and modification time of the running executable, so that a
//!   rebuilt accord whose loading rules changed never reads an older
//!   build's tables.
//! - A file that is stale, truncated or corrupt (checksum, lengths, UTF-8,
//!   table structure) is ignored and rewritten; decoding checks every length
//!   against the bytes left, so garbage cannot panic or allocate much.
//! - Writes go to a temporary file in the cache directory, then are renamed
//!   over the old file: a concurrent run reads the old file or the new one,
//!   never half of one. A cache that cannot be written only costs time.
//! - Output does not depend on the cache: a cached load gives the same
//!   entries, in the same order, as loading the CSV files.
//!
//! There is one file per gazetteer directory (`gazetteers-<hash of its
//! canonical path>.bin`), so editing a directory's files replaces its cache
//! file instead of adding one.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::gazetteer::{CasePolicy, EntityType, Entry, Files, Gazetteer, Post, Source, Title};
use crate::matcher::{AliasInfo, CaseRule, Form, Matcher, Tables};

/// Version of the file layout; bump it whenever the encoding changes.
pub const FORMAT: u32 = 2;

const MAGIC: &[u8; 8] = b"ACCORDGZ";
/// Magic, format, key, payload length, payload checksum.
const HEADER_LEN: usize = 8 + 4 + 16 + 8 + 8;

/// The cache directory: `$ACCORD_CACHE_DIR`, else `$XDG_CACHE_HOME/accord`,
/// else `$HOME/.cache/accord`; `None` when none of them is set. `var` looks
/// up an environment variable (`std::env::var_os` outside tests).
pub fn dir_from_env(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set("ACCORD_CACHE_DIR") {
        return Some(dir);
    }
    // The XDG spec says to ignore a relative XDG_CACHE_HOME.
    if let Some(xdg) = set("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        return Some(xdg.join("accord"));
    }
    set("HOME").map(|home| home.join(".cache").join("accord"))
}

/// What the cache did during one load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not used: no gazetteer directory, or no cache directory.
    Off,
    /// Read from the cache file.
    Hit,
    /// Built from the CSV files and written to the cache file.
    Stored,
    /// Built from the CSV files; the cache file could not be written.
    NotStored,
}

impl Status {
    /// `off`, `hit`, `stored` or `not-stored` (in `extract --stats`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Off => "off",
            Status::Hit => "hit",
            Status::Stored => "stored",
            Status::NotStored => "not-stored",
        }
    }
}

/// A gazetteer and its matcher, from the CSV files or from the cache.
#[derive(Debug)]
pub struct Loaded {
    /// The gazetteer.
    pub gazetteer: Gazetteer,
    /// Its matcher.
    pub matcher: Matcher,
    /// What the cache did.
    pub status: Status,
    /// What the user should hear about: a cache file ignored or not written,
    /// and why.
    pub notes: Vec<String>,
}

/// Load the gazetteers of `files` and build their matcher, through the cache
/// in `cache_dir` when there is a gazetteer directory and a `cache_dir`.
///
/// `fingerprint` must be `files.fingerprint()`. The files are dropped
/// before the automaton is built, which takes the most memory. Errors are
/// those of loading the CSV files and building the automaton; cache
/// problems become notes.
pub fn load(files: Files, fingerprint: &str, cache_dir: Option<&Path>) -> Result<Loaded> {
    let (Some(gaz_dir), Some(cache_dir)) = (files.dir().map(Path::to_path_buf), cache_dir) else {
        return build(files, Status::Off, Vec::new());
    };
    let gaz_dir = gaz_dir.as_path();
    let mut notes = Vec::new();
    let Some(key) = key(fingerprint) else {
        notes.push(
            "cannot identify the accord executable; the gazetteer cache is not used".to_string(),
        );
        return build(files, Status::Off, notes);
    };
    let path = cache_dir.join(file_name(gaz_dir));
    match read_parts(&path) {
        Ok((head, rest)) => match decode_parts(&head, rest, &key, gaz_dir) {
            Ok((gazetteer, matcher)) => {
                drop(head);
                drop(files);
                return Ok(Loaded {
                    gazetteer,
                    matcher,
                    status: Status::Hit,
                    notes,
                });
            }
            Err(why) => notes.push(format!(
                "ignoring the gazetteer cache {}: {why}; rebuilding it",
                path.display()
            )),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => notes.push(format!(
            "cannot read the gazetteer cache {}: {e}",
            path.display()
        )),
    }
    let gazetteer = Gazetteer::from_files(files)?;
    let tables = Tables::new(&gazetteer);
    let status = match encode(&gazetteer, &tables, &key, gaz_dir) {
        Some(bytes) => match store(cache_dir, &path, &bytes) {
            Ok(()) => Status::Stored,
            Err(e) => {
                notes.push(format!(
                    "cannot write the gazetteer cache {}: {e}",
                    path.display()
                ));
                Status::NotStored
            }
        },
        // A file name that cannot be written down and read back the same.
        None => Status::NotStored,
    };
    let matcher = Matcher::from_tables(tables)?;
    Ok(Loaded {
        gazetteer,
        matcher,
        status,
        notes,
    })
}

fn build(files: Files, status: Status, notes: Vec<String>) -> Result<Loaded> {
    let gazetteer = Gazetteer::from_files(files)?;
    let matcher = Matcher::new(&gazetteer)?;
    Ok(Loaded {
        gazetteer,
        matcher,
        status,
        notes,
    })
}

/// The cache key: the fingerprint, the format and the running executable.
fn key(fingerprint: &str) -> Option<[u8; 16]> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(fingerprint.as_bytes());
    h.update(&FORMAT.to_le_bytes());
    h.update(&meta.len().to_le_bytes());
    h.update(&mtime.to_le_bytes());
    Some(h.digest128().to_le_bytes())
}

/// One cache file per gazetteer directory, named by its canonical path.
fn file_name(gaz_dir: &Path) -> String {
    let canonical = std::fs::canonicalize(gaz_dir).unwrap_or_else(|_| gaz_dir.to_path_buf());
    let hash = xxhash_rust::xxh3::xxh3_64(canonical.as_os_str().as_encoded_bytes());
    format!("gazetteers-{hash:016x}.bin")
}

/// Write `bytes` to `path` through a temporary file in `cache_dir`.
///
/// No fsync: after a crash, a torn file fails its checksum and is rebuilt.
fn store(cache_dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(cache_dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".gazetteers-")
        .suffix(".tmp")
        .tempfile_in(cache_dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Where a row came from, as stored: the embedded file, or a file of the
/// gazetteer directory (whose path is rebuilt from the directory as given
/// on this run, so the cache does not depend on how it was spelled).
#[derive(Clone, Debug, PartialEq, Eq)]
enum FileRef {
    Embedded(String),
    InDir(String),
}

impl FileRef {
    fn of(file: &str, gaz_dir: &Path) -> Option<FileRef> {
        let name = Path::new(file).file_name().and_then(|n| n.to_str());
        if let Some(name) = name
            && gaz_dir.join(name).display().to_string() == file
        {
            return Some(FileRef::InDir(name.to_string()));
        }
        file.strip_prefix("embedded:")
            .map(|n| FileRef::Embedded(n.to_string()))
    }

    fn path(&self, gaz_dir: &Path) -> String {
        match self {
            FileRef::Embedded(name) => format!("embedded:{name}"),
            FileRef::InDir(name) => gaz_dir.join(name).display().to_string(),
        }
    }
}

/// The cache file for `gaz` and `tables`, or `None` when a row's file name
/// would not read back the same.
fn encode(gaz: &Gazetteer, tables: &Tables, key: &[u8; 16], gaz_dir: &Path) -> Option<Vec<u8>> {
    let mut w = Writer(Vec::with_capacity(HEADER_LEN + 64 * gaz.alias_count()));
    w.0.resize(HEADER_LEN, 0);

    // The automaton's patterns first, so that a cached load can start
    // building it before it has decoded the rest.
    // Its byte length leads, so that a reader can read this part alone and
    // free the rest of the file once decoded while the build goes on.
    let at = w.0.len();
    w.0.extend_from_slice(&[0; 8]);
    let groups = tables.starts.len().saturating_sub(1);
    w.count(groups)?;
    for g in 0..groups {
        w.str(&tables.group_pattern(g))?;
    }
    let section = (w.0.len() - at - 8) as u64;
    w.0[at..at + 8].copy_from_slice(&section.to_le_bytes());

    let mut files: Vec<&str> = Vec::new();
    let mut file_index = std::collections::HashMap::new();
    for e in gaz.entries() {
        file_index.entry(e.source.file.as_str()).or_insert_with(|| {
            files.push(e.source.file.as_str());
            files.len() - 1
        });
    }
    w.count(files.len())?;
    for f in &files {
        match FileRef::of(f, gaz_dir)? {
            FileRef::Embedded(name) => {
                w.u8(0);
                w.str(&name)?;
            }
            FileRef::InDir(name) => {
                w.u8(1);
                w.str(&name)?;
            }
        }
    }

    w.count(gaz.entries().len())?;
    for e in gaz.entries() {
        w.str(&e.id)?;
        w.u8(etype_code(e.etype));
        w.str(&e.canonical)?;
        // The canonical name is the first alias: store it once.
        match e.aliases.split_first() {
            Some((first, rest)) if *first == e.canonical => {
                w.u8(1);
                w.strs(rest)?;
            }
            _ => {
                w.u8(0);
                w.strs(&e.aliases)?;
            }
        }
        w.strs(&e.combining)?;
        w.strs(&e.blockers)?;
        w.str(&e.country)?;
        w.str(&e.wikidata)?;
        w.u8(case_code(e.case));
        w.count(e.posts.len())?;
        for p in &e.posts {
            w.str(&p.title)?;
            w.str(&p.org)?;
            w.year(p.from);
            w.year(p.to);
        }
        w.strs(&e.parties)?;
        w.count(file_index[e.source.file.as_str()])?;
        w.varint(e.source.line);
    }

    w.count(gaz.titles().len())?;
    for t in gaz.titles() {
        w.str(&t.title)?;
        w.strs(&t.forms)?;
    }

    // Starts as the size of each group; each alias as its entry, its
    // list and its place in the list, whose text it is.
    w.count(tables.starts.len().saturating_sub(1))?;
    for g in tables.starts.windows(2) {
        w.count((g[1] - g[0]) as usize)?;
    }
    w.count(tables.infos.len())?;
    for i in &tables.infos {
        w.count(i.entry as usize)?;
        w.u8(form_code(i.form));
        let list = form_list(gaz.entry(i.entry as usize), i.form);
        w.count(list.iter().position(|t| **t == *i.text)?)?;
        w.u8(rule_code(i.rule));
    }

    let mut bytes = w.0;
    let payload_len = (bytes.len() - HEADER_LEN) as u64;
    let checksum = xxhash_rust::xxh3::xxh3_64(&bytes[HEADER_LEN..]);
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT.to_le_bytes());
    header.extend_from_slice(key);
    header.extend_from_slice(&payload_len.to_le_bytes());
    header.extend_from_slice(&checksum.to_le_bytes());
    bytes[..HEADER_LEN].copy_from_slice(&header);
    Some(bytes)
}

/// The length of a cache file's first part, as its header says: the
/// header, the patterns section's length and the section.
const FIRST_PART: usize = HEADER_LEN + 8;

fn first_part_len(head: &[u8]) -> Option<usize> {
    let len = u64::from_le_bytes(head.get(HEADER_LEN..FIRST_PART)?.try_into().ok()?);
    FIRST_PART.checked_add(usize::try_from(len).ok()?)
}

/// Read a cache file in its two parts (see [`decode_parts`]); a first part
/// longer than the file is cut at its end, for the decoder to refuse.
fn read_parts(path: &Path) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    use std::io::Read as _;
    let mut f = std::fs::File::open(path)?;
    let size = usize::try_from(f.metadata()?.len()).unwrap_or(usize::MAX);
    let mut head = vec![0; FIRST_PART.min(size)];
    f.read_exact(&mut head)?;
    let first = first_part_len(&head).unwrap_or(0).clamp(head.len(), size);
    head.resize(first, 0);
    f.read_exact(&mut head[FIRST_PART.min(size)..])?;
    let mut rest = Vec::with_capacity(size - first);
    f.read_to_end(&mut rest)?;
    Ok((head, rest))
}

/// Read a cache file back, whole in memory (tests).
#[cfg(test)]
fn decode(
    bytes: &[u8],
    key: &[u8; 16],
    gaz_dir: &Path,
) -> std::result::Result<(Gazetteer, Matcher), String> {
    let first = first_part_len(bytes)
        .unwrap_or(bytes.len())
        .clamp(bytes.len().min(FIRST_PART), bytes.len());
    decode_parts(&bytes[..first], bytes[first..].to_vec(), key, gaz_dir)
}

/// Read a cache file back from its first part (header and patterns) and
/// the rest, or say why it cannot be used. The rest is freed once decoded,
/// while the automaton may still be building.
fn decode_parts(
    head: &[u8],
    rest: Vec<u8>,
    key: &[u8; 16],
    gaz_dir: &Path,
) -> std::result::Result<(Gazetteer, Matcher), String> {
    let size = head.len() + rest.len();
    if head.len() < FIRST_PART {
        return Err(format!(
            "{size} bytes, too short for a gazetteer cache file"
        ));
    }
    let mut r = Reader { buf: head, pos: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err("not a gazetteer cache file".into());
    }
    let format = r.u32()?;
    if format != FORMAT {
        return Err(format!("cache format {format}, expected {FORMAT}"));
    }
    if r.take(16)? != key {
        return Err("out of date (the gazetteers or accord changed)".into());
    }
    let payload_len = r.u64()?;
    let checksum = r.u64()?;
    if (size - HEADER_LEN) as u64 != payload_len {
        return Err(format!(
            "{} bytes of data, the header says {payload_len} (truncated?)",
            size - HEADER_LEN
        ));
    }
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&head[HEADER_LEN..]);
    h.update(&rest);
    if h.digest() != checksum {
        return Err("checksum mismatch (corrupt)".into());
    }
    let section = r.u64()?;
    if first_part_len(head) != Some(head.len()) {
        return Err(format!(
            "a patterns section of {section} bytes does not fit"
        ));
    }
    let groups = r.count(1)?;
    let mut patterns = Vec::with_capacity(groups);
    for _ in 0..groups {
        patterns.push(r.str_ref()?);
    }
    if r.pos != head.len() {
        return Err("the patterns section is longer than its patterns".into());
    }
    // Most of a cached load is the automaton: build it on a second thread
    // while this one decodes the entries and tables.
    std::thread::scope(|scope| {
        let built = scope.spawn(|| crate::matcher::automaton(&patterns));
        let decoded = decode_rest(&mut Reader { buf: &rest, pos: 0 }, gaz_dir);
        drop(rest);
        let ac = built
            .join()
            .map_err(|_| "the automaton build failed".to_string())?
            .map_err(|e| e.to_string())?;
        let (gaz, tables) = decoded?;
        let matcher = Matcher::from_automaton(ac, tables).map_err(|e| e.to_string())?;
        Ok((gaz, matcher))
    })
}

/// The entries, titles and tables of a cache file, after its patterns.
fn decode_rest(
    r: &mut Reader<'_>,
    gaz_dir: &Path,
) -> std::result::Result<(Gazetteer, Tables), String> {
    let bytes = r.buf;

    let n = r.count(2)?;
    let mut files = Vec::with_capacity(n);
    for _ in 0..n {
        let f = match r.u8()? {
            0 => FileRef::Embedded(r.string()?),
            1 => FileRef::InDir(r.string()?),
            k => return Err(format!("unknown file kind {k}")),
        };
        files.push(f.path(gaz_dir));
    }

    // An entry takes at least 14 bytes: 8 strings or lists, 3 codes, a
    // post count, a file index and a line.
    let n = r.count(14)?;
    let mut entries = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.string()?;
        let etype = etype_from(r.u8()?)?;
        let canonical = r.string()?;
        let aliases = match r.u8()? {
            0 => r.strings()?,
            1 => {
                let rest = r.strings()?;
                let mut all = Vec::with_capacity(rest.len() + 1);
                all.push(canonical.clone());
                all.extend(rest);
                all
            }
            f => return Err(format!("bad alias flag {f}")),
        };
        let combining = r.strings()?;
        let blockers = r.strings()?;
        let country = r.string()?;
        let wikidata = r.string()?;
        let case = case_from(r.u8()?)?;
        let posts_len = r.count(4)?;
        let mut posts = Vec::with_capacity(posts_len);
        for _ in 0..posts_len {
            posts.push(Post {
                title: r.string()?,
                org: r.string()?,
                from: r.year()?,
                to: r.year()?,
            });
        }
        let parties = r.strings()?;
        let file = files[r.index(files.len(), "file")?].clone();
        let line = r.varint()?;
        entries.push(Entry {
            id,
            etype,
            canonical,
            aliases,
            combining,
            blockers,
            country,
            wikidata,
            case,
            posts,
            parties,
            source: Source { file, line },
        });
    }

    let n = r.count(2)?;
    let mut titles = Vec::with_capacity(n);
    for _ in 0..n {
        titles.push(Title {
            title: r.string()?,
            forms: r.strings()?,
        });
    }

    let groups = r.count(1)?;
    let mut starts = Vec::with_capacity(groups + 1);
    let mut at = 0u32;
    starts.push(at);
    for _ in 0..groups {
        at = at
            .checked_add(r.count(0)? as u32)
            .ok_or("alias count overflows")?;
        starts.push(at);
    }
    let n = r.count(4)?;
    let mut infos = Vec::with_capacity(n);
    for _ in 0..n {
        let entry = r.index(entries.len(), "entry")?;
        let form = form_from(r.u8()?)?;
        let list = form_list(&entries[entry], form);
        let text = list[r.index(list.len(), "alias")?].as_str().into();
        infos.push(AliasInfo {
            entry: entry as u32,
            text,
            rule: rule_from(r.u8()?)?,
            form,
        });
    }
    if r.pos != bytes.len() {
        return Err(format!("{} bytes left over", bytes.len() - r.pos));
    }
    let tables = Tables {
        starts,
        infos,
        patterns: Vec::new(),
    };
    tables.check(entries.len())?;
    Ok((Gazetteer::from_parts(entries, titles), tables))
}

/// The list of `e`'s forms that a form of kind `form` comes from.
fn form_list(e: &Entry, form: Form) -> &[String] {
    match form {
        Form::Alias => &e.aliases,
        Form::Combining => &e.combining,
        Form::Blocker => &e.blockers,
    }
}

/// Little-endian integers, LEB128 counts and length-prefixed UTF-8 strings.
struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    /// LEB128: seven bits a byte, low bits first, the high bit set on all
    /// but the last byte. Most lengths and counts take one byte.
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    /// A count or index; `None` beyond `u32`.
    fn count(&mut self, n: usize) -> Option<()> {
        self.varint(u32::try_from(n).ok()?.into());
        Some(())
    }

    fn str(&mut self, s: &str) -> Option<()> {
        self.count(s.len())?;
        self.0.extend_from_slice(s.as_bytes());
        Some(())
    }

    fn strs(&mut self, v: &[String]) -> Option<()> {
        self.count(v.len())?;
        v.iter().try_for_each(|s| self.str(s))
    }

    /// A flag byte, then the year when there is one.
    fn year(&mut self, y: Option<i32>) {
        self.u8(y.is_some() as u8);
        if let Some(y) = y {
            self.0.extend_from_slice(&y.to_le_bytes());
        }
    }
}

/// The reading side of [`Writer`]; every read checks the bytes left.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

type Decoded<T> = std::result::Result<T, String>;

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        let left = self.buf.len() - self.pos;
        if n > left {
            return Err(format!(
                "truncated: {n} bytes wanted at offset {}, {left} left",
                self.pos
            ));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Decoded<[u8; N]> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u8(&mut self) -> Decoded<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Decoded<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Decoded<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn varint(&mut self) -> Decoded<u64> {
        let at = self.pos;
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(format!("overlong number at offset {at}"))
    }

    /// An index below `limit`.
    fn index(&mut self, limit: usize, what: &str) -> Decoded<usize> {
        let i = self.varint()?;
        usize::try_from(i)
            .ok()
            .filter(|&i| i < limit)
            .ok_or_else(|| format!("{what} index {i} out of range"))
    }

    /// A count of items that take at least `min_bytes` each: one the bytes
    /// left cannot hold is refused before anything is allocated for it.
    fn count(&mut self, min_bytes: usize) -> Decoded<usize> {
        let at = self.pos;
        let n = u32::try_from(self.varint()?).map_err(|_| format!("bad count at offset {at}"))?;
        let n = n as usize;
        let left = self.buf.len() - self.pos;
        if n.saturating_mul(min_bytes.max(1)) > left {
            return Err(format!(
                "a count of {n} at offset {at} exceeds the {left} bytes left"
            ));
        }
        Ok(n)
    }

    fn string(&mut self) -> Decoded<String> {
        let n = self.count(1)?;
        let at = self.pos;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| format!("invalid UTF-8 at offset {at}"))
    }

    /// A string borrowed from the buffer.
    fn str_ref(&mut self) -> Decoded<&'a str> {
        let n = self.count(1)?;
        let at = self.pos;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).map_err(|_| format!("invalid UTF-8 at offset {at}"))
    }

    fn strings(&mut self) -> Decoded<Vec<String>> {
        let n = self.count(1)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(self.string()?);
        }
        Ok(v)
    }

    fn year(&mut self) -> Decoded<Option<i32>> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(i32::from_le_bytes(self.array()?))),
            f => Err(format!("bad year flag {f}")),
        }
    }
}

const CASES: [CasePolicy; 3] = [CasePolicy::Auto, CasePolicy::Exact, CasePolicy::Fold];
const RULES: [CaseRule; 3] = [CaseRule::Exact, CaseRule::FirstLetter, CaseRule::Fold];
const FORMS: [Form; 3] = [Form::Alias, Form::Combining, Form::Blocker];

fn from_code<T: Copy>(table: &[T], code: u8, what: &str) -> Decoded<T> {
    table
        .get(code as usize)
        .copied()
        .ok_or_else(|| format!("unknown {what} code {code}"))
}

// Each code is the value's index in its table above; a test checks they agree.
fn etype_code(t: EntityType) -> u8 {
    match t {
        EntityType::Country => 0,
        EntityType::Agency => 1,
        EntityType::Org => 2,
        EntityType::Person => 3,
        EntityType::Mission => 4,
        EntityType::Agreement => 5,
        EntityType::Dialogue => 6,
        EntityType::Location => 7,
        EntityType::Date => 8,
    }
}

fn etype_from(c: u8) -> Decoded<EntityType> {
    from_code(&EntityType::ALL, c, "entity type")
}

fn case_code(c: CasePolicy) -> u8 {
    match c {
        CasePolicy::Auto => 0,
        CasePolicy::Exact => 1,
        CasePolicy::Fold => 2,
    }
}

fn case_from(c: u8) -> Decoded<CasePolicy> {
    from_code(&CASES, c, "case policy")
}

fn rule_code(r: CaseRule) -> u8 {
    match r {
        CaseRule::Exact => 0,
        CaseRule::FirstLetter => 1,
        CaseRule::Fold => 2,
    }
}

fn rule_from(c: u8) -> Decoded<CaseRule> {
    from_code(&RULES, c, "case rule")
}

fn form_code(f: Form) -> u8 {
    match f {
        Form::Alias => 0,
        Form::Combining => 1,
        Form::Blocker => 2,
    }
}

fn form_from(c: u8) -> Decoded<Form> {
    from_code(&FORMS, c, "form")
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 16] = *b"0123456789abcdef";

    fn entry(id: &str, aliases: &[&str], file: &str) -> Entry {
        Entry {
            id: id.into(),
            etype: EntityType::Person,
            canonical: aliases[0].into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            combining: vec!["Zed".into()],
            blockers: vec!["Zeta Probe analysis".into()],
            country: "FR".into(),
            wikidata: "Q42".into(),
            case: CasePolicy::Fold,
            posts: vec![Post {
                title: "Minister".into(),
                org: "country:fr".into(),
                from: Some(2019),
                to: None,
            }],
            parties: vec!["IN".into(), "FR".into()],
            source: Source {
                file: file.into(),
                line: 7,
            },
        }
    }

    /// A small gazetteer with rows from the embedded set and from `dir`.
    fn sample(dir: &Path) -> (Gazetteer, Tables) {
        let user = dir.join("officials.csv").display().to_string();
        let mut odd = entry(
            "person:b",
            &["Bee", "B. Ée", "bee"],
            "embedded:officials.csv",
        );
        odd.canonical = "Not An Alias".into();
        let gaz = Gazetteer::from_parts(
            vec![entry("person:a", &["Ann", "A. Ann"], &user), odd],
            vec![Title {
                title: "Minister".into(),
                forms: vec!["Minister".into(), "Min.".into()],
            }],
        );
        let tables = Tables::new(&gaz);
        (gaz, tables)
    }

    fn encoded(dir: &Path) -> Vec<u8> {
        let (gaz, tables) = sample(dir);
        encode(&gaz, &tables, &KEY, dir).expect("representable")
    }

    #[test]
    fn round_trip() {
        let dir = Path::new("some/gazetteers");
        let (gaz, tables) = sample(dir);
        let bytes = encoded(dir);
        let (back, back_matcher) = decode(&bytes, &KEY, dir).unwrap();
        assert_eq!(
            format!("{:?}", back.entries()),
            format!("{:?}", gaz.entries())
        );
        assert_eq!(
            format!("{:?}", back.titles()),
            format!("{:?}", gaz.titles())
        );
        // The same tables and the same automaton, built from the patterns
        // stored ahead of the entries.
        assert_eq!(
            format!("{back_matcher:?}"),
            format!("{:?}", Matcher::from_tables(tables).unwrap())
        );
        assert_eq!(back.index_of("person:b"), Some(1));
    }

    #[test]
    fn paths_follow_the_directory_as_given() {
        let bytes = encoded(Path::new("a"));
        let (back, _) = decode(&bytes, &KEY, Path::new("/elsewhere/b")).unwrap();
        assert_eq!(
            back.entry(0).source.file,
            Path::new("/elsewhere/b/officials.csv")
                .display()
                .to_string()
        );
        assert_eq!(back.entry(1).source.file, "embedded:officials.csv");
    }

    #[test]
    fn a_file_outside_the_directory_is_not_cached() {
        let (gaz, tables) = sample(Path::new("a"));
        assert!(encode(&gaz, &tables, &KEY, Path::new("b")).is_none());
    }

    #[test]
    fn truncated_or_altered_files_are_refused() {
        let dir = Path::new("g");
        let bytes = encoded(dir);
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len], &KEY, dir).is_err(), "prefix {len}");
        }
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x20;
            assert!(decode(&bad, &KEY, dir).is_err(), "byte {i} altered");
        }
        let why = decode(&bytes, b"fedcba9876543210", dir).unwrap_err();
        assert!(why.contains("out of date"), "{why}");
    }

    /// Garbage with a valid header and checksum: every length is checked
    /// against the bytes left, so nothing panics or allocates for it.
    #[test]
    fn garbage_behind_a_valid_header_is_refused() {
        let payloads: &[&[u8]] = &[
            &[],
            &[0xff, 0xff, 0xff, 0xff, 0x0f],
            &[0xff; 12],
            &[0, 0xff, 0xff, 0xff, 0xff, 0x07],
            &[
                1, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1,
            ],
            &[1, 9, 1, b'x'],
            &[0, 1, 1, b'a', 9],
        ];
        for payload in payloads {
            let mut bytes = Vec::new();
            bytes.extend_from_slice(MAGIC);
            bytes.extend_from_slice(&FORMAT.to_le_bytes());
            bytes.extend_from_slice(&KEY);
            bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
            bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(payload).to_le_bytes());
            bytes.extend_from_slice(payload);
            assert!(decode(&bytes, &KEY, Path::new("g")).is_err(), "{payload:?}");
        }
    }

    #[test]
    fn codes_are_table_indexes() {
        for (i, &t) in EntityType::ALL.iter().enumerate() {
            assert_eq!(etype_code(t) as usize, i);
        }
        for (i, &c) in CASES.iter().enumerate() {
            assert_eq!(case_code(c) as usize, i);
        }
        for (i, &r) in RULES.iter().enumerate() {
            assert_eq!(rule_code(r) as usize, i);
        }
        for (i, &f) in FORMS.iter().enumerate() {
            assert_eq!(form_code(f) as usize, i);
        }
    }

    #[test]
    fn cache_directory_from_the_environment() {
        /// (environment, expected directory)
        type Case<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>);
        let cases: &[Case] = &[
            (&[], None),
            (&[("HOME", "/h")], Some("/h/.cache/accord")),
            (
                &[("HOME", "/h"), ("XDG_CACHE_HOME", "/x")],
                Some("/x/accord"),
            ),
            (
                &[("HOME", "/h"), ("XDG_CACHE_HOME", "relative")],
                Some("/h/.cache/accord"),
            ),
            (
                &[
                    ("HOME", "/h"),
                    ("XDG_CACHE_HOME", "/x"),
                    ("ACCORD_CACHE_DIR", "c"),
                ],
                Some("c"),
            ),
            (
                &[("HOME", "/h"), ("ACCORD_CACHE_DIR", "")],
                Some("/h/.cache/accord"),
            ),
        ];
        for (vars, want) in cases {
            let got = dir_from_env(|name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            });
            assert_eq!(got.as_deref(), want.map(Path::new), "{vars:?}");
        }
    }

    #[test]
    fn load_writes_then_reads_the_cache() {
        let tmp = tempfile::tempdir().unwrap();
        let gaz_dir = tmp.path().join("g");
        std::fs::create_dir(&gaz_dir).unwrap();
        std::fs::write(
            gaz_dir.join("missions.csv"),
            "id,canonical,aliases\nmission:zz,Zeta Probe,ZP\n",
        )
        .unwrap();
        let cache_dir = tmp.path().join("cache");
        let run = || {
            let files = Files::read(Some(&gaz_dir)).unwrap();
            let fp = files.fingerprint().unwrap();
            load(files, &fp, Some(&cache_dir)).unwrap()
        };
        let cold = run();
        assert_eq!((cold.status, cold.notes.len()), (Status::Stored, 0));
        let warm = run();
        assert_eq!((warm.status, warm.notes.len()), (Status::Hit, 0));
        assert_eq!(
            format!("{:?}", warm.gazetteer.entries()),
            format!("{:?}", cold.gazetteer.entries())
        );
        assert_eq!(warm.matcher.pattern_count(), cold.matcher.pattern_count());
        let files = Files::read(None).unwrap();
        let fp = files.fingerprint().unwrap();
        assert_eq!(
            load(files, &fp, Some(&cache_dir)).unwrap().status,
            Status::Off
        );
    }
}
