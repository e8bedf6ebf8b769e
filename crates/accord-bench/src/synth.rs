//! Synthetic benchmark data: news-like articles and large gazetteers.
//!
//! Everything here is generated from a seed and from the names of a loaded
//! gazetteer, so a benchmark corpus exercises the same matcher states, case
//! rules and recognizers that real articles do, without shipping gigabytes of
//! text. The generators keep these invariants:
//!
//! - **Deterministic.** The same seed and the same gazetteer give
//!   byte-identical files. Article `i` is generated from its own stream
//!   ([`Rng::derive`]), so the text corpus and the JSONL corpus hold the same
//!   articles and any prefix of a corpus is the smaller corpus.
//! - **Plain-text format accord reads.** A title line, a blank line, then
//!   paragraphs separated by blank lines; every article is between
//!   [`MIN_ARTICLE_BYTES`] and [`MAX_ARTICLE_BYTES`] long as a `.txt` file.
//! - **Realistic mix.** Sentences name countries and their adjectives,
//!   agencies with acronym definitions, titled officials, missions,
//!   agreements, dialogues, places and dates; filler sentences name nothing;
//!   boilerplate blocks ("Also Read", share lines, wire credits) surround the
//!   prose; some words are not ASCII.
//! - **Synthetic gazetteers load cleanly.** [`write_gazetteer`] writes one
//!   `missions.csv` that [`Gazetteer::load`] accepts without errors, with
//!   exactly the requested total number of aliases and no alias that collides
//!   (ASCII-case-insensitively) with a shipped one or with another synthetic
//!   one.
//!
//! The PRNG is a splitmix64 written here: benchmarks must not change when a
//! dependency changes its algorithm.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use accord_core::error::{Error, Result};
use accord_core::gazetteer::{EntityType, Entry, Gazetteer};

/// Version of the generators: part of every stamp, bumped when output changes.
pub const GENERATOR_VERSION: u32 = 1;

/// Smallest article, in bytes of its `.txt` form.
pub const MIN_ARTICLE_BYTES: usize = 3 * 1024;

/// Largest article, in bytes of its `.txt` form.
pub const MAX_ARTICLE_BYTES: usize = 6 * 1024;

/// Articles per subdirectory of a text corpus (keeps directories small).
pub const FILES_PER_DIR: u64 = 1000;

/// A small, fast, seeded pseudo-random generator (splitmix64).
///
/// Not for cryptography; its only promise is that a seed always yields the
/// same sequence, on every platform.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent generator for item `stream` of a run seeded with `seed`.
    pub fn derive(seed: u64, stream: u64) -> Rng {
        let mut r = Rng::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        // Two steps spread nearby stream numbers over the whole state space.
        r.next_u64();
        Rng::new(r.next_u64() ^ stream)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0). The multiply-shift bias is below 2^-32
    /// for the small `n` used here.
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "Rng::below(0)");
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A fingerprint of a gazetteer's names: stamps compare it so that data
/// generated from an older gazetteer is not reused.
pub fn gazetteer_fingerprint(gaz: &Gazetteer) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for e in gaz.entries() {
        h.update(e.id.as_bytes());
        for a in &e.aliases {
            h.update(b"\x1f");
            h.update(a.as_bytes());
        }
        h.update(b"\x1e");
    }
    for t in gaz.titles() {
        h.update(t.title.as_bytes());
        h.update(b"\x1e");
    }
    h.digest()
}

#[derive(Clone, Debug)]
struct Body {
    /// `the Indian Space Research Organisation` or `Reuters`.
    name: String,
    /// `Indian Space Research Organisation`.
    bare: String,
    acronym: Option<String>,
}

#[derive(Clone, Debug)]
struct Official {
    name: String,
    title: String,
    /// `French`, `NASA`: what goes before the title.
    body: Option<String>,
}

/// The names articles are built from, taken from a gazetteer.
#[derive(Clone, Debug)]
struct Vocab {
    countries: Vec<String>,
    /// Demonyms (`French`); country names for countries without one.
    adjectives: Vec<String>,
    agencies: Vec<Body>,
    orgs: Vec<Body>,
    officials: Vec<Official>,
    missions: Vec<String>,
    agreements: Vec<String>,
    dialogues: Vec<String>,
    locations: Vec<String>,
    titles: Vec<String>,
    non_ascii: Vec<String>,
}

/// Words that end most English demonyms.
const ADJECTIVE_ENDINGS: &[&str] = &["an", "ese", "ish", "ch", "i", "ic"];

fn adjective_of(e: &Entry) -> Option<&str> {
    e.aliases
        .iter()
        .skip(1)
        .find(|a| {
            !a.contains([' ', '-', '.'])
                && a.chars().next().is_some_and(char::is_uppercase)
                && a.chars().skip(1).all(char::is_lowercase)
                && ADJECTIVE_ENDINGS.iter().any(|s| a.ends_with(s))
        })
        .map(String::as_str)
}

