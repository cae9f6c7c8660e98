//! Poller: one program, two sockets, one wait — the book's chapter 3,
//! "Working with multiple sockets" (`zmq_poll`).
//!
//! - PULL socket, connects to `tcp://localhost:4040` (`--ventilator`): tasks; SUB
//!   socket, connects to `tcp://localhost:5050` (`--publisher`), subscribed to
//!   `Company1` (`--filter`): updates. Prints `task: …` or `ticker: …` per message.
//!
//! One `poll` waits on both sockets at once: neither can starve the other,
//! and the program sleeps until one of them has a message.

use std::process::ExitCode;

use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| poll(&args))
}

fn poll(args: &Args) -> lab::Result<()> {
    // ANCHOR: sockets
    let context = zmq::Context::new();
    // Socket to receive tasks on, from the ventilator.
    let tasks = context.socket(zmq::PULL).context("cannot create socket")?;
    args.limit.apply(&tasks)?;
    // lab::connect = tasks.connect(endpoint), its error told as a sentence.
    lab::connect(&tasks, &args.ventilator)?;
    // Socket to receive stock updates on, from the publisher.
    let ticker = context.socket(zmq::SUB).context("cannot create socket")?;
    args.limit.apply(&ticker)?;
    lab::connect(&ticker, &args.publisher)?;
    // ANCHOR_END: sockets
    subscribe(&ticker, args)?;
    println!("starting...");

    // ANCHOR: loop
    // lab::Poller = the items of zmq::poll(&mut items, timeout), plus the signal pipe,
    // so Ctrl-C wakes the poll at once.
    let mut poller = lab::Poller::new();
    let task = poller.add(&tasks, zmq::POLLIN);
    let update = poller.add(&ticker, zmq::POLLIN);
    let mut received = 0;
    while args.count == 0 || received < args.count {
        poller.poll(None)?;
        for (item, socket, name) in [(task, &tasks, "task"), (update, &ticker, "ticker")] {
            if (args.count == 0 || received < args.count) && poller.is_readable(item) {
                show(name, &lab::recv_message(socket)?);
                received += 1;
            }
        }
    }
    // ANCHOR_END: loop
    Ok(())
}

// ANCHOR: subscribe
/// Subscribes the SUB socket to `--filter`, as a prefix of bytes.
fn subscribe(ticker: &zmq::Socket, args: &Args) -> lab::Result<()> {
    let mut prefix = args.filter.as_bytes().to_vec();
    if args.book_nul {
        // The listing's length, `strlen(company_name) + 1`, takes the NUL too.
        prefix.push(0);
    }
    // Book errata (ch3-poller-nul): the subscription is the filter's bytes, without the NUL
    // that C's `strlen + 1` adds (no update contains a NUL: none matches).
    ticker.set_subscribe(&prefix).context(format_args!(
        "cannot subscribe to {:?}",
        prefix.escape_ascii().to_string()
    ))
}
// ANCHOR_END: subscribe

/// Prints one message as `<name>: <text>`; a message of several frames is one
/// bad message, reported on stderr.
fn show(name: &str, message: &lab::Frames) {
    match message.single() {
        // Book errata (ch3-poller-discards): the listing receives each message and throws it
        // away unseen; here it is printed.
        Ok(text) => println!("{name}: {}", String::from_utf8_lossy(text)),
        Err(bad) => eprintln!("error: bad {name} {message}: {bad}"),
    }
}

/// Receives tasks (PULL) and stock updates (SUB) in one loop by polling both:
/// the book's chapter 3, "Working with multiple sockets".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the ventilator to connect the PULL socket to.
    #[arg(long, default_value = "tcp://localhost:4040")]
    ventilator: String,
    /// Endpoint of the publisher to connect the SUB socket to.
    #[arg(long, default_value = "tcp://localhost:5050")]
    publisher: String,
    /// The prefix to subscribe to (the book's `Company1`).
    #[arg(long, default_value = "Company1")]
    filter: String,
    /// Subscribe as the printed listing does, with the C string's NUL after
    /// the filter: nothing matches (the book's defect, for comparison).
    #[arg(long)]
    book_nul: bool,
    /// Messages to receive, from both sockets together (0 = for ever).
    #[arg(long, default_value_t = 0)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
