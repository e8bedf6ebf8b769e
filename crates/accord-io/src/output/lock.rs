//! The lock of an output directory: two runs writing the same directory at
//! once would interleave their files, so a run takes `.accord.lock` there
//! (created exclusively, holding its process id, host and start time) and
//! removes it when done. A second run is told who holds it. A lock whose
//! process is gone (on this host) is stale and taken over.

use std::io::Write;
use std::path::{Path, PathBuf};

use accord_core::error::{Error, Result};

/// The lock file's name in the output directory.
pub const FILE: &str = ".accord.lock";

/// A held lock; dropping it removes the file.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// True when process `pid` of this host is no longer running (Linux; never
/// said elsewhere, so a lock is not taken over where this cannot be told).
fn gone(pid: u32) -> bool {
    Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
}

impl Lock {
    /// Take the lock of `dir`, or say who holds it.
    pub fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(FILE);
        let me = format!(
            "pid {} on {} since {} (unix time)\n",
            std::process::id(),
            host(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        );
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let lock = Lock { path };
                    f.write_all(me.as_bytes()).map_err(|e| Error::io(dir, e))?;
                    return Ok(lock);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let holder = holder.trim();
                    let pid = holder
                        .strip_prefix("pid ")
                        .and_then(|r| r.split_whitespace().next())
                        .and_then(|p| p.parse::<u32>().ok());
                    let same_host = holder.contains(&format!(" on {} ", host()));
                    if let Some(pid) = pid
                        && same_host
                        && gone(pid)
                    {
                        // Stale: its run ended without removing it.
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    return Err(Error::msg(format!(
                        "{} is being written by another accord run ({}); wait for it to finish, or write elsewhere with -o (if no run is going on, remove {})",
                        dir.display(),
                        if holder.is_empty() { "unknown" } else { holder },
                        path.display()
                    )));
                }
                // An unwritable output directory: named, not the lock file.
                Err(e) => return Err(Error::io(dir, e)),
            }
        }
        Err(Error::msg(format!(
            "cannot take the lock {}",
            path.display()
        )))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_then_released_and_stale_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let a = Lock::take(dir.path()).unwrap();
        let err = Lock::take(dir.path()).unwrap_err().to_string();
        assert!(err.contains("another accord run (pid"), "{err}");
        drop(a);
        let b = Lock::take(dir.path()).unwrap();
        drop(b);
        // A lock left by a process that is gone.
        std::fs::write(
            dir.path().join(FILE),
            format!("pid 4000000000 on {} since 0\n", host()),
        )
        .unwrap();
        assert!(Lock::take(dir.path()).is_ok());
    }
}
