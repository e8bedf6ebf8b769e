//! Instruments, dialogues and organisations as capitalized phrases around a
//! head word (`Letter of Intent on Defence Space Cooperation`, `Comprehensive
//! Dialogue on Space`, `G20 Summit`).

use super::*;

/// The type a new name most likely has, from its last word(s).
pub fn type_from_head(name: &str) -> Option<EntityType> {
    if let Some(t) = type_from_last_word(name) {
        return Some(t);
    }
    // "Light Italian CubeSat for Imaging of Asteroids": the head precedes the complement.
    let cut = [" for ", " of ", " on "]
        .iter()
        .filter_map(|c| name.find(c))
        .min()?;
    type_from_last_word(&name[..cut])
}

pub(super) fn type_from_last_word(name: &str) -> Option<EntityType> {
    let last = name.split_whitespace().last()?;
    let has = |w: &str| name.split_whitespace().any(|x| x == w);
    Some(match last {
        "Dialogue" | "Summit" | "Forum" | "Consultations" | "Group" | "Conference" | "Talks" => {
            EntityType::Dialogue
        }
        "Agreement" | "Accords" | "Accord" | "Treaty" | "Convention" | "Protocol"
        | "Declaration" | "Arrangement" | "Understanding" | "Intent" | "Guidelines"
        | "Framework" => EntityType::Agreement,
        "Mission" | "Satellite" | "Satellites" | "Telescope" | "Observatory" | "Explorer"
        | "Rover" | "Probe" | "Lander" | "Orbiter" | "Station" | "Programme" | "Program"
        | "Experiment" | "Spectrometer" | "Photometer" | "Camera" | "Radar" | "CubeSat"
        | "Module" | "Spacecraft" | "Capsule" | "Vehicle" | "Constellation" => EntityType::Mission,
        "Agency" | "Administration" if has("Space") || has("Aerospace") => EntityType::Agency,
        "Agency" | "Administration" | "Organisation" | "Organization" | "Institute" | "Centre"
        | "Center" | "Office" | "Ministry" | "Department" | "Command" | "Council" | "Force"
        | "Corporation" | "Service" | "Commission" | "Committee" | "Bureau" | "Authority"
        | "Secretariat" | "University" | "Laboratory" | "Cell" | "Board" | "Association"
        | "Bank" | "Consortium" | "Academy" | "Company" | "Foundation" | "Society" | "Union"
        | "Alliance" | "Federation" | "Directorate" | "Corps" => EntityType::Org,
        _ if name.starts_with("Ministry") || name.starts_with("Department") => EntityType::Org,
        _ => return None,
    })
}

/// Instrument heads, then dialogue heads, then organisation heads, from the lexicon.
pub(super) static HEADS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let l = lexicon::en();
    let pats: Vec<&str> = l
        .instrument_heads
        .iter()
        .map(|h| h.0)
        .chain(l.dialogue_heads.iter().copied())
        .chain(l.org_heads.iter().copied())
        .collect();
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(pats)
        .unwrap()
});

/// The word (maximal run of non-space, non-bracket characters) ending at `end`.
pub(super) fn word_before(text: &str, end: usize) -> Option<Range<usize>> {
    if end == 0 || !text[..end].ends_with(' ') {
        return None;
    }
    let stop = end - 1;
    let start = text[..stop]
        .rfind(|c: char| c.is_whitespace() || "(),;:\"".contains(c))
        .map_or(0, |i| i + 1);
    (start < stop).then_some(start..stop)
}

/// The word starting at `start` (after one space).
pub(super) fn word_after(text: &str, start: usize) -> Option<Range<usize>> {
    if !text[start..].starts_with(' ') {
        return None;
    }
    let a = start + 1;
    let b = text[a..]
        .find(|c: char| c.is_whitespace() || "(),;:\"".contains(c))
        .map_or(text.len(), |i| a + i);
    let b = strip_trailing_punct(text, a, b);
    (a < b).then_some(a..b)
}

