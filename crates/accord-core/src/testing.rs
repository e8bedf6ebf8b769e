//! Test helpers shared by the stages' unit tests: one engine over the
//! embedded gazetteers, and a document made of a text.

use std::sync::LazyLock;

use crate::document::Document;
use crate::engine::Engine;
use crate::gazetteer::Gazetteer;

/// The engine over the embedded gazetteers, built once.
pub(crate) fn engine() -> &'static Engine {
    static ENGINE: LazyLock<Engine> =
        LazyLock::new(|| Engine::new(Gazetteer::load(None).unwrap()).unwrap());
    &ENGINE
}

/// A document `t` holding `text`.
pub(crate) fn doc(text: &str) -> Document {
    Document {
        id: "t".into(),
        source: "t".into(),
        text: text.into(),
        ..Document::default()
    }
}
