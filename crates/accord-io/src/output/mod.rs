//! Writing the results: CSV files with fixed columns, spreadsheet-safe
//! cells and atomic replacement ([`sorted`], with the incremental
//! [`manifest`]), or one JSON object per article on a stream ([`jsonl`]).
//!
//! Each file is written to a temporary file in the output directory and
//! renamed over the old one only when complete, so a crash or Ctrl-C never
//! leaves a half-written file behind.
//!
//! Spreadsheet safety: a free-text cell that begins with `=`, `+`, `-`, `@`,
//! tab or carriage return would be read by Excel or LibreOffice as a formula;
//! such a cell gets a leading `'` (OWASP's advice for CSV injection). Ids,
//! offsets and numbers are never touched. `CsvOptions::raw` turns it off.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::run::DocOutput;
use accord_core::engine::{DocRow, EntityRow, TripleRow};
use accord_core::error::{Error, Result};

pub mod jsonl;
pub mod lock;
pub mod manifest;
pub mod shard;
pub mod sorted;

/// Header of `entities.csv` (fixed columns, then ours).
pub const ENTITIES_HEADER: &[&str] = &[
    "doc_id",
    "type",
    "canonical",
    "entity_id",
    "text",
    "start",
    "end",
    "rule",
];
/// Header of `documents.csv`.
pub const DOCUMENTS_HEADER: &[&str] = &[
    "doc_id",
    "source",
    "title",
    "date",
    "bytes",
    "status",
    "warnings",
    "url",
    "duplicate_of",
];

/// Header of `triples.csv`.
pub const TRIPLES_HEADER: &[&str] = &[
    "subject",
    "object",
    "relation",
    "kind",
    "doc_id",
    "evidence",
    "subject_type",
    "object_type",
    "date",
    "evidence_start",
    "evidence_end",
    "status",
    "confidence",
    "rule",
];

