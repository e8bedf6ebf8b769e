//! WARC files (as in Common Crawl's CC-NEWS, and as wget, Heritrix,
//! warcprox, pywb and warcio write them): each `response` record whose HTTP
//! payload is an HTML page with a 2xx status becomes one article, read like
//! an `.html` file, with the record's target URI and date.
//!
//! Records are framed by their `Content-Length`. Lines may end in LF, CR LF
//! or CR CR LF; a missing record trailer (the two CR LFs after a block) is
//! tolerated. A record whose length does not end where the next record
//! starts, a header that cannot be read, or a file that ends inside a record
//! is reported by its number, and reading goes on at the next line that
//! starts with `WARC/` (in a gzipped WARC, a damaged gzip member is skipped
//! for the next one first; see [`super::gzmembers`]).
//!
//! Records of other types (`warcinfo`, `request`, `metadata`, `revisit`) and
//! responses that are not HTTP (`dns:`) are not articles and pass silently.
//! An HTTP response with a status other than 2xx, or that is not HTML, is
//! reported as a skipped article with the status or its content type (a
//! missing `Content-Type` falls back to `WARC-Identified-Payload-Type`). The
//! body is undone of chunked transfer and gzip, deflate or brotli content
//! encoding ([`super::http`]) and decoded in the charset the header or page
//! declares ([`super::charset`]).

use std::io::BufRead;

use super::gzmembers::{self, Damage};
use super::{Outcome, ReadOptions, http};

/// Longest WARC header we read (bytes); a longer one is damage.
const MAX_HEADER: usize = 1 << 20;

/// The largest record block (an HTTP response) that is read into memory:
/// a page of the article limit, with room for its HTTP header. A larger
/// block is passed over unread and its page reported by [`too_large`].
pub(super) fn block_limit(opts: &ReadOptions) -> usize {
    opts.max_article_bytes.saturating_add(1 << 16)
}

/// Why a page over the article limit is skipped.
pub(super) fn too_large(opts: &ReadOptions) -> String {
    format!(
        "page larger than the limit of {} bytes (--max-article-bytes)",
        opts.max_article_bytes
    )
}

/// Read a whole WARC stream. `damage` is the log of the gzip members
/// passed over under `reader` ([`super::detect::Decompressed`]); its notes
/// are added to the report of the record they cut.
pub fn read(
    file_id: &str,
    source: &str,
    reader: Box<dyn BufRead + Send + '_>,
    damage: &Damage,
    opts: &ReadOptions,
    emit: &mut dyn FnMut(Outcome) -> bool,
) {
    let mut s = Scanner::new(reader);
    let mut n = 0usize;
    let mut lost = false; // between a bad record and the next header
    let take_damage = || gzmembers::drain(damage);
    let report = |n: usize, what: String, extra: Vec<String>| {
        let mut reason = format!("WARC record {n}: {what}");
        for e in extra {
            reason.push_str(&format!("; {e}"));
        }
        Outcome::skipped(
            &format!("{file_id}#{n}"),
            &format!("{source}#{n}"),
            0,
            reason,
        )
    };
    while let Some(line) = s.line(MAX_HEADER) {
        if trim_end(&line).is_empty() {
            continue;
        }
        if !line.starts_with(b"WARC/") {
            if !lost {
                lost = true;
                let what = format!(
                    "no WARC header where record {} should start; skipping to the next line that starts with WARC/",
                    n + 1
                );
                if !emit(report(n + 1, what, take_damage())) {
                    return;
                }
            }
            continue;
        }
        lost = false;
        n += 1;
        let rec = match record(&mut s, block_limit(opts)) {
            Ok(r) => r,
            Err(why) => {
                lost = true;
                if !emit(report(n, why, take_damage())) {
                    return;
                }
                continue;
            }
        };
        let damaged = take_damage();
        if !damaged.is_empty() {
            let what = "a damaged gzip member was skipped before the next record".into();
            if !emit(report(n, what, damaged)) {
                return;
            }
        }
        if let Some(outcome) = article(file_id, source, n, &rec, opts)
            && !emit(outcome)
        {
            return;
        }
    }
    let mut tail = take_damage();
    if let Some(e) = s.error.take() {
        tail.push(format!("cannot read further: {e}"));
    }
    if !tail.is_empty() {
        let what = format!("the file cannot be read after record {n}");
        emit(report(n + 1, what, tail));
    }
}

