//! Recognizers beyond the gazetteer: rules that find names nobody listed.
//!
//! - **Acronym definitions**: `Korea Aerospace Administration (KASA)` makes
//!   `KASA` a document-local alias of whatever the long name is.
//! - **Titled persons**: a title from `titles.csv` followed by a capitalized
//!   name (`Administrator Yoon Youngbin`), a title with an `of ...` complement
//!   then a comma and a name, or a name, a comma and a title
//!   (`Vipin Narang, Acting Assistant Secretary ...`).
//! - **Instruments and dialogues**: capitalized phrases around a head word
//!   (`Letter of Intent on Defence Space Cooperation`, `Comprehensive Dialogue
//!   on Space`, `G20 Summit`) give AGREEMENT and DIALOGUE.
//! - **Dates**, normalized to ISO 8601 (`XXXX-12-06`, EDTF style, when the year is unknown).
//!
//! Recognizers only propose spans; the resolve stage decides between them and
//! the gazetteer hits. All offsets are in the normalized text.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use crate::gazetteer::{EntityType, Gazetteer};
use crate::lexicon;
use crate::text::{char_before, is_capitalized, is_word_bounded, is_word_char};

/// An acronym defined in the text: `name (ACRO)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcronymDef {
    /// The long name's span.
    pub name: Range<usize>,
    /// The acronym's span (inside the parentheses).
    pub acronym: Range<usize>,
}

/// A title found before or after a person's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TitleHit {
    /// Canonical title from `titles.csv`.
    pub canonical: String,
    /// The title's span in the text.
    pub span: Range<usize>,
}

/// A span proposed by a recognizer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// Span in the normalized text.
    pub span: Range<usize>,
    /// Proposed type.
    pub etype: EntityType,
    /// Canonical name (ISO date for dates).
    pub canonical: String,
    /// The rule that proposed it.
    pub rule: &'static str,
    /// For persons: the title next to the name.
    pub title: Option<TitleHit>,
}

/// Recognizers built once from a gazetteer's titles list.
#[derive(Clone, Debug)]
pub struct Recognizers {
    titles: AhoCorasick,
    /// Canonical title for each title pattern.
    title_of: Vec<String>,
}

/// A month form from the lexicon, with an optional full stop, as group 1.
fn months_pattern() -> String {
    let forms: Vec<&str> = lexicon::en().months.iter().map(|m| m.form).collect();
    format!(r"({})\.?", lexicon::alternation(&forms))
}

static DATE_MDY: LazyLock<Regex> = LazyLock::new(|| {
    let months = months_pattern();
    Regex::new(&format!(
        r"(?-u:\b){months}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*-\s*(\d{{1,2}}))?(?:,?\s+(\d{{4}}))?(?-u:\b)"
    ))
    .unwrap()
});
static DATE_DMY: LazyLock<Regex> = LazyLock::new(|| {
    let months = months_pattern();
    Regex::new(&format!(
        r"(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th)?\s+{months},?\s+(\d{{4}})(?-u:\b)"
    ))
    .unwrap()
});
static DATE_MY: LazyLock<Regex> = LazyLock::new(|| {
    let months = months_pattern();
    Regex::new(&format!(r"(?-u:\b){months},?\s+(\d{{4}})(?-u:\b)")).unwrap()
});
static DATE_ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?-u:\b)").unwrap());
static ACRONYM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([A-Z][A-Za-z0-9&]{1,11})\)").unwrap());

fn month_number(m: &str) -> u32 {
    lexicon::en().month_number(m).unwrap_or(0)
}

