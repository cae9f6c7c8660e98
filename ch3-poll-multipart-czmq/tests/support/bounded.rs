//! A bound on a test that runs an event loop: a loop that never ends makes
//! the test fail, instead of hanging its binary (and every binary after it).
//!
//! Shared by the reactor's unit tests and its signal-test binaries.

use std::panic;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// How long a test may run. Every test kept under it ends in milliseconds
/// (the slowest idles for a second on purpose), so a loaded machine is far
/// from it; a loop that never ends reaches it.
pub const BOUND: Duration = Duration::from_secs(10);

/// Runs `test` on a thread of its own and waits at most [`BOUND`] for it.
/// The test's own panic (a failed assertion) is passed on as it is; a test
/// still running at the bound fails, its thread left behind (it ends with
/// the test process).
pub fn within_bound(test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let thread = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(BOUND) {
        Ok(()) => {}
        Err(RecvTimeoutError::Disconnected) => {
            if let Err(panicked) = thread.join() {
                panic::resume_unwind(panicked);
            }
        }
        Err(RecvTimeoutError::Timeout) => {
            panic!("still running after {BOUND:?}: the loop never ended")
        }
    }
}
