//! Gazetteer suggestions: names the gazetteers lack, mined from articles.
//!
//! The engine's recognizers find names no gazetteer lists: acronym
//! definitions (`Korea Aerospace Administration (KASA)`), titled persons
//! (`Foreign Secretary Vinay Kwatra`), organisation, company, mission,
//! instrument and dialogue phrases. Each such entity (found by a rule, with
//! no gazetteer id; dates left out) is counted over all articles under its
//! type and canonical name, with:
//! - the acronyms the article defined for it, as aliases;
//! - a country: a country named inside the name (`Korea Aerospace
//!   Administration`), else one named right before it (`Israeli company
//!   StemRad`; for a titled person, before the title: `Indian Ambassador ...`),
//!   the most frequent over its mentions;
//! - for persons, the title most often seen with them;
//! - two example sentences, from different articles where it can.
//!
//! [`Suggestions::rows`] turns them into gazetteer rows with proposed ids (a
//! Wikidata id is never guessed), most frequent first.

use std::collections::{BTreeMap, HashMap, HashSet};

use accord_core::engine::{Analysis, Engine};
use accord_core::gazetteer::{EntityType, Gazetteer};
use accord_core::matcher::Form;

/// How far before a name a country word may stand (`Israeli company `).
const COUNTRY_BEFORE_BYTES: usize = 40;

/// What is known of one name so far.
#[derive(Debug, Default)]
struct Seen {
    mentions: u64,
    docs: HashSet<String>,
    rules: BTreeMap<&'static str, u64>,
    aliases: BTreeMap<String, u64>,
    countries: BTreeMap<String, u64>,
    titles: BTreeMap<String, u64>,
    /// (doc_id, sentence), at most two, from different documents where possible.
    examples: Vec<(String, String)>,
}

/// Names found so far, by (type, canonical name).
#[derive(Debug, Default)]
pub struct Suggestions {
    seen: HashMap<(EntityType, String), Seen>,
    documents: u64,
}

/// One suggested gazetteer row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// Proposed id (`agency:korea-aerospace-administration`).
    pub id: String,
    /// Guessed type.
    pub etype: EntityType,
    /// The name as the articles write it.
    pub canonical: String,
    /// Acronyms the articles defined for it.
    pub aliases: Vec<String>,
    /// Guessed ISO country code (may be empty).
    pub country: String,
    /// For persons: the title most seen with them.
    pub title: String,
    /// Number of mentions.
    pub mentions: u64,
    /// Number of articles.
    pub documents: u64,
    /// The rules that found it, `|`-separated.
    pub rules: String,
    /// Up to two example sentences.
    pub examples: Vec<String>,
}

impl Suggestions {
    /// Add the names an analysed document holds that the gazetteer lacks.
    pub fn add(&mut self, engine: &Engine, a: &Analysis<'_>) {
        self.documents += 1;
        let gaz = engine.gazetteer();
        let text = a.norm.text();
        let doc_id = &a.doc.id;
        for e in &a.entities {
            if e.entry.is_some() || e.etype == EntityType::Date || e.rule == "gazetteer" {
                continue;
            }
            let key = (e.etype, e.canonical.clone());
            let seen = self.seen.entry(key).or_default();
            seen.mentions += 1;
            seen.docs.insert(doc_id.clone());
            *seen.rules.entry(e.rule).or_default() += 1;
            let surface = &text[e.span.clone()];
            if e.rule == "acronym" && surface != e.canonical {
                *seen.aliases.entry(surface.to_string()).or_default() += 1;
            }
            // A titled person's country stands before the title (`Indian
            // Ambassador to South Korea Gourangalal Das`).
            let anchor = e
                .title
                .as_ref()
                .map_or(e.span.start, |t| t.span.start.min(e.span.start));
            if let Some(c) = country_of(engine, gaz, text, anchor, &e.canonical) {
                *seen.countries.entry(c).or_default() += 1;
            }
            if let Some(t) = &e.title {
                *seen.titles.entry(t.canonical.clone()).or_default() += 1;
            }
            if let Some(s) = a.segments.sentence_at(e.span.start) {
                let s = &a.segments.sentences[s];
                let sentence = squeeze(&text[s.start..s.end]);
                let new_doc = !seen.examples.iter().any(|(d, _)| d == doc_id);
                let new_text = !seen.examples.iter().any(|(_, t)| *t == sentence);
                if new_text && (seen.examples.is_empty() || (seen.examples.len() < 2 && new_doc)) {
                    seen.examples.push((doc_id.clone(), sentence));
                }
            }
        }
    }

