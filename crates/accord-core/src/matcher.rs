//! The gazetteer matcher: every alias in one Aho-Corasick automaton.
//!
//! The automaton is built once over the ASCII-lowercased aliases and searched
//! over the ASCII-lowercased view of a normalized document. ASCII folding keeps
//! byte offsets unchanged, so a hit in the folded view is a hit at the same
//! offsets in the normalized text, where the alias's case policy is checked.
//! One case-insensitive automaton plus a cheap check beats one automaton per
//! policy, and keeps a single pass over the text.
//!
//! The search reports *overlapping* hits and keeps every one that passes the
//! word-boundary and case checks: a leftmost-longest search would let a long
//! hit that fails its boundary check ("Gaganyaan missions" against an alias
//! "Gaganyaan mission") hide a shorter valid one. Choosing among overlapping
//! candidates is the resolve stage's job.
//!
//! The matcher is `Send + Sync`; share one behind an `Arc` or a reference.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::error::{Error, Result};
use crate::gazetteer::{CasePolicy, Gazetteer};
use crate::text::is_word_bounded;

/// A gazetteer hit that passed its boundary and case checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Byte offset in the normalized text.
    pub start: usize,
    /// End byte offset (exclusive) in the normalized text.
    pub end: usize,
    /// Index of the entry in the gazetteer.
    pub entry: u32,
    /// What kind of form matched.
    pub form: Form,
}

/// The kind of a gazetteer form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// An alias: names the entity.
    Alias,
    /// A combining form (`Indo`): names the entity only before `-` and another country.
    Combining,
    /// A blocking phrase (`SWOT analysis`): holds an alias but names nothing.
    Blocker,
}

/// How a hit's letter case is checked against its alias.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CaseRule {
    Exact,
    FirstLetter,
    Fold,
}

/// One alias behind a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AliasInfo {
    pub(crate) entry: u32,
    pub(crate) text: Box<str>,
    pub(crate) rule: CaseRule,
    pub(crate) form: Form,
}

/// What [`Matcher::new`] computes from a gazetteer before it builds the
/// automaton: every alias, grouped by its ASCII-lowercased form, the groups
/// in byte order. Group `p` is pattern `p` of the automaton, and its form is
/// the lowercased text of any of its aliases. The gazetteer cache stores
/// these, since the automaton itself cannot be saved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tables {
    /// For pattern `p`, its aliases are `infos[starts[p]..starts[p + 1]]`.
    pub(crate) starts: Vec<u32>,
    pub(crate) infos: Vec<AliasInfo>,
    /// The lowercased form of each group when already at hand (from
    /// [`Tables::new`]); empty when read back from a file.
    pub(crate) patterns: Vec<String>,
}

impl Tables {
    /// The tables for all aliases, combining forms and blocking phrases of `gaz`.
    pub fn new(gaz: &Gazetteer) -> Tables {
        let mut keyed: Vec<(String, AliasInfo)> = Vec::with_capacity(gaz.alias_count());
        for (i, e) in gaz.entries().iter().enumerate() {
            let forms = e
                .aliases
                .iter()
                .map(|a| (a, Form::Alias))
                .chain(e.combining.iter().map(|a| (a, Form::Combining)))
                .chain(e.blockers.iter().map(|a| (a, Form::Blocker)));
            for (form, kind) in forms {
                keyed.push((
                    form.to_ascii_lowercase(),
                    AliasInfo {
                        entry: i as u32,
                        text: form.as_str().into(),
                        rule: rule_for(e.case, form),
                        form: kind,
                    },
                ));
            }
        }
        // Group equal keys; the stable sort keeps load order (user rows first)
        // among the aliases that share a key.
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let mut patterns: Vec<String> = Vec::new();
        let mut starts: Vec<u32> = Vec::new();
        let mut infos: Vec<AliasInfo> = Vec::with_capacity(keyed.len());
        for (key, info) in keyed {
            if patterns.last() != Some(&key) {
                starts.push(infos.len() as u32);
                patterns.push(key);
            }
            infos.push(info);
        }
        starts.push(infos.len() as u32);
        Tables {
            starts,
            infos,
            patterns,
        }
    }

