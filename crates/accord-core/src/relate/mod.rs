//! The relation stage: cooperation and role triples with evidence.
//!
//! Reads resolved entities (never the matcher) and the document's sentences,
//! and applies the named rules below, one sentence at a time. Each triple
//! records the rule that produced it and that rule's confidence.
//!
//! **Cooperation** (`agreement`, `mission`, `dialogue`): an *anchor* (an
//! instrument, mission or dialogue mention, or a lower-case instrument word
//! such as "an agreement") and two parties, countries or bodies named as the
//! text names them. Rules, first that applies wins:
//!
//! | rule | reads | confidence |
//! | --- | --- | --- |
//! | `compound-in-name` | two parties inside the anchor's name: `India-France Strategic Space Dialogue` | 0.95 |
//! | `compound-before` | a hyphenated pair just before the anchor: `joint U.S.-French SWOT mission` | 0.90 |
//! | `between` | `between A and B` next to the anchor: `MoU between KASA and ISRO` | 0.90 |
//! | `a-and-b-verb` | `A and B signed/agreed/launched ... anchor` | 0.85 |
//! | `a-verb-with-b` | `A signed ... anchor ... with B` | 0.80 |
//! | `gazetteer-parties` | a named bilateral instrument whose gazetteer row lists its two parties | 0.75 |
//! | `document-pair` | the pair the document is about (title, else first paragraph), when the sentence or a neighbour says `both sides`, `the two countries`, `bilateral`, `joint`, or names both | 0.60 |
//!
//! Multilateral instruments and fora (gazetteer rows without `parties`, such
//! as the Outer Space Treaty or UNCOPUOS) take only the explicit rules
//! `between`, `a-and-b-verb` and `a-verb-with-b`. Lower-case anchors take only
//! explicit rules too.
//!
//! **Roles**: a person with a title next to their name; the object is the body
//! or country the text ties the title to:
//!
//! | rule | reads | confidence |
//! | --- | --- | --- |
//! | `body-title` | `KASA Administrator Yoon`, `Indian Ambassador ...`, `India's Joint Secretary` | 0.90 |
//! | `title-of-body` | `Secretary General of the Ministry for Europe and Foreign Affairs, Anne-Marie Descôtes` | 0.90 |
//! | `name-from-country` | `Foreign Secretary Vinay Kwatra from India` | 0.85 |
//! | `delegation-led-by` | `The American team was led by Vipin Narang, ...` | 0.85 |
//! | `gazetteer-post` | the officials gazetteer's post with that title | 0.70 |
//!
//! Confidence is a fixed prior per rule: the share of that rule's triples we
//! expect to be right, set from the gold sets; use it to rank and filter.
//!
//! **Status** (cooperation only), from the evidence sentence: `negated` (not,
//! never, has yet to, ...), else `signed`, `implemented`, `planned`, or
//! `discussed`. Roles have status `stated`.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::gazetteer::{EntityType, Gazetteer};
use crate::resolve::Entity;
use crate::text::segment::Segments;

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
    /// `signed`, `implemented`, `planned`, `discussed`, `negated` or `stated`.
    pub status: &'static str,
    /// The rule's prior confidence.
    pub confidence: f32,
    /// The rule that produced it.
    pub rule: &'static str,
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

static NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(not|never|no longer|refused|declined|withdrew|withdrawn|yet to|didn't|hasn't|haven't|won't|isn't|aren't)(?-u:\b)").unwrap()
});
static SIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(signed|signing|inked|concluded|sealed|entered into|ratified|exchanged)(?-u:\b)")
        .unwrap()
});
static IMPLEMENTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(implementation|implemented|implementing|launched|launch of|operational|in orbit|now measures|celebrated)(?-u:\b)").unwrap()
});
static PLANNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(will|plans?|planned|planning|intends?|intent|expected to|to be signed|proposed|forthcoming|upcoming|future|aims? to|set to)(?-u:\b)").unwrap()
});
static CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(both sides|both countries|both nations|the two countries|the two nations|the two sides|two countries'|two nations'|bilateral|bilaterally|jointly|joint)(?-u:\b)").unwrap()
});
static GENERIC_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(memorandum of understanding|letter of intent|implementing arrangement|framework agreement|agreement|accord|pact|treaty|MoU|MOU)(?-u:\b)").unwrap()
});
static AND_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^,?\s+(?:(?:have|has|had|will|would|on \w+|formally|today|jointly|also)\s+)*(signed|signing|sign|inked|concluded|agreed|sealed|renewed|extended|launched|unveiled|operate|operated|built|developed|are developing|will develop|exchanged|exchanging|finali[sz]ed|announced)(?-u:\b)").unwrap()
});
static BY_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(developed|built|designed|operated|run|led|managed|funded|launched|co-developed|proposed|provided|signed|conducted|carried out)(?: jointly)? by (?:the )?$").unwrap()
});
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(signed|inked|concluded|sealed|entered into|agreed|renewed|launched)(?-u:\b)",
    )
    .unwrap()
});
static WITH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^.;]{0,80}?(?-u:\b)with (?:the )?$").unwrap());
static LED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^,? (?:(?:\w+ ){0,2}(?:team|delegation|side)(?: was| is| were)? )?(?:led|headed|chaired|represented) by (?:[A-Z][\w.]* ){0,4}$").unwrap()
});

