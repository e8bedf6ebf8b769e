//! The adversarial suite (`accord bench --adversarial`): one article of
//! each hostile shape at two sizes, run through `accord extract -j 1`, with
//! MB/s and peak RSS per shape.
//!
//! Each shape repeats a short unit inside **one sentence** (no full stop),
//! the way a scraped table, a tag cloud or a list of agreements does, or
//! nests HTML deep. accord is linear in the article's length whatever its
//! shape when, for every shape, MB/s at the large size is at least
//! [`RATIO_TARGET`] × MB/s at the small size, and peak RSS at the large size
//! stays under [`RSS_TARGET_MB`].
//!
//! The runs pass `--max-article-seconds 0`, so the guard never hides a slow
//! stage: what is measured is the stages themselves.
//!
//! On a shared machine wall-clock time measures the neighbours as much as
//! accord (at a load average of 7 on 2 cores a run waits three times as long
//! as it computes), so the report gives both, and the target is judged on
//! CPU time (user + system, from `/usr/bin/time -v`, one worker thread)
//! when it is known, else on wall-clock time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use accord_core::error::{Error, Result};

use crate::bench::{self, parse_max_rss, time_program};

/// MB/s at the large size over MB/s at the small size must reach this.
pub const RATIO_TARGET: f64 = 0.6;
/// Peak RSS at the large size must stay under this many MB.
pub const RSS_TARGET_MB: f64 = 300.0;
/// The two sizes, in bytes.
pub const SIZES: [usize; 2] = [500_000, 2_000_000];
/// Size of the opt-in one-line JSONL article.
pub const LARGE_JSONL: usize = 60_000_000;

/// A hostile shape: a name, the file extension its article is written
/// with, and a generator of about `bytes` bytes.
#[derive(Clone, Copy)]
pub struct Shape {
    /// Name in the report.
    pub name: &'static str,
    /// What the article looks like.
    pub about: &'static str,
    /// `txt`, `html` or `jsonl`.
    pub ext: &'static str,
    build: fn(usize) -> String,
}

impl Shape {
    /// The article of about `bytes` bytes.
    pub fn build(&self, bytes: usize) -> String {
        (self.build)(bytes)
    }
}

/// Units joined by spaces, `{i}` replaced by the unit's number, until `bytes`.
fn repeat(bytes: usize, unit: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(bytes + 256);
    let mut i = 0;
    while out.len() < bytes {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&unit(i));
        i += 1;
    }
    out.push('\n');
    out
}

const COUNTRIES: &[&str] = &[
    "India",
    "France",
    "Japan",
    "Italy",
    "Brazil",
    "Germany",
    "China",
    "Canada",
    "Mexico",
    "Australia",
    "Nigeria",
    "Kenya",
    "Spain",
    "Norway",
    "Chile",
    "Peru",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const SYLLABLES: &[&str] = &[
    "Ka", "Lo", "Mi", "Ne", "Pa", "Ri", "Su", "To", "Va", "Ze", "Bo", "Du",
];

/// A capitalised made-up word from a number (distinct for distinct numbers).
fn word(mut n: usize) -> String {
    let mut w = String::new();
    loop {
        w.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            break;
        }
    }
    let mut cs = w.chars();
    let first = cs.next().unwrap();
    first.to_string() + &cs.as_str().to_lowercase()
}