    /// The automaton's pattern for group `g`, as [`Matcher::from_tables`]
    /// builds it: the lowercased form at hand, or the group's first alias
    /// lowercased.
    pub(crate) fn group_pattern(&self, g: usize) -> std::borrow::Cow<'_, str> {
        match self.patterns.get(g) {
            Some(p) if self.patterns.len() + 1 == self.starts.len() => p.as_str().into(),
            _ => self.infos[self.starts[g] as usize]
                .text
                .to_ascii_lowercase()
                .into(),
        }
    }

    /// Check what [`Matcher::find`] relies on, for tables that were not
    /// made by [`Tables::new`] (read back from a file): starts rising from 0
    /// to the number of aliases, entries below `entries`.
    pub(crate) fn check(&self, entries: usize) -> std::result::Result<(), String> {
        if self.starts.first() != Some(&0)
            || self.starts.last().map(|&s| s as usize) != Some(self.infos.len())
            || self.starts.windows(2).any(|w| w[0] >= w[1])
        {
            return Err("pattern starts out of order".into());
        }
        if self.infos.iter().any(|i| i.entry as usize >= entries) {
            return Err("alias of an entry out of range".into());
        }
        Ok(())
    }
}

/// The compiled matcher for one gazetteer.
#[derive(Clone, Debug)]
pub struct Matcher {
    ac: AhoCorasick,
    /// For pattern `p`, its aliases are `infos[starts[p]..starts[p + 1]]`.
    starts: Vec<u32>,
    infos: Vec<AliasInfo>,
}

pub(crate) fn automaton<P: AsRef<[u8]>>(
    patterns: impl IntoIterator<Item = P>,
) -> Result<AhoCorasick> {
    // A contiguous NFA: measured with `accord bench`, searching it is
    // faster than a full DFA here (the DFA of the shipped gazetteers is
    // about 38 MB and misses the cache), and it is far smaller.
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(patterns)
        .map_err(|e| Error::msg(format!("cannot build the gazetteer automaton: {e}")))
}

fn rule_for(policy: CasePolicy, alias: &str) -> CaseRule {
    match policy {
        CasePolicy::Exact => CaseRule::Exact,
        CasePolicy::Fold => CaseRule::Fold,
        CasePolicy::Auto => {
            let letters = alias.chars().filter(|c| c.is_alphabetic()).count();
            let all_caps = !alias.chars().any(|c| c.is_lowercase());
            if all_caps && letters <= 3 {
                CaseRule::Exact
            } else {
                CaseRule::FirstLetter
            }
        }
    }
}

impl Matcher {
    /// Build the automaton for all aliases and combining forms of `gaz`.
    pub fn new(gaz: &Gazetteer) -> Result<Matcher> {
        Matcher::from_tables(Tables::new(gaz))
    }

    /// Build the automaton from tables made by [`Tables::new`].
    pub fn from_tables(tables: Tables) -> Result<Matcher> {
        let Tables {
            starts,
            infos,
            patterns,
        } = tables;
        let groups = starts.len().saturating_sub(1);
        // Each group's pattern: the lowercased form Tables::new kept, or,
        // for tables read back from a file, made from the group's first
        // alias as the builder asks for it. Measured on 1M aliases, each
        // gives the lower peak RSS in its case (the other way round costs
        // 40-70 MB: small strings freed between the builder's allocations
        // fragment the heap).
        let ac = if patterns.len() == groups {
            automaton(&patterns)?
        } else {
            automaton(
                starts[..groups]
                    .iter()
                    .map(|&s| infos[s as usize].text.to_ascii_lowercase()),
            )?
        };
        drop(patterns);
        Ok(Matcher { ac, starts, infos })
    }

    /// The matcher of `tables` around an automaton already built from
    /// their group patterns, in group order ([`Tables::group_pattern`]).
    pub(crate) fn from_automaton(ac: AhoCorasick, tables: Tables) -> Result<Matcher> {
        let Tables { starts, infos, .. } = tables;
        if ac.patterns_len() != starts.len().saturating_sub(1) {
            return Err(Error::msg(format!(
                "an automaton of {} patterns for {} alias groups",
                ac.patterns_len(),
                starts.len().saturating_sub(1)
            )));
        }
        Ok(Matcher { ac, starts, infos })
    }

    /// Number of distinct patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.ac.patterns_len()
    }

    /// Heap memory used by the automaton, in bytes.
    pub fn memory_usage(&self) -> usize {
        self.ac.memory_usage()
    }

    /// Append to `out` every valid candidate in `text`.
    ///
    /// `lower` must be `text.to_ascii_lowercase()` (the same length).
    /// Candidates come out ordered by end offset, then by pattern.
    pub fn find(&self, text: &str, lower: &str, out: &mut Vec<Candidate>) {
        debug_assert_eq!(text.len(), lower.len());
        for m in self.ac.find_overlapping_iter(lower) {
            let (start, end) = (m.start(), m.end());
            if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            if !is_word_bounded(text, start, end) {
                continue;
            }
            let surface = &text[start..end];
            let p = m.pattern().as_usize();
            let range = self.starts[p] as usize..self.starts[p + 1] as usize;
            for info in &self.infos[range] {
                if case_ok(info.rule, &info.text, surface) {
                    out.push(Candidate {
                        start,
                        end,
                        entry: info.entry,
                        form: info.form,
                    });
                }
            }
        }
    }
}

