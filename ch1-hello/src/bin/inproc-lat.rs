//! Latency between two threads of one process: libzmq's `inproc_lat` in Rust,
//! the floor under the book's "13.4 µs" (chapter 1, "Performance").
//!
//! - REQ socket binds `inproc://lat_test`; a second thread's REP socket echoes.
//! - Prints the size and count lines, then `average latency: X [us]`.
//! - Usage: `inproc-lat <message-size> <roundtrip-count>`, as the C tool.
//!
//! It is a floor because `inproc` has no network and no I/O thread in the way.

use std::process::ExitCode;

use ch1_hello::perf;
use clap::Parser;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| measure(args.workload))
}

fn measure(workload: perf::Roundtrips) -> lab::Result<()> {
    // ANCHOR: main
    // One context for both threads: an inproc endpoint lives in its context.
    let context = zmq::Context::new();
    // Socket to send the timed requests on.
    let mut requester = perf::socket(&context, zmq::REQ)?;
    lab::bind(&requester, perf::INPROC_LAT_ENDPOINT)?;
    let echo = perf::spawn_peer(&context, move |context| {
        // Socket to send every request straight back on.
        let mut responder = perf::dial(context, zmq::REP, perf::INPROC_LAT_ENDPOINT)?;
        perf::echo(&mut responder, &workload, perf::OnCtrlC::Continue)
    })?;
    println!("{}", workload.size_line());
    let timed = perf::ping(&mut requester, &workload)?;
    echo.join()?;
    println!("{}", workload.report(&timed));
    // ANCHOR_END: main
    Ok(())
}

/// Times round trips between two threads over `inproc://`: libzmq's
/// `inproc_lat`, for the book's chapter 1, "Performance".
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    workload: perf::Roundtrips,
}
