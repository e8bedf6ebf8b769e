//! Organisations read from their shape: conjuncts of coordinated plural
//! names (`Departments of State and Commerce`) and companies introduced by a
//! common noun (`Israeli company StemRad`).

use super::*;

/// A conjunct of a coordinated plural name: `Departments of State, Commerce,
/// and Transportation` holds `State` standing for `Department of State`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conjunct {
    /// The conjunct's span (`Commerce`).
    pub span: Range<usize>,
    /// The full name it stands for (`Department of Commerce`).
    pub full: String,
}

pub(super) static COORDINATION: LazyLock<Regex> = LazyLock::new(|| {
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
