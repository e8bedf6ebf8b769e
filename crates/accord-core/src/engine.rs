//! The engine: one document through every stage, from its text to its rows.
//!
//! ```text
//! Document ─▶ normalize ─▶ segment ─▶ match + recognize ─▶ resolve ─▶ relate ─▶ rows
//! ```
//!
//! [`Engine`] is built once from a gazetteer and shared by all workers;
//! [`Engine::analyze`] runs the stages up to resolution and
//! [`Engine::rows`] turns an analysis into the rows of the three CSV files.
//! Reading files and running many documents in parallel is `accord-io`'s work.

use rayon::prelude::*;

use crate::budget::{Budget, OverBudget};
use crate::document::Document;
use crate::error::Result;
use crate::gazetteer::{EntityType, Gazetteer};
use crate::matcher::{Candidate, Matcher};
use crate::recognize::{self, Recognizers, metadata_date};
use crate::relate::rules::Rule;
use crate::relate::{self, Kind, Status};
use crate::resolve::{self, Entity};
use crate::text::date::Date;
use crate::text::normalize::{Normalized, normalize};
use crate::text::segment::{self, Segments};

/// Everything built once from a gazetteer and shared by all workers.
#[derive(Debug)]
pub struct Engine {
    gaz: Gazetteer,
    matcher: Matcher,
    recognizers: Recognizers,
    /// Texts longer than this are matched in pieces of this size in parallel (0: never).
    chunk_bytes: usize,
    /// Some form holds a line break, so texts are never cut into pieces.
    multiline: bool,
}

/// Default for [`Engine::set_chunk_bytes`]: 1 MiB.
pub const CHUNK_BYTES: usize = 1 << 20;

/// What the matcher and the recognizers find in a text (or a piece of one),
/// each in the order it was found.
#[derive(Debug, Default)]
struct Found {
    candidates: Vec<Candidate>,
    conjuncts: Vec<Candidate>,
    titled: Vec<recognize::Proposal>,
    bare_titles: Vec<recognize::TitleHit>,
    role_nouns: Vec<recognize::Proposal>,
    phrases: Vec<recognize::Proposal>,
    companies: Vec<recognize::Proposal>,
    dates: [Vec<recognize::Proposal>; 4],
    acronyms: Vec<recognize::AcronymDef>,
}

impl Found {
    /// Append the finds of the next piece, whose offsets start at `at`.
    fn append(&mut self, mut next: Found, at: usize) {
        let shift = |r: &mut std::ops::Range<usize>| {
            r.start += at;
            r.end += at;
        };
        for c in next.candidates.iter_mut().chain(&mut next.conjuncts) {
            c.start += at;
            c.end += at;
        }
        let proposals = next
            .titled
            .iter_mut()
            .chain(&mut next.role_nouns)
            .chain(&mut next.phrases)
            .chain(&mut next.companies)
            .chain(next.dates.iter_mut().flatten());
        for p in proposals {
            shift(&mut p.span);
            if let Some(t) = &mut p.title {
                shift(&mut t.span);
            }
        }
        for t in &mut next.bare_titles {
            shift(&mut t.span);
        }
        for a in &mut next.acronyms {
            shift(&mut a.name);
            shift(&mut a.acronym);
        }
        self.candidates.append(&mut next.candidates);
        self.conjuncts.append(&mut next.conjuncts);
        self.titled.append(&mut next.titled);
        self.bare_titles.append(&mut next.bare_titles);
        self.role_nouns.append(&mut next.role_nouns);
        self.phrases.append(&mut next.phrases);
        self.companies.append(&mut next.companies);
        for (all, mut more) in self.dates.iter_mut().zip(next.dates) {
            all.append(&mut more);
        }
        self.acronyms.append(&mut next.acronyms);
    }
}

/// One row of `entities.csv`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntityRow {
    /// doc_id.
    pub doc_id: String,
    /// Start byte offset in the text as read.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Type.
    pub etype: EntityType,
    /// Canonical name.
    pub canonical: String,
    /// Gazetteer id, empty for pattern-found entities.
    pub entity_id: String,
    /// Surface text, `doc[start..end]`.
    pub text: String,
    /// The rule that found it.
    pub rule: &'static str,
}

