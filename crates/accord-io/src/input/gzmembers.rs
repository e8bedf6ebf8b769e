//! A gzip reader that survives a damaged member.
//!
//! A `.warc.gz` is written one gzip member per record, so that a reader can
//! start at any record. [`GzMembers`] decodes the members one after another
//! like `MultiGzDecoder`, but when a member cannot be decoded it notes why
//! in its [`GzMembers::damage`] log, looks for the next gzip header in the
//! raw bytes and goes on from there, instead of ending the stream.
//! [`super::detect::decompress`] reads all gzip input through it; the WARC
//! and ARC readers report the damage with the record that was cut, and the
//! other readers report each damaged member as a skipped article.

use std::io::{BufRead, Read};
use std::sync::{Arc, Mutex};

use flate2::bufread::GzDecoder;

/// The log of damaged members, shared with the reader of the records.
pub type Damage = Arc<Mutex<Vec<String>>>;

/// See the module documentation.
pub struct GzMembers<R: BufRead> {
    state: Option<State<R>>,
    member: usize,
    damage: Damage,
}

enum State<R: BufRead> {
    Between(R),
    In(Box<GzDecoder<R>>),
}

/// Empty the log, returning what it held (nothing when it cannot be locked).
pub fn drain(damage: &Damage) -> Vec<String> {
    damage
        .lock()
        .map(|mut d| std::mem::take(&mut *d))
        .unwrap_or_default()
}

impl<R: BufRead> GzMembers<R> {
    /// Decode the gzip members of `raw`.
    pub fn new(raw: R) -> Self {
        GzMembers {
            state: Some(State::Between(raw)),
            member: 0,
            damage: Damage::default(),
        }
    }

    /// The log of members that could not be decoded.
    pub fn damage(&self) -> Damage {
        self.damage.clone()
    }

    fn note(&self, what: String) {
        if let Ok(mut d) = self.damage.lock() {
            d.push(what);
        }
    }
}

const MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// Consume bytes up to the next gzip header (or the end).
fn skip_to_member(r: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = memchr::memmem::find(buf, &MAGIC) {
            r.consume(i);
            return Ok(());
        }
        // Keep a possible header split across two reads.
        let keep = buf.len().min(MAGIC.len() - 1);
        let n = buf.len() - keep;
        if n == 0 {
            let len = buf.len();
            r.consume(len);
        } else {
            r.consume(n);
        }
    }
}

impl<R: BufRead> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            match self.state.take() {
                None => return Ok(0),
                Some(State::In(mut dec)) => match dec.read(buf) {
                    Ok(0) if !buf.is_empty() => {
                        self.state = Some(State::Between(dec.into_inner()));
                    }
                    Ok(n) => {
                        self.state = Some(State::In(dec));
                        return Ok(n);
                    }
                    Err(e) => {
                        let n = self.member;
                        let why = if e.kind() == std::io::ErrorKind::UnexpectedEof {
                            "the file ends inside it".to_string()
                        } else {
                            e.to_string()
                        };
                        self.note(format!("gzip member {n} cannot be decoded ({why})"));
                        let mut raw = dec.into_inner();
                        skip_to_member(&mut raw)?;
                        self.state = Some(State::Between(raw));
                    }
                },
                Some(State::Between(mut raw)) => {
                    let head = raw.fill_buf()?;
                    if head.is_empty() {
                        return Ok(0);
                    }
                    if !head.starts_with(&MAGIC[..head.len().min(3)]) {
                        self.note(format!(
                            "bytes that are not gzip after gzip member {}",
                            self.member
                        ));
                        raw.consume(1);
                        skip_to_member(&mut raw)?;
                        self.state = Some(State::Between(raw));
                        continue;
                    }
                    self.member += 1;
                    self.state = Some(State::In(Box::new(GzDecoder::new(raw))));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(b: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn a_damaged_member_costs_that_member() {
        let mut bad = gz(b"second member, long enough to be damaged in the middle");
        let mid = bad.len() / 2;
        bad[mid..mid + 4].copy_from_slice(b"\xff\xff\xff\xff");
        let mut file = gz(b"first;");
        file.extend(&bad);
        file.extend(gz(b"third;"));
        let mut r = GzMembers::new(std::io::BufReader::new(&file[..]));
        let damage = r.damage();
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        let out = String::from_utf8_lossy(&out);
        assert!(
            out.starts_with("first;") && out.ends_with("third;"),
            "{out}"
        );
        assert_eq!(damage.lock().unwrap().len(), 1, "{damage:?}");
    }
}
