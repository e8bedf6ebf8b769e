//! The relation rules: one registry, one file per rule or small family.
//!
//! [`Rule::ALL`] lists every rule in precedence order within its family:
//! for each anchor the first cooperation rule that gives a pair wins; for
//! each titled person the first role rule that finds a body wins. Each rule
//! has its name (the `rule` column of `triples.csv`), its confidence (a
//! fixed prior: the share of its triples expected to be right, set from the
//! gold sets), what it reads, and a fixture that runs it alone
//! ([`Rule::fixture`]). The README's rule table and the tables in
//! [`crate::relate`]'s doc are generated from here ([`table`]), and a test
//! fails when they differ.

mod between;
mod compound;
mod document_pair;
mod gazetteer_parties;
pub(super) mod role;
mod signatories;
mod verbs;

use super::{Anchor, Context, Party, Triple};

/// Which triples a rule gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Two parties to an instrument, mission or dialogue (the anchor).
    Cooperation,
    /// A person, the body or country they serve, their title.
    Role,
}

/// A named relation rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// Two parties inside the anchor's name.
    CompoundInName,
    /// A hyphenated pair just before the anchor.
    CompoundBefore,
    /// `between A and B` next to the anchor.
    Between,
    /// `developed by A and B` next to the anchor.
    ByAAndB,
    /// `A and B signed ... anchor`.
    AAndBVerb,
    /// `A signed ... anchor ... with B`.
    AVerbWithB,
    /// `A ... anchor with B`.
    AAnchorWithB,
    /// The bodies of the officials who signed.
    Signatories,
    /// The two parties of the anchor's gazetteer row.
    GazetteerParties,
    /// The pair the document is about, with a cue.
    DocumentPair,
    /// `Title of Body, Name`.
    TitleOfBody,
    /// `Body Title Name`.
    BodyTitle,
    /// `Name, Title, Body`.
    TitleCommaBody,
    /// `Title Name of Body`.
    NameOfBody,
    /// `Title Name from Country`.
    NameFromCountry,
    /// `the Body delegation was led by Title Name`.
    DelegationLedBy,
    /// The officials gazetteer's post with that title.
    GazetteerPost,
}

/// What the registry knows of one rule.
struct Spec {
    name: &'static str,
    family: Family,
    confidence: f32,
    /// Fires for every anchor, even a multilateral instrument, a lower-case
    /// instrument word or "this agreement": it names both parties itself.
    explicit: bool,
    reads: &'static str,
    /// A sentence and the triple (subject, object, relation) the rule alone reads from it.
    fixture: (&'static str, (&'static str, &'static str, &'static str)),
}

impl Rule {
    /// Every rule, cooperation rules first, each family in precedence order.
    pub const ALL: [Rule; 17] = [
        Rule::CompoundInName,
        Rule::CompoundBefore,
        Rule::Between,
        Rule::ByAAndB,
        Rule::AAndBVerb,
        Rule::AVerbWithB,
        Rule::AAnchorWithB,
        Rule::Signatories,
        Rule::GazetteerParties,
        Rule::DocumentPair,
        Rule::TitleOfBody,
        Rule::BodyTitle,
        Rule::TitleCommaBody,
        Rule::NameOfBody,
        Rule::NameFromCountry,
        Rule::DelegationLedBy,
        Rule::GazetteerPost,
    ];