/// Every shape of the suite, in report order.
pub const SHAPES: &[Shape] = &[
    Shape {
        name: "between-pairs",
        about: "`an agreement between India and France and a pact between Japan and Italy {i}`",
        ext: "txt",
        build: |b| {
            repeat(b, |i| {
                format!(
                    "an agreement between India and France and a pact between Japan and Italy {i}"
                )
            })
        },
    },
    Shape {
        name: "named-instrument",
        about: "`the Letter of Intent on Defence Space Cooperation {i}`",
        ext: "txt",
        build: |b| {
            repeat(b, |i| {
                format!("the Letter of Intent on Defence Space Cooperation {i}")
            })
        },
    },
    Shape {
        name: "titled-persons",
        about: "`ISRO Chairman K. Sivan met NASA Administrator Bill Nelson and Minister {i}`",
        ext: "txt",
        build: |b| {
            repeat(b, |i| {
                format!(
                    "ISRO Chairman K. Sivan met NASA Administrator Bill Nelson and Minister {i}"
                )
            })
        },
    },
    Shape {
        name: "deep-html",
        about: "nested `<div>` around one sentence",
        ext: "html",
        build: |b| {
            let n = b / 11;
            format!(
                "<html><body>{}<p>India and France signed an agreement.</p>{}</body></html>\n",
                "<div>".repeat(n),
                "</div>".repeat(n)
            )
        },
    },
    Shape {
        name: "parties",
        about: "countries listed in one sentence, `signed the Artemis Accords with` now and then",
        ext: "txt",
        build: |b| {
            repeat(b, |i| {
                let c = COUNTRIES[i % COUNTRIES.len()];
                if i % 10 == 9 {
                    format!("{c} signed the Artemis Accords with")
                } else {
                    format!("{c} and")
                }
            })
        },
    },
    Shape {
        name: "dates",
        about: "`on 12 March 2024, May 5, 2023 and 2024-01-07 to June 3-9` repeated",
        ext: "txt",
        build: |b| {
            repeat(b, |i| {
                let m = MONTHS[i % 12];
                let d = i % 28 + 1;
                format!(
                    "on {d} {m} 2024, {m} {d}, 2023 and 2024-01-{:02} to {m} {d}-{}",
                    d,
                    d.min(27) + 1
                )
            })
        },
    },
    Shape {
        name: "quotes",
        about: "`\"India\" said 'France' (\"Japan\") «Italy»` repeated",
        ext: "txt",
        build: |b| {
            repeat(b, |i| {
                format!("\"India\" said 'France' (\"Japan\") «Italy» {i}")
            })
        },
    },
    Shape {
        name: "titles",
        about: "titles and names: `President Lee Jae-myung and Prime Minister Narendra Modi, Foreign Secretary of India, Administrator Kalo {i}`",
        ext: "txt",
        build: |b| {
            repeat(b, |i| {
                format!(
                    "President Lee Jae-myung and Prime Minister Narendra Modi, Foreign Secretary of India, Administrator {} {}",
                    word(i),
                    word(i + 7)
                )
            })
        },
    },
    Shape {
        name: "acronyms",
        about: "a new acronym defined each time: `Kalo Mine Space Agency (KMSA)`",
        ext: "txt",
        build: |b| {
            repeat(b, |i| {
                let (x, y) = (word(i), word(i * 7 + 3));
                let acro: String = [&x, &y]
                    .iter()
                    .map(|w| w.chars().next().unwrap())
                    .chain("SA".chars())
                    .collect();
                format!("the {x} {y} Space Agency ({acro}) and {acro}")
            })
        },
    },
    Shape {
        name: "capitalised-run",
        about: "capitalised words without end: `Space Agency Cooperation Dialogue Summit Forum Of The ...`",
        ext: "txt",
        build: |b| {
            repeat(b, |i| {
                format!(
                    "Space {} Agency Cooperation Dialogue on {} Summit Forum Of The Agreement for {}",
                    word(i),
                    word(i + 1),
                    word(i + 2)
                )
            })
        },
    },
    Shape {
        name: "one-word",
        about: "no white space at all: `IndiaFranceAgreement...`",
        ext: "txt",
        build: |b| {
            let mut s = "IndiaFrance(ISRO)Agreement.".repeat(b / 27 + 1);
            s.push('\n');
            s
        },
    },
    Shape {
        name: "jsonl-line",
        about: "one JSONL line holding one article of news sentences",
        ext: "jsonl",
        build: jsonl_line,
    },
];

/// One JSON line whose text is news sentences, about `bytes` long.
fn jsonl_line(bytes: usize) -> String {
    let text = repeat(bytes, |i| {
        format!(
            "India and France signed an agreement on space cooperation in Paris on {} March 2024.",
            i % 28 + 1
        )
    });
    let v = serde_json::json!({"id": "line", "title": "India and France", "text": text.trim_end()});
    format!("{v}\n")
}

/// One shape at one size.
#[derive(Clone, Debug)]
pub struct Measure {
    /// Article bytes.
    pub bytes: usize,
    /// Seconds of the whole `accord extract` process, wall clock.
    pub seconds: f64,
    /// User + system CPU seconds of the process, if `/usr/bin/time` is there.
    pub cpu_seconds: Option<f64>,
    /// Peak RSS in MB, if `/usr/bin/time` is there.
    pub rss_mb: Option<f64>,
    /// The article's status in documents.csv.
    pub status: String,
}

