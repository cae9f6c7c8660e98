//! Request-reply worker behind a broker (chapter 4, "Extending the request-reply
//! pattern").
//!
//! - REP socket, connects to `tcp://localhost:5560` (`--connect`), the broker's
//!   backend; prints `Worker <id> ready`.
//! - Per request prints `Received: <request>`, works `--delay-ms` (0), replies
//!   `world <client> <n> (<id>)` to `hello <client> <n>`.
//!
//! The worker is the chapter 1 server but for one word: it *connects*. The
//! broker is the stable point; workers come and go.

use std::process::ExitCode;
use std::time::Duration;

use ch4_advanced::broker::texts;
use clap::Parser;
use lab::{discard_pending_if_interrupted, Context};

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| serve(&args))
}

fn serve(args: &Args) -> lab::Result<()> {
    let id = args
        .id
        .clone()
        .unwrap_or_else(|| format!("worker-{}", std::process::id()));
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to get requests on: a REP that connects, to the broker.
    let responder = context.socket(zmq::REP).context("cannot create socket")?;
    args.limit.apply(&responder)?;
    lab::connect(&responder, &args.connect)?;
    // ANCHOR_END: socket
    println!("Worker {id} ready");
    let outcome = answer(args, &id, &responder);
    // After Ctrl-C, a reply the broker never took is dropped; after the last
    // of `--count` requests, the reply still leaves before the exit.
    discard_pending_if_interrupted(outcome, &[&responder])
}

fn answer(args: &Args, id: &str, responder: &zmq::Socket) -> lab::Result<()> {
    // ANCHOR: loop
    let mut served = 0;
    while args.count == 0 || served < args.count {
        // The REP socket keeps the envelope; the body is what the client sent.
        let request = lab::recv_message(responder)?;
        let reply = match request.single() {
            Ok(text) => {
                println!("Received: {}", String::from_utf8_lossy(text));
                lab::sleep(Duration::from_millis(args.delay_ms))?;
                texts::reply(text, id)
            }
            // One bad request still gets one reply: a REP must answer to go on.
            Err(bad) => {
                eprintln!("error: bad request {request}: {bad}");
                texts::reply(b"", id)
            }
        };
        lab::send(responder, reply, 0)?;
        served += 1;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Answers the requests the broker passes it: the worker of the book's
/// chapter 4, "Extending the request-reply pattern".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the broker's backend to connect the REP socket to.
    #[arg(long, default_value = "tcp://localhost:5560")]
    connect: String,
    /// Requests to serve before exiting (0 = for ever).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// Pretend work per request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
    /// This worker's name in its replies (default: `worker-<process id>`).
    #[arg(long)]
    id: Option<String>,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
