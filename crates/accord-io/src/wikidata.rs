//! Gazetteer rows from a Wikidata JSON dump, streamed in bounded memory.
//!
//! A dump (`latest-all.json`, plain, `.gz` or `.bz2`) is one JSON array with
//! one entity per line: `[`, then `{...},` lines, then `]`. It is read line by
//! line, twice, and never held whole:
//!
//! 1. the class tree and the countries: every `subclass of` edge (two `u32`
//!    per edge), the ISO code of every item that has one, the English label
//!    of every country and of every chosen post, and the items labelled
//!    `space agency`;
//! 2. the rows: each item that is an instance of a chosen class or one of its
//!    subclasses, and each holder of a chosen post.
//!
//! Memory is the class tree (a few tens of MB for the whole of Wikidata),
//! the countries, and one set of the names written so far (to keep the rows
//! free of shared aliases); never the dump.
//!
//! Wikidata ids used, each checked against wikidata.org:
//! - properties: `P31` instance of, `P279` subclass of, `P17` country,
//!   `P495` country of origin, `P27` country of citizenship, `P39` position
//!   held, with qualifiers `P580` start time and `P582` end time, `P297` ISO
//!   3166-1 alpha-2 code;
//! - classes: `Q40218` spacecraft, `Q26540` artificial satellite, `Q26529`
//!   space probe, `Q2133344` space mission (missions); `Q6256` country and
//!   `Q3624078` sovereign state (country names, when an item has no `P297`).
//! - The class "space agency" is found by its English label in the dump
//!   rather than by an id written here; other classes come from the caller
//!   (`--class`), posts always do (`--post`).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read};
use std::marker::PhantomData;
use std::path::Path;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};

use accord_core::error::{Error, Result};

/// Classes whose instances are missions: spacecraft (Q40218), artificial
/// satellite (Q26540), space probe (Q26529), space mission (Q2133344).
pub const MISSION_CLASSES: [u32; 4] = [40218, 26540, 26529, 2133344];

/// Classes whose instances are countries: country (Q6256), sovereign state (Q3624078).
const COUNTRY_CLASSES: [u32; 2] = [6256, 3624078];

/// English label of the class whose instances are space agencies.
pub const AGENCY_CLASS_LABEL: &str = "space agency";

/// What kind of row an item becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A space agency (`agencies.csv`).
    Agency,
    /// An office holder of a chosen post (`officials.csv`).
    Person,
    /// A spacecraft, satellite, probe or mission (`missions.csv`).
    Mission,
    /// An organisation of a class given by the caller (`organisations.csv`).
    Org,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 4] = [Kind::Agency, Kind::Person, Kind::Mission, Kind::Org];

    /// The id prefix (`agency`, `person`, ...).
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Agency => "agency",
            Kind::Person => "person",
            Kind::Mission => "mission",
            Kind::Org => "org",
        }
    }
}

/// A post whose holders become rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    /// The post's item (`Q...` as a number).
    pub item: u32,
    /// The gazetteer id of the body the post belongs to (may be empty).
    pub org: String,
}

/// What to import.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The kinds of rows to write.
    pub kinds: Vec<Kind>,
    /// More classes, for agencies (added to "space agency") or organisations.
    pub agency_classes: Vec<u32>,
    /// Classes whose instances are organisations.
    pub org_classes: Vec<u32>,
    /// More classes for missions (added to [`MISSION_CLASSES`]).
    pub mission_classes: Vec<u32>,
    /// Posts whose holders become persons.
    pub posts: Vec<Post>,
    /// Wikidata ids already in the gazetteers: skipped.
    pub known_items: HashSet<u32>,
    /// Lowercased aliases already in the gazetteers: an item named so is
    /// skipped, an alias so is dropped.
    pub known_names: HashSet<String>,
    /// Lowercased country names and aliases to ISO codes (the shipped
    /// `countries.csv`), for country items without an ISO code.
    pub country_names: HashMap<String, String>,
    /// Gazetteer ids already taken.
    pub known_ids: HashSet<String>,
}

