//! Latency test, echo side: libzmq's `local_lat` in Rust, for the book's
//! "13.4 µs end-to-end latency" (chapter 1, "Performance").
//!
//! - REP socket, binds `<bind-to>` (e.g. `tcp://127.0.0.1:5555`).
//! - Sends every request straight back; `remote-lat` times and reports.
//! - Usage: `local-lat <bind-to> <message-size> <roundtrip-count>`, as the C tool.

use std::process::ExitCode;

use ch1_hello::perf;
use clap::Parser;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| answer(&args))
}

fn answer(args: &Args) -> lab::Result<()> {
    // ANCHOR: main
    let context = zmq::Context::new();
    // Socket to send every request straight back on.
    let mut responder = args
        .bind_to
        .listen(&context, zmq::REP, args.workload.size)?;
    let echoed = perf::echo(&mut responder, &args.workload, perf::OnCtrlC::Stop);
    // ANCHOR_END: main
    // The last reply may still be queued: closing the socket waits until it
    // is sent (the C tool sleeps a second instead).
    perf::drop_unsent_on_error(&responder, echoed)
}

/// Echoes every request back, for `remote-lat` to time: libzmq's `local_lat`,
/// for the book's chapter 1, "Performance".
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    bind_to: perf::BindTo,
    #[command(flatten)]
    workload: perf::Roundtrips,
}
