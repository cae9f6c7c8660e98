//! Lab starter `sink-progress-marks` (`harness lab start sink-progress-marks DIR`):
//! the book's task sink (chapter 2, "The pipeline pattern"), ported as
//! printed — it builds, binds and collects, and `harness lab check` shows
//! what its progress line says.
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

use ch2_pubsub_pipeline::tasks::{parse_sink_message, SinkMessage, TaskResult};
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| collect(&args))
}

fn collect(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to receive the batch start and the results on.
    let receiver = context.socket(zmq::PULL).context("cannot create socket")?;
    args.limit.apply(&receiver)?;
    lab::bind(&receiver, &args.bind)?;

    let mut tally = Tally::default();
    // Results and the batch start come over different connections: a quick
    // worker's first result may overtake the batch start. Count it anyway.
    while !receive(args, &receiver, &mut tally)? {}
    let started = Instant::now();
    while tally.received < args.tasks {
        receive(args, &receiver, &mut tally)?;
    }
    if !args.verbose {
        println!();
    }
    println!("Total elapsed time: {} msec", started.elapsed().as_millis());
    println!("Failed tasks: {}", tally.failed);
    Ok(())
}

/// Receives one message and counts it; true if it was the batch start.
fn receive(args: &Args, receiver: &zmq::Socket, tally: &mut Tally) -> lab::Result<bool> {
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
        if tally.received / 10 == 0 {
            print!("10 Tasks have been processed");
        }
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
