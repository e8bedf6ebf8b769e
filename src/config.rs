//! The resolved run configuration and its embedded defaults.

use std::path::PathBuf;

use accord_io::input::Input;
use accord_io::output::CsvOptions;

/// A validated configuration for `accord extract`.
#[derive(Clone, Debug)]
pub struct Config {
    /// What to read. Default: `corpus/`.
    pub inputs: Vec<Input>,
    /// Where to write. Default: `output/`.
    pub out: PathBuf,
    /// Extra gazetteers. Default: none (the embedded ones only).
    pub gazetteers: Option<PathBuf>,
    /// Worker threads. Default: 0, one per core.
    pub threads: usize,
    /// Cell writing options.
    pub csv: CsvOptions,
    /// No summary line.
    pub quiet: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            inputs: vec![Input::Path(PathBuf::from("corpus"))],
            out: PathBuf::from("output"),
            gazetteers: None,
            threads: 0,
            csv: CsvOptions::default(),
            quiet: false,
        }
    }
}
