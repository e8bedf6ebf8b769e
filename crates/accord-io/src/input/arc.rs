//! ARC files (`.arc`, `.arc.gz`), the Internet Archive's format before
//! WARC: a version block, then records of one header line
//! (`URL IP-address Archive-date Content-type Archive-length`, and in
//! version 2 more fields before the length, which is always last) followed by
//! that many bytes: the HTTP response as fetched.
//!
//! Each HTTP response with a 2xx status and an HTML page becomes an article,
//! as a WARC `response` record does ([`super::warc`]); its doc_id is
//! `<file>#<record>`, since ARC records have no id of their own. `dns:` and
//! `filedesc:` records pass silently. A header line that cannot be read is
//! reported by record number and reading goes on at the next line that
//! reads as a record header.

use std::io::BufRead;

use super::gzmembers::{self, Damage};
use super::warc::{self, HttpPage, Scanner};
use super::{Outcome, ReadOptions};

/// A record header: address, archive date, content type, length.
fn header(line: &[u8]) -> Option<(String, String, String, usize)> {
    let line = String::from_utf8_lossy(line);
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.len() < 5 || !fields[0].contains(':') {
        return None;
    }
    let len = fields.last()?.parse().ok()?;
    Some((
        fields[0].to_string(),
        fields[2].to_string(),
        fields[3].to_string(),
        len,
    ))
}

/// `20140216050221` as `2014-02-16T05:02:21Z`.
fn arc_date(d: &str) -> Option<String> {
    let d = d.as_bytes();
    (d.len() == 14 && d.iter().all(u8::is_ascii_digit)).then(|| {
        let s = |a: usize, b: usize| String::from_utf8_lossy(&d[a..b]).into_owned();
        format!(
            "{}-{}-{}T{}:{}:{}Z",
            s(0, 4),
            s(4, 6),
            s(6, 8),
            s(8, 10),
            s(10, 12),
            s(12, 14)
        )
    })
}

/// Read a whole ARC stream. `damage` is the log of the gzip members passed
/// over under `reader` ([`super::detect::Decompressed`]); its notes are
/// added to the report of the record they cut, as in [`super::warc`].
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
    let mut lost = false;
    let limit = warc::block_limit(opts);
    // A reason followed by the damage noted since the last report.
    let with_damage = |mut reason: String| {
        for e in gzmembers::drain(damage) {
            reason.push_str(&format!("; {e}"));
        }
        reason
    };
    while let Some(line) = s.line(1 << 20) {
        if line.trim_ascii().is_empty() {
            continue;
        }
        let Some((url, date, content_type, len)) = header(line.trim_ascii()) else {
            if !lost {
                lost = true;
                let what = with_damage(format!(
                    "ARC record {}: its header line cannot be read; skipping to the next one",
                    n + 1
                ));
                let id = format!("{file_id}#{}", n + 1);
                if !emit(Outcome::skipped(
                    &id,
                    &format!("{source}#{}", n + 1),
                    0,
                    what,
                )) {
                    return;
                }
            }
            continue;
        };
        lost = false;
        n += 1;
        let id = format!("{file_id}#{n}");
        let rec_source = format!("{source}#{n}");
        // Damage noted by now came before this record's block.
        let before = with_damage(String::new());
        if !before.is_empty() {
            let what =
                format!("ARC record {n}: a damaged gzip member was skipped before it{before}");
            if !emit(Outcome::skipped(&id, &rec_source, 0, what)) {
                return;
            }
        }
        let keep = len <= limit;
        let (block, got) = s.take(len, keep);
        if got < len {
            emit(Outcome::skipped(
                &id,
                &rec_source,
                got,
                with_damage(format!(
                    "ARC record {n}: the file ends inside it ({got} of its {len} bytes are there)"
                )),
            ));
            return;
        }
        // Damage noted while the block was read cut it: what was taken
        // runs into the next member. ARC has no record marker, so the
        // block is read again for the next line that reads as a header.
        let cut = with_damage(String::new());
        if !cut.is_empty() {
            if keep {
                s.unread(&block);
            }
            lost = true;
            let what = format!(
                "ARC record {n}: a damaged gzip member cut it{cut}; skipping to the next header line"
            );
            if !emit(Outcome::skipped(&id, &rec_source, 0, what)) {
                return;
            }
            continue;
        }
        let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            continue; // filedesc: (the version block), dns:, ...
        }
        let outcome = if !keep {
            Outcome::skipped(
                &id,
                &rec_source,
                len,
                format!("ARC record {n}: {}", warc::too_large(opts)),
            )
        } else {
            let page = HttpPage {
                fallback_type: Some(content_type),
                url: Some(url),
                date: arc_date(&date),
            };
            page.read(&id, &rec_source, &format!("ARC record {n}"), &block, opts)
        };
        if !emit(outcome) {
            return;
        }
    }
    let damaged = with_damage(String::new());
    let what = match s.error.take() {
        Some(e) => format!("cannot read further: {e}"),
        None if !damaged.is_empty() => {
            format!("a damaged gzip member was skipped after record {n}")
        }
        None => return,
    };
    emit(Outcome::skipped(
        &format!("{file_id}#{}", n + 1),
        &format!("{source}#{}", n + 1),
        0,
        format!("ARC record {}: {what}{damaged}", n + 1),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records() {
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<title>T</title><p>India and France.</p>";
        let vblock = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n";
        let mut arc = format!(
            "filedesc://t.arc 0.0.0.0 20140216050221 text/plain {}\n",
            vblock.len()
        )
        .into_bytes();
        arc.extend(vblock);
        arc.extend(b"\n");
        arc.extend(
            format!(
                "http://a.example/ 1.2.3.4 20140216050221 text/html {}\n",
                page.len()
            )
            .into_bytes(),
        );
        arc.extend(page);
        arc.extend(b"\n");
        let mut out = Vec::new();
        read(
            "t",
            "t.arc",
            Box::new(&arc[..]),
            &Damage::default(),
            &ReadOptions::default(),
            &mut |o| {
                out.push(o);
                true
            },
        );
        assert_eq!(out.len(), 1, "{out:?}");
        match &out[0] {
            Outcome::Ok(d) => {
                assert_eq!(d.id, "t#2");
                assert_eq!(d.text, "T\n\nIndia and France.");
                assert_eq!(d.url.as_deref(), Some("http://a.example/"));
                assert_eq!(d.date.as_deref(), Some("2014-02-16T05:02:21Z"));
            }
            o => panic!("{o:?}"),
        }
    }
}
