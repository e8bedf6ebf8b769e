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
