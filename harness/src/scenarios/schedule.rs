//! Scenarios run several at a time, except those that compare two timings:
//! they run [`alone`].
//!
//! A scenario that proves a speed-up (four workers against one, ten threads
//! against one) or a pace (100 updates a second against 1000) measures two
//! runs of its own and compares them. That is sound when both runs see the
//! same machine; with other scenarios starting and stopping processes beside
//! them, one run may get the cores and the other not. So every scenario of a
//! run goes through [`run`], and a timing scenario starts with
//! `let _alone = schedule::alone();`: it waits until the scenarios already
//! running have finished, and no new one starts until it ends.

use std::cell::Cell;
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::{Bins, Result};

struct State {
    /// Scenarios inside [`run`] that are not waiting in [`alone`].
    running: usize,
    /// A scenario is running alone.
    alone: bool,
}

static STATE: Mutex<State> = Mutex::new(State {
    running: 0,
    alone: false,
});
static CHANGED: Condvar = Condvar::new();

thread_local! {
    /// This thread is running a scenario through [`run`].
    static IN_RUN: Cell<bool> = const { Cell::new(false) };
}

fn state() -> MutexGuard<'static, State> {
    STATE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn wait(guard: MutexGuard<'static, State>) -> MutexGuard<'static, State> {
    CHANGED
        .wait(guard)
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `check` as one scenario of a run: it waits while a scenario runs
/// alone. The test runner and `harness check` run every scenario so.
pub fn run(check: fn(&Bins) -> Result<()>, bins: &Bins) -> Result<()> {
    let mut state = state();
    while state.alone {
        state = wait(state);
    }
    state.running += 1;
    drop(state);
    let _finished = Finished;
    IN_RUN.with(|in_run| in_run.set(true));
    check(bins)
}

/// Counts a scenario out of the run when it ends (also if it panics).
struct Finished;

impl Drop for Finished {
    fn drop(&mut self) {
        IN_RUN.with(|in_run| in_run.set(false));
        let mut state = state();
        state.running = state.running.saturating_sub(1);
        CHANGED.notify_all();
    }
}

/// While this lives, the scenario that took it runs alone.
#[must_use = "the scenario runs alone only while the guard lives"]
pub struct Alone;

/// Waits until no other scenario is running, then keeps new ones from
/// starting until the returned guard is dropped.
pub fn alone() -> Alone {
    let counted = IN_RUN.with(Cell::get);
    let mut state = state();
    // Not counting itself while it waits: two timing scenarios that ask at
    // once take turns instead of waiting for each other.
    if counted {
        state.running -= 1;
    }
    while state.alone || state.running > 0 {
        state = wait(state);
    }
    state.alone = true;
    if counted {
        state.running += 1;
    }
    Alone
}

impl Drop for Alone {
    fn drop(&mut self) {
        let mut state = state();
        state.alone = false;
        CHANGED.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    static BUSY: AtomicUsize = AtomicUsize::new(0);
    static MOST_BESIDE_A_TIMING_ONE: AtomicUsize = AtomicUsize::new(0);

    fn ordinary(_: &Bins) -> Result<()> {
        BUSY.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(5));
        BUSY.fetch_sub(1, Ordering::SeqCst);
        Ok(())
    }

    fn timing(_: &Bins) -> Result<()> {
        let _alone = alone();
        for _ in 0..5 {
            let beside = BUSY.load(Ordering::SeqCst);
            MOST_BESIDE_A_TIMING_ONE.fetch_max(beside, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(2));
        }
        Ok(())
    }

    #[test]
    fn a_timing_scenario_never_runs_beside_another() {
        let bins = Bins::in_dir("/nowhere");
        std::thread::scope(|scope| {
            for thread in 0..8 {
                let bins = &bins;
                scope.spawn(move || {
                    for turn in 0..10 {
                        let check = if (thread + turn) % 4 == 0 {
                            timing
                        } else {
                            ordinary
                        };
                        assert!(run(check, bins).is_ok());
                    }
                });
            }
        });
        assert_eq!(MOST_BESIDE_A_TIMING_ONE.load(Ordering::SeqCst), 0);
        let state = state();
        assert_eq!((state.running, state.alone), (0, false));
    }
}
