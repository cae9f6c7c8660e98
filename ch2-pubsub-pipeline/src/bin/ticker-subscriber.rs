//! Stock ticker subscriber: the SUB half of the book's publish-subscribe example
//! (chapter 2, "The publish-subscribe pattern" and "Filtering out messages").
//!
//! - SUB socket, connects to `tcp://localhost:4040` (`--connect`, repeatable).
//! - Subscribes to each FILTER (none: everything), prints each update received,
//!   10 of them (`--count`), then `received <n> updates`.
//!
//! A SUB socket receives only what matches one of its subscriptions, and a
//! subscription matches by *prefix*: `Company1` also matches `Company10`.

use std::process::ExitCode;
use std::time::Duration;

use ch2_pubsub_pipeline::ticker::subscription;
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| collect(&args))
}

fn collect(args: &Args) -> lab::Result<()> {
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to receive the publisher's updates on.
    let subscriber = context.socket(zmq::SUB).context("cannot create socket")?;
    // A subscriber never has anything worth waiting for at exit.
    subscriber.set_linger(0).context("cannot set ZMQ_LINGER")?;
    // Book errata (ch2-no-size-limit): no listing limits what it receives; ZMQ_MAXMSGSIZE bounds
    // updates.
    args.limit.apply(&subscriber)?;
    println!("Collecting stock information from the server.");
    for endpoint in &args.connect {
        lab::connect(&subscriber, endpoint)?;
    }
    // ANCHOR_END: socket
    subscribe(args, &subscriber)?;
    let mut received = 0;
    let outcome = receive_updates(args, &subscriber, &mut received);
    println!("received {received} updates");
    outcome
}

fn receive_updates(args: &Args, subscriber: &zmq::Socket, received: &mut u64) -> lab::Result<()> {
    // ANCHOR: loop
    let timeout = (args.timeout_ms > 0).then(|| Duration::from_millis(args.timeout_ms));
    while args.count == 0 || *received < args.count {
        if !lab::wait_readable(subscriber, timeout)? {
            println!("no update within {} ms", args.timeout_ms);
            break;
        }
        // Book errata (ch2-one-frame): the listings take one frame for an update; here it is every
        // frame.
        let update = lab::recv_message(subscriber)?;
        match update.single() {
            // Book errata (ch2-printf-no-nul): the listings print the bytes with `%s`, with no NUL
            // after them, reading past the buffer. A message knows its length.
            Ok(text) => println!("{}", String::from_utf8_lossy(text)),
            // A multipart update is one bad update, not several good ones.
            Err(bad) => eprintln!("error: bad update {update}: {bad}"),
        }
        *received += 1;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Subscribes to each filter (with `--delimiter`), or to everything, unless
/// `--no-subscribe`.
fn subscribe(args: &Args, subscriber: &zmq::Socket) -> lab::Result<()> {
    // ANCHOR: subscribe
    if !args.no_subscribe {
        let everything = [String::new()];
        let filters = if args.filters.is_empty() {
            &everything[..]
        } else {
            &args.filters[..]
        };
        for filter in filters {
            // Book errata (ch2-null-subscription): the first listing passes a null pointer with
            // length 0; the empty prefix is an empty byte string.
            let prefix = subscription(filter, &args.delimiter);
            subscriber
                .set_subscribe(prefix.as_bytes())
                .context(format_args!("cannot subscribe to {prefix:?}"))?;
        }
    }
    // ANCHOR_END: subscribe
    Ok(())
}

/// Prints the stock updates that match its filters: the stock ticker client of
/// the book's chapter 2, "The publish-subscribe pattern".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Prefixes to subscribe to, e.g. `Company1` (none: everything). The
    /// book's second listing uses `Company1`.
    filters: Vec<String>,
    /// Endpoint of the publisher to connect the SUB socket to; repeat for several.
    #[arg(long, default_value = "tcp://localhost:4040")]
    connect: Vec<String>,
    /// Put this after each filter (`|` turns `Company1` into `Company1|`): the
    /// book's fix for prefix matching; use the publisher's `--delimiter`.
    #[arg(long, default_value = "")]
    delimiter: String,
    /// Updates to print before exiting (0 = for ever).
    #[arg(long, default_value_t = 10)]
    count: u64,
    /// Do not subscribe at all: the book's "very common error" — nothing arrives.
    #[arg(long, conflicts_with_all = ["filters", "delimiter"])]
    no_subscribe: bool,
    /// Give up after this long without an update, in milliseconds (0 = wait for ever).
    #[arg(long, default_value_t = 0)]
    timeout_ms: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
