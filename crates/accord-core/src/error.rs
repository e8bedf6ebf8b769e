//! Typed errors that say where they happened.
//!
//! Every error a library stage returns carries the file (and, for line-oriented
//! input such as gazetteers, the line) it is about. Messages are lowercase and
//! name the offending value, so the command line can print them as they are.

use std::fmt;
use std::path::{Path, PathBuf};

/// An error from one of accord's stages.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

#[derive(Debug)]
enum ErrorKind {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Csv {
        path: PathBuf,
        source: csv::Error,
    },
    /// A gazetteer row that cannot be used.
    Row {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// Several errors found in one pass (a gazetteer lint, say).
    Partial(Vec<Error>),
    Message(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error {
            kind: ErrorKind::Io {
                path: path.as_ref().to_path_buf(),
                source,
            },
        }
    }

    /// A CSV error in the file at `path`.
    pub fn csv(path: impl AsRef<Path>, source: csv::Error) -> Self {
        Error {
            kind: ErrorKind::Csv {
                path: path.as_ref().to_path_buf(),
                source,
            },
        }
    }

    /// A bad row: `path`, its line number and what is wrong with it.
    pub fn row(path: impl AsRef<Path>, line: u64, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Row {
                path: path.as_ref().to_path_buf(),
                line,
                message: message.into(),
            },
        }
    }

    /// Several errors found in one pass.
    pub fn partial(errors: Vec<Error>) -> Self {
        Error {
            kind: ErrorKind::Partial(errors),
        }
    }

    /// An error with a plain message (bad arguments, say).
    pub fn msg(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Message(message.into()),
        }
    }

    /// The individual errors: several for a partial error, else just this one.
    pub fn items(&self) -> Vec<&Error> {
        match &self.kind {
            ErrorKind::Partial(all) => all.iter().flat_map(|e| e.items()).collect(),
            _ => vec![self],
        }
    }

    /// Where the error happened (`file` or `file:line`), if it names a
    /// place, and what happened there.
    pub fn location_and_message(&self) -> (Option<String>, String) {
        match &self.kind {
            ErrorKind::Io { path, source } => {
                (Some(path.display().to_string()), source.to_string())
            }
            ErrorKind::Csv { path, source } => {
                let place = match source.position() {
                    Some(p) => format!("{}:{}", path.display(), p.line()),
                    None => path.display().to_string(),
                };
                (Some(place), csv_reason(source))
            }
            ErrorKind::Row {
                path,
                line,
                message,
            } => (Some(format!("{}:{line}", path.display())), message.clone()),
            _ => (None, self.to_string()),
        }
    }

    /// True when the error is a full disk, a full quota or a file-size
    /// limit (`ulimit -f`).
    pub fn is_out_of_space(&self) -> bool {
        use std::io::ErrorKind as K;
        let io = match &self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            ErrorKind::Csv { source, .. } => match source.kind() {
                csv::ErrorKind::Io(io) => Some(io),
                _ => None,
            },
            _ => None,
        };
        io.is_some_and(|e| {
            matches!(
                e.kind(),
                K::StorageFull | K::FileTooLarge | K::QuotaExceeded
            )
        })
    }

    /// True when the error is a broken pipe on output (a reader such as `head` went away).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(&self.kind, ErrorKind::Io { source, .. }
            if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Io { path, source } => write!(f, "{}: {}", path.display(), source),
            ErrorKind::Csv { path, source } => {
                let line = source.position().map(|p| p.line());
                match line {
                    Some(line) => write!(f, "{}:{}: {}", path.display(), line, csv_reason(source)),
                    None => write!(f, "{}: {}", path.display(), csv_reason(source)),
                }
            }
            ErrorKind::Row {
                path,
                line,
                message,
            } => write!(f, "{}:{}: {}", path.display(), line, message),
            ErrorKind::Partial(all) => {
                let lines: Vec<String> = all.iter().map(|e| e.to_string()).collect();
                write!(f, "{}", lines.join("\n"))
            }
            ErrorKind::Message(m) => write!(f, "{m}"),
        }
    }
}

/// The csv crate's messages repeat the position; keep only the reason.
fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {}", err.field() + 1),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("row has {len} fields, the header has {expected_len}"),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            ErrorKind::Csv { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Result with accord's error type.
pub type Result<T> = std::result::Result<T, Error>;
