//! Gazetteers: the named entities accord knows, loaded from CSV.
//!
//! One CSV file per entity type (`countries.csv`, `agencies.csv`, ...), plus
//! `titles.csv` with the titles that introduce officials. The files under
//! `gazetteers/` are compiled into the binary; `--gazetteers DIR` adds files
//! whose rows extend the embedded ones and, for the same `id`, replace them.
//!
//! Invariants after [`Gazetteer::load`]: ids are unique, every entry has a
//! canonical name and at least one alias (the canonical name itself), and
//! every alias is normalized with [`crate::text::normalize::normalize_owned`].

pub mod lint;
mod load;

pub use load::{EMBEDDED, Files, Source};

use std::collections::HashMap;
use std::fmt;

use crate::error::Result;

/// The slug of a name for a proposed gazetteer id: accents off
/// (`Descôtes` → `descotes`), then ASCII letters and digits, other runs as
/// one `-`. Empty when nothing is left (`李`). `gazetteer suggest` and
/// `import-wikidata` both name their rows with it.
pub fn slug(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut slug = String::new();
    for c in name
        .nfd()
        .filter(|c| c.is_ascii())
        .flat_map(|c| c.to_lowercase())
    {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let len = slug.trim_end_matches('-').len();
    slug.truncate(len);
    slug
}

/// The entity types of `entities.csv`, in the contract's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    /// A state.
    Country,
    /// A space agency, national or intergovernmental.
    Agency,
    /// Any other organisation: ministries, commands, companies, news agencies.
    Org,
    /// An official or other person.
    Person,
    /// A mission, satellite, launcher, station or programme.
    Mission,
    /// A treaty, accord, memorandum, letter of intent.
    Agreement,
    /// A dialogue, summit, forum or working group.
    Dialogue,
    /// A city, region or launch site.
    Location,
    /// A calendar date.
    Date,
}

impl EntityType {
    /// Every type, in declaration order.
    pub const ALL: [EntityType; 9] = [
        EntityType::Country,
        EntityType::Agency,
        EntityType::Org,
        EntityType::Person,
        EntityType::Mission,
        EntityType::Agreement,
        EntityType::Dialogue,
        EntityType::Location,
        EntityType::Date,
    ];

    /// The name used in CSV output (`COUNTRY`, `AGENCY`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Country => "COUNTRY",
            EntityType::Agency => "AGENCY",
            EntityType::Org => "ORG",
            EntityType::Person => "PERSON",
            EntityType::Mission => "MISSION",
            EntityType::Agreement => "AGREEMENT",
            EntityType::Dialogue => "DIALOGUE",
            EntityType::Location => "LOCATION",
            EntityType::Date => "DATE",
        }
    }

    /// Parse a type name as written in CSV (case-insensitive).
    pub fn parse(s: &str) -> Option<EntityType> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "COUNTRY" => EntityType::Country,
            "AGENCY" => EntityType::Agency,
            "ORG" | "ORGANISATION" | "ORGANIZATION" => EntityType::Org,
            "PERSON" => EntityType::Person,
            "MISSION" => EntityType::Mission,
            "AGREEMENT" => EntityType::Agreement,
            "DIALOGUE" => EntityType::Dialogue,
            "LOCATION" => EntityType::Location,
            "DATE" => EntityType::Date,
            _ => return None,
        })
    }

    /// True for types that can be a party to a cooperation (a state or a body).
    pub fn is_party(self) -> bool {
        matches!(
            self,
            EntityType::Country | EntityType::Agency | EntityType::Org
        )
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an entry's aliases match letter case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CasePolicy {
    /// Short all-capital aliases (3 letters or fewer) match exactly; any other
    /// alias matches when its first letter has the alias's case, the rest any
    /// case (`NASA` matches `Nasa`; `India` matches `INDIA`, not `india`).
    #[default]
    Auto,
    /// Byte-for-byte only.
    Exact,
    /// Any letter case.
    Fold,
}

impl CasePolicy {
    /// Parse the `case` column; empty means [`CasePolicy::Auto`].
    pub fn parse(s: &str) -> Option<CasePolicy> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => CasePolicy::Auto,
            "exact" | "sensitive" => CasePolicy::Exact,
            "fold" | "insensitive" => CasePolicy::Fold,
            _ => return None,
        })
    }
}

/// One entity of a gazetteer.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Stable id, `type:slug` (`agency:isro`).
    pub id: String,
    /// Entity type, from the file name or a `type` column.
    pub etype: EntityType,
    /// Canonical English name.
    pub canonical: String,
    /// Surface forms, canonical first, normalized.
    pub aliases: Vec<String>,
    /// Forms valid only as the first half of a hyphenated pair (`Indo`, `Franco`).
    pub combining: Vec<String>,
    /// Longer phrases holding an alias that do not name the entity
    /// (`SWOT analysis`): where one matches, nothing is reported.
    pub blockers: Vec<String>,
    /// ISO 3166-1 alpha-2 code of the entity's country, if any.
    pub country: String,
    /// Wikidata id, if known for certain.
    pub wikidata: String,
    /// Case policy for all aliases.
    pub case: CasePolicy,
    /// For officials: the posts they held, one per row of `officials.csv`.
    pub posts: Vec<Post>,
    /// Country codes of partners (missions) or parties (agreements, dialogues).
    pub parties: Vec<String>,
    /// Where the row came from.
    pub source: Source,
}

/// A post an official held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    /// The title (`Administrator`, `Foreign Secretary`).
    pub title: String,
    /// Id of the organisation or country the post belongs to (`agency:nasa`).
    pub org: String,
    /// First year in the post.
    pub from: Option<i32>,
    /// Last year in the post (`None`: still in office, as far as the row knows).
    pub to: Option<i32>,
}

