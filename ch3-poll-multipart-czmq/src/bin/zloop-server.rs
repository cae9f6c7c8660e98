//! zloop server: a PULL socket served by a reactor, CZMQ's `zloop` (the book's
//! chapter 3, "zloop").
//!
//! - PULL socket, binds `tcp://*:5050` (`--bind`); the reader prints each message;
//!   a timer prints `tick: <n> messages since the last tick` once, 10 s in
//!   (`--timer-ms`; every tick with `--repeat`). Stops after `--count` messages.
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

fn main() -> ExitCode {
    let args = Args::parse();
    // Book errata (ch3-zloop-signal-exit): the listing's SIGINT handler is `exit`;
    // lab's only records the signal, and the reactor's wait returns at once.
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
    // Book errata (ch3-zloop-do-send-missing): the listing's timer calls
    // `do_send`, which does not exist; this one reports the count.
    let tick = Duration::from_millis(args.timer_ms);
    if args.repeat {
        reactor.every(tick, report_tick);
    } else {
        // The book's `zloop_timer(loop, 10000, 1, …)`: one tick.
        reactor.times(1, tick, report_tick);
    }
    let mut server = Server {
        tally: Tally::default(),
        count: args.count,
    };
    // Returns when a handler stops it, or with Err(Interrupted) on a signal.
    reactor.run(&mut server)
    // ANCHOR_END: reactor
}

/// The timer: how many messages came since the last tick.
fn report_tick(server: &mut Server, _: &mut Control<'_, Server>) -> lab::Result<()> {
    println!("{}", server.tally.tick());
    Ok(())
}

// ANCHOR: reader
/// The reader: one whole message per call, printed and counted.
fn print_message(
    server: &mut Server,
    receiver: &zmq::Socket,
    control: &mut Control<'_, Server>,
) -> lab::Result<()> {
    // Book errata (ch3-zloop-message-leak): the listing never frees the string
    // it receives; `message` is dropped at the end of this function.
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

/// Prints what a PULL socket receives, and once (or, with --repeat, every
/// tick) how many came, from a reactor: the zloop server of the book's
/// chapter 3, "zloop".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the PULL socket to.
    #[arg(long, default_value = "tcp://*:5050")]
    bind: String,
    /// When the timer reports the count, in milliseconds after the start (the
    /// book's 10000).
    #[arg(long, default_value_t = 10_000)]
    timer_ms: u64,
    /// Report the count every --timer-ms for as long as the server runs (the
    /// book's timer runs once).
    #[arg(long)]
    repeat: bool,
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
