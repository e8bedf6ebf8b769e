//! Gazetteer lint: every problem of a set of gazetteer files, each with the
//! file and line of its row and what to do about it.
//!
//! The lint reads the rows as [`super::Gazetteer::load`] does (the embedded
//! set, then the rows of a directory replacing those with the same id), but
//! keeps each row of a person with several posts apart, so that every post
//! has its own line. Load errors (bad CSV, bad id, bad year) are reported as
//! errors; on top of them it checks:
//!
//! | check | severity | what |
//! | --- | --- | --- |
//! | `shared-alias` | warning | one alias on two entities; says whether their types differ (ambiguous) and which one the matcher picks |
//! | `never-matches` | error | an alias a blocking phrase always swallows, or an entity all of whose aliases another entity takes |
//! | `common-word` | warning | an alias that is a frequent English word, without `case=exact` |
//! | `short-alias` | warning | an alias of three characters or fewer (four with `case=fold`) that is not all capitals, without `case=exact` |
//! | `post-overlap` | warning (error for one person) | two holders of one post (title and org) whose years overlap |
//! | `unknown-reference` | error | an `org` that is no row's id; a `partners`/`parties` code with no country row |
//! | `country-code` | error (warning) | a code that is not ISO 3166-1 alpha-2 (an ISO code with no country row) |
//! | `wikidata` | error (warning) | a malformed Wikidata id (one id on two entities) |
//!
//! Errors are rows that cannot work as written; warnings are rows to review.
//! The alias checks model the matcher and resolution: aliases are compared
//! ASCII-case-insensitively, each accepts the surfaces its case policy
//! allows, a blocking phrase beats an alias on the same span, and between two
//! entities on the same span the one loaded first wins.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::load::{self, Loaded};
use super::{CasePolicy, EntityType, Entry, Files};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The row cannot work as written: the lint fails.
    Error,
    /// A row to review.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem, at one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// `file:line` of the row (or the file, for a file-wide problem).
    pub location: String,
    /// The check that found it (`shared-alias`, `load`, ...).
    pub check: &'static str,
    /// What is wrong, naming the values.
    pub message: String,
    /// What to do about it (may be empty).
    pub help: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            self.location,
            self.severity.as_str(),
            self.check,
            self.message
        )?;
        if !self.help.is_empty() {
            write!(f, "\n    help: {}", self.help)?;
        }
        Ok(())
    }
}

/// What the lint found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every problem, by file and line.
    pub problems: Vec<Problem>,
    /// Number of rows checked.
    pub rows: usize,
}

impl Report {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.problems.iter().filter(|p| p.severity == s).count()
    }
}

/// The frequent English words of the `common-word` check.
const COMMON_WORDS: &str = include_str!("common_words.txt");

/// ISO 3166-1 alpha-2: the 249 officially assigned codes.
const ISO_3166_ALPHA2: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// True for an officially assigned ISO 3166-1 alpha-2 code (any case).
pub fn is_iso_country(code: &str) -> bool {
    code.len() == 2
        && ISO_3166_ALPHA2
            .split_ascii_whitespace()
            .any(|c| c.eq_ignore_ascii_case(code))
}

/// True for a code a row may use: an ISO 3166-1 alpha-2 code, or `XK`, the
/// user-assigned code for Kosovo that the EU, the IMF and Wikidata use.
pub fn is_country_code(code: &str) -> bool {
    is_iso_country(code) || code.eq_ignore_ascii_case("XK")
}

