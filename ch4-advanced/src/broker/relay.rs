//! What the two relays of chapter 4 share, and libzmq's own.
//!
//! `rr-broker`'s poll loop (in `src/bin/rr-broker.rs`, the listing) and
//! `mt-server`'s main thread both move whole messages between a ROUTER and a
//! DEALER; [`Relayed::pass_on`] is what each does with one message: check its
//! envelope (see [`super::envelope`]), pass it on or drop it, and count.
//! [`proxy`] hands the whole job to libzmq's built-in `zmq_proxy`, which
//! forwards anything, counts nothing, and has no way to hear Ctrl-C by
//! itself; a thread of ours tells it to stop.

use std::fmt;

use lab::{Context, Frames};

use super::envelope;

/// Which way a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From a client, through the frontend, to a worker.
    Request,
    /// From a worker, through the backend, back to its client.
    Reply,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Request => "request",
            Direction::Reply => "reply",
        })
    }
}

/// What a relay did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relayed {
    /// Requests passed to a worker.
    pub requests: u64,
    /// Replies passed back to a client.
    pub replies: u64,
    /// Messages dropped because their envelope was malformed.
    pub dropped: u64,
}

impl fmt::Display for Relayed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "relayed {} requests and {} replies, dropped {} malformed messages",
            self.requests, self.replies, self.dropped
        )
    }
}

impl Relayed {
    /// True once `count` replies went back (never, when `count` is 0).
    pub fn replied(&self, count: u64) -> bool {
        count != 0 && self.replies >= count
    }

    // ANCHOR: pass_on
    /// Sends `message`, which came the `direction` way, on to `to` if its
    /// envelope is well formed — printing it first when `verbose`
    /// (`request 3 frames: "\x00\x80\x00\x00)" "" "hello"`) — or drops it
    /// with `error: dropped …` on stderr; and counts which.
    pub fn pass_on(
        &mut self,
        message: &Frames,
        direction: Direction,
        to: &zmq::Socket,
        verbose: bool,
    ) -> lab::Result<()> {
        match envelope::check(message) {
            Ok(_) => {
                if verbose {
                    println!("{direction} {message}");
                }
                lab::send_message(to, message)?;
                match direction {
                    Direction::Request => self.requests += 1,
                    Direction::Reply => self.replies += 1,
                }
            }
            Err(why) => {
                eprintln!("error: dropped {direction} {message}: {why}");
                self.dropped += 1;
            }
        }
        Ok(())
    }
    // ANCHOR_END: pass_on
}

/// Where the control socket of [`proxy`] listens, in its context.
const CONTROL: &str = "inproc://proxy-control";

// ANCHOR: proxy
/// Runs libzmq's `zmq_proxy` between `frontend` and `backend` until
/// SIGINT/SIGTERM (`Err(Interrupted)`).
///
/// `zmq_proxy` blocks in its own poll loop, which a signal interrupts only
/// if it lands while that loop waits; one that lands while it forwards a
/// message is missed, and the proxy waits on. So this runs the steerable
/// proxy, and a second thread waits for the signal (it always wakes:
/// [`lab::Poller`] watches the signal pipe) and sends `TERMINATE` on the
/// proxy's control socket.
pub fn proxy(
    context: &zmq::Context,
    frontend: &mut zmq::Socket,
    backend: &mut zmq::Socket,
) -> lab::Result<()> {
    let mut control = context.socket(zmq::PAIR).context("cannot create socket")?;
    control.set_linger(0).context("cannot set ZMQ_LINGER")?;
    control
        .bind(CONTROL)
        .context("cannot bind the proxy's control socket")?;
    let steering = context.socket(zmq::PAIR).context("cannot create socket")?;
    steering.set_linger(0).context("cannot set ZMQ_LINGER")?;
    lab::connect(&steering, CONTROL)?;
    std::thread::scope(|scope| {
        let watcher = scope.spawn(move || terminate_on_signal(&steering));
        let proxied = zmq::proxy_steerable(frontend, backend, &mut control);
        // However the proxy ended, the watcher must end too.
        let _ = control.send("ENDED", zmq::DONTWAIT);
        let watched = watcher
            .join()
            .unwrap_or_else(|_| Err(lab::Error::failed("the proxy's watcher panicked")));
        proxied.context("the proxy failed")?;
        watched?;
        // TERMINATE only comes after a signal.
        Err(lab::Error::Interrupted)
    })
}

/// Waits for SIGINT/SIGTERM, then tells the proxy to stop; or for the word
/// that the proxy ended by itself.
fn terminate_on_signal(steering: &zmq::Socket) -> lab::Result<()> {
    let mut poller = lab::Poller::new();
    poller.add(steering, zmq::POLLIN);
    match poller.poll(None) {
        Err(lab::Error::Interrupted) => steering
            .send("TERMINATE", zmq::DONTWAIT)
            .context("cannot stop the proxy"),
        Ok(_) => Ok(()),
        Err(failure) => Err(failure),
    }
}
// ANCHOR_END: proxy
