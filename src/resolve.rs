//! Resolution: from overlapping gazetteer hits and recognizer proposals to one
//! entity per mention.
//!
//! Rules, in order:
//! 1. A combining form (`Indo`) counts only before `-` and another country
//!    (`Indo-French`, not `Indo-Pacific`).
//!    A blocking phrase (`SWOT analysis`) takes part in the choice below and
//!    is then dropped, so the alias inside it is not reported.
//! 2. A titled-person proposal that starts with a known place or body
//!    (`South Korea Gourangalal Das`) loses that part.
//! 3. Leftmost-longest wins among overlapping spans; for equal spans the
//!    gazetteer beats recognizers (and a gazetteer person keeps the title the
//!    recognizer saw next to it).
//! 4. Mentions in boilerplate and the metadata header are dropped.
//! 5. Document-local aliases: a defined acronym (`KASA`) and a person's
//!    surname (`Narang`) are found again wherever they recur; a one-word name
//!    after a title (`President Lee`) must be such a person or it is dropped.
//!    A title after a known body with no name (`the NASA Administrator`) is
//!    the official who held that post in the article's year, when the
//!    officials gazetteer knows exactly one.
//! 6. A recognized short form of a gazetteer name the document uses
//!    (`Comprehensive Dialogue on Space`) takes that entity.
//! 7. Instruments, dialogues and missions record the parties named inside
//!    them (`India-France Strategic Space Dialogue` holds India and France).

use std::collections::HashMap;
use std::ops::Range;

use crate::gazetteer::{EntityType, Gazetteer};
use crate::matcher::{Candidate, Form};
use crate::recognize::{AcronymDef, Proposal, TitleHit, type_from_head};
use crate::segment::Segments;
use crate::text::is_word_bounded;

/// One resolved mention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// Span in the normalized text.
    pub span: Range<usize>,
    /// Type.
    pub etype: EntityType,
    /// Canonical name (ISO 8601 for dates).
    pub canonical: String,
    /// Gazetteer entry, when the entity is a known one.
    pub entry: Option<u32>,
    /// The rule that found it (`gazetteer`, `acronym`, `title-name`, ...).
    pub rule: &'static str,
    /// For persons: the title the text gives them here.
    pub title: Option<TitleHit>,
    /// Parties (gazetteer entries) named inside an instrument, dialogue or mission name.
    pub inner: Vec<u32>,
}

impl Entity {
    /// The key that identifies the entity across mentions: its id, or type and name.
    pub fn key(&self, gaz: &Gazetteer) -> String {
        match self.entry {
            Some(e) => gaz.entry(e as usize).id.clone(),
            None => format!("{}:{}", self.etype.as_str(), self.canonical),
        }
    }
}

/// Everything resolution reads.
pub struct Inputs<'a> {
    /// Normalized text.
    pub text: &'a str,
    /// The gazetteer.
    pub gaz: &'a Gazetteer,
    /// Gazetteer candidates.
    pub candidates: &'a [Candidate],
    /// Recognizer proposals.
    pub proposals: Vec<Proposal>,
    /// Acronym definitions.
    pub acronyms: &'a [AcronymDef],
    /// Titles found with no name next to them.
    pub bare_titles: &'a [TitleHit],
    /// The article's year, if known.
    pub year: Option<i32>,
    /// Segmentation.
    pub segments: &'a Segments,
}

