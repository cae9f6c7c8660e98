//! The zmsg lesson (the book's chapter 3, "zmsg"): CZMQ's `zmsg` is
//! [`Frames`], a whole multipart message built frame by frame.

use lab::Frames;

// ANCHOR: hello
/// The reply's frames, in order: `hello`, a letter a frame.
// The letter l twice: the extracted listing's third frame reads "1", a glyph
// misread (see the chapter's extraction artifacts in the errata).
pub const HELLO_FRAMES: [&str; 5] = ["h", "e", "l", "l", "o"];

/// The five-frame reply, built as CZMQ's `zmsg_addmem` calls do: one frame at
/// the end after another.
///
/// ```
/// let reply = ch3_poll_multipart_czmq::zmsg::hello_frames();
/// assert_eq!(reply.to_string(), r#"5 frames: "h" "e" "l" "l" "o""#);
/// ```
pub fn hello_frames() -> Frames {
    let mut message = Frames::new();
    for letter in HELLO_FRAMES {
        message.push_back(letter);
    }
    message
}
// ANCHOR_END: hello

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_is_five_one_letter_frames() {
        let reply = hello_frames();
        assert_eq!(reply.len(), 5);
        assert!(reply.iter().all(|frame| frame.len() == 1));
        assert_eq!(reply.iter().collect::<Vec<_>>().concat(), b"hello");
    }
}
