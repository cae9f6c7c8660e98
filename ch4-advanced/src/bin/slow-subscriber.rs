//! Slow subscriber (chapter 4, "High watermark").
//!
//! - SUB socket subscribed to all (PULL with `--pattern push`), connects to
//!   `tcp://localhost:4040` (`--connect`), receive high-water mark `--rcvhwm`
//!   set before the connect.
//! - Takes `--delay-ms` over each message; at `END <count>` (or `--count`,
//!   `--idle-ms`) prints `received <n> messages, <m> missing in <g> gaps`.
//!
//! The messages are numbered, so the numbers that never came are the ones a
//! PUB dropped at its high-water mark; from a PUSH, none are missing.

use std::process::ExitCode;
use std::time::Duration;

use ch4_advanced::reliability::hwm::{parse, Pattern, Received, Tally};
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| subscribe(&args))
}

fn subscribe(args: &Args) -> lab::Result<()> {
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to receive the numbered messages on.
    let kind = match args.pattern {
        Pattern::Pub => zmq::SUB,
        Pattern::Push => zmq::PULL,
    };
    let socket = context.socket(kind).context("cannot create socket")?;
    // Like every socket option that shapes a connection, the mark must be
    // set before the connect.
    socket
        .set_rcvhwm(args.rcvhwm)
        .context("cannot set ZMQ_RCVHWM")?;
    // A receiver has nothing to deliver at the end, and with its queue at the
    // mark and the sender gone, libzmq 4.3.4 can wait for ever in
    // `zmq_ctx_term` unless the linger is 0.
    socket.set_linger(0).context("cannot set ZMQ_LINGER")?;
    args.limit.apply(&socket)?;
    lab::connect(&socket, &args.connect)?;
    if args.pattern == Pattern::Pub {
        socket.set_subscribe(b"").context("cannot subscribe")?;
    }
    // ANCHOR_END: socket
    println!("receiving...");
    // Book errata (ch4-hwm-no-sequence): the listing has no receiving side;
    // this one counts the numbers that never came.
    let tally = receive(args, &socket)?;
    println!("{tally}");
    Ok(())
}

// ANCHOR: loop
fn receive(args: &Args, socket: &zmq::Socket) -> lab::Result<Tally> {
    let idle = (args.idle_ms > 0).then(|| Duration::from_millis(args.idle_ms));
    let mut tally = Tally::new();
    while args.count == 0 || tally.received() < args.count {
        // The first message may be long in coming; after it, silence ends the run.
        let wait = if tally.received() == 0 { None } else { idle };
        if !lab::wait_readable(socket, wait)? {
            println!("no message for {} ms; stopping", args.idle_ms);
            break;
        }
        let message = lab::recv_message(socket)?;
        match message
            .single()
            .map_err(|bad| bad.to_string())
            .and_then(parse)
        {
            Ok(Received::Number(number)) => tally.record(number),
            Ok(Received::End(total)) => {
                tally.end(total);
                println!("end of the run: {total} messages were sent");
                break;
            }
            Err(why) => eprintln!("error: bad message {message}: {why}"),
        }
        lab::sleep(Duration::from_millis(args.delay_ms))?;
    }
    Ok(tally)
}
// ANCHOR_END: loop

/// Receives numbered messages slowly and counts those that never came: the
/// book's chapter 4, "High watermark".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the publisher to connect to.
    #[arg(long, default_value = "tcp://localhost:4040")]
    connect: String,
    /// The publisher's socket: `pub` (this end is a SUB) or `push` (a PULL).
    #[arg(long, value_enum, default_value_t = Pattern::Pub)]
    pattern: Pattern,
    /// Receive high-water mark, in messages (libzmq's default 1000; 0 = no limit).
    #[arg(long, default_value_t = 1000)]
    rcvhwm: i32,
    /// Time taken over each message, in milliseconds.
    #[arg(long, default_value_t = 100)]
    delay_ms: u64,
    /// Messages to receive before stopping (0 = until the end marker).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// Stop when no message came for this long after the last one, in
    /// milliseconds (0 = wait for ever): a PUB can drop the end marker too.
    #[arg(long, default_value_t = 0)]
    idle_ms: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
