//! The gazetteer cache through the binary: cold and warm runs give the same
//! output; a changed gazetteer, a corrupt or truncated cache file, or an
//! unwritable cache directory never change it.

use std::path::PathBuf;

use crate::util::{Workdir, assert_same, repo};

const OUTPUTS: [&str; 3] = ["entities.csv", "triples.csv", "documents.csv"];

/// A workdir with the seed corpus and a gazetteer directory that adds
/// entries, replaces an embedded one and adds a title.
fn setup() -> Workdir {
    let wd = Workdir::new();
    for ent in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let p = ent.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        wd.write(&format!("corpus/{name}"), std::fs::read(&p).unwrap());
    }
    wd.write("corpus/extra.txt", "The Zeta Probe, built by ISRO and CNES, flew in 2031. Zeta-Indo talks followed; the Zeta Probe analysis was upbeat.\n");
    wd.write(
        "gaz/missions.csv",
        "id,canonical,aliases,partners,not\nmission:zeta,Zeta Probe,ZP|Zeta,IN|FR,Zeta Probe analysis\n",
    );
    wd.write(
        "gaz/agencies.csv",
        "id,canonical,aliases,country\nagency:isro,Indian Space Research Organisation,ISRO|Bharatiya Test Agency,IN\n",
    );
    wd.write(
        "gaz/titles.csv",
        "title,aliases\nChief Zetologist,Zetologist\n",
    );
    wd
}

/// `extract corpus -g gaz -o OUT --stats OUT.json` plus `more`; returns the
/// cache status from the stats and the stderr.
fn extract(wd: &Workdir, out: &str, more: &[&str]) -> (String, String) {
    extract_with(wd, "gaz", out, more)
}

fn extract_with(wd: &Workdir, gaz: &str, out: &str, more: &[&str]) -> (String, String) {
    let stats = format!("{out}.json");
    let mut args = vec!["extract", "corpus", "-g", gaz, "-o", out, "--stats", &stats];
    args.extend_from_slice(more);
    let run = wd.ok(&args);
    let v: serde_json::Value = serde_json::from_str(&wd.read(&stats)).unwrap();
    (
        v["gazetteer_cache"].as_str().unwrap().to_string(),
        String::from_utf8(run.stderr).unwrap(),
    )
}

fn assert_same_output(wd: &Workdir, a: &str, b: &str) {
    for f in OUTPUTS {
        assert_same(
            &wd.read(&format!("{b}/{f}")),
            &wd.read(&format!("{a}/{f}")),
            &format!("{b}/{f} against {a}/{f}"),
        );
    }
}

/// The cache files in the workdir's cache directory (no temporary files).
fn cache_files(wd: &Workdir) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(wd.cache_dir()) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

fn the_cache_file(wd: &Workdir) -> PathBuf {
    let files = cache_files(wd);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        files[0].extension().is_some_and(|x| x == "bin"),
        "{files:?}"
    );
    files[0].clone()
}

#[test]
fn cold_and_warm_runs_give_identical_output() {
    let wd = setup();
    let (status, _) = extract(&wd, "nocache", &["--no-cache"]);
    assert_eq!(status, "off");
    assert!(cache_files(&wd).is_empty(), "--no-cache wrote a cache file");
    let (status, err) = extract(&wd, "cold", &[]);
    assert_eq!(status, "stored", "{err}");
    the_cache_file(&wd);
    let (status, err) = extract(&wd, "warm", &[]);
    assert_eq!(status, "hit");
    assert!(!err.contains("gazetteer cache"), "{err}");
    assert_same_output(&wd, "nocache", "cold");
    assert_same_output(&wd, "nocache", "warm");
    // The user's rows are in the output: the cache kept them.
    let ents = wd.read("warm/entities.csv");
    assert!(ents.contains("mission:zeta"), "{ents}");
    // The directory spelled another way reads the same cache file.
    let abs = wd.path().join("gaz");
    let (status, _) = extract_with(&wd, abs.to_str().unwrap(), "abs", &[]);
    assert_eq!(status, "hit");
    assert_same_output(&wd, "nocache", "abs");
    assert_eq!(cache_files(&wd).len(), 1);
}

