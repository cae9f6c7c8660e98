//! Multi-poller: an array of poll items — the book's chapter 3, "Working with
//! multiple sockets", second listing (three PULL sockets in one poll).
//!
//! - One PULL socket per `--connect`, `pull1`… connected to `tcp://localhost:4040`,
//!   `…:4041`, `…:4042`; prints `starting...`, then `<socket>: <message>` for
//!   each message; for ever, or `--count` messages in all.
//!
//! The poll items are a list: one loop serves any number of sockets, and the
//! item that is ready says which socket to read.

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
    // Book errata (ch3-multi-poller-half-listing): the printed listing starts mid-array,
    // without its context, sockets or endpoints; here one PULL socket per `--connect`.
    // One socket per pusher, each named as the book names them.
    let mut pulls = Vec::new();
    for (index, endpoint) in args.connect.iter().enumerate() {
        let pull = context.socket(zmq::PULL).context("cannot create socket")?;
        args.limit.apply(&pull)?;
        lab::connect(&pull, endpoint)?;
        pulls.push((format!("pull{}", index + 1), pull));
    }
    // ANCHOR_END: sockets
    println!("starting...");

    // ANCHOR: loop
    let mut poller = lab::Poller::new();
    let items: Vec<lab::Handle> = pulls
        .iter()
        .map(|(_, pull)| poller.add(pull, zmq::POLLIN))
        .collect();
    let mut received = 0;
    while args.count == 0 || received < args.count {
        poller.poll(None)?;
        for (item, (name, pull)) in items.iter().zip(&pulls) {
            if (args.count == 0 || received < args.count) && poller.is_readable(*item) {
                let message = lab::recv_message(pull)?;
                match message.single() {
                    Ok(text) => println!("{name}: {}", String::from_utf8_lossy(text)),
                    Err(bad) => eprintln!("error: bad message on {name} {message}: {bad}"),
                }
                received += 1;
            }
        }
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Receives from several PULL sockets in one loop, naming the socket each
/// message came from: the book's chapter 3, "Working with multiple sockets".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of a pusher; each `--connect` gets its own PULL socket (the
    /// book polls three).
    #[arg(
        long,
        default_values = ["tcp://localhost:4040", "tcp://localhost:4041", "tcp://localhost:4042"]
    )]
    connect: Vec<String>,
    /// Messages to receive, from all sockets together (0 = for ever).
    #[arg(long, default_value_t = 0)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
