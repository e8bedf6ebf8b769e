//! The line sink: one JSON object per article, in input order, written as
//! soon as the article is done. This is what a shell or Spark pipeline
//! reads from `accord extract - --format jsonl`.
//!
//! Each line holds the article's documents.csv fields, then `entities` and
//! `triples` arrays whose objects have the CSV columns as keys. Cells are
//! not neutralized for spreadsheets: JSON is not opened in one.

use std::io::Write;

use serde::Serialize;

use crate::run::{DocOutput, Encoded, Sink};
use accord_core::error::{Error, Result};

/// Writes one JSON line per article to a stream.
pub struct JsonLines<W: Write + Send> {
    out: W,
}

impl<W: Write + Send> JsonLines<W> {
    /// Write to `out` (buffer it: every article is one write).
    pub fn new(out: W) -> JsonLines<W> {
        JsonLines { out }
    }

    /// Flush what is buffered.
    pub fn finish_stream(&mut self) -> Result<()> {
        self.out.flush().map_err(stream_error)
    }
}

fn stream_error(e: std::io::Error) -> Error {
    Error::msg(format!("cannot write the JSONL output: {e}"))
}

#[derive(Serialize)]
struct Line<'a> {
    doc_id: &'a str,
    source: &'a str,
    title: &'a str,
    date: &'a str,
    url: &'a str,
    bytes: usize,
    status: &'a str,
    warnings: &'a str,
    duplicate_of: &'a str,
    entities: Vec<Entity<'a>>,
    triples: Vec<Triple<'a>>,
}

#[derive(Serialize)]
struct Entity<'a> {
    #[serde(rename = "type")]
    etype: &'a str,
    canonical: &'a str,
    entity_id: &'a str,
    text: &'a str,
    start: usize,
    end: usize,
    rule: &'a str,
}

#[derive(Serialize)]
struct Triple<'a> {
    subject: &'a str,
    object: &'a str,
    relation: &'a str,
    kind: &'a str,
    evidence: &'a str,
    subject_type: &'a str,
    object_type: &'a str,
    date: &'a str,
    evidence_start: usize,
    evidence_end: usize,
    status: &'a str,
    confidence: f64,
    rule: &'a str,
}

impl<W: Write + Send> Sink for JsonLines<W> {
    fn accept(&mut self, mut d: DocOutput) -> Result<()> {
        let bytes = match d.encoded.take() {
            Some(Encoded::Line(b)) => b,
            _ => encode(&d),
        };
        self.out.write_all(&bytes).map_err(stream_error)
    }
}

/// One document as a JSON line, with its newline.
pub fn encode(d: &DocOutput) -> Vec<u8> {
    {
        let line = Line {
            doc_id: &d.doc.doc_id,
            source: &d.doc.source,
            title: &d.doc.title,
            date: &d.doc.date,
            url: &d.doc.url,
            bytes: d.doc.bytes,
            status: &d.doc.status,
            warnings: &d.doc.warnings,
            duplicate_of: &d.doc.duplicate_of,
            entities: d
                .entities
                .iter()
                .map(|e| Entity {
                    etype: e.etype.as_str(),
                    canonical: &e.canonical,
                    entity_id: &e.entity_id,
                    text: &e.text,
                    start: e.start,
                    end: e.end,
                    rule: e.rule,
                })
                .collect(),
            triples: d
                .triples
                .iter()
                .map(|t| Triple {
                    subject: &t.subject,
                    object: &t.object,
                    relation: &t.relation,
                    kind: t.kind.as_str(),
                    evidence: &t.evidence,
                    subject_type: t.subject_type.as_str(),
                    object_type: t.object_type.as_str(),
                    date: &t.date,
                    evidence_start: t.evidence_start,
                    evidence_end: t.evidence_end,
                    status: t.status.as_str(),
                    // Two decimals, as in triples.csv.
                    confidence: (f64::from(t.confidence) * 100.0).round() / 100.0,
                    rule: t.rule.name(),
                })
                .collect(),
        };
        // Serializing plain strings and numbers to memory cannot fail.
        let mut out = serde_json::to_vec(&line).unwrap_or_default();
        out.push(b'\n');
        out
    }
}
