//! A context starts its I/O threads and a reaper: counted in a test binary
//! of its own, so no other test's threads come and go beside the count.

use ch3_poll_multipart_czmq::context_limits::open_sockets_until_refused;

fn never() -> bool {
    false
}

#[test]
fn the_context_starts_its_io_threads_and_a_reaper() {
    let few = open_sockets_until_refused(1, Some(1), never)
        .unwrap()
        .unwrap();
    let many = open_sockets_until_refused(9, Some(1), never)
        .unwrap()
        .unwrap();
    assert_eq!(
        (few.started_with.io_threads, many.started_with.io_threads),
        (1, 9)
    );
    if let (Some(few), Some(many)) = (few.background_threads, many.background_threads) {
        // 1 I/O thread and the reaper, then 9 and the reaper.
        assert_eq!((few, many), (2, 10), "1 I/O thread: {few}; 9: {many}");
    }
}
