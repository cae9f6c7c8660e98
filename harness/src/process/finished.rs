//! How an example ended, and the last lines a failure shows.

use std::process::ExitStatus;
use std::time::Duration;

use super::Stream;
use crate::leak::HeapSummary;
use crate::{Failure, Result};

/// How many lines of each stream a failure message shows.
const SHOWN_LINES: usize = 12;

/// How an example ended, with everything it printed.
#[derive(Debug)]
pub struct Finished {
    /// The program's name.
    pub name: String,
    /// Its exit status.
    pub status: ExitStatus,
    /// Every line it printed on stdout.
    pub stdout: Vec<String>,
    /// Every line it printed on stderr.
    pub stderr: Vec<String>,
    /// The heap summary, when it ran under [`crate::Bins::spawn_profiled`].
    pub heap: Option<HeapSummary>,
    /// From spawn to exit.
    pub elapsed: Duration,
}

impl Finished {
    /// The exit code; `None` if a signal killed it.
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// Fails unless the exit code is `expected`.
    pub fn expect_code(self, expected: i32) -> Result<Finished> {
        if self.code() == Some(expected) {
            Ok(self)
        } else {
            Err(Failure::new(format!(
                "{} exited with {} instead of code {expected}\n{}",
                self.name,
                self.status,
                show_lines(&self.stdout, &self.stderr)
            )))
        }
    }

    /// Fails unless it exited 0.
    pub fn expect_success(self) -> Result<Finished> {
        self.expect_code(0)
    }

    /// The lines of `stream` that start with `prefix`, with the prefix removed.
    pub fn lines_after(&self, stream: Stream, prefix: &str) -> Vec<&str> {
        let lines = match stream {
            Stream::Stdout => &self.stdout,
            Stream::Stderr => &self.stderr,
        };
        lines
            .iter()
            .filter_map(|line| line.strip_prefix(prefix))
            .collect()
    }
}

/// The last [`SHOWN_LINES`] lines of each stream, for a failure message.
pub(super) fn show_lines(stdout: &[String], stderr: &[String]) -> String {
    let last = |lines: &[String]| {
        let skipped = lines.len().saturating_sub(SHOWN_LINES);
        let mut shown = String::new();
        if skipped > 0 {
            shown.push_str(&format!("    … {skipped} earlier lines\n"));
        }
        for line in &lines[skipped..] {
            shown.push_str(&format!("    {line}\n"));
        }
        shown
    };
    format!(
        "  last stdout lines:\n{}  last stderr lines:\n{}",
        last(stdout),
        last(stderr)
    )
}
