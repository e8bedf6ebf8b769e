//! Reading inputs: files and directories (walked recursively) or standard
//! input, into documents with the contract's `doc_id`.
//!
//! A file is one article (`.txt`, `.md`, `.html`) or a dump of many
//! (`.jsonl`/`.ndjson`, `.warc`), either of them optionally compressed with
//! gzip, zstd or bzip2 ([`detect`]). Dumps are streamed record by record:
//! nothing holds more than one article at a time.
//!
//! Bytes first, decoded at the edge: a UTF-8 byte-order mark is stripped, an
//! article with a NUL byte in its first 8 KiB is binary and skipped, invalid
//! UTF-8 is replaced with U+FFFD and flagged (or the article skipped, with
//! [`ReadOptions::strict_utf8`]). Offsets in the output refer to the text
//! after these steps ("the text as accord read it"). An article that comes
//! with a separate title (JSONL, HTML, WARC) is read as the title, a blank
//! line, then the body, which is the layout of a plain-text article.

pub mod arc;
pub mod charset;
pub mod date;
pub mod detect;
pub mod furniture;
pub mod gzmembers;
pub mod html;
pub mod http;
pub mod jsonl;
pub mod naming;
pub mod warc;

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

pub use accord_core::document::{Document, content_hash};
use accord_core::error::{Error, Result};
use detect::{Compression, Format};

/// Default largest article, in bytes; larger ones are reported and skipped.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 64 << 20;

/// One input argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file or directory.
    Path(PathBuf),
    /// Standard input (`-`).
    Stdin(StdinAs),
}

/// How standard input is named: by default `-`, with doc_ids `stdin:N`.
/// A piece of a larger JSONL file (a Spark partition, a `split` chunk) can
/// be named as that file, from its first line on, so its rows read as if
/// the whole file had been given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StdinAs {
    /// Name standard input as the file at this path: the path becomes the
    /// source, its name the doc_id stem and, unless [`ReadOptions::format`]
    /// is set, the hint of format and compression (so the decompressed
    /// lines of `a.jsonl.gz`, read with `format` set, can keep that name).
    pub name: Option<String>,
    /// The doc_id stem instead of the one `name` gives.
    pub id: Option<String>,
    /// Number of the first line (JSONL), 1 unless a piece of a larger file.
    pub first_line: usize,
}

impl Default for StdinAs {
    fn default() -> StdinAs {
        StdinAs {
            name: None,
            id: None,
            first_line: 1,
        }
    }
}

/// A document to read: where it is and what it is called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The contract's doc_id.
    pub id: String,
    /// Path as given or found (or `-`).
    pub source: String,
    path: Option<PathBuf>,
    /// File name that hints at format and compression (empty: none).
    name: String,
    /// Number of the first line of a JSONL stream.
    first_line: usize,
}

impl Located {
    /// A stream called `source`, whose file name `name` hints at its
    /// format (empty: recognised from the content).
    pub fn stream(id: &str, source: &str, name: &str) -> Located {
        Located {
            id: id.to_string(),
            source: source.to_string(),
            path: None,
            name: name.to_string(),
            first_line: 1,
        }
    }

    fn file(id: String, path: PathBuf) -> Located {
        Located {
            id,
            source: path.display().to_string(),
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path: Some(path),
            first_line: 1,
        }
    }
}

/// The outcome of reading one located document.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Read.
    Ok(Document),
    /// Not processed, with the reason.
    Skipped {
        /// doc_id.
        id: String,
        /// Source.
        source: String,
        /// Size in bytes, when known.
        bytes: usize,
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// The doc_id.
    pub fn id(&self) -> &str {
        match self {
            Outcome::Ok(d) => &d.id,
            Outcome::Skipped { id, .. } => id,
        }
    }

    /// Change the doc_id (to make it unique in a run).
    pub fn set_id(&mut self, new: String) {
        match self {
            Outcome::Ok(d) => d.id = new,
            Outcome::Skipped { id, .. } => *id = new,
        }
    }

    /// Size of the article in bytes.
    pub fn bytes(&self) -> usize {
        match self {
            Outcome::Ok(d) => d.text.len(),
            Outcome::Skipped { bytes, .. } => *bytes,
        }
    }

    fn skipped(id: &str, source: &str, bytes: usize, reason: String) -> Outcome {
        Outcome::Skipped {
            id: id.to_string(),
            source: source.to_string(),
            bytes,
            reason,
        }
    }
}

