//! Heartbeat worker: beats to its server and watches the server's beats
//! (chapter 4, "Reliability": heartbeating).
//!
//! - DEALER socket with routing id `--id`, connects to `tcp://localhost:4040`
//!   (`--connect`).
//! - Sends `HEARTBEAT` every `--interval-ms` (1000) and prints `connected`
//!   when the server's first beat comes back.
//! - When `--liveness` (3) of the server's beats in a row are missing, prints
//!   `server expired; reconnecting in <ms> ms`, throws its socket away, waits,
//!   and starts again on a new one. The wait doubles after each failure, from
//!   the interval up to `--max-backoff-ms` (32000), so a dead server is not
//!   hammered; it is back to the interval once connected.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use ch4_advanced::reliability::heartbeat::{silence_allowed, Backoff, Deadline, HEARTBEAT};
use clap::Parser;
use lab::Context;

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
    #[arg(long, default_value_t = 1000)]
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
        beat_until_server_expires(args, &socket, &mut backoff)?;
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
/// Beats every interval and listens for the server's beats; returns when the
/// server has been silent for `--liveness` intervals.
fn beat_until_server_expires(
    args: &Args,
    socket: &zmq::Socket,
    backoff: &mut Backoff,
) -> lab::Result<()> {
    let interval = Duration::from_millis(args.interval_ms);
    let mut server = Deadline::new(silence_allowed(interval, args.liveness), Instant::now());
    let mut connected = false;
    let mut next_beat = Instant::now();
    let mut poller = lab::Poller::new();
    let beats = poller.add(socket, zmq::POLLIN);
    loop {
        let now = Instant::now();
        if server.expired(now) {
            return Ok(());
        }
        if now >= next_beat {
            // A beat that finds the queue full is dropped, not waited for:
            // a late beat is worth nothing.
            match socket.send(HEARTBEAT, zmq::DONTWAIT) {
                Ok(()) | Err(zmq::Error::EAGAIN) => {}
                Err(error) => return Err(error).context("cannot send a heartbeat"),
            }
            next_beat = now + interval;
        }
        poller.poll(Some(
            next_beat.min(server.at()).saturating_duration_since(now),
        ))?;
        if poller.is_readable(beats) {
            let message = lab::recv_message(socket)?;
            if message.single() == Ok(HEARTBEAT) {
                server.heard(Instant::now());
                if !connected {
                    connected = true;
                    backoff.reset();
                    println!("connected");
                }
            } else {
                eprintln!("error: bad message from the server: {message}: expected HEARTBEAT");
            }
        }
    }
}
// ANCHOR_END: beat
