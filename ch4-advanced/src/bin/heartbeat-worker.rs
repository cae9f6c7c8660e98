//! Heartbeat worker (chapter 4, "Reliability": heartbeating).
//!
//! - DEALER socket named `--id`, connects to `tcp://localhost:4040` (`--connect`).
//! - Beats every `--interval-ms`; after `--liveness` missed server beats, a new socket.
//!
//! Each failure doubles the wait (to `--max-backoff-ms`): a dead server is not hammered.
//! Book errata (ch4-heartbeat-not-shown): no code in the book; written from its prose.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use ch3_poll_multipart_czmq::reactor::Reactor;
use ch4_advanced::reliability::heartbeat::{silence_allowed, Backoff, Deadline, HEARTBEAT};
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| work(&args))
}

fn work(args: &Args) -> lab::Result<()> {
    let id = args
        .id
        .clone()
        .unwrap_or_else(|| format!("worker-{}", std::process::id()));
    let context = zmq::Context::new();
    let interval = Duration::from_millis(args.interval_ms);
    let mut backoff = Backoff::new(interval, Duration::from_millis(args.max_backoff_ms));
    println!("worker {id} connecting to {}", args.connect);
    // ANCHOR: reconnect
    loop {
        let socket = connect(&context, args, &id)?;
        if beat_until_server_expires(args, &socket)? {
            // It was connected: the next failure starts the backoff afresh.
            backoff.reset();
        }
        let wait = backoff.next_wait();
        println!("server expired; reconnecting in {} ms", wait.as_millis());
        // The old socket goes, with whatever it still queued (linger 0).
        drop(socket);
        lab::sleep(wait)?;
    }
    // ANCHOR_END: reconnect
}

/// A new DEALER socket named `id`, connected to the server.
fn connect(context: &zmq::Context, args: &Args, id: &str) -> lab::Result<zmq::Socket> {
    let socket = context
        .socket(zmq::DEALER)
        .context("cannot create socket")?;
    socket
        .set_identity(id.as_bytes())
        .context("cannot set the routing id")?;
    socket.set_linger(0).context("cannot set ZMQ_LINGER")?;
    args.limit.apply(&socket)?;
    lab::connect(&socket, &args.connect)?;
    Ok(socket)
}

// ANCHOR: beat
/// What the worker knows of its server while one socket lasts.
struct Link {
    server: Deadline,
    connected: bool,
}

/// Beats every interval and listens for the server's beats, with chapter 3's
/// reactor; returns when the server has been silent for `--liveness`
/// intervals, saying whether it was ever heard on this socket.
fn beat_until_server_expires(args: &Args, socket: &zmq::Socket) -> lab::Result<bool> {
    let interval = Duration::from_millis(args.interval_ms);
    let allowed = silence_allowed(interval, args.liveness);
    let mut link = Link {
        server: Deadline::new(allowed, Instant::now()),
        connected: false,
    };
    beat(socket)?;
    let mut reactor = Reactor::new();
    reactor.on_readable(socket, |link: &mut Link, socket, _| {
        let message = lab::recv_message(socket)?;
        if message.single() != Ok(HEARTBEAT) {
            eprintln!("error: bad message from the server: {message}: expected HEARTBEAT");
            return Ok(());
        }
        link.server.heard(Instant::now());
        if !link.connected {
            link.connected = true;
            println!("connected");
        }
        Ok(())
    });
    reactor.every(interval, |link: &mut Link, control| {
        if link.server.expired(Instant::now()) {
            control.stop();
            return Ok(());
        }
        beat(socket)
    });
    reactor.run(&mut link)?;
    Ok(link.connected)
}

/// Sends one beat. A beat that finds the queue full is dropped, not waited
/// for: a late beat is worth nothing.
fn beat(socket: &zmq::Socket) -> lab::Result<()> {
    match socket.send(HEARTBEAT, zmq::DONTWAIT) {
        Ok(()) | Err(zmq::Error::EAGAIN) => Ok(()),
        Err(error) => Err(error).context("cannot send a heartbeat"),
    }
}
// ANCHOR_END: beat

/// Beats to a heartbeat server and reconnects, with backoff, when the server
/// goes silent: the book's chapter 4, "Reliability" (heartbeating).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the server to connect to.
    #[arg(long, default_value = "tcp://localhost:4040")]
    connect: String,
    /// The worker's name, its routing id at the server (default `worker-<pid>`).
    #[arg(long)]
    id: Option<String>,
    /// How often to beat, in milliseconds; also the first reconnection wait.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    interval_ms: u64,
    /// Server beats that may be missed in a row before it is declared dead.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    liveness: u32,
    /// The longest wait before reconnecting, in milliseconds.
    #[arg(long, default_value_t = 32000)]
    max_backoff_ms: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
