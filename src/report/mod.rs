//! `accord report`: one self-contained HTML page that shows who cooperates
//! with whom, on what, and when.
//!
//! ```text
//! output dirs ─▶ data::load (documents, triples, aggregate's relations)
//!             ─▶ data::build (filters, nodes, edges, timeline, embedded documents)
//!             ─▶ layout (network positions, timeline scale: computed here, not in the browser)
//!             ─▶ html::page (static HTML + SVG, one JSON block, one hand-written script)
//! ```
//!
//! Invariants:
//! - The relations are aggregate's ([`crate::aggregate`]): read from the
//!   `relations.csv` an `accord aggregate` wrote, or computed in memory by the
//!   same code when that file is absent, stale or a period is asked for.
//! - The page needs nothing outside itself: no network, CDN or server.
//! - Every string from an article is escaped for where it goes: HTML text and
//!   attributes ([`html::escape`]), and the JSON block inside a `<script>`
//!   element ([`html::script_json`]), which the script only ever puts into
//!   the page as text.
//! - The same input gives byte-identical HTML: sorted maps, a deterministic
//!   layout, fixed number formatting, no timestamps.
//! - Size is bounded: the article texts embedded are capped ([`Limits`]) and
//!   the page says so; the table is paginated by the script.

pub mod data;
pub mod html;
pub mod layout;

use std::path::Path;

use accord_core::error::Result;
use accord_io::output::AtomicFile;

pub use data::{Filters, Limits, Report};

/// Write `report` as one HTML file at `path`, atomically: the old file (if
/// any) stays until the new one is complete.
pub fn write(path: &Path, report: &Report) -> Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| accord_core::Error::io(dir, e))?;
    }
    let page = html::page(report);
    let mut file = AtomicFile::create(path)?;
    file.write(page.as_bytes())?;
    file.commit()
}

#[cfg(test)]
mod tests;
