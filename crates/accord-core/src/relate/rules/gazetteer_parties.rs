//! `gazetteer-parties`: a named bilateral instrument whose gazetteer row
//! lists its two parties.

use super::super::{Anchor, Context, Party, party_of_entry};
use super::Rule;

/// Reads the anchor's gazetteer row: an instrument or dialogue with exactly
/// two `parties` (country codes) gives that pair, wherever the text names it
/// (`The Technology Safeguards Agreement entered into force`). Never fires
/// for a multilateral row (no parties) or an anchor no row lists.
pub(super) fn apply(ctx: &Context<'_>, anchor: &Anchor) -> Option<(Party, Party, Rule)> {
    let entity = &ctx.entities[anchor.entity?];
    let e = ctx.gaz.entry(entity.entry? as usize);
    if e.parties.len() != 2 {
        return None;
    }
    let a = ctx.gaz.country_index(&e.parties[0])?;
    let b = ctx.gaz.country_index(&e.parties[1])?;
    let a = party_of_entry(a as u32, ctx.gaz, 0..0);
    let b = party_of_entry(b as u32, ctx.gaz, 0..0);
    Some((a, b, Rule::GazetteerParties))
}