/// One gazetteer row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Kind (and file).
    pub kind: Kind,
    /// Proposed gazetteer id (`agency:korea-aerospace-administration`).
    pub id: String,
    /// English label.
    pub canonical: String,
    /// English aliases (none on a person's second and later posts).
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 code, if the item's country has one.
    pub country: String,
    /// The item's id (`Q...`).
    pub wikidata: String,
    /// Persons: the post's English label.
    pub title: String,
    /// Persons: the body the post belongs to.
    pub org: String,
    /// Persons: first year in the post.
    pub from: Option<i32>,
    /// Persons: last year in the post.
    pub to: Option<i32>,
}

/// What an import read and wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Entities read (per pass).
    pub items: u64,
    /// Lines that are not an entity: `(line number, reason)`, the first 20.
    pub bad_lines: Vec<(u64, String)>,
    /// Number of such lines.
    pub bad_count: u64,
    /// Rows written per kind.
    pub rows: Vec<(Kind, u64)>,
    /// Items skipped because the gazetteers know them (id or name).
    pub known: u64,
    /// Items skipped for want of an English label.
    pub unlabelled: u64,
}

/// Progress: the pass (1 or 2), bytes of the file read, its size.
pub type ProgressFn<'a> = dyn FnMut(u32, u64, u64) + 'a;

