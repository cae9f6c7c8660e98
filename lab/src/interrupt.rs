//! Stopping cleanly on Ctrl-C (SIGINT) and SIGTERM, even while blocked in libzmq.
//!
//! The book's chapter 3 catches the signal with a handler that sets a flag: a
//! blocking `zmq_recv` then returns `EINTR`, the loop sees the flag and exits.
//! That has a race: a signal that lands after the loop checked the flag but before
//! libzmq started waiting is "used up", and the program blocks for good. So the
//! handler here (signal-hook's, a real `sigaction` handler) does two things: it
//! sets the flag, and it writes a byte into a socket pair — the self-pipe trick.
//! Every blocking call of `lab` waits in a [`crate::Poller`], which polls the
//! ZeroMQ sockets *and* that pipe, so a signal that arrives at any moment wakes it, and stays visible
//! to every later wait because the byte is never read.
//!
//! A second Ctrl-C while the first is being handled ends the process at once
//! (exit 130): a way out for a student if anything ever hangs.

use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use signal_hook::consts::{SIGINT, SIGTERM};

use crate::{Context, Poller, Result};

struct Catcher {
    caught: Arc<AtomicBool>,
    /// The read end of the self-pipe; readable once a signal was caught.
    wake: UnixStream,
}

static CATCHER: OnceLock<Catcher> = OnceLock::new();

/// Exit status when a second signal arrives before the first was handled.
const FORCED_EXIT: i32 = 130;

/// Installs the SIGINT/SIGTERM handlers (once per process; [`crate::run`] does it).
pub fn install() -> Result<()> {
    if CATCHER.get().is_some() {
        return Ok(());
    }
    let (wake, signal_end) = UnixStream::pair().context("cannot create the signal pipe")?;
    let caught = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        // Registered first, so it sees the flag as the *previous* signal left it.
        signal_hook::flag::register_conditional_shutdown(signal, FORCED_EXIT, caught.clone())
            .context("cannot install the signal handler")?;
        signal_hook::flag::register(signal, caught.clone())
            .context("cannot install the signal handler")?;
        let signal_end = signal_end
            .try_clone()
            .context("cannot install the signal handler")?;
        signal_hook::low_level::pipe::register(signal, signal_end)
            .context("cannot install the signal handler")?;
    }
    // A concurrent install lost the race: its handlers are harmless duplicates.
    let _ = CATCHER.set(Catcher { caught, wake });
    Ok(())
}

/// True once SIGINT or SIGTERM was caught.
pub fn interrupted() -> bool {
    CATCHER
        .get()
        .is_some_and(|catcher| catcher.caught.load(Ordering::SeqCst))
}

pub(crate) fn wake_fd() -> Option<RawFd> {
    CATCHER.get().map(|catcher| catcher.wake.as_raw_fd())
}

/// Sleeps for `duration`, or until a signal is caught (`Err(Interrupted)`).
pub fn sleep(duration: Duration) -> Result<()> {
    let deadline = Instant::now() + duration;
    let mut poller = Poller::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        poller.poll(Some(left))?;
    }
}

/// Waits until the user presses Enter (a line, or the end of input, arrives on
/// stdin) — the book's `getchar()` — or until a signal is caught.
pub fn wait_for_enter() -> Result<()> {
    let stdin = std::io::stdin();
    let mut poller = Poller::new();
    let input = poller.add_fd(stdin.as_raw_fd(), zmq::POLLIN);
    while !poller.revents(input).intersects(zmq::POLLIN | zmq::POLLERR) {
        poller.poll(None)?;
    }
    let mut line = String::new();
    stdin.read_line(&mut line).context("cannot read stdin")?;
    Ok(())
}
