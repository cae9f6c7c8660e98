//! Lab starter `multipart-send-first` (`harness lab start multipart-send-first DIR`):
//! the multipart client of the book's chapter 3 ("Working with multi-part
//! messages"), ported as printed — it builds, connects and runs, and
//! `harness lab check` shows what it receives.
//!
//! - REQ socket, connects to `tcp://localhost:4040` (`--connect`); sends `hello`,
//!   prints `Received: <frame>` for each frame, then `Joined: world`.
//! - A reply not `w o r l d`, or none within `--timeout-ms` (if given): exit 1.
//!
//! A multipart message arrives whole: once its first frame is there, so are
//! the others, and `ZMQ_RCVMORE` says whether another frame follows.

use std::process::ExitCode;
use std::time::Duration;

use ch3_poll_multipart_czmq::multipart::joined_world;
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
    // An unanswered request is not worth waiting for at exit.
    requester.set_linger(0).context("cannot set ZMQ_LINGER")?;
    args.limit.apply(&requester)?;
    lab::connect(&requester, &args.connect)?;

    let timeout = Duration::from_millis(args.timeout_ms);
    if args.timeout_ms > 0 && !lab::wait_readable(&requester, Some(timeout))? {
        return Err(lab::Error::failed(format!(
            "no reply within {} ms",
            args.timeout_ms
        )));
    }
    // Every frame of the reply, the RCVMORE loop done by recv_message.
    let reply = lab::recv_message(&requester)?;
    for frame in reply.iter() {
        println!("Received: {}", String::from_utf8_lossy(frame));
    }
    let word = joined_world(&reply).map_err(|bad| lab::Error::failed(format!("{bad}: {reply}")))?;
    println!("Joined: {word}");
    Ok(())
}

/// Sends `hello` and prints the five frames of the reply: the multipart
/// client of the book's chapter 3, "Working with multi-part messages".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the server to connect the REQ socket to.
    #[arg(long, default_value = "tcp://localhost:4040")]
    connect: String,
    /// Give up when no reply came within this many milliseconds (0 = wait
    /// for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    timeout_ms: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