/// `ISRO`, `PhilSA`, `IN-SPACe`: a short alias that is mostly capitals.
fn acronym_of(e: &Entry) -> Option<&str> {
    e.aliases
        .iter()
        .skip(1)
        .find(|a| {
            let upper = a.chars().filter(char::is_ascii_uppercase).count();
            (2..=9).contains(&a.len())
                && !a.contains(' ')
                && a.is_ascii()
                && upper >= 2
                && upper * 2 >= a.chars().filter(|c| c.is_alphabetic()).count()
        })
        .map(String::as_str)
}

/// Proper names take no article; descriptive multi-word names do.
fn with_article(name: &str) -> String {
    const DESCRIPTIVE: &[&str] = &[
        "Ministry",
        "Department",
        "National",
        "Office",
        "Agency",
        "Centre",
        "Center",
        "Council",
        "Institute",
        "Administration",
        "Organisation",
        "Organization",
        "Commission",
        "Committee",
        "European",
        "International",
        "United",
        "Federal",
        "State",
        "Space",
        "Indian",
        "China",
        "Korea",
        "Japan",
    ];
    const ORG_NOUNS: &[&str] = &[
        "Agency",
        "Administration",
        "Authority",
        "Centre",
        "Center",
        "Commission",
        "Committee",
        "Council",
        "Department",
        "Institute",
        "Ministry",
        "Office",
        "Organisation",
        "Organization",
    ];
    let first = name.split(' ').next().unwrap_or("");
    let last = name.rsplit(' ').next().unwrap_or("");
    if name.contains(' ')
        && (DESCRIPTIVE.contains(&first) || ORG_NOUNS.contains(&last) || name.contains(" of "))
    {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

impl Vocab {
    fn new(gaz: &Gazetteer) -> Result<Vocab> {
        let mut v = Vocab {
            countries: Vec::new(),
            adjectives: Vec::new(),
            agencies: Vec::new(),
            orgs: Vec::new(),
            officials: Vec::new(),
            missions: Vec::new(),
            agreements: Vec::new(),
            dialogues: Vec::new(),
            locations: Vec::new(),
            titles: gaz.titles().iter().map(|t| t.title.clone()).collect(),
            non_ascii: Vec::new(),
        };
        let body = |e: &Entry| Body {
            name: with_article(&e.canonical),
            bare: e.canonical.clone(),
            acronym: acronym_of(e).map(str::to_string),
        };
        for e in gaz.entries() {
            v.non_ascii.extend(
                e.aliases
                    .iter()
                    .filter(|a| !a.is_ascii() && a.chars().any(char::is_alphabetic))
                    .cloned(),
            );
            match e.etype {
                EntityType::Country => {
                    v.countries.push(e.canonical.clone());
                    v.adjectives.extend(adjective_of(e).map(str::to_string));
                }
                EntityType::Agency => v.agencies.push(body(e)),
                EntityType::Org => v.orgs.push(body(e)),
                EntityType::Mission => v.missions.push(e.canonical.clone()),
                EntityType::Agreement => v.agreements.push(e.canonical.clone()),
                EntityType::Dialogue => v.dialogues.push(e.canonical.clone()),
                EntityType::Location => v.locations.push(e.canonical.clone()),
                EntityType::Person => {
                    let posts = e.posts.iter().filter(|p| !p.title.is_empty());
                    let mut any = false;
                    for p in posts {
                        any = true;
                        let body = gaz.index_of(&p.org).map(|i| {
                            let o = gaz.entry(i);
                            match o.etype {
                                EntityType::Country => {
                                    adjective_of(o).unwrap_or(&o.canonical).to_string()
                                }
                                _ => acronym_of(o).unwrap_or(&o.canonical).to_string(),
                            }
                        });
                        v.officials.push(Official {
                            name: e.canonical.clone(),
                            title: p.title.clone(),
                            body,
                        });
                    }
                    if !any {
                        v.officials.push(Official {
                            name: e.canonical.clone(),
                            title: String::new(),
                            body: None,
                        });
                    }
                }
                EntityType::Date => {}
            }
        }
        let missing = [
            ("COUNTRY", v.countries.is_empty()),
            ("AGENCY", v.agencies.is_empty()),
            ("ORG", v.orgs.is_empty()),
            ("PERSON", v.officials.is_empty()),
            ("MISSION", v.missions.is_empty()),
            ("AGREEMENT", v.agreements.is_empty()),
            ("DIALOGUE", v.dialogues.is_empty()),
            ("LOCATION", v.locations.is_empty()),
            ("TITLE", v.titles.is_empty()),
        ];
        let missing: Vec<&str> = missing.iter().filter(|m| m.1).map(|m| m.0).collect();
        if !missing.is_empty() {
            return Err(Error::msg(format!(
                "cannot generate articles: the gazetteer has no {} entries",
                missing.join(", ")
            )));
        }
        v.non_ascii
            .extend(OWN_NON_ASCII.iter().map(|s| s.to_string()));
        Ok(v)
    }
}

/// Non-ASCII words of our own, for texts whose gazetteer has few.
const OWN_NON_ASCII: &[&str] = &[
    "Zürich",
    "Malmö",
    "Besançon",
    "Nürnberg",
    "Космос",
    "орбита",
    "अंतरिक्ष",
    "उपग्रह",
];

/// Reporters and editors of the wire credit lines (invented, not in any gazetteer).
const STAFF: &[&str] = &[
    "Maya Okonkwo",
    "Daniel Ferreira",
    "Priya Raghunathan",
    "Tomás Lindqvist",
    "Hana Kobayashi",
    "Olivier Marchetti",
    "Grace Mbeki-Hall",
    "Arjun Mehrotra",
    "Sofia Kowalczyk",
    "Liam O'Donnell",
];

/// Sentences that name entities. Placeholders: `{country}`, `{adj}`,
/// `{agency}`, `{acrdef}`, `{org}`, `{official}`, `{bare_title}`,
/// `{mission}`, `{agreement}`, `{dialogue}`, `{location}`, `{date}`,
/// `{year}`, `{num}`, `{nonascii}`. Names come bare except `{agency}`,
/// `{acrdef}` and `{org}`, which carry their article when they need one.
const ENTITY_SENTENCES: &[&str] = &[
    "{official} met {official} in {location} {date} to discuss cooperation on the {mission}.",
    "{country} and {country} signed the {agreement} {date}, officials from both governments said.",
    "{acrdef} said the {mission} would be ready for launch before the end of {year}.",
    "Speaking at the {dialogue} in {location}, {official} said both sides had agreed to share more data.",
    "{adj} and {adj} engineers are working together on the {mission}, according to a statement from {agency}.",
    "The {agreement} provides the framework under which {agency} and {agency} exchange scientists and ground-station time.",
    "{country} joined the {agreement} {date}, becoming one of its newest signatories.",
    "According to {org}, the {dialogue} will meet again in {location} next year.",
    "The {mission} carries an instrument built by {acrdef}, the first such contribution from {country}.",
    "{official} told reporters that {country} wants a larger role in the {mission}.",
    "The two delegations, led by {official} and {official}, reviewed progress since the last round of the {dialogue}.",
    "Officials from {agency} visited {location} {date} to inspect the integration of the {mission}.",
    "In {location}, {official} described the {agreement} as a milestone for {adj} space policy.",
    "The {adj} delegation also held talks with representatives of {org} on launch services and export licences.",
    "{agency} and {agency} have exchanged data from the {mission} since {year}, the agencies said.",
    "{bare_title} said on the sidelines of the {dialogue} that a joint working group would report within {num} months.",
    "{acrdef} and {acrdef} agreed {date} to study a follow-on to the {mission}.",
    "Under the {agreement}, {country} will host a ground station near {location} for the {mission}.",
    "The {dialogue} brought together officials from {country}, {country} and {country} for two days of talks.",
    "{official} later met {adj} industry representatives in {location} to discuss the {mission}.",
    "A spokesperson for {org} said the {mission} had completed {num} orbits without problems.",
    "Local coverage, which spelled the name as {nonascii}, described the launch from {location} as a national event.",
    "The {adj} side proposed extending the {agreement} to cover debris tracking and spectrum coordination.",
    "{country} has contributed {num} per cent of the cost of the {mission}, according to {agency}.",
];

/// Sentences that name nothing a gazetteer lists.
const FILLER_SENTENCES: &[&str] = &[
    "The discussions covered satellite navigation, space situational awareness and the long-term sustainability of activities in orbit.",
    "Analysts said the meeting reflected a broader trend towards practical, project-level cooperation rather than broad declarations.",
    "Neither side disclosed the financial terms of the arrangement or the number of engineers involved.",
    "The statement did not give a timeline for the next steps, though officials expect a follow-up meeting within a year.",
    "Industry groups welcomed the announcement, saying it would open opportunities for smaller suppliers and start-ups.",
    "Experts note that ground infrastructure is often the hardest part of such partnerships to agree on.",
    "Further details are expected to be published in the coming weeks once both sides finish their internal reviews.",
    "The talks took place in a cordial atmosphere, according to people familiar with the matter who asked not to be named.",
    "Several participants stressed the importance of transparency and confidence-building measures in an increasingly crowded orbit.",
    "Students and young researchers will be able to apply for joint fellowships under the new scheme from next spring.",
    "The officials also discussed training, capacity building and the exchange of best practices in mission operations.",
    "Observers pointed out that the cost of access to space has fallen sharply over the past decade.",
    "A café near the venue, popular with visiting engineers, stayed open late into the evening as the talks ran over.",
    "One participant called the early optimism naïve but said the technical groundwork was now in place.",
    "The working papers, some annotated in Cyrillic and Devanagari script, were circulated to all delegations in advance.",
    "Questions about the sharing of launch costs and insurance were left for a later round of negotiations.",
    "The agenda, circulated a week earlier, listed more than a dozen items, from frequency coordination to the exchange of trainee engineers.",
    "Several of the proposals had been discussed informally for years before they reached the negotiating table.",
    "Budget pressures at home mean that any new commitment will have to be phased over several fiscal years.",
    "Engineers on both sides said compatible interfaces and shared test facilities would matter more than headline announcements.",
];

/// Headline shapes, for titles and for the "Also Read" lists.
const HEADLINES: &[&str] = &[
    "{country} and {country} deepen space ties at {dialogue}",
    "{agency} and {agency} sign pact on {mission}",
    "{official} visits {location} ahead of {mission} launch",
    "{adj} space officials unveil plans for {mission}",
    "{country} joins {agreement} as talks continue in {location}",
    "Inside the {mission}: what {country} hopes to gain",
    "{dialogue}: {country} and {country} agree on next steps",
];

/// A generator of synthetic articles from one gazetteer and one seed.
#[derive(Clone, Debug)]
pub struct Generator {
    vocab: Vocab,
    seed: u64,
}

/// One generated article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Article {
    /// Identifier, `syn-000123`.
    pub id: String,
    /// Title (one line).
    pub title: String,
    /// Body: paragraphs separated by blank lines, no trailing newline.
    pub text: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
}

impl Article {
    /// The plain-text form accord reads: title, blank line, body, newline.
    pub fn to_txt(&self) -> String {
        format!("{}\n\n{}\n", self.title, self.text)
    }

    /// One JSON object `{"id", "title", "text", "date"}`, without the newline.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).expect("an article serializes")
    }
}