/// One row of `triples.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct TripleRow {
    /// doc_id.
    pub doc_id: String,
    /// Evidence start offset in the text as read.
    pub evidence_start: usize,
    /// Evidence end offset.
    pub evidence_end: usize,
    /// Kind.
    pub kind: Kind,
    /// Subject.
    pub subject: String,
    /// Object.
    pub object: String,
    /// Relation.
    pub relation: String,
    /// The evidence sentence as read.
    pub evidence: String,
    /// Subject type.
    pub subject_type: EntityType,
    /// Object type.
    pub object_type: EntityType,
    /// Article date.
    pub date: String,
    /// Status.
    pub status: Status,
    /// Confidence in [0, 1].
    pub confidence: f32,
    /// Rule.
    pub rule: Rule,
}

impl TripleRow {
    /// The sort key: document, evidence position, then the triple itself.
    pub fn key(&self) -> (&str, usize, Kind, &str, &str, &str) {
        (
            &self.doc_id,
            self.evidence_start,
            self.kind,
            &self.subject,
            &self.object,
            &self.relation,
        )
    }
}

/// One row of `documents.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocRow {
    /// doc_id.
    pub doc_id: String,
    /// Path it was read from.
    pub source: String,
    /// Title line, if any.
    pub title: String,
    /// Article date (ISO 8601), if known.
    pub date: String,
    /// Size in bytes as read.
    pub bytes: usize,
    /// `ok` or `skipped: <reason>`.
    pub status: String,
    /// Problems that did not stop processing, `; `-separated.
    pub warnings: String,
    /// Address of the article, if the input gave one.
    pub url: String,
    /// doc_id of the earlier article this one is a near-duplicate of, if any.
    pub duplicate_of: String,
}

impl DocRow {
    /// True when the document was processed.
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }
}

/// One document analysed: what the relation stage and the writers read.
#[derive(Debug)]
pub struct Analysis<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Its normalized view.
    pub norm: Normalized<'a>,
    /// Segmentation of the normalized text.
    pub segments: Segments,
    /// Resolved entities, in normalized offsets, sorted by start.
    pub entities: Vec<Entity>,
    /// Article date, if known.
    pub date: Option<Date>,
    /// Problems met while analysing (a cap of the budget reached), for the
    /// `warnings` column.
    pub warnings: Vec<String>,
}

impl Engine {
    /// Build the matcher and recognizers for `gaz`.
    pub fn new(gaz: Gazetteer) -> Result<Engine> {
        let matcher = Matcher::new(&gaz)?;
        Ok(Engine::with_matcher(gaz, matcher))
    }

    /// Build the engine around a matcher already built for `gaz` (by
    /// [`crate::cache::load`], say).
    pub fn with_matcher(gaz: Gazetteer, matcher: Matcher) -> Engine {
        let recognizers = Recognizers::new(&gaz);
        // Pieces are cut at line breaks (see `segment::chunks`): a form
        // holding one (only possible in a gazetteer built in code) rules that out.
        let multiline = gaz.entries().iter().any(|e| {
            e.aliases
                .iter()
                .chain(&e.combining)
                .chain(&e.blockers)
                .any(|a| a.contains('\n'))
        }) || gaz
            .titles()
            .iter()
            .any(|t| t.forms.iter().any(|f| f.contains('\n')));
        Engine {
            gaz,
            matcher,
            recognizers,
            chunk_bytes: if multiline { 0 } else { CHUNK_BYTES },
            multiline,
        }
    }

