//! Lab starter `multipart-last-frame` (`harness lab start multipart-last-frame DIR`):
//! the multipart server of the book's chapter 3 ("Working with multi-part
//! messages"), as the text's variant writes its reply — it builds, binds and
//! replies, and `harness lab check` shows what its clients get.
//!
//! - REP socket, binds `tcp://*:4040` (`--bind`); for each request (for ever, or
//!   `--count`) prints `Received: <request>`, works a second (`--delay-ms`) and
//!   replies the frames `w o r l d`, `SNDMORE` on each but the last.
//!
//! The frames of a message travel together: a receiver gets all of them or
//! none, and `SNDMORE` is what says "more frames of this message follow".

use std::process::ExitCode;
use std::time::Duration;

use ch3_poll_multipart_czmq::multipart::WORLD_FRAMES;
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
        let request = lab::recv_message(&responder)?;
        match request.single() {
            Ok(text) => println!("Received: {}", String::from_utf8_lossy(text)),
            Err(bad) => eprintln!("error: bad request {request}: {bad}"),
        }
        lab::sleep(Duration::from_millis(args.delay_ms))?;
        send_world(&responder)?;
        served += 1;
    }
    Ok(())
}

/// Sends `world` as five one-letter frames, `SNDMORE` on each.
fn send_world(responder: &zmq::Socket) -> lab::Result<()> {
    for letter in WORLD_FRAMES {
        lab::send(responder, letter, zmq::SNDMORE)?;
    }
    println!("Sent: {}", WORLD_FRAMES.join(" "));
    Ok(())
}

/// Replies `world` in five frames, one letter each: the multipart server of
/// the book's chapter 3, "Working with multi-part messages".
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
