//! Stopping cleanly on Ctrl-C (SIGINT) and SIGTERM, even while blocked in libzmq.
//!
//! The book's chapter 3 catches the signal with a handler that sets a flag: a
//! blocking `zmq_recv` then returns `EINTR`, the loop sees the flag and exits.
//! That has a race: a signal that lands after the loop checked the flag but before
//! libzmq started waiting is "used up", and the program blocks for good. So the
//! handler here (signal-hook's, a real `sigaction` handler) does two things: it
//! sets the flag, and it writes a byte into a socket pair — the self-pipe trick.
//! Every blocking call below waits with `zmq::poll` on the ZeroMQ socket *and* on
//! that pipe, so a signal that arrives at any moment wakes it, and stays visible
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

use crate::{Context, Error, Result};

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

fn wake_fd() -> Option<RawFd> {
    CATCHER.get().map(|catcher| catcher.wake.as_raw_fd())
}

/// Receives one message (one frame) from `socket`, waiting as long as it takes —
/// the interruptible form of `socket.recv_msg(0)`.
pub fn recv(socket: &zmq::Socket) -> Result<zmq::Message> {
    loop {
        wait_readable(socket, None)?;
        match socket.recv_msg(zmq::DONTWAIT) {
            Err(zmq::Error::EAGAIN) => continue,
            received => return received.context("cannot receive"),
        }
    }
}

/// Sends `data` as one frame (`flags` may hold `zmq::SNDMORE`), waiting while the
/// socket cannot take it (a REQ with no peer, a PUSH at its high-water mark) — the
/// interruptible form of `socket.send(data, flags)`.
pub fn send(socket: &zmq::Socket, data: impl AsRef<[u8]>, flags: i32) -> Result<()> {
    let data = data.as_ref();
    loop {
        wait(socket, zmq::POLLOUT, None)?;
        match socket.send(data, flags | zmq::DONTWAIT) {
            Err(zmq::Error::EAGAIN) => continue,
            sent => return sent.context("cannot send"),
        }
    }
}

/// Waits until `socket` has a message to receive: `Ok(true)`; or until `timeout`
/// passes: `Ok(false)`. `None` waits for ever.
pub fn wait_readable(socket: &zmq::Socket, timeout: Option<Duration>) -> Result<bool> {
    wait(socket, zmq::POLLIN, timeout)
}

/// Polls `items` like `zmq::poll`, but returns `Err(Interrupted)` as soon as a
/// signal is caught. `timeout_ms` is in milliseconds, `-1` for no limit.
///
/// The self-pipe cannot be added to the caller's `items` (a `zmq::PollItem`
/// cannot be copied), so a long wait is cut into slices of at most
/// [`POLL_SLICE`]: a signal that slips in just before a slice starts is seen at
/// the next one. Use [`recv`], [`send`] or [`wait_readable`] for a single socket:
/// they have no such delay.
pub fn poll(items: &mut [zmq::PollItem], timeout_ms: i64) -> Result<i32> {
    let deadline = deadline_after(u64::try_from(timeout_ms).ok().map(Duration::from_millis));
    loop {
        if interrupted() {
            return Err(Error::Interrupted);
        }
        let slice = remaining(deadline).map_or(POLL_SLICE, |left| left.min(POLL_SLICE));
        match zmq::poll(items, millis(slice)) {
            Ok(0) if remaining(deadline).is_none_or(|left| !left.is_zero()) => continue,
            Err(zmq::Error::EINTR) if !interrupted() => continue,
            polled => return polled.context("cannot poll"),
        }
    }
}

/// The longest a [`poll`] waits before it looks at the interrupt flag again.
pub const POLL_SLICE: Duration = Duration::from_millis(100);

