//! Pub-sub envelopes, the subscriber (chapter 4, "Wrapping publisher-subscriber
//! messages").
//!
//! - SUB socket, connects to `tcp://localhost:4040` (`--connect`), subscribes
//!   to `Company10` (`--key`); prints `Starting client...`.
//! - Prints `[<key>] <body>` per message; one not of two frames is reported
//!   on stderr (`error: …`) and skipped.
//!
//! The subscription is a prefix of the key frame: `Company1` also gets
//! `Company10`. `--exact` drops, in the subscriber, keys that are longer.

use std::process::ExitCode;

use ch4_advanced::broker::keyed;
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| subscribe(&args))
}

fn subscribe(args: &Args) -> lab::Result<()> {
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to receive the keyed messages on.
    let subscriber = context.socket(zmq::SUB).context("cannot create socket")?;
    args.limit.apply(&subscriber)?;
    println!("Starting client...");
    lab::connect(&subscriber, &args.connect)?;
    // The filter applies to the first frame, the key, and only to it.
    subscriber
        .set_subscribe(args.key.as_bytes())
        .context("cannot subscribe")?;
    // ANCHOR_END: socket

    // ANCHOR: loop
    let mut received = 0;
    // Book errata (ch4-env-endless-loops): the listing loops for ever, its cleanup
    // unreachable; `--count` ends the loop and Ctrl-C stops it cleanly.
    while args.count == 0 || received < args.count {
        // Book errata (ch4-env-print-before-check, ch4-env-two-receives): the listing prints
        // two separate receives unchecked; here one receive, checked, is one message.
        let message = lab::recv_message(&subscriber)?;
        received += 1;
        match keyed::split(&message) {
            Ok((key, _)) if args.exact && key != args.key.as_bytes() => {}
            Ok((key, body)) => println!("{}", keyed::show(key, body)),
            Err(bad) => eprintln!("error: bad message {message}: {bad}"),
        }
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Receives the keyed messages it subscribed to and prints key and body: the
/// subscriber of the book's chapter 4, "Wrapping publisher-subscriber
/// messages".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the publisher to connect the SUB socket to.
    #[arg(long, default_value = "tcp://localhost:4040")]
    connect: String,
    /// The key to subscribe to (a prefix of the key frame).
    #[arg(long, default_value = "Company10")]
    key: String,
    /// Show only messages whose key is exactly --key (the subscription alone
    /// also lets longer keys through).
    #[arg(long)]
    exact: bool,
    /// Messages to receive before exiting (0 = for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
