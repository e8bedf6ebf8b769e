//! Text normalization for matching, with a map back to the original bytes.
//!
//! The matcher and the recognizers work on a *normalized view* of a document:
//! Unicode NFC, curly quotes made straight, dash variants made `-`, exotic spaces
//! made ` `, invisible characters (soft hyphen, zero-width space, BOM) removed,
//! `…` spelled `...`. Gazetteer aliases go through the same function, so
//! `India–France` in an article meets `India-France` in a gazetteer.
//!
//! Invariant: every offset the pipeline reports is mapped back through
//! [`Normalized::start_to_original`] / [`Normalized::end_to_original`], so it
//! points into the text as accord read it and lands on a character boundary.
//! Text that needs no change (all ASCII, the common case) is borrowed and
//! maps by identity at no cost.

use std::borrow::Cow;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A normalized view of a text and the way back to the original offsets.
#[derive(Debug)]
pub struct Normalized<'a> {
    text: Cow<'a, str>,
    /// Spans where normalized and original text differ, in text order.
    regions: Vec<Region>,
}

/// One changed span: `out` bytes of normalized text stand for `src` bytes of the original.
#[derive(Debug, Clone, Copy)]
struct Region {
    out_start: usize,
    out_end: usize,
    src_start: usize,
    src_end: usize,
}

/// What a single character becomes in the normalized view (`None`: itself).
fn replacement(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{FF07}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' | '\u{FF02}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => "-",
        '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => " ",
        '\u{2028}' | '\u{2029}' | '\u{0085}' => "\n",
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        '\u{2026}' => "...",
        _ => return None,
    })
}

/// Normalize `src` for matching.
pub fn normalize(src: &str) -> Normalized<'_> {
    if src.is_ascii() {
        return Normalized::identity(src);
    }
    let needs_nfc = is_nfc_quick(src.chars()) != IsNormalized::Yes;
    if !needs_nfc && !src.chars().any(|c| replacement(c).is_some()) {
        return Normalized::identity(src);
    }
    let mut out = String::with_capacity(src.len());
    let mut regions = Vec::new();
    // A chunk is one starter character and the combining marks after it: NFC
    // only ever composes within such a chunk (bar conjoining jamo, see README).
    let mut iter = src.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let mut end = i + c.len_utf8();
        if needs_nfc {
            while let Some(&(j, d)) = iter.peek() {
                if canonical_combining_class(d) == 0 {
                    break;
                }
                end = j + d.len_utf8();
                iter.next();
            }
        }
        let chunk = &src[i..end];
        let out_start = out.len();
        let single = chunk.len() == c.len_utf8();
        if single {
            match replacement(c) {
                None => {
                    out.push(c);
                    continue;
                }
                Some(r) => out.push_str(r),
            }
        } else {
            for d in chunk.nfc() {
                match replacement(d) {
                    Some(r) => out.push_str(r),
                    None => out.push(d),
                }
            }
            if &out[out_start..] == chunk {
                continue;
            }
        }
        regions.push(Region {
            out_start,
            out_end: out.len(),
            src_start: i,
            src_end: end,
        });
    }
    Normalized {
        text: Cow::Owned(out),
        regions,
    }
}

impl<'a> Normalized<'a> {
    fn identity(src: &'a str) -> Self {
        Normalized {
            text: Cow::Borrowed(src),
            regions: Vec::new(),
        }
    }

    /// The normalized text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True when the normalized text is the original text.
    pub fn is_identity(&self) -> bool {
        self.regions.is_empty()
    }

    /// Map the start offset of a span in the normalized text to the original text.
    pub fn start_to_original(&self, o: usize) -> usize {
        let idx = self.regions.partition_point(|r| r.out_end <= o);
        if let Some(r) = self.regions.get(idx)
            && r.out_start <= o
            && o < r.out_end
        {
            return r.src_start;
        }
        match idx.checked_sub(1).map(|k| self.regions[k]) {
            Some(r) => r.src_end + (o - r.out_end),
            None => o,
        }
    }

    /// Map the end offset of a span in the normalized text to the original text.
    pub fn end_to_original(&self, o: usize) -> usize {
        let idx = self.regions.partition_point(|r| r.out_end < o);
        if let Some(r) = self.regions.get(idx)
            && r.out_start < o
            && o <= r.out_end
        {
            return r.src_end;
        }
        match idx.checked_sub(1).map(|k| self.regions[k]) {
            Some(r) => r.src_end + (o - r.out_end),
            None => o,
        }
    }
}

/// Normalize a short string (a gazetteer alias) and keep only the text.
pub fn normalize_owned(s: &str) -> String {
    let collapsed: String = normalize(s.trim()).text().to_string();
    // Aliases are single-line; fold runs of white space to one space.
    collapsed.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span of the normalized text maps back to a slice of the original
    /// on character boundaries, and equal text round-trips.
    fn check_all_spans(src: &str) {
        let n = normalize(src);
        let t = n.text();
        let bounds: Vec<usize> = t
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(t.len()))
            .collect();
        for (a, &s) in bounds.iter().enumerate() {
            for &e in &bounds[a + 1..] {
                let (os, oe) = (n.start_to_original(s), n.end_to_original(e));
                assert!(os <= oe, "{src:?} {s}..{e} -> {os}..{oe}");
                assert!(src.is_char_boundary(os) && src.is_char_boundary(oe));
            }
        }
    }

    #[test]
    fn ascii_is_borrowed() {
        let n = normalize("India and France");
        assert!(n.is_identity());
        assert_eq!(n.start_to_original(6), 6);
    }

    #[test]
    fn table_of_replacements() {
        let cases = [
            ("India\u{2013}France", "India-France"),
            ("NASA\u{2019}s", "NASA's"),
            ("\u{201C}quoted\u{201D}", "\"quoted\""),
            ("New\u{00A0}Delhi", "New Delhi"),
            ("Ind\u{00AD}ia", "India"),
            ("wait\u{2026}", "wait..."),
            ("Desco\u{0302}tes", "Descôtes"),
            ("Descôtes", "Descôtes"),
        ];
        for (src, want) in cases {
            assert_eq!(normalize(src).text(), want, "{src:?}");
            check_all_spans(src);
        }
    }

    #[test]
    fn offsets_slice_back() {
        let src = "The \u{201C}India\u{2013}France\u{201D} dialogue, Desco\u{0302}tes said\u{2026} NASA\u{200B} too";
        let n = normalize(src);
        let t = n.text();
        for word in ["India", "France", "Descôtes", "NASA", "too"] {
            let s = t.find(word).unwrap();
            let e = s + word.len();
            let orig = &src[n.start_to_original(s)..n.end_to_original(e)];
            assert_eq!(normalize(orig).text(), word);
        }
        let s = t.find("NASA").unwrap();
        assert_eq!(
            &src[n.start_to_original(s)..n.end_to_original(s + 4)],
            "NASA"
        );
        check_all_spans(src);
    }

    #[test]
    fn alias_whitespace_is_folded() {
        assert_eq!(
            normalize_owned("  Korea\u{00A0} Aerospace  "),
            "Korea Aerospace"
        );
    }
}
