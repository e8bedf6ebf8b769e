//! The CSV sink: rows arrive document by document in input order and leave
//! sorted by doc_id, in bounded memory.
//!
//! While documents arrive in doc_id order (a walked directory, a dump whose
//! ids ascend), their rows go straight into the output files. Otherwise each
//! document's rows are formatted at once into a [`Fragment`]. Fragments
//! collect in memory up to a budget; beyond it they are sorted by doc_id and
//! spilled to a temporary run file in the output directory. [`SortedCsv::finish`]
//! merges the runs (and, for an incremental run, the rows already in the
//! output files, where a new document replaces an old one of the same id)
//! into the three CSV files, each written to a temporary file and renamed
//! into place, and the manifest last. Rows inside a fragment are already in
//! order, so sorting fragments by doc_id sorts the files.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use super::manifest::Manifest;
use super::{
    AtomicFile, CsvOptions, DOCUMENTS_HEADER, ENTITIES_HEADER, Fragment, Prepared, TRIPLES_HEADER,
    header_bytes,
};
use crate::dedupe::Sketch;
use crate::run::{DocOutput, Encoded, Sink};
use accord_core::error::{Error, Result};

/// Default memory budget for formatted rows before spilling to disk.
pub const DEFAULT_BUDGET: usize = 32 << 20;

/// Sorts rows into `entities.csv`, `triples.csv` and `documents.csv`.
pub struct SortedCsv {
    dir: PathBuf,
    opts: CsvOptions,
    budget: usize,
    mem: Vec<Fragment>,
    mem_bytes: usize,
    runs: Vec<tempfile::NamedTempFile>,
    /// (doc_id, content hash (0 for a skipped article), sketch if it is no
    /// one's near-duplicate) of each new document.
    hashes: Vec<(String, u128, Option<Sketch>)>,
    /// While documents arrive in doc_id order (a walked directory, a dump
    /// with ordered ids), they go straight into the output files: no
    /// buffering, no spilling. The first one out of order ends this; what
    /// was written becomes one sorted run of the merge.
    direct: Option<Direct>,
    in_order: bool,
}

/// The three output files being written in order.
struct Direct {
    docs: AtomicFile,
    entities: AtomicFile,
    triples: AtomicFile,
    last: Option<String>,
}

impl Direct {
    fn create(dir: &Path, opts: CsvOptions) -> Result<Direct> {
        let mut d = Direct {
            docs: AtomicFile::create(&dir.join("documents.csv"))?,
            entities: AtomicFile::create(&dir.join("entities.csv"))?,
            triples: AtomicFile::create(&dir.join("triples.csv"))?,
            last: None,
        };
        d.docs.write(&header_bytes(DOCUMENTS_HEADER, opts))?;
        d.entities.write(&header_bytes(ENTITIES_HEADER, opts))?;
        d.triples.write(&header_bytes(TRIPLES_HEADER, opts))?;
        Ok(d)
    }

    fn write(&mut self, f: &Fragment) -> Result<()> {
        self.docs.write(&f.doc)?;
        self.entities.write(&f.entities)?;
        self.triples.write(&f.triples)
    }

    /// Write the three files whole before any replaces its old version.
    fn prepare(self) -> Result<[Prepared; 3]> {
        Ok([
            self.entities.prepare()?,
            self.triples.prepare()?,
            self.docs.prepare()?,
        ])
    }

    /// Read back what was written, as a run of the merge.
    fn into_run(self) -> Result<Box<dyn Run>> {
        let (docs, entities, triples) = (
            self.docs.into_temp()?,
            self.entities.into_temp()?,
            self.triples.into_temp()?,
        );
        let run = ExistingRun::from_paths(docs.path(), entities.path(), triples.path())?;
        Ok(Box::new(TempRun {
            run,
            _files: [docs, entities, triples],
        }))
    }
}

/// A run read from temporary CSV files, deleted when it is dropped.
struct TempRun {
    run: ExistingRun,
    _files: [tempfile::NamedTempFile; 3],
}

impl Run for TempRun {
    fn next_fragment(&mut self) -> Result<Option<Fragment>> {
        self.run.next_fragment()
    }
}

