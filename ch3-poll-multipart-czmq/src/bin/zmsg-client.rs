//! zmsg client: asks the zmsg server and receives its reply as one `Frames`
//! (the book's chapter 3, "zmsg"; the book prints only the server).
//!
//! - REQ socket, connects to `tcp://localhost:5050` (`--connect`); sends `hello`
//!   and prints every frame of the reply: `Received: 5 frames: "h" "e" "l" "l" "o"`;
//!   `--count` times (default 1).

use std::process::ExitCode;

use clap::Parser;
use lab::discard_pending_if_interrupted;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| ask(&args))
}

fn ask(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to send requests on.
    let requester = context.socket(zmq::REQ).context("cannot create socket")?;
    args.limit.apply(&requester)?;
    lab::connect(&requester, &args.connect)?;
    println!("Starting client...");
    let outcome = requests(args, &requester);
    discard_pending_if_interrupted(outcome, &[&requester])
}

fn requests(args: &Args, requester: &zmq::Socket) -> lab::Result<()> {
    // ANCHOR: request
    let mut asked = 0;
    while args.count == 0 || asked < args.count {
        lab::send(requester, "hello", 0)?;
        // The whole reply, all of its frames, as one value.
        let reply = lab::recv_message(requester)?;
        match reply.whole() {
            Ok(_) => println!("Received: {reply}"),
            Err(bad) => eprintln!("error: bad reply {reply}: {bad}"),
        }
        asked += 1;
    }
    // ANCHOR_END: request
    Ok(())
}

/// Asks the zmsg server and prints every frame of its reply: the client of the
/// book's chapter 3, "zmsg".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to connect the REQ socket to.
    #[arg(long, default_value = "tcp://localhost:5050")]
    connect: String,
    /// Requests to send (0 = for ever).
    #[arg(long, default_value_t = 1)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
