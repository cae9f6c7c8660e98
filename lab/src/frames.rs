//! A ZeroMQ message is all of its frames: [`Frames`] is the one whole-message type
//! of every example — what [`crate::recv_message`] returns and what
//! [`crate::send_message`] sends. It is also chapter 3's answer to CZMQ's `zmsg`.
//!
//! A peer decides how many frames it sends. A program that expects one frame and
//! gets three must see *one* bad message, not three messages, and must not leave
//! the rest in the socket (a REP socket in the middle of a request cannot reply).
//! Receiving whole messages is what makes that possible; [`Frames::single`] then
//! says whether the message has the one frame the program expects.

use std::collections::VecDeque;
use std::fmt;

/// The frames of one multipart message, first frame first.
///
/// ```
/// use lab::Frames;
///
/// let mut message = Frames::new();
/// message.push_back("world");
/// message.push_front("hello");
/// assert_eq!(message.len(), 2);
/// assert_eq!(message.to_string(), r#"2 frames: "hello" "world""#);
/// assert_eq!(message.pop_front().as_deref(), Some(&b"hello"[..]));
/// assert_eq!(message.single(), Ok(&b"world"[..]));
/// ```
#[derive(Default)]
pub struct Frames {
    frames: VecDeque<zmq::Message>,
    /// Frames that arrived but were discarded because the message was over the
    /// receiving socket's size limit.
    discarded: usize,
}

/// Why a received message is not what a program expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadMessage {
    /// One frame was expected; the message had this many.
    FrameCount(usize),
    /// The message was larger than the receiving socket's limit
    /// (`ZMQ_MAXMSGSIZE`, `--max-msg-size`) in all; its frames past the limit
    /// were received and thrown away.
    Oversized {
        /// How many frames arrived in all.
        frames: usize,
    },
}

impl fmt::Display for BadMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadMessage::FrameCount(count) => write!(
                f,
                "expected a message of 1 frame, got {count} {}",
                plural(*count, "frame")
            ),
            BadMessage::Oversized { frames } => write!(
                f,
                "message of {frames} {} is over --max-msg-size in all; dropped",
                plural(*frames, "frame")
            ),
        }
    }
}

impl std::error::Error for BadMessage {}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

impl Frames {
    /// An empty message (no frames yet).
    pub fn new() -> Frames {
        Frames::default()
    }

    /// Adds a frame at the end (CZMQ's `zmsg_add`, `zmsg_addstr`).
    pub fn push_back(&mut self, frame: impl Into<zmq::Message>) {
        self.frames.push_back(frame.into());
    }

    /// Adds a frame at the front (CZMQ's `zmsg_push`, `zmsg_pushstr`): how a
    /// ROUTER's reply gets its envelope back.
    pub fn push_front(&mut self, frame: impl Into<zmq::Message>) {
        self.frames.push_front(frame.into());
    }

    /// Takes the first frame off (CZMQ's `zmsg_pop`).
    pub fn pop_front(&mut self) -> Option<zmq::Message> {
        self.frames.pop_front()
    }

    /// Takes the last frame off.
    pub fn pop_back(&mut self) -> Option<zmq::Message> {
        self.frames.pop_back()
    }

    /// The number of frames kept (CZMQ's `zmsg_size`).
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// True when there is no frame.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// The frame at `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        self.frames.get(index).map(|frame| &frame[..])
    }

    /// The frames' bytes, first frame first.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        self.frames.iter().map(|frame| &frame[..])
    }

    /// The bytes of all frames together (CZMQ's `zmsg_content_size`).
    pub fn content_size(&self) -> usize {
        self.frames.iter().map(|frame| frame.len()).sum()
    }

    /// True when the message was over the receiving socket's limit and frames
    /// past the limit were thrown away.
    pub fn is_oversized(&self) -> bool {
        self.discarded > 0
    }

    /// Fails unless the message arrived whole (within the size limit).
    pub fn whole(&self) -> Result<&Frames, BadMessage> {
        if self.is_oversized() {
            Err(BadMessage::Oversized {
                frames: self.frames.len() + self.discarded,
            })
        } else {
            Ok(self)
        }
    }

    /// The one frame of a single-frame message; a message of any other number
    /// of frames (or an oversized one) is a [`BadMessage`].
    pub fn single(&self) -> Result<&[u8], BadMessage> {
        self.whole()?;
        match self.frames.len() {
            1 => Ok(&self.frames[0]),
            count => Err(BadMessage::FrameCount(count)),
        }
    }

    /// Records that a frame arrived but was not kept (over the size limit).
    pub(crate) fn discard_one(&mut self) {
        self.discarded += 1;
    }
}

