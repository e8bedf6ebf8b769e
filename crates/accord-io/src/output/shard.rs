//! Shards: one run of `extract` split into pieces that run apart (Spark
//! tasks, `split` chunks on several machines) and are joined again by
//! `accord merge` into the files one run over the whole input would write.
//!
//! A piece runs `extract --format shard`: one JSON line per article with the
//! article's doc_id as read, its content hash, its near-duplicate sketch and
//! its rows already formatted as CSV. The parts of a run that depend on the
//! articles before it are left to the merge, which reads the pieces' lines
//! in input order: making doc_ids unique (`~2`), flagging near-duplicates,
//! and sorting rows into the three files. When the merge renames an article
//! it rewrites that article's doc_id cells; every other byte is the piece's.

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::sorted::SortedCsv;
use super::{CsvOptions, Fragment};
use crate::dedupe::{Deduper, Sketch};
use crate::output;
use crate::run::{DocOutput, UniqueIds};
use accord_core::error::{Error, Result};

/// The doc_id column of documents.csv, entities.csv and triples.csv.
const DOC_ID_COLUMN: [usize; 3] = [
    output::column(output::DOCUMENTS_HEADER, "doc_id"),
    output::column(output::ENTITIES_HEADER, "doc_id"),
    output::column(output::TRIPLES_HEADER, "doc_id"),
];
/// The duplicate_of column of documents.csv.
const DUPLICATE_OF_COLUMN: usize = output::column(output::DOCUMENTS_HEADER, "duplicate_of");

/// One article of a shard.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    /// doc_id as read, before the run makes it unique.
    id: String,
    /// Content hash in hex (0: skipped).
    hash: String,
    /// Near-duplicate sketch of the body, if it has enough words.
    sketch: Option<Sketch>,
    /// Article size in bytes.
    bytes: usize,
    /// Whether it was processed (not skipped).
    ok: bool,
    /// Number of entities.csv rows.
    n_entities: usize,
    /// Number of triples.csv rows.
    n_triples: usize,
    /// The documents.csv row.
    documents: String,
    /// The entities.csv rows.
    entities: String,
    /// The triples.csv rows.
    triples: String,
}

/// One article as a shard line, with its newline.
pub fn encode(d: &DocOutput, opts: CsvOptions) -> Vec<u8> {
    let f = Fragment::new(d, opts);
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap_or_default();
    let line = Line {
        id: d.doc.doc_id.clone(),
        hash: format!("{:032x}", d.hash),
        sketch: d.sketch,
        bytes: d.doc.bytes,
        ok: d.doc.is_ok(),
        n_entities: d.entities.len(),
        n_triples: d.triples.len(),
        documents: text(f.doc),
        entities: text(f.entities),
        triples: text(f.triples),
    };
    // Serializing strings and numbers to memory cannot fail.
    let mut out = serde_json::to_vec(&line).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Totals of a merge.
#[derive(Clone, Debug, Default)]
pub struct Merged {
    /// Articles.
    pub documents: u64,
    /// Of which skipped by the pieces.
    pub skipped: u64,
    /// Entity rows.
    pub entities: u64,
    /// Triple rows.
    pub triples: u64,
    /// Bytes of article text.
    pub text_bytes: u64,
}

/// Joins shard lines, read in input order, into one run's output.
pub struct Merge {
    sink: SortedCsv,
    ids: UniqueIds,
    dedupe: Option<Deduper>,
    totals: Merged,
}

impl Merge {
    /// Merge into `sink`, flagging near-duplicates at `duplicates` similarity (`None`: don't).
    pub fn new(sink: SortedCsv, duplicates: Option<f64>) -> Merge {
        Merge {
            sink,
            ids: UniqueIds::default(),
            dedupe: duplicates.map(Deduper::new),
            totals: Merged::default(),
        }
    }

    /// Read every line of `reader` (named `source` in errors). A line that
    /// is not a shard line is an error: a piece's output was cut or mixed
    /// up, and merging on would lose articles.
    pub fn read(&mut self, source: &str, reader: impl BufRead) -> Result<()> {
        for (n, line) in reader.split(b'\n').enumerate() {
            let line = line.map_err(|e| Error::msg(format!("{source}: cannot read: {e}")))?;
            if line.trim_ascii().is_empty() {
                continue;
            }
            self.add(&line).map_err(|e| {
                Error::msg(format!(
                    "{source}:{}: not a line of `accord extract --format shard`: {e}",
                    n + 1
                ))
            })?;
        }
        Ok(())
    }

    fn add(&mut self, line: &[u8]) -> std::result::Result<(), String> {
        let l: Line = serde_json::from_slice(line).map_err(|e| e.to_string())?;
        let hash = u128::from_str_radix(&l.hash, 16).map_err(|e| format!("hash: {e}"))?;
        let id = self.ids.unique(&l.id);
        let duplicate_of = match (&mut self.dedupe, &l.sketch) {
            (Some(d), Some(sk)) => d.check(&id, sk),
            _ => None,
        };
        let renamed = (id != l.id).then_some(id.as_str());
        let mut doc_cells = Vec::new();
        if let Some(new) = renamed {
            doc_cells.push((DOC_ID_COLUMN[0], new));
        }
        if let Some(first) = &duplicate_of {
            doc_cells.push((DUPLICATE_OF_COLUMN, first.as_str()));
        }
        let rewrite =
            |rows: String, cells: &[(usize, &str)]| -> std::result::Result<Vec<u8>, String> {
                if cells.is_empty() {
                    Ok(rows.into_bytes())
                } else {
                    super::set_cells(rows.as_bytes(), cells).map_err(|e| e.to_string())
                }
            };
        let only_id = |c: usize| renamed.map(|new| vec![(c, new)]).unwrap_or_default();
        let f = Fragment {
            doc: rewrite(l.documents, &doc_cells)?,
            entities: rewrite(l.entities, &only_id(DOC_ID_COLUMN[1]))?,
            triples: rewrite(l.triples, &only_id(DOC_ID_COLUMN[2]))?,
            id,
        };
        self.totals.documents += 1;
        self.totals.skipped += u64::from(!l.ok);
        self.totals.entities += l.n_entities as u64;
        self.totals.triples += l.n_triples as u64;
        self.totals.text_bytes += l.bytes as u64;
        self.sink
            .accept_fragment(f, hash, l.sketch, duplicate_of.is_some())
            .map_err(|e| e.to_string())
    }

    /// Write the files (and the manifest, under `fingerprint`).
    pub fn finish(self, fingerprint: &str) -> Result<Merged> {
        self.sink.finish(fingerprint, None)?;
        Ok(self.totals)
    }
}
