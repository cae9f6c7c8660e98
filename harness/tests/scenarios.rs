//! Every scenario of every chapter as one test: one `libtest_mimic::Trial` per
//! entry of `harness::scenarios::all()`, named `<chapter>::<scenario>`, run on
//! this workspace's binaries. The chapters' `SCENARIOS` tables are the only
//! list; this file never changes when a scenario or a chapter is added.
//!
//! It behaves like the built-in test harness: `cargo test -p harness --test
//! scenarios ch2::` runs chapter 2, `-- --list` lists, `--test-threads` sets the
//! parallelism (4 by default, see [`DEFAULT_THREADS`]), `--exact`, `--skip` and
//! the summary line work as usual.

use harness::scenarios::{self, Listed};
use harness::Bins;
use libtest_mimic::{Arguments, Failed, Trial};

/// Scenarios spend most of their time waiting for their programs (a delay, a
/// reply, a timer), not computing: four at once keep a 2-core machine busy.
/// (Eight gained nothing once timing comparisons ran alone — see
/// `harness::scenarios::schedule` — and made a loaded machine miss stop
/// limits.) `--test-threads` or `RUST_TEST_THREADS` (the workspace's
/// `.cargo/config.toml` sets 4 for every test binary) still decide when given.
const DEFAULT_THREADS: usize = 4;

fn main() {
    let mut arguments = Arguments::from_args();
    if arguments.test_threads.is_none() && std::env::var_os("RUST_TEST_THREADS").is_none() {
        arguments.test_threads = Some(DEFAULT_THREADS);
    }
    let trials = scenarios::all().into_iter().map(trial).collect();
    libtest_mimic::run(&arguments, trials).exit();
}

/// The test of `scenario`: it passes when the scenario does, and fails with the
/// failure's text (what was expected, what the programs printed) when not.
fn trial(scenario: Listed) -> Trial {
    Trial::test(scenario.full_name(), move || {
        // The first call in this process builds the workspace's binaries.
        scenarios::schedule::run(scenario.check, Bins::workspace())
            .map_err(|failure| Failed::from(failure.to_string()))
    })
}