    const fn spec(self) -> Spec {
        use Family::*;
        match self {
            Rule::CompoundInName => Spec {
                name: "compound-in-name",
                family: Cooperation,
                confidence: 0.95,
                explicit: false,
                reads: "two parties inside the anchor's name: `India-France Strategic Space Dialogue`",
                fixture: (
                    "Officials met for the Japan-Brazil Space Dialogue in Tokyo.",
                    ("Japan", "Brazil", "Japan-Brazil Space Dialogue"),
                ),
            },
            Rule::CompoundBefore => Spec {
                name: "compound-before",
                family: Cooperation,
                confidence: 0.90,
                explicit: false,
                reads: "a hyphenated pair just before the anchor: `joint U.S.-French SWOT mission`",
                fixture: (
                    "The joint U.S.-French SWOT mission maps the height of water.",
                    (
                        "United States",
                        "France",
                        "Surface Water and Ocean Topography",
                    ),
                ),
            },
            Rule::Between => Spec {
                name: "between",
                family: Cooperation,
                confidence: 0.90,
                explicit: true,
                reads: "`between A and B` next to the anchor: `MoU between KASA and ISRO`",
                fixture: (
                    "A Memorandum of Understanding between KASA and ISRO was signed.",
                    (
                        "Korea Aerospace Administration",
                        "Indian Space Research Organisation",
                        "Memorandum of Understanding",
                    ),
                ),
            },
            Rule::ByAAndB => Spec {
                name: "by-a-and-b",
                family: Cooperation,
                confidence: 0.85,
                explicit: true,
                reads: "`developed/led/signed by A and B` next to the anchor: `SVOM, developed by China and France`",
                fixture: (
                    "The SVOM satellite, developed by China and France, studies gamma-ray bursts.",
                    ("China", "France", "Space Variable Objects Monitor"),
                ),
            },
            Rule::AAndBVerb => Spec {
                name: "a-and-b-verb",
                family: Cooperation,
                confidence: 0.85,
                explicit: true,
                reads: "`A and B signed/agreed/launched ... anchor`",
                fixture: (
                    "India and Japan signed an agreement on lunar exploration.",
                    ("India", "Japan", "Agreement"),
                ),
            },
            Rule::AVerbWithB => Spec {
                name: "a-verb-with-b",
                family: Cooperation,
                confidence: 0.80,
                explicit: true,
                reads: "`A signed ... anchor ... with B`",
                fixture: (
                    "Brazil signed a Technology Safeguards Agreement with the United States.",
                    ("Brazil", "United States", "Technology Safeguards Agreement"),
                ),
            },
            Rule::AAnchorWithB => Spec {
                name: "a-anchor-with-b",
                family: Cooperation,
                confidence: 0.70,
                explicit: true,
                reads: "the sentence's first party, then the anchor directly followed by `with B`: `ISRO secured the seat through an agreement with Axiom Space`",
                fixture: (
                    "ISRO secured the seat through an agreement with NASA.",
                    (
                        "Indian Space Research Organisation",
                        "National Aeronautics and Space Administration",
                        "Agreement",
                    ),
                ),
            },
            Rule::Signatories => Spec {
                name: "signatories",
                family: Cooperation,
                confidence: 0.80,
                explicit: true,
                reads: "a signing sentence whose titled persons serve two bodies the text names: `NASA Administrator X and ISRO Chairman Y signed the agreement`",
                fixture: (
                    "Jean-Yves Le Gall, CNES President, and Dr. K. Sivan, Chairman of ISRO, signed an agreement.",
                    (
                        "National Centre for Space Studies",
                        "Indian Space Research Organisation",
                        "Agreement",
                    ),
                ),
            },
            Rule::GazetteerParties => Spec {
                name: "gazetteer-parties",
                family: Cooperation,
                confidence: 0.75,
                explicit: false,
                reads: "a named instrument, dialogue or mission whose gazetteer row lists its countries (`parties`, or a mission's `country` and `partners`), when the anchor's paragraph names two of them or their agencies",
                fixture: (
                    "Indian and French officials reviewed the Letter of Intent on Defence Space Cooperation.",
                    (
                        "India",
                        "France",
                        "Letter of Intent on Defence Space Cooperation",
                    ),
                ),
            },
            Rule::DocumentPair => Spec {
                name: "document-pair",
                family: Cooperation,
                confidence: 0.60,
                explicit: false,
                reads: "the pair the document is about (title, else first paragraph), when the sentence (for a mission or dialogue, the sentence itself) or a neighbour says `both sides`, `the two countries`, `bilateral`, `joint`, or names both",
                fixture: (
                    "India and France deepen ties.\n\nBoth sides reviewed the TRISHNA mission.",
                    ("India", "France", "Trishna"),
                ),
            },
            Rule::TitleOfBody => Spec {
                name: "title-of-body",
                family: Role,
                confidence: 0.90,
                reads: "`Secretary General of the Ministry for Europe and Foreign Affairs, Anne-Marie Descôtes`",
                explicit: true,
                fixture: (
                    "The Director General of ESA, Josef Aschbacher, spoke first.",
                    (
                        "Josef Aschbacher",
                        "European Space Agency",
                        "Director General",
                    ),
                ),
            },
            Rule::BodyTitle => Spec {
                name: "body-title",
                family: Role,
                confidence: 0.90,
                explicit: true,
                reads: "`KASA Administrator Yoon`, `Indian Ambassador ...`, `India's Joint Secretary`",
                fixture: (
                    "NASA Administrator Bill Nelson visited Bengaluru.",
                    (
                        "Bill Nelson",
                        "National Aeronautics and Space Administration",
                        "Administrator",
                    ),
                ),
            },
            Rule::TitleCommaBody => Spec {
                name: "title-comma-body",
                family: Role,
                confidence: 0.85,
                explicit: true,
                reads: "`S. Somanath, Secretary, Department of Space`: a body (not a country) right after the title and a comma",
                fixture: (
                    "Dr. K. Sivan, Secretary, Department of Space, spoke first.",
                    ("K. Sivan", "Department of Space", "Secretary"),
                ),
            },
            Rule::NameOfBody => Spec {
                name: "name-of-body",
                family: Role,
                confidence: 0.85,
                explicit: true,
                reads: "`Chairman G. Madhavan Nair of the Indian Space Research Organisation`: the body after the name",
                fixture: (
                    "Chairman G. Madhavan Nair of the Indian Space Research Organisation spoke.",
                    (
                        "G. Madhavan Nair",
                        "Indian Space Research Organisation",
                        "Chairman",
                    ),
                ),
            },
            Rule::NameFromCountry => Spec {
                name: "name-from-country",
                family: Role,
                confidence: 0.85,
                explicit: true,
                reads: "`Foreign Secretary Vinay Kwatra from India`",
                fixture: (
                    "Foreign Secretary Vinay Kwatra from India attended.",
                    ("Vinay Kwatra", "India", "Foreign Secretary"),
                ),
            },
            Rule::DelegationLedBy => Spec {
                name: "delegation-led-by",
                family: Role,
                confidence: 0.85,
                explicit: true,
                reads: "`The American team was led by Vipin Narang, ...`",
                fixture: (
                    "The Indian delegation was led by Ambassador Taranjit Singh Sandhu.",
                    ("Taranjit Singh Sandhu", "India", "Ambassador"),
                ),
            },
            Rule::GazetteerPost => Spec {
                name: "gazetteer-post",
                family: Role,
                confidence: 0.70,
                explicit: true,
                reads: "the officials gazetteer's post with that title",
                fixture: (
                    "Administrator Bill Nelson spoke first.",
                    ("Bill Nelson", "United States", "Administrator"),
                ),
            },
        }
    }

