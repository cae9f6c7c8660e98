//! SIGINT wakes a `lab::Poller` that is blocked, at once, and every wait after
//! it returns `Interrupted` too. (Its own test binary: a caught signal stays
//! caught for the rest of the process.)

use std::time::{Duration, Instant};

use lab::Error;

/// Far longer than the test may take: a poller that ignored the signal pipe
/// would wait this long and fail.
const FOR_A_LONG_TIME: Duration = Duration::from_secs(60);

#[test]
fn a_signal_wakes_a_blocked_poller_and_every_later_wait() {
    lab::interrupt::install().unwrap();
    let context = zmq::Context::new();
    let silent = context.socket(zmq::PULL).unwrap();
    silent.bind("inproc://silent").unwrap();
    let mut poller = lab::Poller::new();
    poller.add(&silent, zmq::POLLIN);

    // The signal is delivered to the raising thread: only the signal pipe can
    // wake the main thread's poll (no EINTR reaches it).
    let raiser = std::thread::spawn(|| signal_hook::low_level::raise(signal_hook::consts::SIGINT));
    let started = Instant::now();
    assert_eq!(poller.poll(Some(FOR_A_LONG_TIME)), Err(Error::Interrupted));
    assert!(started.elapsed() < FOR_A_LONG_TIME / 2);
    raiser.join().unwrap().unwrap();

    assert!(lab::interrupted());
    assert_eq!(lab::sleep(FOR_A_LONG_TIME), Err(Error::Interrupted));
    assert_eq!(
        lab::wait_readable(&silent, Some(FOR_A_LONG_TIME)),
        Err(Error::Interrupted)
    );
    assert_eq!(
        lab::recv_message(&silent).map(|_| ()),
        Err(Error::Interrupted)
    );
    let lonely = context.socket(zmq::REQ).unwrap();
    // A REQ with no peer has nowhere to send: it waits, interruptibly.
    assert_eq!(lab::send(&lonely, "hello", 0), Err(Error::Interrupted));
}
