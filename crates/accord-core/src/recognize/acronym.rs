//! Acronym definitions: `Korea Aerospace Administration (KASA)` makes `KASA`
//! a document-local alias of whatever the long name is.

use super::*;

pub(super) static ACRONYM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([A-Z][A-Za-z0-9&]{1,11})\)").unwrap());

/// Acronym definitions `Long Name (ACRO)` whose letters fit the name.
pub fn acronym_defs(text: &str, out: &mut Vec<AcronymDef>) {
    for c in ACRONYM.captures_iter(text) {
        let acro = c.get(1).unwrap();
        let upper = acro.as_str().chars().filter(|c| c.is_uppercase()).count();
        if upper < 2 {
            continue;
        }
        let open = c.get(0).unwrap().start();
        let Some(name) = name_before(text, open) else {
            continue;
        };
        // The longest word-aligned tail of the name that the acronym fits
        // ("US-India Advanced Domains Defence Dialogue (AD3)" -> "Advanced ...").
        let starts = std::iter::once(name.start).chain(
            text[name.clone()]
                .match_indices([' ', '-'])
                .map(|(i, _)| name.start + i + 1),
        );
        for s in starts {
            if fits_acronym(&text[s..name.end], acro.as_str()) {
                out.push(AcronymDef {
                    name: s..name.end,
                    acronym: acro.range(),
                });
                break;
            }
        }
    }
}

/// The run of capitalized words (with inner connectors) that ends right before `end`
/// (allowing one space), if any.
pub(super) fn name_before(text: &str, end: usize) -> Option<Range<usize>> {
    let stop = text[..end].trim_end_matches(' ').len();
    if stop == 0 || stop + 1 < end {
        return None;
    }
    let mut last_cap = stop;
    let mut words = 0;
    let mut pos = stop;
    loop {
        let before = &text[..pos];
        let ws = before
            .rfind(|c: char| c.is_whitespace() || "(),;:\"".contains(c))
            .map_or(0, |i| i + 1);
        let word = &text[ws..pos];
        if word.is_empty() {
            break;
        }
        if is_capitalized(word) || word.starts_with(|c: char| c.is_ascii_digit()) {
            if lexicon::en().stop_words.contains(&word) {
                break;
            }
            last_cap = ws;
            words += 1;
        } else if !lexicon::en().name_connectors.contains(&word) {
            break;
        }
        if ws == 0 || !text[..ws].ends_with(' ') {
            break;
        }
        pos = ws - 1;
        if words >= 12 {
            break;
        }
    }
    (words > 0).then_some(last_cap..stop)
}

/// The acronym fits the name: its first letter starts the name, its letters
/// appear in order in the name, and the initials of the name's capitalized
/// words appear in order in the acronym (a digit repeats the letter before
/// it: `AD3` is A, D, D, D).
pub(super) fn fits_acronym(name: &str, acro: &str) -> bool {
    let mut letters: Vec<char> = Vec::new();
    for c in acro.chars() {
        if let Some(n) = c.to_digit(10) {
            if let Some(&l) = letters.last() {
                for _ in 1..n {
                    letters.push(l);
                }
            }
        } else if c.is_alphabetic() {
            letters.push(c.to_ascii_lowercase());
        }
    }
    let lname: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    if letters.is_empty() || lname.first() != letters.first() {
        return false;
    }
    let mut it = lname.iter();
    if !letters.iter().all(|l| it.any(|c| c == l)) {
        return false;
    }
    let initials: Vec<char> = name
        .split([' ', '-'])
        .filter(|w| is_capitalized(w))
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let mut it = letters.iter();
    initials.iter().all(|i| it.any(|l| l == i))
}