/// What a corpus writer wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CorpusStats {
    /// Number of articles.
    pub articles: u64,
    /// Bytes written (all files, or the one JSONL file).
    pub bytes: u64,
}

/// Per-article state while writing its sentences.
struct Ctx<'v> {
    v: &'v Vocab,
    rng: Rng,
    year: u32,
}

impl Ctx<'_> {
    fn date(&mut self) -> String {
        let year = if self.rng.chance(80) {
            self.year
        } else {
            self.year - 1
        };
        let names: Vec<&str> = accord_core::lexicon::en().month_names().collect();
        let month = *self.rng.pick(&names);
        let day = self.rng.range(1, 28);
        if self.rng.chance(70) {
            format!("on {month} {day}, {year}")
        } else {
            format!("on {day} {month} {year}")
        }
    }

    fn agency(&mut self) -> String {
        let a = self.rng.pick(&self.v.agencies);
        match &a.acronym {
            Some(acr) if self.rng.chance(60) => acr.clone(),
            _ => a.name.clone(),
        }
    }

    fn official(&mut self) -> String {
        let o = self.rng.pick(&self.v.officials);
        if o.title.is_empty() {
            return o.name.clone();
        }
        match (self.rng.below(10), &o.body) {
            (0..=5, Some(body)) => format!("{body} {} {}", o.title, o.name),
            (0..=7, _) => format!("{} {}", o.title, o.name),
            _ => o.name.clone(),
        }
    }

    /// `the French Foreign Minister`: a title with its body and no name.
    fn bare_title(&mut self) -> String {
        let adj = self.rng.pick(&self.v.adjectives).clone();
        let title = self.rng.pick(&self.v.titles).clone();
        format!("the {adj} {title}")
    }

    fn expand(&mut self, template: &str, out: &mut String) {
        let start = out.len();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("closed placeholder");
            let v = self.v;
            let word = match &rest[open + 1..close] {
                "country" => self.rng.pick(&v.countries).clone(),
                "adj" => self.rng.pick(&v.adjectives).clone(),
                "agency" => self.agency(),
                "acrdef" => {
                    let a = self.rng.pick(&v.agencies);
                    match &a.acronym {
                        Some(acr) => format!("the {} ({acr})", a.bare),
                        None => a.name.clone(),
                    }
                }
                "org" => self.rng.pick(&v.orgs).name.clone(),
                "official" => self.official(),
                "bare_title" => self.bare_title(),
                "mission" => self.rng.pick(&v.missions).clone(),
                "agreement" => self.rng.pick(&v.agreements).clone(),
                "dialogue" => self.rng.pick(&v.dialogues).clone(),
                "location" => self.rng.pick(&v.locations).clone(),
                "nonascii" => self.rng.pick(&v.non_ascii).clone(),
                "date" => self.date(),
                "year" => self.year.to_string(),
                "num" => self.rng.range(2, 40).to_string(),
                other => unreachable!("unknown placeholder {{{other}}} in {template:?}"),
            };
            out.push_str(&word);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        // A sentence that starts with "the ..." starts with a capital.
        if let Some(c) = out[start..].chars().next()
            && c.is_lowercase()
        {
            let upper: String = c.to_uppercase().collect();
            out.replace_range(start..start + c.len_utf8(), &upper);
        }
    }

    fn sentence(&mut self, out: &mut String) {
        let t = if self.rng.chance(55) {
            *self.rng.pick(ENTITY_SENTENCES)
        } else {
            *self.rng.pick(FILLER_SENTENCES)
        };
        self.expand(t, out);
    }

    fn paragraph(&mut self, sentences: usize) -> String {
        let mut p = String::new();
        for i in 0..sentences {
            if i > 0 {
                p.push(' ');
            }
            self.sentence(&mut p);
        }
        p
    }

    fn headline(&mut self) -> String {
        let mut h = String::new();
        let t = *self.rng.pick(HEADLINES);
        self.expand(t, &mut h);
        h
    }

    fn also_read(&mut self) -> String {
        let mut block = String::from(if self.rng.chance(50) {
            "Also Read"
        } else {
            "Latest News"
        });
        for _ in 0..self.rng.range(2, 3) {
            block.push_str("\n\n");
            block.push_str(&self.headline());
        }
        block
    }

    fn trailer(&mut self) -> String {
        let mut t = Vec::new();
        if self.rng.chance(50) {
            t.push(format!(
                "(Reporting by {} in {}; Editing by {})",
                self.rng.pick(STAFF),
                self.rng.pick(&self.v.locations),
                self.rng.pick(STAFF)
            ));
        }
        if self.rng.chance(50) {
            t.push("Follow us on X, Facebook and Instagram for the latest space news.".into());
        }
        if self.rng.chance(30) {
            t.push(format!(
                "Tags: {}, {}, space cooperation",
                self.rng.pick(&self.v.missions),
                self.rng.pick(&self.v.countries)
            ));
        }
        t.join("\n\n")
    }
}