/// The position of the column `name` in `header`, at compile time: code
/// that edits a cell of a written row names the column, never a number.
pub const fn column(header: &[&str], name: &str) -> usize {
    let mut i = 0;
    while i < header.len() {
        let (a, b) = (header[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut k = 0;
            while k < a.len() && a[k] == b[k] {
                k += 1;
            }
            if k == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("no such column")
}

/// How cells are written.
#[derive(Clone, Copy, Debug, Default)]
pub struct CsvOptions {
    /// Do not neutralize formula-like cells.
    pub raw: bool,
    /// Start each file with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
}

/// Neutralize a free-text cell that a spreadsheet would run as a formula.
pub fn guard(cell: &str, opts: CsvOptions) -> Cow<'_, str> {
    if !opts.raw && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell as the article had it: [`guard`]'s `'` in front of a
/// formula-like cell taken off (for tools that read accord's CSV back).
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// A file written to a temporary name in its directory and renamed over
/// `path` only by [`AtomicFile::commit`]; dropped uncommitted, it vanishes.
///
/// The one way accord replaces a file it writes (CSV outputs, the manifest,
/// baselines, gazetteer suggestions and imports): synced before the rename,
/// with the permissions an ordinary new file gets. (The gazetteer cache in
/// `accord-core` writes its own, unsynced: a torn cache fails its checksum.)
pub struct AtomicFile {
    path: PathBuf,
    out: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    /// Start writing `path`.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut builder = tempfile::Builder::new();
        builder.prefix(".accord-").suffix(".tmp");
        // Temporary files are private (0600); the outputs are ordinary
        // files, readable as the umask allows.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            out: std::io::BufWriter::with_capacity(1 << 16, tmp),
        })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append bytes.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .map_err(|e| Error::io(&self.path, e))
    }

    /// Flush and give up the rename: the temporary file, to read back.
    pub fn into_temp(self) -> Result<tempfile::NamedTempFile> {
        let path = self.path;
        self.out
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))
    }

    /// Flush, sync and rename into place.
    pub fn commit(self) -> Result<()> {
        self.prepare()?.persist()
    }

    /// Flush and sync, everything but the rename: where the disk can be
    /// full, so that several files can all be written before any of them
    /// replaces its old version.
    pub fn prepare(self) -> Result<Prepared> {
        let path = self.path;
        let tmp = self
            .out
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        tmp.as_file().sync_all().map_err(|e| Error::io(&path, e))?;
        Ok(Prepared { path, tmp })
    }
}

/// Bytes written through [`std::io::Write`] (a `csv::Writer` over the file)
/// go to the temporary file like [`AtomicFile::write`]'s.
impl std::io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A file written whole, waiting to be renamed into place.
pub struct Prepared {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl Prepared {
    /// Rename into place.
    pub fn persist(self) -> Result<()> {
        let path = self.path;
        self.tmp
            .persist(&path)
            .map_err(|e| Error::io(&path, e.error))?;
        Ok(())
    }
}

/// Write `path` atomically with `fill` producing the CSV records.
pub fn write_atomic(
    path: &Path,
    opts: CsvOptions,
    fill: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>,
) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    if opts.bom {
        file.write(b"\xEF\xBB\xBF")?;
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    fill(&mut w).map_err(|e| Error::csv(path, e))?;
    let bytes = w
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    file.write(&bytes)?;
    file.commit()
}

/// Remove temporary files a killed earlier run left in `dir`.
pub fn clean_stale_temps(dir: &Path) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for ent in rd.flatten() {
            let name = ent.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(".accord-") && name.ends_with(".tmp") {
                let _ = std::fs::remove_file(ent.path());
            }
        }
    }
}

/// The CSV bytes of one document's rows in the three files, without headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    /// doc_id.
    pub id: String,
    /// Its documents.csv row.
    pub doc: Vec<u8>,
    /// Its entities.csv rows.
    pub entities: Vec<u8>,
    /// Its triples.csv rows.
    pub triples: Vec<u8>,
}

impl Fragment {
    /// Format one document's output.
    pub fn new(d: &DocOutput, opts: CsvOptions) -> Fragment {
        Fragment {
            id: d.doc.doc_id.clone(),
            doc: Fragment::document(&d.doc, opts),
            entities: records(d.entities.iter().map(|r| entity_record(r, opts))),
            triples: records(d.triples.iter().map(|r| triple_record(r, opts))),
        }
    }

    /// The documents.csv row of `doc`.
    pub fn document(doc: &DocRow, opts: CsvOptions) -> Vec<u8> {
        records(std::iter::once(document_record(doc, opts)))
    }

    /// Approximate memory held.
    pub fn size(&self) -> usize {
        self.id.len() + self.doc.len() + self.entities.len() + self.triples.len() + 96
    }
}

fn records<'a, const N: usize>(rows: impl Iterator<Item = [Cow<'a, str>; N]>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r.iter().map(|c| c.as_bytes()));
    }
    let mut bytes = w.into_inner().unwrap_or_default();
    bytes.shrink_to_fit();
    bytes
}

/// `rows` (CSV records as [`Fragment`] holds them) with the cells at the
/// given columns replaced; every other cell is written as before.
pub fn set_cells(rows: &[u8], cells: &[(usize, &str)]) -> csv::Result<Vec<u8>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(rows);
    let mut w = csv::Writer::from_writer(Vec::new());
    for rec in r.byte_records() {
        let rec = rec?;
        let row: Vec<&[u8]> = (0..rec.len())
            .map(|i| match cells.iter().find(|(c, _)| *c == i) {
                Some((_, v)) => v.as_bytes(),
                None => &rec[i],
            })
            .collect();
        w.write_record(row)?;
    }
    Ok(w.into_inner().unwrap_or_default())
}

/// The cells of an entities.csv row.
pub fn entity_record(r: &EntityRow, opts: CsvOptions) -> [Cow<'_, str>; 8] {
    [
        Cow::Borrowed(r.doc_id.as_str()),
        Cow::Borrowed(r.etype.as_str()),
        guard(&r.canonical, opts),
        Cow::Borrowed(r.entity_id.as_str()),
        guard(&r.text, opts),
        Cow::Owned(r.start.to_string()),
        Cow::Owned(r.end.to_string()),
        Cow::Borrowed(r.rule),
    ]
}

/// The cells of a documents.csv row.
pub fn document_record(r: &DocRow, opts: CsvOptions) -> [Cow<'_, str>; 9] {
    [
        Cow::Borrowed(r.doc_id.as_str()),
        guard(&r.source, opts),
        guard(&r.title, opts),
        Cow::Borrowed(r.date.as_str()),
        Cow::Owned(r.bytes.to_string()),
        guard(&r.status, opts),
        guard(&r.warnings, opts),
        guard(&r.url, opts),
        Cow::Borrowed(r.duplicate_of.as_str()),
    ]
}

/// The cells of a triples.csv row.
pub fn triple_record(r: &TripleRow, opts: CsvOptions) -> [Cow<'_, str>; 14] {
    [
        guard(&r.subject, opts),
        guard(&r.object, opts),
        guard(&r.relation, opts),
        Cow::Borrowed(r.kind.as_str()),
        Cow::Borrowed(r.doc_id.as_str()),
        guard(&r.evidence, opts),
        Cow::Borrowed(r.subject_type.as_str()),
        Cow::Borrowed(r.object_type.as_str()),
        Cow::Borrowed(r.date.as_str()),
        Cow::Owned(r.evidence_start.to_string()),
        Cow::Owned(r.evidence_end.to_string()),
        Cow::Borrowed(r.status.as_str()),
        Cow::Owned(format!("{:.2}", r.confidence)),
        Cow::Borrowed(r.rule.name()),
    ]
}

/// The header line of a CSV file, with the byte-order mark when asked.
pub fn header_bytes(header: &[&str], opts: CsvOptions) -> Vec<u8> {
    let mut out = if opts.bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    out.extend(w.into_inner().unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralized() {
        let o = CsvOptions::default();
        assert_eq!(
            guard("=HYPERLINK(\"http://x\",\"y\")", o),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for c in ["+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(guard(c, o).starts_with('\''), "{c:?}");
        }
        assert_eq!(guard("India", o), "India");
        let raw = CsvOptions {
            raw: true,
            bom: false,
        };
        assert_eq!(guard("=1+1", raw), "=1+1");
    }

    #[test]
    fn columns_by_name_and_unguard_undoes_guard() {
        assert_eq!(column(DOCUMENTS_HEADER, "duplicate_of"), 8);
        assert_eq!(column(TRIPLES_HEADER, "doc_id"), 4);
        let opts = CsvOptions::default();
        for cell in ["=HYPERLINK(1)", "+1", "plain", "'quoted"] {
            assert_eq!(unguard(&guard(cell, opts)), cell);
        }
    }

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, "old").unwrap();
        let err = write_atomic(&path, CsvOptions::default(), |w| {
            w.write_record(["a"])?;
            Err(csv::Error::from(std::io::Error::other("disk full")))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        write_atomic(
            &path,
            CsvOptions {
                raw: false,
                bom: true,
            },
            |w| w.write_record(["a", "b"]),
        )
        .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"\xEF\xBB\xBFa,b\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
