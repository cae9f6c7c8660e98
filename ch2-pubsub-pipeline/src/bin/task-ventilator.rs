//! Task ventilator: the source of the book's pipeline (chapter 2, "The pipeline
//! pattern", "The divide and conquer strategy").
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
    // ANCHOR: sockets
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
    // ANCHOR_END: sockets
    let outcome = wait_for_workers(args, watch).and_then(|()| send_tasks(args, &sender, &sink));
    // Book errata (ch2-sleep-before-close): the listing sleeps a second, hoping its tasks leave;
    // closing waits until they are delivered (ZMQ_LINGER), or drops them after Ctrl-C.
    lab::close_after(outcome, context, vec![sender, sink])
}

fn send_tasks(args: &Args, sender: &zmq::Socket, sink: &zmq::Socket) -> lab::Result<()> {
    println!("Sending tasks to workers...");
    // ANCHOR: send
    // The first message tells the sink that the batch has started.
    lab::send(sink, BATCH_START, 0)?;
    let mut rng = rand::rng();
    let mut total_ms = 0;
    for _ in 0..args.tasks {
        // Book errata (ch2-workload-range): the listing's workloads are 0..=100: 0 ms tasks, 100 ms
        // almost never.
        let workload = rng.random_range(args.min_workload_ms..=args.max_workload_ms);
        total_ms += workload;
        // Book errata (ch2-tasks-never-sent): the listing computes each workload and never sends
        // it, so no worker ever gets a task.
        lab::send(sender, workload.to_string(), 0)?;
        if args.verbose {
            println!("task {workload}");
        }
    }
    println!("Total expected cost: {total_ms} msec");
    // ANCHOR_END: send
    Ok(())
}

/// Waits for Enter (unless `--no-wait`), then for `--workers` handshakes.
fn wait_for_workers(args: &Args, watch: HandshakeWatch) -> lab::Result<()> {
    // ANCHOR: wait
    if !args.no_wait {
        println!("Press Enter when the workers are ready...");
        lab::wait_for_enter()?;
    }
    if args.workers > 0 {
        println!("Waiting for {} workers...", args.workers);
    }
    // Book errata (ch2-human-starts-batch): the listing relies on a human; --workers N waits for N
    // handshakes.
    watch.wait_for(args.workers, |connected| {
        println!("Workers connected: {connected} of {}", args.workers);
    })?;
    // ANCHOR_END: wait
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
