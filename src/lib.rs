//! The `accord` command line and what only it does: evaluation against gold
//! sets, aggregation across articles, merging the pieces of a run.
//!
//! The pipeline lives in the workspace's crates, each importing only those
//! before it:
//!
//! ```text
//! accord-core   text ─▶ lexicon ─▶ gazetteer ─▶ matcher ─▶ recognize ─▶ resolve ─▶ relate ─▶ engine
//! accord-io     input ─▶ run (workers call the engine) ─▶ output, dedupe
//! accord        cli (extract, eval, aggregate, report, merge, gazetteer, bench)
//! accord-bench  synth, bench (measurement only)
//! ```
//!
//! [`cli`] is the only module that reads flags or prints to the user.

#![deny(missing_docs)]

pub mod aggregate;
pub mod cli;
pub mod config;
pub mod eval;
pub mod report;
pub mod suggest;

pub use accord_core::error::{Error, Result};