fn status_of(sentence: &str) -> &'static str {
    if NEGATION.is_match(sentence) {
        "negated"
    } else if SIGNED.is_match(sentence) {
        "signed"
    } else if IMPLEMENTED.is_match(sentence) {
        "implemented"
    } else if PLANNED.is_match(sentence) {
        "planned"
    } else {
        "discussed"
    }
}

/// An anchor: what a cooperation triple is about.
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
        for anchor in &found {
            let ctx = Context {
                text,
                sentence: range.clone(),
                parties: &parties,
                segments,
                s,
                by_sentence: &by_sentence,
                entities,
                gaz,
                pair: pair.as_ref(),
                facts: &facts,
                anchors: &found,
            };
            if let Some(t) = cooperation(&ctx, anchor) {
                out.push(t);
            }
        }
        for &i in &by_sentence[s] {
            let e = &entities[i];
            if e.etype == EntityType::Person
                && let Some(t) = role(text, &range, &by_sentence[s], entities, i, gaz)
            {
                out.push(t);
            }
        }
    }
    out.triples
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
            && &text[e.span.end..next.span.start] == "'s "
        {
            continue;
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
        if ents
            .iter()
            .any(|&i| entities[i].span.start < span.end && span.start < entities[i].span.end)
        {
            continue;
        }
        // "This agreement", "the MoU": the instrument named last before it.
        let before = s[..m.start()].trim_end().to_ascii_lowercase();
        if ["this", "the", "that", "said"]
            .iter()
            .any(|d| before.ends_with(d))
        {
            if let Some((i, e)) = named.before(span.start) {
                out.push(Anchor {
                    span,
                    kind: Kind::Agreement,
                    relation: e.canonical.clone(),
                    entity: Some(i),
                    anaphoric: true,
                });
            }
            continue;
        }
        let relation = match m.as_str().to_ascii_lowercase().as_str() {
            "memorandum of understanding" | "mou" => "Memorandum of Understanding",
            "letter of intent" => "Letter of Intent",
            "implementing arrangement" => "Implementing Arrangement",
            "framework agreement" => "Framework Agreement",
            "treaty" => "Treaty",
            _ => "Agreement",
        };
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
    status: Vec<std::cell::OnceCell<&'static str>>,
    cue: Vec<std::cell::OnceCell<bool>>,
}

impl SentenceFacts {
    fn new(n: usize) -> Self {
        SentenceFacts {
            status: (0..n).map(|_| std::cell::OnceCell::new()).collect(),
            cue: (0..n).map(|_| std::cell::OnceCell::new()).collect(),
        }
    }

    fn status(&self, ctx: &Context<'_>, k: usize) -> &'static str {
        self.status[k].get_or_init(|| status_of(sentence_text(ctx, k)))
    }

    fn cue(&self, ctx: &Context<'_>, k: usize) -> bool {
        *self.cue[k].get_or_init(|| CUE.is_match(sentence_text(ctx, k)))
    }
}

fn sentence_text<'t>(ctx: &Context<'t>, k: usize) -> &'t str {
    let s = &ctx.segments.sentences[k];
    &ctx.text[s.start..s.end]
}

/// Two distinct parties, neither of which is the anchor itself.
fn distinct(a: &Party, b: &Party, anchor: &Range<usize>) -> bool {
    a.key != b.key && a.span != *anchor && b.span != *anchor
}