/// A message shown for people: a single frame as its text in quotes (bytes that
/// are not printable ASCII shown as `\xNN`), e.g. `"hello"`; any other message
/// as its frame count, then each frame so, e.g. `3 frames: "a" "b" "c"`. Long
/// frames are cut after 64 bytes.
impl fmt::Display for Frames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 64;
        let count = self.frames.len() + self.discarded;
        if count != 1 {
            write!(f, "{count} {}", plural(count, "frame"))?;
        }
        for (index, frame) in self.iter().enumerate() {
            let shown = &frame[..frame.len().min(SHOWN)];
            let gap = match (index, count) {
                (0, 1) => "",
                (0, _) => ": ",
                _ => " ",
            };
            write!(f, "{gap}\"{}\"", shown.escape_ascii())?;
            if frame.len() > SHOWN {
                write!(f, "…({} bytes)", frame.len())?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Frames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl PartialEq for Frames {
    fn eq(&self, other: &Frames) -> bool {
        self.discarded == other.discarded && self.iter().eq(other.iter())
    }
}

impl Eq for Frames {}

impl<T: Into<zmq::Message>> FromIterator<T> for Frames {
    fn from_iter<I: IntoIterator<Item = T>>(frames: I) -> Frames {
        Frames {
            frames: frames.into_iter().map(Into::into).collect(),
            discarded: 0,
        }
    }
}

impl IntoIterator for Frames {
    type Item = zmq::Message;
    type IntoIter = std::collections::vec_deque::IntoIter<zmq::Message>;

    fn into_iter(self) -> Self::IntoIter {
        self.frames.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_accepts_exactly_one_frame() {
        let one: Frames = ["a"].into_iter().collect();
        assert_eq!(one.single(), Ok(&b"a"[..]));
        let three: Frames = ["a", "b", "c"].into_iter().collect();
        assert_eq!(three.single(), Err(BadMessage::FrameCount(3)));
        assert_eq!(Frames::new().single(), Err(BadMessage::FrameCount(0)));
    }

    #[test]
    fn an_oversized_message_is_bad_even_with_one_frame_kept() {
        let mut message: Frames = ["a"].into_iter().collect();
        message.discard_one();
        assert_eq!(message.single(), Err(BadMessage::Oversized { frames: 2 }));
        assert_eq!(
            message.single().unwrap_err().to_string(),
            "message of 2 frames is over --max-msg-size in all; dropped"
        );
    }

    #[test]
    fn bad_frame_count_says_the_count() {
        assert_eq!(
            BadMessage::FrameCount(3).to_string(),
            "expected a message of 1 frame, got 3 frames"
        );
    }

    #[test]
    fn display_shows_a_lone_frame_as_quoted_text() {
        let message: Frames = ["hello"].into_iter().collect();
        assert_eq!(message.to_string(), r#""hello""#);
        assert_eq!(Frames::new().to_string(), "0 frames");
    }

    #[test]
    fn display_escapes_bytes_that_are_not_text() {
        let message: Frames = [&b"ok"[..], &[0xff, 0x00][..]].into_iter().collect();
        assert_eq!(message.to_string(), r#"2 frames: "ok" "\xff\x00""#);
    }
}
