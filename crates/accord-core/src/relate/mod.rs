//! The relation stage: cooperation and role triples with evidence.
//!
//! Reads resolved entities (never the matcher) and the document's sentences,
//! and applies the named rules below, one sentence at a time. Each triple
//! records the rule that produced it and that rule's confidence.
//!
//! **Cooperation** (`agreement`, `mission`, `dialogue`): an *anchor* (an
//! instrument, mission or dialogue mention, or a lower-case instrument word
//! such as "an agreement") and two parties, countries or bodies named as the
//! text names them. Rules ([`rules::Rule`], one file each under `relate/rules/`),
//! first that applies wins:
//!
//! <!-- rules:cooperation -->
//! | rule | reads | confidence |
//! | --- | --- | --- |
//! | `compound-in-name` | two parties inside the anchor's name: `India-France Strategic Space Dialogue` | 0.95 |
//! | `compound-before` | a hyphenated pair just before the anchor: `joint U.S.-French SWOT mission` | 0.90 |
//! | `between` | `between A and B` next to the anchor: `MoU between KASA and ISRO` | 0.90 |
//! | `by-a-and-b` | `developed/led/signed by A and B` next to the anchor: `SVOM, developed by China and France` | 0.85 |
//! | `a-and-b-verb` | `A and B signed/agreed/launched ... anchor` | 0.85 |
//! | `a-verb-with-b` | `A signed ... anchor ... with B` | 0.80 |
//! | `a-anchor-with-b` | the sentence's first party, then the anchor directly followed by `with B`: `ISRO secured the seat through an agreement with Axiom Space` | 0.70 |
//! | `signatories` | a signing sentence whose titled persons serve two bodies the text names: `NASA Administrator X and ISRO Chairman Y signed the agreement` | 0.80 |
//! | `gazetteer-parties` | a named instrument, dialogue or mission whose gazetteer row lists its countries (`parties`, or a mission's `country` and `partners`), when the anchor's paragraph names two of them or their agencies | 0.75 |
//! | `document-pair` | the pair the document is about (title, else first paragraph), when the sentence (for a mission or dialogue, the sentence itself) or a neighbour says `both sides`, `the two countries`, `bilateral`, `joint`, or names both | 0.60 |
//! <!-- /rules -->
//!
//! Multilateral instruments and fora (gazetteer rows without `parties`, such
//! as the Outer Space Treaty or UNCOPUOS) take only the explicit rules
//! `between`, `a-and-b-verb` and `a-verb-with-b`. Lower-case anchors take only
//! explicit rules too.
//!
//! **Roles**: a person with a title next to their name; the object is the body
//! or country the text ties the title to:
//!
//! <!-- rules:role -->
//! | rule | reads | confidence |
//! | --- | --- | --- |
//! | `title-of-body` | `Secretary General of the Ministry for Europe and Foreign Affairs, Anne-Marie Descôtes` | 0.90 |
//! | `body-title` | `KASA Administrator Yoon`, `Indian Ambassador ...`, `India's Joint Secretary` | 0.90 |
//! | `title-comma-body` | `S. Somanath, Secretary, Department of Space`: a body (not a country) right after the title and a comma | 0.85 |
//! | `name-of-body` | `Chairman G. Madhavan Nair of the Indian Space Research Organisation`: the body after the name | 0.85 |
//! | `name-from-country` | `Foreign Secretary Vinay Kwatra from India` | 0.85 |
//! | `delegation-led-by` | `The American team was led by Vipin Narang, ...` | 0.85 |
//! | `gazetteer-post` | the officials gazetteer's post with that title | 0.70 |
//! <!-- /rules -->
//!
//! Confidence is a fixed prior per rule: the share of that rule's triples we
//! expect to be right, set from the gold sets; use it to rank and filter.
//!
//! **Status** (cooperation only), from the evidence sentence: `negated` (not,
//! never, has yet to, ...), else `signed`, `implemented`, `planned`, or
//! `discussed`. Roles have status `stated`.
//!
//! **Bounds.** The stage is linear in the text's length whatever its shape
//! (a sentence of thousands of parties and anchors included): the driver
//! indexes a sentence's parties and anchors by position once, and each rule
//! reads only what lies near its anchor or person:
//! - a cooperation rule sees the parties that start at most
//!   [`PARTIES_BEFORE`] bytes before the anchor's start and at most
//!   [`PARTIES_AFTER`] bytes after its end (`A signed ... the agreement`
//!   with `A` further away is not read), and, for "the nearest anchor",
//!   only the anchors that can be nearer than 60 bytes to such a pair;
//! - a role rule sees the mentions that start at most [`ROLE_BEFORE`] bytes
//!   before the title or name and at most [`ROLE_AFTER`] bytes after;
//! - `document-pair`'s "the window names the pair" is read once per sentence;
//! - a sentence is at most [`crate::text::segment::MAX_SENTENCE_BYTES`] long.
//!
//! Every loop checks the article's [`Budget`] ([`relate_within`]).

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

pub mod rules;

use crate::budget::{Budget, OverBudget};
use crate::gazetteer::{EntityType, Gazetteer};
use crate::lexicon;
use crate::resolve::Entity;
use crate::text::segment::Segments;
use rules::Rules;

