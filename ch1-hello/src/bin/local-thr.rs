//! Throughput test, receiving side: libzmq's `local_thr` in Rust, for the
//! book's "4.1 million messages a second" (chapter 1, "Performance").
//!
//! - PULL socket, binds `<bind-to>` (e.g. `tcp://127.0.0.1:5555`).
//! - Times the messages from `remote-thr`, then prints libzmq's report.
//! - Usage: `local-thr <bind-to> <message-size> <message-count>`, as the C tool.

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
    // Socket to receive the stream on.
    let mut receiver = args
        .bind_to
        .listen(&context, zmq::PULL, args.workload.size)?;
    let timed = perf::drain(&mut receiver, &args.workload)?;
    println!("{}", args.workload.size_line());
    println!("{}", args.workload.report(&timed));
    // ANCHOR_END: main
    Ok(())
}

/// Receives a stream of messages and prints how many arrived per second:
/// libzmq's `local_thr`, for the book's chapter 1, "Performance".
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    bind_to: perf::BindTo,
    #[command(flatten)]
    workload: perf::Messages,
}
