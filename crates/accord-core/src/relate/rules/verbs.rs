//! `a-and-b-verb` and `a-verb-with-b`: the parties are the subjects (or the
//! subject and the `with` object) of a signing or launching verb.

use std::sync::LazyLock;

use regex::Regex;

use super::super::{Anchor, Context, Party, all_pairs, distinct, is_and, list_start};
use super::Rule;
use crate::lexicon;

/// `, have formally signed` between `A and B` and the anchor.
static AND_VERB: LazyLock<Regex> = LazyLock::new(|| {
    let l = lexicon::en();
    let modifiers = lexicon::alternation(&l.joint_verb_modifiers);
    let verbs = lexicon::alternation(&l.joint_verbs);
    Regex::new(&format!(
        r"^,?\s+(?:(?:{modifiers}|on \w+)\s+)*({verbs})(?-u:\b)"
    ))
    .unwrap()
});

/// A signing verb between `A` and the anchor.
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = lexicon::alternation(&lexicon::en().with_verbs);
    Regex::new(&format!(r"(?-u:\b)({verbs})(?-u:\b)")).unwrap()
});

/// `... with (the) ` between the anchor and `B`, within 80 bytes and no clause break.
static WITH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^.;]{0,80}?(?-u:\b)with (?:the )?$").unwrap());

/// `a-and-b-verb`: `A and B` (or a list `A, B and C`: every pair) then a joint verb, with only auxiliaries and
/// adverbs between, then the anchor: `India and Japan have signed an
/// agreement`. Fires for every anchor. Must not fire on `A and B` that are
/// objects (`talks with A and B signed ...` still reads A and B: a known limit).
/// Bound: reads the parties the driver gives (at most
/// [`PARTIES_BEFORE`](crate::relate::PARTIES_BEFORE) bytes before the anchor).
pub(super) fn a_and_b_verb(ctx: &Context<'_>, anchor: &Anchor) -> Vec<(Party, Party, Rule)> {
    let text = ctx.text;
    let ps = ctx.parties;
    for i in 0..ps.len().saturating_sub(1) {
        let (a, b) = (&ps[i], &ps[i + 1]);
        if is_and(&text[a.span.end..b.span.start])
            && b.span.end <= anchor.span.start
            && distinct(a, b, &anchor.span)
            && AND_VERB.is_match(&text[b.span.end..anchor.span.start])
        {
            // `JAXA, DLR and CNES signed`: every pair of the list.
            let first = list_start(text, ps, i);
            return all_pairs(&ps[first..=i + 1], &anchor.span)
                .into_iter()
                .map(|(a, b)| (a, b, Rule::AAndBVerb))
                .collect();
        }
    }
    Vec::new()
}

/// `a-anchor-with-b`: the sentence's first party, then (within 100 bytes,
/// no other party and no clause break between) the anchor directly followed
/// by `with (the) B`: `ISRO secured the seat through an agreement with Axiom
/// Space`. Fires for every anchor; lower confidence than a signing verb.
/// Must not fire when `with` is not right after the anchor (`the agreement
/// of 2019 ... with`), nor across `.`, `;` or a comma clause.
pub(super) fn a_anchor_with_b(ctx: &Context<'_>, anchor: &Anchor) -> Option<(Party, Party, Rule)> {
    let text = ctx.text;
    let ps = ctx.parties;
    let a = ps.first()?;
    if a.span.end > anchor.span.start
        || anchor.span.start - a.span.end > 100
        || ps
            .iter()
            .any(|p| p.span.start >= a.span.end && p.span.end <= anchor.span.start)
        || text[a.span.end..anchor.span.start].contains(['.', ';', ','])
    {
        return None;
    }
    let after = &text[anchor.span.end..];
    let skip = if after.starts_with(" with the ") {
        10
    } else if after.starts_with(" with ") {
        6
    } else {
        return None;
    };
    let b = ps.iter().find(|b| b.span.start == anchor.span.end + skip)?;
    distinct(a, b, &anchor.span).then(|| (a.clone(), b.clone(), Rule::AAnchorWithB))
}

/// `a-verb-with-b`: `A signed ... anchor ... with B`: a signing verb between
/// the first party and the anchor, `with` within 80 bytes after it. Fires for
/// every anchor. Must not cross a `.` or `;` between the anchor and `with`.
/// Bound: `A` at most [`PARTIES_BEFORE`](crate::relate::PARTIES_BEFORE)
/// bytes before the anchor; the verb is looked for once per anchor.
pub(super) fn a_verb_with_b(ctx: &Context<'_>, anchor: &Anchor) -> Option<(Party, Party, Rule)> {
    let text = ctx.text;
    let ps = ctx.parties;
    // `with B` ends at most 80 characters (4 bytes each) and `with the ` after the anchor.
    let bs: Vec<&Party> = ps
        .iter()
        .filter(|b| b.span.start >= anchor.span.end && b.span.start - anchor.span.end <= 80 * 4 + 9)
        .filter(|b| WITH.is_match(&text[anchor.span.end..b.span.start]))
        .collect();
    if bs.is_empty() {
        return None;
    }
    // The first `A` that has a distinct `B` and a verb after it. A verb
    // between a party and the anchor is also between every earlier party
    // and the anchor (party ends are word boundaries), so once the verb is
    // missing it is missing for every later party too.
    for a in ps.iter().filter(|a| a.span.end <= anchor.span.start) {
        let Some(b) = bs.iter().find(|b| distinct(a, b, &anchor.span)) else {
            continue;
        };
        if !VERB.is_match(&text[a.span.end..anchor.span.start]) {
            return None;
        }
        return Some((a.clone(), (*b).clone(), Rule::AVerbWithB));
    }
    None
}
