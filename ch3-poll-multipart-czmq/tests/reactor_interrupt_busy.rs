//! A signal ends a *busy* `Reactor` at once too: with messages still queued,
//! the loop never needs to wait (it finds them by looking at the sockets
//! alone), and it checks for a signal at the start of every turn.
//!
//! In its own test binary: being signalled changes the whole process.

use ch3_poll_multipart_czmq::reactor::Reactor;

#[path = "support/bounded.rs"]
mod bounded;
use bounded::within_bound;

#[test]
fn sigterm_ends_a_reactor_with_messages_still_queued() {
    within_bound(|| {
        lab::interrupt::install().unwrap();
        let context = zmq::Context::new();
        let pull = context.socket(zmq::PULL).unwrap();
        pull.bind("inproc://reactor-interrupt-busy").unwrap();
        let push = context.socket(zmq::PUSH).unwrap();
        push.connect("inproc://reactor-interrupt-busy").unwrap();
        for _ in 0..500 {
            push.send("work", 0).unwrap();
        }

        let mut reactor = Reactor::new();
        // On the tenth message, the handler signals its own thread: raise()
        // runs the signal handler before it returns (a signal sent to the whole
        // process with kill(1) may be taken by another thread a while later).
        reactor.on_readable(&pull, |received: &mut u32, socket, _| {
            lab::recv_message(socket)?;
            *received += 1;
            if *received == 10 {
                signal_hook::low_level::raise(signal_hook::consts::SIGTERM)
                    .map_err(|error| lab::Error::failed(format!("cannot raise: {error}")))?;
            }
            Ok(())
        });
        let mut received = 0;
        assert_eq!(reactor.run(&mut received), Err(lab::Error::Interrupted));
        // The very next turn sees the signal; a loop that only noticed it once
        // the queue ran dry would have taken all 500.
        assert_eq!(received, 10, "handled {received} of 500 messages");
    });
}
