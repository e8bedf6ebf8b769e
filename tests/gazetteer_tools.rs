//! `accord gazetteer lint`, `suggest` and `import-wikidata` through the binary.

use crate::util::{Workdir, repo};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn lint_passes_the_shipped_gazetteers_and_names_their_files() {
    let wd = Workdir::new();
    let gaz = repo().join("gazetteers");
    let out = wd.accord(&[
        "gazetteer",
        "lint",
        "-g",
        gaz.to_str().unwrap(),
        "--no-embedded",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains(" 0 errors"),
        "{}",
        text(&out.stderr)
    );
    // Warnings name the real files, not the embedded copies.
    for line in text(&out.stdout).lines().filter(|l| !l.starts_with(' ')) {
        assert!(line.contains("gazetteers/"), "{line}");
    }
    // Without a subcommand, `accord gazetteer` still checks and counts.
    let out = wd.ok(&["gazetteer"]);
    assert!(text(&out.stdout).contains("COUNTRY"));
}

#[test]
fn lint_reports_each_problem_with_file_line_and_help_and_fails_on_errors() {
    let wd = Workdir::new();
    wd.write(
        "gaz/agencies.csv",
        "id,canonical,aliases,country,wikidata,case\n\
         agency:zeta,Zeta Orbital Agency,ZOA|India|Hope|Zo,UK,Q0042,\n",
    );
    wd.write(
        "gaz/officials.csv",
        "id,canonical,aliases,title,org,from,to\n\
         person:zed,Zed Zee,,Administrator,agency:nasa,2022,\n\
         person:yan,Yan Why,,Chair,agency:nope,2020,2021\n",
    );
    wd.write(
        "gaz/missions.csv",
        "id,canonical,partners\nmission:zm,Zeta Mission,FR|QQ\n",
    );
    let out = wd.accord(&["gazetteer", "lint", "-g", "gaz"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    for (needle, what) in [
        (
            "agencies.csv:2: warning[shared-alias]: alias 'India' also names country:in",
            "shared alias",
        ),
        (
            "ambiguous: it names an AGENCY and a COUNTRY; agency:zeta is loaded first and takes every match, so country:in never matches it",
            "types",
        ),
        (
            "agencies.csv:2: warning[common-word]: alias 'Hope'",
            "common word",
        ),
        ("agencies.csv:2: warning[short-alias]: alias 'Zo'", "short"),
        (
            "agencies.csv:2: error[country-code]: country 'UK'",
            "non-ISO",
        ),
        (
            "agencies.csv:2: error[wikidata]: wikidata 'Q0042'",
            "wikidata",
        ),
        (
            "officials.csv:2: warning[post-overlap]: 'Administrator' of agency:nasa: Zed Zee (2022-)",
            "overlap",
        ),
        (
            "officials.csv:3: error[unknown-reference]: org 'agency:nope'",
            "org",
        ),
        ("missions.csv:2: error[country-code]: party 'QQ'", "party"),
        ("    help: ", "help lines"),
    ] {
        assert!(stdout.contains(needle), "no {what} ({needle}) in\n{stdout}");
    }
    assert!(
        text(&out.stderr).contains("errors"),
        "{}",
        text(&out.stderr)
    );
    // Warnings alone pass.
    wd.write(
        "gaz2/agencies.csv",
        "id,canonical,aliases\nagency:zeta,Zeta Orbital Agency,Zo\n",
    );
    let out = wd.accord(&["gazetteer", "lint", "-g", "gaz2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("short-alias"));
}
