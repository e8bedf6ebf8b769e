//! Small character-level helpers shared by the stages: word boundaries and
//! capitalized words, all Unicode-aware and allocation-free.
//!
//! [`normalize`] gives the matching view of a text with a map back to the
//! original offsets; [`segment`] finds its title, boilerplate and sentences;
//! [`date`] is the calendar date type.

pub mod date;
pub mod normalize;
pub mod segment;

/// True for characters that form words: letters and digits of any script.
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The character ending at byte `i` of `s`, if any.
#[inline]
pub fn char_before(s: &str, i: usize) -> Option<char> {
    s[..i].chars().next_back()
}

/// The character starting at byte `i` of `s`, if any.
#[inline]
pub fn char_at(s: &str, i: usize) -> Option<char> {
    s[i..].chars().next()
}

/// True when `s[start..end]` is not glued to a word character on either side
/// that would make it part of a longer word. A span that begins (ends) with a
/// non-word character needs no boundary on that side (`U.S.` before `-French`).
pub fn is_word_bounded(s: &str, start: usize, end: usize) -> bool {
    let first = char_at(s, start);
    let last = char_before(s, end);
    let left_ok = match (first, char_before(s, start)) {
        (Some(f), Some(p)) if is_word_char(f) => !is_word_char(p),
        _ => true,
    };
    let right_ok = match (last, char_at(s, end)) {
        (Some(l), Some(n)) if is_word_char(l) => !is_word_char(n),
        _ => true,
    };
    left_ok && right_ok
}

/// True when the word starts with an uppercase letter (or a digit, for `G20`).
pub fn is_capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        let cases = [
            ("NASA today", 0, 4, true),
            ("NASAL spray", 0, 4, false),
            ("Indiana", 0, 5, false),
            ("India's", 0, 5, true),
            ("U.S.-French", 0, 4, true),
            ("US-India", 3, 8, true),
            ("Descôtes", 0, 6, false),
            ("xDescôtes", 1, 10, false),
            (" Descôtes.", 1, 10, true),
            ("Chandrayaan-3", 0, 11, true),
            ("Chandrayaan-3", 0, 13, true),
            ("ISRO2", 0, 4, false),
        ];
        for (s, a, b, want) in cases {
            assert_eq!(is_word_bounded(s, a, b), want, "{s:?} {a}..{b}");
        }
    }
}
