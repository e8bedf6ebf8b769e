//! JSONL (NDJSON) dumps: one JSON object per line, one article per object.
//!
//! The fields are found by their common names, or set by [`Fields`]. A line
//! that is not JSON, is not an object or has no text is reported as a skipped
//! article named after the file and line; the lines after it are read as
//! usual. A line longer than the article limit is skipped without being held
//! in memory. Blank lines are ignored.

use std::io::{BufRead, Read};

use serde_json::{Map, Value};

use super::{Document, Outcome, ReadOptions};

/// Which JSON fields hold what. `None` tries the usual names in order.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    /// The article id (default: `id`, `doc_id`, `uuid`).
    pub id: Option<String>,
    /// The article text (default: `text`, `body`, `content`, `article`, `maintext`).
    pub text: Option<String>,
    /// The headline (default: `title`, `headline`).
    pub title: Option<String>,
    /// The publication date (default: `date`, `published`, `publish_date`, `date_publish`, `published_at`).
    pub date: Option<String>,
    /// The address (default: `url`, `link`, `source_url`).
    pub url: Option<String>,
}

const ID: &[&str] = &["id", "doc_id", "uuid"];
const TEXT: &[&str] = &["text", "body", "content", "article", "maintext"];
const TITLE: &[&str] = &["title", "headline"];
const DATE: &[&str] = &[
    "date",
    "published",
    "publish_date",
    "date_publish",
    "published_at",
];
const URL: &[&str] = &["url", "link", "source_url"];

/// A field as text: strings as they are, numbers as written; `None` when
/// missing, null or of another type.
fn field(obj: &Map<String, Value>, set: Option<&str>, defaults: &[&str]) -> Option<String> {
    let pick = |name: &str| match obj.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    match set {
        Some(name) => pick(name),
        None => defaults.iter().find_map(|n| pick(n)),
    }
}

/// Read a whole JSONL stream, one [`Outcome`] per non-blank line.
pub fn read(
    file_id: &str,
    source: &str,
    first_line: usize,
    mut reader: Box<dyn BufRead + Send + '_>,
    opts: &ReadOptions,
    emit: &mut dyn FnMut(Outcome) -> bool,
) {
    let mut line = Vec::new();
    let mut number = first_line.saturating_sub(1);
    loop {
        number += 1;
        line.clear();
        let (too_long, total) = match read_line(&mut reader, &mut line, opts.max_article_bytes) {
            Ok(Some(x)) => x,
            Ok(None) => return,
            Err(e) => {
                emit(Outcome::skipped(
                    &format!("{file_id}:{number}"),
                    &format!("{source}:{number}"),
                    0,
                    format!(
                        "line {number}: cannot read further: {e}; the rest of the file is lost"
                    ),
                ));
                return;
            }
        };
        let outcome = if too_long {
            Outcome::skipped(
                &format!("{file_id}:{number}"),
                &format!("{source}:{number}"),
                total,
                format!(
                    "line {number}: longer than the limit of {} bytes (--max-article-bytes)",
                    opts.max_article_bytes
                ),
            )
        } else if line.trim_ascii().is_empty() {
            continue;
        } else {
            parse(file_id, source, number, &line, opts)
        };
        if !emit(outcome) {
            return;
        }
    }
}

/// Read one line into `buf` (without its end), holding at most `max` bytes.
/// Returns `None` at the end, else whether the line was too long and its length.
fn read_line(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<(bool, usize)>> {
    let mut total = 0usize;
    let mut too_long = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok((total > 0).then_some((too_long, total)));
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        total += take;
        if total > max {
            too_long = true;
            buf.clear();
        } else {
            buf.extend_from_slice(&chunk[..take]);
        }
        reader.consume(take + usize::from(done));
        if done {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some((too_long, total.max(1))));
        }
    }
}

