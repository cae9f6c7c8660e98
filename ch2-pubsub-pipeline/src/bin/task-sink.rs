//! Task sink: the end of the book's pipeline (chapter 2, "The pipeline
//! pattern", "The divide and conquer strategy").
//!
//! - PULL socket, binds `tcp://*:5050` (`--bind`): batch start and results.
//! - Waits for the batch start, collects 100 results (`--tasks`) with a mark
//!   each, then prints `Total elapsed time: <ms> msec` and `Failed tasks: <n>`.
//!
//! PULL takes messages from all its connected peers fairly (fair queueing), so
//! no worker can crowd out the others' results.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use ch2_pubsub_pipeline::tasks::{parse_sink_message, progress_mark, SinkMessage, TaskResult};
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| collect(&args))
}

fn collect(args: &Args) -> lab::Result<()> {
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to receive the batch start and the results on.
    let receiver = context.socket(zmq::PULL).context("cannot create socket")?;
    // Book errata (ch2-no-size-limit): no listing limits what it receives; ZMQ_MAXMSGSIZE bounds
    // results.
    args.limit.apply(&receiver)?;
    lab::bind(&receiver, &args.bind)?;
    // ANCHOR_END: socket

    // ANCHOR: loop
    let mut tally = Tally::default();
    // Results and the batch start come over different connections: a quick
    // worker's first result may overtake the batch start. Count it anyway.
    // Book errata (ch2-first-message-start): the listing takes the first message for the batch
    // start, whatever it is.
    while !receive(args, &receiver, &mut tally)? {}
    // Book errata (ch2-no-timing): the listing times nothing, though the speed-up is the point.
    let started = Instant::now();
    while tally.received < args.tasks {
        receive(args, &receiver, &mut tally)?;
    }
    if !args.verbose {
        println!();
    }
    println!("Total elapsed time: {} msec", started.elapsed().as_millis());
    println!("Failed tasks: {}", tally.failed);
    // ANCHOR_END: loop
    Ok(())
}

/// Receives one message and counts it; true if it was the batch start.
fn receive(args: &Args, receiver: &zmq::Socket, tally: &mut Tally) -> lab::Result<bool> {
    // Book errata (ch2-one-frame): the listing takes one frame for a message; here it is every
    // frame.
    let message = lab::recv_message(receiver)?;
    let result = match message.single().map(parse_sink_message) {
        Ok(Some(SinkMessage::BatchStart)) => return Ok(true),
        Ok(Some(SinkMessage::Result(result))) => result,
        // Bad input from the network is reported, not counted, survived.
        Ok(None) => {
            eprintln!("error: not a result: {message}");
            return Ok(false);
        }
        Err(bad) => {
            eprintln!("error: not a result {message}: {bad}");
            return Ok(false);
        }
    };
    tally.received += 1;
    if result == TaskResult::Failed {
        tally.failed += 1;
    }
    if args.verbose {
        println!("result {result}");
    } else {
        print!("{}", progress_mark(tally.received));
        std::io::stdout()
            .flush()
            .context("cannot write to stdout")?;
    }
    Ok(false)
}

/// Collects the workers' results and times the batch: the sink of the book's
/// chapter 2, "The pipeline pattern".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the PULL socket to (ventilator and workers connect here).
    #[arg(long, default_value = "tcp://*:5050")]
    bind: String,
    /// Results to collect: the ventilator's `--tasks`.
    #[arg(long, default_value_t = 100)]
    tasks: u64,
    /// Print each result (`result <value> <sqrt>` or `result failed`) instead
    /// of a progress mark.
    #[arg(long)]
    verbose: bool,
    #[command(flatten)]
    limit: lab::MessageLimit,
}

/// Results so far.
#[derive(Default)]
struct Tally {
    received: u64,
    failed: u64,
}