fn cooperation(ctx: &Context<'_>, anchor: &Anchor) -> Option<Triple> {
    let text = ctx.text;
    let entity = anchor.entity.map(|i| &ctx.entities[i]);
    let entry = entity
        .and_then(|e| e.entry)
        .map(|k| ctx.gaz.entry(k as usize));
    let multilateral = entry.is_some_and(|e| {
        e.parties.is_empty() && matches!(e.etype, EntityType::Agreement | EntityType::Dialogue)
    });
    let explicit_only = multilateral || entity.is_none() || anchor.anaphoric;
    let make = |a: &Party, b: &Party, rule: &'static str, confidence: f32| Triple {
        subject: a.name.clone(),
        object: b.name.clone(),
        relation: anchor.relation.clone(),
        kind: anchor.kind,
        subject_type: a.etype,
        object_type: b.etype,
        evidence: ctx.sentence.clone(),
        status: ctx.facts.status(ctx, ctx.s),
        confidence,
        rule,
    };

    // compound-in-name
    if !explicit_only && let Some(e) = entity {
        let inner: Vec<Party> = e
            .inner
            .iter()
            .map(|&k| party_of_entry(k, ctx.gaz, e.span.clone()))
            .collect();
        if inner.len() >= 2 && inner[0].key != inner[1].key {
            return Some(make(&inner[0], &inner[1], "compound-in-name", 0.95));
        }
    }
    let ps = ctx.parties;
    let consecutive = || ps.windows(2).map(|w| (&w[0], &w[1]));
    // compound-before
    if !explicit_only {
        for (a, b) in consecutive() {
            if &text[a.span.end..b.span.start] == "-"
                && b.span.end <= anchor.span.start
                && distinct(a, b, &anchor.span)
            {
                let gap = &text[b.span.end..anchor.span.start];
                if gap.split_whitespace().count() <= 4 && !gap.contains(['.', ',', ';', ':']) {
                    return Some(make(a, b, "compound-before", 0.90));
                }
            }
        }
    }
    // between
    for (a, b) in consecutive() {
        let mid = &text[a.span.end..b.span.start];
        if !(mid == " and " || mid == " and the ") || !distinct(a, b, &anchor.span) {
            continue;
        }
        let before = &text[ctx.sentence.start..a.span.start];
        let between = before.ends_with("between ") || before.ends_with("between the ");
        if !between && !BY_VERB.is_match(before) {
            continue;
        }
        let near = if anchor.span.end <= a.span.start {
            a.span.start - anchor.span.end <= 60
        } else {
            anchor.span.start >= b.span.end && anchor.span.start - b.span.end <= 60
        };
        let pair_span = a.span.start..b.span.end;
        let nearest = ctx
            .anchors
            .iter()
            .filter(|o| o.relation != anchor.relation)
            .all(|o| gap(&anchor.span, &pair_span) <= gap(&o.span, &pair_span));
        if near && nearest {
            return Some(if between {
                make(a, b, "between", 0.90)
            } else {
                make(a, b, "by-a-and-b", 0.85)
            });
        }
    }
    // a-and-b-verb
    for (a, b) in consecutive() {
        let mid = &text[a.span.end..b.span.start];
        if (mid == " and " || mid == " and the ")
            && b.span.end <= anchor.span.start
            && distinct(a, b, &anchor.span)
            && AND_VERB.is_match(&text[b.span.end..anchor.span.start])
        {
            return Some(make(a, b, "a-and-b-verb", 0.85));
        }
    }
    // a-verb-with-b
    for a in ps.iter().filter(|a| a.span.end <= anchor.span.start) {
        if !VERB.is_match(&text[a.span.end..anchor.span.start]) {
            continue;
        }
        for b in ps.iter().filter(|b| b.span.start >= anchor.span.end) {
            if distinct(a, b, &anchor.span) && WITH.is_match(&text[anchor.span.end..b.span.start]) {
                return Some(make(a, b, "a-verb-with-b", 0.80));
            }
        }
    }
    if explicit_only {
        return None;
    }
    // gazetteer-parties
    if let Some(e) = entry
        && e.parties.len() == 2
    {
        let a = ctx.gaz.country_index(&e.parties[0]);
        let b = ctx.gaz.country_index(&e.parties[1]);
        if let (Some(a), Some(b)) = (a, b) {
            let a = party_of_entry(a as u32, ctx.gaz, 0..0);
            let b = party_of_entry(b as u32, ctx.gaz, 0..0);
            return Some(make(&a, &b, "gazetteer-parties", 0.75));
        }
    }
    // document-pair
    let (a, b) = ctx.pair?;
    let cue_here = ctx.facts.cue(ctx, ctx.s);
    let ok = if anchor.kind == Kind::Mission {
        cue_here
    } else {
        cue_here || window_names_pair(ctx, a, b) || window_has_cue(ctx)
    };
    ok.then(|| make(a, b, "document-pair", 0.60))
}