impl SortedCsv {
    /// A sink writing into `dir`, holding at most about `budget` bytes of rows.
    pub fn new(dir: &Path, opts: CsvOptions, budget: usize) -> SortedCsv {
        SortedCsv {
            dir: dir.to_path_buf(),
            opts,
            budget,
            mem: Vec::new(),
            mem_bytes: 0,
            runs: Vec::new(),
            hashes: Vec::new(),
            direct: None,
            in_order: true,
        }
    }

    fn spill(&mut self) -> Result<()> {
        self.mem.sort_by(|a, b| a.id.cmp(&b.id));
        let mem = std::mem::take(&mut self.mem);
        let run = self.write_run(vec![Box::new(mem.into_iter())])?;
        self.runs.push(run);
        self.mem_bytes = 0;
        if self.runs.len() >= MAX_RUNS {
            // Keep the number of open files bounded: fold the runs into one.
            let runs = std::mem::take(&mut self.runs);
            let sources = open_runs(&runs)?;
            let merged = self.write_run(sources)?;
            self.runs.push(merged);
        }
        Ok(())
    }

    /// Merge `sources` into a new run file.
    fn write_run(&self, sources: Vec<Box<dyn Run>>) -> Result<tempfile::NamedTempFile> {
        let tmp = tempfile::Builder::new()
            .prefix(".accord-run-")
            .suffix(".tmp")
            .tempfile_in(&self.dir)
            .map_err(|e| Error::io(&self.dir, e))?;
        {
            let path = tmp.path().to_path_buf();
            let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file());
            merge(sources, &mut |f| {
                write_fragment(&mut w, &f).map_err(|e| Error::io(&path, e))
            })?;
            w.flush().map_err(|e| Error::io(&path, e))?;
        }
        Ok(tmp)
    }

    /// Merge everything into the output files. With `base`, the rows of the
    /// existing files are kept except for documents this run processed
    /// again, and the manifest grows from `base`; without it, the files and
    /// the manifest hold this run's documents only.
    pub fn finish(mut self, fingerprint: &str, base: Option<Manifest>) -> Result<()> {
        let mut manifest = Manifest {
            fingerprint: fingerprint.to_string(),
            ..Manifest::default()
        };
        let existing = match &base {
            Some(_) => ExistingRun::open(&self.dir)?,
            None => None,
        };
        if let Some(base) = base {
            manifest.docs = base.docs;
        }
        for (id, hash, sketch) in std::mem::take(&mut self.hashes) {
            if hash == 0 {
                manifest.docs.remove(&id);
            } else {
                manifest.docs.insert(id, (hash, sketch));
            }
        }
        let direct = match self.direct.take() {
            Some(d) => Some(d),
            // No document at all: empty files with their headers.
            None if self.in_order => Some(Direct::create(&self.dir, self.opts)?),
            None => None,
        };
        let mut sources: Vec<Box<dyn Run>> = Vec::new();
        if let Some(d) = direct {
            if existing.is_none() && self.in_order {
                let files = d.prepare()?;
                return self.replace(files, &manifest);
            }
            sources.push(d.into_run()?);
        }
        sources.extend(open_runs(&self.runs)?);
        self.mem.sort_by(|a, b| a.id.cmp(&b.id));
        sources.push(Box::new(std::mem::take(&mut self.mem).into_iter()));
        if let Some(existing) = existing {
            sources.push(Box::new(existing));
        }
        let mut ents = AtomicFile::create(&self.dir.join("entities.csv"))?;
        let mut trips = AtomicFile::create(&self.dir.join("triples.csv"))?;
        let mut docs = AtomicFile::create(&self.dir.join("documents.csv"))?;
        ents.write(&header_bytes(ENTITIES_HEADER, self.opts))?;
        trips.write(&header_bytes(TRIPLES_HEADER, self.opts))?;
        docs.write(&header_bytes(DOCUMENTS_HEADER, self.opts))?;
        merge(sources, &mut |f| {
            docs.write(&f.doc)?;
            ents.write(&f.entities)?;
            trips.write(&f.triples)
        })?;
        let files = [ents.prepare()?, trips.prepare()?, docs.prepare()?];
        self.replace(files, &manifest)
    }

    /// Write the manifest, then put it and the CSV files in place. Every
    /// file is written whole (a full disk fails here) before the first
    /// rename, so a failed run leaves the previous output as it was.
    fn replace(&self, files: [Prepared; 3], manifest: &Manifest) -> Result<()> {
        let mut m = AtomicFile::create(&Manifest::path(&self.dir))?;
        m.write(&manifest.to_bytes())?;
        let m = m.prepare()?;
        for f in files {
            f.persist()?;
        }
        m.persist()
    }
}

