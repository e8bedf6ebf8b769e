//! Naming a listing that accord did not walk itself: a Spark job lists the
//! files of a distributed filesystem, and asks `accord inputs` to order and
//! name them exactly as [`locate`](super::locate) would, so the job never
//! re-implements the contract's doc_id rules.

use super::detect::{self, Compression, Format};
use super::{disambiguate_ids, strip_extensions};

/// One file of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The input argument it came from (a file or a directory), as given.
    pub given: String,
    /// Its path components under `given` when `given` is a directory;
    /// `None` when the file was given itself.
    pub rel: Option<Vec<String>>,
}

/// A listed file as `accord extract` would read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    /// Its position in the listing.
    pub index: usize,
    /// The contract's doc_id stem.
    pub doc_id: String,
    /// The source column: `given`, joined with the path under it.
    pub source: String,
    /// The format its name shows, if any.
    pub format: Option<Format>,
    /// The compression its name shows.
    pub compression: Compression,
}

/// The files of `listing` that `accord extract` would read, in its order and
/// with its names: the inputs in the order given; a directory's files
/// sorted by path, only those whose name shows a known format; doc_ids made
/// distinct as [`locate`](super::locate) does. Hidden entries are the
/// walker's to leave out.
pub fn name_listing(listing: &[Listed]) -> Vec<Named> {
    let mut out: Vec<Named> = Vec::new();
    let mut exts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < listing.len() {
        let given = &listing[i].given;
        let mut group: Vec<usize> = Vec::new();
        while i < listing.len() && listing[i].given == *given {
            group.push(i);
            i += 1;
        }
        let is_dir = listing[group[0]].rel.is_some();
        if is_dir {
            group.retain(|&k| {
                listing[k]
                    .rel
                    .as_ref()
                    .and_then(|r| r.last())
                    .is_some_and(|name| detect::is_readable_name(name))
            });
            group.sort_by(|&a, &b| listing[a].rel.cmp(&listing[b].rel));
        }
        for k in group {
            let (name, doc_id, source) = match &listing[k].rel {
                Some(parts) => {
                    let name = parts.last().cloned().unwrap_or_default();
                    let mut id: Vec<String> = parts[..parts.len() - 1].to_vec();
                    id.push(strip_extensions(&name));
                    let source = std::iter::once(given.trim_end_matches('/'))
                        .chain(parts.iter().map(String::as_str))
                        .collect::<Vec<_>>()
                        .join("/");
                    (name, id.join("/"), source)
                }
                None => {
                    let name = given.rsplit('/').next().unwrap_or(given).to_string();
                    (name.clone(), strip_extensions(&name), given.clone())
                }
            };
            let (compression, format) = detect::from_name(&name);
            exts.push(
                std::path::Path::new(&name)
                    .extension()
                    .map(|e| e.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
            out.push(Named {
                index: k,
                doc_id,
                source,
                format,
                compression,
            });
        }
    }
    let mut ids: Vec<(String, String)> = out
        .iter()
        .zip(exts)
        .map(|(n, e)| (n.doc_id.clone(), e))
        .collect();
    disambiguate_ids(&mut ids);
    for (n, (id, _)) in out.iter_mut().zip(ids) {
        n.doc_id = id;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(given: &str, rel: &str) -> Listed {
        Listed {
            given: given.into(),
            rel: Some(rel.split('/').map(String::from).collect()),
        }
    }

    #[test]
    fn names_and_orders_as_locate_does() {
        let listing = vec![
            dir("in/", "b.txt"),
            dir("in/", "2024/a.jsonl.gz"),
            dir("in/", "notes.pdf"),
            dir("in/", "b.md"),
            Listed {
                given: "x/b.warc.gz".into(),
                rel: None,
            },
        ];
        let got: Vec<(usize, String, String, Option<Format>)> = name_listing(&listing)
            .into_iter()
            .map(|n| (n.index, n.doc_id, n.source, n.format))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    1,
                    "2024/a".into(),
                    "in/2024/a.jsonl.gz".into(),
                    Some(Format::Jsonl)
                ),
                (3, "b".into(), "in/b.md".into(), Some(Format::Text)),
                (0, "b.txt".into(), "in/b.txt".into(), Some(Format::Text)),
                (4, "b.gz".into(), "x/b.warc.gz".into(), Some(Format::Warc)),
            ]
        );
    }
}
