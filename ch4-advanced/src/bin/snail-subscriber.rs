//! Suicidal snail subscriber (chapter 4, "Slow subscribers in a publish-subscribe
//! pattern").
//!
//! - SUB socket, subscribed to all, connects to `tcp://localhost:4040` (`--connect`).
//! - Prints `received <time>: <lag> ms late` per message, working `--work-ms` (3 s)
//!   on each; exits 0 after `--count` (10).
//! - A message over `--max-lag-ms` (4 s) old: `Subscriber is too slow. Aborting.`,
//!   exit 3 (1: error, 2: usage error).
//!
//! A subscriber that notices it is too slow stops, rather than quietly working
//! on stale data.

use std::process::ExitCode;
use std::time::Duration;

use ch4_advanced::reliability::snail::{lag_ms, now_ms, parse_timestamp, TOO_SLOW, TOO_SLOW_EXIT};
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    let mut outcome = Outcome::Done;
    let status = lab::run(|| {
        outcome = subscribe(&args)?;
        Ok(())
    });
    match outcome {
        Outcome::TooSlow => ExitCode::from(TOO_SLOW_EXIT),
        Outcome::Done => status,
    }
}

fn subscribe(args: &Args) -> lab::Result<Outcome> {
    let context = zmq::Context::new();
    // Socket to receive the time on.
    let subscriber = context.socket(zmq::SUB).context("cannot create socket")?;
    args.limit.apply(&subscriber)?;
    println!("Getting data...");
    lab::connect(&subscriber, &args.connect)?;
    // Book errata (ch4-snail-null-subscription): the listing subscribes with a
    // null pointer; the empty prefix is an empty byte string.
    subscriber.set_subscribe(b"").context("cannot subscribe")?;

    // ANCHOR: loop
    let mut received = 0;
    // Book errata (ch4-snail-brace): the listing's loop is one brace short;
    // this one works on every message and ends after `--count` of them.
    while args.count == 0 || received < args.count {
        let message = lab::recv_message(&subscriber)?;
        received += 1;
        // Book errata (ch4-snail-clock-before-wait): the listing reads its clock
        // before waiting for the message; here the wait is not counted as lag.
        let now = now_ms();
        // Book errata (ch4-snail-bad-message): the listing `sscanf`s the message
        // unchecked, leaving the time unset; here a bad message is reported and skipped.
        let sent = match message.single().map_err(|bad| bad.to_string()) {
            Ok(frame) => parse_timestamp(frame),
            Err(why) => Err(why),
        };
        let sent = match sent {
            Ok(sent) => sent,
            Err(why) => {
                eprintln!("error: bad message {message}: {why}");
                continue;
            }
        };
        // Never negative, never wrapped: see `lag_ms`.
        let lag = lag_ms(sent, now);
        println!("received {sent}: {lag} ms late");
        if lag > args.max_lag_ms {
            println!("{TOO_SLOW}");
            // Book errata (ch4-snail-aborts-and-continues): the listing prints
            // "Aborting" and carries on.
            return Ok(Outcome::TooSlow);
        }
        // Book errata (ch4-snail-work-too-late): the listing only sleeps when it
        // is already too slow, so it never falls behind.
        lab::sleep(Duration::from_millis(args.work_ms))?;
    }
    // ANCHOR_END: loop
    Ok(Outcome::Done)
}

/// How the subscriber ended, when it did not fail.
enum Outcome {
    Done,
    TooSlow,
}

/// Receives timestamps slowly and aborts, with exit status 3, once they
/// arrive too late: the book's chapter 4, "Slow subscribers in a
/// publish-subscribe pattern" (the suicidal snail).
#[derive(Parser)]
#[command(
    version,
    after_help = "Exit status: 0 done, 1 error, 2 usage error, 3 too slow (aborted)."
)]
struct Args {
    /// Endpoint of the publisher to connect to.
    #[arg(long, default_value = "tcp://localhost:4040")]
    connect: String,
    /// Work per message, in milliseconds (the book's `sleep(3)`).
    #[arg(long, default_value_t = 3000)]
    work_ms: u64,
    /// The oldest a message may be when it arrives, in milliseconds (the
    /// book's `DELAY` of 4 seconds).
    #[arg(long, default_value_t = 4000)]
    max_lag_ms: u64,
    /// Messages to receive before exiting (the book's 10; 0 = for ever).
    #[arg(long, default_value_t = 10)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