/// A WARC record: its header fields and block.
struct Record {
    headers: Vec<(String, String)>,
    /// `None` when the block is larger than [`block_limit`] and was
    /// passed over unread (an empty block is `Some` of nothing).
    block: Option<Vec<u8>>,
}

impl Record {
    /// The value of the first header field named `name` (any case).
    fn get(&self, name: &str) -> Option<&str> {
        http::field(&self.headers, name)
    }
}

/// Read the rest of a record whose `WARC/` line was just read. On an error
/// the scanner is left where the next header may be searched for.
fn record(s: &mut Scanner<'_>, max_block: usize) -> Result<Record, String> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut head_bytes = Vec::new();
    loop {
        let Some(line) = s.line(MAX_HEADER) else {
            return Err("the file ends inside the record's header".into());
        };
        head_bytes.extend_from_slice(&line);
        let l = trim_end(&line);
        if l.is_empty() {
            break;
        }
        if l.starts_with(b"WARC/") || head_bytes.len() > MAX_HEADER {
            s.unread(&line);
            return Err("its header has no end (no blank line)".into());
        }
        http::add_field(&mut headers, l);
    }
    let rec = Record {
        headers,
        block: None,
    };
    let Some(len) = rec.get("content-length") else {
        return Err("its header has no Content-Length".into());
    };
    let Ok(len) = len.parse::<usize>() else {
        return Err(format!("its Content-Length {len:?} is not a number"));
    };
    // A block too large to hold is passed over unread; its end is checked
    // like any other.
    let keep = len <= max_block;
    let (block, got) = s.take(len, keep);
    if got < len {
        if keep {
            s.unread(&block);
        }
        return Err(format!(
            "its Content-Length ({len}) runs past the end of the file ({got} bytes follow); the record is cut or its length wrong"
        ));
    }
    match s.at_next_record() {
        true => Ok(Record {
            block: keep.then_some(block),
            ..rec
        }),
        false => {
            if keep {
                s.unread(&block);
            }
            Err(format!(
                "its Content-Length ({len}) does not end where a record ends; skipping to the next line that starts with WARC/"
            ))
        }
    }
}

/// What a well-framed record gives: an article, a skipped one, or nothing.
fn article(
    file_id: &str,
    source: &str,
    n: usize,
    rec: &Record,
    opts: &ReadOptions,
) -> Option<Outcome> {
    if !rec
        .get("warc-type")
        .is_some_and(|t| t.eq_ignore_ascii_case("response"))
    {
        return None;
    }
    let rec_source = format!("{source}#{n}");
    let id = rec
        .get("warc-record-id")
        .map(|r| {
            r.trim_start_matches('<')
                .trim_end_matches('>')
                .trim_start_matches("urn:uuid:")
                .to_string()
        })
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| format!("{file_id}#{n}"));
    // Responses that are not HTTP (`dns:` lookups, `text/dns`) are not pages.
    let is_http = match rec.get("content-type") {
        Some(ct) => ct.to_ascii_lowercase().starts_with("application/http"),
        None => rec.block.as_ref().is_some_and(|b| b.starts_with(b"HTTP/")),
    };
    if !is_http {
        return None;
    }
    let skip = |bytes: usize, why: String| {
        Outcome::skipped(&id, &rec_source, bytes, format!("WARC record {n}: {why}"))
    };
    let Some(block) = &rec.block else {
        return Some(skip(0, too_large(opts)));
    };
    let page = HttpPage {
        fallback_type: rec.get("warc-identified-payload-type").map(str::to_string),
        url: rec.get("warc-target-uri").map(str::to_string),
        date: rec.get("warc-date").map(str::to_string),
    };
    Some(page.read(&id, &rec_source, &format!("WARC record {n}"), block, opts))
}

/// What an archive record says about the HTTP response it holds.
pub(crate) struct HttpPage {
    /// The content type to take when the response has none.
    pub fallback_type: Option<String>,
    /// The address the page was fetched from.
    pub url: Option<String>,
    /// When it was fetched (not the page's own date).
    pub date: Option<String>,
}

