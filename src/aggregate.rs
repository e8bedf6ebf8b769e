//! Aggregation across articles: one row per cooperation instead of one per
//! article, and mention counts per entity.
//!
//! [`aggregate`] reads the `triples.csv` and `entities.csv` of one or more
//! `extract` output directories. Triples group by kind, the pair of parties
//! and the relation's name after [`relation_key`]; for every kind but `role`
//! the pair is unordered (`India, France` = `France, India`). Within one kind
//! and pair, a relation whose key is a word prefix of exactly one longer
//! relation's key folds into it ("the Letter of Intent" into "Letter of
//! Intent on Defence Space Cooperation"); a prefix of two or more stays
//! apart, since it cannot say which it means.
//!
//! `documents` counts independent sources: a document that `extract` flagged
//! as a near-duplicate (`duplicate_of` in `documents.csv`) counts with the
//! article it copies, unless `count_duplicates`; `doc_ids` lists them all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use accord_core::error::{Error, Result};
use accord_io::output::{CsvOptions, guard, write_atomic};

/// Header of `relations.csv`.
pub const RELATIONS_HEADER: &[&str] = &[
    "kind",
    "subject",
    "object",
    "relation",
    "documents",
    "doc_ids",
    "first_date",
    "last_date",
    "evidence",
    "evidence_doc_id",
    "confidence",
    "subject_type",
    "object_type",
];

/// Header of `entity_counts.csv`.
pub const ENTITY_COUNTS_HEADER: &[&str] =
    &["type", "canonical", "entity_id", "mentions", "documents"];

/// One aggregated relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    /// Kind (`agreement`, `mission`, `dialogue`, `role`).
    pub kind: String,
    /// Subject (the smaller name of an unordered pair).
    pub subject: String,
    /// Object.
    pub object: String,
    /// The relation's name: its most frequent spelling, the longest on a tie.
    pub relation: String,
    /// Supporting documents, sorted.
    pub doc_ids: Vec<String>,
    /// Number of independent sources: supporting documents, with a cluster
    /// of near-duplicates counted once (unless asked to count them all).
    pub sources: usize,
    /// Earliest article date (ISO), if any.
    pub first_date: String,
    /// Latest article date.
    pub last_date: String,
    /// The evidence sentence of the most confident supporting triple.
    pub evidence: String,
    /// The document that sentence is from.
    pub evidence_doc_id: String,
    /// Highest confidence among the supporting triples.
    pub confidence: f64,
    /// Subject type.
    pub subject_type: String,
    /// Object type.
    pub object_type: String,
}

/// Mentions of one entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityCount {
    /// Type.
    pub etype: String,
    /// Canonical name.
    pub canonical: String,
    /// Gazetteer id (empty for pattern-found entities).
    pub entity_id: String,
    /// Number of mentions.
    pub mentions: u64,
    /// Number of documents that mention it.
    pub documents: u64,
}

/// Everything [`aggregate`] computes.
#[derive(Clone, Debug, Default)]
pub struct Aggregate {
    /// Relations, sorted by kind, subject, object, relation.
    pub relations: Vec<Relation>,
    /// Entity counts, sorted by type, canonical name, id.
    pub entities: Vec<EntityCount>,
}

/// The grouping key of a relation name: lower case, dashes unified,
/// whitespace collapsed, a leading article and trailing punctuation dropped.
pub fn relation_key(name: &str) -> String {
    let lower = name.to_lowercase().replace(
        ['\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}'],
        "-",
    );
    let words: Vec<&str> = lower.split_whitespace().collect();
    let words = match words.first() {
        Some(&"the") | Some(&"a") | Some(&"an") if words.len() > 1 => &words[1..],
        _ => &words[..],
    };
    words
        .join(" ")
        .trim_end_matches(['.', ',', ';', ':'])
        .to_string()
}

/// One supporting triple.
struct Support {
    relation: String,
    doc_id: String,
    date: String,
    evidence: String,
    confidence: f64,
    subject_type: String,
    object_type: String,
}

type PairKey = (String, String, String);

fn open(path: &Path) -> Result<csv::Reader<std::fs::File>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(csv::ReaderBuilder::new().flexible(true).from_reader(f))
}

