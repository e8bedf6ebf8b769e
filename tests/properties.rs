//! Property tests: offsets always slice to the reported text, output does
//! not depend on the thread count, neutralized CSV cells round-trip.

use std::sync::OnceLock;

use accord_core::engine::Engine;
use accord_core::gazetteer::Gazetteer;
use accord_io::input::{Document, Input, Outcome};
use accord_io::output::{CsvOptions, guard};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Gazetteer::load(None).unwrap()).unwrap())
}

/// Text made of names accord knows, words, punctuation and odd characters.
fn article() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("India".to_string()),
        Just("the Indian Space Research Organisation (ISRO)".to_string()),
        Just("Indo-French".to_string()),
        Just("NASA".to_string()),
        Just("Anne-Marie Descôtes".to_string()),
        Just("Letter of Intent on Defence Space Cooperation".to_string()),
        Just("Foreign Secretary Vinay Kwatra".to_string()),
        Just("signed".to_string()),
        Just(" and ".to_string()),
        Just(". ".to_string()),
        Just("\n\n".to_string()),
        Just("March 4, 2024".to_string()),
        Just("\u{201c}".to_string()),
        Just("\u{00a0}".to_string()),
        Just("e\u{0301}".to_string()),
        Just("\u{200b}".to_string()),
        "[a-zA-Z]{1,8}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn offsets_slice_to_the_reported_text(text in article()) {
        let out = accord_io::run::process(engine(), Outcome::Ok(Document {
            id: "p".into(),
            source: "p".into(),
            text: text.clone(),
            ..Document::default()
        }));
        for e in &out.entities {
            prop_assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
            prop_assert_eq!(&text[e.start..e.end], e.text.as_str());
        }
        for t in &out.triples {
            prop_assert_eq!(&text[t.evidence_start..t.evidence_end], t.evidence.as_str());
        }
    }

    #[test]
    fn neutralized_cells_round_trip(cell in any::<String>()) {
        let opts = CsvOptions::default();
        let safe = guard(&cell, opts);
        prop_assert!(!safe.starts_with(['=', '+', '-', '@', '\t', '\r']));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([safe.as_ref(), "x"]).unwrap();
        let bytes = w.into_inner().unwrap();
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[..]);
        let rec = r.records().next().unwrap().unwrap();
        prop_assert_eq!(&rec[0], safe.as_ref());
        // The original is the cell without the added quote mark.
        let back = if safe.len() > cell.len() { &rec[0][1..] } else { &rec[0] };
        prop_assert_eq!(back, cell.as_str());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn output_is_identical_across_thread_counts(texts in prop::collection::vec(article(), 1..12)) {
        let dir = tempfile::tempdir().unwrap();
        for (i, t) in texts.iter().enumerate() {
            std::fs::write(dir.path().join(format!("{i:02}.txt")), t).unwrap();
        }
        let docs = accord_io::input::locate(&[Input::Path(dir.path().to_path_buf())]).unwrap();
        let one = accord_io::run::run(engine(), &docs, 1).unwrap();
        let two = accord_io::run::run(engine(), &docs, 2).unwrap();
        let three = accord_io::run::run(engine(), &docs, 3).unwrap();
        prop_assert_eq!(&one.entities, &two.entities);
        prop_assert_eq!(&one.triples, &two.triples);
        prop_assert_eq!(&one.documents, &two.documents);
        prop_assert_eq!(&one.entities, &three.entities);
        prop_assert_eq!(&one.triples, &three.triples);
    }
}
