//! The test of an exercise (`cargo test -p harness --test scenarios labs::`):
//! the reference passes every graded scenario, and the starter fails at
//! least one. The book's own bugs, used as a mutation test of the harness: a
//! starter that passed would show a blind spot of the scenarios.

use std::time::Duration;

use super::grading::{run_graded, Outcome, Report, Until};
use super::Exercise;
use crate::{Bins, Failure, Result, PATIENCE};

/// How long a wait on a starter may take: a starter that hangs (a reply
/// that never ends, a server that relays nothing) fails in this time, not
/// in the scenarios' [`PATIENCE`]. The reference runs with the whole
/// patience.
pub const STARTER_PATIENCE: Duration = Duration::from_secs(4);

/// No limit but the scenarios' own.
const NO_LIMIT: Duration = Duration::from_secs(3600);

/// Runs `exercise`'s graded scenarios on the reference program of `bins`
/// (all must pass) and on its starter, the `labs` binary of the exercise's
/// name (one must fail; it stops at the first).
pub fn check_exercise(exercise: &Exercise, bins: &Bins) -> Result<()> {
    let reference = bins.path(exercise.program);
    let report = run_graded(
        exercise,
        bins,
        &reference,
        PATIENCE,
        NO_LIMIT,
        Until::All,
        |_| {},
    );
    if !report.all_passed() {
        return Err(Failure::new(format!(
            "the reference {} fails the exercise {}:\n{}",
            exercise.program,
            exercise.name,
            failures(&report)
        )));
    }
    let starter = bins.path(exercise.name);
    let report = run_graded(
        exercise,
        bins,
        &starter,
        STARTER_PATIENCE,
        NO_LIMIT,
        Until::FirstFailure,
        |_| {},
    );
    if report.all_passed() {
        return Err(Failure::new(format!(
            "the starter of {} passes every graded scenario: the scenarios \
             cannot see its defect (a blind spot of the harness)",
            exercise.name
        )));
    }
    Ok(())
}

/// The failures of `report`, one after another.
fn failures(report: &Report) -> String {
    report
        .results
        .iter()
        .filter_map(|result| match &result.outcome {
            Outcome::Passed => None,
            Outcome::Failed(why) => Some(format!("{}: {why}", result.graded.scenario)),
            Outcome::NotRun => Some(format!("{}: not run", result.graded.scenario)),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
