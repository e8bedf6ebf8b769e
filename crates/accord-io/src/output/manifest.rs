//! The manifest of an output directory: which articles its CSV files hold,
//! by doc_id and content hash, and which gazetteers and accord version made
//! them. `extract --incremental` reads it to skip articles it has already
//! processed; every CSV run rewrites it, last, after the CSV files.
//!
//! The file is `accord-manifest.csv`: a `# fingerprint <hex>` line, then a
//! CSV table `doc_id,content_hash,sketch`. The sketch (eight hex numbers) is
//! there for articles that are no one's near-duplicate, so that the next
//! incremental run flags a republished copy of them; manifests written
//! before it had no sketch column and still load. Deleting the file makes
//! the next incremental run process everything again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::dedupe::Sketch;
use accord_core::error::{Error, Result};

/// File name of the manifest in an output directory.
pub const FILE: &str = "accord-manifest.csv";

/// What an output directory holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Fingerprint of the gazetteers and accord version that made the rows.
    pub fingerprint: String,
    /// doc_id → content hash of every article whose rows are in the files,
    /// and its near-duplicate sketch if it is no one's duplicate.
    pub docs: HashMap<String, (u128, Option<Sketch>)>,
}

impl Manifest {
    /// Path of the manifest in `dir`.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(FILE)
    }

    /// Read the manifest of `dir`; `None` when there is none.
    pub fn load(dir: &Path) -> Result<Option<Manifest>> {
        let path = Manifest::path(dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let fingerprint = first
            .strip_prefix("# fingerprint ")
            .ok_or_else(|| Error::msg(format!("{}:1: not an accord manifest", path.display())))?
            .trim()
            .to_string();
        let mut docs = HashMap::new();
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(rest.as_bytes());
        for (i, rec) in r.records().enumerate() {
            let line = i + 3;
            let rec = rec.map_err(|e| Error::csv(&path, e))?;
            let bad = |what: &str| Error::msg(format!("{}:{line}: bad {what}", path.display()));
            let hash = rec
                .get(1)
                .and_then(|h| u128::from_str_radix(h, 16).ok())
                .ok_or_else(|| bad("content hash"))?;
            let id = rec.get(0).unwrap_or_default().to_string();
            let sketch = match rec.get(2).filter(|s| !s.is_empty()) {
                Some(s) => Some(parse_sketch(s).ok_or_else(|| bad("sketch"))?),
                None => None,
            };
            docs.insert(id, (hash, sketch));
        }
        Ok(Some(Manifest { fingerprint, docs }))
    }

    /// The manifest as file bytes, sorted by doc_id.
    pub fn to_bytes(&self) -> Vec<u8> {
        let out = format!("# fingerprint {}\n", self.fingerprint).into_bytes();
        let mut ids: Vec<(&String, &(u128, Option<Sketch>))> = self.docs.iter().collect();
        ids.sort();
        // Rows go straight after the fingerprint line: one copy of a file
        // that holds every article of the output.
        let mut w = csv::Writer::from_writer(out);
        let _ = w.write_record(["doc_id", "content_hash", "sketch"]);
        for (id, (h, sketch)) in ids {
            let sketch = sketch.as_ref().map(format_sketch).unwrap_or_default();
            let _ = w.write_record([id.as_str(), &format!("{h:032x}"), &sketch]);
        }
        w.into_inner().unwrap_or_default()
    }
}

fn format_sketch(s: &Sketch) -> String {
    s.iter()
        .map(|v| format!("{v:016x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_sketch(text: &str) -> Option<Sketch> {
    let mut out = Sketch::default();
    let mut parts = text.split(' ');
    for v in out.iter_mut() {
        *v = u64::from_str_radix(parts.next()?, 16).ok()?;
    }
    parts.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Manifest::load(dir.path()).unwrap(), None);
        let mut m = Manifest {
            fingerprint: "abc".into(),
            ..Manifest::default()
        };
        m.docs.insert("a,\"b\"".into(), (7, None));
        m.docs.insert(
            "z".into(),
            (u128::MAX, Some([0, 1, 2, 3, 4, 5, u64::MAX, 7])),
        );
        std::fs::write(Manifest::path(dir.path()), m.to_bytes()).unwrap();
        assert_eq!(Manifest::load(dir.path()).unwrap(), Some(m));
        // A manifest from before the sketch column.
        std::fs::write(
            Manifest::path(dir.path()),
            "# fingerprint abc\ndoc_id,content_hash\nz,0000000000000000000000000000000f\n",
        )
        .unwrap();
        let old = Manifest::load(dir.path()).unwrap().unwrap();
        assert_eq!(old.docs["z"], (15, None));
        std::fs::write(
            Manifest::path(dir.path()),
            "# fingerprint abc\ndoc_id,content_hash,sketch\nz,f,1 2\n",
        )
        .unwrap();
        assert!(Manifest::load(dir.path()).is_err());
        std::fs::write(Manifest::path(dir.path()), "junk\n").unwrap();
        assert!(Manifest::load(dir.path()).is_err());
    }
}