    /// The name written in the `rule` column.
    pub const fn name(self) -> &'static str {
        self.spec().name
    }

    /// The rule's prior confidence.
    pub const fn confidence(self) -> f32 {
        self.spec().confidence
    }

    /// Cooperation or role.
    pub const fn family(self) -> Family {
        self.spec().family
    }

    /// What the rule reads, with an example.
    pub const fn reads(self) -> &'static str {
        self.spec().reads
    }

    /// True when the rule fires for every anchor, even a multilateral
    /// instrument, a lower-case instrument word or "this agreement".
    pub const fn explicit(self) -> bool {
        self.spec().explicit
    }

    /// A text and the (subject, object, relation) the rule alone reads from it.
    pub const fn fixture(self) -> (&'static str, (&'static str, &'static str, &'static str)) {
        self.spec().fixture
    }

    /// The rule of a name, if any.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }

    const fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// A set of enabled rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules(u32);

impl Rules {
    /// Every rule.
    pub const ALL: Rules = Rules((1 << Rule::ALL.len()) - 1);

    /// Only `rule` (for its fixture).
    pub const fn only(rule: Rule) -> Rules {
        Rules(rule.bit())
    }

    /// These rules and `rule`.
    pub const fn with(self, rule: Rule) -> Rules {
        Rules(self.0 | rule.bit())
    }

    /// True when `rule` is enabled.
    pub const fn has(self, rule: Rule) -> bool {
        self.0 & rule.bit() != 0
    }
}

/// The Markdown table of a family's rules (`| rule | reads | confidence |`),
/// as the README and the module doc show it.
pub fn table(family: Family) -> String {
    let mut out = String::from("| rule | reads | confidence |\n| --- | --- | --- |\n");
    for r in Rule::ALL.into_iter().filter(|r| r.family() == family) {
        out.push_str(&format!(
            "| `{}` | {} | {:.2} |\n",
            r.name(),
            r.reads(),
            r.confidence()
        ));
    }
    out
}

