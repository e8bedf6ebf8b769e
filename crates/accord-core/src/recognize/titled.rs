//! Titled persons: a title from `titles.csv` next to a capitalized name, in
//! the forms `Title Name`, `Title of Body, Name`, `Name, Title`, and role
//! nouns (`the agency's head, Name`).

use super::*;

impl Recognizers {
    /// Build the title matcher from the gazetteer's titles.
    pub fn new(gaz: &Gazetteer) -> Recognizers {
        let mut pats = Vec::new();
        let mut title_of = Vec::new();
        for t in gaz.titles() {
            for f in &t.forms {
                pats.push(f.clone());
                title_of.push(t.title.clone());
            }
        }
        let titles = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&pats)
            .expect("titles automaton");
        // Lower-case forms of capitalized titles that are words, not abbreviations.
        let mut lower = Vec::new();
        let mut lower_title_of = Vec::new();
        for (form, title) in pats.iter().zip(&title_of) {
            let l = form.to_lowercase();
            if l != *form && !form.ends_with('.') && !form.chars().all(|c| !c.is_lowercase()) {
                lower.push(l);
                lower_title_of.push(title.clone());
            }
        }
        // A DFA: lower-case title words are frequent in news text, and this
        // automaton runs over every article.
        let lower_titles = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&lower)
            .expect("lower-case titles automaton");
        Recognizers {
            titles,
            title_of,
            lower_titles,
            lower_title_of,
        }
    }

    /// Persons introduced by a lower-case role noun: `NASA astronaut Frank
    /// Rubio`, `Saudi astronauts Rayyanah Barnawi and Ali AlQarni`.
    pub fn role_nouns(&self, text: &str, out: &mut Vec<Proposal>) {
        static NOUN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?-u:\b)(astronaut|cosmonaut|taikonaut|spaceflight participant)(s?)(?-u:\b)",
            )
            .unwrap()
        });
        for c in NOUN.captures_iter(text) {
            let m = c.get(0).unwrap();
            let title = TitleHit {
                canonical: {
                    let n = &c[1];
                    let mut t = n[..1].to_ascii_uppercase();
                    t.push_str(&n[1..]);
                    t
                },
                span: m.range(),
            };
            let Some(first) = name_after(text, m.end()) else {
                continue;
            };
            if text[first.clone()].split_whitespace().count() < 2 {
                continue;
            }
            let next = first.end;
            out.push(person(first, text, title.clone(), "role-noun-name"));
            if !c[2].is_empty()
                && text[next..].starts_with(" and ")
                && let Some(second) = name_after(text, next + 4)
                && text[second.clone()].split_whitespace().count() >= 2
            {
                out.push(person(second, text, title, "role-noun-name"));
            }
        }
    }

    /// Persons named next to a title; titles with no name go to `bare`
    /// (`the NASA Administrator`), for the resolve stage to look up.
    pub fn titled_persons(&self, text: &str, out: &mut Vec<Proposal>, bare: &mut Vec<TitleHit>) {
        let hits: Vec<(usize, usize, usize)> = self
            .titles
            .find_iter(text)
            .filter(|m| is_word_bounded(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        let mut i = 0;
        while i < hits.len() {
            // A chain of titles ("Spokesperson Cmdr. Jessica Anderson"): the
            // first is the post, the name follows the last.
            let prev_end = i.checked_sub(1).map(|k| hits[k].1);
            let mut j = i;
            while j + 1 < hits.len()
                && hits[j + 1].0 == hits[j].1 + 1
                && &text[hits[j].1..hits[j + 1].0] == " "
            {
                j += 1;
            }
            let (ts, first_end, pid) = hits[i];
            let te = hits[j].1;
            i = j + 1;
            let title = TitleHit {
                canonical: self.title_of[pid].clone(),
                span: ts..first_end,
            };
            // "Title Name", "Title Honorific Name" (`Prime Minister Shri Narendra Modi`)
            if let Some(name) = name_after(text, skip_honorifics(text, te)) {
                out.push(person(name, text, title.clone(), "title-name"));
                continue;
            }
            // "Ambassador to South Korea Gourangalal Das": the resolve stage
            // trims the country off the front of the name.
            let to = if text[te..].starts_with(" to the ") {
                7
            } else if text[te..].starts_with(" to ") {
                3
            } else {
                0
            };
            if to > 0
                && let Some(name) = name_after(text, te + to)
                && text[name.clone()].split_whitespace().count() >= 2
            {
                out.push(person(name, text, title.clone(), "title-to-name"));
                continue;
            }
            // "Chair of ISRO and Secretary of the Department of Space, ...":
            // a second title of the person named with the first; what
            // follows its complement is not its holder.
            let coordinated = prev_end.is_some_and(|pe| is_coordinated_title(text, pe, ts));
            let complement = if coordinated {
                None
            } else {
                complement_then_name(text, te)
            };
            // "President of JAXA (JAXA) Dr Hiroshi Yamakawa"
            if let Some((name, false)) = complement {
                out.push(person(name, text, title.clone(), "title-of-name"));
                continue;
            }
            // "Name, [qualifiers] Title"
            if let Some(name) = name_comma_before(text, ts) {
                out.push(person(name, text, title, "name-comma-title"));
                continue;
            }
            // "Title of the Ministry for X, Name"
            if let Some((name, true)) = complement {
                out.push(person(name, text, title.clone(), "title-of-name"));
                continue;
            }
            bare.push(title);
        }
        self.lower_titled_persons(text, out);
        honorific_persons(text, out);
    }

    /// `NASA administrator Charles Bolden`, `ISRO's chairman K. Sivan`: a
    /// title written in lower case counts only between a capitalized word
    /// (the body) and a name, so `the administrator said` gives nothing.
    fn lower_titled_persons(&self, text: &str, out: &mut Vec<Proposal>) {
        for m in self.lower_titles.find_iter(text) {
            let (ts, te) = (m.start(), m.end());
            if !is_word_bounded(text, ts, te) || !text[..ts].ends_with(' ') {
                continue;
            }
            let title = || TitleHit {
                canonical: self.lower_title_of[m.pattern().as_usize()].clone(),
                span: ts..te,
            };
            // "Zhang Kejian, director of the China National Space
            // Administration": a name, a comma, then the title.
            if let Some(name) = name_comma_before(text, ts) {
                out.push(person(name, text, title(), "name-comma-lower-title"));
                continue;
            }
            let before = text[..ts - 1]
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("");
            let body = before.strip_suffix("'s").unwrap_or(before);
            if !body.starts_with(|c: char| c.is_uppercase())
                || lexicon::en().stop_words.contains(&body)
            {
                continue;
            }
            if let Some(name) = name_after(text, te) {
                out.push(person(name, text, title(), "lower-title-name"));
            }
        }
    }
}

/// Honorifics, longest first, as an automaton.
static HONORIFICS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&lexicon::en().honorifics)
        .expect("honorifics automaton")
});

