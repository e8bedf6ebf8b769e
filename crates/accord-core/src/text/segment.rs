//! Segmentation: metadata header, title, boilerplate blocks and sentences.
//!
//! Works on the normalized text, line by line (news files hold one paragraph a
//! line). Boilerplate is what a news page wraps around an article: breadcrumb
//! trails, share/follow lines, "Also Read" and "Latest News" lists of other
//! headlines, topic tags, "originally published at" footers. Mentions inside
//! boilerplate are not reported and relations are not read from it.
//!
//! Sentences split at `.`, `!` or `?` followed by space and a capital, except
//! after known abbreviations (`U.S.`, `Dec.`, `Cmdr.`) and initials (`S.`);
//! a line is always a sentence boundary, so a headline without a final stop
//! is a sentence of its own.
//!
//! A run of text with no sentence stop (a list of agreements, a tag cloud, a
//! table flattened into one line) is cut into sentences of at most
//! [`MAX_SENTENCE_BYTES`], at the last white space before the limit: every
//! later stage reads a sentence as a unit, and this bound keeps what they
//! spend on one sentence (and the evidence a triple carries) bounded.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// A sentence (or headline line) of the document, in normalized offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Start offset.
    pub start: usize,
    /// End offset (exclusive), trailing white space excluded.
    pub end: usize,
    /// Index of the content line (paragraph) the sentence is in, boilerplate lines not counted.
    pub paragraph: u32,
    /// True for the title line.
    pub is_title: bool,
}

/// The segmentation of one document.
#[derive(Clone, Debug, Default)]
pub struct Segments {
    /// Content sentences in text order (boilerplate excluded).
    pub sentences: Vec<Sentence>,
    /// Boilerplate spans, sorted and disjoint.
    pub boilerplate: Vec<Range<usize>>,
    /// The title line, if the document starts with one.
    pub title: Option<Range<usize>>,
    /// A metadata header (` date 2024-03-05 `) at the start of the text: its span and value.
    pub meta_date: Option<(Range<usize>, String)>,
}

impl Segments {
    /// True when `offset` lies in boilerplate or in the metadata header.
    pub fn is_boilerplate(&self, offset: usize) -> bool {
        if let Some((r, _)) = &self.meta_date
            && r.contains(&offset)
        {
            return true;
        }
        let i = self.boilerplate.partition_point(|r| r.end <= offset);
        self.boilerplate.get(i).is_some_and(|r| r.contains(&offset))
    }

    /// Index of the sentence holding `offset`, if it is in content.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= offset);
        self.sentences
            .get(i)
            .filter(|s| s.start <= offset && offset < s.end)
            .map(|_| i)
    }
}

static META_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*date (\d{4}-\d{2}-\d{2})(?-u:\b)[ \t]*").unwrap());

/// A line that opens a list of other stories: it and the headline lines after it are boilerplate.
static BLOCK_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(also read|read also|read more|related( news| stories| articles| posts| topics)?|latest news|latest stories|more news|more stories|top stories|trending( now| news| stories)?|you may also like|you might also like|recommended( for you| stories)?|more from [\w ]+|explore news|next story|popular( news| stories)|most read|must read|also see|see also|don't miss|editor's picks|what to read next)\s*:?\s*$",
    )
    .unwrap()
});

/// A single line of page furniture.
static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        ^(home|news)\s*[/>»|]                         # breadcrumb
        | ^(photo|image|file\ photo|picture|video|credit|source|representative\ image)\s*:
        | (?-u:\b)\d+\s*mins?\ read(?-u:\b) | (?-u:\b)minute\ read(?-u:\b)
        | ^(last\ )?updated\s*(:|on(?-u:\b)) | ^(first\ )?published\s*(:|on(?-u:\b)) | ^posted\ on(?-u:\b)
        | ^(connect\ with\ us|follow\ us|share\ (this|on|via)|share:|click\ here|subscribe(?-u:\b)|sign\ up(?-u:\b)
            |download\ (the|our)\ app|join\ us\ on|like\ us\ on|tap\ to|for\ more\ news|get\ the\ latest)
        | ^(topics?|tags?|keywords?|filed\ under)\s*:
        | (facebook|twitter|linkedin|whatsapp|instagram|youtube|telegram)\s*icon
        | ^\((additional\ )?(reporting|writing|editing|compiled|reported|research)\ by(?-u:\b)
        | originally\ published\ at | first\ appeared\ on | appeared\ first\ on
        | ^(©|\(c\)\s|copyright(?-u:\b)) | all\ rights\ reserved
        | ^(advertisement|sponsored|story\ continues\ below)\s*$
        ",
    )
    .unwrap()
});