/// Column positions by name, so files with extra columns still read.
fn columns(path: &Path, r: &mut csv::Reader<std::fs::File>, want: &[&str]) -> Result<Vec<usize>> {
    let headers = r.headers().map_err(|e| Error::csv(path, e))?.clone();
    want.iter()
        .map(|w| {
            headers
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}') == *w)
                .ok_or_else(|| Error::msg(format!("{}: no `{w}` column", path.display())))
        })
        .collect()
}

/// The article each document stands for: the one it is a near-duplicate of
/// (`documents.csv`'s `duplicate_of`), else itself.
fn originals(dir: &Path) -> Result<BTreeMap<String, String>> {
    let path = dir.join("documents.csv");
    let mut r = open(&path)?;
    let headers = r.headers().map_err(|e| Error::csv(&path, e))?.clone();
    let Some(dup) = headers.iter().position(|h| h == "duplicate_of") else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| Error::csv(&path, e))?;
        if let (Some(id), Some(first)) = (rec.get(0), rec.get(dup))
            && !first.is_empty()
        {
            out.insert(id.to_string(), first.to_string());
        }
    }
    Ok(out)
}

/// One row of `triples.csv`, as [`Aggregator::triple`] takes it.
#[allow(missing_docs)] // the columns of `triples.csv` of the same names
pub struct TripleRow<'a> {
    pub subject: &'a str,
    pub object: &'a str,
    pub relation: &'a str,
    pub kind: &'a str,
    pub doc_id: &'a str,
    pub evidence: &'a str,
    pub subject_type: &'a str,
    pub object_type: &'a str,
    pub date: &'a str,
    pub confidence: &'a str,
}

/// Builds an [`Aggregate`] from rows given one at a time: [`aggregate`]
/// feeds it the files of output directories, `accord report` the rows it
/// already holds (a period's documents only), so nothing is written to be
/// read again.
#[derive(Default)]
pub struct Aggregator {
    groups: BTreeMap<PairKey, Vec<Support>>,
    counts: BTreeMap<(String, String, String), (u64, BTreeSet<String>)>,
    original: BTreeMap<String, String>,
}

impl Aggregator {
    /// `doc_id` is a near-duplicate of `original`: they count as one
    /// supporting document.
    pub fn duplicate(&mut self, doc_id: &str, original: &str) {
        if !original.is_empty() {
            self.original
                .insert(doc_id.to_string(), original.to_string());
        }
    }

    /// One triple (cells as read, `unguard`ed).
    pub fn triple(&mut self, t: TripleRow<'_>) {
        let (mut subject, mut object) = (t.subject, t.object);
        let (mut subject_type, mut object_type) = (t.subject_type, t.object_type);
        if t.kind != "role" && object < subject {
            std::mem::swap(&mut subject, &mut object);
            std::mem::swap(&mut subject_type, &mut object_type);
        }
        self.groups
            .entry((t.kind.to_string(), subject.to_string(), object.to_string()))
            .or_default()
            .push(Support {
                relation: t.relation.to_string(),
                doc_id: t.doc_id.to_string(),
                date: t.date.to_string(),
                evidence: t.evidence.to_string(),
                confidence: t.confidence.parse().unwrap_or(0.0),
                subject_type: subject_type.to_string(),
                object_type: object_type.to_string(),
            });
    }

    /// One entity mention.
    pub fn entity(&mut self, doc_id: &str, etype: &str, canonical: &str, entity_id: &str) {
        let slot = self
            .counts
            .entry((
                etype.to_string(),
                canonical.to_string(),
                entity_id.to_string(),
            ))
            .or_default();
        slot.0 += 1;
        slot.1.insert(doc_id.to_string());
    }

    /// The relations and entity counts of every row given.
    pub fn finish(self) -> Aggregate {
        let Aggregator {
            groups,
            counts,
            original,
        } = self;
        let mut relations = Vec::new();
        for ((kind, subject, object), supports) in groups {
            relations.extend(fold_pair(&kind, &subject, &object, supports));
        }
        for r in &mut relations {
            let sources: BTreeSet<&str> = r
                .doc_ids
                .iter()
                .map(|d| original.get(d).map_or(d.as_str(), String::as_str))
                .collect();
            r.sources = sources.len();
        }
        relations.sort_by(|a, b| {
            (&a.kind, &a.subject, &a.object, &a.relation).cmp(&(
                &b.kind,
                &b.subject,
                &b.object,
                &b.relation,
            ))
        });
        let entities = counts
            .into_iter()
            .map(
                |((etype, canonical, entity_id), (mentions, docs))| EntityCount {
                    etype,
                    canonical,
                    entity_id,
                    mentions,
                    documents: docs.len() as u64,
                },
            )
            .collect();
        Aggregate {
            relations,
            entities,
        }
    }
}

