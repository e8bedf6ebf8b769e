//! What a file is: its compression and its format, from the name, checked
//! against the first bytes of the content.
//!
//! The name decides what a file is expected to be (`a.jsonl.zst` is zstd
//! around JSONL); the content must agree (a `.gz` without the gzip magic is
//! reported, not guessed at). Standard input and files without a known
//! extension are recognised from their content alone.

use std::io::{BufRead, BufReader, Read};

use super::gzmembers::{Damage, GzMembers};

/// How the bytes are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (including multi-member files such as `.warc.gz`).
    Gzip,
    /// Zstandard.
    Zstd,
    /// bzip2.
    Bzip2,
}

/// What the (decompressed) bytes hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One article of plain text or Markdown.
    Text,
    /// One article as an HTML page.
    Html,
    /// One article per line, as JSON objects.
    Jsonl,
    /// A WARC file whose response records hold HTML pages.
    Warc,
    /// An ARC file (the Internet Archive's format before WARC).
    Arc,
}

impl Format {
    /// The name used on the command line and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Warc => "warc",
            Format::Arc => "arc",
        }
    }

    /// Parse a `--input-format` value.
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" | "md" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "warc" => Some(Format::Warc),
            "arc" => Some(Format::Arc),
            _ => None,
        }
    }
}

impl Compression {
    fn from_ext(ext: &str) -> Option<Compression> {
        match ext {
            "gz" | "gzip" => Some(Compression::Gzip),
            "zst" | "zstd" => Some(Compression::Zstd),
            "bz2" => Some(Compression::Bzip2),
            _ => None,
        }
    }

    /// Sniff the compression from the first bytes.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else if head.starts_with(b"BZh") {
            Compression::Bzip2
        } else {
            Compression::None
        }
    }

    /// The name used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
        }
    }
}

/// What a file name says: its compression, and its format when the name shows it.
pub fn from_name(name: &str) -> (Compression, Option<Format>) {
    let lower = name.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.rsplitn(3, '.').collect();
    parts.pop(); // the stem
    let mut exts = parts.into_iter();
    let Some(last) = exts.next() else {
        return (Compression::None, None);
    };
    match Compression::from_ext(last) {
        Some(c) => (c, exts.next().and_then(Format::parse)),
        None => (Compression::None, Format::parse(last)),
    }
}

/// True when a directory walk should read a file with this name.
pub fn is_readable_name(name: &str) -> bool {
    from_name(name).1.is_some()
}

/// Sniff the format of decompressed content from its first bytes.
pub fn sniff_format(head: &[u8]) -> Format {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let trimmed = head.trim_ascii_start();
    if trimmed.starts_with(b"WARC/") {
        Format::Warc
    } else if trimmed.starts_with(b"filedesc://") {
        Format::Arc
    } else if trimmed.starts_with(b"{") || json_array(trimmed) {
        Format::Jsonl
    } else if looks_like_html(trimmed) {
        Format::Html
    } else {
        Format::Text
    }
}

/// An array of JSON objects (`[` then `{` or `]`).
fn json_array(trimmed: &[u8]) -> bool {
    trimmed
        .strip_prefix(b"[")
        .is_some_and(|rest| matches!(rest.trim_ascii_start().first(), Some(b'{' | b']') | None))
}

fn looks_like_html(head: &[u8]) -> bool {
    let start: Vec<u8> = head.iter().take(64).map(u8::to_ascii_lowercase).collect();
    start.starts_with(b"<!doctype html")
        || start.starts_with(b"<html")
        || start.starts_with(b"<?xml")
}

/// Is the content plausibly of the format the name says?
pub fn agrees(format: Format, head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let trimmed = head.trim_ascii_start();
    match format {
        Format::Warc => trimmed.starts_with(b"WARC/"),
        Format::Arc => trimmed.starts_with(b"filedesc://"),
        Format::Jsonl => trimmed.is_empty() || trimmed.starts_with(b"{") || json_array(trimmed),
        Format::Html | Format::Text => true,
    }
}

/// A decompressed stream and the log of the damage found in it.
pub struct Decompressed<'a> {
    /// The decompressed bytes.
    pub reader: Box<dyn BufRead + Send + 'a>,
    /// The gzip members that could not be decoded and were passed over
    /// ([`GzMembers`]); filled while `reader` is read, and always empty
    /// for other compressions. Whoever reads `reader` must report it.
    pub damage: Damage,
}

/// Wrap `raw` in the decoder its first bytes call for. The name's
/// compression (`named`) must agree with the content; a mismatch is an
/// error message.
///
/// gzip is read member by member ([`GzMembers`]): a damaged member is
/// noted in [`Decompressed::damage`] and reading goes on at the next one,
/// so that one bad member of a multi-member file (a `.warc.gz`, an
/// `.arc.gz`, a concatenated `.jsonl.gz`) costs that member only.
pub fn decompress<'a>(
    raw: impl Read + Send + 'a,
    named: Option<Compression>,
) -> Result<Decompressed<'a>, String> {
    let mut raw = BufReader::with_capacity(1 << 16, raw);
    let head = raw.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
    let found = Compression::sniff(head);
    if let Some(named) = named
        && named != found
    {
        return Err(format!(
            "the name says {} but the content is {}",
            named.as_str(),
            found.as_str()
        ));
    }
    let mut damage = Damage::default();
    let reader: Box<dyn BufRead + Send + 'a> = match found {
        Compression::None => Box::new(raw),
        Compression::Gzip => {
            let members = GzMembers::new(raw);
            damage = members.damage();
            Box::new(BufReader::with_capacity(1 << 16, members))
        }
        Compression::Zstd => Box::new(BufReader::with_capacity(
            1 << 16,
            zstd::stream::read::Decoder::with_buffer(raw)
                .map_err(|e| format!("cannot start zstd: {e}"))?,
        )),
        Compression::Bzip2 => Box::new(BufReader::with_capacity(
            1 << 16,
            bzip2::bufread::MultiBzDecoder::new(raw),
        )),
    };
    Ok(Decompressed { reader, damage })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            from_name("2026-11-22.jsonl.zst"),
            (Compression::Zstd, Some(Format::Jsonl))
        );
        assert_eq!(
            from_name("CC-NEWS-1.warc.gz"),
            (Compression::Gzip, Some(Format::Warc))
        );
        assert_eq!(from_name("a.TXT"), (Compression::None, Some(Format::Text)));
        assert_eq!(from_name("a.html"), (Compression::None, Some(Format::Html)));
        assert_eq!(from_name("a.gz"), (Compression::Gzip, None));
        assert_eq!(from_name("README"), (Compression::None, None));
        assert_eq!(from_name("a.pdf"), (Compression::None, None));
        assert!(!is_readable_name("a.pdf"));
        assert!(is_readable_name("x.ndjson.bz2"));
    }

    #[test]
    fn content() {
        assert_eq!(sniff_format(b"  {\"id\":1}"), Format::Jsonl);
        assert_eq!(sniff_format(b"WARC/1.0\r\n"), Format::Warc);
        assert_eq!(sniff_format(b"<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff_format(b"India and France"), Format::Text);
        assert!(!agrees(Format::Warc, b"hello"));
        let err = decompress(&b"plain"[..], Some(Compression::Gzip))
            .err()
            .unwrap();
        assert!(err.contains("name says gzip"), "{err}");
    }
}