    /// Number of documents added.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// The suggestions seen at least `min_mentions` times, as rows with ids
    /// unique against the gazetteer and each other: most mentioned first,
    /// then by type and name.
    pub fn rows(&self, gaz: &Gazetteer, min_mentions: u64) -> Vec<Suggestion> {
        let known: HashSet<String> = gaz
            .entries()
            .iter()
            .flat_map(|e| e.aliases.iter().map(|a| a.to_lowercase()))
            .collect();
        let mut items: Vec<(&(EntityType, String), &Seen)> = self
            .seen
            .iter()
            .filter(|(k, s)| s.mentions >= min_mentions && !known.contains(&k.1.to_lowercase()))
            .collect();
        items.sort_by(|a, b| {
            b.1.mentions
                .cmp(&a.1.mentions)
                .then(a.0.0.cmp(&b.0.0))
                .then(a.0.1.cmp(&b.0.1))
        });
        let mut taken: HashSet<String> = gaz.entries().iter().map(|e| e.id.clone()).collect();
        items
            .into_iter()
            .map(|((etype, canonical), s)| {
                let most = |m: &BTreeMap<String, u64>| {
                    m.iter()
                        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                        .map(|(k, _)| k.clone())
                        .unwrap_or_default()
                };
                Suggestion {
                    id: propose_id(*etype, canonical, &mut taken),
                    etype: *etype,
                    canonical: canonical.clone(),
                    aliases: s
                        .aliases
                        .keys()
                        .filter(|a| !known.contains(&a.to_lowercase()))
                        .cloned()
                        .collect(),
                    country: most(&s.countries),
                    title: if *etype == EntityType::Person {
                        most(&s.titles)
                    } else {
                        String::new()
                    },
                    mentions: s.mentions,
                    documents: s.docs.len() as u64,
                    rules: s.rules.keys().copied().collect::<Vec<_>>().join("|"),
                    examples: s.examples.iter().map(|(_, t)| t.clone()).collect(),
                }
            })
            .collect()
    }
}

/// The country of a name: one named inside it, else one named just before
/// it in the same line (`Israeli company StemRad`).
fn country_of(
    engine: &Engine,
    gaz: &Gazetteer,
    text: &str,
    start: usize,
    canonical: &str,
) -> Option<String> {
    let country = |s: &str, last: bool| {
        let mut hits = Vec::new();
        engine.matcher().find(s, &s.to_ascii_lowercase(), &mut hits);
        let mut codes = hits
            .iter()
            .filter(|h| h.form != Form::Blocker)
            .filter_map(|h| {
                let e = gaz.entry(h.entry as usize);
                (e.etype == EntityType::Country && !e.country.is_empty()).then(|| e.country.clone())
            });
        if last {
            codes.next_back()
        } else {
            codes.next()
        }
    };
    if let Some(c) = country(canonical, false) {
        return Some(c);
    }
    let mut from = start.saturating_sub(COUNTRY_BEFORE_BYTES);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..start];
    let before = before
        .rsplit(['\n', '.', ';', ','])
        .next()
        .unwrap_or(before);
    country(before, true)
}

/// Whitespace runs as one space, at most 400 characters.
fn squeeze(s: &str) -> String {
    let mut out = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > 400 {
        out = out.chars().take(399).collect::<String>() + "…";
    }
    out
}

/// `type:slug`, unique among `taken` (which it joins).
pub fn propose_id(etype: EntityType, name: &str, taken: &mut HashSet<String>) -> String {
    let prefix = match etype {
        EntityType::Org => "org".to_string(),
        t => t.as_str().to_ascii_lowercase(),
    };
    let slug = accord_core::gazetteer::slug(name);
    let slug = if slug.is_empty() {
        "name"
    } else {
        slug.as_str()
    };
    let base = format!("{prefix}:{slug}");
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        let mut taken = HashSet::from(["agency:kasa".to_string()]);
        assert_eq!(
            propose_id(EntityType::Agency, "KASA", &mut taken),
            "agency:kasa-2"
        );
        assert_eq!(
            propose_id(EntityType::Person, "Anne-Marie Descôtes", &mut taken),
            "person:anne-marie-descotes"
        );
        assert_eq!(propose_id(EntityType::Org, "—", &mut taken), "org:name");
    }

    #[test]
    fn sentences_are_squeezed() {
        assert_eq!(squeeze("a\n  b\tc "), "a b c");
    }
}