/// The columns of `triples.csv` that aggregation reads, in [`TripleRow`] order.
pub const TRIPLE_COLUMNS: [&str; 10] = [
    "subject",
    "object",
    "relation",
    "kind",
    "doc_id",
    "evidence",
    "subject_type",
    "object_type",
    "date",
    "confidence",
];

/// Aggregate the outputs in `dirs`. Unless `count_duplicates`, a document
/// and its near-duplicates count as one supporting document.
pub fn aggregate(dirs: &[PathBuf], count_duplicates: bool) -> Result<Aggregate> {
    let mut agg = Aggregator::default();
    for dir in dirs {
        if !count_duplicates {
            for (id, first) in originals(dir)? {
                agg.duplicate(&id, &first);
            }
        }
        let path = dir.join("triples.csv");
        let mut r = open(&path)?;
        let c = columns(&path, &mut r, &TRIPLE_COLUMNS)?;
        for rec in r.records() {
            let rec = rec.map_err(|e| Error::csv(&path, e))?;
            let get = |i: usize| accord_io::output::unguard(rec.get(c[i]).unwrap_or(""));
            agg.triple(TripleRow {
                subject: get(0),
                object: get(1),
                relation: get(2),
                kind: get(3),
                // doc_ids are written safe where they are read
                // (`input::safe_id`): kept as they are, they join with
                // documents.csv.
                doc_id: rec.get(c[4]).unwrap_or(""),
                evidence: get(5),
                subject_type: get(6),
                object_type: get(7),
                date: get(8),
                confidence: get(9),
            });
        }
        let path = dir.join("entities.csv");
        let mut r = open(&path)?;
        let c = columns(&path, &mut r, &["doc_id", "type", "canonical", "entity_id"])?;
        for rec in r.records() {
            let rec = rec.map_err(|e| Error::csv(&path, e))?;
            let get = |i: usize| accord_io::output::unguard(rec.get(c[i]).unwrap_or(""));
            agg.entity(rec.get(c[0]).unwrap_or(""), get(1), get(2), get(3));
        }
    }
    Ok(agg.finish())
}

/// The relations of one kind and pair, with short names folded into the
/// one longer name they are a word prefix of.
fn fold_pair(kind: &str, subject: &str, object: &str, supports: Vec<Support>) -> Vec<Relation> {
    let mut by_key: BTreeMap<String, Vec<Support>> = BTreeMap::new();
    for s in supports {
        by_key.entry(relation_key(&s.relation)).or_default().push(s);
    }
    let keys: Vec<String> = by_key.keys().cloned().collect();
    let target = |k: &str| -> Option<String> {
        let longer: Vec<&String> = keys
            .iter()
            .filter(|o| o.len() > k.len() && o.starts_with(k) && o.as_bytes()[k.len()] == b' ')
            .collect();
        match longer.as_slice() {
            [one] => Some((*one).clone()),
            _ => None,
        }
    };
    // Follow folds to the end (a prefix of a prefix).
    let mut folded: BTreeMap<String, Vec<Support>> = BTreeMap::new();
    for (k, s) in by_key {
        let mut to = k.clone();
        while let Some(next) = target(&to) {
            to = next;
        }
        folded.entry(to).or_default().extend(s);
    }
    folded
        .into_values()
        .map(|s| relation(kind, subject, object, s))
        .collect()
}