/// Resolve one document's mentions; the result is sorted by start offset.
pub fn resolve(inp: Inputs<'_>) -> Vec<Entity> {
    let Inputs {
        text,
        gaz,
        candidates,
        mut proposals,
        acronyms,
        bare_titles,
        year,
        segments,
    } = inp;
    let valid = valid_candidates(text, gaz, candidates);

    trim_person_proposals(&mut proposals, &valid, gaz);

    // Rule 3: leftmost-longest, gazetteer first on ties.
    let mut items: Vec<(Range<usize>, u8, Entity)> =
        Vec::with_capacity(valid.len() + proposals.len());
    for c in &valid {
        let e = gaz.entry(c.entry as usize);
        items.push((
            c.start..c.end,
            if c.form == Form::Blocker { 0 } else { 1 },
            Entity {
                span: c.start..c.end,
                etype: e.etype,
                canonical: e.canonical.clone(),
                entry: Some(c.entry),
                rule: if c.form == Form::Blocker {
                    "blocked"
                } else {
                    "gazetteer"
                },
                title: None,
                inner: Vec::new(),
            },
        ));
    }
    let titles: Vec<(Range<usize>, TitleHit)> = proposals
        .iter()
        .filter_map(|p| p.title.clone().map(|t| (p.span.clone(), t)))
        .collect();
    for p in proposals {
        let prio = if p.etype == EntityType::Date { 2 } else { 3 };
        items.push((
            p.span.clone(),
            prio,
            Entity {
                span: p.span,
                etype: p.etype,
                canonical: p.canonical,
                entry: None,
                rule: p.rule,
                title: p.title,
                inner: Vec::new(),
            },
        ));
    }
    items.sort_by(|a, b| {
        (a.0.start, std::cmp::Reverse(a.0.end), a.1, a.2.entry).cmp(&(
            b.0.start,
            std::cmp::Reverse(b.0.end),
            b.1,
            b.2.entry,
        ))
    });
    let mut chosen: Vec<Entity> = Vec::new();
    let mut last_end = 0;
    for (span, _, mut ent) in items {
        if span.start < last_end {
            continue;
        }
        // Rule 4.
        if segments.is_boilerplate(span.start) {
            continue;
        }
        // A place right after an unknown capitalized word is most likely part
        // of a person's name ("Giuseppe Colombo", "Ella Washington").
        let after_entity = chosen.last().is_some_and(|e| e.span.end + 1 == span.start);
        if ent.etype == EntityType::Location
            && ent.rule == "gazetteer"
            && !after_entity
            && preceded_by_name_word(text, span.start)
        {
            continue;
        }
        if ent.etype == EntityType::Person && ent.title.is_none() {
            ent.title = titles
                .iter()
                .find(|(r, _)| *r == span)
                .map(|(_, t)| t.clone());
        }
        last_end = span.end;
        if ent.rule != "blocked" {
            chosen.push(ent);
        }
    }

    // Rule 5.
    link_single_names(&mut chosen);
    learn_acronyms(&mut chosen, text, acronyms, segments);
    learn_surnames(&mut chosen, text, segments);
    if let Some(year) = year {
        title_holders(&mut chosen, text, gaz, bare_titles, year, segments);
    }
    // Rule 6.
    link_short_forms(&mut chosen, gaz);
    // Rule 7.
    for ent in &mut chosen {
        if matches!(
            ent.etype,
            EntityType::Agreement | EntityType::Dialogue | EntityType::Mission
        ) {
            for c in &valid {
                if c.form != Form::Blocker
                    && c.start >= ent.span.start
                    && c.end <= ent.span.end
                    && Some(c.entry) != ent.entry
                    && gaz.entry(c.entry as usize).etype.is_party()
                    && !ent.inner.contains(&c.entry)
                {
                    ent.inner.push(c.entry);
                }
            }
        }
    }
    chosen.sort_by_key(|e| (e.span.start, e.span.end));
    chosen
}

/// Rule 1: drop combining forms that are not the first half of a country pair.
fn valid_candidates(text: &str, gaz: &Gazetteer, cands: &[Candidate]) -> Vec<Candidate> {
    let is_country_at = |pos: usize| {
        cands.iter().any(|c| {
            c.start == pos
                && c.form != Form::Blocker
                && gaz.entry(c.entry as usize).etype == EntityType::Country
        })
    };
    cands
        .iter()
        .filter(|c| {
            c.form != Form::Combining
                || (text[c.end..].starts_with('-') && is_country_at(c.end + 1))
        })
        .copied()
        .collect()
}

/// Rule 2: cut a known non-person name off the front of a titled-person proposal.
fn trim_person_proposals(proposals: &mut Vec<Proposal>, valid: &[Candidate], gaz: &Gazetteer) {
    for p in proposals.iter_mut() {
        if p.etype != EntityType::Person {
            continue;
        }
        let lead = valid
            .iter()
            .filter(|c| {
                c.start == p.span.start
                    && c.form != Form::Blocker
                    && c.end < p.span.end
                    && gaz.entry(c.entry as usize).etype != EntityType::Person
            })
            .map(|c| c.end)
            .max();
        if let Some(end) = lead {
            p.span.start = end + 1;
            p.canonical =
                p.canonical[p.canonical.len() - (p.span.end - p.span.start)..].to_string();
        }
    }
    proposals.retain(|p| p.span.start < p.span.end);
}

