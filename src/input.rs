//! Reading inputs: files and directories (walked recursively) or standard
//! input, into documents with the contract's `doc_id`.
//!
//! Bytes first, decoded at the edge: a UTF-8 byte-order mark is stripped, a
//! file with a NUL byte in its first 8 KiB is binary and skipped, invalid
//! UTF-8 is replaced with U+FFFD and flagged. Offsets in the output refer to
//! the text after these steps ("the text as accord read it").

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Extensions read when walking a directory.
pub const TEXT_EXTENSIONS: &[&str] = &["txt", "md"];

/// One input argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file or directory.
    Path(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

/// A document to read: where it is and what it is called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The contract's doc_id.
    pub id: String,
    /// Path as given or found (or `-`).
    pub source: String,
    path: Option<PathBuf>,
}

/// A document's text as accord read it.
#[derive(Clone, Debug)]
pub struct Document {
    /// doc_id.
    pub id: String,
    /// Where it came from.
    pub source: String,
    /// The decoded text.
    pub text: String,
    /// Problems that did not stop the read (invalid UTF-8 replaced).
    pub warnings: Vec<String>,
}

/// The outcome of reading one located document.
#[derive(Debug)]
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

/// List the documents named by `inputs`, in a stable order.
///
/// Directories are walked recursively in name order; hidden entries are
/// skipped; only files with a [`TEXT_EXTENSIONS`] extension are taken from a
/// directory, while a file named directly is read whatever its extension.
pub fn locate(inputs: &[Input]) -> Result<Vec<Located>> {
    let mut out = Vec::new();
    for input in inputs {
        match input {
            Input::Stdin => out.push(Located {
                id: "stdin".into(),
                source: "-".into(),
                path: None,
            }),
            Input::Path(p) => {
                let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
                if meta.is_dir() {
                    let mut files = Vec::new();
                    walk(p, &mut files)?;
                    files.sort();
                    for f in files {
                        let rel = f.strip_prefix(p).unwrap_or(&f);
                        out.push(Located {
                            id: rel_id(rel),
                            source: f.display().to_string(),
                            path: Some(f),
                        });
                    }
                } else {
                    let stem = p
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| p.display().to_string());
                    out.push(Located {
                        id: stem,
                        source: p.display().to_string(),
                        path: Some(p.clone()),
                    });
                }
            }
        }
    }
    disambiguate(&mut out);
    Ok(out)
}

/// `2024/a.txt` -> `2024/a`.
fn rel_id(rel: &Path) -> String {
    let no_ext = rel.with_extension("");
    no_ext
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Two files that would share a doc_id (`a.txt`, `a.md`): the later keeps its extension.
fn disambiguate(docs: &mut [Located]) {
    let mut seen = std::collections::HashSet::new();
    for d in docs.iter_mut() {
        if !seen.insert(d.id.clone()) {
            let ext = d
                .path
                .as_ref()
                .and_then(|p| p.extension())
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut id = format!("{}.{}", d.id, ext);
            let mut n = 2;
            while !seen.insert(id.clone()) {
                id = format!("{}.{}~{n}", d.id, ext);
                n += 1;
            }
            d.id = id;
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for ent in rd {
        let ent = ent.map_err(|e| Error::io(dir, e))?;
        let name = ent.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = ent.path();
        let ft = ent.file_type().map_err(|e| Error::io(&path, e))?;
        if ft.is_dir() || (ft.is_symlink() && path.is_dir()) {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| TEXT_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Read and decode one located document.
pub fn read(loc: &Located) -> Outcome {
    let bytes = match &loc.path {
        Some(p) => std::fs::read(p),
        None => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        }
    };
    match bytes {
        Ok(b) => decode(&loc.id, &loc.source, b),
        Err(e) => Outcome::Skipped {
            id: loc.id.clone(),
            source: loc.source.clone(),
            bytes: 0,
            reason: format!("cannot read: {e}"),
        },
    }
}

/// Decode bytes into a document (or a reason to skip it).
pub fn decode(id: &str, source: &str, bytes: Vec<u8>) -> Outcome {
    let skipped = |bytes: usize, reason: String| Outcome::Skipped {
        id: id.to_string(),
        source: source.to_string(),
        bytes,
        reason,
    };
    let len = bytes.len();
    if let Some(pos) = bytes[..len.min(8192)].iter().position(|&b| b == 0) {
        return skipped(len, format!("binary file (NUL byte at offset {pos})"));
    }
    let mut bytes = bytes;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let mut warnings = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            warnings.push(format!("invalid UTF-8 at byte {at}, replaced with U+FFFD"));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    if text.trim().is_empty() {
        return skipped(len, "empty file".into());
    }
    Outcome::Ok(Document {
        id: id.to_string(),
        source: source.to_string(),
        text,
        warnings,
    })
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
        match decode("x", "x", b"\xEF\xBB\xBFIndia".to_vec()) {
            Outcome::Ok(d) => assert_eq!(d.text, "India"),
            other => panic!("{other:?}"),
        }
        match decode("x", "x", b"Ind\xFFia".to_vec()) {
            Outcome::Ok(d) => {
                assert_eq!(d.text, "Ind\u{FFFD}ia");
                assert!(d.warnings[0].contains("byte 3"));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(decode("x", "x", b"ab\0cd".to_vec()), Outcome::Skipped { reason, .. } if reason.contains("NUL byte at offset 2"))
        );
        assert!(
            matches!(decode("x", "x", b"  \n".to_vec()), Outcome::Skipped { reason, .. } if reason == "empty file")
        );
    }
}