pub(super) fn strip_trailing_punct(text: &str, a: usize, mut b: usize) -> usize {
    while b > a && text[..b].ends_with(['.', '\'', '!', '?']) {
        b -= 1;
    }
    if text[a..b].ends_with("'s") {
        b -= 2;
    }
    b
}

pub(super) fn is_name_word(w: &str) -> bool {
    let year = w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
    (is_capitalized(w) || w.starts_with(|c: char| c.is_ascii_digit()))
        && !year
        && !lexicon::en().stop_words.contains(&w.trim_end_matches("'s"))
}

/// Named instruments and dialogues built around head words.
/// The most words a phrase extends right of its head (`on Defence Space
/// Cooperation`): a run of capitalised words without end (a tag cloud, a
/// title-case list) must not make each head read the rest of the line.
pub(super) const RIGHT_WORDS: usize = 32;

/// Named instruments, dialogues and organisations built around head words:
/// at most 8 words to the left of the head and 32 (`RIGHT_WORDS`) to the right.
pub fn phrases(text: &str, out: &mut Vec<Proposal>) {
    for m in HEADS.find_iter(text) {
        if !is_word_bounded(text, m.start(), m.end()) {
            continue;
        }
        let pid = m.pattern().as_usize();
        let lex = lexicon::en();
        let (etype, generic) = if pid < lex.instrument_heads.len() {
            (EntityType::Agreement, lex.instrument_heads[pid].1)
        } else if pid < lex.instrument_heads.len() + lex.dialogue_heads.len() {
            (EntityType::Dialogue, "")
        } else {
            (EntityType::Org, "")
        };
        // Extend left over capitalized words.
        let mut start = m.start();
        let mut left_words = 0;
        while let Some(w) = word_before(text, start) {
            let word = &text[w.clone()];
            if !is_name_word(word) || word.ends_with("'s") {
                break;
            }
            start = w.start;
            left_words += 1;
            if left_words >= 8 {
                break;
            }
        }
        // Extend right: "on|for|of" then capitalized words with inner connectors.
        let mut end = m.end();
        // "Memorandum of Understanding on the International Lunar Research
        // Station" names the topic, not the instrument: a generic head takes
        // a complement only without an article ("Letter of Intent on Defence
        // Space Cooperation").
        let topic_follows = !generic.is_empty()
            && word_after(text, end)
                .and_then(|w| word_after(text, w.end))
                .is_some_and(|w2| matches!(&text[w2], "the" | "a" | "an"));
        // "National Space Policy Secretariat of the Cabinet Office": an
        // organisation named by the words before its head takes no complement.
        let named_org = etype == EntityType::Org && left_words > 0;
        if !topic_follows
            && !named_org
            && let Some(w) = word_after(text, end)
            && lex.phrase_complements.contains(&&text[w.clone()])
        {
            let mut pos = w.end;
            let mut last_good = None;
            let mut right_words = 0;
            while let Some(w2) = word_after(text, pos) {
                right_words += 1;
                if right_words > RIGHT_WORDS {
                    break;
                }
                let word = &text[w2.clone()];
                if is_name_word(word) {
                    last_good = Some(w2.end);
                } else if !lexicon::en().name_connectors.contains(&word) {
                    break;
                }
                pos = w2.end;
                if text[w2.end..].starts_with(['.', ',', ';', ':', '(', ')', '\'']) {
                    break;
                }
            }
            if let Some(e) = last_good {
                end = e;
            }
        }
        let named = start < m.start() || end > m.end();
        let canonical = if named {
            text[start..end].to_string()
        } else if !generic.is_empty() {
            generic.to_string()
        } else {
            continue;
        };
        out.push(Proposal {
            span: start..end,
            etype,
            canonical,
            rule: match etype {
                EntityType::Agreement => "instrument-phrase",
                EntityType::Dialogue => "dialogue-phrase",
                _ => "org-phrase",
            },
            title: None,
        });
    }
}