/// One line to an article.
fn parse(file_id: &str, source: &str, number: usize, line: &[u8], opts: &ReadOptions) -> Outcome {
    let fallback_id = format!("{file_id}:{number}");
    let source = format!("{source}:{number}");
    let skip = |id: &str, reason: String| {
        Outcome::skipped(id, &source, line.len(), format!("line {number}: {reason}"))
    };
    let mut warnings = Vec::new();
    let value: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => match std::str::from_utf8(line) {
            Ok(_) => return skip(&fallback_id, format!("not JSON: {e}")),
            // serde_json refuses invalid UTF-8 inside strings: unless strict,
            // retry on the lossily decoded line before giving up.
            Err(u) => {
                let at = u.valid_up_to();
                if opts.strict_utf8 {
                    return skip(
                        &fallback_id,
                        format!("invalid UTF-8 at byte {at} (--strict-utf8)"),
                    );
                }
                match serde_json::from_str(&String::from_utf8_lossy(line)) {
                    Ok(v) => {
                        warnings.push(format!(
                            "invalid UTF-8 at byte {at} of line {number}, replaced with U+FFFD"
                        ));
                        v
                    }
                    Err(e) => return skip(&fallback_id, format!("not JSON: {e}")),
                }
            }
        },
    };
    let Value::Object(obj) = value else {
        return skip(&fallback_id, "not a JSON object".into());
    };
    record(
        obj,
        fallback_id,
        &source,
        &format!("line {number}"),
        line.len(),
        warnings,
        opts,
    )
}

/// One JSON object to an article: `fallback_id` when it has no id field,
/// `what` (`line 3`, `record 2`) in front of the reasons it is skipped.
fn record(
    obj: Map<String, Value>,
    fallback_id: String,
    source: &str,
    what: &str,
    bytes: usize,
    warnings: Vec<String>,
    opts: &ReadOptions,
) -> Outcome {
    let skip =
        |id: &str, reason: String| Outcome::skipped(id, source, bytes, format!("{what}: {reason}"));
    let f = &opts.fields;
    let id = field(&obj, f.id.as_deref(), ID)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(fallback_id);
    let Some(body) = field(&obj, f.text.as_deref(), TEXT) else {
        let looked = match &f.text {
            Some(name) => name.clone(),
            None => TEXT.join(", "),
        };
        return skip(&id, format!("no text field (looked for {looked})"));
    };
    let title = field(&obj, f.title.as_deref(), TITLE);
    let text = super::compose(title.as_deref(), &body);
    if text.contains('\0') {
        return skip(&id, "binary text (NUL character)".into());
    }
    if text.trim().is_empty() {
        return skip(&id, "empty text".into());
    }
    Outcome::Ok(Document {
        id,
        source: source.to_string(),
        text,
        warnings,
        date: field(&obj, f.date.as_deref(), DATE),
        url: field(&obj, f.url.as_deref(), URL).or_else(|| {
            // Trafilatura calls the address `source`; elsewhere `source`
            // may name a publisher, so only an address is taken.
            f.url.is_none().then_some(())?;
            field(&obj, None, &["source"])
                .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        }),
    })
}

/// Read a `.json` file that holds one JSON object (news-please's output,
/// pretty-printed), a JSON array of objects (pandas, jq), or several
/// objects one after another, each an article. The whole file is read (up
/// to `limit` bytes). A single object is called after the file
/// (`file_id`), the objects of an array or sequence `<file>#<n>`.
pub fn read_document(
    file_id: &str,
    source: &str,
    mut reader: Box<dyn BufRead + Send + '_>,
    limit: usize,
    opts: &ReadOptions,
    emit: &mut dyn FnMut(Outcome) -> bool,
) {
    let mut bytes = Vec::new();
    let whole = match (&mut reader).take(limit as u64 + 1).read_to_end(&mut bytes) {
        Ok(n) if n > limit => Err(format!(
            "a JSON document larger than {limit} bytes; write it as JSON lines (one object per line) instead"
        )),
        Ok(_) => Ok(()),
        Err(e) => Err(format!("cannot read: {e}")),
    };
    if let Err(reason) = whole {
        emit(Outcome::skipped(file_id, source, bytes.len(), reason));
        return;
    }
    let mut values = Vec::new();
    let mut stream = serde_json::Deserializer::from_slice(&bytes).into_iter::<Value>();
    let failure = loop {
        match stream.next() {
            None => break None,
            Some(Ok(Value::Array(items))) => values.extend(items),
            Some(Ok(v)) => values.push(v),
            Some(Err(e)) => break Some(e),
        }
    };
    let single = values.len() == 1 && bytes.trim_ascii_start().first() == Some(&b'{');
    for (i, v) in values.into_iter().enumerate() {
        let n = i + 1;
        let (id, src) = if single {
            (file_id.to_string(), source.to_string())
        } else {
            (format!("{file_id}#{n}"), format!("{source}#{n}"))
        };
        let outcome = match v {
            Value::Object(obj) => {
                record(obj, id, &src, &format!("record {n}"), 0, Vec::new(), opts)
            }
            _ => Outcome::skipped(&id, &src, 0, format!("record {n}: not a JSON object")),
        };
        if !emit(outcome) {
            return;
        }
    }
    if let Some(e) = failure {
        emit(Outcome::skipped(
            file_id,
            source,
            bytes.len(),
            format!("not JSON at line {}, column {}: {e}", e.line(), e.column()),
        ));
    }
}

