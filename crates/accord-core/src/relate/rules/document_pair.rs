//! `document-pair`: the pair of countries the document is about.

use super::super::{Anchor, Context, Kind, Party, window_has_cue, window_names_pair};
use super::Rule;

/// The document's pair (two countries in its title, else in its first
/// paragraph) for an anchor named in the gazetteer or by a recognizer, when
/// the sentence says `both sides`, `the two countries`, `bilateral`, `joint`,
/// or a neighbouring sentence
/// says it or names both countries. Never fires for a multilateral
/// instrument, a lower-case instrument word or "this agreement". A mission
/// or a dialogue needs the cue in its own sentence: that the document's two
/// countries are named near a forum (`the US-Africa Leaders' Summit`, an
/// economic forum) does not make them its parties, while `forums like the
/// Foreign Office Consultations are a testament to the two nations' ...`
/// does.
pub(super) fn apply(ctx: &Context<'_>, anchor: &Anchor) -> Option<(Party, Party, Rule)> {
    let (a, b) = ctx.pair?;
    let cue_here = ctx.facts.cue(ctx, ctx.s);
    let ok = if matches!(anchor.kind, Kind::Mission | Kind::Dialogue) {
        cue_here
    } else {
        cue_here || window_names_pair(ctx, a, b) || window_has_cue(ctx)
    };
    ok.then(|| (a.clone(), b.clone(), Rule::DocumentPair))
}
