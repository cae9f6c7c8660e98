//! Lab starter `worker-result-socket` (`harness lab start worker-result-socket DIR`):
//! the book's task worker (chapter 2, "The pipeline pattern"), ported as
//! printed — it builds, connects and works, and `harness lab check` shows
//! what reaches its sink.
//!
//! - PULL socket, connects to `tcp://localhost:4040` (`--ventilator`): tasks.
//! - PUSH socket, connects to `tcp://localhost:5050` (`--sink`): results.
//! - Per task: prints `<value>: <sqrt>`, works its ms, sends `<value> <sqrt>`.
//!
//! Workers are the pipeline's moving parts: they connect to both stable ends,
//! so any number of them can come and go.

use std::process::ExitCode;
use std::time::Duration;

use ch2_pubsub_pipeline::tasks::{solve, work_time, TaskResult};
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| work(&args))
}

fn work(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to receive tasks on, from the ventilator.
    let receiver = context.socket(zmq::PULL).context("cannot create socket")?;
    args.limit.apply(&receiver)?;
    lab::connect(&receiver, &args.ventilator)?;
    // Socket to send results on, to the sink.
    let sender = context.socket(zmq::PUSH).context("cannot create socket")?;
    lab::connect(&sender, &args.sink)?;
    println!("Worker starting...");
    let outcome = process_tasks(args, &receiver);
    // The last results may still be queued for a sink: closing waits until
    // they leave, or until Ctrl-C.
    lab::close_after(outcome, context, vec![receiver, sender])
}

fn process_tasks(args: &Args, receiver: &zmq::Socket) -> lab::Result<()> {
    let max_work = Duration::from_millis(args.max_work_ms);
    let mut done = 0;
    while args.count == 0 || done < args.count {
        // A task is one whole message; a multipart one is one bad task.
        let task = lab::recv_message(receiver)?;
        let solved = task.single().map_err(|bad| bad.to_string());
        let result = match solved.and_then(|text| solve(text).map_err(|why| why.to_string())) {
            Ok((value, root)) => {
                println!("{value:.1}: {root:.1}");
                lab::sleep(work_time(value, max_work))?;
                TaskResult::Done { value, root }
            }
            // Bad input from the network is reported and survived.
            Err(why) => {
                eprintln!("error: bad task {task}: {why}");
                TaskResult::Failed
            }
        };
        // The listing's `zmq_msg_send` is not checked.
        let _ = receiver.send(result.to_string().as_str(), 0);
        done += 1;
    }
    Ok(())
}

/// Computes square roots of the tasks it pulls and pushes the results to the
/// sink: the worker of the book's chapter 2, "The pipeline pattern".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the ventilator to connect the tasks' PULL socket to.
    #[arg(long, default_value = "tcp://localhost:4040")]
    ventilator: String,
    /// Endpoint of the sink to connect the results' PUSH socket to.
    #[arg(long, default_value = "tcp://localhost:5050")]
    sink: String,
    /// Tasks to do before exiting (0 = for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// The longest one task may keep the worker busy, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    max_work_ms: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