impl Measure {
    /// MB (10^6 bytes) per wall-clock second.
    pub fn mbps(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }

    /// MB per CPU second, if known.
    pub fn cpu_mbps(&self) -> Option<f64> {
        self.cpu_seconds
            .map(|c| self.bytes as f64 / 1e6 / c.max(1e-3))
    }

    /// What the target is judged on: CPU MB/s if known, else wall-clock MB/s.
    pub fn judged_mbps(&self) -> f64 {
        self.cpu_mbps().unwrap_or_else(|| self.mbps())
    }
}

/// Run `accord extract -j 1` on `input` with no time limit; the fastest of `runs`.
pub fn measure(exe: &Path, input: &Path, out: &Path, runs: usize) -> Result<Measure> {
    let bytes = std::fs::metadata(input)
        .map_err(|e| Error::io(input, e))?
        .len() as usize;
    let time = time_program();
    let mut best: Option<Measure> = None;
    for _ in 0..runs.max(1) {
        let _ = std::fs::remove_dir_all(out);
        let mut cmd = match &time {
            Some(t) => {
                let mut c = Command::new(t);
                c.arg("-v").arg(exe);
                c
            }
            None => Command::new(exe),
        };
        cmd.arg("extract")
            .arg(input)
            .args(["-j", "1", "-q", "--no-cache", "--max-article-seconds", "0"])
            .arg("-o")
            .arg(out)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let o = cmd
            .output()
            .map_err(|e| Error::msg(format!("cannot run {}: {e}", exe.display())))?;
        let seconds = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&o.stderr);
        if !o.status.success() {
            return Err(Error::msg(format!(
                "accord extract {} failed: {}",
                input.display(),
                stderr.lines().last().unwrap_or("")
            )));
        }
        let status = document_status(&out.join("documents.csv"));
        let cpu = |label: &str| {
            stderr.lines().find_map(|l| {
                l.trim()
                    .strip_prefix(label)
                    .and_then(|v| v.trim().parse::<f64>().ok())
            })
        };
        let cpu_seconds = match (cpu("User time (seconds):"), cpu("System time (seconds):")) {
            (Some(u), Some(s)) => Some(u + s),
            _ => None,
        };
        let m = Measure {
            bytes,
            seconds,
            cpu_seconds,
            rss_mb: parse_max_rss(&stderr).map(|k| k as f64 / 1024.0),
            status,
        };
        if best
            .as_ref()
            .is_none_or(|b| m.judged_mbps() > b.judged_mbps())
        {
            best = Some(m);
        }
    }
    Ok(best.expect("at least one run"))
}

/// The status column of the first row of documents.csv.
fn document_status(path: &Path) -> String {
    let Ok(mut r) = csv::Reader::from_path(path) else {
        return "no documents.csv".into();
    };
    let headers = r.headers().cloned().unwrap_or_default();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (status, warnings) = (col("status"), col("warnings"));
    let Some(rec) = r.records().flatten().next() else {
        return String::new();
    };
    let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").to_string();
    let (s, w) = (get(status), get(warnings));
    if w.is_empty() {
        s
    } else {
        format!("{s} (warnings: {w})")
    }
}

/// The results of one shape.
#[derive(Clone, Debug)]
pub struct ShapeResult {
    /// The shape.
    pub name: &'static str,
    /// What it looks like.
    pub about: &'static str,
    /// One measure per size, in [`SIZES`] order.
    pub sizes: Vec<Measure>,
}

impl ShapeResult {
    /// MB/s at the largest size over MB/s at the smallest (CPU MB/s when known).
    pub fn ratio(&self) -> f64 {
        let (a, b) = (&self.sizes[0], &self.sizes[self.sizes.len() - 1]);
        b.judged_mbps() / a.judged_mbps()
    }

    /// True when the shape meets both targets; `None` for a single size
    /// (the opt-in 60 MB line), which the targets do not speak of.
    pub fn met(&self) -> Option<bool> {
        let last = &self.sizes[self.sizes.len() - 1];
        (self.sizes.len() >= 2)
            .then(|| self.ratio() >= RATIO_TARGET && last.rss_mb.is_none_or(|r| r < RSS_TARGET_MB))
    }
}

