//! Dates, normalized to ISO 8601 (`XXXX-12-06`, EDTF style, when the year
//! is unknown): ISO dates, day-month-year, month-day[-year], month-year.

use super::*;
use crate::text::date::{Date, ISO_DATE, days_in};

/// A month form from the lexicon, with an optional full stop, as group 1.
pub(super) fn months_pattern() -> String {
    let forms: Vec<&str> = lexicon::en().months.iter().map(|m| m.form).collect();
    format!(r"({})\.?", lexicon::alternation(&forms))
}

pub(super) static DATE_MDY: LazyLock<Regex> = LazyLock::new(|| {
    let months = months_pattern();
    Regex::new(&format!(
        r"(?-u:\b){months}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*-\s*(\d{{1,2}}))?(?:,?\s+(\d{{4}}))?(?-u:\b)"
    ))
    .unwrap()
});
pub(super) static DATE_DMY: LazyLock<Regex> = LazyLock::new(|| {
    let months = months_pattern();
    Regex::new(&format!(
        r"(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th)?\s+{months},?\s+(\d{{4}})(?-u:\b)"
    ))
    .unwrap()
});
pub(super) static DATE_MY: LazyLock<Regex> = LazyLock::new(|| {
    let months = months_pattern();
    Regex::new(&format!(r"(?-u:\b){months},?\s+(\d{{4}})(?-u:\b)")).unwrap()
});

pub(super) fn month_number(m: &str) -> u32 {
    lexicon::en().month_number(m).unwrap_or(0)
}

/// The year to give a date written without one, from the article's date.
pub(super) fn infer_year(month: u32, day: u32, doc_date: Option<Date>) -> Option<i32> {
    let Date {
        year: y,
        month: m,
        day: d,
    } = doc_date?;
    // News reports the recent past: a date more than a month after the
    // article's own date belongs to the year before.
    let later =
        (month, day) > (m, d) && (month as i32 - m as i32) * 31 + day as i32 - d as i32 > 31;
    Some(if later { y - 1 } else { y })
}

pub(super) fn iso(year: Option<i32>, month: u32, day: Option<u32>) -> String {
    match (year, day) {
        (Some(y), Some(d)) => format!("{y:04}-{month:02}-{d:02}"),
        (Some(y), None) => format!("{y:04}-{month:02}"),
        // Year unknown: EDTF's unspecified year, which no spreadsheet reads as a formula.
        (None, Some(d)) => format!("XXXX-{month:02}-{d:02}"),
        (None, None) => format!("XXXX-{month:02}"),
    }
}

/// The article date from a date the input gave in its own format
/// (`2024-02-20T10:00:00Z`, `Tue, 20 Feb 2024 10:00:00 GMT`, `February 20, 2024`).
pub fn metadata_date(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    if let Some(d) = raw.get(..10).and_then(Date::parse_iso) {
        return Some(d);
    }
    let mut found = Vec::new();
    dates(raw, None, &mut found);
    found
        .iter()
        .find_map(|p| Date::parse_iso(&p.canonical).filter(|_| p.canonical.len() == 10))
}

/// Dates in `text`, each normalized to ISO 8601 (a range as `start/end`).
pub fn dates(text: &str, doc_date: Option<Date>, out: &mut Vec<Proposal>) {
    for pass in date_passes(text, doc_date) {
        out.extend(pass);
    }
}

/// [`dates`] by pattern: ISO dates, then day-month-year, month-day[-year],
/// month-year, each pass in text order; a span taken by an earlier pass (or
/// earlier in the pass) is not taken again. The passes are kept apart so that
/// dates found in pieces of a text can be put back in the order [`dates`]
/// gives for the whole text.
pub fn date_passes(text: &str, doc_date: Option<Date>) -> [Vec<Proposal>; 4] {
    let mut passes: [Vec<Proposal>; 4] = Default::default();
    // Taken spans by start; they never overlap, so the one that starts last
    // before a span's end is the only one that can overlap it.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut push = |span: Range<usize>, canonical: String, out: &mut Vec<Proposal>| {
        // A date does not run over a paragraph break ("Dec\n\n2012").
        if memchr::memchr_iter(b'\n', &text.as_bytes()[span.clone()])
            .nth(1)
            .is_some()
        {
            return;
        }
        if taken
            .range(..span.end)
            .next_back()
            .is_some_and(|(_, &end)| end > span.start)
        {
            return;
        }
        taken.insert(span.start, span.end);
        out.push(Proposal {
            span,
            etype: EntityType::Date,
            canonical,
            rule: "date",
            title: None,
        });
    };
    let [iso_pass, dmy_pass, mdy_pass, my_pass] = &mut passes;
    for c in ISO_DATE.captures_iter(text) {
        if Date::parse_iso(&c[0]).is_some() {
            push(c.get(0).unwrap().range(), c[0].to_string(), iso_pass);
        }
    }
    for c in DATE_DMY.captures_iter(text) {
        let (d, m, y) = (
            c[1].parse::<u32>().unwrap_or(0),
            month_number(&c[2]),
            c[3].parse().ok(),
        );
        if d >= 1 && d <= days_in(m, y) {
            push(c.get(0).unwrap().range(), iso(y, m, Some(d)), dmy_pass);
        }
    }
    for c in DATE_MDY.captures_iter(text) {
        let m = month_number(&c[1]);
        let d: u32 = c[2].parse().unwrap_or(0);
        let d2: Option<u32> = c.get(3).and_then(|x| x.as_str().parse().ok());
        let written: Option<i32> = c.get(4).and_then(|x| x.as_str().parse().ok());
        if d == 0
            || d > days_in(m, written)
            || d2.is_some_and(|e| e <= d || e > days_in(m, written))
        {
            continue;
        }
        // "May 25 2024 | 7:26" is fine; "May 2024" is the month-year rule's.
        let year = written.or_else(|| infer_year(m, d, doc_date));
        let canonical = match d2 {
            Some(e) => format!("{}/{}", iso(year, m, Some(d)), iso(year, m, Some(e))),
            None => iso(year, m, Some(d)),
        };
        push(c.get(0).unwrap().range(), canonical, mdy_pass);
    }
    for c in DATE_MY.captures_iter(text) {
        let m = month_number(&c[1]);
        push(
            c.get(0).unwrap().range(),
            iso(c[2].parse().ok(), m, None),
            my_pass,
        );
    }
    passes
}
