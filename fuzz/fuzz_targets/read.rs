//! The input readers on arbitrary bytes: the first byte picks the file name
//! (and so the format and compression) the rest is read as.
#![no_main]

use std::sync::atomic::AtomicU64;

use accord_io::input::{Located, Outcome, ReadOptions, read_from};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "", "a.txt", "a.html", "a.jsonl", "a.warc", "a.jsonl.gz", "a.warc.gz", "a.jsonl.zst",
    "a.jsonl.bz2", "a.gz",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    let opts = ReadOptions {
        max_article_bytes: 1 << 16,
        ..ReadOptions::default()
    };
    let mut n = 0;
    read_from(&Located::stream("f", "f", name), bytes, &opts, &AtomicU64::new(0), &mut |o| {
        n += 1;
        if let Outcome::Ok(d) = &o {
            assert!(!d.text.trim().is_empty());
            // Lossy decoding can triple invalid bytes; nothing exceeds the limit otherwise.
            assert!(d.text.len() <= 3 * opts.max_article_bytes + 16);
        }
        n < 10_000
    });
});
