//! HTTP responses as archived in WARC and ARC records: the status line, the
//! head, and the body undone of its transfer and content encodings.
//!
//! Archived heads come from many crawlers and are read leniently: a line may
//! end in LF, CR LF or CR CR LF (pywb's test files); the status text may be
//! missing (`HTTP/1.0 302 `); `HTTP/2` and `HTTP/2.0` are valid versions.
//! The body is given back as the crawler saw it on the wire, so
//! `Transfer-Encoding: chunked` is undone first, then `Content-Encoding`
//! (`gzip`, `x-gzip`, `deflate`, `br`). A body that says it is chunked or
//! compressed but is not (some crawlers store it decoded and keep the
//! header) is read as it is, with a warning.

use std::io::Read;

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Response<'a> {
    /// The status code (`200`).
    pub status: u16,
    /// The status text, possibly empty (`OK`).
    pub reason: String,
    /// Header fields in order, names as written.
    pub headers: Vec<(String, String)>,
    /// The body as stored, still encoded.
    pub body: &'a [u8],
}

impl Response<'_> {
    /// The first header field with this name (any case), trimmed.
    pub fn header(&self, name: &str) -> Option<&str> {
        field(&self.headers, name)
    }

    /// The body undone of its transfer and content encodings, at most `max`
    /// bytes, with a warning for each encoding that turned out not to apply.
    /// An error names an encoding that could not be undone.
    pub fn decoded_body(&self, max: usize) -> Result<(Vec<u8>, Vec<String>), String> {
        let mut warnings = Vec::new();
        let chunked = self
            .header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        let mut body = if chunked {
            match dechunk(self.body) {
                Ok(b) => b,
                Err(why) => {
                    warnings.push(format!(
                        "HTTP body declared chunked but {why}; read as stored"
                    ));
                    self.body.to_vec()
                }
            }
        } else {
            self.body.to_vec()
        };
        let encodings: Vec<String> = self
            .header("content-encoding")
            .unwrap_or("")
            .split(',')
            .map(|e| e.trim().to_ascii_lowercase())
            .filter(|e| !e.is_empty() && e != "identity")
            .collect();
        // Encodings are listed in the order they were applied.
        for enc in encodings.iter().rev() {
            body = match decode_content(enc, &body, max) {
                Ok(b) => b,
                Err(Undo::NotEncoded) => {
                    warnings.push(format!(
                        "HTTP body declared {enc} but is not; read as stored"
                    ));
                    body
                }
                Err(Undo::Failed(why)) => return Err(why),
            };
        }
        Ok((body, warnings))
    }
}

/// Split one line off `rest` (without its end of CR and LF bytes).
fn line<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    if rest.is_empty() {
        return None;
    }
    let (l, after) = match memchr::memchr(b'\n', rest) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (*rest, &rest[rest.len()..]),
    };
    *rest = after;
    let mut l = l;
    while let [head @ .., b'\r'] = l {
        l = head;
    }
    Some(l)
}

/// Add one line of a head (HTTP's or a WARC record's, without its line
/// end) to `headers`: a `Name: value` field, or a continuation (a line that
/// starts with a space or tab) of the last one. Names and values are
/// trimmed; a line with no colon is passed over.
pub(super) fn add_field(headers: &mut Vec<(String, String)>, l: &[u8]) {
    if let [b' ' | b'\t', ..] = l
        && let Some(last) = headers.last_mut()
    {
        last.1.push(' ');
        last.1.push_str(String::from_utf8_lossy(l).trim());
    } else if let Some(colon) = memchr::memchr(b':', l) {
        headers.push((
            String::from_utf8_lossy(&l[..colon]).trim().to_string(),
            String::from_utf8_lossy(&l[colon + 1..]).trim().to_string(),
        ));
    }
}

/// The value of the first field named `name` (any case).
pub(super) fn field<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Parse an HTTP response head; the body is what follows the blank line.
pub fn parse(block: &[u8]) -> Result<Response<'_>, String> {
    let mut rest = block;
    let status_line = line(&mut rest).ok_or("empty HTTP response")?;
    let status_line = String::from_utf8_lossy(status_line);
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    let valid_version = version
        .strip_prefix("HTTP/")
        .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    if !valid_version {
        return Err(format!(
            "not an HTTP response (starts with {:?})",
            status_line.chars().take(40).collect::<String>()
        ));
    }
    let status = parts
        .next()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| (100..1000).contains(c))
        .ok_or_else(|| format!("bad HTTP status line {status_line:?}"))?;
    let reason = parts.next().unwrap_or("").trim().to_string();
    let mut headers: Vec<(String, String)> = Vec::new();
    // A head that ends with the block has no body (pywb's records of
    // redirects end so).
    while let Some(l) = line(&mut rest) {
        if l.is_empty() {
            break;
        }
        add_field(&mut headers, l);
    }
    Ok(Response {
        status,
        reason,
        headers,
        body: rest,
    })
}

