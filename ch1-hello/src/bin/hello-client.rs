//! Hello world client: the REQ half of the book's first request-reply pair
//! (chapter 1, "Hello world").
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
    // ANCHOR: socket
    let context = zmq::Context::new();
    println!("Client starting...");
    // Socket to talk to the server.
    let requester = context.socket(zmq::REQ).context("cannot create socket")?;
    // On Ctrl-C, a request no server ever took is dropped instead of holding
    // the exit (by default the context waits for unsent messages — chapter 2).
    requester.set_linger(0).context("cannot set ZMQ_LINGER")?;
    // Book errata (ch1-client-no-size-limit): the listing takes replies of any size; ZMQ_MAXMSGSIZE
    // bounds them.
    args.limit.apply(&requester)?;
    lab::connect(&requester, &args.connect)?;
    // ANCHOR_END: socket

    // ANCHOR: loop
    let mut sent = 0;
    // Book errata (ch1-client-endless-loop): the listing loops for ever; --count bounds it (0 = for
    // ever).
    while args.count == 0 || sent < args.count {
        println!("Sending: hello - {sent}");
        lab::send(&requester, "hello", 0)?;
        // Book errata (ch1-one-frame): the listing takes one frame for a reply; here it is every
        // frame.
        let reply = lab::recv_message(&requester)?;
        match reply.single() {
            // Book errata (ch1-client-prints-hello): the listing prints "Received: hello"; the
            // reply is "world".
            Ok(text) => println!("Received: {} - {sent}", String::from_utf8_lossy(text)),
            Err(bad) => eprintln!("error: bad reply {reply}: {bad}"),
        }
        sent += 1;
    }
    // ANCHOR_END: loop
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
