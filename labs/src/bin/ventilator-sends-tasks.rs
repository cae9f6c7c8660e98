//! Lab starter `ventilator-sends-tasks` (`harness lab start ventilator-sends-tasks DIR`):
//! the book's task ventilator (chapter 2, "The pipeline pattern"), ported
//! as printed — it builds, binds and runs, and `harness lab check` shows
//! what its workers and sink make of it.
//!
//! - PUSH socket, binds `tcp://*:4040` (`--bind`): tasks, to the workers.
//! - PUSH socket, connects to `tcp://localhost:5050` (`--sink`): the batch start.
//! - Waits for Enter (or `--workers N`), sends `-1` to the sink, then 100 tasks.
//!
//! PUSH hands each task to the next connected worker in turn (round-robin), so
//! the batch must not start before every worker is connected.

use std::process::ExitCode;

use ch2_pubsub_pipeline::handshakes::HandshakeWatch;
use ch2_pubsub_pipeline::tasks::BATCH_START;
use clap::{CommandFactory, Parser};
use lab::Context;
use rand::Rng;

fn main() -> ExitCode {
    let args = Args::parse();
    refuse_empty_workload_range(&args);
    lab::run(|| ventilate(&args))
}

fn ventilate(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to send the tasks on, to whichever worker is next.
    let sender = context.socket(zmq::PUSH).context("cannot create socket")?;
    // Counts the workers as they connect (started before the bind: none missed).
    let watch = HandshakeWatch::start(&context, &sender)?;
    lab::bind(&sender, &args.bind)?;
    // Socket to send the batch start on, to the sink.
    let sink = context.socket(zmq::PUSH).context("cannot create socket")?;
    lab::connect(&sink, &args.sink)?;
    for socket in [&sender, &sink] {
        socket
            .set_linger(args.linger_ms)
            .context("cannot set ZMQ_LINGER")?;
    }
    let outcome = wait_for_workers(args, watch).and_then(|()| send_tasks(args, &sink));
    // Closing waits until the tasks are delivered (ZMQ_LINGER), or drops them
    // after Ctrl-C.
    lab::close_after(outcome, context, vec![sender, sink])
}

fn send_tasks(args: &Args, sink: &zmq::Socket) -> lab::Result<()> {
    println!("Sending tasks to workers...");
    // The first message tells the sink that the batch has started.
    lab::send(sink, BATCH_START, 0)?;
    let mut rng = rand::rng();
    let mut total_ms = 0;
    for _ in 0..args.tasks {
        let workload = rng.random_range(args.min_workload_ms..=args.max_workload_ms);
        total_ms += workload;
        if args.verbose {
            println!("task {workload}");
        }
    }
    println!("Total expected cost: {total_ms} msec");
    Ok(())
}

/// Waits for Enter (unless `--no-wait`), then for `--workers` handshakes.
fn wait_for_workers(args: &Args, watch: HandshakeWatch) -> lab::Result<()> {
    if !args.no_wait {
        println!("Press Enter when the workers are ready...");
        lab::wait_for_enter()?;
    }
    if args.workers > 0 {
        println!("Waiting for {} workers...", args.workers);
    }
    watch.wait_for(args.workers, |connected| {
        println!("Workers connected: {connected} of {}", args.workers);
    })?;
    Ok(())
}

/// Ends the program with clap's usage error (exit 2) when no workload fits
/// between `--min-workload-ms` and `--max-workload-ms`.
fn refuse_empty_workload_range(args: &Args) {
    if args.min_workload_ms > args.max_workload_ms {
        Args::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--min-workload-ms must not exceed --max-workload-ms",
            )
            .exit();
    }
}

/// Sends a batch of tasks to the workers and the batch start to the sink: the
/// task ventilator of the book's chapter 2, "The pipeline pattern".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the tasks' PUSH socket to (workers connect here).
    #[arg(long, default_value = "tcp://*:4040")]
    bind: String,
    /// Endpoint of the sink to connect the batch-start PUSH socket to.
    #[arg(long, default_value = "tcp://localhost:5050")]
    sink: String,
    /// Start at once instead of waiting for Enter (for scripts).
    #[arg(long)]
    no_wait: bool,
    /// Before starting, wait until this many workers are connected (0 = do
    /// not count them).
    #[arg(long, default_value_t = 0)]
    workers: usize,
    /// Tasks in the batch.
    #[arg(long, default_value_t = 100)]
    tasks: u64,
    /// Smallest workload, in milliseconds.
    #[arg(long, default_value_t = 1)]
    min_workload_ms: u64,
    /// Largest workload, in milliseconds.
    #[arg(long, default_value_t = 100)]
    max_workload_ms: u64,
    /// How long, in milliseconds, the end of the program may wait for unsent
    /// messages to leave (-1 = for ever, libzmq's default; 0 = drop them).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    linger_ms: i32,
    /// Print `task <workload>` for every task sent.
    #[arg(long)]
    verbose: bool,
}
