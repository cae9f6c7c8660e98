//! Key-value client: asks the key-value server for a key, again and again
//! (the book's chapter 3, "zhash").
//!
//! - REQ socket, connects to `tcp://localhost:5050` (`--connect`).
//! - Sends the key `user_email` (`--key`) and prints `Received: <value>`, once a
//!   second (`--interval-ms`), for ever or `--count` times.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lab::discard_pending_if_interrupted;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| ask(&args))
}

fn ask(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to send the keys on.
    let requester = context.socket(zmq::REQ).context("cannot create socket")?;
    args.limit.apply(&requester)?;
    lab::connect(&requester, &args.connect)?;
    println!("Starting client...");
    let outcome = requests(args, &requester);
    discard_pending_if_interrupted(outcome, &[&requester])
}

fn requests(args: &Args, requester: &zmq::Socket) -> lab::Result<()> {
    // ANCHOR: loop
    let mut asked = 0;
    while args.count == 0 || asked < args.count {
        // The key is `user_email` (the extracted listing shows a space, an
        // extraction artifact: see the chapter's errata).
        lab::send(requester, &args.key, 0)?;
        let reply = lab::recv_message(requester)?;
        match reply.single() {
            Ok(value) => println!("Received: {}", String::from_utf8_lossy(value)),
            Err(bad) => eprintln!("error: bad reply {reply}: {bad}"),
        }
        asked += 1;
        // Book errata (ch3-zhash-client-endless): the listing's `for (;;)` and `sleep(1)` never
        // end; here `--count` ends the loop and a signal ends the sleep.
        if args.count == 0 || asked < args.count {
            lab::sleep(Duration::from_millis(args.interval_ms))?;
        }
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Asks the key-value server for a key once a second: the client of the
/// book's chapter 3, "zhash".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to connect the REQ socket to.
    #[arg(long, default_value = "tcp://localhost:5050")]
    connect: String,
    /// The key to ask for.
    #[arg(long, default_value = "user_email")]
    key: String,
    /// Requests to send (0 = for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// Pause after each reply, in milliseconds (the book's `sleep(1)`).
    #[arg(long, default_value_t = 1000)]
    interval_ms: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