/// Sleeps for `duration`, or until a signal is caught (`Err(Interrupted)`).
pub fn sleep(duration: Duration) -> Result<()> {
    let Some(fd) = wake_fd() else {
        std::thread::sleep(duration);
        return Ok(());
    };
    let deadline = Instant::now() + duration;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut items = [zmq::PollItem::from_fd(fd, zmq::POLLIN)];
        match zmq::poll(&mut items, millis(left)) {
            _ if items[0].is_readable() || interrupted() => return Err(Error::Interrupted),
            Ok(_) | Err(zmq::Error::EINTR) if left.is_zero() => return Ok(()),
            Ok(_) | Err(zmq::Error::EINTR) => continue,
            Err(error) => return Err(error).context("cannot sleep"),
        }
    }
}

/// Waits until the user presses Enter (a line, or the end of input, arrives on
/// stdin) — the book's `getchar()` — or until a signal is caught.
pub fn wait_for_enter() -> Result<()> {
    let stdin = std::io::stdin();
    if let Some(fd) = wake_fd() {
        loop {
            let mut items = [
                zmq::PollItem::from_fd(stdin.as_raw_fd(), zmq::POLLIN),
                zmq::PollItem::from_fd(fd, zmq::POLLIN),
            ];
            match zmq::poll(&mut items, -1) {
                _ if items[1].is_readable() || interrupted() => return Err(Error::Interrupted),
                Ok(_)
                    if items[0]
                        .get_revents()
                        .intersects(zmq::POLLIN | zmq::POLLERR) =>
                {
                    break
                }
                Ok(_) | Err(zmq::Error::EINTR) => continue,
                Err(error) => return Err(error).context("cannot wait for stdin"),
            }
        }
    }
    let mut line = String::new();
    stdin.read_line(&mut line).context("cannot read stdin")?;
    Ok(())
}

/// Waits for `events` on `socket` or for a signal, at most `timeout`.
fn wait(socket: &zmq::Socket, events: zmq::PollEvents, timeout: Option<Duration>) -> Result<bool> {
    let deadline = deadline_after(timeout);
    loop {
        let timeout_ms = remaining(deadline).map_or(-1, millis);
        let mut items = [
            socket.as_poll_item(events),
            zmq::PollItem::from_fd(wake_fd().unwrap_or(-1), zmq::POLLIN),
        ];
        // Without installed handlers (a library test) there is no pipe to watch.
        let watched = if wake_fd().is_some() { 2 } else { 1 };
        match zmq::poll(&mut items[..watched], timeout_ms) {
            _ if interrupted() || (watched == 2 && items[1].is_readable()) => {
                return Err(Error::Interrupted)
            }
            Ok(_) if items[0].get_revents().intersects(events) => return Ok(true),
            Ok(_) if timeout_ms >= 0 && remaining(deadline).is_some_and(|d| d.is_zero()) => {
                return Ok(false)
            }
            Ok(_) | Err(zmq::Error::EINTR) => continue,
            Err(error) => return Err(error).context("cannot wait on socket"),
        }
    }
}

fn deadline_after(timeout: Option<Duration>) -> Option<Instant> {
    timeout.map(|timeout| Instant::now() + timeout)
}

fn remaining(deadline: Option<Instant>) -> Option<Duration> {
    deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()))
}

/// Milliseconds for `zmq::poll`, rounded up so a short wait does not spin.
fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros().div_ceil(1000)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_readable_times_out_on_a_silent_socket() {
        let context = zmq::Context::new();
        let socket = context.socket(zmq::PULL).unwrap();
        socket.bind("inproc://silent").unwrap();
        let started = Instant::now();
        assert_eq!(
            wait_readable(&socket, Some(Duration::from_millis(20))),
            Ok(false)
        );
        assert!(started.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    fn recv_returns_what_was_sent() {
        let context = zmq::Context::new();
        let pull = context.socket(zmq::PULL).unwrap();
        pull.bind("inproc://recv-test").unwrap();
        let push = context.socket(zmq::PUSH).unwrap();
        push.connect("inproc://recv-test").unwrap();
        send(&push, "hello", 0).unwrap();
        assert_eq!(&recv(&pull).unwrap()[..], b"hello");
    }

    #[test]
    fn millis_rounds_up() {
        assert_eq!(millis(Duration::from_micros(1)), 1);
        assert_eq!(millis(Duration::ZERO), 0);
        assert_eq!(millis(Duration::from_millis(7)), 7);
    }
}