/// Room kept at the end of an article for its trailer.
const TRAILER_RESERVE: usize = 400;

impl Generator {
    /// A generator over the names of `gaz`; fails when the gazetteer lacks a
    /// type the templates need.
    pub fn new(gaz: &Gazetteer, seed: u64) -> Result<Generator> {
        Ok(Generator {
            vocab: Vocab::new(gaz)?,
            seed,
        })
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Article number `index`: the same for the same seed, gazetteer and index.
    pub fn article(&self, index: u64) -> Article {
        let mut rng = Rng::derive(self.seed, index);
        let year = rng.range(2015, 2025) as u32;
        let date = format!(
            "{year}-{:02}-{:02}",
            rng.range(1, 12) as u32,
            rng.range(1, 28) as u32
        );
        let mut cx = Ctx {
            v: &self.vocab,
            rng,
            year,
        };
        let title = cx.headline();
        let target = cx
            .rng
            .range(MIN_ARTICLE_BYTES + 300, MAX_ARTICLE_BYTES - 700);
        let limit = MAX_ARTICLE_BYTES - TRAILER_RESERVE;
        // txt size = title + "\n\n" + body + "\n"
        let size = |body: &String| title.len() + 3 + body.len();
        let mut body = format!("{}: ", cx.rng.pick(&self.vocab.locations));
        let n = cx.rng.range(2, 4);
        body.push_str(&cx.paragraph(n));
        let also_read_at = cx.rng.range(1, 3);
        let mut paragraphs = 1;
        while size(&body) < target {
            let block = if paragraphs == also_read_at && cx.rng.chance(60) {
                cx.also_read()
            } else {
                let n = cx.rng.range(3, 6);
                cx.paragraph(n)
            };
            paragraphs += 1;
            if size(&body) + 2 + block.len() <= limit {
                body.push_str("\n\n");
                body.push_str(&block);
                continue;
            }
            // Too long to fit: finish with one short sentence if there is room.
            let one = cx.paragraph(1);
            if size(&body) + 2 + one.len() <= limit {
                body.push_str("\n\n");
                body.push_str(&one);
            }
            break;
        }
        let trailer = cx.trailer();
        if !trailer.is_empty() {
            body.push_str("\n\n");
            body.push_str(&trailer);
        }
        Article {
            id: format!("syn-{index:06}"),
            title,
            text: body,
            date,
        }
    }

    /// Write `.txt` articles into `dir` (as `000/000000.txt`, `000/000001.txt`,
    /// ...) until at least `target_bytes` are written.
    pub fn write_txt(&self, dir: &Path, target_bytes: u64) -> Result<CorpusStats> {
        let mut stats = CorpusStats::default();
        while stats.bytes < target_bytes {
            let i = stats.articles;
            let sub = dir.join(format!("{:03}", i / FILES_PER_DIR));
            if i % FILES_PER_DIR == 0 {
                std::fs::create_dir_all(&sub).map_err(|e| Error::io(&sub, e))?;
            }
            let path = sub.join(format!("{i:06}.txt"));
            let text = self.article(i).to_txt();
            std::fs::write(&path, &text).map_err(|e| Error::io(&path, e))?;
            stats.articles += 1;
            stats.bytes += text.len() as u64;
        }
        Ok(stats)
    }

    /// Write the same articles as JSON lines into the file `path` until at
    /// least `target_bytes` are written.
    pub fn write_jsonl(&self, path: &Path, target_bytes: u64) -> Result<CorpusStats> {
        let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        let mut stats = CorpusStats::default();
        while stats.bytes < target_bytes {
            let mut line = self.article(stats.articles).to_json_line();
            line.push('\n');
            w.write_all(line.as_bytes())
                .map_err(|e| Error::io(path, e))?;
            stats.articles += 1;
            stats.bytes += line.len() as u64;
        }
        w.flush().map_err(|e| Error::io(path, e))?;
        Ok(stats)
    }
}

/// What [`write_gazetteer`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynGazetteer {
    /// The CSV file written.
    pub path: PathBuf,
    /// Synthetic entries (rows).
    pub entries: usize,
    /// Synthetic aliases (canonical names included).
    pub aliases: usize,
    /// Aliases after loading: the shipped ones plus the synthetic ones.
    pub total_aliases: usize,
}

