//! What happens to unsent messages when a program of this chapter ends.
//!
//! Dropping the last handle of a `zmq::Context` terminates it, and that waits
//! until every socket's unsent messages are delivered (`ZMQ_LINGER` -1, the
//! default, chapter 2's lesson). Good at a normal end — a `pusher`'s last
//! messages still reach the puller — bad after Ctrl-C with nobody there to
//! take them. So programs keep the default and drop what is pending only
//! when interrupted.

use lab::Context;

/// Passes `outcome` through; if it is an interrupt, first sets `ZMQ_LINGER`
/// to 0 on `sockets`, so the context's end discards their unsent messages
/// instead of waiting for a peer that may never come.
pub fn discard_pending_if_interrupted(
    outcome: lab::Result<()>,
    sockets: &[&zmq::Socket],
) -> lab::Result<()> {
    if outcome == Err(lab::Error::Interrupted) {
        for socket in sockets {
            socket.set_linger(0).context("cannot set ZMQ_LINGER")?;
        }
    }
    outcome
}
