//! Latency test, timing side: the Rust counterpart of libzmq's `remote_lat`,
//! for measuring the book's "13.4 µs end-to-end latency" (chapter 1,
//! "Performance").
//!
//! - REQ socket, connects to `<connect-to>`, where `local-lat` (or the C
//!   `local_lat`) echoes.
//! - Sends a `<message-size>`-byte message and waits for it to come back,
//!   `<roundtrip-count>` times, then prints libzmq's report:
//!   `message size: N [B]`, `roundtrip count: N`, `average latency: X [us]` —
//!   half the mean round trip: the one-way latency.
//!
//! Usage: `remote-lat <connect-to> <message-size> <roundtrip-count>`, the C
//! tool's arguments.

use std::process::ExitCode;

use ch1_hello::perf;
use clap::Parser;

/// Times round trips to `local-lat` and prints the one-way latency: libzmq's
/// `remote_lat`, for the book's chapter 1, "Performance".
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    connect_to: perf::ConnectTo,
    #[command(flatten)]
    workload: perf::Roundtrips,
}

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| measure(&args))
}

fn measure(args: &Args) -> lab::Result<()> {
    // ANCHOR: main
    let context = zmq::Context::new();
    // Socket to send the timed requests on.
    let mut requester = args.connect_to.dial(&context, zmq::REQ)?;
    let timed = perf::ping(&mut requester, &args.workload);
    let timed = perf::drop_unsent_on_error(&requester, timed)?;
    println!("{}", args.workload.size_line());
    println!("{}", args.workload.report(&timed));
    // ANCHOR_END: main
    Ok(())
}