/// Qualifiers and nouns of synthetic mission and programme names.
const QUALIFIERS: &[&str] = &[
    "Lunar",
    "Solar",
    "Deep Space",
    "Earth Observation",
    "Climate",
    "Navigation",
    "Polar",
    "Heliophysics",
    "Radar",
    "Optical",
    "Cargo",
    "Crew",
    "Microgravity",
    "Space Weather",
    "Debris Removal",
    "Asteroid",
    "Sample Return",
    "Ionospheric",
    "Maritime",
    "Geodetic",
    "Hyperspectral",
    "Quantum Communication",
    "Atmospheric",
    "Planetary Defence",
];

const NOUNS: &[&str] = &[
    "Programme",
    "Mission",
    "Observatory",
    "Constellation",
    "Initiative",
    "Partnership",
    "Lander",
    "Orbiter",
    "Explorer",
    "Telescope",
    "Relay",
    "Pathfinder",
    "Demonstrator",
    "Station",
    "Array",
    "Network",
    "Facility",
    "Laboratory",
    "Payload",
    "Rover",
    "Probe",
    "Sounder",
    "Imager",
    "Spectrometer",
    "Testbed",
    "Consortium",
    "Working Group",
    "Framework",
    "Centre",
    "Project",
];

const ROMAN: &[&str] = &["I", "II", "III", "IV", "V", "VI"];