/// How articles are read.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Format of standard input and of files whose name shows none; `None`: sniff.
    pub format: Option<Format>,
    /// Field names of JSONL records.
    pub fields: jsonl::Fields,
    /// Largest article (and JSONL line) in bytes; larger ones are reported and skipped.
    pub max_article_bytes: usize,
    /// Skip articles that are not valid UTF-8 instead of replacing the bad bytes.
    pub strict_utf8: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            fields: jsonl::Fields::default(),
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            strict_utf8: false,
        }
    }
}

/// List the files named by `inputs`, in a stable order.
///
/// Directories are walked recursively in name order; hidden entries are
/// skipped; only files whose name shows a known format
/// ([`detect::is_readable_name`]) are taken from a directory, while a file
/// named directly is read whatever its name.
pub fn locate(inputs: &[Input]) -> Result<Vec<Located>> {
    let mut out = Vec::new();
    for input in inputs {
        match input {
            Input::Stdin(named) => {
                let mut loc = match &named.name {
                    Some(n) => {
                        let file = Path::new(n)
                            .file_name()
                            .map(|f| f.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        Located::stream(&strip_extensions(&file), n, &file)
                    }
                    None => Located::stream("stdin", "-", ""),
                };
                if let Some(id) = &named.id {
                    loc.id = id.clone();
                }
                loc.first_line = named.first_line;
                out.push(loc);
            }
            Input::Path(p) => {
                let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
                if meta.is_dir() {
                    let mut files = Vec::new();
                    walk(p, &mut files)?;
                    files.sort();
                    for f in files {
                        let id = rel_id(f.strip_prefix(p).unwrap_or(&f));
                        out.push(Located::file(id, f));
                    }
                } else {
                    let stem = p
                        .file_name()
                        .map(|s| strip_extensions(&s.to_string_lossy()))
                        .unwrap_or_else(|| p.display().to_string());
                    out.push(Located::file(stem, p.clone()));
                }
            }
        }
    }
    disambiguate(&mut out);
    Ok(out)
}

/// `2024/a.txt` -> `2024/a`; `b.jsonl.gz` -> `b`.
fn rel_id(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        *last = strip_extensions(last);
    }
    parts.join("/")
}

/// A file name without its extension, and without a format extension
/// under a compression one (`a.jsonl.zst` -> `a`).
fn strip_extensions(name: &str) -> String {
    let Some((stem, ext)) = name.rsplit_once('.').filter(|(s, _)| !s.is_empty()) else {
        return name.to_string();
    };
    let (compression, format) = detect::from_name(name);
    if compression != Compression::None
        && format.is_some()
        && let Some((inner, _)) = stem.rsplit_once('.').filter(|(s, _)| !s.is_empty())
    {
        return inner.to_string();
    }
    let _ = ext;
    stem.to_string()
}

/// Two files that would share a doc_id (`a.txt`, `a.md`): the later keeps its extension.
fn disambiguate(docs: &mut [Located]) {
    let mut ids: Vec<(String, String)> = docs
        .iter()
        .map(|d| {
            let ext = d
                .path
                .as_ref()
                .and_then(|p| p.extension())
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default();
            (d.id.clone(), ext)
        })
        .collect();
    disambiguate_ids(&mut ids);
    for (d, (id, _)) in docs.iter_mut().zip(ids) {
        d.id = id;
    }
}

/// `(doc_id, extension)` pairs in reading order: a repeated doc_id becomes
/// `id.ext`, then `id.ext~2`, `id.ext~3`, …
fn disambiguate_ids(ids: &mut [(String, String)]) {
    let mut seen = std::collections::HashSet::new();
    for (id, ext) in ids.iter_mut() {
        if !seen.insert(id.clone()) {
            let mut next = format!("{id}.{ext}");
            let mut n = 2;
            while !seen.insert(next.clone()) {
                next = format!("{id}.{ext}~{n}");
                n += 1;
            }
            *id = next;
        }
    }
}

