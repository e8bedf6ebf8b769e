//! The entity rules: every value of the `rule` column of `entities.csv`,
//! with what it reads and a fixture.
//!
//! The recognizers (one file per family in this folder) propose names no
//! gazetteer lists, and the resolve stage adds document-local ones; each
//! mention they keep carries one of these names. [`ENTITY_RULES`] is the one
//! list: the README's entity rule table is generated from it and a test
//! fails when they differ, and another fails when an extraction writes a
//! rule name that is not listed. Entity rules carry no confidence column in
//! the CSV; where two rules propose one span, resolve's precedence decides
//! (gazetteer first, then the longer span).

use crate::gazetteer::EntityType;

/// What the registry knows of one entity rule.
#[derive(Clone, Copy, Debug)]
pub struct EntityRule {
    /// The name written in the `rule` column.
    pub name: &'static str,
    /// The stage that finds it: `match`, `recognize` or `resolve`.
    pub stage: &'static str,
    /// What it reads, with an example.
    pub reads: &'static str,
    /// A text, and the type and canonical name of an entity this rule finds in it.
    pub fixture: (&'static str, EntityType, &'static str),
}

/// Every entity rule, in the order the README lists them.
pub const ENTITY_RULES: &[EntityRule] = &[
    EntityRule {
        name: "gazetteer",
        stage: "match",
        reads: "an alias of a gazetteer row, with its case policy and word boundaries",
        fixture: (
            "ISRO launched a satellite.",
            EntityType::Agency,
            "Indian Space Research Organisation",
        ),
    },
    EntityRule {
        name: "date",
        stage: "recognize",
        reads: "a calendar date, as ISO 8601 (`June 21, 2023`, `21 June 2023`, `2023-06-21`)",
        fixture: (
            "The pact was signed on 21 June 2023 in Washington.",
            EntityType::Date,
            "2023-06-21",
        ),
    },
    EntityRule {
        name: "acronym-definition",
        stage: "resolve",
        reads: "a long name whose acronym follows in brackets: `Mauritius Research and Innovation Council (MRIC)`",
        fixture: (
            "The Mauritius Research and Innovation Council (MRIC) signed an agreement.",
            EntityType::Org,
            "Mauritius Research and Innovation Council",
        ),
    },
    EntityRule {
        name: "acronym",
        stage: "resolve",
        reads: "a later mention of an acronym the document defined",
        fixture: (
            "The Mauritius Research and Innovation Council (MRIC) met. Later MRIC signed.",
            EntityType::Org,
            "Mauritius Research and Innovation Council",
        ),
    },
    EntityRule {
        name: "title-name",
        stage: "recognize",
        reads: "a title then a name: `Administrator Yoon Youngbin`, `Prime Minister Shri Narendra Modi`",
        fixture: (
            "Administrator Jane Q. Example spoke.",
            EntityType::Person,
            "Jane Q. Example",
        ),
    },
    EntityRule {
        name: "lower-title-name",
        stage: "recognize",
        reads: "a body, a title in lower case, a name: `NASA administrator Charles Bolden`",
        fixture: (
            "NASA administrator Jane Example spoke.",
            EntityType::Person,
            "Jane Example",
        ),
    },
    EntityRule {
        name: "title-to-name",
        stage: "recognize",
        reads: "`Ambassador to South Korea Gourangalal Das`",
        fixture: (
            "Ambassador to Japan Jane Example spoke.",
            EntityType::Person,
            "Jane Example",
        ),
    },
    EntityRule {
        name: "title-of-name",
        stage: "recognize",
        reads: "a title with an `of` complement, then a name after a comma, the body's bracketed short form or an honorific: `Secretary General of the Ministry ..., Anne-Marie Descôtes`, `President of the Japan Aerospace Exploration Agency (JAXA) Dr Hiroshi Yamakawa`; a title coordinated with an earlier one (`Chair of ISRO and Secretary of ...,`) takes no name after its complement",
        fixture: (
            "The Director General of the Space Department, Jane Example, spoke.",
            EntityType::Person,
            "Jane Example",
        ),
    },
    EntityRule {
        name: "name-comma-title",
        stage: "recognize",
        reads: "a name, a comma, a title: `Vipin Narang, Acting Assistant Secretary ...`, `Dr. K. Sivan, Chairman of ISRO`",
        fixture: (
            "Jane Example, Administrator of NASA, spoke.",
            EntityType::Person,
            "Jane Example",
        ),
    },
    EntityRule {
        name: "name-comma-lower-title",
        stage: "recognize",
        reads: "a name, a comma, a title in lower case: `Zhang Kejian, director of the CNSA`, `X, acting assistant secretary, ...`; honorifics before the name and letters after it (`AO`, `MP`) are left out",
        fixture: (
            "Jane Example AO, director of the Example Space Agency, spoke.",
            EntityType::Person,
            "Jane Example",
        ),
    },
    EntityRule {
        name: "role-noun-name",
        stage: "recognize",
        reads: "a role noun then a name: `NASA astronaut Frank Rubio`",
        fixture: (
            "Saudi astronauts Jane Example and John Sample flew.",
            EntityType::Person,
            "John Sample",
        ),
    },
    EntityRule {
        name: "honorific-name",
        stage: "recognize",
        reads: "an honorific then a name of two words or more: `Dr. Carle Pieters`, `H.E. Mr. Emmanuel Macron`",
        fixture: (
            "The study was led by Dr. Jane Example of a university.",
            EntityType::Person,
            "Jane Example",
        ),
    },
    EntityRule {
        name: "title-holder",
        stage: "resolve",
        reads: "a body's title with no name (`the NASA Administrator`) whose one holder that year the officials gazetteer knows",
        fixture: (
            " date 2022-05-01 Space news\n\nThe NASA Administrator spoke.",
            EntityType::Person,
            "Bill Nelson",
        ),
    },
    EntityRule {
        name: "surname",
        stage: "resolve",
        reads: "a later mention of a person by surname alone",
        fixture: (
            "Administrator Jane Example spoke. Example said the mission was ready.",
            EntityType::Person,
            "Jane Example",
        ),
    },
    EntityRule {
        name: "instrument-phrase",
        stage: "recognize",
        reads: "a capitalized phrase around an instrument head: `Letter of Intent on Defence Space Cooperation`",
        fixture: (
            "They signed the Framework Agreement on Lunar Data Exchange today.",
            EntityType::Agreement,
            "Framework Agreement on Lunar Data Exchange",
        ),
    },
    EntityRule {
        name: "dialogue-phrase",
        stage: "recognize",
        reads: "a capitalized phrase around a dialogue head: `Comprehensive Dialogue on Space`, `G20 Summit`",
        fixture: (
            "Officials met at the Lunar Cooperation Forum in Tokyo.",
            EntityType::Dialogue,
            "Lunar Cooperation Forum",
        ),
    },
    EntityRule {
        name: "org-phrase",
        stage: "recognize",
        reads: "a capitalized phrase ending in an organisation head (lexicon/en/org_heads.txt): `Planetary Science Division`",
        fixture: (
            "Scientists of the Lunar Geology Division reviewed the data.",
            EntityType::Org,
            "Lunar Geology Division",
        ),
    },
    EntityRule {
        name: "company-noun",
        stage: "recognize",
        reads: "a company named after a common noun: `Israeli company StemRad`",
        fixture: (
            "The Israeli company Examplix built it.",
            EntityType::Org,
            "Examplix",
        ),
    },
];

