//! `compound-in-name` and `compound-before`: a pair written as one
//! hyphenated compound, inside the anchor's name or just before it.

use super::super::{Anchor, Context, Party, distinct, party_of_entry};
use super::Rule;

/// `compound-before`: the most bytes between the pair and the anchor (four
/// words and their spaces).
const GAP: usize = 160;

/// `compound-in-name`: two parties inside the anchor's own name, as the
/// gazetteer or the matcher found them (`India-France Strategic Space
/// Dialogue`, `NASA-ISRO Synthetic Aperture Radar`). Reads the anchor alone.
/// Must not fire when both inner names are one party (`U.S.-US`).
pub(super) fn in_name(ctx: &Context<'_>, anchor: &Anchor) -> Option<(Party, Party, Rule)> {
    let e = &ctx.entities[anchor.entity?];
    let inner: Vec<Party> = e
        .inner
        .iter()
        .map(|&k| party_of_entry(k, ctx.gaz, e.span.clone()))
        .collect();
    (inner.len() >= 2 && inner[0].key != inner[1].key)
        .then(|| (inner[0].clone(), inner[1].clone(), Rule::CompoundInName))
}

/// `compound-before`: `A-B` right before the anchor, with at most four words
/// and no punctuation between (`the joint U.S.-French SWOT mission`). Must
/// not fire across a comma or a full stop (`India-France ties. SWOT ...`).
/// Bound: the pair ends at most [`GAP`] bytes before the anchor.
pub(super) fn before(ctx: &Context<'_>, anchor: &Anchor) -> Option<(Party, Party, Rule)> {
    let text = ctx.text;
    for w in ctx.parties.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if &text[a.span.end..b.span.start] == "-"
            && b.span.end <= anchor.span.start
            && anchor.span.start - b.span.end <= GAP
            && distinct(a, b, &anchor.span)
        {
            let gap = &text[b.span.end..anchor.span.start];
            if gap.split_whitespace().count() <= 4 && !gap.contains(['.', ',', ';', ':']) {
                return Some((a.clone(), b.clone(), Rule::CompoundBefore));
            }
        }
    }
    None
}