/// The kind of a triple.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Two parties to an instrument.
    Agreement,
    /// Two parties cooperating on a mission.
    Mission,
    /// Two parties holding a dialogue or meeting.
    Dialogue,
    /// A person, the body or country they serve, their title.
    Role,
}

impl Kind {
    /// The CSV name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Agreement => "agreement",
            Kind::Mission => "mission",
            Kind::Dialogue => "dialogue",
            Kind::Role => "role",
        }
    }
}

/// What the evidence sentence says of a cooperation (roles are `stated`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Signed, inked, concluded, ratified.
    Signed,
    /// Under way: launched, operational, in orbit.
    Implemented,
    /// Will, plans, intends, expected to.
    Planned,
    /// Named without any of the above.
    Discussed,
    /// Not, never, yet to, withdrew: not counted as a cooperation.
    Negated,
    /// A role, as the text states it.
    Stated,
}

impl Status {
    /// The CSV name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Signed => "signed",
            Status::Implemented => "implemented",
            Status::Planned => "planned",
            Status::Discussed => "discussed",
            Status::Negated => "negated",
            Status::Stated => "stated",
        }
    }
}

/// A relation read from a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Triple {
    /// Subject: a party's or person's canonical name.
    pub subject: String,
    /// Object: the other party, or the person's body or country.
    pub object: String,
    /// The instrument, mission or dialogue (canonical), or the title.
    pub relation: String,
    /// Kind.
    pub kind: Kind,
    /// Subject type.
    pub subject_type: EntityType,
    /// Object type.
    pub object_type: EntityType,
    /// The evidence sentence's span in the normalized text.
    pub evidence: Range<usize>,
    /// What the evidence sentence says of it.
    pub status: Status,
    /// The rule's prior confidence.
    pub confidence: f32,
    /// The rule that produced it.
    pub rule: rules::Rule,
}

/// A party as the relation rules see it.
#[derive(Clone, Debug, PartialEq)]
struct Party {
    key: String,
    name: String,
    etype: EntityType,
    span: Range<usize>,
}

fn party_of(e: &Entity, gaz: &Gazetteer) -> Party {
    Party {
        key: e.key(gaz),
        name: e.canonical.clone(),
        etype: e.etype,
        span: e.span.clone(),
    }
}

fn party_of_entry(i: u32, gaz: &Gazetteer, span: Range<usize>) -> Party {
    let e = gaz.entry(i as usize);
    Party {
        key: e.id.clone(),
        name: e.canonical.clone(),
        etype: e.etype,
        span,
    }
}

static NEGATION: LazyLock<Regex> = LazyLock::new(|| words_regex(&lexicon::en().negation, true));
static SIGNED: LazyLock<Regex> = LazyLock::new(|| words_regex(&lexicon::en().status_signed, true));
static IMPLEMENTED: LazyLock<Regex> =
    LazyLock::new(|| words_regex(&lexicon::en().status_implemented, true));
static PLANNED: LazyLock<Regex> =
    LazyLock::new(|| words_regex(&lexicon::en().status_planned, true));
static CUE: LazyLock<Regex> = LazyLock::new(|| words_regex(&lexicon::en().bilateral_cues, true));
static GENERIC_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    let forms: Vec<&str> = lexicon::en().instrument_nouns.iter().map(|n| n.0).collect();
    words_regex(&forms, false)
});

/// Between a country and a body it describes: `US space agency NASA`,
/// `India's space agency, the`; the body is the party.
static DESCRIBED_BODY: LazyLock<Regex> = LazyLock::new(|| {
    let d = lexicon::alternation(&lexicon::en().body_descriptors);
    Regex::new(&format!(r"^(?:'s)? (?:{d}),? (?:the )?$")).unwrap()
});

/// Any of `words` as a whole word (ASCII word boundaries), case-insensitive when `fold`.
fn words_regex(words: &[&str], fold: bool) -> Regex {
    let flags = if fold { "(?i)" } else { "" };
    Regex::new(&format!(
        r"{flags}(?-u:\b)({})(?-u:\b)",
        lexicon::alternation(words)
    ))
    .unwrap()
}

fn status_of(sentence: &str) -> Status {
    if NEGATION.is_match(sentence) {
        Status::Negated
    } else if SIGNED.is_match(sentence) {
        Status::Signed
    } else if IMPLEMENTED.is_match(sentence) {
        Status::Implemented
    } else if PLANNED.is_match(sentence) {
        Status::Planned
    } else {
        Status::Discussed
    }
}

/// An anchor: what a cooperation triple is about.
#[derive(Clone)]
struct Anchor {
    span: Range<usize>,
    kind: Kind,
    relation: String,
    /// The entity, when the anchor is one.
    entity: Option<usize>,
    /// "this agreement": takes only explicit rules.
    anaphoric: bool,
}

/// Read the triples of one document.
///
/// Only sentences where a rule can fire are read (see `may_relate`); the
/// others cannot give a triple, whatever their neighbours hold.
pub fn relate(
    text: &str,
    segments: &Segments,
    entities: &[Entity],
    gaz: &Gazetteer,
) -> Vec<Triple> {
    relate_with(text, segments, entities, gaz, Rules::ALL)
}

