//! Pub-sub envelopes: a message of two frames, `[key, body]`.
//!
//! A SUB socket matches its subscriptions against the start of a message's
//! *first frame* only. Put the key in a frame of its own and the body in a
//! second one, and the body can never be mistaken for part of the key. The
//! match is still a prefix match: `Company1` matches the key `Company10`.

use std::fmt;

use lab::{BadMessage, Frames};

// ANCHOR: book
/// The book's two messages, sent in this order every round: the key, then
/// the body.
pub const BOOK_MESSAGES: [(&str, &str); 2] = [
    ("Company1", "Company Message to be ignored."),
    ("Company10", "Company message to receive."),
];
// ANCHOR_END: book

/// Why a message is not `[key, body]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadKeyed {
    /// Over `--max-msg-size` in all.
    Oversized(BadMessage),
    /// Not two frames: this many.
    FrameCount(usize),
}

impl fmt::Display for BadKeyed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadKeyed::Oversized(why) => write!(f, "{why}"),
            BadKeyed::FrameCount(count) => write!(
                f,
                "expected a message of 2 frames [key, body], got {count} frame{}",
                if *count == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for BadKeyed {}

// ANCHOR: split
/// The key and body of a `[key, body]` message.
pub fn split(message: &Frames) -> Result<(&[u8], &[u8]), BadKeyed> {
    message.whole().map_err(BadKeyed::Oversized)?;
    match (message.len(), message.get(0), message.get(1)) {
        (2, Some(key), Some(body)) => Ok((key, body)),
        (count, _, _) => Err(BadKeyed::FrameCount(count)),
    }
}

/// How the subscriber shows a message: `[<key>] <body>`, with bytes that are
/// not UTF-8 replaced.
pub fn show(key: &[u8], body: &[u8]) -> String {
    format!(
        "[{}] {}",
        String::from_utf8_lossy(key),
        String::from_utf8_lossy(body)
    )
}
// ANCHOR_END: split

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_frames_are_a_key_and_a_body() {
        let message: Frames = ["Company10", "news"].into_iter().collect();
        let (key, body) = split(&message).unwrap();
        assert_eq!(show(key, body), "[Company10] news");
    }

    #[test]
    fn any_other_count_is_one_bad_message() {
        let one: Frames = ["Company10 news"].into_iter().collect();
        assert_eq!(split(&one), Err(BadKeyed::FrameCount(1)));
        let three: Frames = ["a", "b", "c"].into_iter().collect();
        assert_eq!(
            split(&three).unwrap_err().to_string(),
            "expected a message of 2 frames [key, body], got 3 frames"
        );
    }

    #[test]
    fn bodies_that_are_not_utf8_are_shown_lossily() {
        assert_eq!(show(b"k", b"\xffx"), "[k] \u{fffd}x");
    }
}