/// The first enabled cooperation rule, in precedence order, that pairs two
/// parties for `anchor`. `explicit_only` anchors take only explicit rules.
pub(super) fn cooperation(ctx: &Context<'_>, anchor: &Anchor, explicit_only: bool) -> Vec<Triple> {
    let make = |a: &Party, b: &Party, rule: Rule| Triple {
        subject: a.name.clone(),
        object: b.name.clone(),
        relation: anchor.relation.clone(),
        kind: anchor.kind,
        subject_type: a.etype,
        object_type: b.etype,
        evidence: ctx.sentence.clone(),
        status: ctx.facts.status(ctx, ctx.s),
        confidence: rule.confidence(),
        rule,
    };
    for rule in Rule::ALL {
        if rule.family() != Family::Cooperation
            || !ctx.rules.has(rule)
            || (explicit_only && !rule.explicit())
        {
            continue;
        }
        let found: Vec<(Party, Party, Rule)> = match rule {
            Rule::CompoundInName => compound::in_name(ctx, anchor).into_iter().collect(),
            Rule::CompoundBefore => compound::before(ctx, anchor).into_iter().collect(),
            // One pass over the pairs reads both, nearest pair first.
            Rule::Between => between::apply(ctx, anchor, true, ctx.rules.has(Rule::ByAAndB)),
            Rule::ByAAndB if ctx.rules.has(Rule::Between) => Vec::new(),
            Rule::ByAAndB => between::apply(ctx, anchor, false, true),
            Rule::AAndBVerb => verbs::a_and_b_verb(ctx, anchor),
            Rule::AVerbWithB => verbs::a_verb_with_b(ctx, anchor).into_iter().collect(),
            Rule::AAnchorWithB => verbs::a_anchor_with_b(ctx, anchor).into_iter().collect(),
            Rule::Signatories => signatories::apply(ctx, anchor).into_iter().collect(),
            Rule::GazetteerParties => gazetteer_parties::apply(ctx, anchor)
                .into_iter()
                .map(|(a, b)| (a, b, Rule::GazetteerParties))
                .collect(),
            Rule::DocumentPair => document_pair::apply(ctx, anchor).into_iter().collect(),
            _ => Vec::new(),
        };
        if !found.is_empty() {
            return found.iter().map(|(a, b, rule)| make(a, b, *rule)).collect();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, rules: Rules) -> Vec<Triple> {
        let doc = crate::testing::doc(text);
        let a = crate::testing::engine().analyze(&doc);
        super::super::relate_with(
            a.norm.text(),
            &a.segments,
            &a.entities,
            crate::testing::engine().gazetteer(),
            rules,
        )
    }

    #[test]
    fn each_rule_alone_reads_its_fixture() {
        let mut failures = Vec::new();
        for rule in Rule::ALL {
            let (text, (s, o, r)) = rule.fixture();
            // A cooperation rule runs with the role rules, which some read
            // (`signatories`); only its own family is checked.
            let mut rules = Rules::only(rule);
            if rule.family() == Family::Cooperation {
                for r in Rule::ALL.into_iter().filter(|r| r.family() == Family::Role) {
                    rules = rules.with(r);
                }
            }
            let got: Vec<Triple> = run(text, rules)
                .into_iter()
                .filter(|t| (t.kind == super::super::Kind::Role) == (rule.family() == Family::Role))
                .collect();
            let found = got.iter().any(|t| {
                let pair = (t.subject.as_str(), t.object.as_str());
                let fits =
                    pair == (s, o) || (rule.family() == Family::Cooperation && pair == (o, s));
                fits && t.relation == r && t.rule == rule
            });
            let alone = got.iter().all(|t| t.rule == rule);
            if !found || !alone {
                let got: Vec<_> = got
                    .iter()
                    .map(|t| (&t.subject, &t.object, &t.relation, t.rule.name()))
                    .collect();
                failures.push(format!(
                    "{}: want ({s}, {o}, {r}), got {got:?}",
                    rule.name()
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn names_are_unique_and_round_trip() {
        for r in Rule::ALL {
            assert_eq!(Rule::from_name(r.name()), Some(r));
            assert!(r.confidence() > 0.0 && r.confidence() <= 1.0);
        }
    }

    /// The text between `<!-- rules:NAME -->` and `<!-- /rules -->` in `doc`.
    fn section<'a>(doc: &'a str, name: &str) -> &'a str {
        let open = format!("<!-- rules:{name} -->\n");
        let start = doc.find(&open).unwrap_or_else(|| panic!("no {open}")) + open.len();
        let end = start
            + doc[start..]
                .find("<!-- /rules -->")
                .expect("no <!-- /rules -->");
        &doc[start..end]
    }

    #[test]
    fn readme_and_module_doc_tables_match_the_registry() {
        let readme = include_str!("../../../../../README.md");
        let module: String = include_str!("../mod.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("//! ").or(l.strip_prefix("//!")))
            .map(|l| format!("{l}\n"))
            .collect();
        for (name, family) in [("cooperation", Family::Cooperation), ("role", Family::Role)] {
            let want = table(family);
            assert_eq!(
                section(readme, name),
                want,
                "README.md's {name} rule table differs from the registry; paste:\n{want}"
            );
            assert_eq!(
                section(&module, name),
                want,
                "relate/mod.rs's {name} rule table differs from the registry; paste:\n{want}"
            );
        }
    }
}
