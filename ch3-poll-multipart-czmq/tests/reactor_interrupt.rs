//! A signal ends a running `Reactor` at once with `Err(Interrupted)`.
//!
//! In its own test binary: installing the signal handlers, and being signalled,
//! changes the whole process (every later wait ends at once).

use std::process::Command;
use std::time::{Duration, Instant};

use ch3_poll_multipart_czmq::reactor::Reactor;

#[test]
fn sigterm_ends_a_waiting_reactor_at_once() {
    lab::interrupt::install().unwrap();
    let context = zmq::Context::new();
    let pull = context.socket(zmq::PULL).unwrap();
    pull.bind("inproc://reactor-interrupt").unwrap();

    let mut reactor = Reactor::new();
    reactor.on_readable(&pull, |_: &mut Vec<&str>, socket, _| {
        lab::recv_message(socket).map(drop)
    });
    // The loop would otherwise wait an hour for this timer.
    reactor.add_timer(Duration::from_secs(3600), 1, |log: &mut Vec<&str>, _| {
        log.push("far timer");
        Ok(())
    });
    // Soon after the loop starts, signal this very process.
    reactor.add_timer(Duration::from_millis(5), 1, |log: &mut Vec<&str>, _| {
        let status = Command::new("kill")
            .args(["-TERM", &std::process::id().to_string()])
            .status()
            .map_err(|error| lab::Error::failed(format!("cannot run kill: {error}")))?;
        assert!(status.success());
        log.push("signalled");
        Ok(())
    });
    let mut log = Vec::new();
    let started = Instant::now();
    assert_eq!(reactor.run(&mut log), Err(lab::Error::Interrupted));
    assert_eq!(log, ["signalled"]);
    // Not a timing claim: without the wake-up the loop would wait an hour,
    // so any bound far below that (and far above a loaded machine's
    // scheduling delays) tells the two apart.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}
