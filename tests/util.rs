//! Test harness: a temporary work directory, the `accord` binary, CSV readers.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where `corpus/` and `tests/gold/` live).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary directory to run accord in.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write a file (creating parent directories).
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// The gazetteer cache directory of the runs in this workdir.
    pub fn cache_dir(&self) -> PathBuf {
        self.path().join(".accord-cache")
    }

    /// `accord ARGS` with this directory as the working directory, and the
    /// gazetteer cache in [`cache_dir`](Self::cache_dir), never the user's.
    pub fn accord(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run accord")
    }

    /// The command [`accord`](Self::accord) runs, to add to.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord"));
        cmd.args(args)
            .current_dir(self.path())
            .env("ACCORD_CACHE_DIR", self.cache_dir());
        cmd
    }

    /// `accord ARGS` reading `input` on standard input.
    pub fn accord_stdin(&self, args: &[&str], input: &[u8]) -> Output {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(args)
            .current_dir(self.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run accord");
        let mut stdin = child.stdin.take().expect("stdin");
        let input = input.to_vec();
        let feed = std::thread::spawn(move || stdin.write_all(&input));
        let out = child.wait_with_output().expect("wait for accord");
        feed.join().expect("feeder").expect("write stdin");
        out
    }

    /// Like [`accord`](Self::accord) but panics unless the exit status is 0.
    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.accord(args);
        assert!(
            out.status.success(),
            "accord {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// Parse a CSV file (skipping `#` comments) into header-keyed rows.
pub fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The (doc_id, type, canonical) set of an entities CSV.
pub fn entity_set(text: &str) -> BTreeSet<(String, String, String)> {
    csv_rows(text)
        .into_iter()
        .map(|r| {
            (
                r["doc_id"].clone(),
                r["type"].clone(),
                r["canonical"].clone(),
            )
        })
        .collect()
}

/// Assert two texts are equal, showing the first differing line only.
#[track_caller]
pub fn assert_same(got: &str, want: &str, what: &str) {
    if got == want {
        return;
    }
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    let i = g
        .iter()
        .zip(&w)
        .position(|(a, b)| a != b)
        .unwrap_or(g.len().min(w.len()));
    panic!(
        "{what}: differ at line {} ({} vs {} lines)\n got: {:?}\nwant: {:?}",
        i + 1,
        g.len(),
        w.len(),
        g.get(i),
        w.get(i)
    );
}
