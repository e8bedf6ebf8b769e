//! `accord bench --smoke`: the benchmark harness runs end to end on tiny data
//! and writes a complete report. (The real benchmark is `scripts/bench`; tests
//! never run it.)

use crate::util::Workdir;

/// The MB/s figures of a Markdown table: the cells of its `MB/s` columns.
fn mbps_cells(report: &str, heading: &str) -> Vec<f64> {
    let section = report
        .split("\n## ")
        .find(|s| s.starts_with(heading))
        .unwrap_or_else(|| panic!("no section {heading} in\n{report}"));
    let mut lines = section.lines().filter(|l| l.starts_with('|'));
    let header: Vec<&str> = lines.next().expect("a table").split('|').collect();
    let cols: Vec<usize> = (0..header.len())
        .filter(|&i| header[i].trim().starts_with("MB/s"))
        .collect();
    assert!(!cols.is_empty(), "no MB/s column in {heading}");
    lines
        .skip(1) // the --- row
        .flat_map(|l| {
            let cells: Vec<&str> = l.split('|').collect();
            cols.iter()
                .filter_map(|&i| cells[i].trim().parse::<f64>().ok())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn smoke_run_writes_a_complete_report() {
    let wd = Workdir::new();
    let out = wd.ok(&["bench", "--smoke", "--work", "w", "--write", "B.md"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let report = wd.read("B.md");
    assert_eq!(stdout, report, "stdout and --write differ");
    for needle in [
        "# accord benchmarks",
        "## Machine",
        "| logical CPUs |",
        "## Targets (issue 7)",
        "| 1M aliases: load + build (median) | < 10 s |",
        "## Gazetteer load + build",
        "| cached min | cached median |",
        "| shipped |",
        "| 10k |",
        "## Matcher and bare Aho-Corasick",
        "## End to end: `accord extract`",
        "| 2 MB | txt dir | shipped | 1 |",
        "| 2 MB | txt dir | 10k | 1 |",
    ] {
        assert!(report.contains(needle), "{needle:?} not in\n{report}");
    }
    let in_process = mbps_cells(&report, "Matcher and bare");
    assert_eq!(in_process.len(), 4, "{in_process:?}");
    let e2e = mbps_cells(&report, "End to end");
    assert!(e2e.len() >= 4, "{e2e:?}");
    for v in in_process.iter().chain(&e2e) {
        assert!(*v > 0.0, "zero MB/s in\n{report}");
    }
    // The generated data stays in the work directory with its stamps.
    assert!(wd.path().join("w/corpus-2mb.stamp").is_file());
    assert!(wd.path().join("w/gaz-10k/missions.csv").is_file());
    assert!(!wd.path().join("w/out").exists());
    // The warm loads used the bench's own cache directory.
    assert!(wd.path().join("w/cache").is_dir());
    assert!(!wd.cache_dir().exists());
}

#[test]
fn a_bad_flag_is_refused() {
    let wd = Workdir::new();
    let out = wd.accord(&["bench", "--smoke", "--runs", "0", "--work", "w"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--runs"));
}

/// The rows of the roofline table: stage name → its cells.
fn roofline_rows(report: &str) -> Vec<Vec<String>> {
    report
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| stage") && !l.starts_with("| ---"))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn roofline_reports_every_stage_with_positive_figures() {
    let wd = Workdir::new();
    // An existing report keeps its other sections.
    wd.write("B.md", "# accord benchmarks\n\nkept\n");
    let out = wd.ok(&[
        "bench",
        "--roofline",
        "--size-mb",
        "1",
        "--runs",
        "1",
        "--work",
        "w",
        "--write",
        "B.md",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let written = wd.read("B.md");
    assert!(
        written.starts_with("# accord benchmarks\n\nkept\n"),
        "{written}"
    );
    assert!(
        written.contains(&format!("<!-- roofline -->\n{stdout}<!-- /roofline -->")),
        "{written}"
    );
    let rows = roofline_rows(&stdout);
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        ["reader", "worker", "writer", "bare scan"],
        "{stdout}"
    );
    for r in &rows {
        // min, median, MB/s of input, MB/s of text: all positive numbers.
        for cell in [&r[1], &r[2]] {
            let secs: f64 = cell.trim_end_matches(" s").parse().unwrap();
            assert!(secs > 0.0, "{stdout}");
        }
        for cell in [&r[3], &r[4]] {
            let v: f64 = cell.parse().unwrap();
            assert!(v > 0.0 && v.is_finite(), "{stdout}");
        }
    }
    for (row, ratio) in [(0, "reader ÷ worker: "), (2, "writer ÷ worker: ")] {
        let allows: f64 = rows[row][5].trim_end_matches('×').parse().unwrap();
        assert!(allows > 0.0, "{stdout}");
        let line = stdout.lines().find(|l| l.contains(ratio)).unwrap();
        assert!(line.contains(&format!("{allows:.1}×")), "{line}");
    }
    let docs: usize = stdout
        .split("documents,")
        .next()
        .and_then(|s| s.rsplit(' ').nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(docs > 0, "{stdout}");
    // The writer's scratch output is gone.
    assert!(!wd.path().join("w/roofline-out").exists());
}
