//! Near-duplicate articles: one wire story republished by several outlets
//! under other headlines and with other page furniture.
//!
//! Each article's body (its content sentences, title and boilerplate left
//! out) is cut into overlapping five-word shingles; a MinHash signature of
//! 16 values estimates the Jaccard similarity of two shingle sets, and its 8
//! bands of 2 values are the keys of a locality-sensitive index. An article
//! whose bands match an earlier article's in at least `8 × t²` bands (an
//! estimated similarity of at least `t`, the threshold) is a duplicate of
//! that earlier article, in input order, so the result does not depend on the
//! thread count. Only first articles enter the index: about 100 bytes each.
//! An incremental run seeds the index with the first articles of earlier
//! runs (their sketches are kept in the manifest).
//! Articles of fewer than five words are not compared.

use std::collections::HashMap;

use accord_core::text::segment::Sentence;

/// Default similarity threshold.
pub const DEFAULT_THRESHOLD: f64 = 0.8;
const BANDS: usize = 8;
const ROWS: usize = 2;
const SHINGLE: usize = 5;

/// The band keys of an article's signature.
pub type Sketch = [u64; BANDS];

fn mix(mut x: u64) -> u64 {
    // splitmix64's finalizer.
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A word's hash: FNV-1a over its bytes, ASCII letters folded to lower case.
/// ([`word_hashes`] computes it inline; this is its definition, for the tests.)
#[cfg(test)]
fn word_hash(w: &str) -> u64 {
    w.bytes().fold(FNV_BASIS, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// FNV-1a offset basis: the hash of an empty word.
const FNV_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// Append the [`word_hash`] of each word of `text` to `out`: a word is a
/// run of alphanumeric characters, as `text.split(|c: char| !c.is_alphanumeric())`
/// cuts it, without empty pieces. One pass over the bytes: ASCII bytes are
/// classified directly, only other characters are decoded.
fn word_hashes(text: &str, out: &mut Vec<u64>) {
    let bytes = text.as_bytes();
    let (mut h, mut in_word) = (FNV_BASIS, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (alnum, len) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            // `i` is always a char boundary: it moves by whole characters.
            let c = text[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            (c.is_alphanumeric(), c.len_utf8())
        };
        if alnum {
            for &b in &bytes[i..i + len] {
                h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
            }
            in_word = true;
        } else if in_word {
            out.push(h);
            (h, in_word) = (FNV_BASIS, false);
        }
        i += len;
    }
    if in_word {
        out.push(h);
    }
}

/// The sketch of an article's body, or `None` when it is too short to compare.
///
/// The 16 MinHash values of a shingle come from one 64-bit hash by double
/// hashing (`h1 + i·h2`), which keeps the cost to an add and a compare per value.
pub fn sketch(text: &str, sentences: &[Sentence]) -> Option<Sketch> {
    let mut words: Vec<u64> = Vec::new();
    for s in sentences.iter().filter(|s| !s.is_title) {
        word_hashes(&text[s.start..s.end], &mut words);
    }
    if words.len() < SHINGLE {
        return None;
    }
    let mut mins = [u64::MAX; BANDS * ROWS];
    for win in words.windows(SHINGLE) {
        let h = mix(win.iter().fold(0u64, |h, &w| h.rotate_left(17) ^ w));
        let (h1, h2) = (h, mix(h) | 1);
        let mut v = h1;
        for m in mins.iter_mut() {
            *m = (*m).min(v);
            v = v.wrapping_add(h2);
        }
    }
    let mut out = [0u64; BANDS];
    for (b, key) in out.iter_mut().enumerate() {
        let mut h = mix(b as u64 + 1);
        for v in &mins[b * ROWS..(b + 1) * ROWS] {
            h = mix(h ^ v);
        }
        *key = h;
    }
    Some(out)
}

/// Hashes the index's keys, band keys already mixed by [`mix`]: one
/// multiply-rotate per word written instead of SipHash. The start value is
/// drawn per index from the standard library's random state, so inputs
/// crafted to collide cannot be prepared in advance; lookups compare whole
/// keys, so the hash changes the speed only, never the answer.
#[derive(Clone, Copy, Debug)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// Builds [`KeyHasher`]s from one random start value.
#[derive(Clone, Copy, Debug)]
struct KeyHash(u64);

impl Default for KeyHash {
    fn default() -> KeyHash {
        use std::hash::BuildHasher;
        KeyHash(std::collections::hash_map::RandomState::new().hash_one(0u64))
    }
}

impl std::hash::BuildHasher for KeyHash {
    type Hasher = KeyHasher;

    fn build_hasher(&self) -> KeyHasher {
        KeyHasher(self.0)
    }
}

/// The index of first articles seen in a run.
#[derive(Debug)]
pub struct Deduper {
    min_bands: usize,
    index: HashMap<(u8, u64), u32, KeyHash>,
    ids: Vec<String>,
}

impl Deduper {
    /// An empty index for similarity threshold `threshold` (0 < t ≤ 1).
    pub fn new(threshold: f64) -> Deduper {
        let min_bands = ((BANDS as f64) * threshold.powi(ROWS as i32)).ceil() as usize;
        Deduper {
            min_bands: min_bands.clamp(1, BANDS),
            index: HashMap::default(),
            ids: Vec::new(),
        }
    }

    /// The doc_id of the earlier article `sketch` duplicates, if any; else
    /// the article joins the index under `id`.
    ///
    /// An earlier version of the same article (an incremental run's seed
    /// with the same id) is not a duplicate of it.
    pub fn check(&mut self, id: &str, sketch: &Sketch) -> Option<String> {
        // At most one hit per band: a fixed array, no allocation per article.
        let mut hits = [(0u32, 0usize); BANDS];
        let mut n = 0;
        for (b, key) in sketch.iter().enumerate() {
            if let Some(&i) = self.index.get(&(b as u8, *key))
                && self.ids[i as usize] != id
            {
                match hits[..n].iter_mut().find(|(j, _)| *j == i) {
                    Some(h) => h.1 += 1,
                    None => {
                        hits[n] = (i, 1);
                        n += 1;
                    }
                }
            }
        }
        // Most bands in common; on a tie the earliest article.
        let best = hits[..n]
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .filter(|h| h.1 >= self.min_bands);
        if let Some(&(i, _)) = best {
            return Some(self.ids[i as usize].clone());
        }
        self.seed(id, sketch);
        None
    }

    /// Add a first article of an earlier run to the index, unchecked.
    pub fn seed(&mut self, id: &str, sketch: &Sketch) {
        let i = self.ids.len() as u32;
        self.ids.push(id.to_string());
        for (b, key) in sketch.iter().enumerate() {
            self.index.entry((b as u8, *key)).or_insert(i);
        }
    }

    /// Seed the index with the first articles of earlier runs, in doc_id
    /// order, so that the index is the same whatever order they come in.
    pub fn seed_all<'a>(&mut self, docs: impl IntoIterator<Item = (&'a String, &'a Sketch)>) {
        let mut docs: Vec<(&String, &Sketch)> = docs.into_iter().collect();
        docs.sort();
        for (id, sketch) in docs {
            self.seed(id, sketch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sk(text: &str) -> Sketch {
        let seg = accord_core::text::segment::segment(text);
        sketch(text, &seg.sentences).unwrap()
    }

    #[test]
    fn word_hashes_cut_words_as_splitting_on_non_alphanumeric_characters_does() {
        for text in [
            "",
            " ",
            "India",
            "India and France, on 12 March 2024: the ISRO-CNES pact.",
            "  leading and trailing  ",
            "VENµS Türksat Ωmega straße São Paulo 東京 中国 Київ",
            "it’s “quoted” — dashes–and…ellipses 1,000.5 x²",
            "a\u{300}b e\u{301}te \u{200b}zero width\u{feff}",
            "!!!???",
            "ÀÉÎ mixed CASE Ünïcödé",
        ] {
            let mut got = Vec::new();
            word_hashes(text, &mut got);
            let want: Vec<u64> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(word_hash)
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn copies_are_found_and_other_stories_are_not() {
        let body = "India and France held the second Strategic Space Dialogue in New Delhi on Monday. \
The two sides reviewed cooperation on Earth observation, the Trishna mission and space situational awareness. \
Officials said a letter of intent on defence space cooperation had been signed and that work on a joint \
satellite constellation would begin next year. The next round will take place in Paris.";
        let a = format!("India, France hold space dialogue\n\n{body}");
        let b = format!(
            "Space ties: New Delhi and Paris talk satellites\n\nBy Staff Writer\n\n{body}\n\nAlso Read:\nOther story one\nOther story two"
        );
        let c = "NASA and JAXA signed an agreement on the Gateway lunar station, under which Japan will provide \
a habitation module and an astronaut will fly on a future Artemis mission to the Moon. \
The agreement was signed in Washington by the NASA Administrator and the Japanese minister.";
        let mut d = Deduper::new(DEFAULT_THRESHOLD);
        assert_eq!(d.check("a", &sk(&a)), None);
        assert_eq!(d.check("c", &sk(c)), None);
        assert_eq!(d.check("b", &sk(&b)).as_deref(), Some("a"));
        assert!(
            sketch(
                "Too short.",
                &accord_core::text::segment::segment("Too short.").sentences
            )
            .is_none()
        );
    }
}
