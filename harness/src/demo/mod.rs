//! One-command demos: start a lesson's processes, show their output labelled by
//! program as it comes, and stop them.

use crate::{Bins, Failure, Result};

pub mod ch1;
pub mod ch2;
pub mod ch3;
pub mod ch3_czmq;
pub mod ch4_broker;
pub mod ch4_reliability;
pub mod partition;
mod stage;

pub use stage::Stage;

/// A demo: its name, what it shows, the programs it runs (the only ones it
/// builds and may start), and the function that runs it.
#[derive(Clone, Copy)]
pub struct Lesson {
    /// What `harness demo` calls it, e.g. `hello`.
    pub name: &'static str,
    /// What it shows, in one line (`harness list`).
    pub about: &'static str,
    /// The binaries it starts.
    pub programs: &'static [&'static str],
    /// Runs it with these binaries.
    pub run: fn(&Bins) -> Result<()>,
}

/// The lessons `harness demo` can show, chapter by chapter.
pub fn lessons() -> Vec<Lesson> {
    [
        ch1::LESSONS,
        ch2::LESSONS,
        ch3::LESSONS,
        ch3_czmq::LESSONS,
        ch4_broker::LESSONS,
        ch4_reliability::LESSONS,
        partition::LESSONS,
    ]
    .concat()
}

/// The lesson called `name`.
pub fn lesson(name: &str) -> Result<Lesson> {
    lessons()
        .into_iter()
        .find(|lesson| lesson.name == name)
        .ok_or_else(|| Failure::new(format!("no demo called {name:?} (see `harness list`)")))
}

/// Runs the demo called `name`, having built only its programs.
pub fn run(name: &str) -> Result<()> {
    let lesson = lesson(name)?;
    let bins = Bins::workspace_programs(lesson.programs)?;
    (lesson.run)(&bins)
}
