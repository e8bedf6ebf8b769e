//! `between` and `by-a-and-b`: `between A and B` or `developed by A and B`
//! within 60 bytes of the anchor, the pair belonging to its nearest anchor.

use std::sync::LazyLock;

use regex::Regex;

use super::super::{Anchor, Context, Kind, Party, all_pairs, distinct, gap, is_and, list_start};
use super::Rule;
use crate::lexicon;

/// `developed by (the) ` at the end of the text before the pair.
static BY_VERB: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = lexicon::alternation(&lexicon::en().agent_verbs);
    Regex::new(&format!(r"(?-u:\b)({verbs})(?: jointly)? by (?:the )?$")).unwrap()
});

/// Reads `A and B` (or `A and the B`, or a list `A, B and C`: every pair)
/// preceded by `between` (rule `between`)
/// or by an agent verb and `by` (rule `by-a-and-b`), at most 60 bytes before
/// or after the anchor, when no other anchor of the sentence is nearer to
/// the pair (an anchor inside an instrument's complement, `an agreement on
/// the MMX mission signed by A and B`, leaves the pair to the instrument
/// too). Fires for every anchor, multilateral ones included: the text
/// names both parties. Must not pair parties of a neighbouring clause
/// (`the agreement ... ; talks between A and B` is 60+ bytes away).
/// Bound: the driver gives the parties and anchors near the anchor (see
/// [`crate::relate`]), which hold every pair within 60 bytes of it.
pub(super) fn apply(
    ctx: &Context<'_>,
    anchor: &Anchor,
    allow_between: bool,
    allow_by: bool,
) -> Vec<(Party, Party, Rule)> {
    let text = ctx.text;
    let ps = ctx.parties;
    for i in 0..ps.len().saturating_sub(1) {
        let (last_but_one, b) = (&ps[i], &ps[i + 1]);
        if !is_and(&text[last_but_one.span.end..b.span.start])
            || !distinct(last_but_one, b, &anchor.span)
        {
            continue;
        }
        // `between A, B and C`: the list's first party.
        let first = list_start(text, ps, i);
        let a = &ps[first];
        let before = &text[ctx.sentence.start..a.span.start];
        let between = before.ends_with("between ") || before.ends_with("between the ");
        let allowed = if between {
            allow_between
        } else {
            allow_by && BY_VERB.is_match(before)
        };
        if !allowed {
            continue;
        }
        let near = if anchor.span.end <= a.span.start {
            a.span.start - anchor.span.end <= 60
        } else {
            anchor.span.start >= b.span.end && anchor.span.start - b.span.end <= 60
        };
        let pair_span = a.span.start..b.span.end;
        // "Tripartite agreement on cooperation for the MMX mission signed
        // by A, B and C": a nearer anchor inside the instrument's own
        // complement (no clause break between) does not take the pair from it.
        let in_complement = |o: &Anchor| {
            anchor.kind == Kind::Agreement
                && anchor.span.end <= o.span.start
                && o.span.end <= a.span.start
                && !text[anchor.span.end..o.span.start].contains([',', ';', '.', '(', ')'])
        };
        let nearest = ctx
            .anchors
            .iter()
            .filter(|o| o.relation != anchor.relation)
            .all(|o| gap(&anchor.span, &pair_span) <= gap(&o.span, &pair_span) || in_complement(o));
        if near && nearest {
            let rule = if between {
                Rule::Between
            } else {
                Rule::ByAAndB
            };
            return all_pairs(&ps[first..=i + 1], &anchor.span)
                .into_iter()
                .map(|(a, b)| (a, b, rule))
                .collect();
        }
    }
    Vec::new()
}
