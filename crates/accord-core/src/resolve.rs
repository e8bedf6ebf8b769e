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
//!    after a title (`President Lee`) must be such a person, or the one
//!    official of the officials gazetteer with that last name who held a
//!    post with that title (in the article's year, when known: `President
//!    Biden`), or it is dropped.
//!    A title after a known body with no name (`the NASA Administrator`) is
//!    the official who held that post in the article's year, when the
//!    officials gazetteer knows exactly one.
//! 6. A recognized short form of a gazetteer name the document uses
//!    (`Comprehensive Dialogue on Space`) takes that entity.
//! 7. Instruments, dialogues and missions record the parties named inside
//!    them (`India-France Strategic Space Dialogue` holds India and France).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::gazetteer::{EntityType, Gazetteer};
use crate::matcher::{Candidate, Form};
use crate::recognize::{AcronymDef, Proposal, TitleHit, type_from_head};
use crate::text::is_word_bounded;
use crate::text::segment::Segments;

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
    // The first title proposed for each span.
    let mut titles: HashMap<(usize, usize), TitleHit> = HashMap::new();
    for p in &proposals {
        if let Some(t) = &p.title {
            titles
                .entry((p.span.start, p.span.end))
                .or_insert_with(|| t.clone());
        }
    }
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
            ent.title = titles.get(&(span.start, span.end)).cloned();
        }
        last_end = span.end;
        if ent.rule != "blocked" {
            chosen.push(ent);
        }
    }

    // Rule 5.
    link_single_names(&mut chosen, gaz, year);
    learn_acronyms(&mut chosen, text, acronyms, segments);
    learn_surnames(&mut chosen, text, segments);
    if let Some(year) = year {
        title_holders(&mut chosen, text, gaz, bare_titles, year, segments);
    }
    // Rule 6.
    link_short_forms(&mut chosen, gaz);
    // Rule 7.
    let mut by_start: Option<Vec<usize>> = None;
    let mut inside: Vec<usize> = Vec::new();
    for ent in &mut chosen {
        if matches!(
            ent.etype,
            EntityType::Agreement | EntityType::Dialogue | EntityType::Mission
        ) {
            // The candidates that start in the span, in matcher order.
            let by_start = by_start.get_or_insert_with(|| {
                let mut v: Vec<usize> = (0..valid.len()).collect();
                v.sort_by_key(|&i| valid[i].start);
                v
            });
            let from = by_start.partition_point(|&i| valid[i].start < ent.span.start);
            inside.clear();
            inside.extend(
                by_start[from..]
                    .iter()
                    .take_while(|&&i| valid[i].start <= ent.span.end),
            );
            inside.sort_unstable();
            for c in inside.iter().map(|&i| &valid[i]) {
                if c.form != Form::Blocker
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
    if !cands.iter().any(|c| c.form == Form::Combining) {
        return cands.to_vec();
    }
    let countries: HashSet<usize> = cands
        .iter()
        .filter(|c| {
            c.form != Form::Blocker && gaz.entry(c.entry as usize).etype == EntityType::Country
        })
        .map(|c| c.start)
        .collect();
    let is_country_at = |pos: usize| countries.contains(&pos);
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
    // Known non-person names as (start, end), sorted.
    let mut names: Vec<(usize, usize)> = valid
        .iter()
        .filter(|c| {
            c.form != Form::Blocker && gaz.entry(c.entry as usize).etype != EntityType::Person
        })
        .map(|c| (c.start, c.end))
        .collect();
    names.sort_unstable();
    for p in proposals.iter_mut() {
        if p.etype != EntityType::Person {
            continue;
        }
        let from = names.partition_point(|&(s, _)| s < p.span.start);
        let lead = names[from..]
            .iter()
            .take_while(|&&(s, _)| s == p.span.start)
            .map(|&(_, e)| e)
            .filter(|&e| e < p.span.end)
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
/// full elsewhere in the document; else the one official of the gazetteer
/// whose name ends with that word and who held a post with that title (in
/// the article's year, when it is known: `President Biden`); else nothing.
///
/// The full names are indexed by word once (the first full name holding a
/// word owns it), so the cost is linear in the mentions.
fn link_single_names(chosen: &mut Vec<Entity>, gaz: &Gazetteer, year: Option<i32>) {
    let full: Vec<(String, Entity)> = chosen
        .iter()
        .filter(|e| e.etype == EntityType::Person && tokens(&e.canonical).count() >= 2)
        .map(|e| (e.canonical.clone(), e.clone()))
        .collect();
    // Each word of a full name (without its final dots, or the part before a
    // hyphen) to the first full name holding it.
    let mut owner_of: HashMap<&str, usize> = HashMap::new();
    for (k, (name, _)) in full.iter().enumerate() {
        let words = tokens(name).chain(name.split_whitespace().filter_map(|t| t.split('-').next()));
        for w in words {
            owner_of.entry(w).or_insert(k);
        }
    }
    chosen.retain_mut(|e| {
        if e.etype != EntityType::Person || e.entry.is_some() || tokens(&e.canonical).count() >= 2 {
            return true;
        }
        let owner = owner_of.get(e.canonical.as_str()).map(|&k| &full[k]);
        if let Some((_, o)) = owner {
            e.canonical = o.canonical.clone();
            e.entry = o.entry;
            return true;
        }
        let Some(title) = &e.title else {
            return false;
        };
        let mut holders = gaz
            .officials_named(&e.canonical)
            .iter()
            .copied()
            .filter(|&k| {
                gaz.entry(k as usize)
                    .posts
                    .iter()
                    .any(|p| p.title == title.canonical && year.is_none_or(|y| p.held_in(y)))
            });
        match (holders.next(), holders.next()) {
            (Some(k), None) => {
                e.canonical = gaz.entry(k as usize).canonical.clone();
                e.entry = Some(k);
                true
            }
            _ => false,
        }
    });
}

/// The spans of the chosen mentions by start, each with its index in
/// `chosen`, to answer "does this span overlap a mention?" in log time.
///
/// Relies on what rule 3 establishes and every later rule keeps: the chosen
/// mentions are non-empty and never overlap, so the mention that starts last
/// before a span's end is the only one that can overlap it.
#[derive(Debug, Default)]
struct Taken(BTreeMap<usize, (usize, usize)>);

impl Taken {
    fn of(chosen: &[Entity]) -> Taken {
        let mut t = Taken::default();
        for (i, e) in chosen.iter().enumerate() {
            t.insert(&e.span, i);
        }
        t
    }

    fn insert(&mut self, r: &Range<usize>, index: usize) {
        debug_assert!(
            r.start < r.end && !self.overlaps(r),
            "overlapping mention {r:?}"
        );
        self.0.insert(r.start, (r.end, index));
    }

    /// True when a mention overlaps `r`.
    fn overlaps(&self, r: &Range<usize>) -> bool {
        self.0
            .range(..r.end)
            .next_back()
            .is_some_and(|(_, &(end, _))| end > r.start)
    }

    /// The index of the mention that ends at `end`, if any.
    fn ending_at(&self, end: usize) -> Option<usize> {
        self.0
            .range(..end)
            .next_back()
            .filter(|(_, (e, _))| *e == end)
            .map(|(_, &(_, i))| i)
    }

    /// Forget the mentions inside `r`; return their indices.
    fn remove_within(&mut self, r: &Range<usize>) -> Vec<usize> {
        let gone: Vec<usize> = self
            .0
            .range(r.start..r.end)
            .filter(|(_, (end, _))| *end <= r.end)
            .map(|(&start, _)| start)
            .collect();
        gone.iter()
            .filter_map(|start| self.0.remove(start))
            .map(|(_, i)| i)
            .collect()
    }
}

/// For each needle, the start offsets of its non-overlapping occurrences in
/// `text`, left to right, as `str::match_indices` finds them.
///
/// In an article, or for a few needles, each needle is searched on its own
/// (building an automaton costs more than that); many needles in a long
/// document (its surnames), or so many in a shorter one that the searches
/// would read more than [`ONE_BY_ONE_BYTES`] (a page defining thousands of
/// acronyms), are found in one pass with an automaton, so the cost does not
/// grow with the product of text length and needle count.
/// Bytes the one-by-one searches of [`find_each`] may read in all.
const ONE_BY_ONE_BYTES: usize = 64 << 20;

fn find_each(text: &str, needles: &[&str]) -> Vec<Vec<usize>> {
    const ONE_BY_ONE: usize = 8;
    const LONG_TEXT: usize = 256 << 10;
    if needles.len() <= ONE_BY_ONE
        || (text.len() < LONG_TEXT && needles.len() * text.len() <= ONE_BY_ONE_BYTES)
    {
        return needles
            .iter()
            .map(|n| memchr::memmem::find_iter(text.as_bytes(), n.as_bytes()).collect())
            .collect();
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(needles)
        .expect("needles are short strings");
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); needles.len()];
    // Overlapping hits of one needle come in start order; keep those that
    // begin after the last one kept, as a left-to-right search does.
    for m in ac.find_overlapping_iter(text) {
        let kept = &mut out[m.pattern().as_usize()];
        if kept.last().is_none_or(|&s| m.start() >= s + m.len()) {
            kept.push(m.start());
        }
    }
    out
}

/// The word-bounded occurrences in content among `starts` (of a needle `len` bytes long).
fn occurrences<'t>(
    text: &'t str,
    starts: &'t [usize],
    len: usize,
    segments: &'t Segments,
) -> impl Iterator<Item = Range<usize>> + 't {
    starts
        .iter()
        .map(move |&i| i..i + len)
        .filter(move |r| is_word_bounded(text, r.start, r.end) && !segments.is_boilerplate(r.start))
}

/// Rule 5: acronyms defined in the text become aliases of the long name.
fn learn_acronyms(chosen: &mut Vec<Entity>, text: &str, defs: &[AcronymDef], segments: &Segments) {
    let mut learned: Vec<(&str, Entity)> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut taken = Taken::of(chosen);
    // Mentions a defined name replaced; dropped from `chosen` after the loop,
    // so that indices stay valid meanwhile.
    let mut dropped = vec![false; chosen.len()];
    for def in defs {
        if segments.is_boilerplate(def.name.start) {
            continue;
        }
        let name_text = &text[def.name.clone()];
        let acro = &text[def.acronym.clone()];
        // The mention that ends the name and covers most of it names the entity.
        let owner = taken
            .ending_at(def.name.end)
            .map(|i| &chosen[i])
            .filter(|e| {
                e.span.start < def.name.end
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
                for i in taken.remove_within(&def.name) {
                    dropped[i] = true;
                }
                if taken.overlaps(&def.name) {
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
                taken.insert(&def.name, chosen.len());
                chosen.push(ent.clone());
                dropped.push(false);
                ent
            }
        };
        if seen.insert(acro) {
            learned.push((acro, owner));
        }
    }
    let mut k = 0;
    chosen.retain(|_| {
        k += 1;
        !dropped[k - 1]
    });
    let mut taken = Taken::of(chosen);
    let needles: Vec<&str> = learned.iter().map(|(a, _)| *a).collect();
    let starts = find_each(text, &needles);
    for ((acro, owner), starts) in learned.into_iter().zip(&starts) {
        let found: Vec<Range<usize>> = occurrences(text, starts, acro.len(), segments)
            .filter(|r| !taken.overlaps(r))
            .collect();
        for r in found {
            taken.insert(&r, chosen.len());
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
    let mut taken = Taken::of(chosen);
    let needles: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
    let starts = find_each(text, &needles);
    for ((surname, owner), starts) in names.iter().zip(&starts) {
        let found: Vec<Range<usize>> = occurrences(text, starts, surname.len(), segments)
            .filter(|r| !taken.overlaps(r))
            .collect();
        for r in found {
            taken.insert(&r, chosen.len());
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
    if bare.is_empty() {
        return;
    }
    let mut taken = Taken::of(chosen);
    // Known bodies by end offset; the mentions pushed below are persons.
    let is_body = |e: &Entity| {
        e.entry.is_some()
            && matches!(
                e.etype,
                EntityType::Agency | EntityType::Org | EntityType::Country
            )
    };
    let bodies: HashMap<usize, usize> = chosen
        .iter()
        .enumerate()
        .filter(|(_, e)| is_body(e))
        .map(|(i, e)| (e.span.end, i))
        .collect();
    let mut holders_of: HashMap<(u32, &str), Vec<usize>> = HashMap::new();
    for t in bare {
        if segments.is_boilerplate(t.span.start) || taken.overlaps(&t.span) {
            continue;
        }
        // The first mention (in `chosen` order) that ends one space or "'s "
        // before the title: mentions never overlap, so only these two can.
        let body = [1, 3]
            .iter()
            .filter_map(|&gap| bodies.get(&t.span.start.checked_sub(gap)?))
            .copied()
            .filter(|&i| matches!(&text[chosen[i].span.end..t.span.start], " " | "'s "))
            .min()
            .map(|i| &chosen[i]);
        let Some(body) = body.and_then(|b| b.entry) else {
            continue;
        };
        let holders = holders_of.entry((body, &t.canonical)).or_insert_with(|| {
            let body_id = &gaz.entry(body as usize).id;
            gaz.post_holders(body_id, &t.canonical)
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| {
                    let e = gaz.entry(i);
                    e.etype == EntityType::Person
                        && e.posts
                            .iter()
                            .any(|p| &p.org == body_id && p.title == t.canonical && p.held_in(year))
                })
                .collect()
        });
        if let [one] = holders[..] {
            taken.insert(&t.span, chosen.len());
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
    // Each known entry once, at its first mention: the search below takes the first that fits.
    let mut seen = HashSet::new();
    let known: Vec<u32> = chosen
        .iter()
        .filter(|e| matches!(e.etype, EntityType::Dialogue | EntityType::Agreement))
        .filter_map(|e| e.entry)
        .filter(|&k| seen.insert(k))
        .collect();
    // The answer for each (type, short name), asked once.
    let mut owners: HashMap<(EntityType, String), Option<u32>> = HashMap::new();
    for e in chosen.iter_mut() {
        if e.entry.is_some() || !matches!(e.etype, EntityType::Dialogue | EntityType::Agreement) {
            continue;
        }
        let short = e.canonical.as_str();
        let owner = *owners
            .entry((e.etype, short.to_string()))
            .or_insert_with(|| {
                known.iter().copied().find(|&k| {
                    let entry = gaz.entry(k as usize);
                    entry.etype == e.etype
                        && entry.aliases.iter().any(|a| {
                            a.len() > short.len()
                                && a.ends_with(short)
                                && a[..a.len() - short.len()].ends_with([' ', '-'])
                        })
                })
            });
        if let Some(k) = owner {
            e.entry = Some(k);
            e.canonical = gaz.entry(k as usize).canonical.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_each_agrees_with_match_indices() {
        // Long enough for the automaton path with many needles.
        let text = "X-X-X and Ng met Ngozi; aaa aa a-a-a, Lee Leela Lee. ".repeat(6000);
        let many: Vec<String> = (0..20).map(|i| format!("w{i}")).collect();
        for needles in [
            vec!["X-X", "Ng", "aa", "a-a", "Lee"],
            ["X-X", "Ng", "aa", "a-a", "Lee", "absent", "e. L"]
                .into_iter()
                .chain(many.iter().map(String::as_str))
                .collect(),
        ] {
            let got = find_each(&text, &needles);
            for (n, starts) in needles.iter().zip(&got) {
                let want: Vec<usize> = text.match_indices(n).map(|(i, _)| i).collect();
                assert_eq!(starts, &want, "needle {n:?} of {}", needles.len());
            }
        }
    }

    fn persons(text: &str, date: Option<&str>) -> Vec<String> {
        let mut doc = crate::testing::doc(text);
        doc.date = date.map(String::from);
        let a = crate::testing::engine().analyze(&doc);
        a.entities
            .into_iter()
            .filter(|e| e.etype == EntityType::Person)
            .map(|e| e.canonical)
            .collect()
    }

    #[test]
    fn a_titled_surname_is_the_one_official_with_that_title() {
        assert_eq!(
            persons(
                "President Biden and Prime Minister Kishida met on Wednesday.",
                None
            ),
            ["Joe Biden", "Fumio Kishida"]
        );
        assert_eq!(
            persons("President Biden spoke on Wednesday.", Some("2023-04-10")),
            ["Joe Biden"]
        );
        // Not in office that year, not that title, or not an official: nothing.
        assert!(persons("President Biden spoke on Wednesday.", Some("2012-04-10")).is_empty());
        assert!(persons("Ambassador Biden spoke on Wednesday.", None).is_empty());
        assert!(persons("President Examplesson spoke on Wednesday.", None).is_empty());
    }

    #[test]
    fn taken_answers_overlap_queries() {
        let mut t = Taken::default();
        t.insert(&(5..9), 0);
        t.insert(&(12..20), 1);
        for (r, want) in [
            (0..5, false),
            (0..6, true),
            (8..12, true),
            (9..12, false),
            (19..30, true),
            (20..30, false),
            (13..14, true),
        ] {
            assert_eq!(t.overlaps(&r), want, "{r:?}");
        }
        assert_eq!(t.ending_at(9), Some(0));
        assert_eq!(t.ending_at(10), None);
        assert_eq!(t.remove_within(&(4..10)), vec![0]);
        assert!(!t.overlaps(&(0..10)));
    }
}
