//! Lab starter `poller-subscription-nul` (`harness lab start poller-subscription-nul DIR`):
//! the book's poller (chapter 3, "Working with multiple sockets"), ported
//! as printed — it builds, connects and polls, and `harness lab check` shows
//! what it receives.
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
    subscribe(&ticker, args)?;
    println!("starting...");

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
    Ok(())
}

/// Subscribes the SUB socket to `--filter`, as a prefix of bytes.
fn subscribe(ticker: &zmq::Socket, args: &Args) -> lab::Result<()> {
    // The listing's subscription: the company's C string, `strlen + 1` bytes.
    let company = std::ffi::CString::new(args.filter.as_str())
        .map_err(|_| lab::Error::failed("the filter holds a NUL"))?;
    let prefix = company.as_bytes_with_nul();
    ticker.set_subscribe(prefix).context(format_args!(
        "cannot subscribe to {:?}",
        prefix.escape_ascii().to_string()
    ))
}

/// Prints one message as `<name>: <text>`; a message of several frames is one
/// bad message, reported on stderr.
fn show(name: &str, message: &lab::Frames) {
    match message.single() {
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
    /// Messages to receive, from both sockets together (0 = for ever).
    #[arg(long, default_value_t = 0)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
