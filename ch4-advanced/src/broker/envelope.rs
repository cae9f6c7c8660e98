//! The envelope of a request that passed a ROUTER socket.
//!
//! A REQ socket sends a request as two frames: an empty **delimiter**, then
//! the body. A ROUTER that receives it puts one more frame in front: the
//! **identity** it gave the connection, so that it knows where the reply must
//! go. What a broker's ROUTER frontend receives from a REQ client is
//! therefore
//!
//! ```text
//! frame 0  "\0\x80\0\0\x29"   identity (chosen by the ROUTER)
//! frame 1  ""                 empty delimiter (added by the REQ)
//! frame 2  "hello c1 0"       body
//! ```
//!
//! and the reply travels back with the same envelope: the REP worker keeps
//! the frames up to the delimiter, puts them in front of its answer, and the
//! ROUTER takes the identity off to choose the connection. A broker between
//! two ROUTERs would add a second identity, so an envelope may hold several.
//!
//! A REQ client always sends that shape; a DEALER peer can send anything.
//! [`check`] says whether a message is a well-formed request or reply, so a
//! broker can drop the others instead of passing them on.

use std::fmt;

use lab::{BadMessage, Frames};

/// Why a message is not a well-formed request or reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadEnvelope {
    /// The message was over `--max-msg-size` in all; its frames past the
    /// limit were thrown away.
    Oversized(BadMessage),
    /// Fewer than three frames: there cannot be an identity, a delimiter and
    /// a body (an empty message from a DEALER arrives as 2 frames).
    TooFewFrames(usize),
    /// The first frame, the identity, is empty.
    EmptyIdentity,
    /// No empty delimiter frame ends the envelope.
    NoDelimiter,
    /// The delimiter is the last frame: there is no body.
    NoBody,
}

impl fmt::Display for BadEnvelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadEnvelope::Oversized(why) => write!(f, "{why}"),
            BadEnvelope::TooFewFrames(count) => write!(
                f,
                "a request or reply needs at least 3 frames (identity, empty delimiter, body), got {count}"
            ),
            BadEnvelope::EmptyIdentity => f.write_str("its first frame, the identity, is empty"),
            BadEnvelope::NoDelimiter => {
                f.write_str("no empty delimiter frame ends its envelope of identities")
            }
            BadEnvelope::NoBody => f.write_str("nothing follows its empty delimiter"),
        }
    }
}

impl std::error::Error for BadEnvelope {}

// ANCHOR: check
/// Checks that `message` is `[identity…, "", body…]`: at least one non-empty
/// identity frame, then an empty delimiter, then at least one body frame.
/// Returns how many frames the envelope has (identities and delimiter).
pub fn check(message: &Frames) -> Result<usize, BadEnvelope> {
    message.whole().map_err(BadEnvelope::Oversized)?;
    if message.len() < 3 {
        return Err(BadEnvelope::TooFewFrames(message.len()));
    }
    if message.get(0).is_some_and(<[u8]>::is_empty) {
        return Err(BadEnvelope::EmptyIdentity);
    }
    let delimiter = message
        .iter()
        .position(<[u8]>::is_empty)
        .ok_or(BadEnvelope::NoDelimiter)?;
    if delimiter + 1 == message.len() {
        return Err(BadEnvelope::NoBody);
    }
    Ok(delimiter + 1)
}
// ANCHOR_END: check

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(parts: &[&str]) -> Frames {
        parts.iter().copied().collect()
    }

    #[test]
    fn a_req_request_through_a_router_has_an_envelope_of_two_frames() {
        assert_eq!(check(&frames(&["id", "", "hello"])), Ok(2));
    }

    #[test]
    fn stacked_routers_make_longer_envelopes_and_bodies_may_have_frames() {
        assert_eq!(check(&frames(&["id2", "id1", "", "a", "b"])), Ok(3));
        // An empty body is still a body: REQ may send an empty request.
        assert_eq!(check(&frames(&["id", "", ""])), Ok(2));
    }

    #[test]
    fn what_a_dealer_can_send_is_refused() {
        // A DEALER's one-frame message, and its empty message.
        assert_eq!(
            check(&frames(&["id", "hello"])),
            Err(BadEnvelope::TooFewFrames(2))
        );
        assert_eq!(
            check(&frames(&["id", ""])),
            Err(BadEnvelope::TooFewFrames(2))
        );
        assert_eq!(
            check(&frames(&["id", "a", "b"])),
            Err(BadEnvelope::NoDelimiter)
        );
        assert_eq!(
            check(&frames(&["", "", "x"])),
            Err(BadEnvelope::EmptyIdentity)
        );
        assert_eq!(check(&frames(&["id", "a", ""])), Err(BadEnvelope::NoBody));
    }

    #[test]
    fn the_reasons_say_what_a_request_needs() {
        let why = BadEnvelope::TooFewFrames(2).to_string();
        assert!(why.contains("identity, empty delimiter, body"), "{why}");
    }
}
