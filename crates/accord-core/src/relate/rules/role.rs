//! The role rules: a titled person and the body or country the text ties
//! the title to. [`role`] builds the title (spelling out abbreviations,
//! keeping complements such as `for International Cooperation`) and asks
//! the rules in precedence order (see [`super::Rule::ALL`]).
//!
//! Bounds: the driver gives the mentions that start at most
//! [`ROLE_BEFORE`](crate::relate::ROLE_BEFORE) bytes before the title or
//! name and [`ROLE_AFTER`](crate::relate::ROLE_AFTER) after; a complement
//! (`Chair of the Executive Board of ...`) runs at most [`COMPLEMENT_WORDS`] words.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::super::{Kind, Party, Status, Triple, party_of};
use super::{Rule, Rules};
use crate::gazetteer::{EntityType, Gazetteer};
use crate::lexicon;
use crate::resolve::Entity;

/// The party mention that starts right after `sep` (and an optional `the `) at `at`.
fn body_after<'e>(
    text: &str,
    at: usize,
    sep: &str,
    sent_ents: &[&'e Entity],
) -> Option<&'e Entity> {
    let rest = text.get(at..)?.strip_prefix(sep)?;
    let start = text.len() - rest.len();
    let start = if rest.starts_with("the ") {
        start + 4
    } else {
        start
    };
    sent_ents.iter().find(|e| e.span.start == start).copied()
}

/// `, the X delegation was led by (Title Words) ` between a body and a person.
static LED_BY: LazyLock<Regex> = LazyLock::new(|| {
    let l = lexicon::en();
    let nouns = lexicon::alternation(&l.delegation_nouns);
    let verbs = lexicon::alternation(&l.lead_verbs);
    Regex::new(&format!(
        r"^,? (?:(?:\w+ ){{0,2}}(?:{nouns})(?: was| is| were)? )?(?:{verbs}) by (?:[A-Z][\w.]* ){{0,4}}$"
    ))
    .unwrap()
});

/// The most words a title's complement runs over.
const COMPLEMENT_WORDS: usize = 24;

/// True when a title form is an abbreviation to spell out (`Cmdr.`, `PM`).
fn abbreviated(form: &str) -> bool {
    form.ends_with('.') || (form.len() <= 3 && form.chars().all(|c| c.is_ascii_uppercase()))
}

