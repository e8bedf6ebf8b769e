//! `document-pair`: the pair of countries the document is about.

use super::super::{Anchor, Context, Kind, Party, window_has_cue, window_names_pair};
use super::Rule;

/// The document's pair (two countries in its title, else in its first
/// paragraph) for an anchor named in the gazetteer or by a recognizer, when
/// the sentence says `both sides`, `the two countries`, `bilateral`, `joint`
/// (a mission needs that cue in its own sentence), or a neighbouring sentence
/// says it or names both countries. Never fires for a multilateral
/// instrument, a lower-case instrument word or "this agreement".
pub(super) fn apply(ctx: &Context<'_>, anchor: &Anchor) -> Option<(Party, Party, Rule)> {
    let (a, b) = ctx.pair?;
    let cue_here = ctx.facts.cue(ctx, ctx.s);
    let ok = if anchor.kind == Kind::Mission {
        cue_here
    } else {
        cue_here || window_names_pair(ctx, a, b) || window_has_cue(ctx)
    };
    ok.then(|| (a.clone(), b.clone(), Rule::DocumentPair))
}