fn days_in(month: u32, year: Option<i32>) -> u32 {
    match month {
        2 => match year {
            Some(y) if !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) => 28,
            _ => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The year to give a date written without one, from the article's date.
fn infer_year(month: u32, day: u32, doc_date: Option<(i32, u32, u32)>) -> Option<i32> {
    let (y, m, d) = doc_date?;
    // News reports the recent past: a date more than a month after the
    // article's own date belongs to the year before.
    let later =
        (month, day) > (m, d) && (month as i32 - m as i32) * 31 + day as i32 - d as i32 > 31;
    Some(if later { y - 1 } else { y })
}

fn iso(year: Option<i32>, month: u32, day: Option<u32>) -> String {
    match (year, day) {
        (Some(y), Some(d)) => format!("{y:04}-{month:02}-{d:02}"),
        (Some(y), None) => format!("{y:04}-{month:02}"),
        // Year unknown: EDTF's unspecified year, which no spreadsheet reads as a formula.
        (None, Some(d)) => format!("XXXX-{month:02}-{d:02}"),
        (None, None) => format!("XXXX-{month:02}"),
    }
}

/// Parse an ISO `YYYY-MM-DD` into parts.
pub fn parse_iso_date(s: &str) -> Option<(i32, u32, u32)> {
    let c = DATE_ISO.captures(s)?;
    let (y, m, d) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    ((1..=12).contains(&m) && d >= 1 && d <= days_in(m, Some(y))).then_some((y, m, d))
}

/// Dates in `text`, each normalized to ISO 8601 (a range as `start/end`).
pub fn dates(text: &str, doc_date: Option<(i32, u32, u32)>, out: &mut Vec<Proposal>) {
    for pass in date_passes(text, doc_date) {
        out.extend(pass);
    }
}

/// [`dates`] by pattern: ISO dates, then day-month-year, month-day[-year],
/// month-year, each pass in text order; a span taken by an earlier pass (or
/// earlier in the pass) is not taken again. The passes are kept apart so that
/// dates found in pieces of a text can be put back in the order [`dates`]
/// gives for the whole text.
pub fn date_passes(text: &str, doc_date: Option<(i32, u32, u32)>) -> [Vec<Proposal>; 4] {
    let mut passes: [Vec<Proposal>; 4] = Default::default();
    // Taken spans by start; they never overlap, so the one that starts last
    // before a span's end is the only one that can overlap it.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut push = |span: Range<usize>, canonical: String, out: &mut Vec<Proposal>| {
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
    for c in DATE_ISO.captures_iter(text) {
        if parse_iso_date(&c[0]).is_some() {
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

/// A conjunct of a coordinated plural name: `Departments of State, Commerce,
/// and Transportation` holds `State` standing for `Department of State`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conjunct {
    /// The conjunct's span (`Commerce`).
    pub span: Range<usize>,
    /// The full name it stands for (`Department of Commerce`).
    pub full: String,
}

static COORDINATION: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"[A-Z][\w-]*(?: [A-Z][\w-]*)*";
    Regex::new(&format!(
        r"(?-u:\b)(Departments|Ministries) of ({name}(?:(?:, and |, | and ){name})+)"
    ))
    .unwrap()
});

/// Conjuncts of coordinated plural names (`Departments of State and Commerce`).
pub fn conjuncts(text: &str, out: &mut Vec<Conjunct>) {
    static SEP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r", and |, | and ").unwrap());
    for c in COORDINATION.captures_iter(text) {
        let head = match &c[1] {
            "Departments" => "Department",
            _ => "Ministry",
        };
        let list = c.get(2).unwrap();
        let mut pos = list.start();
        for part in SEP.split(list.as_str()) {
            let start = text[pos..].find(part).map_or(pos, |i| pos + i);
            let end = start + part.len();
            out.push(Conjunct {
                span: start..end,
                full: format!("{head} of {part}"),
            });
            pos = end;
        }
    }
}

