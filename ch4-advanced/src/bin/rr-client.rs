//! Request-reply client behind a broker (chapter 4, "Extending the request-reply
//! pattern").
//!
//! - REQ socket, connects to `tcp://localhost:5559` (`--connect`), the broker's
//!   frontend.
//! - Sends `hello <id> <n>` 10 times (`--count`); prints each reply, `Received:
//!   world <id> <n> (<worker>)`, or `error: …` if it answers another request.
//!
//! The client is the chapter 1 client unchanged but for its address: a REQ
//! socket cannot tell a broker from a server.

use std::process::ExitCode;

use ch4_advanced::broker::texts;
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| ask(&args))
}

fn ask(args: &Args) -> lab::Result<()> {
    let id = args
        .id
        .clone()
        .unwrap_or_else(|| format!("client-{}", std::process::id()));
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to talk to the broker: to a REQ it is just a server.
    let requester = context.socket(zmq::REQ).context("cannot create socket")?;
    // On Ctrl-C, a request nobody took is dropped instead of holding the exit.
    requester.set_linger(0).context("cannot set ZMQ_LINGER")?;
    args.limit.apply(&requester)?;
    lab::connect(&requester, &args.connect)?;
    // ANCHOR_END: socket

    // ANCHOR: loop
    let mut sent = 0;
    while args.count == 0 || sent < args.count {
        let request = texts::request(&id, sent);
        println!("Sending: {request}");
        lab::send(&requester, &request, 0)?;
        let reply = lab::recv_message(&requester)?;
        match reply.single() {
            Ok(text) if texts::answers(text, &request) => {
                println!("Received: {}", String::from_utf8_lossy(text));
            }
            Ok(_) => eprintln!("error: reply {reply} does not answer {request:?}"),
            Err(bad) => eprintln!("error: bad reply {reply}: {bad}"),
        }
        sent += 1;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Sends numbered `hello` requests through the broker and prints the replies:
/// the client of the book's chapter 4, "Extending the request-reply pattern".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the broker's frontend to connect the REQ socket to.
    #[arg(long, default_value = "tcp://localhost:5559")]
    connect: String,
    /// Requests to send (0 = for ever).
    #[arg(long, default_value_t = 10)]
    count: u64,
    /// This client's name in its requests (default: `client-<process id>`).
    #[arg(long)]
    id: Option<String>,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