fn relation(kind: &str, subject: &str, object: &str, supports: Vec<Support>) -> Relation {
    // The name: most frequent spelling among the longest-key spellings.
    let longest = supports
        .iter()
        .map(|s| relation_key(&s.relation).len())
        .max()
        .unwrap_or(0);
    let mut spellings: BTreeMap<&str, usize> = BTreeMap::new();
    for s in supports
        .iter()
        .filter(|s| relation_key(&s.relation).len() == longest)
    {
        *spellings.entry(s.relation.as_str()).or_default() += 1;
    }
    let name = spellings
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(n, _)| n.to_string())
        .unwrap_or_default();
    let doc_ids: Vec<String> = supports
        .iter()
        .map(|s| s.doc_id.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let dates: BTreeSet<&str> = supports
        .iter()
        .map(|s| s.date.as_str())
        .filter(|d| !d.is_empty() && !d.starts_with('X'))
        .collect();
    let best = supports
        .iter()
        .max_by(|a, b| {
            a.confidence
                .total_cmp(&b.confidence)
                // On a tie, the earlier document, then the earlier sentence text.
                .then_with(|| b.doc_id.cmp(&a.doc_id))
                .then_with(|| b.evidence.cmp(&a.evidence))
        })
        .expect("a group has a support");
    Relation {
        kind: kind.to_string(),
        subject: subject.to_string(),
        object: object.to_string(),
        relation: name,
        first_date: dates.first().map(|d| d.to_string()).unwrap_or_default(),
        last_date: dates.last().map(|d| d.to_string()).unwrap_or_default(),
        evidence: best.evidence.clone(),
        evidence_doc_id: best.doc_id.clone(),
        confidence: best.confidence,
        subject_type: best.subject_type.clone(),
        object_type: best.object_type.clone(),
        sources: doc_ids.len(),
        doc_ids,
    }
}

/// Write `relations.csv` and `entity_counts.csv` into `dir`, atomically.
pub fn write(dir: &Path, agg: &Aggregate, opts: CsvOptions) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    write_atomic(&dir.join("relations.csv"), opts, |w| {
        w.write_record(RELATIONS_HEADER)?;
        for r in &agg.relations {
            w.write_record([
                r.kind.as_str(),
                &guard(&r.subject, opts),
                &guard(&r.object, opts),
                &guard(&r.relation, opts),
                &r.sources.to_string(),
                &guard(&r.doc_ids.join(";"), opts),
                &r.first_date,
                &r.last_date,
                &guard(&r.evidence, opts),
                &r.evidence_doc_id,
                &format!("{:.2}", r.confidence),
                &r.subject_type,
                &r.object_type,
            ])?;
        }
        Ok(())
    })?;
    write_atomic(&dir.join("entity_counts.csv"), opts, |w| {
        w.write_record(ENTITY_COUNTS_HEADER)?;
        for e in &agg.entities {
            w.write_record([
                e.etype.as_str(),
                &guard(&e.canonical, opts),
                &e.entity_id,
                &e.mentions.to_string(),
                &e.documents.to_string(),
            ])?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn support(relation: &str, doc: &str, date: &str, conf: f64) -> Support {
        Support {
            relation: relation.into(),
            doc_id: doc.into(),
            date: date.into(),
            evidence: format!("evidence in {doc}"),
            confidence: conf,
            subject_type: "COUNTRY".into(),
            object_type: "COUNTRY".into(),
        }
    }

    #[test]
    fn keys() {
        assert_eq!(relation_key("the Letter of  Intent."), "letter of intent");
        assert_eq!(
            relation_key("India–France dialogue"),
            "india-france dialogue"
        );
    }

    #[test]
    fn a_short_name_folds_into_its_one_longer_name() {
        let got = fold_pair(
            "agreement",
            "France",
            "India",
            vec![
                support(
                    "Letter of Intent on Defence Space Cooperation",
                    "a",
                    "2024-03-05",
                    0.9,
                ),
                support("the Letter of Intent", "b", "2024-02-01", 0.95),
                support(
                    "Letter of Intent on Defence Space Cooperation",
                    "c",
                    "",
                    0.85,
                ),
            ],
        );
        assert_eq!(got.len(), 1);
        let r = &got[0];
        assert_eq!(r.relation, "Letter of Intent on Defence Space Cooperation");
        assert_eq!(r.doc_ids, ["a", "b", "c"]);
        assert_eq!(
            (r.first_date.as_str(), r.last_date.as_str()),
            ("2024-02-01", "2024-03-05")
        );
        assert_eq!(r.evidence_doc_id, "b");
        assert_eq!(r.confidence, 0.95);
    }

    #[test]
    fn an_ambiguous_prefix_stays_apart() {
        let got = fold_pair(
            "agreement",
            "France",
            "India",
            vec![
                support("Memorandum of Understanding", "a", "", 0.9),
                support(
                    "Memorandum of Understanding on Earth Observation",
                    "b",
                    "",
                    0.9,
                ),
                support(
                    "Memorandum of Understanding on Space Situational Awareness",
                    "c",
                    "",
                    0.9,
                ),
            ],
        );
        assert_eq!(got.len(), 3);
    }
}