pub(in crate::relate) fn role(
    rules: Rules,
    text: &str,
    sentence: &Range<usize>,
    ents: &[usize],
    entities: &[Entity],
    person: usize,
    gaz: &Gazetteer,
) -> Vec<(Triple, Option<Party>)> {
    let p = &entities[person];
    let Some(t) = p.title.as_ref() else {
        return Vec::new();
    };
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
    let mut object: Option<(&Entity, Rule)> = None;
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
            if rules.has(Rule::TitleOfBody) {
                object = Some((e, Rule::TitleOfBody));
            }
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
            for w in rest.split_inclusive(' ').take(COMPLEMENT_WORDS) {
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
                    if rules.has(Rule::TitleOfBody) {
                        object = Some((e, Rule::TitleOfBody));
                    }
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
    if object.is_none() && rules.has(Rule::BodyTitle) {
        object = sent_ents
            .iter()
            .find(|e| {
                matches!(
                    &text[e.span.end.min(t.span.start)..t.span.start],
                    " " | "'s " | ") "
                ) && e.span.end <= t.span.start
                    && t.span.start - e.span.end <= 3
            })
            .map(|e| (*e, Rule::BodyTitle));
    }
    // title-comma-body: "S. Somanath, Secretary, Department of Space"
    if object.is_none() && rules.has(Rule::TitleCommaBody) {
        object = body_after(text, t.span.end, ", ", &sent_ents)
            .filter(|e| e.etype != EntityType::Country)
            .map(|e| (e, Rule::TitleCommaBody));
    }
    // name-of-body: "Chairman G. Madhavan Nair of the Indian Space Research Organisation"
    if object.is_none() && rules.has(Rule::NameOfBody) && t.span.end <= p.span.start {
        object = body_after(text, p.span.end, " of ", &sent_ents).map(|e| (e, Rule::NameOfBody));
    }
    // name-from-country
    if object.is_none() && rules.has(Rule::NameFromCountry) {
        let rest = &text[p.span.end..sentence.end.max(p.span.end)];
        if let Some(r) = rest.strip_prefix(" from ") {
            let at = p.span.end + (rest.len() - r.len());
            object = sent_ents
                .iter()
                .find(|e| e.span.start == at)
                .map(|e| (*e, Rule::NameFromCountry));
        }
    }
    // delegation-led-by
    if object.is_none() && rules.has(Rule::DelegationLedBy) {
        object = sent_ents
            .iter()
            .filter(|e| e.span.end <= p.span.start)
            .find(|e| LED_BY.is_match(&text[e.span.end..p.span.start]))
            .map(|e| (*e, Rule::DelegationLedBy));
    }
    let triple = |object: String, object_type: EntityType, rule: Rule| Triple {
        subject: p.canonical.clone(),
        object,
        relation: relation.clone(),
        kind: Kind::Role,
        subject_type: EntityType::Person,
        object_type,
        evidence: sentence.clone(),
        status: Status::Stated,
        confidence: rule.confidence(),
        rule,
    };
    if let Some((e, rule)) = object {
        let mut out = vec![(
            triple(e.canonical.clone(), e.etype, rule),
            Some(party_of(e, gaz)),
        )];
        // "Chairman of ISRO and Secretary, Department of Space": each title its row.
        if matches!(rule, Rule::TitleOfBody | Rule::TitleCommaBody)
            && let Some((title, body, rule)) = second_title(text, sentence, e, &sent_ents, gaz)
            && rules.has(rule)
        {
            let mut t2 = triple(body.canonical.clone(), body.etype, rule);
            t2.relation = title;
            out.push((t2, Some(party_of(body, gaz))));
        }
        return out;
    }
    // gazetteer-post
    if !rules.has(Rule::GazetteerPost) {
        return Vec::new();
    }
    // The body is the gazetteer's, not the text's: no party for the
    // cooperation rules, which pair only parties the text names.
    gazetteer_post(p, t, gaz)
        .map(|target| {
            (
                triple(target.canonical.clone(), target.etype, Rule::GazetteerPost),
                None,
            )
        })
        .into_iter()
        .collect()
}

/// The post of a gazetteer official with the title `t`: its body, or the
/// body's country ("else the country" in the role convention); an
/// international body (no country) stands for itself.
fn gazetteer_post<'g>(
    p: &Entity,
    t: &crate::recognize::TitleHit,
    gaz: &'g Gazetteer,
) -> Option<&'g crate::gazetteer::Entry> {
    let entry = gaz.entry(p.entry? as usize);
    let post = entry.posts.iter().find(|x| x.title == t.canonical)?;
    // The post's body stands for its country, as "else the country" in the
    // role convention; an international body (no country) stands for itself.
    let org = gaz.entry(gaz.index_of(&post.org)?);
    let target = match gaz.country_index(&org.country) {
        Some(c) if org.etype != EntityType::Country => gaz.entry(c),
        _ => org,
    };
    Some(target)
}

/// A second title of the same person right after the first body: `... of
/// the Indian Space Research Organisation (ISRO) and Secretary, Department
/// of Space`. The title is a form of `titles.csv`, then `of (the) Body` or
/// `, Body`. Reads at most one title, within the sentence.
fn second_title<'e>(
    text: &str,
    sentence: &Range<usize>,
    body: &Entity,
    sent_ents: &[&'e Entity],
    gaz: &Gazetteer,
) -> Option<(String, &'e Entity, Rule)> {
    let end = sentence.end.max(body.span.end);
    let mut at = body.span.end;
    // "(ISRO)" after the body.
    if let Some(rest) = text[at..end].strip_prefix(" (")
        && let Some(close) = rest.find(')').filter(|&c| c <= 16)
    {
        at += 2 + close + 1;
    }
    let rest = &text[at..end];
    let rest_at = if rest.starts_with(" and ") {
        at + 5
    } else if rest.starts_with(", and ") {
        at + 6
    } else {
        return None;
    };
    let rest = &text[rest_at..end];
    let (form, canonical) = gaz
        .titles()
        .iter()
        .flat_map(|t| t.forms.iter().map(move |f| (f.as_str(), t.title.as_str())))
        .filter(|(f, _)| rest.starts_with(f) && !rest[f.len()..].starts_with(char::is_alphanumeric))
        .max_by_key(|(f, _)| f.len())?;
    let title_end = rest_at + form.len();
    let title = if abbreviated(form) {
        canonical.to_string()
    } else {
        form.to_string()
    };
    if let Some(e) = body_after(text, title_end, " of ", sent_ents) {
        return Some((title, e, Rule::TitleOfBody));
    }
    body_after(text, title_end, ", ", sent_ents)
        .filter(|e| e.etype != EntityType::Country)
        .map(|e| (title, e, Rule::TitleCommaBody))
}
