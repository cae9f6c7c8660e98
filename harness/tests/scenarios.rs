//! Every scenario of every chapter as one test: one `libtest_mimic::Trial` per
//! entry of `harness::scenarios::all()`, named `<chapter>::<scenario>`, run on
//! this workspace's binaries. The chapters' `SCENARIOS` tables are the only
//! list; this file never changes when a scenario or a chapter is added.
//!
//! It behaves like the built-in test harness: `cargo test -p harness --test
//! scenarios ch2::` runs chapter 2, `-- --list` lists, `--test-threads` sets the
//! parallelism (10 by default, see [`DEFAULT_THREADS`]), `--exact`, `--skip` and
//! the summary line work as usual.
//!
//! The course labs' exercises are tests here too, `labs::<exercise>` (see
//! `harness::lab::check_exercise`): beside the scenarios, so that the
//! starters are checked in parallel with everything else.

use harness::scenarios::{self, Listed};
use harness::Bins;
use libtest_mimic::{Arguments, Completion, Failed, Trial};

/// Scenarios spend most of their time waiting for their programs (a delay, a
/// reply, a timer), not computing: ten at once use about half of a 2-core
/// machine, and the table takes two thirds of the time it takes at six.
/// `--test-threads` or `RUST_TEST_THREADS` (the workspace's
/// `.cargo/config.toml` sets it for every test binary) still decide when given.
const DEFAULT_THREADS: usize = 10;

fn main() {
    let mut arguments = Arguments::from_args();
    if arguments.test_threads.is_none() {
        arguments.test_threads = Some(threads_from_env().unwrap_or(DEFAULT_THREADS));
    }
    // The labs right after the demos: their starters' waits overlap the
    // scenarios instead of trailing after them.
    let (demos, others): (Vec<Listed>, Vec<Listed>) = scenarios::all()
        .into_iter()
        .partition(|scenario| scenario.chapter == "demos");
    let trials = demos
        .into_iter()
        .map(trial)
        .chain(harness::lab::exercises().into_iter().map(lab_trial))
        .chain(interleaved(others).into_iter().map(trial))
        .collect();
    libtest_mimic::run(&arguments, trials).exit();
}

/// `scenarios` with the chapters taken in turn, one scenario of each at a
/// time, each chapter's in table order. Side by side, a chapter's scenarios
/// tend to want the same thing at once: the perf tools in full flow take
/// turns (`harness::scenarios::schedule`), so several of them together
/// would hold the test threads just waiting, and the network lab's would
/// all end the run.
fn interleaved(scenarios: Vec<Listed>) -> Vec<Listed> {
    let mut chapters: Vec<std::collections::VecDeque<Listed>> = Vec::new();
    for scenario in scenarios {
        match chapters.iter_mut().find(|chapter| {
            chapter
                .front()
                .is_some_and(|first| first.chapter == scenario.chapter)
        }) {
            Some(chapter) => chapter.push_back(scenario),
            None => chapters.push([scenario].into()),
        }
    }
    let mut order = Vec::new();
    while chapters.iter().any(|chapter| !chapter.is_empty()) {
        order.extend(
            chapters
                .iter_mut()
                .filter_map(|chapter| chapter.pop_front()),
        );
    }
    order
}

/// `RUST_TEST_THREADS`, which the built-in test harness reads and
/// libtest-mimic does not (it falls back to the number of cores).
fn threads_from_env() -> Option<usize> {
    std::env::var("RUST_TEST_THREADS")
        .ok()?
        .parse()
        .ok()
        .filter(|&n| n > 0)
}

/// The test of `scenario`: it passes when the scenario does, and fails with the
/// failure's text (what was expected, what the programs printed) when not.
/// A scenario this machine cannot run (see `Listed::unavailable`) is
/// reported `ignored, <why>`, and the suite still passes.
fn trial(scenario: Listed) -> Trial {
    Trial::ignorable_test(scenario.full_name(), move || {
        if let Some(why) = scenario.unavailable() {
            return Ok(Completion::ignored_with(why));
        }
        // The first call in this process builds the workspace's binaries.
        (scenario.check)(Bins::workspace())
            .map(|()| Completion::Completed)
            .map_err(|failure| Failed::from(failure.to_string()))
    })
}

/// The test of a course lab's exercise: its starter fails one of its
/// scenarios (whose own tests, above, run them on the reference).
fn lab_trial(exercise: harness::lab::Exercise) -> Trial {
    Trial::test(format!("labs::{}", exercise.name), move || {
        harness::lab::check_exercise(&exercise, Bins::workspace())
            .map_err(|failure| Failed::from(failure.to_string()))
    })
}
