//! accord turns news articles about international space cooperation into data.
//!
//! ```text
//! read ─▶ normalize ─▶ segment ─▶ match + recognize ─▶ resolve ─▶ relate ─▶ write
//! input    normalize    segment    matcher, recognize   resolve    relate    output
//! Document Normalized   Segments   Candidate, Proposal  Entity     Triple    CSV rows
//! ```
//!
//! - [`input`] finds files and decodes them ([`input::Document`]).
//! - [`normalize`] gives a matching view of the text with a map back to the
//!   original offsets.
//! - [`segment`] finds the title, boilerplate blocks and sentences.
//! - [`gazetteer`] loads the CSV gazetteers; [`matcher`] searches all their
//!   aliases at once with Aho-Corasick; [`cache`] saves what precedes the
//!   automaton for a large `--gazetteers` directory, so later runs skip it.
//! - [`recognize`] proposes names that no gazetteer lists: acronym
//!   definitions, titled persons, instruments, dialogues, dates.
//! - [`resolve`] chooses one entity per mention.
//! - [`relate`] reads cooperation and role triples from the resolved
//!   entities and the sentences, each with its rule and evidence.
//! - [`pipeline`] runs the stages per document, documents in parallel;
//!   [`output`] writes sorted, spreadsheet-safe CSV files atomically.
//!
//! [`aggregate`] folds the rows of many articles into one row per
//! cooperation. [`eval`] scores the output against hand-made gold sets; [`synth`] generates
//! benchmark data and [`bench`](mod@bench) measures throughput (`accord bench`).
//!
//! The command line lives in [`cli`]; no stage depends on it.

#![deny(missing_docs)]

pub mod aggregate;
pub mod bench;
pub mod cache;
pub mod cli;
pub mod config;
pub mod dedupe;
pub mod error;
pub mod eval;
pub mod gazetteer;
pub mod input;
pub mod matcher;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod recognize;
pub mod relate;
pub mod resolve;
pub mod segment;
pub mod synth;
pub mod text;

pub use error::{Error, Result};