/// True when the text between a title ending at `prev_end` and one starting
/// at `ts` is ` of|for Capitalized ... and `: the second title is
/// coordinated with the first (`Chair of ISRO and Secretary ...`).
fn is_coordinated_title(text: &str, prev_end: usize, ts: usize) -> bool {
    let Some(gap) = text.get(prev_end..ts) else {
        return false;
    };
    let Some(mid) = gap
        .strip_prefix(" of ")
        .or_else(|| gap.strip_prefix(" for "))
        .and_then(|g| g.strip_suffix(" and "))
    else {
        return false;
    };
    mid.len() <= 120
        && mid.split(' ').all(|w| {
            !w.is_empty()
                && (is_capitalized(w)
                    || w.starts_with('(')
                    || lexicon::en().name_connectors.contains(&w))
        })
}

/// `pos` moved past the honorifics that follow it (` Shri`, ` H.E. Mr.`): the
/// position just before the name.
pub(super) fn skip_honorifics(text: &str, mut pos: usize) -> usize {
    for _ in 0..3 {
        let Some(rest) = text.get(pos..).and_then(|r| r.strip_prefix(' ')) else {
            break;
        };
        // The longest honorific that starts here (a short, bounded look).
        let found = lexicon::en()
            .honorifics
            .iter()
            .filter(|h| rest.starts_with(*h) && !rest[h.len()..].starts_with(char::is_alphanumeric))
            .max_by_key(|h| h.len());
        match found {
            Some(h) => pos += 1 + h.len(),
            None => break,
        }
    }
    pos
}

