//! `accord inputs`: name and order a file listing as `extract` would.
//!
//! A job that lists files accord cannot walk itself (Apache Spark on a
//! distributed filesystem) sends the listing here, one JSON object per line
//! on standard input: `{"given": "in/", "path": ["2024", "a.jsonl.gz"]}` for
//! a file under an input directory, `{"given": "x/b.warc.gz", "path": null}`
//! for a file given itself. accord writes one JSON line per file it would
//! read, in its reading order: `{"index": 1, "doc_id": "2024/a", "source":
//! "in/2024/a.jsonl.gz", "format": "jsonl", "compression": "gzip"}` (`index`
//! is the line's position in the listing, from 0; `format` is null when the
//! name shows none). Files it would not read are left out.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use clap::Args;
use serde::Deserialize;

use accord_core::error::{Error, Result};
use accord_io::input::naming::{Listed, name_listing};

/// Arguments of `accord inputs`.
#[derive(Debug, Args, Default)]
pub struct InputsArgs {}

#[derive(Deserialize)]
struct Line {
    given: String,
    path: Option<Vec<String>>,
}

/// Read the listing on standard input, write the named files on standard output.
pub fn run(_args: InputsArgs) -> Result<ExitCode> {
    let stdin = std::io::stdin();
    let mut listing = Vec::new();
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| Error::io("-", e))?;
        if line.trim().is_empty() {
            continue;
        }
        let l: Line = serde_json::from_str(&line)
            .map_err(|e| Error::row("-", n as u64 + 1, format!("not a listing line: {e}")))?;
        listing.push(Listed {
            given: l.given,
            rel: l.path,
        });
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for f in name_listing(&listing) {
        let line = serde_json::json!({
            "index": f.index,
            "doc_id": f.doc_id,
            "source": f.source,
            "format": f.format.map(|x| x.as_str()),
            "compression": f.compression.as_str(),
        });
        writeln!(out, "{line}").map_err(|e| Error::io("-", e))?;
    }
    out.flush().map_err(|e| Error::io("-", e))?;
    Ok(ExitCode::SUCCESS)
}
