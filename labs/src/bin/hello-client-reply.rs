//! Lab starter `hello-client-reply` (`harness lab start hello-client-reply DIR`):
//! the book's hello world client (chapter 1, "Hello world"), ported as
//! printed — it builds, runs and gets its replies, and `harness lab check`
//! shows what it gets wrong.
//!
//! - REQ socket, connects to `tcp://localhost:4040` (`--connect`).
//! - Sends `hello`, waits for the reply, prints `Sending: hello - <n>` and
//!   `Received: <reply> - <n>`; 10 times (`--count`, 0 = for ever).
//!
//! ZeroMQ connects in the background: the client may start before the server,
//! and its first request waits in the socket's queue until the server is up.

use std::process::ExitCode;

use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| ask(&args))
}

fn ask(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    println!("Client starting...");
    // Socket to talk to the server.
    let requester = context.socket(zmq::REQ).context("cannot create socket")?;
    requester.set_linger(0).context("cannot set ZMQ_LINGER")?;
    args.limit.apply(&requester)?;
    lab::connect(&requester, &args.connect)?;

    let mut sent = 0;
    while args.count == 0 || sent < args.count {
        println!("Sending: hello - {sent}");
        lab::send(&requester, "hello", 0)?;
        let reply = lab::recv_message(&requester)?;
        match reply.single() {
            Ok(_) => println!("Received: hello - {sent}"),
            Err(bad) => eprintln!("error: bad reply {reply}: {bad}"),
        }
        sent += 1;
    }
    Ok(())
}

/// Sends `hello` and prints each reply: the hello world client of the book's
/// chapter 1, "Hello world".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the server to connect the REQ socket to.
    #[arg(long, default_value = "tcp://localhost:4040")]
    connect: String,
    /// Requests to send (0 = for ever, as the book's listing does).
    #[arg(long, default_value_t = 10)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