/// A cooperation rule reads the parties that start at most this many bytes
/// before its anchor's start.
pub const PARTIES_BEFORE: usize = 1024;
/// A cooperation rule reads the parties that start at most this many bytes
/// after its anchor's end (`with B` is at most 80 characters after it,
/// `between A and B` at most 60 bytes).
pub const PARTIES_AFTER: usize = 512;
/// A role rule reads the mentions that start at most this many bytes before
/// the person's title or name (`the Indian delegation was led by ...`).
pub const ROLE_BEFORE: usize = 256;
/// A role rule reads the mentions that start at most this many bytes after
/// the person's title or name (`Chair of the Executive Board of the German
/// Aerospace Center`).
pub const ROLE_AFTER: usize = 512;
/// `between`: a pair is at most this many bytes from its anchor.
const BETWEEN_REACH: usize = 60;

/// [`relate`] with only the `rules` enabled (a rule's fixture runs it alone).
pub fn relate_with(
    text: &str,
    segments: &Segments,
    entities: &[Entity],
    gaz: &Gazetteer,
    rules: Rules,
) -> Vec<Triple> {
    relate_within(text, segments, entities, gaz, rules, &Budget::unlimited())
        .expect("an unlimited budget never runs out")
}

/// The items of `items` (sorted by start) that start in `lo..=hi`.
fn starting_in<T>(items: &[T], start: impl Fn(&T) -> usize, lo: usize, hi: usize) -> &[T] {
    let from = items.partition_point(|x| start(x) < lo);
    let to = items.partition_point(|x| start(x) <= hi).max(from);
    &items[from..to]
}

/// [`relate_with`] within an article's `budget`: `Err` once its deadline passes.
pub fn relate_within(
    text: &str,
    segments: &Segments,
    entities: &[Entity],
    gaz: &Gazetteer,
    rules: Rules,
    budget: &Budget,
) -> Result<Vec<Triple>, OverBudget> {
    let n = segments.sentences.len();
    let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in entities.iter().enumerate() {
        if let Some(s) = segments.sentence_at(e.span.start) {
            by_sentence[s].push(i);
        }
    }
    let pair = main_pair(segments, &by_sentence, entities, gaz);
    let facts = SentenceFacts::new(n);
    let named = NamedAgreements::new(entities);
    let mut out = Unique::default();
    for s in 0..n {
        budget.check()?;
        if !may_relate(&by_sentence[s], entities) {
            continue;
        }
        let sent = &segments.sentences[s];
        let range = sent.start..sent.end;
        let parties = sentence_parties(text, &by_sentence[s], entities, gaz);
        let found = anchors(
            text,
            &range,
            &by_sentence[s],
            entities,
            &named,
            parties.len(),
        );
        // Roles first: the bodies of the sentence's titled persons are the
        // parties the `signatories` rule reads.
        let mut signers: Vec<Party> = Vec::new();
        let ents = &by_sentence[s];
        for &i in ents {
            let e = &entities[i];
            if e.etype != EntityType::Person {
                continue;
            }
            budget.check()?;
            let Some(title) = &e.title else {
                continue;
            };
            let lo = e
                .span
                .start
                .min(title.span.start)
                .saturating_sub(ROLE_BEFORE);
            let hi = e.span.end.max(title.span.end) + ROLE_AFTER;
            let near = starting_in(ents, |&k| entities[k].span.start, lo, hi);
            for (k, (t, body)) in rules::role::role(rules, text, &range, near, entities, i, gaz)
                .into_iter()
                .enumerate()
            {
                out.push(t);
                // A person signs for their first body.
                if k == 0
                    && let Some(b) = body.filter(|b| b.etype.is_party())
                    && !signers.iter().any(|x| x.key == b.key)
                {
                    signers.push(b);
                }
            }
        }
        // The anchors by position, for "is another anchor nearer to this pair".
        let mut by_pos = found.clone();
        by_pos.sort_by_key(|a| a.span.start);
        let longest_anchor = found.iter().map(|a| a.span.len()).max().unwrap_or(0);
        let longest_party = parties.iter().map(|p| p.span.len()).max().unwrap_or(0);
        for anchor in &found {
            budget.check()?;
            let lo = anchor.span.start.saturating_sub(PARTIES_BEFORE);
            let hi = anchor.span.end + PARTIES_AFTER;
            let near = starting_in(&parties, |p| p.span.start, lo, hi);
            // An anchor nearer than BETWEEN_REACH to a pair of `near`.
            let others = starting_in(
                &by_pos,
                |a| a.span.start,
                lo.saturating_sub(BETWEEN_REACH + longest_anchor),
                hi + longest_party + BETWEEN_REACH,
            );
            let ctx = Context {
                text,
                sentence: range.clone(),
                parties: near,
                segments,
                s,
                by_sentence: &by_sentence,
                entities,
                gaz,
                pair: pair.as_ref(),
                facts: &facts,
                anchors: others,
                rules,
                signers: &signers,
            };
            for t in cooperation(&ctx, anchor) {
                out.push(t);
            }
        }
    }
    Ok(out.triples)
}

