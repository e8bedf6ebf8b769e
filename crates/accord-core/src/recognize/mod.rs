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

mod acronym;
mod date;
mod org;
mod phrase;
pub mod rules;
mod titled;

pub use acronym::acronym_defs;
pub use date::{date_passes, dates, metadata_date};
pub use org::{Conjunct, companies, conjuncts};
use phrase::*;
pub use phrase::{phrases, type_from_head};
pub use rules::{ENTITY_RULES, EntityRule, entity_rule, entity_rule_table};

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
    /// The titles written in lower case (`administrator`), for `NASA administrator Name`.
    lower_titles: AhoCorasick,
    /// Canonical title for each lower-case pattern.
    lower_title_of: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::titled::{complement_then_name, honorific_persons};
    use super::*;
    use crate::text::date::Date;

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
            ("Minister", vec![]),
            ("High Commissioner", vec![]),
            ("Director", vec![]),
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
            .filter_map(|p| Some((p.canonical, p.title?.canonical)))
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
            (
                "Professor Ada Example, Minister of Communication, spoke",
                "Ada Example",
                "Minister",
            ),
            (
                "Barry Example AO, High Commissioner of Australia to India",
                "Barry Example",
                "High Commissioner",
            ),
            (
                "Zhang Example, director of the China National Space Administration",
                "Zhang Example",
                "Director",
            ),
            (
                "Jane Example PhD, the agency's director",
                "Jane Example",
                "Director",
            ),
            (
                "President of the Example Space Agency (ESA) Dr Jane Example took part",
                "Jane Example",
                "President",
            ),
            (
                "Director of the Example Centre [EC] Mr. John Example signed",
                "John Example",
                "Director",
            ),
            (
                "Minister of Education, Culture, Sports, Science and Technology (MEXT) Masa Example signed",
                "Masa Example",
                "Minister",
            ),
            (
                "At the invitation of H.E. Mr. Jean Example, President of the Republic,",
                "Jean Example",
                "President",
            ),
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
            "In Paris, the director said",
        ] {
            assert!(persons(text).is_empty(), "{text}: {:?}", persons(text));
        }
    }

    #[test]
    fn a_complement_is_not_read_as_a_name_and_a_coordinated_title_has_no_holder_after_it() {
        // The board's name goes on after the bracket.
        let p = persons("Director of the Example Centre (EC) Executive Board Jane Example signed");
        assert!(p.iter().all(|(n, _)| !n.contains("Board")), "{p:?}");
        // "Director of X and Minister of Y, Name": Name is the next item of
        // a list, not the holder of the second title.
        let p = persons(
            "Jane Example, Director of ISRO and Minister of the Department of Space, The Hon John Example AO, High Commissioner of Australia",
        );
        assert!(
            p.contains(&("Jane Example".into(), "Director".into())),
            "{p:?}"
        );
        assert!(
            p.contains(&("John Example".into(), "High Commissioner".into())),
            "{p:?}"
        );
        assert!(
            !p.contains(&("John Example".into(), "Minister".into())),
            "{p:?}"
        );
        // A comma list in the complement goes on with capitalized words
        // only: ", and the Honorable X" is the next item.
        let p = persons(
            "signed by Mr. Masa Example, Minister of Education, Culture and Science, and the Honorable Bill Example, NASA Administrator.",
        );
        assert!(
            !p.contains(&("Bill Example".into(), "Minister".into())),
            "{p:?}"
        );
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
            Date::new(2025, 12, 6),
            &mut out,
        );
        assert_eq!(out[0].canonical, "2025-11-22");
        let mut out = vec![];
        dates("on December 30", Date::new(2025, 1, 6), &mut out);
        assert_eq!(out[0].canonical, "2024-12-30");
    }

    #[test]
    fn honorifics_introduce_persons() {
        let names = |text: &str| {
            let mut out = Vec::new();
            honorific_persons(text, &mut out);
            out.into_iter().map(|p| p.canonical).collect::<Vec<_>>()
        };
        assert_eq!(
            names("explained Dr. Carle Pieters of Brown University"),
            ["Carle Pieters"]
        );
        assert_eq!(
            names("Lyonchhen Dr. Lotay Tshering thanked India."),
            ["Lotay Tshering"]
        );
        assert_eq!(
            names("H.E. Mr. Emmanuel Macron arrived."),
            ["Emmanuel Macron"]
        );
        assert!(names("Mr. Smith said so.").is_empty());
        assert!(names("Drive Safely Campaign").is_empty());
    }
}
