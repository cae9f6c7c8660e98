//! A broker's heart: whole messages from the clients' socket to the workers'
//! and back.
//!
//! [`relay`] is a poll loop written out: it waits on both sockets, moves
//! each message with every frame of its envelope, drops the malformed ones
//! (see [`super::envelope`]), counts, and ends at once on Ctrl-C. [`proxy`]
//! hands the same job to libzmq's built-in `zmq_proxy`, which is shorter and
//! a little faster but forwards anything, counts nothing, and has no way to
//! hear Ctrl-C by itself; a thread of ours tells it to stop.

use std::fmt;

use lab::Context;

use super::envelope;

/// How many messages one socket may pass on before the other gets a turn,
/// so a flood from one side cannot starve the other (libzmq's own proxy
/// uses the same number).
const BURST: usize = 1000;

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

/// What [`relay`] should do besides relaying.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Stop after this many replies reached their clients (0 = never).
    pub replies: u64,
    /// Print every message relayed, envelope included
    /// (`request 3 frames: "\x00\x80\x00\x00)" "" "hello"`).
    pub verbose: bool,
}

/// What [`relay`] did.
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
    fn done(&self, options: &Options) -> bool {
        options.replies != 0 && self.replies >= options.replies
    }
}

// ANCHOR: relay
/// Relays requests from `frontend` to `backend` and replies back, whole
/// messages with their envelopes, until `options.replies` replies went back
/// (or for ever), or until SIGINT/SIGTERM (`Err(Interrupted)`).
pub fn relay(
    frontend: &zmq::Socket,
    backend: &zmq::Socket,
    options: Options,
) -> lab::Result<Relayed> {
    let mut poller = lab::Poller::new();
    let requests = poller.add(frontend, zmq::POLLIN);
    let replies = poller.add(backend, zmq::POLLIN);
    let mut relayed = Relayed::default();
    while !relayed.done(&options) {
        poller.poll(None)?;
        if poller.is_readable(requests) {
            let from = (frontend, Direction::Request);
            forward(from, backend, &options, &mut relayed)?;
        }
        if poller.is_readable(replies) {
            forward(
                (backend, Direction::Reply),
                frontend,
                &options,
                &mut relayed,
            )?;
        }
    }
    Ok(relayed)
}

/// Passes on the messages waiting on `from` (at most [`BURST`]).
fn forward(
    (from, direction): (&zmq::Socket, Direction),
    to: &zmq::Socket,
    options: &Options,
    relayed: &mut Relayed,
) -> lab::Result<()> {
    for _ in 0..BURST {
        if relayed.done(options) || !has_message(from)? {
            break;
        }
        // A message is all of its frames: identities, delimiter, body.
        let message = lab::recv_message(from)?;
        match envelope::check(&message) {
            Ok(_) => {
                if options.verbose {
                    println!("{direction} {message}");
                }
                lab::send_message(to, &message)?;
                relayed.count(direction);
            }
            Err(why) => {
                eprintln!("error: dropped {direction} {message}: {why}");
                relayed.dropped += 1;
            }
        }
    }
    Ok(())
}
// ANCHOR_END: relay

impl Relayed {
    fn count(&mut self, direction: Direction) {
        match direction {
            Direction::Request => self.requests += 1,
            Direction::Reply => self.replies += 1,
        }
    }
}

/// True when a whole message is ready on `socket` (`ZMQ_EVENTS`), without
/// waiting.
fn has_message(socket: &zmq::Socket) -> lab::Result<bool> {
    let events = socket.get_events().context("cannot read ZMQ_EVENTS")?;
    Ok(events.contains(zmq::POLLIN))
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