/// Write every shape at `sizes` into `dir` and measure each with `exe`.
/// `progress` is told what runs.
pub fn run_suite(
    exe: &Path,
    dir: &Path,
    shapes: &[Shape],
    sizes: &[usize],
    runs: usize,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<ShapeResult>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut out = Vec::new();
    for shape in shapes {
        let mut measures = Vec::new();
        for &size in sizes {
            let path: PathBuf = dir.join(format!("{}-{size}.{}", shape.name, shape.ext));
            std::fs::write(&path, shape.build(size)).map_err(|e| Error::io(&path, e))?;
            let m = measure(exe, &path, &dir.join("out"), runs)?;
            progress(&format!(
                "{} {:.1} MB: {:.2} s, {:.2} MB/s, {:.2} CPU s, {} MB peak, {}",
                shape.name,
                m.bytes as f64 / 1e6,
                m.seconds,
                m.mbps(),
                m.cpu_seconds.unwrap_or(f64::NAN),
                m.rss_mb.map_or("?".into(), |r| format!("{r:.0}")),
                m.status
            ));
            let _ = std::fs::remove_file(&path);
            measures.push(m);
        }
        out.push(ShapeResult {
            name: shape.name,
            about: shape.about,
            sizes: measures,
        });
    }
    let _ = std::fs::remove_dir_all(dir.join("out"));
    Ok(out)
}

/// The Markdown report: one row per shape.
pub fn report(results: &[ShapeResult], header: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{header}\n");
    let _ = writeln!(
        s,
        "| shape | size | wall s | MB/s | CPU s | MB/s of CPU | peak RSS MB | status | ratio 2 MB / 0.5 MB (target ≥ {RATIO_TARGET}) | met |"
    );
    let _ = writeln!(
        s,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |"
    );
    for r in results {
        for (k, m) in r.sizes.iter().enumerate() {
            let last = k + 1 == r.sizes.len();
            let _ = writeln!(
                s,
                "| {} | {:.1} MB | {:.2} | {:.2} | {} | {} | {} | {} | {} | {} |",
                if k == 0 { r.name } else { "" },
                m.bytes as f64 / 1e6,
                m.seconds,
                m.mbps(),
                m.cpu_seconds.map_or("?".into(), |c| format!("{c:.2}")),
                m.cpu_mbps().map_or("?".into(), |c| format!("{c:.2}")),
                m.rss_mb.map_or("?".into(), |r| format!("{r:.0}")),
                m.status,
                if last && r.sizes.len() > 1 {
                    format!("{:.2}", r.ratio())
                } else {
                    String::new()
                },
                match (last, r.met()) {
                    (false, _) => "",
                    (true, Some(true)) => "yes",
                    (true, Some(false)) => "**no**",
                    (true, None) => "no target",
                },
            );
        }
    }
    let _ = writeln!(s, "\nShapes:\n");
    for r in results {
        let _ = writeln!(s, "- `{}`: {}", r.name, r.about);
    }
    s
}

/// The text between `<!-- adversarial -->` and `<!-- /adversarial -->` in `doc`.
pub fn section(doc: &str) -> Option<&str> {
    bench::marked_section(doc, MARKER)
}

const MARKER: &str = "adversarial";

/// Replace the text between `<!-- adversarial -->` and `<!-- /adversarial -->`
/// in `doc` with `section`, or append the section with its markers.
pub fn splice(doc: &str, section: &str) -> String {
    bench::splice_marked(doc, MARKER, section)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_reach_their_size_and_have_no_full_stop() {
        for shape in SHAPES {
            let s = shape.build(20_000);
            assert!(s.len() >= 20_000, "{}: {}", shape.name, s.len());
            assert!(s.len() < 40_000, "{}: {}", shape.name, s.len());
            if shape.ext == "txt" && !["one-word", "titled-persons"].contains(&shape.name) {
                assert!(!s.contains(". "), "{}", shape.name);
            }
        }
    }

    #[test]
    fn splice_replaces_or_appends() {
        let once = splice("# B\n", "x\n");
        assert_eq!(
            once,
            "# B\n\n<!-- adversarial -->\nx\n<!-- /adversarial -->\n"
        );
        assert_eq!(
            splice(&once, "y\n"),
            "# B\n\n<!-- adversarial -->\ny\n<!-- /adversarial -->\n"
        );
        assert_eq!(section(&once), Some("x\n"));
        assert_eq!(section("# B\n"), None);
    }
}