/// Undo `Transfer-Encoding: chunked`. A body cut short keeps the chunks
/// read; one that does not start with a chunk size is not chunked.
pub fn dechunk(body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut first = true;
    loop {
        let Some(size_line) = line(&mut rest) else {
            // The body ends without the last (zero) chunk: keep what came.
            return if first {
                Err("is empty".into())
            } else {
                Ok(out)
            };
        };
        let hex = String::from_utf8_lossy(size_line);
        let hex = hex.split(';').next().unwrap_or("").trim();
        if hex.is_empty() && !first {
            continue;
        }
        let Ok(size) = usize::from_str_radix(hex, 16) else {
            return if first {
                Err("does not start with a chunk size".into())
            } else {
                Err(format!("has a bad chunk size {hex:?}"))
            };
        };
        first = false;
        if size == 0 {
            return Ok(out);
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        // The CR LF after the chunk's data.
        for _ in 0..2 {
            if let [b'\r' | b'\n', tail @ ..] = rest {
                rest = tail;
            }
        }
    }
}

enum Undo {
    /// The bytes are not in this encoding (stored decoded already).
    NotEncoded,
    /// They are, but cannot be decoded: the reason.
    Failed(String),
}

fn decode_content(enc: &str, body: &[u8], max: usize) -> Result<Vec<u8>, Undo> {
    let limit = max as u64 + 1;
    let mut out = Vec::new();
    let got = match enc {
        "gzip" | "x-gzip" => {
            if !body.starts_with(&[0x1f, 0x8b]) {
                return Err(Undo::NotEncoded);
            }
            flate2::read::MultiGzDecoder::new(body)
                .take(limit)
                .read_to_end(&mut out)
        }
        "deflate" => {
            // "deflate" is zlib by the standard, raw deflate by many servers.
            let zlib = flate2::read::ZlibDecoder::new(body)
                .take(limit)
                .read_to_end(&mut out);
            if zlib.is_ok() {
                zlib
            } else {
                out.clear();
                flate2::read::DeflateDecoder::new(body)
                    .take(limit)
                    .read_to_end(&mut out)
            }
        }
        "br" => brotli_decompressor::Decompressor::new(body, 1 << 16)
            .take(limit)
            .read_to_end(&mut out),
        other => {
            return Err(Undo::Failed(format!(
                "content encoded as {other:?}, which accord cannot decode"
            )));
        }
    };
    match got {
        Ok(n) if n as u64 >= limit => Err(Undo::Failed(format!(
            "page larger than the limit of {max} bytes once decompressed (--max-article-bytes)"
        ))),
        Ok(_) => Ok(out),
        Err(_) if looks_like_text(body) => Err(Undo::NotEncoded),
        Err(e) => Err(Undo::Failed(format!("cannot decode {enc} content: {e}"))),
    }
}

/// Stored bytes that read as markup or text rather than compressed data.
fn looks_like_text(body: &[u8]) -> bool {
    let head = &body[..body.len().min(512)];
    !head.is_empty()
        && head
            .iter()
            .all(|&b| b >= 0x20 || b == b'\n' || b == b'\r' || b == b'\t')
        && head.trim_ascii_start().first() == Some(&b'<')
}

/// The charset a `Content-Type` value declares (`text/html; charset=ISO-8859-1`).
pub fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

/// A short description of a status that is not an article.
pub fn status_reason(status: u16, reason: &str) -> String {
    let what = match status {
        300..=399 => "a redirect",
        400..=499 => "a client error",
        500..=599 => "a server error",
        _ => "not a page",
    };
    if reason.is_empty() {
        format!("HTTP status {status} ({what}, not an article)")
    } else {
        format!("HTTP status {status} {reason} ({what}, not an article)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn head_fields() {
        let mut h = Vec::new();
        for l in [
            &b" a continuation with nothing to continue: x"[..],
            b"Content-Type : text/html;",
            b"\t charset=utf-8 ",
            b"no colon here",
            b"X-Empty:",
            b"content-type: image/png",
        ] {
            add_field(&mut h, l);
        }
        let want = [
            ("a continuation with nothing to continue", "x"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("X-Empty", ""),
            ("content-type", "image/png"),
        ];
        let got: Vec<(&str, &str)> = h.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        assert_eq!(got, want);
        assert_eq!(field(&h, "CONTENT-TYPE"), Some("text/html; charset=utf-8"));
        assert_eq!(field(&h, "x-empty"), Some(""));
        assert_eq!(field(&h, "content-length"), None);
    }

    #[test]
    fn heads_from_many_crawlers() {
        let r = parse(b"HTTP/1.0 302 \r\r\nLocation: x\r\r\n\r\r\nbody").unwrap();
        assert_eq!((r.status, r.reason.as_str()), (302, ""));
        assert_eq!(r.header("location"), Some("x"));
        assert_eq!(r.body, b"body");
        let r = parse(b"HTTP/2 200\nContent-Type: text/html\n  ; charset=utf-8\n\n<p>").unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("text/html ; charset=utf-8"));
        assert!(
            parse(b"HTTP/1.1 200 OK\r\nA: b\r\n")
                .unwrap()
                .body
                .is_empty()
        );
        assert!(parse(b"20080430204825\nwww.archive.org.").is_err());
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"4\r\nIndi\r\n5;x=y\r\na and\r\n0\r\n\r\n").unwrap(),
            b"India and"
        );
        assert_eq!(dechunk(b"4\r\nIndi\r\n").unwrap(), b"Indi");
        assert!(dechunk(b"<html>").is_err());
    }

    #[test]
    fn content_encodings() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"<p>India</p>").unwrap();
        let gz = gz.finish().unwrap();
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"<p>India</p>").unwrap();
        let z = z.finish().unwrap();
        for (enc, body) in [("gzip", gz), ("deflate", z)] {
            let mut block =
                format!("HTTP/1.1 200 OK\r\nContent-Encoding: {enc}\r\n\r\n").into_bytes();
            block.extend(body);
            let r = parse(&block).unwrap();
            assert_eq!(r.decoded_body(1000).unwrap().0, b"<p>India</p>", "{enc}");
        }
        let r = parse(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n<p>stored</p>").unwrap();
        let (body, warnings) = r.decoded_body(1000).unwrap();
        assert_eq!(body, b"<p>stored</p>");
        assert!(warnings[0].contains("declared gzip"));
        assert_eq!(
            charset_param("text/html; charset=\"ISO-8859-1\"").as_deref(),
            Some("ISO-8859-1")
        );
    }
}
