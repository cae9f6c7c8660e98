//! Lazy pirate server (chapter 4, "Reliability").
//!
//! - REP socket, binds `tcp://*:4040` (`--bind`); echoes each request after
//!   `--delay-ms`, printing `Received: <request>`.
//! - `--fail-after N`: exits unanswered after N replies (`simulating a crash`);
//!   `--slow-every N`: answers every Nth after `--slow-ms` (5000).
//!
//! It crashes or stalls on purpose, so the lazy pirate client has something to
//! recover from: a crash as the client sees it, or an overloaded server.
//!
//! Book errata (ch4-pirate-not-shown): no code in the book; written from its prose.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| serve(&args))
}

fn serve(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to answer clients on.
    let responder = context.socket(zmq::REP).context("cannot create socket")?;
    args.limit.apply(&responder)?;
    lab::bind(&responder, &args.bind)?;

    // ANCHOR: loop
    let mut served = 0;
    while args.count == 0 || served < args.count {
        let request = lab::recv_message(&responder)?;
        if args.fail_after > 0 && served == args.fail_after {
            println!("simulating a crash");
            return Ok(());
        }
        match request.single() {
            Ok(text) => println!("Received: {}", String::from_utf8_lossy(text)),
            // Still one request, echoed whole: a REP must answer to go on.
            Err(bad) => eprintln!("error: bad request {request}: {bad}"),
        }
        if args.slow_every > 0 && (served + 1) % args.slow_every == 0 {
            println!("simulating overload: answering in {} ms", args.slow_ms);
            lab::sleep(Duration::from_millis(args.slow_ms))?;
        }
        lab::sleep(Duration::from_millis(args.delay_ms))?;
        // The echo: every frame of the request, so the client can check it.
        lab::send_message(&responder, &request)?;
        served += 1;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Echoes requests, and crashes or stalls on demand: the server for the lazy
/// pirate client of the book's chapter 4, "Reliability".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the REP socket to.
    #[arg(long, default_value = "tcp://*:4040")]
    bind: String,
    /// Requests to answer before exiting (0 = serve for ever).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// Work per request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
    /// Crash (exit without replying) at the request after this many replies
    /// (0 = never).
    #[arg(long, default_value_t = 0)]
    fail_after: u64,
    /// Answer every Nth request late, after `--slow-ms` (0 = never).
    #[arg(long, default_value_t = 0)]
    slow_every: u64,
    /// How late an overloaded reply is, in milliseconds: longer than the
    /// client's 2500 ms timeout.
    #[arg(long, default_value_t = 5000)]
    slow_ms: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
