//! Hello world server: the REP half of the book's first request-reply pair
//! (chapter 1, "Hello world").
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
    // Book errata (ch1-server-endless-loop): the listing loops for ever and dies on Ctrl-C;
    // lab::run stops it cleanly.
    lab::run(|| serve(&args))
}

fn serve(args: &Args) -> lab::Result<()> {
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to answer clients on.
    let responder = context.socket(zmq::REP).context("cannot create socket")?;
    // Book errata (ch1-server-no-size-limit): the listing takes requests of any size;
    // ZMQ_MAXMSGSIZE bounds them.
    args.limit.apply(&responder)?;
    // Book errata (ch1-server-unchecked-calls): the listing ignores what zmq_bind returns; here a
    // failure ends it, exit 1.
    // lab::bind = responder.bind(endpoint), then print "bound <the endpoint the OS gave>".
    lab::bind(&responder, &args.bind)?;
    // ANCHOR_END: socket
    println!("Starting...");

    // ANCHOR: loop
    let mut served = 0;
    while args.count == 0 || served < args.count {
        // A message is all of its frames: a peer decides how many it sends.
        // Book errata (ch1-one-frame): the listing takes one frame for a request; here it is every
        // frame.
        let request = lab::recv_message(&responder)?;
        match request.single() {
            Ok(text) => {
                // Book errata (ch1-server-prints-hello): the listing prints "Received: hello"
                // whatever arrived.
                println!("Received: {}", String::from_utf8_lossy(text));
                lab::sleep(Duration::from_millis(args.delay_ms))?;
            }
            // One bad request still gets one reply: a REP must answer to go on.
            Err(bad) => eprintln!("error: bad request {request}: {bad}"),
        }
        lab::send(&responder, "world", 0)?;
        served += 1;
    }
    // ANCHOR_END: loop
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