/// Import `dump`, handing each row to `sink` in dump order.
pub fn import(
    dump: &Path,
    opts: &Options,
    progress: &mut ProgressFn<'_>,
    sink: &mut dyn FnMut(Row) -> Result<()>,
) -> Result<Summary> {
    let mut summary = Summary::default();
    // Pass 1: classes, countries, post labels.
    let mut tree = Tree::default();
    let post_items: HashSet<u32> = opts.posts.iter().map(|p| p.item).collect();
    each_item(dump, 1, progress, &mut summary, &mut |item| {
        let q = item.number();
        for s in &item.claims.p279 {
            if let Some(parent) = s.item() {
                tree.edges.push((parent, q));
            }
        }
        if let Some(code) = item.claims.p297.iter().find_map(|s| s.mainsnak.string()) {
            tree.codes.insert(q, code.to_ascii_uppercase());
        }
        let label = item.label();
        if label == Some(AGENCY_CLASS_LABEL) {
            tree.agency_roots.push(q);
        }
        if post_items.contains(&q)
            && let Some(l) = label
        {
            tree.post_labels.insert(q, l.to_string());
        }
        if item
            .claims
            .p31
            .iter()
            .any(|s| s.item().is_some_and(|c| COUNTRY_CLASSES.contains(&c)))
            && let Some(l) = label
            && let Some(code) = opts.country_names.get(&l.to_lowercase())
        {
            tree.codes.entry(q).or_insert_with(|| code.clone());
        }
    })?;
    let items_pass1 = summary.items;
    tree.edges.sort_unstable();
    let wants = |k: Kind| opts.kinds.contains(&k);
    let mut roots = tree.agency_roots.clone();
    roots.extend(&opts.agency_classes);
    let agency = tree.closure(&roots);
    let mut roots = MISSION_CLASSES.to_vec();
    roots.extend(&opts.mission_classes);
    let mission = tree.closure(&roots);
    let org = tree.closure(&opts.org_classes);
    // Pass 2: the rows.
    summary.items = 0;
    let mut names: HashSet<String> = HashSet::new();
    let mut ids = opts.known_ids.clone();
    let mut counts: HashMap<Kind, u64> = HashMap::new();
    let mut failed: Option<Error> = None;
    let (mut known, mut unlabelled) = (0u64, 0u64);
    each_item(dump, 2, progress, &mut summary, &mut |item| {
        if failed.is_some() {
            return;
        }
        let q = item.number();
        let is = |set: &HashSet<u32>| {
            item.claims
                .p31
                .iter()
                .any(|s| s.item().is_some_and(|c| set.contains(&c)))
        };
        let kind = if wants(Kind::Agency) && is(&agency) {
            Some(Kind::Agency)
        } else if wants(Kind::Mission) && is(&mission) {
            Some(Kind::Mission)
        } else if wants(Kind::Org) && is(&org) {
            Some(Kind::Org)
        } else {
            None
        };
        let held: Vec<(&Post, &Statement)> = if wants(Kind::Person) {
            item.claims
                .p39
                .iter()
                .filter_map(|s| {
                    let post = s.item()?;
                    opts.posts.iter().find(|p| p.item == post).map(|p| (p, s))
                })
                .collect()
        } else {
            Vec::new()
        };
        let kind = match (kind, held.is_empty()) {
            (Some(k), _) => k,
            (None, false) => Kind::Person,
            (None, true) => return,
        };
        if opts.known_items.contains(&q) {
            known += 1;
            return;
        }
        let Some(label) = item.label().filter(|l| usable(l)) else {
            unlabelled += 1;
            return;
        };
        if names.contains(&label.to_lowercase()) || opts.known_names.contains(&label.to_lowercase())
        {
            known += 1;
            return;
        }
        let mut aliases: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::from([label.to_lowercase()]);
        for a in item.aliases.en.iter().map(|t| t.value.trim()) {
            let key = a.to_lowercase();
            if usable(a)
                && !names.contains(&key)
                && !opts.known_names.contains(&key)
                && seen.insert(key)
            {
                aliases.push(a.to_string());
            }
        }
        names.extend(seen);
        let country_of = |claims: &[&[Statement]]| {
            claims
                .iter()
                .flat_map(|c| c.iter())
                .filter_map(|s| s.item())
                .find_map(|c| tree.codes.get(&c).cloned())
                .unwrap_or_default()
        };
        let country = match kind {
            Kind::Person => country_of(&[&item.claims.p27]),
            Kind::Mission => country_of(&[&item.claims.p17, &item.claims.p495]),
            _ => country_of(&[&item.claims.p17]),
        };
        let id = new_id(kind, label, q, &mut ids);
        let row = Row {
            kind,
            id,
            canonical: label.to_string(),
            aliases,
            country,
            wikidata: format!("Q{q}"),
            title: String::new(),
            org: String::new(),
            from: None,
            to: None,
        };
        let rows: Vec<Row> = if kind == Kind::Person {
            held.iter()
                .enumerate()
                .map(|(i, (post, s))| {
                    let from = s.qualifiers.p580.iter().find_map(Snak::year);
                    let mut to = s.qualifiers.p582.iter().find_map(Snak::year);
                    if let (Some(f), Some(t)) = (from, to)
                        && f > t
                    {
                        to = None;
                    }
                    Row {
                        aliases: if i == 0 {
                            row.aliases.clone()
                        } else {
                            Vec::new()
                        },
                        title: tree
                            .post_labels
                            .get(&post.item)
                            .cloned()
                            .unwrap_or_default(),
                        org: post.org.clone(),
                        from,
                        to,
                        ..row.clone()
                    }
                })
                .filter(|r| !r.title.is_empty())
                .collect()
        } else {
            vec![row]
        };
        for r in rows {
            *counts.entry(r.kind).or_default() += 1;
            if let Err(e) = sink(r) {
                failed = Some(e);
                return;
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    summary.known = known;
    summary.unlabelled = unlabelled;
    summary.items = summary.items.max(items_pass1);
    let mut rows: Vec<(Kind, u64)> = counts.into_iter().collect();
    rows.sort();
    summary.rows = rows;
    Ok(summary)
}

/// A name fit for a gazetteer cell: not empty, no list separator or line break.
fn usable(s: &str) -> bool {
    !s.trim().is_empty() && !s.contains(['|', '\n', '\r'])
}

/// `kind:slug-of-the-label`, made unique with the item's number.
fn new_id(kind: Kind, label: &str, q: u32, taken: &mut HashSet<String>) -> String {
    let slug = accord_core::gazetteer::slug(label);
    let base = if slug.is_empty() {
        format!("{}:q{q}", kind.prefix())
    } else {
        format!("{}:{slug}", kind.prefix())
    };
    let id = if taken.contains(&base) {
        format!("{base}-q{q}")
    } else {
        base
    };
    taken.insert(id.clone());
    id
}

/// The class tree and the countries, from pass 1.
#[derive(Default)]
struct Tree {
    /// (superclass, subclass), sorted after pass 1.
    edges: Vec<(u32, u32)>,
    /// Item number to ISO 3166-1 alpha-2 code.
    codes: HashMap<u32, String>,
    /// Items labelled "space agency".
    agency_roots: Vec<u32>,
    /// English labels of the chosen posts.
    post_labels: HashMap<u32, String>,
}

impl Tree {
    /// The roots and every class below them.
    fn closure(&self, roots: &[u32]) -> HashSet<u32> {
        let mut set: HashSet<u32> = roots.iter().copied().collect();
        let mut todo: Vec<u32> = roots.to_vec();
        while let Some(c) = todo.pop() {
            let from = self.edges.partition_point(|e| e.0 < c);
            for &(_, child) in self.edges[from..].iter().take_while(|e| e.0 == c) {
                if set.insert(child) {
                    todo.push(child);
                }
            }
        }
        set
    }
}

/// Read `dump` line by line, handing each entity to `f`.
fn each_item(
    dump: &Path,
    pass: u32,
    progress: &mut ProgressFn<'_>,
    summary: &mut Summary,
    f: &mut dyn FnMut(&Item),
) -> Result<()> {
    let file = std::fs::File::open(dump).map_err(|e| Error::io(dump, e))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let read = std::sync::atomic::AtomicU64::new(0);
    let counted = Counted {
        inner: file,
        read: &read,
    };
    let crate::input::detect::Decompressed { mut reader, damage } =
        crate::input::detect::decompress(counted, None)
            .map_err(|e| Error::msg(format!("{}: {e}", dump.display())))?;
    let mut line = Vec::with_capacity(1 << 16);
    let mut number = 0u64;
    let mut last = 0u64;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(dump, e))?;
        // A damaged gzip member ends the load, as a read error does: a
        // gazetteer silently missing the items it held would be wrong.
        if let Some(what) = crate::input::gzmembers::drain(&damage).into_iter().next() {
            return Err(Error::msg(format!("{}: {what}", dump.display())));
        }
        if n == 0 {
            break;
        }
        number += 1;
        let mut body = line.trim_ascii();
        if let Some(b) = body.strip_suffix(b",") {
            body = b.trim_ascii_end();
        }
        if body.is_empty() || body == b"[" || body == b"]" {
            continue;
        }
        match serde_json::from_slice::<Item>(body) {
            Ok(item) if item.id.starts_with('Q') && item.number() > 0 => {
                summary.items += 1;
                f(&item);
            }
            Ok(_) => {}
            Err(e) => {
                if pass == 1 {
                    summary.bad_count += 1;
                    if summary.bad_lines.len() < 20 {
                        summary
                            .bad_lines
                            .push((number, format!("not a Wikidata entity: {e}")));
                    }
                }
            }
        }
        let now = read.load(std::sync::atomic::Ordering::Relaxed);
        if now - last >= 1 << 20 {
            last = now;
            progress(pass, now, total);
        }
    }
    progress(pass, total, total);
    Ok(())
}

/// A reader that counts the bytes read from the file (before decompression).
struct Counted<'a, R> {
    inner: R,
    read: &'a std::sync::atomic::AtomicU64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

// The parts of an entity that an import reads; serde skips the rest
// (descriptions, sitelinks, other properties) without keeping it.

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    id: String,
    #[serde(default, deserialize_with = "map_or_empty")]
    labels: Labels,
    #[serde(default, deserialize_with = "map_or_empty")]
    aliases: Aliases,
    #[serde(default, deserialize_with = "map_or_empty")]
    claims: Claims,
}

impl Item {
    fn number(&self) -> u32 {
        self.id
            .strip_prefix('Q')
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    fn label(&self) -> Option<&str> {
        self.labels.en.as_ref().map(|t| t.value.trim())
    }
}

#[derive(Default, Deserialize)]
struct Labels {
    #[serde(default)]
    en: Option<Text>,
}

#[derive(Default, Deserialize)]
struct Aliases {
    #[serde(default)]
    en: Vec<Text>,
}

#[derive(Deserialize)]
struct Text {
    value: String,
}

#[derive(Default, Deserialize)]
struct Claims {
    #[serde(rename = "P31", default)]
    p31: Vec<Statement>,
    #[serde(rename = "P279", default)]
    p279: Vec<Statement>,
    #[serde(rename = "P17", default)]
    p17: Vec<Statement>,
    #[serde(rename = "P495", default)]
    p495: Vec<Statement>,
    #[serde(rename = "P27", default)]
    p27: Vec<Statement>,
    #[serde(rename = "P297", default)]
    p297: Vec<Statement>,
    #[serde(rename = "P39", default)]
    p39: Vec<Statement>,
}

#[derive(Deserialize)]
struct Statement {
    mainsnak: Snak,
    #[serde(default, deserialize_with = "map_or_empty")]
    qualifiers: Qualifiers,
    #[serde(default)]
    rank: String,
}

impl Statement {
    /// The item value, unless the statement is deprecated.
    fn item(&self) -> Option<u32> {
        if self.rank == "deprecated" {
            return None;
        }
        self.mainsnak.item()
    }
}

#[derive(Default, Deserialize)]
struct Qualifiers {
    #[serde(rename = "P580", default)]
    p580: Vec<Snak>,
    #[serde(rename = "P582", default)]
    p582: Vec<Snak>,
}

#[derive(Deserialize)]
struct Snak {
    #[serde(default)]
    datavalue: Option<DataValue>,
}

#[derive(Deserialize)]
struct DataValue {
    value: serde_json::Value,
}

impl Snak {
    /// An item value's number (`{"id": "Q5", "numeric-id": 5}`).
    fn item(&self) -> Option<u32> {
        let v = &self.datavalue.as_ref()?.value;
        if let Some(n) = v.get("numeric-id").and_then(|n| n.as_u64()) {
            return u32::try_from(n).ok();
        }
        v.get("id")?.as_str()?.strip_prefix('Q')?.parse().ok()
    }

    /// A string value.
    fn string(&self) -> Option<&str> {
        self.datavalue.as_ref()?.value.as_str()
    }

    /// A time value's year (`+2021-05-03T00:00:00Z`), if in 1900..=2100.
    fn year(&self) -> Option<i32> {
        let t = self.datavalue.as_ref()?.value.get("time")?.as_str()?;
        let t = t.strip_prefix('+')?;
        let y: i32 = t.split('-').next()?.parse().ok()?;
        (1900..=2100).contains(&y).then_some(y)
    }
}

/// Wikidata writes an empty map as `[]`: accept either.
fn map_or_empty<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map or an empty array")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<T, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(T::default())
        }
    }
    d.deserialize_any(V(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_made_unique() {
        let mut taken = HashSet::from(["agency:x".to_string()]);
        assert_eq!(
            new_id(Kind::Agency, "Agência Espacial Brasileira", 7, &mut taken),
            "agency:agencia-espacial-brasileira"
        );
        assert_eq!(new_id(Kind::Agency, "X", 9, &mut taken), "agency:x-q9");
        assert_eq!(new_id(Kind::Person, "李", 3, &mut taken), "person:q3");
    }

    #[test]
    fn empty_maps_written_as_arrays_and_time_values() {
        let item: Item = serde_json::from_str(
            r#"{"type":"item","id":"Q1","labels":[],"aliases":[],"claims":{"P39":[{"mainsnak":{"snaktype":"value","property":"P39","datavalue":{"value":{"entity-type":"item","numeric-id":77,"id":"Q77"},"type":"wikibase-entityid"}},"type":"statement","rank":"normal","qualifiers":{"P580":[{"snaktype":"value","property":"P580","datavalue":{"value":{"time":"+2021-05-03T00:00:00Z","timezone":0,"before":0,"after":0,"precision":11,"calendarmodel":"http://www.wikidata.org/entity/Q1985727"},"type":"time"}}]}}]},"sitelinks":[]}"#,
        )
        .unwrap();
        assert_eq!(item.label(), None);
        let s = &item.claims.p39[0];
        assert_eq!(s.item(), Some(77));
        assert_eq!(s.qualifiers.p580[0].year(), Some(2021));
        assert_eq!(s.rank, "normal");
    }
}
