//! What one article may cost: a deadline and a cap on mentions.
//!
//! Every stage is linear (or n log n) in the article's length, whatever its
//! shape (see the bounds documented in [`crate::relate`], its rules,
//! [`crate::text::segment`] and [`crate::recognize`]). The budget is the
//! guard for what is left: the caller (`accord-io`'s run, from the
//! `--max-article-seconds` flag) passes it in as a value, the stages call
//! [`Budget::check`] inside their loops and give up with [`OverBudget`] once
//! the deadline has passed, so the article is reported as skipped and the run
//! goes on. The core keeps no clock of its own: without a deadline
//! ([`Budget::unlimited`]) `check` never reads the time.
//!
//! `check` reads the clock once every [`Budget::STRIDE`] calls, so a check
//! in an inner loop costs an increment.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

/// Mentions kept per article by default: beyond it the later ones are
/// dropped and the article's `warnings` say so. About 150 bytes each in
/// memory; a news article of 8 MB holds about 100,000.
pub const MAX_MENTIONS: usize = 500_000;

/// Gazetteer candidates read per article by default (the matcher's hits,
/// before overlaps are resolved): beyond them the rest of the text is not
/// read (no name, title, phrase or date after that point), and the
/// article's `warnings` say so.
pub const MAX_CANDIDATES: usize = 1_000_000;

/// The deadline and caps of one article's processing.
#[derive(Debug)]
pub struct Budget {
    deadline: Option<Instant>,
    /// Mentions kept (see [`MAX_MENTIONS`]).
    pub max_mentions: usize,
    /// Candidates kept (see [`MAX_CANDIDATES`]).
    pub max_candidates: usize,
    calls: AtomicU32,
}

/// The deadline passed: the stage that noticed stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverBudget;

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the article's time budget ran out")
    }
}

impl std::error::Error for OverBudget {}

impl Default for Budget {
    fn default() -> Self {
        Budget::unlimited()
    }
}

impl Budget {
    /// Calls to [`Budget::check`] between two readings of the clock.
    pub const STRIDE: u32 = 256;

    /// No deadline; the default caps.
    pub fn unlimited() -> Budget {
        Budget {
            deadline: None,
            max_mentions: MAX_MENTIONS,
            max_candidates: MAX_CANDIDATES,
            calls: AtomicU32::new(0),
        }
    }

    /// Stop at `deadline` (`None`: never); the default caps.
    pub fn until(deadline: Option<Instant>) -> Budget {
        Budget {
            deadline,
            ..Budget::unlimited()
        }
    }

    /// The deadline, if any.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// `Err(OverBudget)` once the deadline has passed. Reads the clock on
    /// the first call and then once every [`Budget::STRIDE`] calls.
    #[inline]
    pub fn check(&self) -> Result<(), OverBudget> {
        let Some(deadline) = self.deadline else {
            return Ok(());
        };
        if !self
            .calls
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(Self::STRIDE)
        {
            return Ok(());
        }
        self.check_now_against(deadline)
    }

    /// `Err(OverBudget)` if the deadline has passed, reading the clock now
    /// (between stages, where a check is rare).
    pub fn check_now(&self) -> Result<(), OverBudget> {
        match self.deadline {
            Some(d) => self.check_now_against(d),
            None => Ok(()),
        }
    }

    fn check_now_against(&self, deadline: Instant) -> Result<(), OverBudget> {
        if Instant::now() >= deadline {
            Err(OverBudget)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn unlimited_never_stops_and_a_past_deadline_stops_at_once() {
        let b = Budget::unlimited();
        assert!((0..1000).all(|_| b.check().is_ok()));
        let past = Budget::until(Some(Instant::now() - Duration::from_millis(1)));
        assert_eq!(past.check(), Err(OverBudget));
        assert_eq!(past.check_now(), Err(OverBudget));
        let future = Budget::until(Some(Instant::now() + Duration::from_secs(3600)));
        assert!((0..1000).all(|_| future.check().is_ok()));
    }

    #[test]
    fn caps_keep_the_start_of_the_article_and_warn() {
        use crate::document::Document;
        use crate::engine::Engine;
        use crate::gazetteer::Gazetteer;
        let engine = Engine::new(Gazetteer::load(None).unwrap()).unwrap();
        let doc = Document {
            id: "t".into(),
            source: "t".into(),
            text: "India and France met in Paris. ".repeat(40),
            ..Document::default()
        };
        let all = engine.analyze(&doc);
        assert!(all.warnings.is_empty());
        let mut budget = Budget::unlimited();
        budget.max_candidates = 10;
        let some = engine.analyze_within(&doc, &budget).unwrap();
        assert!(some.entities.len() < all.entities.len());
        assert_eq!(some.entities[..], all.entities[..some.entities.len()]);
        assert!(some.warnings[0].contains("more than 10 name candidates"));
        let mut budget = Budget::unlimited();
        budget.max_mentions = 5;
        let five = engine.analyze_within(&doc, &budget).unwrap();
        assert_eq!(five.entities[..], all.entities[..5]);
        assert!(five.warnings[0].contains("more than 5 mentions"));
        let (row, _, _) = engine.rows_within(&five, &budget).unwrap();
        assert!(row.warnings.contains("more than 5 mentions"), "{row:?}");
    }
}
