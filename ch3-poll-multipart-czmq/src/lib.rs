//! Chapter 3 of the book: polling, multipart messages, interrupts — and what
//! CZMQ, the high-level C binding, gives C programmers, the Rust way.
//!
//! - [`reactor`]: CZMQ's `zloop`.
//! - [`Frames`]: CZMQ's `zmsg` — the same whole-message type every example
//!   receives through [`lab::recv_message`].
//! - [`context_limits`]: the one setting the `zmq` crate cannot make.

pub mod context_limits;
pub mod linger;
pub mod multipart;
pub mod reactor;

pub use lab::Frames;
