//! The words of a language that the rules read, as data.
//!
//! Each concept is one file under `lexicon/<language>/`, embedded in the
//! binary like the gazetteers and parsed once: a `.txt` file holds one word
//! or phrase per line, a `.csv` file one row per form with its value. Lines
//! starting with `#` and blank lines are comments. Where order matters (a
//! regex alternation tries its forms left to right), the file's order is
//! kept.
//!
//! Rules never spell English words in code: they ask the [`Lexicon`] for a
//! list, or for a regex alternation built from one with [`alternation`].
//! Adding a language is a new folder with the same files plus the few rules
//! whose word order differs (see the README).

use std::sync::LazyLock;

/// A month form (`September`, `Sept`, `Sep`) and its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    /// The form as written, without a full stop.
    pub form: &'static str,
    /// 1 for January.
    pub number: u32,
}

/// The word lists of one language.
#[derive(Debug)]
pub struct Lexicon {
    /// Month names, then abbreviations, each with its number.
    pub months: Vec<Month>,
    /// Lower-case particles inside personal names (`da`, `bin`, `von`).
    pub name_particles: Vec<&'static str>,
    /// Small words allowed inside a multi-word name (`of`, `and`, `de`).
    pub name_connectors: Vec<&'static str>,
    /// Capitalized words that never start a name (`The`, `Monday`, `Dr`).
    pub stop_words: Vec<&'static str>,
    /// Words after which a full stop does not end a sentence (`Dr`, `Jan`).
    pub abbreviations: Vec<&'static str>,
    /// Words and phrases that negate a statement (`not`, `yet to`).
    pub negation: Vec<&'static str>,
    /// Words that say an instrument was signed (`signed`, `inked`).
    pub status_signed: Vec<&'static str>,
    /// Words that say a cooperation is under way (`launched`, `operational`).
    pub status_implemented: Vec<&'static str>,
    /// Words that say a cooperation is planned (`will`, `plans`).
    pub status_planned: Vec<&'static str>,
    /// Phrases that say two parties act together (`both sides`, `jointly`).
    pub bilateral_cues: Vec<&'static str>,
    /// Lower-case instrument nouns that anchor an unnamed agreement (`pact`, `MoU`).
    pub instrument_nouns: Vec<(&'static str, &'static str)>,
    /// Verbs between `A and B` and an anchor (`signed`, `launched`).
    pub joint_verbs: Vec<&'static str>,
    /// Adverbs and auxiliaries allowed before those verbs (`have`, `formally`).
    pub joint_verb_modifiers: Vec<&'static str>,
    /// Past participles before `by A and B` (`developed`, `led`).
    pub agent_verbs: Vec<&'static str>,
    /// Verbs of `A signed ... with B` (`signed`, `concluded`).
    pub with_verbs: Vec<&'static str>,
    /// Verbs of `... led by X` (`led`, `headed`).
    pub lead_verbs: Vec<&'static str>,
    /// Nouns of `the X team was led by` (`team`, `delegation`).
    pub delegation_nouns: Vec<&'static str>,
    /// Words before a country naming its government (`Government of the`).
    pub party_heads: Vec<&'static str>,
    /// Descriptions between a country and a body (`space agency` in `US space agency NASA`).
    pub body_descriptors: Vec<&'static str>,
    /// Head words of instrument names, each with its generic name (empty: needs a name).
    pub instrument_heads: Vec<(&'static str, &'static str)>,
    /// Head words of dialogue and meeting names (`Dialogue`, `Summit`).
    pub dialogue_heads: Vec<&'static str>,
    /// Head words of organisation names (`University`, `Secretariat`).
    pub org_heads: Vec<&'static str>,
    /// Words that continue a name right of its head (`on`, `of`).
    pub phrase_complements: Vec<&'static str>,
    /// Honorifics before a person's name (`Dr.`, `Shri`, `H.E.`).
    pub honorifics: Vec<&'static str>,
    /// Letters after a person's name that are not part of it (`AO`, `MP`, `PhD`).
    pub postnominals: Vec<&'static str>,
}