/// `Dr. Carle Pieters`, `Shri S. Somanath`: an honorific then a name of two
/// words or more is a person, with no title. An honorific inside a longer
/// word (`Drive`) or before one word (`Mr. Smith` alone) gives nothing.
pub(super) fn honorific_persons(text: &str, out: &mut Vec<Proposal>) {
    // The end of the last run of honorifics read: `Lyonchhen Dr.` is one run.
    let mut read_to = 0;
    for m in HONORIFICS.find_iter(text) {
        if m.start() < read_to
            || !is_word_bounded(text, m.start(), m.end())
            || text[m.end()..].starts_with(char::is_alphanumeric)
        {
            continue;
        }
        let at = skip_honorifics(text, m.end());
        read_to = at;
        if let Some(name) = name_after(text, at)
            && text[name.clone()].split_whitespace().count() >= 2
        {
            out.push(Proposal {
                canonical: text[name.clone()].to_string(),
                span: name,
                etype: EntityType::Person,
                rule: "honorific-name",
                title: None,
            });
        }
    }
}

pub(super) fn person(
    name: Range<usize>,
    text: &str,
    title: TitleHit,
    rule: &'static str,
) -> Proposal {
    Proposal {
        canonical: text[name.clone()].to_string(),
        span: name,
        etype: EntityType::Person,
        rule,
        title: Some(title),
    }
}

/// Letters after a name that are not part of it (`AO`, `MP`, `Ph.D.`),
/// with or without their final full stop.
pub(super) fn is_postnominal(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    lexicon::en()
        .postnominals
        .iter()
        .any(|p| p.trim_end_matches('.') == w)
}

/// A personal name token: capitalized word, hyphenated parts, or an initial.
pub(super) fn is_person_token(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    if w.is_empty() || lexicon::en().stop_words.contains(&w) {
        return false;
    }
    let mut chars = w.chars();
    let first = chars.next().unwrap();
    first.is_uppercase()
        && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && !w.chars().skip(1).all(|c| c.is_uppercase() || !c.is_alphabetic()) // not an acronym
        || (w.chars().count() == 1 && first.is_uppercase())
}

/// Up to four name tokens right after `pos` (one space), possessive stripped.
pub(super) fn name_after(text: &str, pos: usize) -> Option<Range<usize>> {
    let mut end = None;
    let mut cur = pos;
    let mut n = 0;
    while let Some(w) = word_after(text, cur) {
        let raw_end = text[w.start..]
            .find(|c: char| c.is_whitespace() || "(),;:\"".contains(c))
            .map_or(text.len(), |i| w.start + i);
        let word = &text[w.clone()];
        let is_initial = word.chars().count() == 1 && text[w.end..raw_end].starts_with('.');
        // "Lula da Silva": a particle counts when a name token follows it.
        if n > 0
            && lexicon::en().name_particles.contains(&word)
            && word_after(text, w.end).is_some_and(|next| is_person_token(&text[next]))
        {
            cur = w.end;
            continue;
        }
        if (!is_person_token(word) && !is_initial) || is_postnominal(word) {
            break;
        }
        if lexicon::en().month_names().any(|m| m == word) {
            break;
        }
        n += 1;
        end = Some(w.end);
        // A possessive or a sentence stop ends the name.
        let tail = &text[w.end..raw_end];
        if tail.starts_with("'s") || (tail.starts_with('.') && !is_initial) {
            break;
        }
        cur = if is_initial { w.end + 1 } else { w.end };
        if n >= 4 {
            break;
        }
    }
    let end = end?;
    let start = pos + 1;
    // A lone initial is not a name.
    (text[start..end]
        .chars()
        .filter(|c| c.is_alphabetic())
        .count()
        >= 2)
        .then_some(start..end)
}