/// True when some rule can fire in a sentence holding the entities `ents`.
///
/// - An instrument, mission or dialogue mention is an anchor on its own:
///   `compound-in-name` and `gazetteer-parties` read the anchor alone, and
///   `document-pair` reads the document's pair and the neighbouring sentences.
/// - A person mention may carry a title: `gazetteer-post` needs nothing else.
/// - Every other rule pairs two parties of the sentence itself (a lower-case
///   or anaphoric anchor such as "an agreement" takes only those rules), so a
///   sentence with fewer than two parties and neither of the above gives nothing.
///
/// Skipping a sentence changes nothing else: the per-sentence facts that a
/// neighbour's `document-pair` reads are computed on demand, whoever asks.
fn may_relate(ents: &[usize], entities: &[Entity]) -> bool {
    let mut parties = 0;
    for &i in ents {
        match entities[i].etype {
            EntityType::Agreement
            | EntityType::Mission
            | EntityType::Dialogue
            | EntityType::Person => return true,
            t if t.is_party() => parties += 1,
            _ => {}
        }
    }
    parties >= 2
}

/// The triples kept so far, one per (kind, unordered pair, relation), with
/// an index so that a large document does not compare every new triple with
/// all earlier ones.
#[derive(Default)]
struct Unique {
    triples: Vec<Triple>,
    index: HashMap<u64, Vec<usize>>,
    hasher: RandomState,
}

impl Unique {
    /// Keep the most confident triple of its kind, pair and relation, then the earliest.
    fn push(&mut self, t: Triple) {
        let key = self.key(&t);
        let Unique { triples, index, .. } = self;
        let bucket = index.entry(key).or_default();
        match bucket
            .iter()
            .copied()
            .find(|&i| same_triple(&triples[i], &t))
        {
            Some(i) => {
                if t.confidence > triples[i].confidence {
                    triples[i] = t;
                }
            }
            None => {
                bucket.push(triples.len());
                triples.push(t);
            }
        }
    }

    /// A hash that equal triples (in the sense of [`same_triple`]) share.
    fn key(&self, t: &Triple) -> u64 {
        let (a, b) = if t.kind != Kind::Role && t.object < t.subject {
            (&t.object, &t.subject)
        } else {
            (&t.subject, &t.object)
        };
        self.hasher.hash_one((t.kind, &t.relation, a, b))
    }
}

/// Same kind, relation and pair (unordered, except for roles).
fn same_triple(o: &Triple, t: &Triple) -> bool {
    o.kind == t.kind
        && o.relation == t.relation
        && ((o.subject == t.subject && o.object == t.object)
            || (t.kind != Kind::Role && o.subject == t.object && o.object == t.subject))
}

/// Finds the agreement an anaphoric anchor ("this agreement") refers to.
struct NamedAgreements<'a> {
    entities: &'a [Entity],
    /// The longest entity span, which bounds how far back to look.
    max_len: usize,
}

impl<'a> NamedAgreements<'a> {
    /// How far before the anaphor the named agreement may end.
    const REACH: usize = 600;

    fn new(entities: &'a [Entity]) -> Self {
        let max_len = entities.iter().map(|e| e.span.len()).max().unwrap_or(0);
        NamedAgreements { entities, max_len }
    }

    /// The last agreement (in entity order) that ends at most [`Self::REACH`]
    /// bytes before `at`. Entities are sorted by start, so only those that
    /// start by `at` can end by it, and the walk back stops once even the
    /// longest span could not reach.
    fn before(&self, at: usize) -> Option<(usize, &'a Entity)> {
        let upto = self.entities.partition_point(|e| e.span.start <= at);
        for i in (0..upto).rev() {
            let e = &self.entities[i];
            if e.span.start + self.max_len + Self::REACH <= at {
                break;
            }
            if e.etype == EntityType::Agreement && e.span.end <= at && at - e.span.end < Self::REACH
            {
                return Some((i, e));
            }
        }
        None
    }
}

/// The parties of a sentence in text order, with `Name (ACRO)` as one party
/// and a possessive country before a body left out (`France's CNES` is CNES).
fn sentence_parties(
    text: &str,
    ents: &[usize],
    entities: &[Entity],
    gaz: &Gazetteer,
) -> Vec<Party> {
    let mut out: Vec<Party> = Vec::new();
    let party_ents: Vec<&Entity> = ents
        .iter()
        .map(|&i| &entities[i])
        .filter(|e| e.etype.is_party())
        .collect();
    for (k, e) in party_ents.iter().enumerate() {
        let p = party_of(e, gaz);
        if let Some(last) = out.last_mut()
            && last.key == p.key
            && &text[last.span.end..p.span.start] == " ("
            && text[p.span.end..].starts_with(')')
        {
            last.span.end = p.span.end + 1;
            continue;
        }
        if e.etype == EntityType::Country
            && let Some(next) = party_ents.get(k + 1)
            && next.etype != EntityType::Country
            && (&text[e.span.end..next.span.start] == "'s "
                || DESCRIBED_BODY.is_match(&text[e.span.end..next.span.start]))
        {
            continue;
        }
        let mut p = p;
        // "the Government of Japan": the party starts at "Government".
        if e.etype == EntityType::Country
            && let Some(head) = lexicon::en()
                .party_heads
                .iter()
                .find(|h| text[..p.span.start].ends_with(&format!("{h} ")))
        {
            p.span.start -= head.len() + 1;
        }
        out.push(p);
    }
    out
}