impl Sink for SortedCsv {
    fn accept(&mut self, mut out: DocOutput) -> Result<()> {
        let f = match out.encoded.take() {
            Some(Encoded::Csv(f)) => f,
            _ => Fragment::new(&out, self.opts),
        };
        let duplicate = !out.doc.duplicate_of.is_empty();
        self.accept_fragment(f, out.hash, out.sketch, duplicate)
    }
}

impl SortedCsv {
    /// Take one document's formatted rows, its content hash (0: skipped)
    /// and its sketch, which the manifest keeps unless the document is a
    /// near-duplicate (only first articles seed later runs' index).
    pub fn accept_fragment(
        &mut self,
        f: Fragment,
        hash: u128,
        sketch: Option<Sketch>,
        duplicate: bool,
    ) -> Result<()> {
        let seed = sketch.filter(|_| !duplicate);
        self.hashes.push((f.id.clone(), hash, seed));
        if self.in_order {
            if self.direct.is_none() {
                self.direct = Some(Direct::create(&self.dir, self.opts)?);
            }
            if let Some(d) = &mut self.direct
                && d.last.as_deref().is_none_or(|last| f.id.as_str() > last)
            {
                d.write(&f)?;
                d.last = Some(f.id.clone());
                return Ok(());
            }
            self.in_order = false;
        }
        self.mem_bytes += f.size();
        self.mem.push(f);
        if self.mem_bytes > self.budget {
            self.spill()?;
        }
        Ok(())
    }
}

/// Runs merged at once; more are first folded into one.
const MAX_RUNS: usize = 64;

fn open_runs(runs: &[tempfile::NamedTempFile]) -> Result<Vec<Box<dyn Run>>> {
    let mut sources: Vec<Box<dyn Run>> = Vec::new();
    for run in runs {
        let f = run.reopen().map_err(|e| Error::io(run.path(), e))?;
        sources.push(Box::new(FileRun {
            r: BufReader::with_capacity(1 << 16, f),
            path: run.path().to_path_buf(),
        }));
    }
    Ok(sources)
}

/// Hand the fragments of `sources` to `emit` in doc_id order. For equal ids
/// only the first source's fragment is kept: new documents come before the
/// existing output, so a document processed again replaces its old rows.
fn merge(
    mut sources: Vec<Box<dyn Run>>,
    emit: &mut dyn FnMut(Fragment) -> Result<()>,
) -> Result<()> {
    let mut heads: Vec<Option<Fragment>> = Vec::with_capacity(sources.len());
    let mut heap = BinaryHeap::new();
    for (i, s) in sources.iter_mut().enumerate() {
        let f = s.next_fragment()?;
        if let Some(f) = &f {
            heap.push(Reverse((f.id.clone(), i)));
        }
        heads.push(f);
    }
    let mut last: Option<String> = None;
    while let Some(Reverse((id, i))) = heap.pop() {
        let f = heads[i].take().expect("a heap entry has a head");
        let next = sources[i].next_fragment()?;
        if let Some(n) = &next {
            heap.push(Reverse((n.id.clone(), i)));
        }
        heads[i] = next;
        if last.as_deref() == Some(id.as_str()) {
            continue;
        }
        emit(f)?;
        last = Some(id);
    }
    Ok(())
}

/// A source of fragments in doc_id order.
trait Run {
    fn next_fragment(&mut self) -> Result<Option<Fragment>>;
}

impl Run for std::vec::IntoIter<Fragment> {
    fn next_fragment(&mut self) -> Result<Option<Fragment>> {
        Ok(self.next())
    }
}

fn write_fragment(w: &mut impl Write, f: &Fragment) -> std::io::Result<()> {
    for part in [f.id.as_bytes(), &f.doc, &f.entities, &f.triples] {
        w.write_all(&(part.len() as u64).to_le_bytes())?;
        w.write_all(part)?;
    }
    Ok(())
}

struct FileRun {
    r: BufReader<File>,
    path: PathBuf,
}

impl FileRun {
    fn part(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut len = [0u8; 8];
        match self.r.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let mut buf = vec![0; u64::from_le_bytes(len) as usize];
        self.r.read_exact(&mut buf)?;
        Ok(Some(buf))
    }
}

