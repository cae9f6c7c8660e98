//! Lab starter `interrupt-client-sleep` (`harness lab start interrupt-client-sleep DIR`):
//! the interrupt client of the book's chapter 3 ("How to handle
//! interruptions"), ported as printed — it builds, connects and asks, and
//! `harness lab check` shows how it takes a Ctrl-C.
//!
//! - REQ socket, connects to `tcp://localhost:5050` (`--connect`); sends `hello`,
//!   prints `Received: <reply>`, pauses a second; for ever or `--count` times.
//! - SIGINT or SIGTERM in any state (even the pause): `interrupted`, exit 0.
//!
//! Most of its life the client sleeps; a Ctrl-C then must end the sleep at
//! once, not be noticed after the next request.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| ask(&args))
}

fn ask(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to talk to the server.
    let requester = context.socket(zmq::REQ).context("cannot create socket")?;
    // On Ctrl-C a request no server took is dropped, not waited for.
    requester.set_linger(0).context("cannot set ZMQ_LINGER")?;
    args.limit.apply(&requester)?;
    println!("Starting client...");
    lab::connect(&requester, &args.connect)?;

    let mut sent = 0;
    while args.count == 0 || sent < args.count {
        lab::send(&requester, "hello", 0)?;
        let reply = lab::recv_message(&requester)?;
        match reply.single() {
            Ok(text) => println!("Received: {}", String::from_utf8_lossy(text)),
            Err(bad) => eprintln!("error: bad reply {reply}: {bad}"),
        }
        sent += 1;
        if args.count == 0 || sent < args.count {
            // The listing's `sleep(1)`.
            std::thread::sleep(Duration::from_millis(args.interval_ms));
        }
    }
    Ok(())
}

/// Sends `hello` once a second until Ctrl-C or SIGTERM stops it cleanly: the
/// client of the book's chapter 3, "How to handle interruptions".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the server to connect the REQ socket to.
    #[arg(long, default_value = "tcp://localhost:5050")]
    connect: String,
    /// Requests to send (0 = for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// Pause after each reply, in milliseconds (the book's `sleep(1)`).
    #[arg(long, default_value_t = 1000)]
    interval_ms: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