/// The pair of countries the document is about: from its title, else its
/// first paragraph.
fn main_pair(
    segments: &Segments,
    by_sentence: &[Vec<usize>],
    entities: &[Entity],
    gaz: &Gazetteer,
) -> Option<(Party, Party)> {
    let first_paragraphs = [
        segments.sentences.iter().position(|s| s.is_title),
        segments.sentences.iter().position(|s| !s.is_title),
    ];
    for start in first_paragraphs.into_iter().flatten() {
        let para = segments.sentences[start].paragraph;
        let mut found: Vec<Party> = Vec::new();
        for (s, sent) in segments.sentences.iter().enumerate().skip(start) {
            if sent.paragraph != para {
                break;
            }
            for &i in &by_sentence[s] {
                let e = &entities[i];
                let mut ps = Vec::new();
                if e.etype == EntityType::Country {
                    ps.push(party_of(e, gaz));
                }
                for &inner in &e.inner {
                    if gaz.entry(inner as usize).etype == EntityType::Country {
                        ps.push(party_of_entry(inner, gaz, e.span.clone()));
                    }
                }
                for p in ps {
                    if !found.iter().any(|f| f.key == p.key) {
                        found.push(p);
                    }
                }
            }
        }
        if found.len() >= 2 {
            let b = found.swap_remove(1);
            let a = found.swap_remove(0);
            return Some((a, b));
        }
    }
    None
}

/// The anchors of a sentence: its instrument, mission and dialogue mentions,
/// then lower-case instrument words. These take only the rules that pair two
/// of the sentence's parties, so they are looked for only when it has two.
fn anchors(
    text: &str,
    sentence: &Range<usize>,
    ents: &[usize],
    entities: &[Entity],
    named: &NamedAgreements<'_>,
    parties: usize,
) -> Vec<Anchor> {
    let mut out = Vec::new();
    for &i in ents {
        let e = &entities[i];
        let kind = match e.etype {
            EntityType::Agreement => Kind::Agreement,
            EntityType::Mission => Kind::Mission,
            EntityType::Dialogue => Kind::Dialogue,
            _ => continue,
        };
        out.push(Anchor {
            span: e.span.clone(),
            kind,
            relation: e.canonical.clone(),
            entity: Some(i),
            anaphoric: false,
        });
    }
    if parties < 2 {
        return out;
    }
    let s = &text[sentence.clone()];
    for m in GENERIC_ANCHOR.find_iter(s) {
        let span = sentence.start + m.start()..sentence.start + m.end();
        // Mentions never overlap and are sorted by start: only the last one
        // that starts before the word ends can overlap it.
        let upto = ents.partition_point(|&i| entities[i].span.start < span.end);
        if upto > 0 && span.start < entities[ents[upto - 1]].span.end {
            continue;
        }
        // "This agreement", "the MoU": the instrument named last before it.
        // With none named before it ("The agreement was signed by A and
        // B"), it is an unnamed instrument, read like "an agreement".
        let before = s[..m.start()].trim_end().as_bytes();
        if ["this", "the", "that", "said"].iter().any(|d| {
            before.len() >= d.len()
                && before[before.len() - d.len()..].eq_ignore_ascii_case(d.as_bytes())
        }) && let Some((i, e)) = named.before(span.start)
        {
            out.push(Anchor {
                span,
                kind: Kind::Agreement,
                relation: e.canonical.clone(),
                entity: Some(i),
                anaphoric: true,
            });
            continue;
        }
        let relation = lexicon::en()
            .instrument_nouns
            .iter()
            .find(|n| n.0 == m.as_str())
            .map_or("Agreement", |n| n.1);
        out.push(Anchor {
            span,
            kind: Kind::Agreement,
            relation: relation.to_string(),
            entity: None,
            anaphoric: false,
        });
    }
    out
}

struct Context<'a> {
    text: &'a str,
    sentence: Range<usize>,
    parties: &'a [Party],
    segments: &'a Segments,
    s: usize,
    by_sentence: &'a [Vec<usize>],
    entities: &'a [Entity],
    gaz: &'a Gazetteer,
    pair: Option<&'a (Party, Party)>,
    facts: &'a SentenceFacts,
    /// All anchors of the sentence: an explicit pair belongs to the nearest.
    anchors: &'a [Anchor],
    /// The rules enabled.
    rules: Rules,
    /// The bodies of the sentence's titled persons, in text order, each once.
    signers: &'a [Party],
}

/// Distance in bytes between an anchor and a pair's span.
fn gap(anchor: &Range<usize>, pair: &Range<usize>) -> usize {
    if anchor.end <= pair.start {
        pair.start - anchor.end
    } else {
        anchor.start.saturating_sub(pair.end)
    }
}

/// Per-sentence regex results, computed at most once each.
struct SentenceFacts {
    status: Vec<std::cell::OnceCell<Status>>,
    cue: Vec<std::cell::OnceCell<bool>>,
    /// The sentence and its neighbours name the document's pair.
    names_pair: Vec<std::cell::OnceCell<bool>>,
}

