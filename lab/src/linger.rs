//! What happens to unsent messages when a program ends.
//!
//! Dropping the last handle of a `zmq::Context` terminates it
//! (`zmq_ctx_term`), and that waits until every socket's unsent messages are
//! delivered or their `ZMQ_LINGER` time runs out. The default linger is -1,
//! wait for ever: good for a normal end (the ventilator's last tasks still
//! reach the workers, no `sleep(1)` needed), bad after Ctrl-C when the peer is
//! gone (the program could not exit). So the examples keep the default and
//! drop pending messages only when interrupted.

use crate::Context;

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
