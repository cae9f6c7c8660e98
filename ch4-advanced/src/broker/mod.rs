//! Shared code of chapter 4's first half: the request-reply broker
//! (`rr-broker`, `rr-client`, `rr-worker`), the multithreaded server
//! (`mt-server`) and pub-sub envelopes (`envelope-publisher`,
//! `envelope-subscriber`).
//!
//! - [`envelope`]: what a request or reply looks like as it passes a ROUTER
//!   (identity frames, the empty delimiter, the body) and the check that a
//!   message really has that shape.
//! - [`relay`]: the broker's loop — whole messages from one socket to the
//!   other, both ways, with malformed envelopes dropped — and the
//!   `zmq_proxy` alternative, stopped cleanly by Ctrl-C.
//! - [`texts`]: the requests and replies the example clients and workers
//!   exchange, made so that each reply names the request it answers.
//! - [`keyed`]: the `[key, body]` messages of the envelope publisher.

pub mod envelope;
pub mod keyed;
pub mod relay;
pub mod texts;

use lab::Context;

/// Passes `outcome` through; if it is an interrupt, first sets `ZMQ_LINGER`
/// to 0 on `sockets`, so that dropping the context discards their unsent
/// messages instead of waiting for a peer that may never come. (A normal end
/// keeps the default linger: the last reply still reaches its client.)
pub fn discard_pending_if_interrupted<T>(
    outcome: lab::Result<T>,
    sockets: &[&zmq::Socket],
) -> lab::Result<T> {
    if matches!(outcome, Err(lab::Error::Interrupted)) {
        for socket in sockets {
            socket.set_linger(0).context("cannot set ZMQ_LINGER")?;
        }
    }
    outcome
}
