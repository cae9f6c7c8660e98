//! zloop server: a PULL socket served by a reactor, CZMQ's `zloop` (the book's
//! chapter 3, "zloop").
//!
//! - PULL socket, binds `tcp://*:5050` (`--bind`).
//! - Prints `Starting server...`; the reactor calls the reader for each
//!   message, which prints it; a timer prints
//!   `tick: <n> messages since the last tick` every 10 seconds (`--timer-ms`).
//! - Runs for ever, or until `--count` messages arrived. Ctrl-C or SIGTERM
//!   ends the reactor's wait at once: `interrupted`, exit 0.
//!
//! A reactor turns the program inside out: instead of a loop that waits and
//! then decides what happened, it registers what to do when a socket is
//! readable or a timer is due, and lets the loop call it.

use std::process::ExitCode;
use std::time::Duration;

use ch3_poll_multipart_czmq::reactor::{Control, Reactor};
use ch3_poll_multipart_czmq::zloop::Tally;
use clap::Parser;
use lab::Context;

/// Prints what a PULL socket receives, and a count every tick, from a reactor:
/// the zloop server of the book's chapter 3, "zloop".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the PULL socket to.
    #[arg(long, default_value = "tcp://*:5050")]
    bind: String,
    /// Interval of the timer that reports the count, in milliseconds (the
    /// book's 10000).
    #[arg(long, default_value_t = 10_000)]
    timer_ms: u64,
    /// Messages to receive before exiting (0 = for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}

/// What the handlers share: the counts, and when to stop.
struct Server {
    tally: Tally,
    count: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // Book errata: the listing installs `exit` as its SIGINT handler (not
    // async-signal-safe); lab's handler only records the signal, and the
    // reactor's wait returns Err(Interrupted) at once.
    lab::run(|| serve(&args))
}

fn serve(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to receive the clients' messages on.
    let receiver = context.socket(zmq::PULL).context("cannot create socket")?;
    args.limit.apply(&receiver)?;
    lab::bind(&receiver, &args.bind)?;
    println!("Starting server...");

    // ANCHOR: reactor
    let mut reactor = Reactor::new();
    reactor.on_readable(&receiver, print_message);
    // Book errata: the listing's timer calls `do_send`, which does not exist.
    reactor.every(
        Duration::from_millis(args.timer_ms),
        |server: &mut Server, _| {
            println!("{}", server.tally.tick());
            Ok(())
        },
    );
    let mut server = Server {
        tally: Tally::default(),
        count: args.count,
    };
    // Returns when a handler stops it, or with Err(Interrupted) on a signal.
    reactor.run(&mut server)
    // ANCHOR_END: reactor
}

// ANCHOR: reader
/// The reader: one whole message per call, printed and counted.
fn print_message(
    server: &mut Server,
    receiver: &zmq::Socket,
    control: &mut Control<'_, Server>,
) -> lab::Result<()> {
    // Book errata: the listing never frees the string it receives; `message`
    // is dropped at the end of this function.
    let message = lab::recv_message(receiver)?;
    match message.single() {
        Ok(text) => println!("{}", String::from_utf8_lossy(text)),
        Err(bad) => eprintln!("error: bad message {message}: {bad}"),
    }
    server.tally.arrived();
    if server.tally.total() == server.count {
        control.stop();
    }
    Ok(())
}
// ANCHOR_END: reader
