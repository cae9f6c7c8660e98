//! Running an exercise's graded scenarios with one program replaced.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{Exercise, Graded};
use crate::scenarios::{self, Listed};
use crate::{Bins, Failure, Result};

/// How one graded scenario went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It passed.
    Passed,
    /// It failed, saying why.
    Failed(String),
    /// Not run: the time limit was reached first.
    NotRun,
}

/// One graded scenario and its outcome.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    /// The scenario and what it expects.
    pub graded: Graded,
    /// What happened.
    pub outcome: Outcome,
    /// How long it took.
    pub took: Duration,
}

/// Every graded scenario's result, in order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One per graded scenario run (or not run).
    pub results: Vec<ScenarioResult>,
    /// True if the time limit ended the check.
    pub timed_out: bool,
}

impl Report {
    /// How many passed.
    pub fn passed(&self) -> usize {
        self.results
            .iter()
            .filter(|result| result.outcome == Outcome::Passed)
            .count()
    }

    /// True if every graded scenario passed.
    pub fn all_passed(&self) -> bool {
        !self.results.is_empty() && self.passed() == self.results.len()
    }
}

/// The scenario `name` (`<chapter>::<scenario>`) of the scenario tables.
pub fn listed(name: &str) -> Result<Listed> {
    scenarios::all()
        .into_iter()
        .find(|listed| listed.full_name() == name)
        .ok_or_else(|| Failure::new(format!("no scenario called {name}")))
}

/// What to do after each scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Run them all.
    All,
    /// Stop at the first that fails (a starter's test needs only one).
    FirstFailure,
}

/// Runs `exercise`'s graded scenarios with `binary` in its program's place
/// and every other program from `reference`, each wait on a program cut to
/// `patience`. Each scenario runs on a thread of its own: one that panics is
/// a failure, and once `limit` has passed since the start the check stops
/// waiting (the rest are [`Outcome::NotRun`]). A scenario that never started
/// the program fails: it proved nothing about it. `progress` sees each
/// result as it comes.
pub fn run_graded(
    exercise: &Exercise,
    reference: &Bins,
    binary: &Path,
    patience: Duration,
    limit: Duration,
    until: Until,
    mut progress: impl FnMut(&ScenarioResult),
) -> Report {
    let deadline = Instant::now() + limit;
    let mut report = Report::default();
    for &graded in exercise.graded {
        let started = Instant::now();
        let outcome = if report.timed_out {
            Outcome::NotRun
        } else {
            let bins = reference
                .clone()
                .with_program(exercise.program, binary)
                .with_patience(patience);
            match run_one(graded.scenario, &bins, deadline) {
                Some(Ok(())) if bins.overridden_starts() == 0 => Outcome::Failed(format!(
                    "this scenario never started {}: it proves nothing about it \
                     (a fault of the exercise, not of your program)",
                    exercise.program
                )),
                Some(Ok(())) => Outcome::Passed,
                Some(Err(failure)) => Outcome::Failed(failure.to_string()),
                None => {
                    report.timed_out = true;
                    Outcome::Failed(format!(
                        "still running when the time limit ({limit:?}) was reached"
                    ))
                }
            }
        };
        let result = ScenarioResult {
            graded,
            outcome,
            took: started.elapsed(),
        };
        progress(&result);
        let failed = matches!(result.outcome, Outcome::Failed(_));
        report.results.push(result);
        if failed && until == Until::FirstFailure {
            break;
        }
    }
    report
}

/// Runs the scenario `name` on `bins` on a thread of its own, waiting for it
/// until `deadline`: `None` if it had not ended by then (it is left to end
/// by itself; every wait of a scenario is bounded).
fn run_one(name: &str, bins: &Bins, deadline: Instant) -> Option<Result<()>> {
    let listed = match listed(name) {
        Ok(listed) => listed,
        Err(failure) => return Some(Err(failure)),
    };
    let (sender, receiver) = mpsc::channel();
    let bins = bins.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("lab {name}"))
        .spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(|| (listed.check)(&bins)));
            let outcome = outcome.unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic");
                Err(Failure::new(format!("the check itself panicked: {what}")))
            });
            let _ = sender.send(outcome);
        });
    if let Err(e) = spawned {
        return Some(Err(Failure::new(format!("cannot start a thread: {e}"))));
    }
    let left = deadline.saturating_duration_since(Instant::now());
    receiver.recv_timeout(left).ok()
}