impl HttpPage {
    /// One article from an archived HTTP response (`block`), or the reason
    /// it is not one, prefixed with `what` (`WARC record 3`).
    pub(crate) fn read(
        &self,
        id: &str,
        source: &str,
        what: &str,
        block: &[u8],
        opts: &ReadOptions,
    ) -> Outcome {
        let skip = |bytes: usize, why: String| {
            Outcome::skipped(id, source, bytes, format!("{what}: {why}"))
        };
        let resp = match http::parse(block) {
            Ok(r) => r,
            Err(why) => return skip(block.len(), why),
        };
        if !(200..300).contains(&resp.status) {
            return skip(
                resp.body.len(),
                http::status_reason(resp.status, &resp.reason),
            );
        }
        let content_type = resp
            .header("content-type")
            .map(str::to_string)
            .filter(|c| !c.is_empty())
            .or_else(|| self.fallback_type.clone())
            .unwrap_or_default();
        if !is_html(&content_type) {
            return skip(
                resp.body.len(),
                format!(
                    "not HTML (content type {})",
                    if content_type.is_empty() {
                        "missing"
                    } else {
                        &content_type
                    }
                ),
            );
        }
        if resp.body.len() > opts.max_article_bytes {
            return skip(resp.body.len(), too_large(opts));
        }
        let (page, notes) = match resp.decoded_body(opts.max_article_bytes) {
            Ok(x) => x,
            Err(why) => return skip(resp.body.len(), why),
        };
        let charset = http::charset_param(&content_type);
        let mut o = super::from_html_declared(id, source, &page, charset.as_deref(), opts);
        if let Outcome::Ok(d) = &mut o {
            d.warnings.splice(0..0, notes);
            if d.url.is_none() {
                d.url = self.url.clone();
            }
            if d.date.is_none()
                && let Some(crawled) = &self.date
            {
                d.warnings.push(format!(
                    "the page gives no date; the crawl date {crawled} is used"
                ));
                d.date = Some(crawled.clone());
            }
        }
        o
    }
}

fn is_html(content_type: &str) -> bool {
    let ct = content_type.trim_start().to_ascii_lowercase();
    ct.starts_with("text/html") || ct.starts_with("application/xhtml")
}

/// A line without its end of CR and LF bytes.
fn trim_end(line: &[u8]) -> &[u8] {
    let mut l = line;
    while let [head @ .., b'\r' | b'\n'] = l {
        l = head;
    }
    l
}

