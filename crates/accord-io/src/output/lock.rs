//! The lock of an output directory: two runs writing the same directory at
//! once would interleave their files, so a run holds an OS file lock on
//! `.accord.lock` there for as long as it writes. The file holds the
//! holder's process id, host and start time, so that a second run is told
//! who holds it. The OS drops the lock when its process ends, however it
//! ends, so a lock file left by a run that crashed is simply taken.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use accord_core::error::{Error, Result};

/// The lock file's name in the output directory.
pub const FILE: &str = ".accord.lock";

/// A held lock; dropping it removes the file and releases the lock.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    _file: File,
}

/// Whether `file` is still the one at `path`: a run that removed the lock
/// file as we locked it leaves us holding a lock on a file nobody else sees.
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at(_file: &File, path: &Path) -> bool {
    path.exists()
}

impl Lock {
    /// Take the lock of `dir`, or say who holds it.
    pub fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(FILE);
        loop {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                // An unwritable output directory: named, not the lock file.
                .map_err(|e| Error::io(dir, e))?;
            match file.try_lock() {
                Ok(()) if still_at(&file, &path) => {
                    let me = format!(
                        "pid {} since {} (unix time)\n",
                        std::process::id(),
                        std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map(|d| d.as_secs())
                            .unwrap_or(0)
                    );
                    file.set_len(0)
                        .and_then(|()| file.rewind())
                        .and_then(|()| file.write_all(me.as_bytes()))
                        .map_err(|e| Error::io(&path, e))?;
                    return Ok(Lock { path, _file: file });
                }
                // The file was replaced while we locked it: lock the new one.
                Ok(()) => continue,
                Err(TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    return Err(Error::msg(format!(
                        "{} is being written by another accord run ({}); wait for it to finish, or write elsewhere with -o",
                        dir.display(),
                        if holder.is_empty() { "unknown" } else { holder },
                    )));
                }
                Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked: a run waiting on this file sees it
        // replaced (`still_at`) and locks the next one.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_then_released_and_a_crashed_runs_file_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let a = Lock::take(dir.path()).unwrap();
        let err = Lock::take(dir.path()).unwrap_err().to_string();
        assert!(err.contains("another accord run (pid"), "{err}");
        drop(a);
        assert!(!dir.path().join(FILE).exists());
        let b = Lock::take(dir.path()).unwrap();
        drop(b);
        // A file left by a run that ended without removing it holds no OS lock.
        std::fs::write(dir.path().join(FILE), "pid 4000000000 since 0\n").unwrap();
        let c = Lock::take(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(
            text.starts_with(&format!("pid {} ", std::process::id())),
            "{text}"
        );
        drop(c);
    }
}
