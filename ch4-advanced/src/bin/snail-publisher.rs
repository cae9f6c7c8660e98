//! Suicidal snail publisher (chapter 4, "Slow subscribers in a publish-subscribe
//! pattern").
//!
//! - PUB socket, binds `tcp://*:4040` (`--bind`); prints `Starting Server...`.
//! - Every `--interval-ms` (the book's second) publishes the time in milliseconds
//!   since the Unix epoch, as decimal text; for ever, or `--count` times.
//!
//! It publishes the time, so subscribers can tell how far behind they are.

use std::process::ExitCode;
use std::time::Duration;

use ch4_advanced::reliability::snail::now_ms;
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| publish(&args))
}

fn publish(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to publish the time on.
    let publisher = context.socket(zmq::PUB).context("cannot create socket")?;
    // A PUB drops what its subscribers cannot take: nothing may hold the exit.
    publisher.set_linger(0).context("cannot set ZMQ_LINGER")?;
    println!("Starting Server...");
    lab::bind(&publisher, &args.bind)?;

    // ANCHOR: loop
    let mut sent = 0;
    // Book errata (ch4-snail-endless-publisher): the listing loops for ever;
    // `--count` ends the loop and Ctrl-C stops it cleanly.
    while args.count == 0 || sent < args.count {
        // Book errata (ch4-snail-midnight): the listing sends seconds of the day
        // (`time(NULL) % 86400`), which jump back to 0 at midnight.
        lab::send(&publisher, now_ms().to_string(), 0)?;
        sent += 1;
        lab::sleep(Duration::from_millis(args.interval_ms))?;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Publishes the current time every second, for the suicidal snail
/// subscriber: the book's chapter 4, "Slow subscribers in a publish-subscribe
/// pattern".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the PUB socket to.
    #[arg(long, default_value = "tcp://*:4040")]
    bind: String,
    /// Time between messages, in milliseconds (the book's `sleep(1)`).
    #[arg(long, default_value_t = 1000)]
    interval_ms: u64,
    /// Messages to publish before exiting (0 = for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
}