/// After a title: ` of|for [the] Capitalized ...` then the name, after a
/// comma (`Secretary General of the Ministry for Europe and Foreign Affairs,
/// Anne-Marie Descôtes`), after the body's bracketed short form (`President
/// of the Japan Aerospace Exploration Agency (JAXA) Dr Hiroshi Yamakawa`),
/// or after an honorific (`Director General of the German Space Agency Dr.
/// Walther Pelzer`). The complement is read over at most 160 bytes.
pub(super) fn complement_then_name(text: &str, te: usize) -> Option<(Range<usize>, bool)> {
    let rest = &text[te..text.floor_char_boundary(te + 160)];
    let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let intro = rest
        .strip_prefix(" of ")
        .or_else(|| rest.strip_prefix(" for "))?;
    let intro_at = te + (rest.len() - intro.len());
    let full_name = |at: usize| {
        let name = name_after(text, skip_honorifics(text, at))?;
        let words = text[name.clone()].split_whitespace().count();
        // "(DLR) Executive Board Johann-Dietrich Worner": a head word is
        // the complement going on, not a name.
        let heads = text[name.clone()]
            .split_whitespace()
            .any(|w| type_from_last_word(w).is_some());
        (words >= 2 && !heads).then_some(name)
    };
    // The complement's words, each capitalized, a connector or hyphenated.
    let mut pos = 0;
    loop {
        let here = &intro[pos..];
        if let Some(next) = here.strip_prefix(", ") {
            // "Minister of Education, Culture, Sports, Science and
            // Technology (MEXT) Name": a comma inside the complement's list.
            // The list goes on only with a capitalized word: ", and the
            // Honorable X" starts the next item.
            match full_name(intro_at + pos + 1) {
                Some(n) => return Some((n, true)),
                None if next.starts_with(char::is_uppercase) => pos += 1,
                None => return None,
            }
            continue;
        }
        if pos > 0 && (here.starts_with(" (") || here.starts_with(" [")) {
            let close = if here.starts_with(" (") { ')' } else { ']' };
            let end = here.find(close)?;
            return full_name(intro_at + pos + end + 1).map(|n| (n, false));
        }
        if pos > 0 {
            let at = intro_at + pos;
            if skip_honorifics(text, at) > at {
                return full_name(at).map(|n| (n, false));
            }
            pos += here.strip_prefix(' ').map(|_| 1)?;
        }
        let word_len = intro[pos..].find([' ', ',']).unwrap_or(intro.len() - pos);
        let w = &intro[pos..pos + word_len];
        if w.is_empty()
            || !(is_capitalized(w) || lexicon::en().name_connectors.contains(&w) || w.contains('-'))
        {
            return None;
        }
        pos += word_len;
    }
}

/// Before a title: `Name, [up to three words] ` ending at `ts`.
pub(super) fn name_comma_before(text: &str, ts: usize) -> Option<Range<usize>> {
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        // A name (a first initial allowed: `K. Sivan`), a comma, up to three
        // qualifier words, then the title.
        let particles = lexicon::alternation(&lexicon::en().name_particles);
        Regex::new(&format!(
            r"([\p{{Lu}}](?:[\p{{L}}'-]+|\.)(?: (?:(?:{particles}) )?[\p{{Lu}}][\p{{L}}'.-]*){{1,4}}), (?:[\p{{L}}.'-]+ ){{0,3}}$"
        ))
        .unwrap()
    });
    let from = ts.saturating_sub(100);
    let from = (from..ts).find(|&i| text.is_char_boundary(i)).unwrap_or(ts);
    let window = &text[from..ts];
    let c = BEFORE.captures(window)?;
    let g = c.get(1).unwrap();
    let name = from + g.start()..from + g.end();
    // Honorifics and sentence openers before the name are not part of it
    // ("the Honourable Navdeep Bains", "Professor Isa Pantami"), nor are
    // letters after it ("Barry O'Farrell AO").
    let mut name = name;
    while let Some(first) = text[name.clone()].split(' ').next()
        && (lexicon::en()
            .stop_words
            .contains(&first.trim_end_matches('.'))
            || lexicon::en()
                .honorifics
                .iter()
                .any(|h| text[..name.start + first.len()].ends_with(h) && h.ends_with(first)))
    {
        name.start += first.len() + 1;
        if name.start >= name.end {
            return None;
        }
    }
    while let Some(last) = text[name.clone()].rsplit(' ').next()
        && is_postnominal(last)
    {
        name.end -= last.len() + 1;
        if name.start >= name.end {
            return None;
        }
    }
    if text[name.clone()].split(' ').count() < 2 {
        return None;
    }
    // The name must start a word.
    if char_before(text, name.start).is_some_and(is_word_char) {
        return None;
    }
    Some(name)
}