fn window(ctx: &Context<'_>) -> Range<usize> {
    ctx.s.saturating_sub(1)..(ctx.s + 2).min(ctx.segments.sentences.len())
}

fn window_has_cue(ctx: &Context<'_>) -> bool {
    window(ctx).any(|k| ctx.facts.cue(ctx, k))
}

fn window_names_pair(ctx: &Context<'_>, a: &Party, b: &Party) -> bool {
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

/// True when a title form is an abbreviation to spell out (`Cmdr.`, `PM`).
fn abbreviated(form: &str) -> bool {
    form.ends_with('.') || (form.len() <= 3 && form.chars().all(|c| c.is_ascii_uppercase()))
}

fn role(
    text: &str,
    sentence: &Range<usize>,
    ents: &[usize],
    entities: &[Entity],
    person: usize,
    gaz: &Gazetteer,
) -> Option<Triple> {
    let p = &entities[person];
    let t = p.title.as_ref()?;
    let form = &text[t.span.clone()];
    let mut relation = if abbreviated(form) || form.starts_with(char::is_lowercase) {
        t.canonical.clone()
    } else {
        form.to_string()
    };
    let in_sentence = |e: &&Entity| e.etype.is_party();
    let sent_ents: Vec<&Entity> = ents
        .iter()
        .map(|&i| &entities[i])
        .filter(in_sentence)
        .collect();
    // What follows the title when the name is not right after it.
    let after = &text[t.span.end..sentence.end.max(t.span.end)];
    let mut object: Option<(&Entity, &'static str, f32)> = None;
    // title-of-body / complement
    if let Some(rest) = after
        .strip_prefix(" of ")
        .or_else(|| after.strip_prefix(" for "))
    {
        let rest_start = t.span.end + (after.len() - rest.len());
        let rest_start = if text[rest_start..].starts_with("the ") {
            rest_start + 4
        } else {
            rest_start
        };
        if let Some(e) = sent_ents.iter().find(|e| e.span.start == rest_start) {
            object = Some((e, "title-of-body", 0.90));
        } else if p.span.start > t.span.end {
            // "Joint Secretary for International Cooperation": part of the title.
            let comp_end = text[t.span.end..p.span.start]
                .find(',')
                .map(|i| t.span.end + i)
                .unwrap_or(p.span.start);
            let comp = text[t.span.end..comp_end].trim_end();
            if comp.split_whitespace().skip(1).all(|w| {
                w.starts_with(char::is_uppercase) || ["of", "for", "and", "the"].contains(&w)
            }) {
                relation.push_str(comp);
            }
        } else {
            // "Chair of the Executive Board of the German Aerospace Center":
            // the complement runs to the body it names, which is the object.
            let start = t.span.end;
            let mut end = start + (after.len() - rest.len());
            for w in rest.split_inclusive(' ') {
                let word = w.trim_end();
                let ok = word.starts_with(char::is_uppercase)
                    || ["of", "for", "and", "the", "at"].contains(&word);
                if !ok {
                    break;
                }
                end += w.len();
                if word.ends_with(['.', ';']) {
                    break;
                }
            }
            // Drop trailing connectors and punctuation ("..., and the").
            loop {
                let t2 = text[start..end]
                    .trim_end()
                    .trim_end_matches([',', '.', ';']);
                let cut = ["and", "the", "of", "for", "at"]
                    .iter()
                    .find(|c| t2.ends_with(&format!(" {c}")))
                    .map(|c| t2.len() - c.len() - 1);
                match cut {
                    Some(n) => end = start + n,
                    None => {
                        end = start + t2.len();
                        break;
                    }
                }
            }
            let body = sent_ents.iter().find(|e| {
                e.span.start > start
                    && e.span.start < end
                    && [" of ", " of the ", " at "]
                        .iter()
                        .any(|c| text[..e.span.start].ends_with(c))
            });
            let comp_end = match body {
                Some(e) => {
                    object = Some((e, "title-of-body", 0.90));
                    let before = &text[start..e.span.start];
                    start + before.trim_end().rfind(' ').unwrap_or(0)
                }
                None => end,
            };
            let mut comp = text[start..comp_end]
                .trim_end()
                .trim_end_matches([',', '.', ';']);
            while let Some(c) = [" of", " the", " at", " for", " and"]
                .iter()
                .find(|c| comp.ends_with(*c))
            {
                comp = &comp[..comp.len() - c.len()];
            }
            if !comp.trim().is_empty() && !comp.trim().starts_with("at ") {
                relation.push_str(comp);
            }
        }
    }
    // "Ambassador to South Korea"
    if let Some(rest) = after.strip_prefix(" to ") {
        let at = t.span.end + (after.len() - rest.len());
        let at = if text[at..].starts_with("the ") {
            at + 4
        } else {
            at
        };
        if let Some(e) = sent_ents
            .iter()
            .find(|e| e.span.start == at && e.etype == EntityType::Country)
        {
            relation = format!("{relation}{}", &text[t.span.end..e.span.end]);
        }
    }
    // body-title: the body right before the title.
    if object.is_none() {
        object = sent_ents
            .iter()
            .find(|e| {
                matches!(
                    &text[e.span.end.min(t.span.start)..t.span.start],
                    " " | "'s " | ") "
                ) && e.span.end <= t.span.start
                    && t.span.start - e.span.end <= 3
            })
            .map(|e| (*e, "body-title", 0.90));
    }
    // name-from-country
    if object.is_none() {
        let rest = &text[p.span.end..sentence.end.max(p.span.end)];
        if let Some(r) = rest.strip_prefix(" from ") {
            let at = p.span.end + (rest.len() - r.len());
            object = sent_ents
                .iter()
                .find(|e| e.span.start == at)
                .map(|e| (*e, "name-from-country", 0.85));
        }
    }
    // delegation-led-by
    if object.is_none() {
        object = sent_ents
            .iter()
            .filter(|e| e.span.end <= p.span.start)
            .find(|e| LED_BY.is_match(&text[e.span.end..p.span.start]))
            .map(|e| (*e, "delegation-led-by", 0.85));
    }
    let triple =
        |object: String, object_type: EntityType, rule: &'static str, confidence: f32| Triple {
            subject: p.canonical.clone(),
            object,
            relation: relation.clone(),
            kind: Kind::Role,
            subject_type: EntityType::Person,
            object_type,
            evidence: sentence.clone(),
            status: "stated",
            confidence,
            rule,
        };
    if let Some((e, rule, c)) = object {
        return Some(triple(e.canonical.clone(), e.etype, rule, c));
    }
    // gazetteer-post
    let entry = gaz.entry(p.entry? as usize);
    let post = entry.posts.iter().find(|x| x.title == t.canonical)?;
    // The post's body stands for its country, as "else the country" in the
    // role convention; an international body (no country) stands for itself.
    let org = gaz.entry(gaz.index_of(&post.org)?);
    let target = match gaz.country_index(&org.country) {
        Some(c) if org.etype != EntityType::Country => gaz.entry(c),
        _ => org,
    };
    Some(triple(
        target.canonical.clone(),
        target.etype,
        "gazetteer-post",
        0.70,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::engine::Engine;
    use crate::gazetteer::Gazetteer;
    use std::sync::LazyLock;

    static ENGINE: LazyLock<Engine> =
        LazyLock::new(|| Engine::new(Gazetteer::load(None).unwrap()).unwrap());

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
        let doc = Document {
            id: "t".into(),
            source: "t".into(),
            text: text.into(),
            ..Document::default()
        };
        let a = ENGINE.analyze(&doc);
        relate(a.norm.text(), &a.segments, &a.entities, ENGINE.gazetteer())
            .into_iter()
            .map(|t| {
                (
                    t.subject,
                    t.object,
                    t.relation,
                    t.kind.as_str(),
                    t.rule,
                    t.status,
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
            "Officials reviewed the Letter of Intent on Defence Space Cooperation in Paris.",
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
        // Filler sentences that name nothing push the anaphor out of reach.
        let filler = " Officials spoke at length about it.".repeat(20);
        let text = format!("{named}{filler} Brazil and Japan signed this agreement.");
        assert!(
            !triples(&text).iter().any(|t| t.0 == "Brazil"),
            "{:#?}",
            triples(&text)
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
}