/// The rule of a name, if it is listed.
pub fn entity_rule(name: &str) -> Option<&'static EntityRule> {
    ENTITY_RULES.iter().find(|r| r.name == name)
}

/// The Markdown table of the entity rules (`| rule | stage | reads |`).
pub fn entity_rule_table() -> String {
    let mut out = String::from("| rule | stage | reads |\n| --- | --- | --- |\n");
    for r in ENTITY_RULES {
        out.push_str(&format!("| `{}` | {} | {} |\n", r.name, r.stage, r.reads));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entities(text: &str) -> Vec<(EntityType, String, &'static str)> {
        let doc = crate::testing::doc(text);
        let a = crate::testing::engine().analyze(&doc);
        a.entities
            .iter()
            .map(|e| (e.etype, e.canonical.clone(), e.rule))
            .collect()
    }

    #[test]
    fn each_entity_rule_finds_its_fixture_and_every_rule_written_is_listed() {
        let mut failures = Vec::new();
        for r in ENTITY_RULES {
            let (text, etype, name) = r.fixture;
            let got = entities(text);
            if !got
                .iter()
                .any(|(t, c, rule)| *t == etype && c == name && *rule == r.name)
            {
                failures.push(format!("{}: want ({etype:?}, {name}) in {got:?}", r.name));
            }
            for (_, _, rule) in &got {
                if entity_rule(rule).is_none() {
                    failures.push(format!("{rule}: written but not in ENTITY_RULES"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn every_rule_the_dev_set_gets_is_listed() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/gold/dev/articles");
        let mut seen = std::collections::BTreeSet::new();
        for f in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            for (_, _, rule) in entities(&text) {
                seen.insert(rule);
            }
        }
        let unlisted: Vec<_> = seen.iter().filter(|r| entity_rule(r).is_none()).collect();
        assert!(unlisted.is_empty(), "not in ENTITY_RULES: {unlisted:?}");
        assert!(seen.len() >= 10, "{seen:?}");
    }

    #[test]
    fn readme_entity_rule_table_matches_the_registry() {
        let readme = include_str!("../../../../README.md");
        let open = "<!-- rules:entity -->\n";
        let start = readme
            .find(open)
            .expect("no <!-- rules:entity --> in README.md")
            + open.len();
        let end = start
            + readme[start..]
                .find("<!-- /rules -->")
                .expect("no <!-- /rules -->");
        let want = entity_rule_table();
        assert_eq!(
            &readme[start..end],
            want,
            "README.md's entity rule table differs; paste:\n{want}"
        );
    }
}