/// A line that looks like an entry of a story list (a dated headline).
static LISTED_HEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)\d{1,2}:\d{2}\s*(am|pm)?(\s+[A-Z]{2,4})?\s*$").unwrap()
});

/// True for a line that reads as prose: ends like a sentence and has several words.
fn is_prose(line: &str) -> bool {
    let t = line.trim_end();
    let ends = t.ends_with(['.', '!', '?', '"', '\'', ')']);
    ends && t.split_whitespace().count() >= 8 && !LISTED_HEADLINE.is_match(t)
}

/// True when the `.` at `dot` closes an abbreviation or an initial rather than a sentence.
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .map_or(0, |i| i + 1);
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // Initials and dotted acronyms: "S", "U.S", "D.C", "U.A.E".
    if word
        .split('.')
        .all(|p| p.chars().count() == 1 && p.chars().all(|c| c.is_uppercase()))
    {
        return true;
    }
    crate::lexicon::en().abbreviations.contains(&word)
}

/// Split one line `[start, end)` of `text` into sentence spans.
fn split_sentences(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let line = &text[start..end];
    let bytes = line.as_bytes();
    let mut s = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            // Take closing quotes and brackets with the stop.
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b')' | b']') {
                j += 1;
            }
            let space = j < bytes.len() && bytes[j].is_ascii_whitespace();
            if space {
                let mut k = j;
                while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                    k += 1;
                }
                let next = line[k..].chars().next();
                let opens = next.is_some_and(|c| {
                    c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '\'' || c == '('
                });
                if opens && !(b == b'.' && is_abbreviation(line, i)) {
                    push_trimmed(text, start + s, start + j, out);
                    s = k;
                    i = k;
                    continue;
                }
            }
        }
        i += 1;
    }
    push_trimmed(text, start + s, end, out);
}

/// The longest sentence: a longer run without a stop is cut at white space.
pub const MAX_SENTENCE_BYTES: usize = 4096;

fn push_trimmed(text: &str, a: usize, b: usize, out: &mut Vec<Range<usize>>) {
    let seg = &text[a..b];
    let lead = seg.len() - seg.trim_start().len();
    let trail = seg.len() - seg.trim_end().len();
    let (mut a, b) = (a + lead, b - trail);
    // Cut an over-long run at the last white space before the limit (in its
    // second half), else at the last character boundary before it.
    while b - a > MAX_SENTENCE_BYTES {
        let limit = text.floor_char_boundary(a + MAX_SENTENCE_BYTES);
        let cut = text[a..limit]
            .rfind(|c: char| c.is_whitespace())
            .map(|i| a + i)
            .filter(|&i| i > a + MAX_SENTENCE_BYTES / 2)
            .unwrap_or(limit);
        let piece = text[a..cut].trim_end();
        if !piece.is_empty() {
            out.push(a..a + piece.len());
        }
        a = cut + (text[cut..b].len() - text[cut..b].trim_start().len());
    }
    if a < b {
        out.push(a..b);
    }
}

/// The metadata header (` date 2024-03-05 `) at the start of a normalized
/// document: its span and value, as [`segment`] reports it in [`Segments::meta_date`].
pub fn meta_date(text: &str) -> Option<(Range<usize>, String)> {
    let c = META_DATE.captures(text)?;
    Some((c.get(0).unwrap().range(), c[1].to_string()))
}

