//! Lab starter `hello-server-received` (`harness lab start hello-server-received DIR`):
//! the book's hello world server (chapter 1, "Hello world"), ported as
//! printed — it builds, runs and answers, and `harness lab check` shows what
//! it gets wrong.
//!
//! - REP socket, binds `tcp://*:4040` (`--bind`).
//! - For each request: prints `Received: <request>`, works a second
//!   (`--delay-ms`), replies `world`; for ever, or `--count` requests.
//!
//! A REP socket is strict: receive a request, send one reply, repeat. It takes
//! requests fairly from every connected client, and each reply goes back to the
//! client that asked.

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
    println!("Starting...");

    let mut served = 0;
    while args.count == 0 || served < args.count {
        // Wait for the next request from a client.
        let request = lab::recv_message(&responder)?;
        match request.single() {
            Ok(_) => {
                println!("Received: hello");
                lab::sleep(Duration::from_millis(args.delay_ms))?;
            }
            Err(bad) => eprintln!("error: bad request {request}: {bad}"),
        }
        // Send the reply back to the client.
        lab::send(&responder, "world", 0)?;
        served += 1;
    }
    Ok(())
}

/// Replies `world` to every request: the hello world server of the book's
/// chapter 1, "Hello world".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the REP socket to.
    #[arg(long, default_value = "tcp://*:4040")]
    bind: String,
    /// Requests to serve before exiting (0 = serve for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// Pretend work per request, in milliseconds (the book's `sleep(1)`).
    #[arg(long, default_value_t = 1000)]
    delay_ms: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