#[test]
fn a_changed_gazetteer_replaces_the_cache() {
    let wd = setup();
    extract(&wd, "first", &[]);
    let before = std::fs::read(the_cache_file(&wd)).unwrap();
    wd.write(
        "gaz/missions.csv",
        "id,canonical,aliases,partners,not\nmission:zeta,Zeta Probe,ZP|Zeta,IN|FR,Zeta Probe analysis\nmission:upbeat,Upbeat Orbiter,upbeat,,\n",
    );
    let (status, err) = extract(&wd, "changed", &[]);
    assert_eq!(status, "stored");
    assert!(err.contains("out of date"), "{err}");
    assert!(wd.read("changed/entities.csv").contains("mission:upbeat"));
    assert_ne!(std::fs::read(the_cache_file(&wd)).unwrap(), before);
    let (status, _) = extract(&wd, "again", &[]);
    assert_eq!(status, "hit");
    assert_same_output(&wd, "changed", "again");
    let (_, _) = extract(&wd, "fresh", &["--no-cache"]);
    assert_same_output(&wd, "fresh", "again");
}

#[test]
fn a_corrupt_or_truncated_cache_is_ignored_and_rebuilt() {
    let wd = setup();
    extract(&wd, "cold", &[]);
    let path = the_cache_file(&wd);
    let good = std::fs::read(&path).unwrap();
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let damaged: [(&str, Vec<u8>); 4] = [
        ("truncated", good[..good.len() - 100].to_vec()),
        ("flipped", flipped),
        ("empty", Vec::new()),
        (
            "garbage",
            b"not a cache file at all, just some text".repeat(50),
        ),
    ];
    for (what, bytes) in damaged {
        std::fs::write(&path, &bytes).unwrap();
        let (status, err) = extract(&wd, what, &[]);
        assert_eq!(status, "stored", "{what}");
        let warnings = err.matches("ignoring the gazetteer cache").count();
        assert_eq!(warnings, 1, "{what}: {err}");
        assert_same_output(&wd, "cold", what);
        assert_eq!(std::fs::read(&path).unwrap(), good, "{what}: not rebuilt");
        // Quiet runs say nothing.
        std::fs::write(&path, &bytes).unwrap();
        let (status, err) = extract(&wd, what, &["-q"]);
        assert_eq!((status.as_str(), err.as_str()), ("stored", ""), "{what}");
    }
}

#[test]
fn an_unwritable_cache_directory_is_a_warning() {
    let wd = setup();
    // A file where the directory should be: it cannot be created.
    wd.write(".accord-cache", "in the way");
    let (status, err) = extract(&wd, "out", &[]);
    assert_eq!(status, "not-stored");
    assert!(err.contains("cannot write the gazetteer cache"), "{err}");
    extract(&wd, "nocache", &["--no-cache"]);
    assert_same_output(&wd, "nocache", "out");
}

#[test]
fn the_embedded_gazetteers_alone_are_not_cached() {
    let wd = setup();
    let run = wd.ok(&["extract", "corpus", "-o", "out", "--stats", "s.json"]);
    let v: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    assert_eq!(v["gazetteer_cache"], "off", "{:?}", run);
    assert!(!wd.cache_dir().exists());
}

#[test]
fn eval_uses_the_cache_and_gives_the_same_scores() {
    let wd = setup();
    let gold = repo().join("tests/gold");
    let gold = gold.to_str().unwrap();
    let args = ["eval", "--gold", gold, "-g", "gaz", "--format", "json"];
    let cold = wd.ok(&args);
    the_cache_file(&wd);
    let warm = wd.ok(&args);
    assert_eq!(cold.stdout, warm.stdout);
    let wd2 = setup();
    let uncached = wd2.ok(&[&args[..], &["--no-cache"]].concat());
    assert_eq!(cold.stdout, uncached.stdout);
    assert!(!wd2.cache_dir().exists());
}
