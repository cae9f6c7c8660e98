//! Multipart server: the REP half of the book's chapter 3, "Working with
//! multi-part messages" — `world` sent as five frames.
//!
//! - REP socket, binds `tcp://*:4040` (`--bind`); for each request (for ever, or
//!   `--count`) prints `Received: <request>`, works a second (`--delay-ms`) and
//!   replies the frames `w o r l d`, `SNDMORE` on each but the last.
//! - `--broken-last-frame`: the text's mistake, `SNDMORE` on the last one too.
//!
//! The frames of a message travel together: a receiver gets all of them or
//! none, and `SNDMORE` says "more frames of this message follow" — so with
//! `--broken-last-frame` the reply never ends, and the client receives nothing.

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

    // ANCHOR: loop
    let mut served = 0;
    while args.count == 0 || served < args.count {
        // Book errata (ch3-multipart-one-frame-request): the listing receives one frame; a
        // request of several frames would leave the rest in the socket and no reply could go.
        let request = lab::recv_message(&responder)?;
        match request.single() {
            // Book errata (ch3-multipart-one-frame-request): the listing prints "Received:
            // hello" whatever came.
            Ok(text) => println!("Received: {}", String::from_utf8_lossy(text)),
            Err(bad) => eprintln!("error: bad request {request}: {bad}"),
        }
        lab::sleep(Duration::from_millis(args.delay_ms))?;
        send_world(&responder, args.broken_last_frame)?;
        served += 1;
        // Book errata (ch3-multipart-endless-wait): the text's variant, on
        // purpose; stuck mid-reply, the server waits for Ctrl-C.
        if args.broken_last_frame {
            return wait_for_a_signal();
        }
    }
    // ANCHOR_END: loop
    Ok(())
}

// ANCHOR: reply
/// Sends `world` as five one-letter frames: `SNDMORE` on every frame but the
/// last, which ends the message (and, with `broken`, on the last one too).
fn send_world(responder: &zmq::Socket, broken: bool) -> lab::Result<()> {
    let last = WORLD_FRAMES.len() - 1;
    for (index, letter) in WORLD_FRAMES.iter().enumerate() {
        let more = index < last || broken;
        // Book errata (ch3-multipart-two-byte-frames): each frame is the one letter; the
        // listing copies two bytes, the letter and the C string's NUL.
        lab::send(responder, letter, if more { zmq::SNDMORE } else { 0 })?;
    }
    if broken {
        println!("Sent: 5 frames, the last with SNDMORE: the reply never ends");
    } else {
        println!("Sent: {}", WORLD_FRAMES.join(" "));
    }
    Ok(())
}
// ANCHOR_END: reply

/// After a reply that never ends the REP socket can neither send a new reply
/// nor receive a request (libzmq would say `EFSM`): nothing is left to do
/// but wait for SIGINT or SIGTERM.
fn wait_for_a_signal() -> lab::Result<()> {
    let mut poller = lab::Poller::new();
    loop {
        poller.poll(None)?;
    }
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
    /// Reproduce the text's mistake: send the last frame with `SNDMORE` too,
    /// so the reply never ends and the client receives nothing.
    #[arg(long)]
    broken_last_frame: bool,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