/// True for a well-formed Wikidata item id: `Q` and a number without
/// leading zeros.
pub fn is_wikidata_item(id: &str) -> bool {
    id.strip_prefix('Q').is_some_and(|n| {
        !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Lint the gazetteers of `files` (the embedded set and a directory, or a
/// directory alone).
pub fn lint(files: Files) -> Report {
    let (embedded, user, errors) = load::read_sets(files, true);
    let mut problems: Vec<Problem> = errors
        .iter()
        .flat_map(|e| e.items())
        .map(|e| {
            let (location, message) = e.location_and_message();
            Problem {
                severity: Severity::Error,
                location: location.unwrap_or_default(),
                check: "load",
                message,
                help:
                    "fix the row as the message says; `accord gazetteer` reads no file with errors"
                        .into(),
            }
        })
        .collect();
    let entries = effective(embedded, user);
    let mut lint = Lint {
        entries: &entries,
        problems: &mut problems,
    };
    lint.references();
    lint.wikidata();
    lint.aliases();
    lint.words();
    lint.posts();
    sort(&mut problems);
    Report {
        problems,
        rows: entries.len(),
    }
}

/// The rows the matcher would see, in its order: the directory's rows, then
/// the embedded rows whose id the directory does not replace.
fn effective(embedded: Loaded, user: Loaded) -> Vec<Entry> {
    super::load::merge_entries(embedded.entries, user.entries)
}

/// Problems in file order, then line, errors first on a line.
fn sort(problems: &mut [Problem]) {
    fn key(p: &Problem) -> (&str, u64) {
        match p.location.rsplit_once(':') {
            Some((file, line)) if line.bytes().all(|b| b.is_ascii_digit()) => {
                (file, line.parse().unwrap_or(0))
            }
            _ => (p.location.as_str(), 0),
        }
    }
    problems.sort_by(|a, b| {
        key(a)
            .cmp(&key(b))
            .then(a.severity.cmp(&b.severity))
            .then(a.message.cmp(&b.message))
    });
}

struct Lint<'a> {
    entries: &'a [Entry],
    problems: &'a mut Vec<Problem>,
}

/// The surfaces an alias accepts, given that the matcher has already
/// compared it ASCII-case-insensitively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Accept<'a> {
    /// Byte for byte.
    Exact(&'a str),
    /// Its first letter in this case, the rest any case.
    First(char),
    /// Any case.
    Fold,
}

impl<'a> Accept<'a> {
    /// As the matcher decides it (`matcher::rule_for`).
    fn of(policy: CasePolicy, alias: &'a str) -> Accept<'a> {
        match policy {
            CasePolicy::Exact => Accept::Exact(alias),
            CasePolicy::Fold => Accept::Fold,
            CasePolicy::Auto => {
                let letters = alias.chars().filter(|c| c.is_alphabetic()).count();
                let all_caps = !alias.chars().any(|c| c.is_lowercase());
                if all_caps && letters <= 3 {
                    Accept::Exact(alias)
                } else {
                    match alias.chars().find(|c| c.is_alphabetic()) {
                        Some(c) => Accept::First(c),
                        None => Accept::Fold,
                    }
                }
            }
        }
    }

    fn first_letter(s: &str) -> Option<char> {
        s.chars().find(|c| c.is_alphabetic())
    }

    /// Every surface `other` accepts, `self` accepts too.
    fn covers(self, other: Accept<'_>) -> bool {
        match (self, other) {
            (Accept::Fold, _) => true,
            (Accept::Exact(a), Accept::Exact(b)) => a == b,
            (Accept::Exact(_), _) => false,
            (Accept::First(c), Accept::Exact(b)) => Accept::first_letter(b) == Some(c),
            (Accept::First(c), Accept::First(d)) => c == d,
            (Accept::First(_), Accept::Fold) => false,
        }
    }

    /// Some surface is accepted by both.
    fn overlaps(self, other: Accept<'_>) -> bool {
        match (self, other) {
            (Accept::Fold, _) | (_, Accept::Fold) => true,
            (Accept::Exact(a), Accept::Exact(b)) => a == b,
            (Accept::Exact(a), Accept::First(c)) | (Accept::First(c), Accept::Exact(a)) => {
                Accept::first_letter(a) == Some(c)
            }
            (Accept::First(c), Accept::First(d)) => c == d,
        }
    }
}

/// One alias or blocking phrase of one row.
struct Form<'a> {
    row: usize,
    text: &'a str,
    blocker: bool,
    accept: Accept<'a>,
}

impl Lint<'_> {
    fn push(
        &mut self,
        severity: Severity,
        row: usize,
        check: &'static str,
        message: String,
        help: &str,
    ) {
        self.problems.push(Problem {
            severity,
            location: self.entries[row].source.to_string(),
            check,
            message,
            help: help.to_string(),
        });
    }

    /// `org` ids, `partners`/`parties` codes and `country` codes.
    fn references(&mut self) {
        let ids: HashSet<&str> = self.entries.iter().map(|e| e.id.as_str()).collect();
        let countries: HashSet<&str> = self
            .entries
            .iter()
            .filter(|e| e.etype == EntityType::Country && !e.country.is_empty())
            .map(|e| e.country.as_str())
            .collect();
        for (row, e) in self.entries.iter().enumerate() {
            for post in &e.posts {
                if !post.org.is_empty() && !ids.contains(post.org.as_str()) {
                    self.push(
                        Severity::Error,
                        row,
                        "unknown-reference",
                        format!("org '{}' is not the id of any row", post.org),
                        "use the id of an existing row (agency:nasa, country:in), add the row for it, or leave org empty",
                    );
                }
            }
            for code in &e.parties {
                if !is_country_code(code) {
                    self.push(
                        Severity::Error,
                        row,
                        "country-code",
                        format!("party '{code}' is not an ISO 3166-1 alpha-2 code"),
                        "write the country's two-letter ISO code (GB, not UK)",
                    );
                } else if !countries.contains(code.as_str()) {
                    self.push(
                        Severity::Error,
                        row,
                        "unknown-reference",
                        format!("party '{code}' has no row in countries.csv"),
                        "add the country's row to countries.csv, or correct the code",
                    );
                }
            }
            let code = e.country.as_str();
            if code.is_empty() {
                continue;
            }
            if !is_country_code(code) {
                self.push(
                    Severity::Error,
                    row,
                    "country-code",
                    format!("country '{code}' is not an ISO 3166-1 alpha-2 code"),
                    "write the two-letter ISO code (GB, not UK); leave it empty for an international body",
                );
            } else if !countries.contains(code) && e.etype != EntityType::Country {
                self.push(
                    Severity::Warning,
                    row,
                    "country-code",
                    format!("country '{code}' has no row in countries.csv"),
                    "add the country's row to countries.csv if texts name it",
                );
            }
        }
    }

    /// Malformed Wikidata ids, and one id on two entities.
    fn wikidata(&mut self) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (row, e) in self.entries.iter().enumerate() {
            let q = e.wikidata.as_str();
            if q.is_empty() {
                continue;
            }
            if !is_wikidata_item(q) {
                self.push(
                    Severity::Error,
                    row,
                    "wikidata",
                    format!(
                        "wikidata '{q}' is not a Wikidata item id (Q and a number, no leading zero)"
                    ),
                    "copy the id from the item's page (Q42), or leave it empty when not certain",
                );
                continue;
            }
            match first.get(q) {
                Some(&r) if self.entries[r].id != e.id => {
                    let other = &self.entries[r];
                    self.push(
                        Severity::Warning,
                        row,
                        "wikidata",
                        format!(
                            "wikidata '{q}' is also the id of {} ({})",
                            other.id, other.source
                        ),
                        "two rows for one item: merge them, or correct the id of the wrong one",
                    );
                }
                Some(_) => {}
                None => {
                    first.insert(q, row);
                }
            }
        }
    }

    /// Shared aliases and aliases that can never match.
    fn aliases(&mut self) {
        let entries = self.entries;
        let mut forms: Vec<(String, Form<'_>)> = Vec::new();
        for (row, e) in entries.iter().enumerate() {
            for (list, blocker) in [(&e.aliases, false), (&e.blockers, true)] {
                for a in list {
                    forms.push((
                        a.to_ascii_lowercase(),
                        Form {
                            row,
                            text: a,
                            blocker,
                            accept: Accept::of(e.case, a),
                        },
                    ));
                }
            }
        }
        // Stable: within a key, rows stay in load order.
        forms.sort_by(|a, b| a.0.cmp(&b.0));
        // Aliases (by id, lowercased text) that never reach their entity.
        let mut lost: HashSet<(&str, String)> = HashSet::new();
        let mut reported: HashSet<(usize, String)> = HashSet::new();
        let mut start = 0;
        while start < forms.len() {
            let key = &forms[start].0;
            let end = start + forms[start..].iter().take_while(|f| &f.0 == key).count();
            let group = &forms[start..end];
            start = end;
            if group.len() < 2 {
                continue;
            }
            for (i, loser) in group.iter().enumerate() {
                let loser = &loser.1;
                if loser.blocker || reported.contains(&(loser.row, key.clone())) {
                    continue;
                }
                let le = &entries[loser.row];
                // A blocking phrase on the same span always wins.
                if let Some(b) = group
                    .iter()
                    .map(|f| &f.1)
                    .find(|b| b.blocker && b.accept.covers(loser.accept))
                {
                    let be = &entries[b.row];
                    let whose = if be.id == le.id {
                        "this row's own".to_string()
                    } else {
                        format!("a blocking phrase of {} ({})", be.id, be.source)
                    };
                    reported.insert((loser.row, key.clone()));
                    lost.insert((le.id.as_str(), key.clone()));
                    self.push(
                        Severity::Error,
                        loser.row,
                        "never-matches",
                        format!(
                            "alias '{}' is also {whose} 'not' phrase '{}': the blocking phrase wins every match, so the alias never matches",
                            loser.text, b.text
                        ),
                        "drop the alias or the blocking phrase",
                    );
                    continue;
                }
                // An alias of an entity loaded earlier, on the same span.
                let winner = group[..i].iter().map(|f| &f.1).find(|w| {
                    !w.blocker && entries[w.row].id != le.id && w.accept.overlaps(loser.accept)
                });
                let Some(w) = winner else { continue };
                let we = &entries[w.row];
                reported.insert((loser.row, key.clone()));
                let always = w.accept.covers(loser.accept);
                if always {
                    lost.insert((le.id.as_str(), key.clone()));
                }
                let an = |t: EntityType| {
                    let a = if t.as_str().starts_with(['A', 'E', 'I', 'O', 'U']) {
                        "an"
                    } else {
                        "a"
                    };
                    format!("{a} {t}")
                };
                let types = if we.etype == le.etype {
                    format!("both are {}", le.etype)
                } else {
                    format!("ambiguous: it names {} and {}", an(we.etype), an(le.etype))
                };
                let outcome = if always {
                    format!(
                        "{} is loaded first and takes every match, so {} never matches it",
                        we.id, le.id
                    )
                } else {
                    format!("where both match, {} is loaded first and wins", we.id)
                };
                let help = if we.etype == le.etype {
                    "if the rows are one entity, merge them; else keep the alias on the entity texts mean by it"
                } else {
                    "keep the alias on the entity texts usually mean; give the other a longer alias, case=exact or a 'not' phrase"
                };
                // Report at the row the user is editing: the directory's
                // row rather than an embedded one.
                let (here, other) = if le.source.file.starts_with("embedded:")
                    && !we.source.file.starts_with("embedded:")
                {
                    ((w.row, w.text), le)
                } else {
                    ((loser.row, loser.text), we)
                };
                self.push(
                    Severity::Warning,
                    here.0,
                    "shared-alias",
                    format!(
                        "alias '{}' also names {} ({}, {}); {types}; {outcome}",
                        here.1, other.id, other.canonical, other.source
                    ),
                    help,
                );
            }
        }
        // An entity every alias of which is lost can never be found.
        let mut by_id: HashMap<&str, (usize, Vec<String>)> = HashMap::new();
        for (row, e) in entries.iter().enumerate() {
            let slot = by_id.entry(e.id.as_str()).or_insert((row, Vec::new()));
            slot.1
                .extend(e.aliases.iter().map(|a| a.to_ascii_lowercase()));
        }
        let mut dead: Vec<(usize, &str)> = by_id
            .into_iter()
            .filter(|(id, (_, keys))| keys.iter().all(|k| lost.contains(&(*id, k.clone()))))
            .map(|(id, (row, _))| (row, id))
            .collect();
        dead.sort();
        for (row, id) in dead {
            self.push(
                Severity::Error,
                row,
                "never-matches",
                format!("{id} can never be found: every one of its aliases is taken by another row or a 'not' phrase"),
                "give it an alias of its own, or drop the row if another row is the same entity",
            );
        }
    }

    /// Common English words and short aliases without a case policy.
    fn words(&mut self) {
        let common: HashSet<&str> = COMMON_WORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let entries = self.entries;
        for (row, e) in entries.iter().enumerate() {
            if e.case == CasePolicy::Exact {
                continue;
            }
            let policy = if e.case == CasePolicy::Fold {
                "case=fold matches it in any case"
            } else {
                "case=auto (empty) matches it in capitals too and at any sentence start"
            };
            for a in &e.aliases {
                let accept = Accept::of(e.case, a);
                if matches!(accept, Accept::Exact(_)) {
                    continue;
                }
                let lower = a.to_lowercase();
                if common.contains(lower.as_str()) {
                    self.push(
                        Severity::Warning,
                        row,
                        "common-word",
                        format!("alias '{a}' is the common English word '{lower}'; {policy}"),
                        "set case=exact in this row, or replace the alias with a longer form (Hope Probe)",
                    );
                    continue;
                }
                // Characters, not letters: `Ax-1` or `A/RES/77/41` are safe.
                let chars = a.chars().filter(|c| !c.is_whitespace()).count();
                let limit = if e.case == CasePolicy::Fold { 4 } else { 3 };
                if chars <= limit {
                    self.push(
                        Severity::Warning,
                        row,
                        "short-alias",
                        format!("alias '{a}' has {chars} characters; {policy}"),
                        "set case=exact in this row, or write the alias in capitals if it is an acronym",
                    );
                }
            }
        }
    }

    /// Two holders of one post whose years overlap.
    fn posts(&mut self) {
        let entries = self.entries;
        let mut by_post: HashMap<(String, &str), Vec<usize>> = HashMap::new();
        for (row, e) in entries.iter().enumerate() {
            for p in &e.posts {
                if p.org.is_empty() || p.title.is_empty() || (p.from.is_none() && p.to.is_none()) {
                    continue;
                }
                by_post
                    .entry((p.title.to_lowercase(), p.org.as_str()))
                    .or_default()
                    .push(row);
            }
        }
        // Years as a closed range; an unknown start is the end year alone,
        // an unknown end is "still in office".
        let span = |row: usize| {
            let p = &entries[row].posts[0];
            let to = p.to.unwrap_or(i32::MAX);
            (p.from.unwrap_or(to), to)
        };
        let show = |(from, to): (i32, i32)| {
            if to == i32::MAX {
                format!("{from}-")
            } else {
                format!("{from}-{to}")
            }
        };
        let mut posts: Vec<_> = by_post.into_iter().collect();
        posts.sort();
        for ((_, org), rows) in posts {
            for (j, &b) in rows.iter().enumerate() {
                for &a in &rows[..j] {
                    let (fa, ta) = span(a);
                    let (fb, tb) = span(b);
                    let (lo, hi) = (fa.max(fb), ta.min(tb));
                    let (ea, eb) = (&entries[a], &entries[b]);
                    let title = &eb.posts[0].title;
                    if ea.id == eb.id {
                        if lo <= hi {
                            self.push(
                                Severity::Error,
                                b,
                                "post-overlap",
                                format!(
                                    "{} holds '{title}' of {org} twice: {} here and {} at {}",
                                    eb.id,
                                    show((fb, tb)),
                                    show((fa, ta)),
                                    ea.source
                                ),
                                "merge the two rows into one, or correct the years",
                            );
                        }
                        continue;
                    }
                    // A handover year shared by the two holders is normal.
                    if lo < hi {
                        // Report at the directory's row rather than an embedded one.
                        let embedded = |r: usize| entries[r].source.file.starts_with("embedded:");
                        let (here, other) = if embedded(b) && !embedded(a) {
                            (a, b)
                        } else {
                            (b, a)
                        };
                        let (eh, eo) = (&entries[here], &entries[other]);
                        self.push(
                            Severity::Warning,
                            here,
                            "post-overlap",
                            format!(
                                "'{title}' of {org}: {} ({}) and {} ({}, {}) overlap in {}",
                                eh.canonical,
                                show(span(here)),
                                eo.canonical,
                                show(span(other)),
                                eo.source,
                                show((lo, hi)),
                            ),
                            "set 'to' on the earlier holder's row; a post with several holders at once (ambassadors to different countries) can stay",
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint_dir(files: &[(&str, &str)]) -> Report {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        lint(Files::read_alone(dir.path()).unwrap())
    }

    fn has(report: &Report, sev: Severity, check: &str, loc: &str, needle: &str) -> bool {
        report.problems.iter().any(|p| {
            p.severity == sev
                && p.check == check
                && p.location.ends_with(loc)
                && p.message.contains(needle)
        })
    }

    const COUNTRIES: &str = "id,canonical,aliases,country\n\
        country:in,India,Indian,IN\n\
        country:fr,France,French,FR\n\
        country:ge,Georgia,,GE\n";

    #[test]
    fn each_check_finds_its_problem() {
        let r = lint_dir(&[
            ("countries.csv", COUNTRIES),
            (
                "agencies.csv",
                "id,canonical,aliases,country,wikidata,case,not\n\
                 agency:a,Alpha Agency,AA|Hope|Ra,IN,Q42,,\n\
                 agency:b,Beta Agency,Alpha Agency,FR,Q042,,\n\
                 agency:c,Gamma Agency,GA,UK,,,\n\
                 agency:d,Delta Agency,Delta Probe,XK,Q42,exact,Delta Probe\n\
                 agency:e,Epsilon,,IN,,,\n",
            ),
            (
                "locations.csv",
                "id,canonical,aliases,country\nlocation:ge,Georgia,,US\nlocation:eps,Epsilon,,\n",
            ),
            (
                "missions.csv",
                "id,canonical,aliases,partners\nmission:m,Emm Mission,,IN|DE\n",
            ),
            (
                "officials.csv",
                "id,canonical,aliases,title,org,from,to\n\
                 person:p,Pia Pee,,Administrator,agency:a,2018,2023\n\
                 person:q,Quin Queue,,Administrator,agency:a,2021,\n\
                 person:r,Rae Arr,,Administrator,agency:a,2023,\n\
                 person:p,Pia Pee,,Administrator,agency:a,2020,2022\n\
                 person:s,Sam Ess,,Chair,agency:zz,,\n",
            ),
        ]);
        let e = Severity::Error;
        let w = Severity::Warning;
        assert!(
            has(
                &r,
                w,
                "shared-alias",
                "agencies.csv:3",
                "also names agency:a"
            ),
            "{:#?}",
            r.problems
        );
        assert!(has(
            &r,
            w,
            "shared-alias",
            "locations.csv:2",
            "ambiguous: it names a COUNTRY and a LOCATION"
        ));
        assert!(has(
            &r,
            w,
            "shared-alias",
            "locations.csv:2",
            "never matches"
        ));
        assert!(has(
            &r,
            e,
            "never-matches",
            "locations.csv:2",
            "location:ge can never be found"
        ));
        assert!(has(
            &r,
            e,
            "never-matches",
            "agencies.csv:5",
            "the blocking phrase wins"
        ));
        assert!(has(&r, w, "common-word", "agencies.csv:2", "'Hope'"));
        assert!(has(
            &r,
            w,
            "short-alias",
            "agencies.csv:2",
            "'Ra' has 2 characters"
        ));
        assert!(!has(&r, w, "short-alias", "agencies.csv:2", "'AA'"));
        assert!(has(
            &r,
            e,
            "country-code",
            "agencies.csv:4",
            "'UK' is not an ISO"
        ));
        assert!(has(
            &r,
            w,
            "country-code",
            "agencies.csv:5",
            "'XK' has no row"
        ));
        assert!(has(&r, e, "wikidata", "agencies.csv:3", "'Q042'"));
        assert!(has(
            &r,
            w,
            "wikidata",
            "agencies.csv:5",
            "also the id of agency:a"
        ));
        assert!(has(
            &r,
            e,
            "unknown-reference",
            "missions.csv:2",
            "party 'DE' has no row"
        ));
        assert!(has(
            &r,
            e,
            "unknown-reference",
            "officials.csv:6",
            "org 'agency:zz'"
        ));
        assert!(has(
            &r,
            w,
            "post-overlap",
            "officials.csv:3",
            "overlap in 2021-2023"
        ));
        assert!(
            !has(&r, w, "post-overlap", "officials.csv:4", "Pia Pee"),
            "{:#?}",
            r.problems
        );
        assert!(has(&r, w, "post-overlap", "officials.csv:4", "Quin Queue"));
        assert!(has(
            &r,
            e,
            "post-overlap",
            "officials.csv:5",
            "holds 'Administrator' of agency:a twice"
        ));
        // Epsilon: shared by an agency and a location, same policy: the
        // location loses it, and has no other alias.
        assert!(has(
            &r,
            e,
            "never-matches",
            "locations.csv:3",
            "location:eps can never be found"
        ));
    }

    #[test]
    fn load_errors_are_errors_with_their_line() {
        let r = lint_dir(&[("agencies.csv", "id,canonical,case\nagency:a,A,loud\n")]);
        assert_eq!(r.errors(), 1);
        assert_eq!(r.problems[0].check, "load");
        assert!(r.problems[0].location.ends_with("agencies.csv:2"));
    }

    #[test]
    fn case_policies_decide_sharing() {
        let a = Accept::of(CasePolicy::Exact, "Hope");
        let b = Accept::of(CasePolicy::Exact, "HOPE");
        assert!(!a.overlaps(b));
        let c = Accept::of(CasePolicy::Auto, "Hope");
        assert!(c.covers(a) && !a.covers(c) && c.overlaps(b));
        assert!(Accept::of(CasePolicy::Fold, "x").covers(c));
    }

    #[test]
    fn codes_and_ids() {
        assert!(is_iso_country("in") && is_iso_country("GB") && !is_iso_country("UK"));
        assert_eq!(ISO_3166_ALPHA2.split_ascii_whitespace().count(), 249);
        assert!(is_wikidata_item("Q42") && !is_wikidata_item("Q042") && !is_wikidata_item("P31"));
    }

    #[test]
    fn shipped_gazetteers_have_no_errors() {
        let r = lint(Files::default());
        let errors: Vec<String> = r
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.to_string())
            .collect();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}
