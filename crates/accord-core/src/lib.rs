//! accord's core: one article's text in, entity and triple rows out.
//!
//! ```text
//! Document ─▶ normalize ─▶ segment ─▶ match + recognize ─▶ resolve ─▶ relate ─▶ rows
//! document    text::normalize  text::segment  matcher, recognize  resolve  relate  engine
//! ```
//!
//! Modules in pipeline order; each imports only those above it:
//! - [`error`]: the typed error every stage returns.
//! - [`text`]: character helpers, [`text::normalize`] (a matching view of the
//!   text with a map back to the original offsets) and [`text::segment`]
//!   (title, boilerplate blocks, sentences).
//! - [`lexicon`]: the words of a language the rules read (months, name
//!   particles, status verbs, instrument nouns …), as data.
//! - [`document`]: the article as read.
//! - [`gazetteer`]: the CSV gazetteers; [`matcher`] searches all their aliases
//!   at once with Aho-Corasick; [`cache`] saves what precedes the automaton
//!   for a large gazetteer directory.
//! - [`recognize`]: names that no gazetteer lists: acronym definitions,
//!   titled persons, instruments, dialogues, dates.
//! - [`resolve`]: one entity per mention.
//! - [`relate`]: cooperation and role triples, from a registry of named rules.
//! - [`engine`]: the stages run on one document, and its rows.
//! - [`budget`]: what one article may cost (a deadline passed in by the
//!   caller, a cap on mentions), checked inside the stages' loops.
//!
//! The core reads no files but gazetteers and their cache, parses no flags,
//! reads no environment variables and shows no progress: that is `accord-io`'s
//! and the `accord` binary's work.

#![deny(missing_docs)]

pub mod budget;
pub mod cache;
pub mod document;
pub mod engine;

pub mod error;
pub mod gazetteer;
pub mod lexicon;
pub mod matcher;
pub mod recognize;
pub mod relate;
pub mod resolve;
#[cfg(test)]
mod testing;
pub mod text;

pub use error::{Error, Result};
