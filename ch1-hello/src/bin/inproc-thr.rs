//! Throughput test between two threads of one process: the Rust counterpart
//! of libzmq's `inproc_thr` — the ceiling over the book's "4.1 million messages
//! a second" (chapter 1, "Performance"), with no network and no I/O thread.
//!
//! - PULL socket in the main thread, binds `inproc://thr_test` and prints
//!   `bound inproc://thr_test`; a second thread connects a PUSH socket to it and
//!   streams the messages.
//! - Prints `message size: N [B]` and `message count: N`, receives
//!   `<message-count>` messages of `<message-size>` bytes, then prints
//!   `mean throughput: N [msg/s]` and `mean throughput: X [Mb/s]`.
//!
//! Usage: `inproc-thr <message-size> <message-count>`, the C tool's arguments.

use std::process::ExitCode;

use ch1_hello::perf;
use clap::Parser;

/// Streams messages between two threads over `inproc://` and prints how many
/// arrived per second: libzmq's `inproc_thr`, for the book's chapter 1,
/// "Performance".
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    workload: perf::Messages,
}

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