/// A byte stream with push-back, so that a record found to be badly framed
/// can be searched again for the next header.
pub(super) struct Scanner<'a> {
    inner: Box<dyn BufRead + Send + 'a>,
    /// Bytes given back, read before `inner` (in order).
    back: Vec<u8>,
    /// The read error that ended the stream, if any.
    pub(super) error: Option<std::io::Error>,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(inner: Box<dyn BufRead + Send + 'a>) -> Self {
        Scanner {
            inner,
            back: Vec::new(),
            error: None,
        }
    }

    /// The next line with its end (at most `max` bytes); `None` at the end.
    pub(super) fn line(&mut self, max: usize) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        if !self.back.is_empty() {
            let end = memchr::memchr(b'\n', &self.back)
                .map(|i| i + 1)
                .unwrap_or(self.back.len());
            out.extend(self.back.drain(..end));
            if out.ends_with(b"\n") {
                return Some(out);
            }
        }
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.error = Some(e);
                    break;
                }
            };
            if buf.is_empty() {
                break;
            }
            let (n, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            if out.len() < max {
                out.extend_from_slice(&buf[..n]);
            }
            self.inner.consume(n);
            if done {
                break;
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// Read `len` bytes (kept only when `keep`); the count actually there.
    pub(super) fn take(&mut self, len: usize, keep: bool) -> (Vec<u8>, usize) {
        let mut out = Vec::new();
        let from_back = len.min(self.back.len());
        let mut got = from_back;
        if keep {
            out.extend(self.back.drain(..from_back));
        } else {
            self.back.drain(..from_back);
        }
        while got < len {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.error = Some(e);
                    break;
                }
            };
            if buf.is_empty() {
                break;
            }
            let n = buf.len().min(len - got);
            if keep {
                out.extend_from_slice(&buf[..n]);
            }
            self.inner.consume(n);
            got += n;
        }
        (out, got)
    }

    /// Give bytes back, to be read again first.
    pub(super) fn unread(&mut self, bytes: &[u8]) {
        let mut v = bytes.to_vec();
        v.append(&mut self.back);
        self.back = v;
    }

    /// After a block: skip the record trailer (any CR and LF bytes) and
    /// tell whether the stream ends or a `WARC/` line follows. What was
    /// looked at is given back when it is not a record's end.
    fn at_next_record(&mut self) -> bool {
        let mut seen = Vec::new();
        loop {
            let Some(b) = self.peek_byte() else {
                return true;
            };
            if b == b'\r' || b == b'\n' {
                seen.push(b);
                self.skip_byte();
                continue;
            }
            let mut probe = [0u8; 5];
            let (got, n) = self.take(5, true);
            probe[..n].copy_from_slice(&got[..n]);
            self.unread(&got);
            if &probe[..n] == b"WARC/" {
                return true;
            }
            self.unread(&seen);
            return false;
        }
    }

    fn peek_byte(&mut self) -> Option<u8> {
        if let Some(&b) = self.back.first() {
            return Some(b);
        }
        loop {
            match self.inner.fill_buf() {
                Ok(b) => return b.first().copied(),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.error = Some(e);
                    return None;
                }
            }
        }
    }

    fn skip_byte(&mut self) {
        if self.back.is_empty() {
            self.inner.consume(1);
        } else {
            self.back.remove(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WARC record with `body` as its block.
    pub(crate) fn record(kind: &str, id: &str, uri: &str, body: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2024-02-21T08:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn all(input: Vec<u8>) -> Vec<Outcome> {
        all_with(input, &ReadOptions::default())
    }

    fn all_with(input: Vec<u8>, opts: &ReadOptions) -> Vec<Outcome> {
        let mut out = Vec::new();
        read(
            "cc",
            "cc.warc",
            Box::new(std::io::Cursor::new(input)),
            &Damage::default(),
            opts,
            &mut |o| {
                out.push(o);
                true
            },
        );
        out
    }

    #[test]
    fn html_responses_become_articles() {
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head><title>T</title></head><body><p>India and France.</p></body></html>";
        let png = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
        let mut w = record("warcinfo", "0", "", b"software: x\r\n");
        w.extend(record("response", "1111", "https://a.example/1", page));
        w.extend(record(
            "response",
            "2222",
            "https://a.example/logo.png",
            png,
        ));
        let got = all(w);
        assert_eq!(got.len(), 2, "{got:?}");
        match &got[0] {
            Outcome::Ok(d) => {
                assert_eq!(d.id, "1111");
                assert_eq!(d.text, "T\n\nIndia and France.");
                assert_eq!(d.url.as_deref(), Some("https://a.example/1"));
                assert_eq!(d.date.as_deref(), Some("2024-02-21T08:00:00Z"));
                assert_eq!(d.source, "cc.warc#2");
            }
            o => panic!("{o:?}"),
        }
        assert!(
            matches!(&got[1], Outcome::Skipped { id, reason, .. } if id == "2222" && reason.contains("not HTML (content type image/png)"))
        );
    }

    #[test]
    fn a_wrong_length_is_reported() {
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>";
        let mut w = record("response", "1", "u", page);
        let bad = String::from_utf8(record("response", "2", "u", page))
            .unwrap()
            .replace(
                &format!("Content-Length: {}", page.len()),
                "Content-Length: 9999",
            );
        w.extend(bad.into_bytes());
        let got = all(w);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(matches!(&got[0], Outcome::Ok(_)));
        assert!(
            matches!(&got[1], Outcome::Skipped { reason, .. } if reason.starts_with("WARC record 2:")
                && reason.contains("runs past the end of the file")),
            "{got:?}"
        );
    }

    #[test]
    fn an_empty_block_is_not_a_page_too_large() {
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>India and France.</p>";
        let opts = ReadOptions {
            max_article_bytes: 64,
            ..ReadOptions::default()
        };
        let big = [b"x".repeat((1 << 16) + 100).as_slice(), page].concat();
        for zero in ["0", "00"] {
            let empty = String::from_utf8(record("response", "empty", "u", b""))
                .unwrap()
                .replace(
                    "Content-Length: 0\r\n",
                    &format!("Content-Length: {zero}\r\n"),
                );
            let mut w = empty.into_bytes();
            w.extend(record("response", "big", "u", &big));
            w.extend(record("response", "ok", "u", page));
            let got = all_with(w, &opts);
            assert_eq!(got.len(), 3, "{zero}: {got:?}");
            assert!(
                matches!(&got[0], Outcome::Skipped { id, reason, .. } if id == "empty"
                    && reason == "WARC record 1: empty HTTP response"),
                "{zero}: {got:?}"
            );
            assert!(
                matches!(&got[1], Outcome::Skipped { id, reason, .. } if id == "big"
                    && reason == "WARC record 2: page larger than the limit of 64 bytes (--max-article-bytes)"),
                "{zero}: {got:?}"
            );
            assert!(
                matches!(&got[2], Outcome::Ok(d) if d.id == "ok"),
                "{zero}: {got:?}"
            );
        }
    }
}
