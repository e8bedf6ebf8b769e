//! accord's benchmarks: [`synth`] generates news-like articles and
//! gazetteers of any size, [`bench`](mod@bench) measures throughput and peak
//! memory on them (`accord bench`), [`roofline`] times each stage of a run
//! alone (`accord bench --roofline`). Not part of the extraction: nothing in
//! `accord-core` or `accord-io` depends on it.

#![deny(missing_docs)]

pub mod adversarial;
pub mod bench;
pub mod roofline;
pub mod synth;
