//! The size limit every listening example puts on incoming messages.

use crate::{Context, Result};

/// `--max-msg-size`: the largest message a listening socket accepts. Without it
/// any peer that can connect could make the program allocate without bound
/// (`ZMQ_MAXMSGSIZE`; libzmq drops the connection of a peer that sends more).
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct MessageLimit {
    /// Largest incoming message accepted, in bytes (-1 = no limit).
    #[arg(long = "max-msg-size", value_name = "BYTES", default_value_t = 1 << 20)]
    pub max_msg_size: i64,
}

impl MessageLimit {
    /// Sets the limit on `socket`.
    pub fn apply(&self, socket: &zmq::Socket) -> Result<()> {
        socket
            .set_maxmsgsize(self.max_msg_size)
            .context("cannot set ZMQ_MAXMSGSIZE")
    }
}