impl Run for FileRun {
    fn next_fragment(&mut self) -> Result<Option<Fragment>> {
        let path = self.path.clone();
        let io = |e| Error::io(&path, e);
        let Some(id) = self.part().map_err(io)? else {
            return Ok(None);
        };
        let mut parts = Vec::with_capacity(3);
        for _ in 0..3 {
            let p = self
                .part()
                .map_err(io)?
                .ok_or_else(|| Error::msg(format!("{}: truncated run file", path.display())))?;
            parts.push(p);
        }
        let triples = parts.pop().unwrap_or_default();
        let entities = parts.pop().unwrap_or_default();
        let doc = parts.pop().unwrap_or_default();
        Ok(Some(Fragment {
            id: String::from_utf8_lossy(&id).into_owned(),
            doc,
            entities,
            triples,
        }))
    }
}

/// The rows already in an output directory, grouped by document.
struct ExistingRun {
    docs: Table,
    entities: Table,
    triples: Table,
}

/// One existing CSV file read record by record, with one record of lookahead.
struct Table {
    path: PathBuf,
    reader: Option<csv::Reader<File>>,
    next: Option<csv::ByteRecord>,
    id_column: usize,
    width: usize,
}

impl Table {
    fn open(path: PathBuf, id_column: usize, width: usize) -> Result<Table> {
        let reader = match File::open(&path) {
            Ok(f) => Some(csv::ReaderBuilder::new().flexible(true).from_reader(f)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&path, e)),
        };
        let mut t = Table {
            path,
            reader,
            next: None,
            id_column,
            width,
        };
        t.advance()?;
        Ok(t)
    }

    fn advance(&mut self) -> Result<()> {
        self.next = None;
        if let Some(r) = &mut self.reader {
            let mut rec = csv::ByteRecord::new();
            if r.read_byte_record(&mut rec)
                .map_err(|e| Error::csv(&self.path, e))?
            {
                // Rows from a version with fewer columns get empty new ones.
                while rec.len() < self.width {
                    rec.push_field(b"");
                }
                self.next = Some(rec);
            }
        }
        Ok(())
    }

    fn id(&self) -> Option<&[u8]> {
        self.next.as_ref().and_then(|r| r.get(self.id_column))
    }

    /// Move the rows of document `id` into `out` as CSV; rows of documents
    /// before it (which documents.csv does not list) are dropped.
    fn take(&mut self, id: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let mut w = csv::Writer::from_writer(Vec::new());
        while let Some(cur) = self.id() {
            if cur > id {
                break;
            }
            if cur == id
                && let Some(rec) = &self.next
            {
                w.write_byte_record(rec)
                    .map_err(|e| Error::csv(&self.path, e))?;
            }
            self.advance()?;
        }
        out.extend(
            w.into_inner()
                .map_err(|e| Error::io(&self.path, e.into_error()))?,
        );
        Ok(())
    }
}

impl ExistingRun {
    fn open(dir: &Path) -> Result<Option<ExistingRun>> {
        let docs = dir.join("documents.csv");
        if !docs.exists() {
            return Ok(None);
        }
        ExistingRun::from_paths(&docs, &dir.join("entities.csv"), &dir.join("triples.csv"))
            .map(Some)
    }

    /// The three files of an output, read together (a missing entities or
    /// triples file reads as empty).
    fn from_paths(docs: &Path, entities: &Path, triples: &Path) -> Result<ExistingRun> {
        Ok(ExistingRun {
            docs: Table::open(docs.to_path_buf(), 0, DOCUMENTS_HEADER.len())?,
            entities: Table::open(entities.to_path_buf(), 0, ENTITIES_HEADER.len())?,
            triples: Table::open(triples.to_path_buf(), 4, TRIPLES_HEADER.len())?,
        })
    }
}

impl Run for ExistingRun {
    fn next_fragment(&mut self) -> Result<Option<Fragment>> {
        let Some(id) = self.docs.id().map(<[u8]>::to_vec) else {
            return Ok(None);
        };
        let mut f = Fragment {
            id: String::from_utf8_lossy(&id).into_owned(),
            ..Fragment::default()
        };
        self.docs.take(&id, &mut f.doc)?;
        self.entities.take(&id, &mut f.entities)?;
        self.triples.take(&id, &mut f.triples)?;
        Ok(Some(f))
    }
}
