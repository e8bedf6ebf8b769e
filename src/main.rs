//! The `accord` binary: parse the command line, run it, map the result to an
//! exit status. The one place that prints a fatal error.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = accord::cli::Cli::parse();
    match accord::cli::run(cli) {
        Ok(code) => code,
        // A reader such as `head` went away: that is success.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            for item in e.items() {
                eprintln!("accord: {item}");
            }
            ExitCode::from(2)
        }
    }
}
