//! The size limit every listening example puts on incoming messages.

use crate::{Context, Result};

/// The smallest useful `--max-msg-size`. Every ZeroMQ connection starts with a
/// handshake whose READY command passes through the same limit: it carries the
/// socket type and the peer's routing id, 26 bytes for PUSH and up to 41 for
/// DEALER or ROUTER with no routing id (measured with libzmq 4.3.4). A smaller
/// limit would silently refuse every peer, so it is a usage error; 64 leaves
/// room for a short routing id.
pub const MIN_MAX_MSG_SIZE: i64 = 64;

/// `--max-msg-size`: the largest message a listening socket accepts. Without it
/// any peer that can connect could make the program allocate without bound
/// (`ZMQ_MAXMSGSIZE`; libzmq drops the connection of a peer that sends more).
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct MessageLimit {
    /// Largest incoming message accepted, in bytes (at least 64; -1 = no limit).
    #[arg(
        long = "max-msg-size",
        value_name = "BYTES",
        default_value_t = 1 << 20,
        allow_negative_numbers = true,
        value_parser = parse_limit
    )]
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

/// Accepts -1 (no limit) or a size of at least [`MIN_MAX_MSG_SIZE`].
fn parse_limit(text: &str) -> std::result::Result<i64, String> {
    let bytes: i64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of bytes"))?;
    if bytes == -1 || bytes >= MIN_MAX_MSG_SIZE {
        Ok(bytes)
    } else {
        Err(format!(
            "{bytes} is too small to be useful: a ZeroMQ handshake alone needs up to \
             41 bytes, so the smallest accepted value is {MIN_MAX_MSG_SIZE} (or -1 for no limit)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_limit_and_useful_limits_are_accepted() {
        assert_eq!(parse_limit("-1"), Ok(-1));
        assert_eq!(parse_limit("64"), Ok(64));
        assert_eq!(parse_limit("1048576"), Ok(1 << 20));
    }

    #[test]
    fn limits_below_a_handshake_are_refused_with_the_smallest_value() {
        for text in ["0", "1", "63", "-2"] {
            let why = parse_limit(text).unwrap_err();
            assert!(why.contains("smallest accepted value is 64"), "{why}");
        }
        assert!(parse_limit("lots").is_err());
    }
}