/// True when the word right before `start` (one space) is capitalized, is
/// not a sentence start and is not a function word or title.
fn preceded_by_name_word(text: &str, start: usize) -> bool {
    let Some(before) = text[..start].strip_suffix(' ') else {
        return false;
    };
    let ws = before
        .rfind(|c: char| !(c.is_alphabetic() || c == '-' || c == '\''))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[ws..];
    if word.chars().count() < 2 || !word.starts_with(char::is_uppercase) || word.ends_with("'s") {
        return false;
    }
    // Sentence or line start: the word is capitalized for another reason.
    let prev = before[..ws].trim_end();
    if prev.is_empty() || prev.ends_with(['.', '!', '?', ':', '"', '\n', '(', '-']) {
        return false;
    }
    if word.chars().skip(1).all(|c| c.is_uppercase()) {
        return false; // an acronym
    }
    const NOT_NAMES: &[&str] = &[
        "The", "In", "At", "From", "To", "Of", "And", "For", "On", "By", "With", "Near", "Outside",
        "Central", "Northern", "Southern", "Eastern", "Western", "North", "South", "East", "West",
        "Greater", "Downtown", "Old", "New", "Upper", "Lower", "Port", "Fort", "Saint", "St",
        "Mount", "Lake", "Cape", "Space", "Centre", "Center", "Station", "Base", "Airport",
    ];
    !NOT_NAMES.contains(&word)
}

fn tokens(name: &str) -> impl Iterator<Item = &str> {
    name.split_whitespace().map(|t| t.trim_end_matches('.'))
}

/// A one-word titled name (`President Lee`, `PM Modi`) is a person named in
/// full elsewhere in the document, or nothing.
fn link_single_names(chosen: &mut Vec<Entity>) {
    let full: Vec<(String, Entity)> = chosen
        .iter()
        .filter(|e| e.etype == EntityType::Person && tokens(&e.canonical).count() >= 2)
        .map(|e| (e.canonical.clone(), e.clone()))
        .collect();
    chosen.retain_mut(|e| {
        if e.etype != EntityType::Person || e.entry.is_some() || tokens(&e.canonical).count() >= 2 {
            return true;
        }
        let word = e.canonical.clone();
        let owner = full.iter().find(|(name, _)| {
            tokens(name).any(|t| t == word)
                || name
                    .split_whitespace()
                    .any(|t| t.split('-').next() == Some(word.as_str()))
        });
        match owner {
            Some((_, o)) => {
                e.canonical = o.canonical.clone();
                e.entry = o.entry;
                true
            }
            None => false,
        }
    });
}

fn overlaps(chosen: &[Entity], r: &Range<usize>) -> bool {
    chosen
        .iter()
        .any(|e| e.span.start < r.end && r.start < e.span.end)
}

/// Every word-bounded occurrence of `needle` in content, outside existing mentions.
fn occurrences<'t>(
    text: &'t str,
    needle: &'t str,
    segments: &'t Segments,
) -> impl Iterator<Item = Range<usize>> + 't {
    text.match_indices(needle)
        .map(move |(i, _)| i..i + needle.len())
        .filter(move |r| is_word_bounded(text, r.start, r.end) && !segments.is_boilerplate(r.start))
}

/// Rule 5: acronyms defined in the text become aliases of the long name.
fn learn_acronyms(chosen: &mut Vec<Entity>, text: &str, defs: &[AcronymDef], segments: &Segments) {
    let mut learned: Vec<(String, Entity)> = Vec::new();
    for def in defs {
        if segments.is_boilerplate(def.name.start) {
            continue;
        }
        let name_text = &text[def.name.clone()];
        let acro = &text[def.acronym.clone()];
        // The mention that ends the name and covers most of it names the entity.
        let owner = chosen
            .iter()
            .find(|e| {
                e.span.end == def.name.end
                    && e.span.start < def.name.end
                    && 2 * (e.span.end - e.span.start.max(def.name.start)) >= def.name.len()
            })
            .cloned();
        let owner = match owner {
            Some(o) => o,
            None => {
                let Some(etype) = type_from_head(name_text) else {
                    continue;
                };
                // The defined name replaces the shorter mentions inside it.
                chosen.retain(|e| !(e.span.start >= def.name.start && e.span.end <= def.name.end));
                if overlaps(chosen, &def.name) {
                    continue;
                }
                let ent = Entity {
                    span: def.name.clone(),
                    etype,
                    canonical: name_text.to_string(),
                    entry: None,
                    rule: "acronym-definition",
                    title: None,
                    inner: Vec::new(),
                };
                chosen.push(ent.clone());
                ent
            }
        };
        if !learned.iter().any(|(a, _)| a == acro) {
            learned.push((acro.to_string(), owner));
        }
    }
    for (acro, owner) in learned {
        let found: Vec<Range<usize>> = occurrences(text, &acro, segments)
            .filter(|r| !overlaps(chosen, r))
            .collect();
        for r in found {
            chosen.push(Entity {
                span: r,
                rule: "acronym",
                title: None,
                ..owner.clone()
            });
        }
    }
}

