//! Throughput test, sending side: libzmq's `remote_thr` in Rust, for the
//! book's "4.1 million messages a second" (chapter 1, "Performance").
//!
//! - PUSH socket, connects to `<connect-to>`, where `local-thr` times.
//! - Sends the messages (zero bytes) as fast as it can; prints nothing.
//! - Usage: `remote-thr <connect-to> <message-size> <message-count>`, as the C tool.

use std::process::ExitCode;

use ch1_hello::perf;
use clap::Parser;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| stream(&args))
}

fn stream(args: &Args) -> lab::Result<()> {
    // ANCHOR: main
    let context = zmq::Context::new();
    // Socket to stream the messages on.
    let mut sender = args.connect_to.dial(&context, zmq::PUSH)?;
    let flooded = perf::flood(&mut sender, &args.workload, perf::OnCtrlC::Stop);
    // ANCHOR_END: main
    // Up to a high-water mark of messages are still queued: closing the
    // socket and its context waits until they are sent — or until Ctrl-C,
    // should the peer be gone. After an error or Ctrl-C they are dropped.
    lab::close_after(flooded, context, vec![sender])
}

/// Streams messages to `local-thr` as fast as it can: libzmq's `remote_thr`,
/// for the book's chapter 1, "Performance".
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    connect_to: perf::ConnectTo,
    #[command(flatten)]
    workload: perf::Messages,
}