/// Companies introduced by a common noun: `Israeli company StemRad`,
/// `state-owned technology company INVAP`.
pub fn companies(text: &str, out: &mut Vec<Proposal>) {
    static COMPANY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)(?:company|firm|start-up|startup|manufacturer|contractor|operator|subsidiary) ((?:[A-Z][\w&'.-]*)(?: [A-Z][\w&'.-]*){0,2})").unwrap()
    });
    for c in COMPANY.captures_iter(text) {
        let m = c.get(1).unwrap();
        let name = m.as_str().trim_end_matches(['.', '\'']);
        let name = name.strip_suffix("'s").unwrap_or(name);
        if name.is_empty()
            || lexicon::en()
                .stop_words
                .contains(&name.split(' ').next().unwrap_or(""))
        {
            continue;
        }
        out.push(Proposal {
            span: m.start()..m.start() + name.len(),
            etype: EntityType::Org,
            canonical: name.to_string(),
            rule: "company-noun",
            title: None,
        });
    }
}

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
fn name_before(text: &str, end: usize) -> Option<Range<usize>> {
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
fn fits_acronym(name: &str, acro: &str) -> bool {
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

fn type_from_last_word(name: &str) -> Option<EntityType> {
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

/// Head phrases of instruments and dialogues, longest first within a kind.
const INSTRUMENT_HEADS: &[(&str, &str)] = &[
    ("Memorandum of Understanding", "Memorandum of Understanding"),
    ("Memorandum of Agreement", "Memorandum of Agreement"),
    ("Letter of Intent", "Letter of Intent"),
    ("Implementing Arrangement", "Implementing Arrangement"),
    ("Framework Agreement", "Framework Agreement"),
    ("Joint Declaration", "Joint Declaration"),
    ("MoU", "Memorandum of Understanding"),
    ("MOU", "Memorandum of Understanding"),
    ("MoA", "Memorandum of Agreement"),
    ("LoI", "Letter of Intent"),
    ("LOI", "Letter of Intent"),
    ("Agreement", ""),
    ("Accords", ""),
    ("Accord", ""),
    ("Treaty", ""),
    ("Convention", ""),
    ("Protocol", ""),
    ("Arrangement", ""),
];
const DIALOGUE_HEADS: &[&str] = &[
    "Dialogue",
    "Summit",
    "Forum",
    "Consultations",
    "Working Group",
];
/// Head words of organisation names (`Purdue University`, `Institute of Aerospace Medicine`).
const ORG_HEADS: &[&str] = &[
    "University",
    "Institute",
    "Academy",
    "Laboratory",
    "Consortium",
    "Bank",
];
/// Words that continue a phrase to the right of its head (`... on Space`).
const RIGHT_INTRO: &[&str] = &["on", "for", "of", "regarding", "concerning"];

static HEADS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let pats: Vec<&str> = INSTRUMENT_HEADS
        .iter()
        .map(|h| h.0)
        .chain(DIALOGUE_HEADS.iter().copied())
        .chain(ORG_HEADS.iter().copied())
        .collect();
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(pats)
        .unwrap()
});

/// The word (maximal run of non-space, non-bracket characters) ending at `end`.
fn word_before(text: &str, end: usize) -> Option<Range<usize>> {
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
fn word_after(text: &str, start: usize) -> Option<Range<usize>> {
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

fn strip_trailing_punct(text: &str, a: usize, mut b: usize) -> usize {
    while b > a && text[..b].ends_with(['.', '\'', '!', '?']) {
        b -= 1;
    }
    if text[a..b].ends_with("'s") {
        b -= 2;
    }
    b
}

fn is_name_word(w: &str) -> bool {
    let year = w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
    (is_capitalized(w) || w.starts_with(|c: char| c.is_ascii_digit()))
        && !year
        && !lexicon::en().stop_words.contains(&w.trim_end_matches("'s"))
}

/// The most words a phrase extends right of its head (`on Defence Space
/// Cooperation`): a run of capitalised words without end (a tag cloud, a
/// title-case list) must not make each head read the rest of the line.
const RIGHT_WORDS: usize = 32;

/// Named instruments and dialogues built around head words: at most 8
/// words to the left of the head and 32 (`RIGHT_WORDS`) to the right.
pub fn phrases(text: &str, out: &mut Vec<Proposal>) {
    for m in HEADS.find_iter(text) {
        if !is_word_bounded(text, m.start(), m.end()) {
            continue;
        }
        let pid = m.pattern().as_usize();
        let (etype, generic) = if pid < INSTRUMENT_HEADS.len() {
            (EntityType::Agreement, INSTRUMENT_HEADS[pid].1)
        } else if pid < INSTRUMENT_HEADS.len() + DIALOGUE_HEADS.len() {
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
        if !topic_follows
            && let Some(w) = word_after(text, end)
            && RIGHT_INTRO.contains(&&text[w.clone()])
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

impl Recognizers {
    /// Build the title matcher from the gazetteer's titles.
    pub fn new(gaz: &Gazetteer) -> Recognizers {
        let mut pats = Vec::new();
        let mut title_of = Vec::new();
        for t in gaz.titles() {
            for f in &t.forms {
                pats.push(f.clone());
                title_of.push(t.title.clone());
            }
        }
        let titles = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&pats)
            .expect("titles automaton");
        Recognizers { titles, title_of }
    }

    /// Persons introduced by a lower-case role noun: `NASA astronaut Frank
    /// Rubio`, `Saudi astronauts Rayyanah Barnawi and Ali AlQarni`.
    pub fn role_nouns(&self, text: &str, out: &mut Vec<Proposal>) {
        static NOUN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?-u:\b)(astronaut|cosmonaut|taikonaut|spaceflight participant)(s?)(?-u:\b)",
            )
            .unwrap()
        });
        for c in NOUN.captures_iter(text) {
            let m = c.get(0).unwrap();
            let title = TitleHit {
                canonical: {
                    let n = &c[1];
                    let mut t = n[..1].to_ascii_uppercase();
                    t.push_str(&n[1..]);
                    t
                },
                span: m.range(),
            };
            let Some(first) = name_after(text, m.end()) else {
                continue;
            };
            if text[first.clone()].split_whitespace().count() < 2 {
                continue;
            }
            let next = first.end;
            out.push(person(first, text, title.clone(), "role-noun-name"));
            if !c[2].is_empty()
                && text[next..].starts_with(" and ")
                && let Some(second) = name_after(text, next + 4)
                && text[second.clone()].split_whitespace().count() >= 2
            {
                out.push(person(second, text, title, "role-noun-name"));
            }
        }
    }

    /// Persons named next to a title; titles with no name go to `bare`
    /// (`the NASA Administrator`), for the resolve stage to look up.
    pub fn titled_persons(&self, text: &str, out: &mut Vec<Proposal>, bare: &mut Vec<TitleHit>) {
        let hits: Vec<(usize, usize, usize)> = self
            .titles
            .find_iter(text)
            .filter(|m| is_word_bounded(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        let mut i = 0;
        while i < hits.len() {
            // A chain of titles ("Spokesperson Cmdr. Jessica Anderson"): the
            // first is the post, the name follows the last.
            let mut j = i;
            while j + 1 < hits.len()
                && hits[j + 1].0 == hits[j].1 + 1
                && &text[hits[j].1..hits[j + 1].0] == " "
            {
                j += 1;
            }
            let (ts, first_end, pid) = hits[i];
            let te = hits[j].1;
            i = j + 1;
            let title = TitleHit {
                canonical: self.title_of[pid].clone(),
                span: ts..first_end,
            };
            // "Title Name"
            if let Some(name) = name_after(text, te) {
                out.push(person(name, text, title.clone(), "title-name"));
                continue;
            }
            // "Ambassador to South Korea Gourangalal Das": the resolve stage
            // trims the country off the front of the name.
            let to = if text[te..].starts_with(" to the ") {
                7
            } else if text[te..].starts_with(" to ") {
                3
            } else {
                0
            };
            if to > 0
                && let Some(name) = name_after(text, te + to)
                && text[name.clone()].split_whitespace().count() >= 2
            {
                out.push(person(name, text, title.clone(), "title-to-name"));
                continue;
            }
            // "Title of the Ministry for X, Name"
            if let Some(name) = complement_then_name(text, te) {
                out.push(person(name, text, title.clone(), "title-of-name"));
                continue;
            }
            // "Name, [qualifiers] Title"
            if let Some(name) = name_comma_before(text, ts) {
                out.push(person(name, text, title, "name-comma-title"));
                continue;
            }
            bare.push(title);
        }
    }
}

fn person(name: Range<usize>, text: &str, title: TitleHit, rule: &'static str) -> Proposal {
    Proposal {
        canonical: text[name.clone()].to_string(),
        span: name,
        etype: EntityType::Person,
        rule,
        title: Some(title),
    }
}

/// A personal name token: capitalized word, hyphenated parts, or an initial.
fn is_person_token(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    if w.is_empty() || lexicon::en().stop_words.contains(&w) {
        return false;
    }
    let mut chars = w.chars();
    let first = chars.next().unwrap();
    first.is_uppercase()
        && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && !w.chars().skip(1).all(|c| c.is_uppercase() || !c.is_alphabetic()) // not an acronym
        || (w.chars().count() == 1 && first.is_uppercase())
}

/// Up to four name tokens right after `pos` (one space), possessive stripped.
fn name_after(text: &str, pos: usize) -> Option<Range<usize>> {
    let mut end = None;
    let mut cur = pos;
    let mut n = 0;
    while let Some(w) = word_after(text, cur) {
        let raw_end = text[w.start..]
            .find(|c: char| c.is_whitespace() || "(),;:\"".contains(c))
            .map_or(text.len(), |i| w.start + i);
        let word = &text[w.clone()];
        let is_initial = word.chars().count() == 1 && text[w.end..raw_end].starts_with('.');
        // "Lula da Silva": a particle counts when a name token follows it.
        if n > 0
            && lexicon::en().name_particles.contains(&word)
            && word_after(text, w.end).is_some_and(|next| is_person_token(&text[next]))
        {
            cur = w.end;
            continue;
        }
        if !is_person_token(word) && !is_initial {
            break;
        }
        if lexicon::en().month_names().any(|m| m == word) {
            break;
        }
        n += 1;
        end = Some(w.end);
        // A possessive or a sentence stop ends the name.
        let tail = &text[w.end..raw_end];
        if tail.starts_with("'s") || (tail.starts_with('.') && !is_initial) {
            break;
        }
        cur = if is_initial { w.end + 1 } else { w.end };
        if n >= 4 {
            break;
        }
    }
    let end = end?;
    let start = pos + 1;
    // A lone initial is not a name.
    (text[start..end]
        .chars()
        .filter(|c| c.is_alphabetic())
        .count()
        >= 2)
        .then_some(start..end)
}

/// After a title: ` of|for [the] Capitalized ..., Name`.
fn complement_then_name(text: &str, te: usize) -> Option<Range<usize>> {
    let rest = &text[te..text.floor_char_boundary(te + 160)];
    let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let intro = rest
        .strip_prefix(" of ")
        .or_else(|| rest.strip_prefix(" for "))?;
    let comma = intro.find(", ")?;
    let complement = &intro[..comma];
    if !complement
        .split_whitespace()
        .all(|w| is_capitalized(w) || lexicon::en().name_connectors.contains(&w) || w.contains('-'))
    {
        return None;
    }
    let at = te + (rest.len() - intro.len()) + comma + 1;
    let name = name_after(text, at)?;
    (text[name.clone()].split_whitespace().count() >= 2).then_some(name)
}

/// Before a title: `Name, [up to three words] ` ending at `ts`.
fn name_comma_before(text: &str, ts: usize) -> Option<Range<usize>> {
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"([\p{Lu}][\p{L}'-]+(?: (?:(?:da|de|dos|van|von|bin|al|el|di) )?[\p{Lu}][\p{L}'.-]*){1,4}), (?:[\p{L}.'-]+ ){0,3}$")
            .unwrap()
    });
    let from = ts.saturating_sub(100);
    let from = (from..ts).find(|&i| text.is_char_boundary(i)).unwrap_or(ts);
    let window = &text[from..ts];
    let c = BEFORE.captures(window)?;
    let g = c.get(1).unwrap();
    let name = from + g.start()..from + g.end();
    // Honorifics and sentence openers before the name are not part of it
    // ("the Honourable Navdeep Bains").
    let mut name = name;
    while let Some(first) = text[name.clone()].split(' ').next()
        && lexicon::en()
            .stop_words
            .contains(&first.trim_end_matches('.'))
    {
        name.start += first.len() + 1;
        if name.start >= name.end {
            return None;
        }
    }
    if text[name.clone()].split(' ').count() < 2 {
        return None;
    }
    // The name must start a word.
    if char_before(text, name.start).is_some_and(is_word_char) {
        return None;
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_complement_window_ends_on_a_char_boundary() {
        // Byte te + 160 falls inside a two-byte letter.
        let text = format!("Minister of x{}", "м".repeat(100));
        assert_eq!(complement_then_name(&text, "Minister".len()), None);
    }
    use crate::gazetteer::Title;

    fn recog() -> Recognizers {
        let titles = [
            ("Foreign Secretary", vec![]),
            ("Secretary General", vec!["Secretary-General"]),
            ("Administrator", vec![]),
            ("Ambassador", vec![]),
            ("Prime Minister", vec!["PM"]),
            ("President", vec![]),
            ("Commander", vec!["Cmdr."]),
            ("Spokesperson", vec![]),
            ("Joint Secretary", vec![]),
            (
                "Acting Assistant Secretary of Defense for Space Policy",
                vec!["Acting Assistant Secretary of Defence for Space Policy"],
            ),
        ];
        let titles = titles
            .into_iter()
            .map(|(t, a)| Title {
                title: t.to_string(),
                forms: std::iter::once(t.to_string())
                    .chain(a.into_iter().map(String::from))
                    .collect(),
            })
            .collect();
        Recognizers::new(&Gazetteer::from_parts(vec![], titles))
    }

    fn persons(text: &str) -> Vec<(String, String)> {
        let mut out = vec![];
        recog().titled_persons(text, &mut out, &mut vec![]);
        out.into_iter()
            .map(|p| (p.canonical, p.title.unwrap().canonical))
            .collect()
    }

    #[test]
    fn titled_person_forms() {
        let cases = [
            (
                "Led by Foreign Secretary Vinay Kwatra from India",
                "Vinay Kwatra",
                "Foreign Secretary",
            ),
            (
                "KASA Administrator Yoon Youngbin on Saturday",
                "Yoon Youngbin",
                "Administrator",
            ),
            (
                "Secretary General of the Ministry for Europe and Foreign Affairs, Anne-Marie Descôtes from France",
                "Anne-Marie Descôtes",
                "Secretary General",
            ),
            (
                "led by Vipin Narang, Acting Assistant Secretary of Defence for Space Policy, and",
                "Vipin Narang",
                "Acting Assistant Secretary of Defense for Space Policy",
            ),
            (
                "led by Vishwesh Negi, India's Joint Secretary for International Cooperation.",
                "Vishwesh Negi",
                "Joint Secretary",
            ),
            (
                "said Spokesperson Cmdr. Jessica Anderson.",
                "Jessica Anderson",
                "Spokesperson",
            ),
            ("PM Modi's remarks", "Modi", "Prime Minister"),
            ("President Lee Jae-myung met", "Lee Jae-myung", "President"),
        ];
        for (text, name, title) in cases {
            assert!(
                persons(text).contains(&(name.to_string(), title.to_string())),
                "{text}: {:?}",
                persons(text)
            );
        }
        for text in [
            "The Ambassador also congratulated KASA",
            "the President of France",
            "Administrator NASA said",
        ] {
            assert!(persons(text).is_empty(), "{text}: {:?}", persons(text));
        }
    }

    #[test]
    fn coordinated_names() {
        let text = "from the Departments of State, Commerce, Homeland Security, and Transportation; the Ministries of Defence and Science and ICT";
        let mut out = vec![];
        conjuncts(text, &mut out);
        let got: Vec<(&str, &str)> = out
            .iter()
            .map(|c| (&text[c.span.clone()], c.full.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("State", "Department of State"),
                ("Commerce", "Department of Commerce"),
                ("Homeland Security", "Department of Homeland Security"),
                ("Transportation", "Department of Transportation"),
                ("Defence", "Ministry of Defence"),
                ("Science", "Ministry of Science"),
                ("ICT", "Ministry of ICT"),
            ]
        );
    }

    #[test]
    fn acronyms() {
        let text = "the Korea Aerospace Administration (KASA) and the National Centre for Space Studies (CNES) and government-to-government (G2G) and US-India Advanced Domains Defence Dialogue (AD3).";
        let mut out = vec![];
        acronym_defs(text, &mut out);
        let got: Vec<(&str, &str)> = out
            .iter()
            .map(|d| (&text[d.name.clone()], &text[d.acronym.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                ("Korea Aerospace Administration", "KASA"),
                ("Advanced Domains Defence Dialogue", "AD3")
            ]
        );
    }

    #[test]
    fn instrument_and_dialogue_phrases() {
        let text = "the recently signed Letter of Intent on Defence Space Cooperation. This Dialogue met. The MoU between KASA and ISRO. The second meeting of the Comprehensive Dialogue on Space in Washington. the G20 Summit in South Africa";
        let mut out = vec![];
        phrases(text, &mut out);
        let got: Vec<(&str, &str)> = out
            .iter()
            .map(|p| (p.canonical.as_str(), p.etype.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Letter of Intent on Defence Space Cooperation", "AGREEMENT"),
                ("Memorandum of Understanding", "AGREEMENT"),
                ("Comprehensive Dialogue on Space", "DIALOGUE"),
                ("G20 Summit", "DIALOGUE"),
            ]
        );
        let text = "researchers at Purdue University and the Institute of Aerospace Medicine in Cologne; the University said";
        let mut out = vec![];
        phrases(text, &mut out);
        let got: Vec<&str> = out.iter().map(|p| p.canonical.as_str()).collect();
        assert_eq!(
            got,
            ["Purdue University", "Institute of Aerospace Medicine"]
        );
        let text = "built by Turin-based company Argotec for ASI; the company said";
        let mut out = vec![];
        companies(text, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].canonical, "Argotec");
    }

    #[test]
    fn dates_normalize() {
        let text = "on March 4, 2024 and March 20-21, 2024, in November 2021, Dec 6 (IANS), May 25 2024 | 7:26 and 2024-03-05 and 5 June 2023 and February 30, 2024";
        let mut out = vec![];
        dates(text, None, &mut out);
        let mut got: Vec<(&str, String)> = out
            .iter()
            .map(|p| (&text[p.span.clone()], p.canonical.clone()))
            .collect();
        got.sort();
        let mut want = vec![
            ("March 4, 2024", "2024-03-04".to_string()),
            ("March 20-21, 2024", "2024-03-20/2024-03-21".to_string()),
            ("November 2021", "2021-11".to_string()),
            ("Dec 6", "XXXX-12-06".to_string()),
            ("May 25 2024", "2024-05-25".to_string()),
            ("2024-03-05", "2024-03-05".to_string()),
            ("5 June 2023", "2023-06-05".to_string()),
        ];
        want.sort();
        assert_eq!(got, want);
        let mut out = vec![];
        dates(
            "on November 22 and on December 30",
            Some((2025, 12, 6)),
            &mut out,
        );
        assert_eq!(out[0].canonical, "2025-11-22");
        let mut out = vec![];
        dates("on December 30", Some((2025, 1, 6)), &mut out);
        assert_eq!(out[0].canonical, "2024-12-30");
    }
}