/// Cut a normalized text into pieces of about `size` bytes that can be
/// matched apart: the gazetteer matcher and every recognizer find exactly
/// the matches in the pieces, shifted by each piece's start, that they find
/// in the whole text, in the same order within each recognizer.
///
/// A piece ends just after a line break, so each starts on a line of its
/// own. No gazetteer alias or title holds a line break (aliases are
/// normalized to single spaces), and the recognizers read names, titles and
/// phrases within one line (`name_comma_before` looks back 100 bytes, but
/// its pattern cannot cross a line break). Word boundaries see a line break
/// or the edge of the piece: both are not word characters. Only the date
/// patterns may run over a line break, through their white space
/// (`March\n4, 2024`); what follows such white space in a date is always
/// a digit, `-`, or a month name, so a cut is placed only where the white
/// space around the line break is followed by something else.
/// Pieces cover the text, in order, without gaps.
pub fn chunks(text: &str, size: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut from = size.max(1);
    while from < text.len() {
        let Some(nl) = memchr::memchr(b'\n', &text.as_bytes()[from..]).map(|i| from + i) else {
            break;
        };
        let after = text[nl..].trim_start();
        let next = text.len() - after.len();
        if after.is_empty() {
            break;
        }
        let continues_a_date = may_continue_a_date(after);
        if !continues_a_date {
            out.push(start..nl + 1);
            start = nl + 1;
            from = start + size.max(1);
        } else {
            from = next;
        }
    }
    out.push(start..text.len());
    out
}

/// True when a date pattern could go on with `rest` after white space: a
/// digit, a `-` (`10 - 12 May`) or a month name (`4\nJune 2024`).
fn may_continue_a_date(rest: &str) -> bool {
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        || crate::lexicon::en()
            .month_names()
            .any(|m| rest.starts_with(&m[..3]))
}

/// Segment a normalized document.
pub fn segment(text: &str) -> Segments {
    let mut seg = Segments::default();
    let mut body_start = 0;
    if let Some((r, date)) = meta_date(text) {
        body_start = r.end;
        seg.meta_date = Some((r, date));
    }
    let mut in_block = false;
    let mut paragraph = 0u32;
    let mut seen_content = false;
    let mut pos = body_start;
    let mut spans = Vec::new();
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let raw = &text[pos..line_end];
        let line = raw.trim();
        let next = line_end + 1;
        if line.is_empty() {
            pos = next;
            continue;
        }
        let boiler = if BLOCK_START.is_match(line) {
            in_block = true;
            true
        } else if LINE.is_match(line) {
            true
        } else if in_block {
            if is_prose(line) {
                in_block = false;
                false
            } else {
                true
            }
        } else {
            false
        };
        if boiler {
            push_boilerplate(&mut seg.boilerplate, pos..line_end);
            pos = next;
            continue;
        }
        let is_title = !seen_content
            && !line.ends_with('.')
            && line.len() <= 300
            && line.split_whitespace().count() >= 2;
        seen_content = true;
        if is_title {
            let lead = raw.len() - raw.trim_start().len();
            seg.title = Some(pos + lead..pos + lead + line.len());
            seg.sentences.push(Sentence {
                start: pos + lead,
                end: pos + lead + line.len(),
                paragraph,
                is_title: true,
            });
        } else {
            spans.clear();
            split_sentences(text, pos, line_end, &mut spans);
            for r in &spans {
                seg.sentences.push(Sentence {
                    start: r.start,
                    end: r.end,
                    paragraph,
                    is_title: false,
                });
            }
        }
        paragraph += 1;
        pos = next;
    }
    seg
}

