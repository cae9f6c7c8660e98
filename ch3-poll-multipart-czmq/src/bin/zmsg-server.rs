//! zmsg server: replies a message built frame by frame with `Frames`, CZMQ's
//! `zmsg` (the book's chapter 3, "zmsg").
//!
//! - REP socket, binds `tcp://*:5050` (`--bind`); for each request prints
//!   `Received: <request>` and replies the five frames `h`, `e`, `l`, `l`, `o`.
//! - Serves for ever, or `--count` requests.
//!
//! A multipart message travels as one: the client gets all five frames or
//! none, never a part.

use std::process::ExitCode;

use ch3_poll_multipart_czmq::zmsg::hello_frames;
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
    println!("Starting server...");

    // ANCHOR: loop
    let mut served = 0;
    while args.count == 0 || served < args.count {
        // Book errata (ch3-zmsg-rep-sends-first): the listing's REP sends first; a REP must
        // receive a request before it may reply (libzmq refuses with EFSM).
        let request = lab::recv_message(&responder)?;
        match request.single() {
            Ok(text) => println!("Received: {}", String::from_utf8_lossy(text)),
            // Still one reply: a REP must answer to take the next request.
            Err(bad) => eprintln!("error: bad request {request}: {bad}"),
        }
        lab::send_message(&responder, &hello_frames())?;
        served += 1;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Replies `hello` as five one-letter frames: the zmsg server of the book's
/// chapter 3, "zmsg".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the REP socket to.
    #[arg(long, default_value = "tcp://*:5050")]
    bind: String,
    /// Requests to serve before exiting (0 = serve for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