/// Rule 5: surnames of persons named in full recur alone (`Narang`, `Anderson`).
fn learn_surnames(chosen: &mut Vec<Entity>, text: &str, segments: &Segments) {
    let mut by_surname: HashMap<String, Option<Entity>> = HashMap::new();
    for e in chosen.iter().filter(|e| e.etype == EntityType::Person) {
        let toks: Vec<&str> = tokens(&e.canonical).collect();
        if toks.len() < 2 {
            continue;
        }
        let last = toks[toks.len() - 1];
        if last.chars().count() < 3 || !last.starts_with(char::is_uppercase) {
            continue;
        }
        let slot = by_surname
            .entry(last.to_string())
            .or_insert_with(|| Some(e.clone()));
        if slot.as_ref().is_some_and(|o| o.canonical != e.canonical) {
            *slot = None; // two persons share it: ambiguous
        }
    }
    let mut names: Vec<(String, Entity)> = by_surname
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (surname, owner) in names {
        let found: Vec<Range<usize>> = occurrences(text, &surname, segments)
            .filter(|r| !overlaps(chosen, r))
            .collect();
        for r in found {
            chosen.push(Entity {
                span: r,
                rule: "surname",
                title: None,
                inner: Vec::new(),
                ..owner.clone()
            });
        }
    }
}

/// Rule 5: `the NASA Administrator` in a 2014 article is Charles Bolden.
fn title_holders(
    chosen: &mut Vec<Entity>,
    text: &str,
    gaz: &Gazetteer,
    bare: &[TitleHit],
    year: i32,
    segments: &Segments,
) {
    for t in bare {
        if segments.is_boilerplate(t.span.start) || overlaps(chosen, &t.span) {
            continue;
        }
        let body = chosen.iter().find(|e| {
            e.entry.is_some()
                && matches!(
                    e.etype,
                    EntityType::Agency | EntityType::Org | EntityType::Country
                )
                && e.span.end <= t.span.start
                && matches!(&text[e.span.end..t.span.start], " " | "'s ")
        });
        let Some(body) = body.and_then(|b| b.entry) else {
            continue;
        };
        let body_id = &gaz.entry(body as usize).id;
        let holders: Vec<usize> = (0..gaz.entries().len())
            .filter(|&i| {
                let e = gaz.entry(i);
                e.etype == EntityType::Person
                    && e.posts
                        .iter()
                        .any(|p| &p.org == body_id && p.title == t.canonical && p.held_in(year))
            })
            .collect();
        if let [one] = holders[..] {
            chosen.push(Entity {
                span: t.span.clone(),
                etype: EntityType::Person,
                canonical: gaz.entry(one).canonical.clone(),
                entry: Some(one as u32),
                rule: "title-holder",
                title: Some(t.clone()),
                inner: Vec::new(),
            });
        }
    }
}

/// Rule 6: `Comprehensive Dialogue on Space` is the `U.S.-France Comprehensive
/// Dialogue on Space` when the document names the latter.
fn link_short_forms(chosen: &mut [Entity], gaz: &Gazetteer) {
    let known: Vec<u32> = chosen
        .iter()
        .filter(|e| matches!(e.etype, EntityType::Dialogue | EntityType::Agreement))
        .filter_map(|e| e.entry)
        .collect();
    for e in chosen.iter_mut() {
        if e.entry.is_some() || !matches!(e.etype, EntityType::Dialogue | EntityType::Agreement) {
            continue;
        }
        let short = e.canonical.as_str();
        let owner = known.iter().copied().find(|&k| {
            let entry = gaz.entry(k as usize);
            entry.etype == e.etype
                && entry.aliases.iter().any(|a| {
                    a.len() > short.len()
                        && a.ends_with(short)
                        && a[..a.len() - short.len()].ends_with([' ', '-'])
                })
        });
        if let Some(k) = owner {
            e.entry = Some(k);
            e.canonical = gaz.entry(k as usize).canonical.clone();
        }
    }
}