/// Spelling variants that real gazetteers list as separate aliases.
const SPELLINGS: &[(&str, &str)] = &[
    ("Programme", "Program"),
    ("Centre", "Center"),
    ("Defence", "Defense"),
    ("Organisation", "Organization"),
];

/// A word usable inside a synthetic name: letters, digits, `-` and `.` only.
fn plain(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.' || c == ' ')
}

/// Write `dir/missions.csv` with synthetic missions, so that the gazetteer
/// `Gazetteer::load(Some(dir))` holds exactly `total_aliases` aliases (the
/// shipped ones, [`Gazetteer::alias_count`] of `shipped`, plus the new ones).
///
/// Names combine the shipped gazetteer's adjectives, acronyms, missions and
/// places with qualifiers and nouns ("ISRO Chandrayaan Lunar Orbiter",
/// "Kenyan Polar Relay Programme 17"); each entry has its canonical name and
/// up to three variants (acronym, spelling variant, numbered phase). Ids are
/// `mission:syn-0000123`.
pub fn write_gazetteer(
    shipped: &Gazetteer,
    seed: u64,
    dir: &Path,
    total_aliases: usize,
) -> Result<SynGazetteer> {
    let have = shipped.alias_count();
    if total_aliases <= have {
        return Err(Error::msg(format!(
            "a synthetic gazetteer of {total_aliases} aliases is too small: the shipped one already has {have}"
        )));
    }
    let want = total_aliases - have;
    let v = Vocab::new(shipped)?;
    let mut seen: HashSet<String> = HashSet::with_capacity(total_aliases);
    for e in shipped.entries() {
        for a in e.aliases.iter().chain(&e.combining).chain(&e.blockers) {
            seen.insert(a.to_ascii_lowercase());
        }
    }
    let adjectives: Vec<&str> = v
        .adjectives
        .iter()
        .map(String::as_str)
        .filter(|a| plain(a))
        .collect();
    let prefixes: Vec<&str> = v
        .agencies
        .iter()
        .chain(&v.orgs)
        .filter_map(|b| b.acronym.as_deref())
        .filter(|a| plain(a))
        .collect();
    let missions: Vec<&str> = v
        .missions
        .iter()
        .map(String::as_str)
        .filter(|m| plain(m))
        .collect();
    let places: Vec<&str> = v
        .locations
        .iter()
        .map(String::as_str)
        .filter(|m| plain(m))
        .collect();
    let codes: Vec<&str> = shipped
        .entries()
        .iter()
        .filter(|e| e.etype == EntityType::Country && e.country.len() == 2)
        .map(|e| e.country.as_str())
        .collect();
    if [&adjectives, &prefixes, &missions, &places]
        .iter()
        .any(|p| p.is_empty())
    {
        return Err(Error::msg(
            "cannot generate a synthetic gazetteer: the shipped gazetteer lacks adjectives, acronyms, missions or places",
        ));
    }

    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let path = dir.join("missions.csv");
    let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut buf = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(
        buf,
        "# synthetic benchmark gazetteer written by accord bench: seed {seed}, {total_aliases} aliases with the shipped ones"
    )
    .map_err(|e| Error::io(&path, e))?;
    let mut w = csv::Writer::from_writer(buf);
    let csv_err = |e: csv::Error| Error::msg(format!("{}: {e}", path.display()));
    w.write_record(["id", "canonical", "aliases", "country", "notes"])
        .map_err(csv_err)?;

    let mut rng = Rng::derive(seed, u64::MAX);
    let mut written = 0usize;
    let mut entries = 0usize;
    let mut aliases: Vec<String> = Vec::with_capacity(4);
    while written < want {
        let q = *rng.pick(QUALIFIERS);
        let n = *rng.pick(NOUNS);
        let base = match rng.below(4) {
            0 => format!("{} {q} {n}", rng.pick(&adjectives)),
            1 => format!("{} {} {n}", rng.pick(&prefixes), rng.pick(&missions)),
            2 => format!("{} {q} {n}", rng.pick(&places)),
            _ => format!("{} {q} {n} {}", rng.pick(&missions), rng.pick(ROMAN)),
        };
        // Unique canonical name: "Programme", then "Programme 2", ...
        let mut canonical = base.clone();
        let mut k = 2;
        while !seen.insert(canonical.to_ascii_lowercase()) {
            canonical = format!("{base} {k}");
            k += 1;
        }
        aliases.clear();
        let mut variants: Vec<String> = Vec::with_capacity(3);
        if rng.chance(40) {
            let acr: String = canonical
                .split([' ', '-'])
                .filter_map(|w| w.chars().next())
                .filter(char::is_ascii_uppercase)
                .collect();
            if acr.len() >= 4 {
                variants.push(acr);
            }
        }
        if let Some((from, to)) = SPELLINGS.iter().find(|(f, _)| canonical.contains(f)) {
            variants.push(canonical.replace(from, to));
        }
        if rng.chance(50) {
            variants.push(format!("{canonical} Phase {}", rng.range(1, 3)));
        }
        for a in variants {
            if written + 1 + aliases.len() >= want {
                break;
            }
            if seen.insert(a.to_ascii_lowercase()) {
                aliases.push(a);
            }
        }
        let country = if rng.chance(70) {
            *rng.pick(&codes)
        } else {
            ""
        };
        w.write_record([
            format!("mission:syn-{entries:07}").as_str(),
            &canonical,
            &aliases.join("|"),
            country,
            "",
        ])
        .map_err(csv_err)?;
        written += 1 + aliases.len();
        entries += 1;
    }
    let mut buf = w
        .into_inner()
        .map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
    buf.flush().map_err(|e| Error::io(&path, e))?;
    Ok(SynGazetteer {
        path,
        entries,
        aliases: written,
        total_aliases: have + written,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_core::engine::Engine;
    use accord_io::input::Document;
    use std::sync::LazyLock;

    static SHIPPED: LazyLock<Gazetteer> =
        LazyLock::new(|| Gazetteer::load(None).unwrap_or_else(|e| panic!("{e}")));

    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for ent in std::fs::read_dir(&d).unwrap() {
                let p = ent.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let bytes = std::fs::read(&p).unwrap();
                    out.push((p.strip_prefix(dir).unwrap().to_path_buf(), bytes));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn rng_is_stable_and_in_range() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        // splitmix64's published first output for seed 0.
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut r = Rng::new(7);
        for _ in 0..10_000 {
            let x = r.range(3, 9);
            assert!((3..=9).contains(&x));
        }
        assert_ne!(Rng::derive(1, 0).next_u64(), Rng::derive(1, 1).next_u64());
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let write = |seed: u64| {
            let dir = tempfile::tempdir().unwrap();
            let g = Generator::new(&SHIPPED, seed).unwrap();
            let txt = g.write_txt(&dir.path().join("txt"), 40_000).unwrap();
            let jsonl = g.write_jsonl(&dir.path().join("a.jsonl"), 40_000).unwrap();
            assert!(txt.bytes >= 40_000 && jsonl.bytes >= 40_000);
            assert_eq!(
                jsonl.bytes,
                std::fs::metadata(dir.path().join("a.jsonl")).unwrap().len()
            );
            (files(dir.path()), txt, jsonl)
        };
        let (a, a_txt, a_jsonl) = write(1);
        let (b, b_txt, b_jsonl) = write(1);
        let (c, _, _) = write(2);
        assert_eq!(a_txt, b_txt);
        assert_eq!(a_jsonl, b_jsonl);
        assert!(a == b, "same seed, different files");
        assert!(a != c, "different seeds, same files");
        assert!(a.iter().any(|(p, _)| p == Path::new("txt/000/000000.txt")));
    }

    #[test]
    fn articles_have_the_plain_text_shape_and_size() {
        let g = Generator::new(&SHIPPED, 9).unwrap();
        let mut non_ascii = 0;
        let mut boilerplate = 0;
        for i in 0..300 {
            let a = g.article(i);
            let txt = a.to_txt();
            assert!(
                (MIN_ARTICLE_BYTES..=MAX_ARTICLE_BYTES).contains(&txt.len()),
                "article {i}: {} bytes",
                txt.len()
            );
            let (title, body) = txt.split_once("\n\n").unwrap();
            assert!(!title.contains('\n') && !title.is_empty());
            assert!(!body.starts_with('\n') && body.ends_with('\n'));
            assert!(!body.contains("\n\n\n"));
            assert!(!txt.contains('{'), "unexpanded placeholder in {txt}");
            assert_eq!(a.date.len(), 10);
            non_ascii += usize::from(!txt.is_ascii());
            boilerplate += usize::from(
                txt.contains("\nAlso Read\n")
                    || txt.contains("(Reporting by")
                    || txt.contains("Follow us on"),
            );
            let json: serde_json::Value = serde_json::from_str(&a.to_json_line()).unwrap();
            assert_eq!(json["text"].as_str().unwrap(), a.text);
        }
        assert!(non_ascii > 30, "{non_ascii} of 300 articles not ASCII");
        assert!(boilerplate > 100, "{boilerplate} of 300 with boilerplate");
    }

    #[test]
    fn every_template_expands() {
        let g = Generator::new(&SHIPPED, 3).unwrap();
        let mut cx = Ctx {
            v: &g.vocab,
            rng: Rng::new(5),
            year: 2024,
        };
        for t in ENTITY_SENTENCES
            .iter()
            .chain(FILLER_SENTENCES)
            .chain(HEADLINES)
        {
            let mut s = String::new();
            cx.expand(t, &mut s);
            assert!(!s.contains(['{', '}']), "{s}");
            assert!(s.chars().next().unwrap().is_uppercase(), "{s}");
        }
    }

    #[test]
    fn the_pipeline_finds_many_entity_types_in_an_article() {
        let g = Generator::new(&SHIPPED, 11).unwrap();
        let engine = Engine::new(SHIPPED.clone()).unwrap();
        let mut types = std::collections::BTreeSet::new();
        for i in 0..2 {
            let a = g.article(i);
            let doc = Document {
                id: a.id.clone(),
                source: "synthetic".into(),
                text: a.to_txt(),
                ..Document::default()
            };
            let analysis = engine.analyze(&doc);
            types.extend(analysis.entities.iter().map(|e| e.etype));
        }
        for t in [
            EntityType::Country,
            EntityType::Agency,
            EntityType::Person,
            EntityType::Mission,
            EntityType::Date,
        ] {
            assert!(types.contains(&t), "no {t} in {types:?}");
        }
        assert!(types.len() >= 6, "{types:?}");
    }

    #[test]
    fn synthetic_gazetteer_loads_with_the_requested_alias_count() {
        let dir = tempfile::tempdir().unwrap();
        let syn = write_gazetteer(&SHIPPED, 5, dir.path(), 10_000).unwrap();
        assert_eq!(syn.total_aliases, 10_000);
        let loaded = Gazetteer::load(Some(dir.path())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.alias_count(), 10_000);
        assert_eq!(
            loaded.entries().len(),
            SHIPPED.entries().len() + syn.entries
        );
        // Realistic multi-word names, unique without regard to ASCII case.
        let syn_entries: Vec<&Entry> = loaded
            .entries()
            .iter()
            .filter(|e| e.id.starts_with("mission:syn-"))
            .collect();
        let multi = syn_entries
            .iter()
            .filter(|e| e.canonical.split(' ').count() >= 3)
            .count();
        assert!(multi * 10 >= syn_entries.len() * 9);
        let mut keys: HashSet<String> = SHIPPED
            .entries()
            .iter()
            .flat_map(|e| e.aliases.iter().chain(&e.combining).chain(&e.blockers))
            .map(|a| a.to_ascii_lowercase())
            .collect();
        for e in &syn_entries {
            for a in &e.aliases {
                assert!(keys.insert(a.to_ascii_lowercase()), "{a} twice");
            }
        }
        let again = tempfile::tempdir().unwrap();
        write_gazetteer(&SHIPPED, 5, again.path(), 10_000).unwrap();
        assert_eq!(files(dir.path()), files(again.path()));
        assert!(write_gazetteer(&SHIPPED, 5, again.path(), 10).is_err());
    }
}