/// The automaton already matched ASCII-case-insensitively; check the policy.
fn case_ok(rule: CaseRule, form: &str, surface: &str) -> bool {
    match rule {
        CaseRule::Fold => true,
        CaseRule::Exact => form == surface,
        CaseRule::FirstLetter => {
            // The first letter (not a leading quote or digit) must agree in case.
            let f = form.chars().find(|c| c.is_alphabetic());
            let s = surface.chars().find(|c| c.is_alphabetic());
            match (f, s) {
                (Some(f), Some(s)) => f == s,
                _ => true,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{EntityType, Entry, Source};

    fn entry(id: &str, aliases: &[&str], case: CasePolicy) -> Entry {
        Entry {
            id: id.into(),
            etype: EntityType::Agency,
            canonical: aliases[0].into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            combining: vec![],
            blockers: vec![],
            country: String::new(),
            wikidata: String::new(),
            case,
            posts: vec![],
            parties: vec![],
            source: Source {
                file: "test".into(),
                line: 1,
            },
        }
    }

    fn hits(entries: Vec<Entry>, text: &str) -> Vec<(String, String)> {
        let gaz = Gazetteer::from_parts(entries, vec![]);
        let m = Matcher::new(&gaz).unwrap();
        let mut out = vec![];
        m.find(text, &text.to_ascii_lowercase(), &mut out);
        out.iter()
            .map(|c| {
                (
                    text[c.start..c.end].to_string(),
                    gaz.entry(c.entry as usize).id.clone(),
                )
            })
            .collect()
    }

    /// (name, aliases, policy, text, expected surfaces)
    type Case<'a> = (&'a str, &'a [&'a str], CasePolicy, &'a str, &'a [&'a str]);

    #[test]
    fn table() {
        use CasePolicy::*;
        let cases: &[Case] = &[
            (
                "acronym",
                &["NASA"],
                Auto,
                "NASA and Nasa, not nasa",
                &["NASA", "Nasa"],
            ),
            (
                "not inside words",
                &["NASA"],
                Auto,
                "NASAL NASA-led",
                &["NASA"],
            ),
            ("short acronym exact", &["US"], Auto, "US, Us, us", &["US"]),
            (
                "dotted",
                &["U.S."],
                Auto,
                "U.S.-French and U.S.",
                &["U.S.", "U.S."],
            ),
            (
                "name",
                &["India"],
                Auto,
                "India INDIA india Indiana",
                &["India", "INDIA"],
            ),
            ("exact", &["Hope"], Exact, "Hope and HOPE", &["Hope"]),
            ("fold", &["gaganyaan"], Fold, "GAGANYAAN", &["GAGANYAAN"]),
            (
                "non-ascii",
                &["Descôtes"],
                Auto,
                "Mme Descôtes, DESCôTES",
                &["Descôtes", "DESCôTES"],
            ),
            (
                "shorter valid hit behind a failed longer one",
                &["Gaganyaan", "Gaganyaan mission"],
                Auto,
                "Gaganyaan missions",
                &["Gaganyaan"],
            ),
            (
                "overlapping both reported",
                &["Indian", "Indian Space Research Organisation"],
                Auto,
                "the Indian Space Research Organisation",
                &["Indian", "Indian Space Research Organisation"],
            ),
        ];
        for (name, aliases, policy, text, want) in cases {
            let got: Vec<String> = hits(vec![entry("agency:x", aliases, *policy)], text)
                .into_iter()
                .map(|h| h.0)
                .collect();
            assert_eq!(&got, want, "case '{name}'");
        }
    }

    #[test]
    fn shared_alias_keeps_both_entries() {
        let got = hits(
            vec![
                entry("agency:a", &["Alpha"], CasePolicy::Auto),
                entry("agency:b", &["ALPHA"], CasePolicy::Exact),
            ],
            "Alpha ALPHA",
        );
        assert_eq!(
            got,
            [
                ("Alpha".to_string(), "agency:a".to_string()),
                ("ALPHA".to_string(), "agency:a".to_string()),
                ("ALPHA".to_string(), "agency:b".to_string()),
            ]
        );
    }
}
