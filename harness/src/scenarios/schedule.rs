//! Scenarios run several at a time. Those that keep both cores of a small
//! machine busy by themselves — a perf tool in full flow, its threads never
//! waiting — take [`turns`]: one at a time, beside any number of ordinary
//! scenarios. Several at once would leave little of a 2-core machine to the
//! programs the other scenarios are waiting for, each with its own one-second
//! limits.
//!
//! Scenarios that compare two timings of their own need no lock: each runs its
//! two runs side by side ([`crate::scenarios::side_by_side`]), so both see the
//! same machine, or checks bounds a loaded machine cannot break (a sleep is
//! never shorter).

use std::sync::{Mutex, MutexGuard};

static TURN: Mutex<()> = Mutex::new(());

/// While this lives, the scenario that took it is the only busy one.
#[must_use = "the turn lasts only while the guard lives"]
pub struct Turn {
    _held: MutexGuard<'static, ()>,
}

/// Waits until no other busy scenario runs, then holds the turn until the
/// returned guard is dropped.
pub fn turns() -> Turn {
    // A scenario that failed while holding the turn leaves it poisoned; the
    // lock itself guards nothing, so the next one just takes it.
    Turn {
        _held: TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn busy_scenarios_never_overlap() {
        static BUSY: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..6 {
                scope.spawn(|| {
                    for _ in 0..5 {
                        let _turn = turns();
                        let now = BUSY.fetch_add(1, Ordering::SeqCst) + 1;
                        MOST.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(1));
                        BUSY.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert_eq!(MOST.load(Ordering::SeqCst), 1);
    }
}
