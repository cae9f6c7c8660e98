//! Pusher: a PUSH socket that feeds the polling lessons of the book's
//! chapter 3, "Working with multiple sockets" (named there, not printed).
//!
//! - PUSH socket, binds `tcp://*:4040` (`--bind`), or connects (`--connect`).
//! - Sends `<label> <n>` for n = 0, 1, …, printing `Sent: <message>`: 10
//!   messages (`--count`, 0 = for ever), one a second (`--interval-ms`).
//!
//! A PUSH socket with no puller holds its first message until one connects;
//! at the end the context waits until every message queued is delivered.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lab::discard_pending_if_interrupted;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| push(&args))
}

fn push(args: &Args) -> lab::Result<()> {
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to send the messages on.
    let sender = context.socket(zmq::PUSH).context("cannot create socket")?;
    match &args.connect {
        Some(endpoint) => lab::connect(&sender, endpoint)?,
        None => lab::bind(&sender, &args.bind).map(drop)?,
    }
    // ANCHOR_END: socket
    let outcome = send_numbered(args, &sender);
    discard_pending_if_interrupted(outcome, &[&sender])
}

fn send_numbered(args: &Args, sender: &zmq::Socket) -> lab::Result<()> {
    // ANCHOR: loop
    let mut sent = 0;
    while args.count == 0 || sent < args.count {
        if sent > 0 {
            lab::sleep(Duration::from_millis(args.interval_ms))?;
        }
        let message = format!("{} {sent}", args.label);
        lab::send(sender, &message, 0)?;
        println!("Sent: {message}");
        sent += 1;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Sends numbered messages to whatever pulls: the feeder of the book's
/// chapter 3, "Working with multiple sockets".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the PUSH socket to.
    #[arg(long, default_value = "tcp://*:4040", conflicts_with = "connect")]
    bind: String,
    /// Endpoint to connect the PUSH socket to, instead of binding.
    #[arg(long)]
    connect: Option<String>,
    /// Label in front of each message's number.
    #[arg(long, default_value = "pusher")]
    label: String,
    /// Messages to send (0 = for ever).
    #[arg(long, default_value_t = 10)]
    count: u64,
    /// Pause between two messages, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    interval_ms: u64,
}
