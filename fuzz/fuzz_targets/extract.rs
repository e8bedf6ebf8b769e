//! Extraction on arbitrary text: never a panic (the pipeline would turn one
//! into a skipped document, so check that none happened), and every offset
//! slices back to the reported text.
#![no_main]

use std::sync::OnceLock;

use accord_core::gazetteer::Gazetteer;
use accord_io::input::{Document, Outcome};
use accord_core::engine::Engine;
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Gazetteer::load(None).unwrap()).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    if text.trim().is_empty() {
        return;
    }
    let out = accord_io::run::process(engine(), Outcome::Ok(Document {
        id: "f".into(),
        source: "f".into(),
        text: text.clone(),
        ..Document::default()
    }));
    assert_eq!(out.doc.status, "ok", "{}", out.doc.status);
    for e in &out.entities {
        assert_eq!(&text[e.start..e.end], e.text);
    }
    for t in &out.triples {
        assert_eq!(&text[t.evidence_start..t.evidence_end], t.evidence);
    }
});
