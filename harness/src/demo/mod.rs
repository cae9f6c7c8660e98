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

/// A demo: its name, what it shows, and the function that runs it.
pub type Lesson = (&'static str, &'static str, fn(&Bins) -> Result<()>);

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

/// Runs the demo called `lesson`.
pub fn run(bins: &Bins, lesson: &str) -> Result<()> {
    let (_, _, demo) = lessons()
        .into_iter()
        .find(|(name, _, _)| *name == lesson)
        .ok_or_else(|| Failure::new(format!("no demo called {lesson:?} (see --help)")))?;
    demo(bins)
}
