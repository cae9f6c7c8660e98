//! Latency test, timing side: libzmq's `remote_lat` in Rust, for the book's
//! "13.4 µs end-to-end latency" (chapter 1, "Performance").
//!
//! - REQ socket, connects to `<connect-to>`, where `local-lat` echoes.
//! - Times the round trips, then prints libzmq's report (half the mean trip).
//! - Usage: `remote-lat <connect-to> <message-size> <roundtrip-count>`, as the C tool.

use std::process::ExitCode;

use ch1_hello::perf;
use clap::Parser;

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
