//! What happens to unsent messages when a program ends.
//!
//! Dropping the last handle of a `zmq::Context` terminates it
//! (`zmq_ctx_term`), and that waits until every socket's unsent messages are
//! delivered or their `ZMQ_LINGER` time runs out. The default linger is -1,
//! wait for ever: good for a normal end (the ventilator's last tasks still
//! reach the workers, no `sleep(1)` needed), bad after Ctrl-C when the peer is
//! gone (the program could not exit). So the examples keep the default and
//! drop pending messages only when interrupted.

use crate::{Context, Poller};

// ANCHOR: discard
/// Passes `outcome` through; if it is an interrupt, first sets `ZMQ_LINGER` to
/// 0 on `sockets`, so the context's termination discards their unsent messages
/// instead of waiting for a peer that may never come.
pub fn discard_pending_if_interrupted(
    outcome: crate::Result<()>,
    sockets: &[&zmq::Socket],
) -> crate::Result<()> {
    if outcome == Err(crate::Error::Interrupted) {
        for socket in sockets {
            socket.set_linger(0).context("cannot set ZMQ_LINGER")?;
        }
    }
    outcome
}
// ANCHOR_END: discard

// ANCHOR: deliver
/// Ends a program's ZeroMQ after `outcome`: closes `sockets`, then
/// `context`, and returns once that is done.
///
/// - After a normal end, closing waits until the sockets' queued messages
///   are delivered (`ZMQ_LINGER`, -1 by default: for as long as it takes —
///   the ventilator's last tasks reach the workers with no `sleep(1)`).
///   Should the peer never come, Ctrl-C still ends the wait: the closing
///   runs on a thread of its own while this one waits in a [`Poller`], which
///   a signal wakes; the result is then `Interrupted`, and that thread, still
///   blocked in `zmq_ctx_term`, ends with the process.
/// - After an interrupt or an error, the queued messages are dropped
///   (`ZMQ_LINGER` 0 on each socket): the program ends at once.
pub fn close_after(
    outcome: crate::Result<()>,
    context: zmq::Context,
    sockets: Vec<zmq::Socket>,
) -> crate::Result<()> {
    if outcome.is_err() {
        for socket in &sockets {
            // Best effort: the error being reported matters more than this.
            let _ = socket.set_linger(0);
        }
        return outcome;
    }
    let (closed, closer_end) =
        std::os::unix::net::UnixStream::pair().context("cannot create a pipe")?;
    let closer = std::thread::Builder::new()
        .name("lab-closer".into())
        .spawn(move || {
            drop(sockets);
            drop(context);
            // Dropping its end makes `closed` readable: end of file.
            drop(closer_end);
        })
        .context("cannot start the closing thread")?;
    let mut poller = Poller::new();
    let done = poller.add_fd(std::os::fd::AsRawFd::as_raw_fd(&closed), zmq::POLLIN);
    while !poller.is_readable(done) {
        poller.poll(None)?;
    }
    closer
        .join()
        .map_err(|_| crate::Error::failed("the closing thread panicked"))
}
// ANCHOR_END: deliver
