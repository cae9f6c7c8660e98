//! Pub-sub envelopes, the publisher (chapter 4, "Wrapping publisher-subscriber
//! messages").
//!
//! - PUB socket, binds `tcp://*:4040` (`--bind`); prints `starting server`.
//! - Every 10 ms (`--interval-ms`) sends `[Company1, "Company Message to be
//!   ignored."]` and `[Company10, "Company message to receive."]`.
//!
//! Subscribers filter on the first frame only, so the key decides who gets a
//! message, and the body can be anything at all.

use std::process::ExitCode;
use std::time::Duration;

use ch4_advanced::broker::keyed::BOOK_MESSAGES;
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| publish(&args))
}

fn publish(args: &Args) -> lab::Result<()> {
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to publish on. Subscriptions arrive on it: they are limited too.
    let publisher = context.socket(zmq::PUB).context("cannot create socket")?;
    args.limit.apply(&publisher)?;
    // A PUB never waits for subscribers; on exit, neither should its queue.
    publisher.set_linger(0).context("cannot set ZMQ_LINGER")?;
    lab::bind(&publisher, &args.bind)?;
    // ANCHOR_END: socket
    println!("starting server");

    // ANCHOR: loop
    let interval = Duration::from_millis(args.interval_ms);
    let mut rounds = 0;
    // Book errata (ch4-env-endless-loops): the listing loops for ever, its cleanup
    // unreachable; `--count` ends the loop and Ctrl-C stops it cleanly.
    while args.count == 0 || rounds < args.count {
        for (key, body) in BOOK_MESSAGES {
            // The key frame, then the body: two frames, one message.
            lab::send(&publisher, key, zmq::SNDMORE)?;
            lab::send(&publisher, body, 0)?;
        }
        rounds += 1;
        lab::sleep(interval)?;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Publishes the book's two keyed messages, key and body in separate frames:
/// the publisher of the book's chapter 4, "Wrapping publisher-subscriber
/// messages".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the PUB socket to.
    #[arg(long, default_value = "tcp://*:4040")]
    bind: String,
    /// Rounds to publish, each both messages (0 = for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// Pause after each round, in milliseconds (the book's `zclock_sleep(10)`).
    #[arg(long, default_value_t = 10)]
    interval_ms: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
