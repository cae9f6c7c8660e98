//! Throughput test, receiving side: the Rust counterpart of libzmq's
//! `local_thr`, for measuring the book's "4.1 million messages a second"
//! (chapter 1, "Performance").
//!
//! - PULL socket, binds `<bind-to>` (e.g. `tcp://127.0.0.1:5555`) and prints
//!   `bound <endpoint>`.
//! - Receives `<message-count>` messages of `<message-size>` bytes from
//!   `remote-thr` (or the C `remote_thr`), timing from the first to the last,
//!   then prints libzmq's report: `message size: N [B]`, `message count: N`,
//!   `mean throughput: N [msg/s]`, `mean throughput: X [Mb/s]`.
//!
//! Usage: `local-thr <bind-to> <message-size> <message-count>`, the C tool's
//! arguments.

use std::process::ExitCode;

use ch1_hello::perf;
use clap::Parser;

/// Receives a stream of messages and prints how many arrived per second:
/// libzmq's `local_thr`, for the book's chapter 1, "Performance".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the PULL socket to, e.g. `tcp://127.0.0.1:5555`.
    #[arg(value_name = "BIND-TO")]
    bind_to: String,
    #[command(flatten)]
    workload: perf::Messages,
    #[command(flatten)]
    limit: lab::MessageLimit,
}

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| measure(&args))
}

fn measure(args: &Args) -> lab::Result<()> {
    let perf::Messages {
        message_size: size,
        message_count: count,
    } = args.workload;
    // ANCHOR: main
    let context = zmq::Context::new();
    // Socket to receive the stream on.
    let mut receiver = perf::listen(&context, zmq::PULL, &args.bind_to, &args.limit, size)?;
    let elapsed = perf::drain(&mut receiver, size, count)?;
    println!("{}", perf::throughput_header(size, count));
    println!("{}", perf::throughput_lines(elapsed, size, count));
    // ANCHOR_END: main
    Ok(())
}
