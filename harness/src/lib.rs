//! The harness: runs the zmq-book-rs examples and checks that they do what the
//! walkthrough says.
//!
//! - [`Bins`]: where the binaries are (this workspace's build, or a student's).
//! - [`Running`]: a spawned example, killed when dropped; wait for its lines with
//!   a timeout, read its `bound` endpoint, signal it, wait for its exit.
//! - [`HeapSummary`]: dhat's profile as Valgrind's leak summary.
//! - [`lab`]: the course labs, exercises made of the book's bugs.
//! - [`scenarios`]: every chapter's checks, as plain functions of a [`Bins`], used
//!   by the tests, by `harness check` and by the demos.
//! - [`transcripts`]: the walkthrough's console transcripts, written from real
//!   runs and checked against fresh ones.
//!
//! No scenario sleeps to synchronise: servers bind `tcp://127.0.0.1:*`, the
//! harness reads the real port from their `bound` line, and every wait is for a
//! line, with a timeout that only matters when something is broken.

pub mod bins;
pub mod chart;
pub mod demo;
pub mod lab;
pub mod leak;
pub mod net;
pub mod process;
pub mod rss;
pub mod scenarios;
pub mod transcripts;

use std::fmt;
use std::time::Duration;

pub use bins::Bins;
pub use leak::{Amount, HeapSummary};
pub use process::{Finished, Running, Stream};

/// How long a wait may take before the harness calls it a failure. Generous: it
/// only runs out when something is broken, and a loaded machine is slow.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// What a failed check says: what was expected, and the last lines the program
/// printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Failure(String);

/// The result of a check.
pub type Result<T> = std::result::Result<T, Failure>;

impl Failure {
    /// A failure saying `what`.
    pub fn new(what: impl Into<String>) -> Failure {
        Failure(what.into())
    }

    /// The same failure, with what was being done put in front.
    pub fn context(self, doing: impl fmt::Display) -> Failure {
        Failure(format!("{doing}: {}", self.0))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// A test that returns `Err` prints the error's Debug form: make it the readable one.
impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

/// Fails with `what` unless `condition` holds: the scenarios' assertion.
pub fn ensure(condition: bool, what: impl FnOnce() -> String) -> Result<()> {
    if condition {
        Ok(())
    } else {
        Err(Failure::new(what()))
    }
}
