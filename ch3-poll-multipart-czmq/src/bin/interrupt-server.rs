//! Interrupt server: the REP half of the book's chapter 3, "How to handle
//! interruptions" — a server that Ctrl-C stops cleanly.
//!
//! - REP socket, binds `tcp://*:5050` (`--bind`); prints `Received: <request>`
//!   and replies `world` (`--echo`: the request itself), for ever or `--count` times.
//! - SIGINT or SIGTERM, even mid-wait: `interrupted`, exit 0.
//!
//! The signal handler only records the signal (and wakes the wait); the
//! program itself then leaves its loop and cleans up in the usual order.

use std::process::ExitCode;

use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    // `lab::run` catches SIGINT and SIGTERM, runs `serve`, and turns an
    // interrupt into `interrupted` on stderr and exit status 0.
    // Book errata (ch3-interrupt-signal-exit): the listing's second server installs `exit` as
    // the SIGINT handler (not async-signal-safe); this handler only records the signal.
    lab::run(|| serve(&args))
}

fn serve(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to answer clients on.
    let responder = context.socket(zmq::REP).context("cannot create socket")?;
    args.limit.apply(&responder)?;
    lab::bind(&responder, &args.bind)?;
    println!("Starting server...");

    // ANCHOR: loop
    let mut served = 0;
    while args.count == 0 || served < args.count {
        // A signal ends this wait with Err(Interrupted): `?` leaves the loop,
        // and the socket and the context are dropped on the way out.
        let request = lab::recv_message(&responder)?;
        match request.single() {
            Ok(text) => println!("Received: {}", String::from_utf8_lossy(text)),
            Err(_) if args.echo => println!("Received: {request}"),
            Err(bad) => eprintln!("error: bad request {request}: {bad}"),
        }
        if args.echo {
            lab::send_message(&responder, &request)?;
        } else {
            lab::send(&responder, "world", 0)?;
        }
        served += 1;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Replies `world` (or echoes) until Ctrl-C or SIGTERM stops it cleanly: the
/// server of the book's chapter 3, "How to handle interruptions".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the REP socket to.
    #[arg(long, default_value = "tcp://*:5050")]
    bind: String,
    /// Requests to serve before exiting (0 = serve for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// Reply with the request itself, every frame of it, instead of `world`.
    #[arg(long)]
    echo: bool,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