/// The English lexicon.
pub fn en() -> &'static Lexicon {
    static EN: LazyLock<Lexicon> = LazyLock::new(|| Lexicon {
        months: months(include_str!("en/months.csv")),
        name_particles: words(include_str!("en/name_particles.txt")),
        name_connectors: words(include_str!("en/name_connectors.txt")),
        stop_words: words(include_str!("en/stop_words.txt")),
        abbreviations: words(include_str!("en/abbreviations.txt")),
        negation: words(include_str!("en/negation.txt")),
        status_signed: words(include_str!("en/status_signed.txt")),
        status_implemented: words(include_str!("en/status_implemented.txt")),
        status_planned: words(include_str!("en/status_planned.txt")),
        bilateral_cues: words(include_str!("en/bilateral_cues.txt")),
        instrument_nouns: pairs(include_str!("en/instrument_nouns.csv")),
        joint_verbs: words(include_str!("en/joint_verbs.txt")),
        joint_verb_modifiers: words(include_str!("en/joint_verb_modifiers.txt")),
        agent_verbs: words(include_str!("en/agent_verbs.txt")),
        with_verbs: words(include_str!("en/with_verbs.txt")),
        lead_verbs: words(include_str!("en/lead_verbs.txt")),
        delegation_nouns: words(include_str!("en/delegation_nouns.txt")),
        party_heads: words(include_str!("en/party_heads.txt")),
        body_descriptors: words(include_str!("en/body_descriptors.txt")),
        instrument_heads: pairs(include_str!("en/instrument_heads.csv")),
        dialogue_heads: words(include_str!("en/dialogue_heads.txt")),
        org_heads: words(include_str!("en/org_heads.txt")),
        phrase_complements: words(include_str!("en/phrase_complements.txt")),
        honorifics: words(include_str!("en/honorifics.txt")),
        postnominals: words(include_str!("en/postnominals.txt")),
    });
    &EN
}

impl Lexicon {
    /// The number of a month form (`Sept` → 9), ignoring a final full stop.
    pub fn month_number(&self, form: &str) -> Option<u32> {
        let form = form.trim_end_matches('.');
        self.months
            .iter()
            .find(|m| m.form == form)
            .map(|m| m.number)
    }

    /// The full month names, January first.
    pub fn month_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.months.iter().take(12).map(|m| m.form)
    }
}

/// A regex alternation of `forms` in their order, each escaped, without
/// parentheses: `signed|inked|entered into`. A space in a form matches one
/// space, as written.
pub fn alternation<S: AsRef<str>>(forms: &[S]) -> String {
    let mut out = String::new();
    for (i, f) in forms.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        out.push_str(&regex::escape(f.as_ref()));
    }
    out
}

/// The entries of a one-per-line list.
fn words(src: &'static str) -> Vec<&'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// The rows of a two-column CSV list (`form,value`, after a header); the
/// value may be empty. Lines are split at their first comma.
fn pairs(src: &'static str) -> Vec<(&'static str, &'static str)> {
    words(src)
        .into_iter()
        .skip(1)
        .map(|row| row.split_once(',').unwrap_or((row, "")))
        .collect()
}

/// The rows of `months.csv` (`form,month`, after a header).
fn months(src: &'static str) -> Vec<Month> {
    words(src)
        .into_iter()
        .skip(1)
        .map(|row| {
            let (form, n) = row.split_once(',').expect("months.csv: form,month");
            Month {
                form,
                number: n.parse().expect("months.csv: a month number"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_english_list_loads_and_is_not_empty() {
        let l = en();
        assert_eq!(l.months.len(), 24);
        assert_eq!(l.month_number("Sept."), Some(9));
        assert_eq!(l.month_number("May"), Some(5));
        assert_eq!(l.month_names().last(), Some("December"));
        assert_eq!(
            l.instrument_heads[0],
            ("Memorandum of Understanding", "Memorandum of Understanding")
        );
        assert!(l.instrument_heads.contains(&("Treaty", "")));
        for list in [
            &l.name_particles,
            &l.name_connectors,
            &l.stop_words,
            &l.abbreviations,
            &l.negation,
            &l.status_signed,
            &l.status_implemented,
            &l.status_planned,
            &l.bilateral_cues,
            &l.joint_verbs,
            &l.joint_verb_modifiers,
            &l.agent_verbs,
            &l.with_verbs,
            &l.lead_verbs,
            &l.delegation_nouns,
            &l.party_heads,
            &l.body_descriptors,
            &l.dialogue_heads,
            &l.org_heads,
            &l.phrase_complements,
            &l.honorifics,
            &l.postnominals,
        ] {
            assert!(!list.is_empty());
            assert!(list.iter().all(|w| w.trim() == *w && !w.is_empty()));
        }
    }

    #[test]
    fn alternation_escapes_and_keeps_order() {
        assert_eq!(alternation(&["e.g", "no longer"]), r"e\.g|no longer");
    }
}
