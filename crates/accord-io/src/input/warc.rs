//! WARC files (as in Common Crawl's CC-NEWS): each `response` record whose
//! HTTP payload is an HTML page becomes one article, read like an `.html`
//! file, with the record's target URI and date.
//!
//! Records are read with the `warc` crate and HTTP heads with `httparse`.
//! Records of other types (`warcinfo`, `request`, `metadata`) are not
//! articles and pass silently; a response that is not HTML is reported as a
//! skipped article. A record the reader cannot parse (a wrong length, a
//! truncated file) is reported with its number; the records after it cannot
//! be found reliably, so reading that file stops there.

use std::io::BufRead;

use warc::{WarcHeader, WarcReader};

use super::{Outcome, ReadOptions};

/// Read a whole WARC stream.
pub fn read(
    file_id: &str,
    source: &str,
    reader: Box<dyn BufRead + Send + '_>,
    opts: &ReadOptions,
    emit: &mut dyn FnMut(Outcome) -> bool,
) {
    for (i, rec) in WarcReader::new(reader).iter_raw_records().enumerate() {
        let n = i + 1;
        let rec_source = format!("{source}#{n}");
        let (head, body) = match rec {
            Ok(r) => r,
            Err(e) => {
                emit(Outcome::skipped(
                    &format!("{file_id}#{n}"),
                    &rec_source,
                    0,
                    format!("WARC record {n}: {e}; the rest of the file is not read"),
                ));
                return;
            }
        };
        let headers = head.as_ref();
        let get = |h: WarcHeader| {
            headers
                .get(&h)
                .map(|v| String::from_utf8_lossy(v).trim().to_string())
        };
        if get(WarcHeader::WarcType).as_deref() != Some("response") {
            continue;
        }
        let id = get(WarcHeader::RecordID)
            .map(|r| {
                r.trim_start_matches('<')
                    .trim_end_matches('>')
                    .trim_start_matches("urn:uuid:")
                    .to_string()
            })
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| format!("{file_id}#{n}"));
        let outcome = match http_payload(&body) {
            Err(reason) => Outcome::skipped(
                &id,
                &rec_source,
                body.len(),
                format!("WARC record {n}: {reason}"),
            ),
            Ok((content_type, _)) if !is_html(&content_type) => Outcome::skipped(
                &id,
                &rec_source,
                body.len(),
                format!(
                    "WARC record {n}: not HTML (content type {})",
                    if content_type.is_empty() {
                        "missing"
                    } else {
                        &content_type
                    }
                ),
            ),
            Ok((_, page)) if page.len() > opts.max_article_bytes => Outcome::skipped(
                &id,
                &rec_source,
                page.len(),
                format!(
                    "WARC record {n}: page larger than the limit of {} bytes (--max-article-bytes)",
                    opts.max_article_bytes
                ),
            ),
            Ok((_, page)) => {
                let mut o = super::from_html(&id, &rec_source, page, opts);
                if let Outcome::Ok(d) = &mut o {
                    if d.url.is_none() {
                        d.url = get(WarcHeader::TargetURI);
                    }
                    if d.date.is_none() {
                        d.date = get(WarcHeader::Date);
                    }
                }
                o
            }
        };
        if !emit(outcome) {
            return;
        }
    }
}

fn is_html(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    ct.starts_with("text/html") || ct.starts_with("application/xhtml")
}

/// Split an HTTP response into its content type and body.
fn http_payload(record: &[u8]) -> std::result::Result<(String, &[u8]), String> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    match resp.parse(record) {
        Ok(httparse::Status::Complete(len)) => {
            let ct = resp
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-type"))
                .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
                .unwrap_or_default();
            Ok((ct, &record[len..]))
        }
        Ok(httparse::Status::Partial) => Err("truncated HTTP response head".into()),
        Err(e) => Err(format!("bad HTTP response head: {e}")),
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
        let mut out = Vec::new();
        read(
            "cc",
            "cc.warc",
            Box::new(std::io::Cursor::new(input)),
            &ReadOptions::default(),
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
            matches!(&got[1], Outcome::Skipped { reason, .. } if reason.starts_with("WARC record 2:"))
        );
    }
}