fn push_boilerplate(spans: &mut Vec<Range<usize>>, r: Range<usize>) {
    if let Some(last) = spans.last_mut()
        && last.end + 1 >= r.start
    {
        last.end = r.end;
        return;
    }
    spans.push(r);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        segment(text)
            .sentences
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn a_run_without_stop_is_cut_at_white_space() {
        let unit = "an agreement between India and France and a pact";
        let text = vec![unit; 1000].join(" ");
        let got = sentences(&text);
        assert!(got.len() > 1);
        assert!(got.iter().all(|s| s.len() <= MAX_SENTENCE_BYTES), "{got:?}");
        // Cut only between words, nothing lost.
        assert_eq!(got.join(" "), text);
        // One word longer than the limit is cut at a character boundary.
        let word = "é".repeat(MAX_SENTENCE_BYTES);
        let got = sentences(&word);
        assert_eq!(got.concat(), word);
        assert!(got.iter().all(|s| s.len() <= MAX_SENTENCE_BYTES));
        // A sentence under the limit is untouched.
        let normal = "India and France met in Paris. They signed an agreement.";
        assert_eq!(sentences(normal).len(), 2);
    }

    #[test]
    fn splits_news_sentences() {
        let text = "Headline without stop\n\nThe U.S. Space Force met in Washington, D.C., on Dec. 6. Cmdr. Jessica Anderson said so. \"It works,\" she said! Did it? Yes.\nExternal Affairs Minister S. Jaishankar spoke. Next one";
        assert_eq!(
            sentences(text),
            [
                "Headline without stop",
                "The U.S. Space Force met in Washington, D.C., on Dec. 6.",
                "Cmdr. Jessica Anderson said so.",
                "\"It works,\" she said!",
                "Did it?",
                "Yes.",
                "External Affairs Minister S. Jaishankar spoke.",
                "Next one",
            ]
        );
        assert!(segment(text).sentences[0].is_title);
    }

    #[test]
    fn chunks_cut_after_line_breaks_outside_dates() {
        let text = "Talks in Paris.\nSigned on March\n\n4, 2024.\nOn Dec.\n6 and 10\n- 12 May.\nA line\nMay 5\n";
        // (size, expected pieces)
        let cases: &[(usize, &[&str])] = &[
            (
                1,
                &[
                    "Talks in Paris.\n",
                    "Signed on March\n\n4, 2024.\n",
                    "On Dec.\n6 and 10\n- 12 May.\n",
                    "A line\nMay 5\n",
                ],
            ),
            (
                20,
                &[
                    "Talks in Paris.\nSigned on March\n\n4, 2024.\n",
                    "On Dec.\n6 and 10\n- 12 May.\n",
                    "A line\nMay 5\n",
                ],
            ),
            (1000, &[text]),
        ];
        for (size, want) in cases {
            let pieces = chunks(text, *size);
            let got: Vec<&str> = pieces.iter().map(|r| &text[r.clone()]).collect();
            assert_eq!(&got, want, "size {size}");
        }
        // Whatever the size, the pieces cover the text in order and each
        // but the last ends with a line break not followed by a date's continuation.
        for size in 1..text.len() + 2 {
            let pieces = chunks(text, size);
            assert_eq!(pieces[0].start, 0);
            assert_eq!(pieces.last().unwrap().end, text.len());
            for w in pieces.windows(2) {
                assert_eq!(w[0].end, w[1].start);
                assert!(text[..w[0].end].ends_with('\n'));
                assert!(!may_continue_a_date(text[w[0].end..].trim_start()));
            }
        }
        assert_eq!(chunks("", 4).len(), 1);
    }

    #[test]
    fn metadata_header() {
        let text = " date 2024-05-25 Home / India News / Story title\n\nTitle line here\n\nBody text. More.";
        let seg = segment(text);
        assert_eq!(seg.meta_date.as_ref().unwrap().1, "2024-05-25");
        assert!(seg.is_boilerplate(text.find("Home").unwrap()));
        let title = seg.title.clone().unwrap();
        assert_eq!(&text[title], "Title line here");
    }

    #[test]
    fn also_read_block_runs_until_prose() {
        let text = "Title of it\n\nA first paragraph of the article that ends in a stop.\n\nAlso Read\n\nNasa to train Indian astronauts: Garcetti\n\nAnother headline here\n\nThis paragraph is prose again and it ends like a sentence.\n\nLatest News\nEC camps in Kolkata Sat, Dec 06, 2025, 12:46 PM\nA headline that ends with a stop and has many words in it 12:39 PM\n";
        let seg = segment(text);
        for (needle, want) in [
            ("Nasa", true),
            ("Another", true),
            ("Also Read", true),
            ("This paragraph", false),
            ("A first", false),
            ("Latest", true),
            ("EC camps", true),
            ("A headline", true),
        ] {
            assert_eq!(
                seg.is_boilerplate(text.find(needle).unwrap()),
                want,
                "{needle}"
            );
        }
    }

    #[test]
    fn furniture_lines() {
        for line in [
            "Photo: Shutterstock (Representative Image)",
            "1 min read Last Updated : May 25 2024 | 7:26 AM IST",
            "Click here to connect with us on WhatsApp",
            "Facebook IconLinkedIN Icon",
            "Topics :US India relations US governmentIsro projects",
            "First Published: May 25 2024 | 7:26 AM IST",
            "France - Amsterdam Aesthetics originally published at France - Amsterdam Aesthetics",
            "The post A title first appeared on A Blog.",
            "(Reporting by Ana Ribeiro in Brasilia; Editing by Paul Mercer)",
        ] {
            let text =
                format!("Title line\n\nSome prose that is long enough to count here.\n{line}\n");
            let seg = segment(&text);
            assert!(seg.is_boilerplate(text.find(line).unwrap()), "{line}");
        }
    }
}
