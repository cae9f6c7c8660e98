//! The multipart lesson's message: `world` sent as five frames, one letter
//! each (the book's chapter 3, "Working with multi-part messages"), and the
//! check a client makes of what it received.

use std::fmt;

use lab::Frames;

/// The frames of the multipart reply, in order.
// Book errata (ch3-multipart-two-byte-frames): each frame is one byte; the listing sends two,
// the letter and the C string's NUL.
pub const WORLD_FRAMES: [&str; 5] = ["w", "o", "r", "l", "d"];

/// Why a reply is not the five-frame `world`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadReply {
    /// The reply had this many frames, not five.
    FrameCount(usize),
    /// Five frames, but not `w`, `o`, `r`, `l`, `d`.
    Content,
}

impl fmt::Display for BadReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadReply::FrameCount(count) => write!(
                f,
                "expected a reply of {} frames, got {count}",
                WORLD_FRAMES.len()
            ),
            BadReply::Content => write!(
                f,
                "expected the frames {}",
                WORLD_FRAMES.map(|frame| format!("{frame:?}")).join(" ")
            ),
        }
    }
}

impl std::error::Error for BadReply {}

/// The reply's frames joined into one word (bytes that are not UTF-8 shown
/// as replacement characters) — if it is exactly the five frames of `world`.
///
/// ```
/// use ch3_poll_multipart_czmq::multipart::{joined_world, BadReply};
///
/// let reply: lab::Frames = ["w", "o", "r", "l", "d"].into_iter().collect();
/// assert_eq!(joined_world(&reply), Ok("world".to_string()));
/// let short: lab::Frames = ["wor", "ld"].into_iter().collect();
/// assert_eq!(joined_world(&short), Err(BadReply::FrameCount(2)));
/// ```
pub fn joined_world(reply: &Frames) -> Result<String, BadReply> {
    if reply.len() != WORLD_FRAMES.len() || reply.is_oversized() {
        return Err(BadReply::FrameCount(reply.len()));
    }
    if !reply
        .iter()
        .eq(WORLD_FRAMES.iter().map(|frame| frame.as_bytes()))
    {
        return Err(BadReply::Content);
    }
    Ok(reply.iter().map(String::from_utf8_lossy).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(parts: &[&[u8]]) -> Frames {
        parts.iter().copied().collect()
    }

    #[test]
    fn the_five_letters_make_world() {
        let reply: Frames = WORLD_FRAMES.into_iter().collect();
        assert_eq!(joined_world(&reply), Ok("world".into()));
    }

    #[test]
    fn the_books_two_byte_frames_are_not_world() {
        // What the printed server puts on the wire: each letter and a NUL.
        let books = frames(&[b"w\0", b"o\0", b"r\0", b"l\0", b"d\0"]);
        assert_eq!(joined_world(&books), Err(BadReply::Content));
    }

    #[test]
    fn any_other_frame_count_is_reported_with_the_count() {
        assert_eq!(
            joined_world(&frames(&[b"world"])),
            Err(BadReply::FrameCount(1))
        );
        let six = frames(&[b"w", b"o", b"r", b"l", b"d", b"!"]);
        assert_eq!(joined_world(&six), Err(BadReply::FrameCount(6)));
        assert_eq!(
            BadReply::FrameCount(6).to_string(),
            "expected a reply of 5 frames, got 6"
        );
    }
}
