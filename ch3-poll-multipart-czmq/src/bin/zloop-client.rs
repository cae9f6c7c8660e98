//! zloop client: a PUSH socket that feeds the zloop server (the book's
//! chapter 3, "zloop"), its sends paced by a reactor timer.
//!
//! - PUSH socket, connects to `tcp://localhost:5050` (`--connect`).
//! - Sends `hello`, printing `Pushing hello`, every `--interval-ms` (the book's
//!   tight loop: 0), `--count` times (0 = for ever, as the book does).
//!
//! The timer of a reactor replaces the book's `for (;;)`: it runs the send
//! `--count` times and then the reactor, with nothing left to do, returns.

use std::process::ExitCode;
use std::time::Duration;

use ch3_poll_multipart_czmq::reactor::{Control, Reactor};
use clap::Parser;
use lab::discard_pending_if_interrupted;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    // Book errata (ch3-zloop-signal-exit): SIGINT is `exit` in the listing, and
    // its loop ignores SIGTERM; here both end the reactor's wait.
    lab::run(|| push(&args))
}

fn push(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to push the messages on.
    let sender = context.socket(zmq::PUSH).context("cannot create socket")?;
    lab::connect(&sender, &args.connect)?;
    println!("Starting client...");

    // ANCHOR: timer
    let mut reactor = Reactor::new();
    // Book errata (ch3-zloop-client-endless): the listing's `for (;;)` never
    // ends; the timer runs `--count` times, then `run` returns.
    let interval = Duration::from_millis(args.interval_ms);
    if args.count == 0 {
        // `--count 0`: the book's endless loop.
        reactor.every(interval, push_hello);
    } else {
        reactor.times(args.count, interval, push_hello);
    }
    let outcome = reactor.run(&mut &sender);
    // ANCHOR_END: timer
    // After Ctrl-C, do not wait for a server to take what is still queued.
    discard_pending_if_interrupted(outcome, &[&sender])
}

// ANCHOR: push
/// The timer: one `hello`, waiting (interruptibly) while no server takes it.
fn push_hello(sender: &mut &zmq::Socket, _: &mut Control<'_, &zmq::Socket>) -> lab::Result<()> {
    lab::send(sender, "hello", 0)?;
    println!("Pushing hello");
    Ok(())
}
// ANCHOR_END: push

/// Pushes `hello` to the zloop server, paced by a reactor's timer: the zloop
/// client of the book's chapter 3, "zloop".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to connect the PUSH socket to.
    #[arg(long, default_value = "tcp://localhost:5050")]
    connect: String,
    /// Messages to send (0 = for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: usize,
    /// Pause between two messages, in milliseconds (the book's tight loop: 0).
    #[arg(long, default_value_t = 0)]
    interval_ms: u64,
}
