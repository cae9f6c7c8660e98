//! Throughput between two threads of one process: libzmq's `inproc_thr` in
//! Rust, the ceiling over the book's "4.1 million" (chapter 1, "Performance").
//!
//! - PULL socket binds `inproc://thr_test`; a second thread's PUSH socket streams.
//! - Prints the size and count lines, then the `mean throughput:` lines.
//! - Usage: `inproc-thr <message-size> <message-count>`, as the C tool.
//!
//! It is a ceiling because `inproc` has no network and no I/O thread in the way.

use std::process::ExitCode;

use ch1_hello::perf;
use clap::Parser;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| measure(args.workload))
}

fn measure(workload: perf::Messages) -> lab::Result<()> {
    // ANCHOR: main
    // One context for both threads: an inproc endpoint lives in its context.
    let context = zmq::Context::new();
    // Socket to receive the stream on.
    let mut receiver = perf::socket(&context, zmq::PULL)?;
    lab::bind(&receiver, perf::INPROC_THR_ENDPOINT)?;
    let flood = perf::spawn_peer(&context, move |context| {
        // Socket to stream the messages on.
        let mut sender = perf::dial(context, zmq::PUSH, perf::INPROC_THR_ENDPOINT)?;
        let flooded = perf::flood(&mut sender, &workload, perf::OnCtrlC::Continue);
        perf::drop_unsent_on_error(&sender, flooded)
    })?;
    println!("{}", workload.size_line());
    let timed = perf::drain(&mut receiver, &workload)?;
    flood.join()?;
    println!("{}", workload.report(&timed));
    // ANCHOR_END: main
    Ok(())
}

/// Streams messages between two threads over `inproc://` and prints how many
/// arrived per second: libzmq's `inproc_thr`, for the book's chapter 1,
/// "Performance".
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    workload: perf::Messages,
}