/// True when `head` (the start of a `.json` file) is JSON lines rather than
/// one document: its first line is a whole JSON value.
pub fn looks_like_lines(head: &[u8]) -> bool {
    let head = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .trim_ascii_start();
    if head.starts_with(b"[") {
        return false;
    }
    match memchr::memchr(b'\n', head) {
        Some(end) => serde_json::from_slice::<serde::de::IgnoredAny>(&head[..end]).is_ok(),
        // One line only, or a first line longer than what was looked at.
        None => {
            serde_json::from_slice::<serde::de::IgnoredAny>(head).is_ok() || head.len() >= 1 << 16
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], opts: &ReadOptions) -> Vec<Outcome> {
        let mut out = Vec::new();
        read("dump", "dump.jsonl", 1, Box::new(input), opts, &mut |o| {
            out.push(o);
            true
        });
        out
    }

    #[test]
    fn records_fields_and_errors() {
        let input = b"{\"id\":\"a1\",\"title\":\"India, France sign\",\"body\":\"Text one.\",\"published\":\"2024-02-20T10:00:00Z\",\"url\":\"https://x/a\"}\n\
\n\
not json\n\
{\"id\":7,\"headline\":\"No text\"}\r\n\
{\"text\":\"Bad \xff byte.\"}";
        let got = all(input, &ReadOptions::default());
        assert_eq!(got.len(), 4);
        match &got[0] {
            Outcome::Ok(d) => {
                assert_eq!(d.id, "a1");
                assert_eq!(d.text, "India, France sign\n\nText one.");
                assert_eq!(d.date.as_deref(), Some("2024-02-20T10:00:00Z"));
                assert_eq!(d.url.as_deref(), Some("https://x/a"));
                assert_eq!(d.source, "dump.jsonl:1");
            }
            o => panic!("{o:?}"),
        }
        assert!(
            matches!(&got[1], Outcome::Skipped { id, reason, .. } if id == "dump:3" && reason.starts_with("line 3: not JSON"))
        );
        assert!(
            matches!(&got[2], Outcome::Skipped { id, reason, .. } if id == "7" && reason.contains("no text field"))
        );
        match &got[3] {
            Outcome::Ok(d) => {
                assert_eq!(d.id, "dump:5");
                assert_eq!(d.text, "Bad \u{FFFD} byte.");
                assert!(d.warnings[0].contains("line 5"));
            }
            o => panic!("{o:?}"),
        }
        let strict = ReadOptions {
            strict_utf8: true,
            ..ReadOptions::default()
        };
        assert!(matches!(&all(input, &strict)[3], Outcome::Skipped { .. }));
    }

    #[test]
    fn chosen_fields_and_long_lines() {
        let opts = ReadOptions {
            fields: Fields {
                text: Some("story".into()),
                id: Some("key".into()),
                ..Fields::default()
            },
            max_article_bytes: 60,
            ..ReadOptions::default()
        };
        let long = format!("{{\"key\":\"l\",\"story\":\"{}\"}}", "x".repeat(200));
        let input = format!(
            "{{\"key\":\"k\",\"text\":\"ignored\",\"story\":\"Kept.\"}}\n{long}\n{{\"key\":\"after\",\"story\":\"Still read.\"}}\n"
        );
        let got = all(input.as_bytes(), &opts);
        assert_eq!(got.len(), 3);
        assert!(matches!(&got[0], Outcome::Ok(d) if d.id == "k" && d.text == "Kept."));
        assert!(
            matches!(&got[1], Outcome::Skipped { reason, .. } if reason.contains("longer than the limit"))
        );
        assert!(matches!(&got[2], Outcome::Ok(d) if d.id == "after"));
    }
}