    /// Match texts longer than `bytes` in pieces of that size, in parallel on
    /// the current rayon pool (0: never). The output does not change. A
    /// gazetteer with a form that holds a line break is never cut.
    pub fn set_chunk_bytes(&mut self, bytes: usize) {
        // Pieces are cut at line breaks: a form holding one rules them out.
        self.chunk_bytes = if self.multiline { 0 } else { bytes };
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// The matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Run every stage up to resolution on one document.
    pub fn analyze<'a>(&self, doc: &'a Document) -> Analysis<'a> {
        self.analyze_within(doc, &Budget::unlimited())
            .expect("an unlimited budget never runs out")
    }

    /// [`Engine::analyze`] within an article's `budget`: `Err` once its
    /// deadline passes (checked between stages and inside their loops);
    /// candidates and mentions beyond its caps are dropped, with a warning.
    pub fn analyze_within<'a>(
        &self,
        doc: &'a Document,
        budget: &Budget,
    ) -> std::result::Result<Analysis<'a>, OverBudget> {
        let mut warnings = Vec::new();
        let norm = normalize(&doc.text);
        budget.check_now()?;
        let text = norm.text();
        // The source's date, read once; one it gave that cannot be read is a
        // warning (the article then has no date, or its text header's).
        let source_date = doc.date.as_deref().filter(|r| !r.trim().is_empty());
        let given = source_date.and_then(metadata_date);
        if let Some(raw) = source_date
            && given.is_none()
        {
            warnings.push(format!(
                "the date {:?} given by the source cannot be read",
                raw.trim()
            ));
        }
        let date = given.or_else(|| {
            segment::meta_date(text)
                .as_ref()
                .and_then(|(_, d)| Date::parse_iso(d))
        });
        let (segments, found) = if self.chunk_bytes > 0 && text.len() > self.chunk_bytes {
            // A large text: segment it while its pieces are matched.
            let (segments, found) = rayon::join(
                || segment::segment(text),
                || {
                    let pieces = segment::chunks(text, self.chunk_bytes);
                    let finds = pieces
                        .par_iter()
                        .map(|r| self.find(&text[r.clone()], date, budget))
                        .collect::<std::result::Result<Vec<Found>, OverBudget>>()?;
                    let mut all = Found::default();
                    for (r, f) in pieces.iter().zip(finds) {
                        all.append(f, r.start);
                    }
                    Ok(all)
                },
            );
            (segments, found?)
        } else {
            (segment::segment(text), self.find(text, date, budget)?)
        };
        budget.check_now()?;
        let Found {
            mut candidates,
            conjuncts,
            titled: mut proposals,
            mut bare_titles,
            role_nouns,
            phrases,
            companies,
            dates,
            mut acronyms,
        } = found;
        candidates.extend(conjuncts);
        proposals.extend(
            role_nouns
                .into_iter()
                .chain(phrases)
                .chain(companies)
                .chain(dates.into_iter().flatten()),
        );
        if candidates.len() > budget.max_candidates {
            // The article is read up to where its first max_candidates
            // candidates end: every find after that point is dropped, so
            // resolve never holds more mentions than that.
            let mut starts: Vec<usize> = candidates.iter().map(|c| c.start).collect();
            let (_, &mut at, _) = starts.select_nth_unstable(budget.max_candidates);
            drop(starts);
            candidates.retain(|c| c.start < at);
            proposals.retain(|p| p.span.start < at);
            acronyms.retain(|a| a.name.start < at);
            bare_titles.retain(|t| t.span.start < at);
            warnings.push(format!(
                "more than {} name candidates: the text after them was not read",
                budget.max_candidates
            ));
        }
        let mut entities = resolve::resolve(resolve::Inputs {
            text,
            gaz: &self.gaz,
            candidates: &candidates,
            proposals,
            acronyms: &acronyms,
            bare_titles: &bare_titles,
            year: date.map(|d| d.year),
            segments: &segments,
        });
        budget.check_now()?;
        if entities.len() > budget.max_mentions {
            entities.truncate(budget.max_mentions);
            warnings.push(format!(
                "more than {} mentions: only the first {} were kept",
                budget.max_mentions, budget.max_mentions
            ));
        }
        Ok(Analysis {
            doc,
            segments,
            entities,
            date,
            norm,
            warnings,
        })
    }

    /// Run the matcher and the recognizers over `text` (a document or a piece of one).
    fn find(
        &self,
        text: &str,
        date: Option<Date>,
        budget: &Budget,
    ) -> std::result::Result<Found, OverBudget> {
        let mut f = Found::default();
        let lower = text.to_ascii_lowercase();
        self.matcher.find(text, &lower, &mut f.candidates);
        budget.check_now()?;
        self.expand_conjuncts(text, &mut f.conjuncts);
        self.recognizers
            .titled_persons(text, &mut f.titled, &mut f.bare_titles);
        budget.check_now()?;
        self.recognizers.role_nouns(text, &mut f.role_nouns);
        recognize::phrases(text, &mut f.phrases);
        budget.check_now()?;
        recognize::companies(text, &mut f.companies);
        f.dates = recognize::date_passes(text, date);
        budget.check_now()?;
        recognize::acronym_defs(text, &mut f.acronyms);
        budget.check_now()?;
        Ok(f)
    }

    /// `Departments of State and Commerce`: each conjunct whose full name
    /// (`Department of Commerce`) is a gazetteer alias becomes a candidate.
    fn expand_conjuncts(&self, text: &str, candidates: &mut Vec<Candidate>) {
        let mut conj = Vec::new();
        recognize::conjuncts(text, &mut conj);
        let mut found = Vec::new();
        for c in conj {
            found.clear();
            self.matcher
                .find(&c.full, &c.full.to_ascii_lowercase(), &mut found);
            if let Some(hit) = found.iter().find(|h| {
                h.start == 0 && h.end == c.full.len() && h.form == crate::matcher::Form::Alias
            }) {
                candidates.push(Candidate {
                    start: c.span.start,
                    end: c.span.end,
                    entry: hit.entry,
                    form: crate::matcher::Form::Alias,
                });
            }
        }
    }

    /// The entity rows of an analysis, in original offsets.
    pub fn entity_rows(&self, a: &Analysis<'_>) -> Vec<EntityRow> {
        a.entities
            .iter()
            .map(|e| {
                let start = a.norm.start_to_original(e.span.start);
                let end = a.norm.end_to_original(e.span.end);
                EntityRow {
                    doc_id: a.doc.id.clone(),
                    start,
                    end,
                    etype: e.etype,
                    canonical: e.canonical.clone(),
                    entity_id: e
                        .entry
                        .map(|i| self.gaz.entry(i as usize).id.clone())
                        .unwrap_or_default(),
                    text: a.doc.text[start..end].to_string(),
                    rule: e.rule,
                }
            })
            .collect()
    }

    /// The triple rows of an analysis, in original offsets.
    pub fn triple_rows(&self, a: &Analysis<'_>) -> Vec<TripleRow> {
        self.triple_rows_within(a, &Budget::unlimited())
            .expect("an unlimited budget never runs out")
    }

    /// [`Engine::triple_rows`] within an article's `budget`.
    pub fn triple_rows_within(
        &self,
        a: &Analysis<'_>,
        budget: &Budget,
    ) -> std::result::Result<Vec<TripleRow>, OverBudget> {
        let date = a.date.map(|d| d.to_string()).unwrap_or_default();
        let triples = relate::relate_within(
            a.norm.text(),
            &a.segments,
            &a.entities,
            &self.gaz,
            relate::rules::Rules::ALL,
            budget,
        )?;
        Ok(triples
            .into_iter()
            .map(|t| {
                let start = a.norm.start_to_original(t.evidence.start);
                let end = a.norm.end_to_original(t.evidence.end);
                TripleRow {
                    doc_id: a.doc.id.clone(),
                    evidence_start: start,
                    evidence_end: end,
                    kind: t.kind,
                    subject: t.subject,
                    object: t.object,
                    relation: t.relation,
                    evidence: a.doc.text[start..end].to_string(),
                    subject_type: t.subject_type,
                    object_type: t.object_type,
                    date: date.clone(),
                    status: t.status,
                    confidence: t.confidence,
                    rule: t.rule,
                }
            })
            .collect())
    }

    /// The rows of an analysed document: its documents.csv row, and its
    /// entity and triple rows, each sorted as the CSV files are.
    pub fn rows(&self, a: &Analysis<'_>) -> (DocRow, Vec<EntityRow>, Vec<TripleRow>) {
        self.rows_within(a, &Budget::unlimited())
            .expect("an unlimited budget never runs out")
    }

    /// [`Engine::rows`] within an article's `budget`: `Err` once its deadline passes.
    pub fn rows_within(
        &self,
        a: &Analysis<'_>,
        budget: &Budget,
    ) -> std::result::Result<(DocRow, Vec<EntityRow>, Vec<TripleRow>), OverBudget> {
        let doc = a.doc;
        let mut entities = self.entity_rows(a);
        entities.sort();
        let mut triples = self.triple_rows_within(a, budget)?;
        triples.sort_by(|a, b| a.key().cmp(&b.key()));
        // The title as the source wrote it (curly quotes kept), not the
        // normalized form used for matching.
        let title = a
            .segments
            .title
            .clone()
            .and_then(|r| {
                let (s, e) = (
                    a.norm.start_to_original(r.start),
                    a.norm.end_to_original(r.end),
                );
                doc.text.get(s..e).map(str::to_string)
            })
            .unwrap_or_default();
        let row = DocRow {
            doc_id: doc.id.clone(),
            source: doc.source.clone(),
            title,
            date: a.date.map(|d| d.to_string()).unwrap_or_default(),
            bytes: doc.text.len(),
            status: "ok".into(),
            warnings: doc
                .warnings
                .iter()
                .chain(&a.warnings)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("; "),
            url: doc.url.clone().unwrap_or_default(),
            duplicate_of: String::new(),
        };
        Ok((row, entities, triples))
    }
}