/// Files under the directory inputs that a walk does not read (their names
/// show no format), counted by extension (`.pdf`; `no extension`).
pub fn unread_by_extension(inputs: &[Input]) -> std::collections::BTreeMap<String, usize> {
    fn visit(dir: &Path, out: &mut std::collections::BTreeMap<String, usize>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for ent in rd.flatten() {
            let name = ent.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = ent.path();
            if path.is_dir() {
                visit(&path, out);
            } else if !detect::is_readable_name(&name) {
                let ext = match name.rsplit_once('.') {
                    Some((stem, ext)) if !stem.is_empty() => {
                        format!(".{}", ext.to_ascii_lowercase())
                    }
                    _ => "no extension".to_string(),
                };
                *out.entry(ext).or_default() += 1;
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    for input in inputs {
        if let Input::Path(p) = input
            && p.is_dir()
        {
            visit(p, &mut out);
        }
    }
    out
}

/// Collect the readable files under `dir`. A subdirectory that cannot be
/// listed is kept as an entry of its own, so that reading it reports it
/// (`skipped: cannot read: ...`) as an unreadable file is.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    walk_inner(dir, out, true)
}

fn walk_inner(dir: &Path, out: &mut Vec<PathBuf>, top: bool) -> Result<()> {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(_) if !top => {
            out.push(dir.to_path_buf());
            return Ok(());
        }
        Err(e) => return Err(Error::io(dir, e)),
    };
    for ent in rd {
        let ent = ent.map_err(|e| Error::io(dir, e))?;
        let name = ent.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = ent.path();
        let ft = ent.file_type().map_err(|e| Error::io(&path, e))?;
        if ft.is_dir() || (ft.is_symlink() && path.is_dir()) {
            walk_inner(&path, out, false)?;
        } else if detect::is_readable_name(&name.to_string_lossy()) {
            out.push(path);
        }
    }
    Ok(())
}

/// Total size of the located files in bytes (standard input counts 0).
pub fn total_bytes(docs: &[Located]) -> u64 {
    docs.iter()
        .filter_map(|d| d.path.as_ref())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// Counts the raw bytes read from a file, for progress reports.
struct Counting<'c, R> {
    inner: R,
    counter: &'c AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Read every article of one located file, in order, handing each to
/// `emit`; stop early when `emit` returns false. Problems are reported as
/// [`Outcome::Skipped`] articles, never as errors: a broken record costs that
/// record only. `counter` grows by the raw bytes read.
pub fn read_each(
    loc: &Located,
    opts: &ReadOptions,
    counter: &AtomicU64,
    emit: &mut dyn FnMut(Outcome) -> bool,
) {
    let raw: Box<dyn Read + Send> = match &loc.path {
        Some(p) => match std::fs::File::open(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                emit(Outcome::skipped(
                    &loc.id,
                    &loc.source,
                    0,
                    format!("cannot read: {e}"),
                ));
                return;
            }
        },
        None => Box::new(std::io::stdin()),
    };
    read_from(loc, raw, opts, counter, emit);
}

/// Read every article of the stream `raw`, named by `loc` (whose file name
/// hints at the format), as [`read_each`] does.
pub fn read_from(
    loc: &Located,
    raw: impl Read + Send,
    opts: &ReadOptions,
    counter: &AtomicU64,
    emit: &mut dyn FnMut(Outcome) -> bool,
) {
    let (id, source) = (loc.id.as_str(), loc.source.as_str());
    // Dates in digit forms (`26/06/2023`, Unix time) are made ISO 8601;
    // ids are made safe for spreadsheets.
    let emit = &mut |mut o: Outcome| {
        if let Some(safe) = safe_id(o.id()) {
            o.set_id(safe);
        }
        if let Outcome::Ok(d) = &mut o
            && let Some(raw) = &d.date
        {
            d.date = Some(date::normalize(raw));
        }
        emit(o)
    };
    // A stream's name hints at its format unless the user chose one (the
    // lines of a piece of `a.jsonl.gz` arrive decompressed).
    let (named_compression, named_format) = match (&loc.path, opts.format) {
        (None, Some(_)) => (Compression::None, None),
        _ => detect::from_name(&loc.name),
    };
    let skip = |reason: String| Outcome::skipped(id, source, 0, reason);
    let counted = Counting {
        inner: raw,
        counter,
    };
    let named = (named_compression != Compression::None || named_format.is_some())
        .then_some(named_compression);
    let detect::Decompressed { mut reader, damage } = match detect::decompress(counted, named) {
        Ok(d) => d,
        Err(reason) => {
            emit(skip(reason));
            return;
        }
    };
    let head = match reader.fill_buf() {
        Ok(h) => h,
        Err(e) => {
            emit(skip(format!("cannot read: {e}")));
            return;
        }
    };
    // A format the name shows must agree with the content; one the user
    // chose (`--input-format`) is taken as said: a piece of a JSONL file
    // may begin with a broken line, which is then reported like any other.
    let format = match named_format {
        Some(f) if !detect::agrees(f, head) => {
            emit(skip(format!(
                "the name says {} but the content is not",
                f.as_str()
            )));
            return;
        }
        Some(f) => f,
        None => opts.format.unwrap_or_else(|| detect::sniff_format(head)),
    };
    // WARC and ARC readers tell which record a damaged gzip member cut;
    // for the others each damaged member is a skipped article of its own,
    // reported before the next article and at the end.
    let mut noted = 0usize;
    let mut report_damage = |emit: &mut dyn FnMut(Outcome) -> bool| {
        for what in gzmembers::drain(&damage) {
            noted += 1;
            let reason = format!("{what}; the rest of that member is lost");
            if !emit(Outcome::skipped(
                &format!("{id}#gzip{noted}"),
                source,
                0,
                reason,
            )) {
                return false;
            }
        }
        true
    };
    let mut stopped = false;
    let mut emit_damaged = |o: Outcome| {
        let go = report_damage(&mut *emit) && emit(o);
        stopped |= !go;
        go
    };
    match format {
        Format::Warc => return warc::read(id, source, reader, &damage, opts, emit),
        Format::Arc => return arc::read(id, source, reader, &damage, opts, emit),
        // A `.json` file, or an array, may be one JSON document rather
        // than JSON lines.
        Format::Jsonl if is_json_document(&loc.name, named_format.is_some(), head) => {
            let limit = opts.max_article_bytes.saturating_mul(4);
            jsonl::read_document(id, source, reader, limit, opts, &mut emit_damaged)
        }
        Format::Jsonl => jsonl::read(id, source, loc.first_line, reader, opts, &mut emit_damaged),
        Format::Text | Format::Html => {
            let outcome = match read_limited(&mut reader, opts.max_article_bytes) {
                Ok(bytes) if format == Format::Html => from_html(id, source, &bytes, opts),
                Ok(bytes) => decode(id, source, bytes, opts),
                Err(reason) => skip(reason),
            };
            emit_damaged(outcome);
        }
    }
    if !stopped {
        report_damage(emit);
    }
}

/// True when a JSON stream is one document (an object over several lines,
/// an array) rather than JSON lines: only for a `.json` file, or any stream
/// that starts with `[`.
fn is_json_document(name: &str, named: bool, head: &[u8]) -> bool {
    let trimmed = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .trim_ascii_start();
    if trimmed.starts_with(b"[") {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    let json_name = lower.ends_with(".json")
        || [".gz", ".gzip", ".zst", ".zstd", ".bz2"]
            .iter()
            .any(|c| lower.strip_suffix(c).is_some_and(|l| l.ends_with(".json")));
    named && json_name && !jsonl::looks_like_lines(head)
}

/// An id that a spreadsheet would run as a formula (it begins with `=`,
/// `+`, `-`, `@`, tab or carriage return, and is not a plain number), with
/// a `'` in front, as free-text cells get in the CSV files; `None` for a
/// safe id. Ids come from untrusted input (a JSONL `id`, a
/// `WARC-Record-ID`, a file name), and the id is changed where it is read,
/// so that every file (the CSVs, JSON lines, shards, the manifest) holds
/// the same id and they stay joinable, with `--raw-csv` too.
pub fn safe_id(id: &str) -> Option<String> {
    let risky = id.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = id.strip_prefix(['+', '-']).is_some_and(|n| {
        !n.is_empty()
            && n.parse::<f64>().is_ok()
            && n.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    });
    (risky && !number).then(|| format!("'{id}"))
}

/// Read at most `max` bytes; more is an error that names the limit.
fn read_limited(reader: &mut dyn BufRead, max: usize) -> std::result::Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let n = reader
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if n > max {
        return Err(format!(
            "article larger than the limit of {max} bytes (--max-article-bytes)"
        ));
    }
    Ok(bytes)
}

/// Read and decode one located single-article file (the whole of it).
pub fn read(loc: &Located) -> Outcome {
    let mut got = None;
    read_each(loc, &ReadOptions::default(), &AtomicU64::new(0), &mut |o| {
        got.get_or_insert(o);
        false
    });
    got.unwrap_or_else(|| Outcome::skipped(&loc.id, &loc.source, 0, "empty file".into()))
}

/// Decode bytes into a document (or a reason to skip it).
pub fn decode(id: &str, source: &str, bytes: Vec<u8>, opts: &ReadOptions) -> Outcome {
    let len = bytes.len();
    match decode_text(bytes, opts) {
        Ok((text, warnings)) => {
            if text.trim().is_empty() {
                return Outcome::skipped(id, source, len, "empty file".into());
            }
            Outcome::Ok(Document {
                id: id.to_string(),
                source: source.to_string(),
                text,
                warnings,
                ..Document::default()
            })
        }
        Err(reason) => Outcome::skipped(id, source, len, reason),
    }
}

/// Bytes to text: BOM stripped, NUL refused, invalid UTF-8 replaced and
/// flagged (or refused when strict).
fn decode_text(
    mut bytes: Vec<u8>,
    opts: &ReadOptions,
) -> std::result::Result<(String, Vec<String>), String> {
    if let Some(pos) = bytes[..bytes.len().min(8192)].iter().position(|&b| b == 0) {
        return Err(format!("binary file (NUL byte at offset {pos})"));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let mut warnings = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            if opts.strict_utf8 {
                return Err(format!("invalid UTF-8 at byte {at} (--strict-utf8)"));
            }
            warnings.push(format!("invalid UTF-8 at byte {at}, replaced with U+FFFD"));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    Ok((text, warnings))
}

/// One article from an HTML page.
pub fn from_html(id: &str, source: &str, bytes: &[u8], opts: &ReadOptions) -> Outcome {
    from_html_declared(id, source, bytes, None, opts)
}

/// One article from an HTML page whose HTTP header declared the charset
/// `http_charset` (see [`charset`] for the page's own declarations).
pub fn from_html_declared(
    id: &str,
    source: &str,
    bytes: &[u8],
    http_charset: Option<&str>,
    opts: &ReadOptions,
) -> Outcome {
    let (page, mut warnings) = match charset::decode_html(bytes, http_charset, opts) {
        Ok(x) => x,
        Err(reason) => return Outcome::skipped(id, source, bytes.len(), reason),
    };
    let art = html::extract(&page);
    let text = compose(art.title.as_deref(), &art.text);
    if text.trim().is_empty() {
        return Outcome::skipped(
            id,
            source,
            bytes.len(),
            "no article text in the page".into(),
        );
    }
    warnings.dedup();
    Outcome::Ok(Document {
        id: id.to_string(),
        source: source.to_string(),
        text,
        warnings,
        date: art.date,
        url: art.url,
    })
}

/// The text of an article with a separate title: the title, a blank line,
/// the body. Without a title, or when the body's first line already is the
/// title, the body as it is (so offsets match the source's own text field).
/// A body that merely starts with the title's words keeps the title.
pub fn compose(title: Option<&str>, body: &str) -> String {
    let opens_with = |t: &str| {
        body.trim_start().strip_prefix(t).is_some_and(|rest| {
            rest.trim_start_matches([' ', '\t', '\r']).is_empty()
                || rest.trim_start_matches([' ', '\t', '\r']).starts_with('\n')
        })
    };
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if !opens_with(t) => {
            let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
            format!("{t}\n\n{}", body.trim_start())
        }
        _ => body.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_ids_follow_the_contract() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("2024")).unwrap();
        std::fs::create_dir_all(root.join(".hidden")).unwrap();
        for f in ["2024/a.txt", "b.md", "b.txt", "c.pdf", ".hidden/x.txt"] {
            std::fs::write(root.join(f), "text").unwrap();
        }
        let got = locate(&[Input::Path(root.to_path_buf())]).unwrap();
        let ids: Vec<&str> = got.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["2024/a", "b", "b.txt"]);
        let direct = locate(&[Input::Path(root.join("c.pdf"))]).unwrap();
        assert_eq!(direct[0].id, "c");
    }

    #[test]
    fn decoding_outcomes() {
        let o = &ReadOptions::default();
        match decode("x", "x", b"\xEF\xBB\xBFIndia".to_vec(), o) {
            Outcome::Ok(d) => assert_eq!(d.text, "India"),
            other => panic!("{other:?}"),
        }
        match decode("x", "x", b"Ind\xFFia".to_vec(), o) {
            Outcome::Ok(d) => {
                assert_eq!(d.text, "Ind\u{FFFD}ia");
                assert!(d.warnings[0].contains("byte 3"));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(decode("x", "x", b"ab\0cd".to_vec(), o), Outcome::Skipped { reason, .. } if reason.contains("NUL byte at offset 2"))
        );
        assert!(
            matches!(decode("x", "x", b"  \n".to_vec(), o), Outcome::Skipped { reason, .. } if reason == "empty file")
        );
    }
}
