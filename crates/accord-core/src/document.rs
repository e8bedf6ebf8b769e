//! A document: one article's text as read, with what the source said of it.
//!
//! Readers (`accord-io`) make documents from files; the [engine](crate::engine)
//! reads nothing else.

/// A document's text as accord read it.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// doc_id.
    pub id: String,
    /// Where it came from (`path`, `path:line` or `path#record`).
    pub source: String,
    /// The decoded text.
    pub text: String,
    /// Problems that did not stop the read (invalid UTF-8 replaced).
    pub warnings: Vec<String>,
    /// Publication date as the source gave it (a dump field, page metadata), if any.
    pub date: Option<String>,
    /// Address of the article, if the source gave one.
    pub url: Option<String>,
}

/// A content hash of an article as read: its text, date and address.
/// Incremental runs use it to recognise articles they have already processed.
pub fn content_hash(doc: &Document) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [
        doc.text.as_str(),
        doc.date.as_deref().unwrap_or(""),
        doc.url.as_deref().unwrap_or(""),
    ] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.digest128().max(1)
}
