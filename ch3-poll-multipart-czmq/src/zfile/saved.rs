//! A message in a file: [`save`] and [`load`], CZMQ's `zmsg_save` and
//! `zmsg_load`, in the format described on [`save`]. The zfile client saves
//! the reply it receives with them; a test reads it back with [`load`].

use std::fmt;
use std::io::{self, Read, Write};

use lab::Frames;

/// The first bytes of a saved message: the format's name and version.
pub const SAVE_MAGIC: &[u8; 8] = b"ZFRAMES1";

/// Why a saved message could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// Reading failed.
    Io(io::Error),
    /// The bytes are not a saved message; the text says where they went wrong.
    Corrupt(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io(error) => write!(f, "cannot read the saved message: {error}"),
            LoadError::Corrupt(why) => write!(f, "not a saved message: {why}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// Writes `message` to `out` (CZMQ's `zmsg_save`) in this format:
///
/// | bytes | what |
/// |---|---|
/// | 8 | the magic `ZFRAMES1` |
/// | 4 | the number of frames, big-endian |
/// | then, per frame: 4 | the frame's length in bytes, big-endian |
/// | and the length's count | the frame's bytes |
///
/// Nothing follows the last frame. A frame longer than 4 GiB − 1 cannot be
/// saved (no ZeroMQ example sends one).
///
/// ```
/// use ch3_poll_multipart_czmq::zfile::saved::{load, save};
///
/// let message: lab::Frames = ["h", "ello"].into_iter().collect();
/// let mut file = Vec::new();
/// save(&message, &mut file).unwrap();
/// assert_eq!(file, b"ZFRAMES1\0\0\0\x02\0\0\0\x01h\0\0\0\x04ello");
/// assert_eq!(load(&file[..]).unwrap(), message);
/// ```
pub fn save(message: &Frames, mut out: impl Write) -> io::Result<()> {
    out.write_all(SAVE_MAGIC)?;
    out.write_all(&length_field(message.len())?)?;
    for frame in message.iter() {
        out.write_all(&length_field(frame.len())?)?;
        out.write_all(frame)?;
    }
    out.flush()
}

/// Reads a message written by [`save`] (CZMQ's `zmsg_load`). A truncated,
/// corrupt or trailing-garbage input is an error; a length field that claims
/// more bytes than the input holds never allocates them.
pub fn load(input: impl Read) -> Result<Frames, LoadError> {
    let mut input = input;
    let mut magic = [0; 8];
    read_exact(&mut input, &mut magic, "the magic")?;
    if &magic != SAVE_MAGIC {
        return Err(LoadError::Corrupt(format!(
            "it starts with \"{}\", not \"ZFRAMES1\"",
            magic.escape_ascii()
        )));
    }
    let count = read_length(&mut input, "the frame count")?;
    let mut frames = Frames::new();
    for index in 0..count {
        let length = read_length(&mut input, "a frame length")?;
        // Grows as bytes really arrive: a lying length field costs nothing.
        let mut frame = Vec::new();
        let got = input
            .by_ref()
            .take(length as u64)
            .read_to_end(&mut frame)
            .map_err(LoadError::Io)?;
        if got != length {
            return Err(LoadError::Corrupt(format!(
                "frame {} of {count} claims {length} bytes, only {got} follow",
                index + 1
            )));
        }
        frames.push_back(frame);
    }
    let mut extra = [0; 1];
    if input.read(&mut extra).map_err(LoadError::Io)? != 0 {
        return Err(LoadError::Corrupt(format!(
            "bytes follow the last of its {count} frames"
        )));
    }
    Ok(frames)
}

fn length_field(length: usize) -> io::Result<[u8; 4]> {
    u32::try_from(length)
        .map(u32::to_be_bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame over 4 GiB"))
}

fn read_length(input: &mut impl Read, what: &str) -> Result<usize, LoadError> {
    let mut field = [0; 4];
    read_exact(input, &mut field, what)?;
    usize::try_from(u32::from_be_bytes(field))
        .map_err(|_| LoadError::Corrupt(format!("{what} does not fit this machine")))
}

fn read_exact(input: &mut impl Read, buffer: &mut [u8], what: &str) -> Result<(), LoadError> {
    input.read_exact(buffer).map_err(|error| {
        if error.kind() == io::ErrorKind::UnexpectedEof {
            LoadError::Corrupt(format!("it ends inside {what}"))
        } else {
            LoadError::Io(error)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_refuses_truncated_and_trailing_input() {
        let message: Frames = ["hello", ""].into_iter().collect();
        let mut saved = Vec::new();
        save(&message, &mut saved).unwrap();
        assert_eq!(load(&saved[..]).unwrap(), message);
        for cut in 0..saved.len() {
            assert!(load(&saved[..cut]).is_err(), "cut at {cut}");
        }
        saved.push(0);
        assert!(load(&saved[..]).is_err());
    }

    #[test]
    fn a_huge_length_field_allocates_nothing() {
        let mut lying = SAVE_MAGIC.to_vec();
        lying.extend_from_slice(&1u32.to_be_bytes());
        lying.extend_from_slice(&u32::MAX.to_be_bytes());
        lying.extend_from_slice(b"short");
        let error = load(&lying[..]).unwrap_err().to_string();
        assert_eq!(
            error,
            "not a saved message: frame 1 of 1 claims 4294967295 bytes, only 5 follow"
        );
    }
}
