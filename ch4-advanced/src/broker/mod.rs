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
