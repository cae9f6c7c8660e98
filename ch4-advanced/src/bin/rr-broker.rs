//! Request-reply broker (chapter 4, "Extending the request-reply pattern"; the
//! book shows only a diagram).
//!
//! - ROUTER socket, binds `tcp://*:5559` (`--frontend`): REQ clients connect.
//! - DEALER socket, binds `tcp://*:5560` (`--backend`): REP workers connect.
//! - Relays whole messages both ways, drops malformed ones (`error: dropped …`);
//!   `--proxy` hands the relaying to libzmq's `zmq_proxy`.
//!
//! Neither side knows the other: clients and workers only know the broker, so
//! either side can grow, shrink or restart without the other noticing.

use std::process::ExitCode;

use ch4_advanced::broker::relay::{self, Direction, Relayed};
use clap::Parser;
use lab::{discard_pending_if_interrupted, Context};

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| broker(&args))
}

fn broker(args: &Args) -> lab::Result<()> {
    // ANCHOR: sockets
    let context = zmq::Context::new();
    // Socket facing clients: a ROUTER remembers who sent each request.
    let mut frontend = context
        .socket(zmq::ROUTER)
        .context("cannot create socket")?;
    args.limit.apply(&frontend)?;
    // lab::bind = frontend.bind(endpoint), then print "bound <the endpoint the OS gave>".
    lab::bind(&frontend, &args.frontend)?;
    // Socket facing workers: a DEALER shares requests out among them.
    let mut backend = context
        .socket(zmq::DEALER)
        .context("cannot create socket")?;
    args.limit.apply(&backend)?;
    lab::bind(&backend, &args.backend)?;
    // ANCHOR_END: sockets

    // ANCHOR: run
    // Book errata (ch4-rr-diagram-only): the book shows this broker only as a
    // diagram; here it is a program (or libzmq's zmq_proxy, with --proxy).
    let outcome = if args.proxy {
        relay::proxy(&context, &mut frontend, &mut backend)
    } else {
        relay(&frontend, &backend, args).map(|relayed| println!("{relayed}"))
    };
    // ANCHOR_END: run
    discard_pending_if_interrupted(outcome, &[&frontend, &backend])
}

// ANCHOR: relay
/// How many messages one socket may pass on before the other gets a turn,
/// so a flood from one side cannot starve the other (libzmq's own proxy
/// uses the same number).
const BURST: usize = 1000;

/// Relays requests from `frontend` to `backend` and replies back, whole
/// messages with their envelopes, until `--count` replies went back (or for
/// ever), or until SIGINT/SIGTERM (`Err(Interrupted)`).
fn relay(frontend: &zmq::Socket, backend: &zmq::Socket, args: &Args) -> lab::Result<Relayed> {
    let mut poller = lab::Poller::new();
    let requests = poller.add(frontend, zmq::POLLIN);
    let replies = poller.add(backend, zmq::POLLIN);
    let mut relayed = Relayed::default();
    while !relayed.replied(args.count) {
        poller.poll(None)?;
        if poller.is_readable(requests) {
            let from = (frontend, Direction::Request);
            forward(from, backend, args, &mut relayed)?;
        }
        if poller.is_readable(replies) {
            forward((backend, Direction::Reply), frontend, args, &mut relayed)?;
        }
    }
    Ok(relayed)
}

/// Passes on the messages waiting on `from` (at most [`BURST`]).
fn forward(
    (from, direction): (&zmq::Socket, Direction),
    to: &zmq::Socket,
    args: &Args,
    relayed: &mut Relayed,
) -> lab::Result<()> {
    for _ in 0..BURST {
        if relayed.replied(args.count) || !has_message(from)? {
            break;
        }
        // A message is all of its frames: identities, delimiter, body.
        let message = lab::recv_message(from)?;
        relayed.pass_on(&message, direction, to, args.verbose)?;
    }
    Ok(())
}
// ANCHOR_END: relay

/// True when a whole message is ready on `socket` (`ZMQ_EVENTS`), without
/// waiting.
fn has_message(socket: &zmq::Socket) -> lab::Result<bool> {
    let events = socket.get_events().context("cannot read ZMQ_EVENTS")?;
    Ok(events.contains(zmq::POLLIN))
}

/// Relays requests from REQ clients to REP workers and the replies back: the
/// broker of the book's chapter 4, "Extending the request-reply pattern".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the clients' ROUTER socket to.
    #[arg(long, default_value = "tcp://*:5559")]
    frontend: String,
    /// Endpoint to bind the workers' DEALER socket to.
    #[arg(long, default_value = "tcp://*:5560")]
    backend: String,
    /// Replies to relay before exiting (0 = for ever).
    #[arg(long, default_value_t = 0, conflicts_with = "proxy")]
    count: u64,
    /// Print every message relayed, with its envelope of identities.
    #[arg(long, conflicts_with = "proxy")]
    verbose: bool,
    /// Relay with libzmq's built-in zmq_proxy instead of the poll loop (no
    /// envelope checks, no --count, no --verbose).
    #[arg(long)]
    proxy: bool,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
