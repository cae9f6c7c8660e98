//! `zfile::saved::load` allocates no more than its input can justify: a length
//! field claiming 4 GiB costs nothing, and no input of n bytes makes it
//! allocate more than a small multiple of n.
//!
//! Alone in its test binary: the heap counts (dhat's, the global allocator
//! that `lab` installs) are per process, so no other test may run meanwhile.

use ch3_poll_multipart_czmq::zfile::saved::{load, save};
use ch3_poll_multipart_czmq::Frames;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Bytes the Rust side allocates while loading `input` (libzmq's own
/// mallocs for each frame's copy are not seen by dhat).
fn bytes_allocated_by_load(input: &[u8]) -> u64 {
    let before = dhat::HeapStats::get().total_bytes;
    let outcome = load(input);
    let after = dhat::HeapStats::get().total_bytes;
    drop(outcome);
    after - before
}

/// What a load of `input_len` bytes may allocate in all: each frame's bytes
/// in a `Vec` that grows by doubling (under 4 × its size in all, counting
/// every step), the deque of frames, and an error's sentence.
fn allowance(input_len: usize) -> u64 {
    u64::try_from(8 * input_len + 4096).unwrap_or(u64::MAX)
}

fn with_header(count: u32, body: &[u8]) -> Vec<u8> {
    let mut bytes = b"ZFRAMES1".to_vec();
    bytes.extend_from_slice(&count.to_be_bytes());
    bytes.extend_from_slice(body);
    bytes
}

#[test]
fn load_allocates_in_proportion_to_its_input() {
    let _profiler = dhat::Profiler::builder().testing().build();

    // Length fields that lie: 4 GiB claimed, a few bytes there.
    for (count, length) in [(1u32, u32::MAX), (u32::MAX, u32::MAX), (u32::MAX, 0)] {
        let input = with_header(count, &[&length.to_be_bytes()[..], b"short"].concat());
        let allocated = bytes_allocated_by_load(&input);
        assert!(
            allocated <= allowance(input.len()),
            "{allocated} bytes allocated for {} bytes of input",
            input.len()
        );
    }

    // Any bytes, and any bytes behind a valid header.
    let mut runner = TestRunner::new(Config::with_cases(512));
    let inputs = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        (any::<u32>(), prop::collection::vec(any::<u8>(), 0..512))
            .prop_map(|(count, body)| with_header(count, &body)),
    ];
    runner
        .run(&inputs, |input| {
            let allocated = bytes_allocated_by_load(&input);
            prop_assert!(
                allocated <= allowance(input.len()),
                "{} bytes allocated for {} bytes of input",
                allocated,
                input.len()
            );
            Ok(())
        })
        .unwrap();

    // A real, large message: counted (so the counter sees loads at all), and
    // still in proportion.
    let message: Frames = [vec![7u8; 100_000], vec![1u8; 3]].into_iter().collect();
    let mut file = Vec::new();
    save(&message, &mut file).unwrap();
    let allocated = bytes_allocated_by_load(&file);
    assert!(allocated >= 100_000, "only {allocated} bytes counted");
    assert!(
        allocated <= allowance(file.len()),
        "{allocated} bytes for {}",
        file.len()
    );
}