impl SentenceFacts {
    fn new(n: usize) -> Self {
        SentenceFacts {
            status: (0..n).map(|_| std::cell::OnceCell::new()).collect(),
            cue: (0..n).map(|_| std::cell::OnceCell::new()).collect(),
            names_pair: (0..n).map(|_| std::cell::OnceCell::new()).collect(),
        }
    }

    fn status(&self, ctx: &Context<'_>, k: usize) -> Status {
        *self.status[k].get_or_init(|| status_of(sentence_text(ctx, k)))
    }

    fn cue(&self, ctx: &Context<'_>, k: usize) -> bool {
        *self.cue[k].get_or_init(|| CUE.is_match(sentence_text(ctx, k)))
    }
}

fn sentence_text<'t>(ctx: &Context<'t>, k: usize) -> &'t str {
    let s = &ctx.segments.sentences[k];
    &ctx.text[s.start..s.end]
}

/// The separator of the last two items of a list: `A and B`, `A, and the B`.
fn is_and(mid: &str) -> bool {
    matches!(mid, " and " | " and the " | ", and " | ", and the ")
}

/// Most parties one list may hold (`A, B, C and D`): a longer run of names
/// is a table or a tag list, not signatories.
const LIST_MAX: usize = 6;

/// The index of the first party of the list that ends with `ps[i] and
/// ps[i + 1]`: parties before `ps[i]` joined by `, ` (at most [`LIST_MAX`]).
fn list_start(text: &str, ps: &[Party], i: usize) -> usize {
    let mut start = i;
    while start > 0 && i + 2 - start < LIST_MAX {
        let sep = &text[ps[start - 1].span.end..ps[start].span.start];
        if sep == ", " || sep == ", the " {
            start -= 1;
        } else {
            break;
        }
    }
    start
}

/// Every pair of distinct parties of a list, in list order.
fn all_pairs(list: &[Party], anchor: &Range<usize>) -> Vec<(Party, Party)> {
    let mut out = Vec::new();
    for (k, a) in list.iter().enumerate() {
        for b in &list[k + 1..] {
            if distinct(a, b, anchor)
                && !out
                    .iter()
                    .any(|(x, y): &(Party, Party)| x.key == a.key && y.key == b.key)
            {
                out.push((a.clone(), b.clone()));
            }
        }
    }
    out
}

/// Two distinct parties, neither of which is the anchor itself.
fn distinct(a: &Party, b: &Party, anchor: &Range<usize>) -> bool {
    a.key != b.key && a.span != *anchor && b.span != *anchor
}

/// The cooperation triple of `anchor`: the registry's first rule that
/// pairs two parties. A multilateral instrument or forum (a gazetteer row
/// without parties), a lower-case instrument word and "this agreement" take
/// only the explicit rules, which name both parties in the sentence.
fn cooperation(ctx: &Context<'_>, anchor: &Anchor) -> Vec<Triple> {
    let entity = anchor.entity.map(|i| &ctx.entities[i]);
    let entry = entity
        .and_then(|e| e.entry)
        .map(|k| ctx.gaz.entry(k as usize));
    let multilateral = entry.is_some_and(|e| {
        e.parties.is_empty() && matches!(e.etype, EntityType::Agreement | EntityType::Dialogue)
    });
    let explicit_only = multilateral || entity.is_none() || anchor.anaphoric;
    rules::cooperation(ctx, anchor, explicit_only)
}

fn window(ctx: &Context<'_>) -> Range<usize> {
    ctx.s.saturating_sub(1)..(ctx.s + 2).min(ctx.segments.sentences.len())
}

fn window_has_cue(ctx: &Context<'_>) -> bool {
    window(ctx).any(|k| ctx.facts.cue(ctx, k))
}

/// True when the sentence and its neighbours name both `a` and `b`. Only
/// ever asked for the document's pair, so the answer is kept per sentence.
fn window_names_pair(ctx: &Context<'_>, a: &Party, b: &Party) -> bool {
    debug_assert!(ctx.pair.is_some_and(|(x, y)| x == a && y == b));
    *ctx.facts.names_pair[ctx.s].get_or_init(|| window_names(ctx, a, b))
}