impl Post {
    /// True when the post was held in `year` (unknown bounds do not exclude).
    pub fn held_in(&self, year: i32) -> bool {
        self.from.is_none_or(|f| f <= year) && self.to.is_none_or(|t| year <= t)
    }
}

/// A title that introduces a person ("Foreign Secretary", "Cmdr.").
#[derive(Clone, Debug)]
pub struct Title {
    /// Canonical form.
    pub title: String,
    /// Variants, canonical first, normalized.
    pub forms: Vec<String>,
}

/// A loaded set of gazetteers.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    titles: Vec<Title>,
    by_id: HashMap<String, usize>,
    by_country: HashMap<String, usize>,
    /// Organisation id → title → the persons (ascending entry indices) who
    /// held that post in some year.
    post_holders: HashMap<String, HashMap<String, Vec<u32>>>,
    /// The last word of each alias of a person who held a post → those
    /// persons (ascending entry indices, each once).
    by_surname: HashMap<String, Vec<u32>>,
}

impl Gazetteer {
    /// Load the embedded gazetteers, then the CSV files of `dir` (if any).
    ///
    /// Rows of `dir` extend the embedded ones and replace those with the same id.
    /// Every malformed row is collected; if there is any, the error lists them
    /// all with file and line.
    pub fn load(dir: Option<&std::path::Path>) -> Result<Gazetteer> {
        load::load(Files::read(dir)?)
    }

    /// Like [`Gazetteer::load`], from files already read.
    pub fn from_files(files: Files) -> Result<Gazetteer> {
        load::load(files)
    }

    /// A hash of the embedded gazetteers, the files of `dir` and the accord
    /// version: equal fingerprints give equal extraction.
    pub fn fingerprint(dir: Option<&std::path::Path>) -> Result<String> {
        Files::read(dir)?.fingerprint()
    }

    /// Build from entries and titles (tests, benchmarks).
    pub fn from_parts(entries: Vec<Entry>, titles: Vec<Title>) -> Gazetteer {
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let by_country = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.etype == EntityType::Country && !e.country.is_empty())
            .map(|(i, e)| (e.country.to_ascii_uppercase(), i))
            .collect();
        let mut post_holders: HashMap<String, HashMap<String, Vec<u32>>> = HashMap::new();
        let mut by_surname: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if e.etype != EntityType::Person {
                continue;
            }
            if !e.posts.is_empty() {
                for a in &e.aliases {
                    if let Some(last) = a.split_whitespace().last() {
                        let persons = by_surname.entry(last.to_string()).or_default();
                        if persons.last() != Some(&(i as u32)) {
                            persons.push(i as u32);
                        }
                    }
                }
            }
            for p in &e.posts {
                let holders = post_holders
                    .entry(p.org.clone())
                    .or_default()
                    .entry(p.title.clone())
                    .or_default();
                // Two posts of one person with the same title: listed once.
                if holders.last() != Some(&(i as u32)) {
                    holders.push(i as u32);
                }
            }
        }
        Gazetteer {
            entries,
            titles,
            by_id,
            by_country,
            post_holders,
            by_surname,
        }
    }

    /// The officials (entry indices, ascending) one of whose names ends with
    /// the word `surname` (`Biden`, `Kishida`).
    pub fn officials_named(&self, surname: &str) -> &[u32] {
        self.by_surname.get(surname).map_or(&[], Vec::as_slice)
    }

    /// All entries, in load order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry at `index`.
    pub fn entry(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    /// The titles list.
    pub fn titles(&self) -> &[Title] {
        &self.titles
    }

    /// The index of the entry with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The index of the country entry with this ISO alpha-2 code.
    pub fn country_index(&self, code: &str) -> Option<usize> {
        self.by_country.get(&code.to_ascii_uppercase()).copied()
    }

    /// The persons (entry indices, ascending) who held the post `title` at
    /// the organisation or country with id `org` in any year: a lookup, where
    /// scanning every entry would cost a large gazetteer's size per question.
    pub fn post_holders(&self, org: &str, title: &str) -> &[u32] {
        self.post_holders
            .get(org)
            .and_then(|t| t.get(title))
            .map_or(&[], Vec::as_slice)
    }

    /// Number of aliases over all entries (combining forms included).
    pub fn alias_count(&self) -> usize {
        self.entries
            .iter()
            .map(|e| e.aliases.len() + e.combining.len() + e.blockers.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The post index answers as scanning every entry does, for every post
    /// of the shipped gazetteers and for posts nobody holds.
    #[test]
    fn post_holders_agree_with_a_scan_of_every_entry() {
        let gaz = Gazetteer::load(None).unwrap();
        let scan = |org: &str, title: &str| -> Vec<u32> {
            (0..gaz.entries().len())
                .filter(|&i| {
                    let e = gaz.entry(i);
                    e.etype == EntityType::Person
                        && e.posts.iter().any(|p| p.org == org && p.title == title)
                })
                .map(|i| i as u32)
                .collect()
        };
        let mut asked = 0;
        for e in gaz.entries() {
            for p in &e.posts {
                let got = gaz.post_holders(&p.org, &p.title);
                assert_eq!(got, scan(&p.org, &p.title), "{} {}", p.org, p.title);
                assert!(!got.is_empty());
                asked += 1;
            }
        }
        assert!(asked > 0, "the shipped gazetteers hold no post");
        assert!(gaz.post_holders("agency:nasa", "No Such Title").is_empty());
        assert!(gaz.post_holders("no:such-org", "Administrator").is_empty());
    }
}
