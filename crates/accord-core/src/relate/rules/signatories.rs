//! `signatories`: the parties are the bodies of the officials who signed.

use super::super::{Anchor, Context, Kind, Party, Status};
use super::Rule;

/// Reads a sentence that says an instrument was signed (status `signed`)
/// and names two or more titled persons whose role rules tie them to a body
/// the text names (`Jean-Yves Le Gall, CNES President, and K. Sivan,
/// Chairman of ISRO, signed an agreement`; `signed by NASA Administrator X
/// and ISRO Chairman Y`): the first two distinct bodies are the parties.
/// Fires for instruments and missions, not for a dialogue or meeting
/// (`signed the MoU during the Space Symposium`: the signing happened at
/// the forum, the two bodies do not hold it). Never uses a body that only the officials
/// gazetteer knows (`gazetteer-post`), and never fires without a signing
/// word or when both officials serve one body.
pub(super) fn apply(ctx: &Context<'_>, anchor: &Anchor) -> Option<(Party, Party, Rule)> {
    if anchor.kind == Kind::Dialogue {
        return None;
    }
    let mut bodies = ctx.signers.iter().filter(|b| b.span != anchor.span);
    let a = bodies.next()?;
    let b = bodies.find(|b| b.key != a.key)?;
    // The sentence's status last: it is a regex pass, and most sentences
    // have no two signers.
    (ctx.facts.status(ctx, ctx.s) == Status::Signed)
        .then(|| (a.clone(), b.clone(), Rule::Signatories))
}