fn window_names(ctx: &Context<'_>, a: &Party, b: &Party) -> bool {
    let mut keys: Vec<String> = Vec::new();
    for k in window(ctx) {
        for &i in &ctx.by_sentence[k] {
            let e = &ctx.entities[i];
            keys.push(e.key(ctx.gaz));
            keys.extend(
                e.inner
                    .iter()
                    .map(|&x| ctx.gaz.entry(x as usize).id.clone()),
            );
        }
    }
    keys.contains(&a.key) && keys.contains(&b.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (subject, object, relation, kind, rule) of every triple of `text`.
    fn triples(
        text: &str,
    ) -> Vec<(
        String,
        String,
        String,
        &'static str,
        &'static str,
        &'static str,
    )> {
        let doc = crate::testing::doc(text);
        let a = crate::testing::engine().analyze(&doc);
        relate(
            a.norm.text(),
            &a.segments,
            &a.entities,
            crate::testing::engine().gazetteer(),
        )
        .into_iter()
        .map(|t| {
            (
                t.subject,
                t.object,
                t.relation,
                t.kind.as_str(),
                t.rule.name(),
                t.status.as_str(),
            )
        })
        .collect()
    }

    fn has(text: &str, want: (&str, &str, &str, &str, &str)) {
        let got = triples(text);
        assert!(
            got.iter()
                .any(|t| (t.0.as_str(), t.1.as_str(), t.2.as_str(), t.3, t.4) == want),
            "{want:?} not in {got:#?}\nfor: {text}"
        );
    }

    #[test]
    fn compound_in_name() {
        has(
            "Officials met for the Japan-Brazil Space Dialogue in Tokyo on Monday.",
            (
                "Japan",
                "Brazil",
                "Japan-Brazil Space Dialogue",
                "dialogue",
                "compound-in-name",
            ),
        );
    }

    #[test]
    fn compound_before() {
        has(
            "Engineers praised the joint Sino-Brazilian CBERS-4A satellite after launch.",
            (
                "China",
                "Brazil",
                "China-Brazil Earth Resources Satellite",
                "mission",
                "compound-before",
            ),
        );
    }

    #[test]
    fn between() {
        has(
            "Tokyo, May 2 - A Memorandum of Understanding between JAXA and the European Space Agency was announced on Friday.",
            (
                "Japan Aerospace Exploration Agency",
                "European Space Agency",
                "Memorandum of Understanding",
                "agreement",
                "between",
            ),
        );
    }

    #[test]
    fn an_instrument_keeps_its_signers_when_its_complement_names_a_mission() {
        let text = "A tripartite agreement on cooperation for the Hayabusa2 mission was signed by JAXA, CNES and DLR.";
        for (a, b) in [
            (
                "Japan Aerospace Exploration Agency",
                "National Centre for Space Studies",
            ),
            (
                "National Centre for Space Studies",
                "German Aerospace Center",
            ),
        ] {
            has(text, (a, b, "Agreement", "agreement", "by-a-and-b"));
        }
        // A clause break between them: the pair is the nearer anchor's only.
        let got = triples(
            "The agreement was renewed, and the Hayabusa2 mission was developed by JAXA and CNES.",
        );
        assert!(!got.iter().any(|t| t.3 == "agreement"), "{got:#?}");
    }

    #[test]
    fn the_documents_pair_does_not_hold_a_forum_it_attends() {
        let got = triples(
            "India and France deepen ties.\n\nThe ministers met on the margins of the Example Economic Forum.\n\nBoth sides reviewed the TRISHNA mission.",
        );
        assert!(
            got.iter()
                .any(|t| t.3 == "mission" && t.4 == "document-pair"),
            "{got:#?}"
        );
        assert!(!got.iter().any(|t| t.3 == "dialogue"), "{got:#?}");
        // The cue in the forum's own sentence: the pair holds it.
        has(
            "India and France deepen ties.\n\nThe Example Economic Forum is a testament to the two nations' ties.",
            (
                "India",
                "France",
                "Example Economic Forum",
                "dialogue",
                "document-pair",
            ),
        );
    }

    #[test]
    fn signatories_sign_instruments_not_the_forum_they_sign_at() {
        let text = "NASA Administrator Jane Example and ISRO Chairman John Example signed the agreement during the G20 Summit.";
        let got = triples(text);
        assert!(
            got.iter()
                .any(|t| t.3 == "agreement" && t.4 == "signatories"),
            "{got:#?}"
        );
        assert!(
            !got.iter()
                .any(|t| t.3 == "dialogue" && t.4 == "signatories"),
            "{got:#?}"
        );
    }

    #[test]
    fn unnamed_instruments_take_the_lexicons_name() {
        has(
            "JAXA has signed two letters of intent with the European Space Agency.",
            (
                "Japan Aerospace Exploration Agency",
                "European Space Agency",
                "Letters of Intent",
                "agreement",
                "a-verb-with-b",
            ),
        );
        has(
            "JAXA and the European Space Agency signed a joint statement of intent on Monday.",
            (
                "Japan Aerospace Exploration Agency",
                "European Space Agency",
                "Joint Statement of Intent",
                "agreement",
                "a-and-b-verb",
            ),
        );
    }

    #[test]
    fn a_and_b_verb_even_for_multilateral_instruments() {
        has(
            "The UAE Space Agency and NASA signed an agreement on the lunar airlock in Abu Dhabi.",
            (
                "UAE Space Agency",
                "National Aeronautics and Space Administration",
                "Agreement",
                "agreement",
                "a-and-b-verb",
            ),
        );
        has(
            "Brazil and Japan jointly signed the Artemis Accords at a ceremony.",
            (
                "Brazil",
                "Japan",
                "Artemis Accords",
                "agreement",
                "a-and-b-verb",
            ),
        );
    }

    #[test]
    fn a_verb_with_b() {
        has(
            "Brazil signed a framework agreement with China to extend satellite cooperation.",
            (
                "Brazil",
                "China",
                "Framework Agreement",
                "agreement",
                "a-verb-with-b",
            ),
        );
    }

    #[test]
    fn gazetteer_parties() {
        has(
            "Indian and French officials reviewed the Letter of Intent on Defence Space Cooperation.",
            (
                "India",
                "France",
                "Letter of Intent on Defence Space Cooperation",
                "agreement",
                "gazetteer-parties",
            ),
        );
    }

    #[test]
    fn document_pair_needs_a_cue() {
        let text = "Japan and Italy deepen space ties\n\nBoth sides discussed the LUPEX mission and lunar science.\n\nSeparately, engineers tested the Vega-C rocket.";
        has(
            text,
            (
                "Japan",
                "Italy",
                "Lunar Polar Exploration Mission",
                "mission",
                "document-pair",
            ),
        );
        assert!(
            !triples(text).iter().any(|t| t.2 == "Vega-C"),
            "no cue, no triple: {:#?}",
            triples(text)
        );
    }

    #[test]
    fn multilateral_and_negated_statements() {
        let text = "India and Japan deepen space ties\n\nBoth sides reaffirmed their commitment to the Outer Space Treaty.";
        assert!(triples(text).is_empty(), "{:#?}", triples(text));
        let got = triples("Japan and India have not signed the agreement on lunar data.");
        assert!(got.iter().all(|t| t.5 == "negated"), "{got:#?}");
        assert!(triples("India has not signed the Artemis Accords.").is_empty());
    }

    #[test]
    fn anaphoric_anchor_reaches_back_600_bytes() {
        let named = "The Letter of Intent on Defence Space Cooperation was drafted in Paris.";
        let want = (
            "Brazil",
            "Japan",
            "Letter of Intent on Defence Space Cooperation",
            "agreement",
            "a-and-b-verb",
        );
        has(
            &format!("{named} Brazil and Japan signed this agreement."),
            want,
        );
        // Filler sentences that name nothing push the anaphor out of reach:
        // it is then an unnamed agreement.
        let filler = " Officials spoke at length about it.".repeat(20);
        let text = format!("{named}{filler} Brazil and Japan signed this agreement.");
        let got = triples(&text);
        assert!(
            got.iter()
                .all(|t| t.2 != "Letter of Intent on Defence Space Cooperation"),
            "{got:#?}"
        );
        assert!(
            got.iter().any(|t| t.0 == "Brazil" && t.2 == "Agreement"),
            "{got:#?}"
        );
    }

    #[test]
    fn role_rules() {
        has(
            "Seoul, Jan 5 - KASA Administrator Yoon Youngbin visited Paris.",
            (
                "Yoon Youngbin",
                "Korea Aerospace Administration",
                "Administrator",
                "role",
                "body-title",
            ),
        );
        has(
            "The talks were led by Director General of the European Space Agency, Josef Aschbacher, in Paris.",
            (
                "Josef Aschbacher",
                "European Space Agency",
                "Director General",
                "role",
                "title-of-body",
            ),
        );
        has(
            "Talks were led by Foreign Secretary Vinay Kwatra from India on Monday.",
            (
                "Vinay Kwatra",
                "India",
                "Foreign Secretary",
                "role",
                "name-from-country",
            ),
        );
        has(
            "The Brazilian delegation was led by Marcos Pontes, Minister of Science, Technology and Innovations.",
            (
                "Marcos Pontes",
                "Brazil",
                "Minister of Science, Technology and Innovations",
                "role",
                "delegation-led-by",
            ),
        );
    }

    /// The shapes of issue 20, each a unit repeated in one sentence: they
    /// were cubic or quadratic (1,000 units of the first took 7.6 s in a
    /// release build); now each is read in linear time, even in a debug build.
    #[test]
    fn one_sentence_of_many_parties_anchors_and_persons_is_read_in_linear_time() {
        let units = [
            "an agreement between India and France and a pact between Japan and Italy {i}",
            "the Letter of Intent on Defence Space Cooperation {i}",
            "ISRO Chairman K. Sivan met NASA Administrator Bill Nelson and Minister {i}",
            "India signed an agreement with France and Japan and Italy {i}",
        ];
        for unit in units {
            let text: Vec<String> = (0..3000)
                .map(|i| unit.replace("{i}", &i.to_string()))
                .collect();
            let text = text.join(" ");
            let t = std::time::Instant::now();
            let got = triples(&text);
            assert!(
                t.elapsed().as_secs() < 20,
                "{unit}: {:?}, {} triples",
                t.elapsed(),
                got.len()
            );
        }
        // The bounds keep what a normal sentence gives.
        has(
            "An agreement between India and France and a pact between Japan and Italy were signed.",
            ("India", "France", "Agreement", "agreement", "between"),
        );
    }

    #[test]
    fn gazetteer_post_gives_the_country() {
        has(
            "Administrator Bill Nelson spoke at the meeting.",
            (
                "Bill Nelson",
                "United States",
                "Administrator",
                "role",
                "gazetteer-post",
            ),
        );
    }

    #[test]
    fn a_second_title_after_the_body_gives_its_own_role() {
        let text = "Dr. K. Sivan, Chairman of the Indian Space Research Organisation (ISRO) and Secretary, Department of Space, spoke.";
        has(
            text,
            (
                "K. Sivan",
                "Indian Space Research Organisation",
                "Chairman",
                "role",
                "title-of-body",
            ),
        );
        has(
            text,
            (
                "K. Sivan",
                "Department of Space",
                "Secretary",
                "role",
                "title-comma-body",
            ),
        );
    }
}
