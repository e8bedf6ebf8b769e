//! The manifest of an output directory: which articles its CSV files hold,
//! by doc_id and content hash, and which gazetteers and accord version made
//! them. `extract --incremental` reads it to skip articles it has already
//! processed; every CSV run rewrites it, last, after the CSV files.
//!
//! The file is `accord-manifest.csv`: a `# fingerprint <hex>` line, then a
//! CSV table `doc_id,content_hash`. Deleting it makes the next incremental
//! run process everything again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// File name of the manifest in an output directory.
pub const FILE: &str = "accord-manifest.csv";

/// What an output directory holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Fingerprint of the gazetteers and accord version that made the rows.
    pub fingerprint: String,
    /// doc_id → content hash of every article whose rows are in the files.
    pub docs: HashMap<String, u128>,
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
        let mut r = csv::Reader::from_reader(rest.as_bytes());
        for (i, rec) in r.records().enumerate() {
            let line = i + 3;
            let rec = rec.map_err(|e| Error::csv(&path, e))?;
            let hash = rec
                .get(1)
                .and_then(|h| u128::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    Error::msg(format!("{}:{line}: bad content hash", path.display()))
                })?;
            docs.insert(rec.get(0).unwrap_or_default().to_string(), hash);
        }
        Ok(Some(Manifest { fingerprint, docs }))
    }

    /// The manifest as file bytes, sorted by doc_id.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("# fingerprint {}\n", self.fingerprint).into_bytes();
        let mut ids: Vec<(&String, &u128)> = self.docs.iter().collect();
        ids.sort();
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["doc_id", "content_hash"]);
        for (id, h) in ids {
            let _ = w.write_record([id.as_str(), &format!("{h:032x}")]);
        }
        out.extend(w.into_inner().unwrap_or_default());
        out
    }
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
        m.docs.insert("a,\"b\"".into(), 7);
        m.docs.insert("z".into(), u128::MAX);
        std::fs::write(Manifest::path(dir.path()), m.to_bytes()).unwrap();
        assert_eq!(Manifest::load(dir.path()).unwrap(), Some(m));
        std::fs::write(Manifest::path(dir.path()), "junk\n").unwrap();
        assert!(Manifest::load(dir.path()).is_err());
    }
}
