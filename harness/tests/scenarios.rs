//! Every scenario of every chapter as one test: one `libtest_mimic::Trial` per
//! entry of `harness::scenarios::all()`, named `<chapter>::<scenario>`, run on
//! this workspace's binaries. The chapters' `SCENARIOS` tables are the only
//! list; this file never changes when a scenario or a chapter is added.
//!
//! It behaves like the built-in test harness: `cargo test -p harness --test
//! scenarios ch2::` runs chapter 2, `-- --list` lists, `--test-threads` sets the
//! parallelism, `--exact`, `--skip` and the summary line work as usual.

use harness::scenarios::{self, Listed};
use harness::Bins;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let arguments = Arguments::from_args();
    let trials = scenarios::all().into_iter().map(trial).collect();
    libtest_mimic::run(&arguments, trials).exit();
}

/// The test of `scenario`: it passes when the scenario does, and fails with the
/// failure's text (what was expected, what the programs printed) when not.
fn trial(scenario: Listed) -> Trial {
    Trial::test(scenario.full_name(), move || {
        // The first call in this process builds the workspace's binaries.
        (scenario.check)(Bins::workspace()).map_err(|failure| Failed::from(failure.to_string()))
    })
}
