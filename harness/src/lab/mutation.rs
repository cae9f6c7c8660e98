//! The test of an exercise (`cargo test -p harness --test scenarios labs::`):
//! its starter fails at least one graded scenario, the reference passes
//! them all. The book's own bugs, used as a mutation test of the harness: a
//! starter that passed would show a blind spot of the scenarios.
//!
//! The reference's run of a graded scenario is that scenario's own test,
//! `<chapter>::<scenario>`, in the same test run; the exercise's test checks
//! that each is one, and runs its starter.

use std::time::Duration;

use super::grading::{listed, run_graded, Outcome, Until};
use super::Exercise;
use crate::{Bins, Failure, Result};

/// How long a wait on a starter may take: a starter that hangs (a reply
/// that never ends, a server that relays nothing) fails in this time, not in
/// the scenarios' [`crate::PATIENCE`]. A shorter wait can only make a starter
/// fail sooner, never pass.
pub const STARTER_PATIENCE: Duration = Duration::from_secs(2);

/// No limit but the scenarios' own.
const NO_LIMIT: Duration = Duration::from_secs(3600);

/// Checks that every graded scenario of `exercise` is a scenario of the
/// tables (so its own test runs it on the reference), and that the starter,
/// the `labs` binary of the exercise's name in `bins`, fails one of them —
/// one that started it (it stops at the first).
pub fn check_exercise(exercise: &Exercise, bins: &Bins) -> Result<()> {
    for graded in exercise.graded {
        listed(graded.scenario)?;
    }
    let starter = bins.path(exercise.name);
    if !starter.is_file() {
        return Err(Failure::new(format!(
            "no starter {} (the labs crate's binaries are built with the workspace's)",
            starter.display()
        )));
    }
    let report = run_graded(
        exercise,
        bins,
        &starter,
        STARTER_PATIENCE,
        NO_LIMIT,
        Until::FirstFailure,
        |_| {},
    );
    let failed = report
        .results
        .iter()
        .find(|result| matches!(result.outcome, Outcome::Failed(_)));
    match failed {
        None => Err(Failure::new(format!(
            "the starter of {} passes every graded scenario: the scenarios \
             cannot see its defect (a blind spot of the harness)",
            exercise.name
        ))),
        Some(result) if !result.started => Err(Failure::new(format!(
            "{} failed for the starter of {} without starting it: {:?}",
            result.graded.scenario, exercise.name, result.outcome
        ))),
        Some(_) => Ok(()),
    }
}
