//! Writing the CSV files: fixed columns, spreadsheet-safe cells, atomic replace.
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

use crate::error::{Error, Result};
use crate::pipeline::{DocRow, EntityRow, TripleRow};

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
    "doc_id", "source", "title", "date", "bytes", "status", "warnings",
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

/// Write `path` atomically with `fill` producing the CSV records.
pub fn write_atomic(
    path: &Path,
    opts: CsvOptions,
    fill: impl FnOnce(&mut csv::Writer<&mut std::io::BufWriter<&std::fs::File>>) -> csv::Result<()>,
) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".accord-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    {
        let mut buf = std::io::BufWriter::new(tmp.as_file());
        if opts.bom {
            buf.write_all(b"\xEF\xBB\xBF")
                .map_err(|e| Error::io(path, e))?;
        }
        let mut w = csv::Writer::from_writer(&mut buf);
        fill(&mut w).map_err(|e| Error::csv(path, e))?;
        w.flush().map_err(|e| Error::io(path, e))?;
        drop(w);
        buf.flush().map_err(|e| Error::io(path, e))?;
    }
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
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

/// Write `entities.csv` into `dir`.
pub fn write_entities(dir: &Path, rows: &[EntityRow], opts: CsvOptions) -> Result<PathBuf> {
    let path = dir.join("entities.csv");
    write_atomic(&path, opts, |w| {
        w.write_record(ENTITIES_HEADER)?;
        for r in rows {
            w.write_record([
                r.doc_id.as_str(),
                r.etype.as_str(),
                &guard(&r.canonical, opts),
                &r.entity_id,
                &guard(&r.text, opts),
                &r.start.to_string(),
                &r.end.to_string(),
                r.rule,
            ])?;
        }
        Ok(())
    })?;
    Ok(path)
}

/// Write `documents.csv` into `dir`.
pub fn write_documents(dir: &Path, rows: &[DocRow], opts: CsvOptions) -> Result<PathBuf> {
    let path = dir.join("documents.csv");
    write_atomic(&path, opts, |w| {
        w.write_record(DOCUMENTS_HEADER)?;
        for r in rows {
            w.write_record([
                r.doc_id.as_str(),
                &guard(&r.source, opts),
                &guard(&r.title, opts),
                &r.date,
                &r.bytes.to_string(),
                &guard(&r.status, opts),
                &guard(&r.warnings, opts),
            ])?;
        }
        Ok(())
    })?;
    Ok(path)
}

/// Write `triples.csv` into `dir`.
pub fn write_triples(dir: &Path, rows: &[TripleRow], opts: CsvOptions) -> Result<PathBuf> {
    let path = dir.join("triples.csv");
    write_atomic(&path, opts, |w| {
        w.write_record(TRIPLES_HEADER)?;
        for r in rows {
            w.write_record([
                guard(&r.subject, opts).as_ref(),
                &guard(&r.object, opts),
                &guard(&r.relation, opts),
                r.kind.as_str(),
                &r.doc_id,
                &guard(&r.evidence, opts),
                r.subject_type.as_str(),
                r.object_type.as_str(),
                &r.date,
                &r.evidence_start.to_string(),
                &r.evidence_end.to_string(),
                r.status,
                &format!("{:.2}", r.confidence),
                r.rule,
            ])?;
        }
        Ok(())
    })?;
    Ok(path)
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
