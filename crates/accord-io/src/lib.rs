//! accord's input and output: files to documents, rows to files, and the
//! parallel run between them.
//!
//! ```text
//! files ─▶ input ─▶ run (workers: accord_core::engine) ─▶ output ─▶ CSV / JSON lines
//! ```
//!
//! - [`input`] finds files and decodes them into documents (text, HTML,
//!   JSONL, WARC, compressed or not).
//! - [`run`] reads, analyses in parallel and hands each document's rows, in
//!   input order, to a sink; it makes doc_ids unique in a run.
//! - [`dedupe`] flags near-duplicate articles (MinHash sketches).
//! - [`output`] writes sorted, spreadsheet-safe CSV files atomically, JSON
//!   lines, shards and the run manifest.

#![deny(missing_docs)]

pub mod dedupe;
pub mod input;
pub mod output;
pub mod run;
pub mod wikidata;
