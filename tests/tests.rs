//! One integration-test binary: runs the real `accord` executable in
//! temporary work directories.

mod util;

mod aggregate;
mod bench;
mod cache;
mod chunks;
mod eval;
mod extract;
mod formats;
mod gazetteer;
mod gazetteer_tools;
mod guard;
mod hostile;
mod inputs;
mod properties;
mod realworld;
mod relate;
mod report;
mod safety;
mod scale;
