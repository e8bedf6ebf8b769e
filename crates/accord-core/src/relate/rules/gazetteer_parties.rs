//! `gazetteer-parties`: a named instrument, dialogue or mission whose
//! gazetteer row gives its countries, paired as the text names them.

use super::super::{Anchor, Context, Party, party_of};
use crate::gazetteer::EntityType;

/// The entities of the anchor's paragraph, in text order (at most
/// [`PARAGRAPH_MENTIONS`]).
fn paragraph<'a>(ctx: &'a Context<'_>) -> impl Iterator<Item = &'a crate::resolve::Entity> + 'a {
    let sentences = &ctx.segments.sentences;
    let para = sentences[ctx.s].paragraph;
    let first = (0..=ctx.s)
        .rev()
        .take_while(|&k| sentences[k].paragraph == para)
        .last()
        .unwrap_or(ctx.s);
    (first..sentences.len())
        .take_while(move |&k| sentences[k].paragraph == para)
        .flat_map(move |k| ctx.by_sentence[k].iter().map(move |&i| &ctx.entities[i]))
        .take(PARAGRAPH_MENTIONS)
}

/// Most mentions of a paragraph read per anchor: a paragraph of a normal
/// article holds a few dozen; a scraped table with no paragraph breaks
/// must not make every anchor read all of it.
const PARAGRAPH_MENTIONS: usize = 256;

/// Reads the anchor's gazetteer row: the two `parties` of a bilateral
/// instrument or dialogue, or the `country` and `partners` of a mission.
/// The anchor's paragraph must name them: a pair of those countries
/// (`India`, `France`) gives a country triple, and a
/// pair of space agencies of two of them (`ISRO`, `CNES`) an agency triple;
/// the row's own country is paired with each partner the text names.
/// Never fires for a party the text never names (a row listing Bulgaria
/// gives no Bulgaria triple in an article that does not name it), for a
/// multilateral row (no parties), or an anchor no row lists.
pub(super) fn apply(ctx: &Context<'_>, anchor: &Anchor) -> Vec<(Party, Party)> {
    let Some(entry) = anchor
        .entity
        .and_then(|i| ctx.entities[i].entry)
        .map(|k| ctx.gaz.entry(k as usize))
    else {
        return Vec::new();
    };
    // The row's countries, its own first.
    let mut codes: Vec<&str> = Vec::new();
    if entry.etype == EntityType::Mission {
        if entry.parties.is_empty() || entry.country.is_empty() {
            return Vec::new();
        }
        codes.push(&entry.country);
        codes.extend(entry.parties.iter().map(String::as_str));
    } else if entry.parties.len() == 2 {
        codes.extend(entry.parties.iter().map(String::as_str));
    } else {
        return Vec::new();
    }
    let mut pairs = Vec::new();
    for etype in [EntityType::Country, EntityType::Agency] {
        // The first mention of each of the row's countries at this level.
        let mut named: Vec<Option<Party>> = vec![None; codes.len()];
        for e in paragraph(ctx).filter(|e| e.etype == etype) {
            let Some(k) = e.entry else { continue };
            // Codes are upper case from the loader on.
            let country = &ctx.gaz.entry(k as usize).country;
            if let Some(slot) = codes.iter().position(|c| *c == country.as_str())
                && named[slot].is_none()
            {
                named[slot] = Some(party_of(e, ctx.gaz));
            }
        }
        let Some(Some(first)) = named.first() else {
            continue;
        };
        for other in named.iter().skip(1).flatten() {
            if other.key != first.key {
                pairs.push((first.clone(), other.clone()));
            }
        }
    }
    pairs
}
