//! Properties of `zfile::saved::save` and `load` (CZMQ's `zmsg_save` and
//! `zmsg_load`): any message comes back equal, and any bytes at all load or
//! fail — never panic, never trust a length field.

use std::time::{Duration, Instant};

use ch3_poll_multipart_czmq::zfile::saved::{load, save};
use ch3_poll_multipart_czmq::Frames;
use proptest::prelude::*;

fn saved(message: &Frames) -> std::io::Result<Vec<u8>> {
    let mut file = Vec::new();
    save(message, &mut file).map(|()| file)
}

/// Any message: up to 8 frames of up to 64 arbitrary bytes (empty ones too).
fn messages() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 0..8)
}

proptest! {
    #[test]
    fn every_message_loads_back_equal(frames in messages()) {
        let message: Frames = frames.iter().map(Vec::as_slice).collect();
        let file = saved(&message)?;
        let loaded = load(&file[..]).unwrap();
        prop_assert_eq!(&loaded, &message);
        prop_assert_eq!(loaded.len(), frames.len());
    }

    #[test]
    fn the_file_is_magic_count_then_length_and_bytes_per_frame(frames in messages()) {
        let message: Frames = frames.iter().map(Vec::as_slice).collect();
        let file = saved(&message)?;
        let expected = 8 + 4 + frames.iter().map(|frame| 4 + frame.len()).sum::<usize>();
        prop_assert_eq!(file.len(), expected);
        prop_assert_eq!(&file[..8], b"ZFRAMES1");
    }

    #[test]
    fn any_bytes_load_or_fail_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        // Ok or Err are both fine; a panic fails the test.
        let _ = load(&bytes[..]);
    }

    #[test]
    fn a_valid_header_with_any_body_loads_or_fails(
        count in any::<u32>(),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let mut bytes = b"ZFRAMES1".to_vec();
        bytes.extend_from_slice(&count.to_be_bytes());
        bytes.extend_from_slice(&body);
        let started = Instant::now();
        if let Ok(message) = load(&bytes[..]) {
            // Every frame costs at least its 4-byte length field.
            prop_assert!(message.len() * 4 <= body.len());
        }
        prop_assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_cut_or_extended_file_is_refused(frames in messages(), extra in 1..8usize) {
        let message: Frames = frames.iter().map(Vec::as_slice).collect();
        let file = saved(&message)?;
        for cut in [0, file.len() / 2, file.len() - 1] {
            prop_assert!(load(&file[..cut]).is_err());
        }
        let mut longer = file.clone();
        longer.extend(std::iter::repeat_n(0u8, extra));
        prop_assert!(load(&longer[..]).is_err());
    }
}

#[test]
fn lying_length_fields_fail_at_once() {
    for (count, length) in [(1u32, u32::MAX), (u32::MAX, 0), (u32::MAX, u32::MAX)] {
        let mut bytes = b"ZFRAMES1".to_vec();
        bytes.extend_from_slice(&count.to_be_bytes());
        bytes.extend_from_slice(&length.to_be_bytes());
        bytes.extend_from_slice(b"abc");
        let started = Instant::now();
        let error = load(&bytes[..]).unwrap_err().to_string();
        assert!(error.starts_with("not a saved message"), "{error}");
        // A reader that trusted the count would loop 4 billion times: far
        // longer than this generous bound, which only tells the two apart.
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
