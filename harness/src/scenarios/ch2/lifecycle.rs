//! Chapter 2, the context's lifecycle: queued messages keep a process alive
//! until delivered (unless `ZMQ_LINGER` is 0), every program stops on SIGINT
//! and SIGTERM while it blocks, and a port in use is reported.

use crate::scenarios::ch1::expect_interrupted;
use crate::scenarios::ch2::expect_line;
use crate::scenarios::ch2::ticker::COLLECTING;
use crate::scenarios::{serve, unique_ipc_endpoint, ANY_PORT, STOP_WITHIN};
use crate::{ensure, Bins, Result, Running, PATIENCE};

/// With the default `ZMQ_LINGER` (-1), ending a program waits until its
/// queued messages are delivered. The ventilator with no tasks queues only the
/// batch start, for a sink that is not there yet; it prints its last line and
/// then cannot exit. A sink started afterwards still gets that batch start
/// (proof that the process was alive, holding it), and only then does the
/// ventilator exit.
pub fn pending_message_keeps_the_process_until_delivered(bins: &Bins) -> Result<()> {
    let sink_endpoint = unique_ipc_endpoint("late-sink");
    let mut ventilator = bins.spawn(
        "task-ventilator",
        &[
            "--bind",
            ANY_PORT,
            "--sink",
            &sink_endpoint,
            "--no-wait",
            "--tasks",
            "0",
        ],
    )?;
    ventilator.wait_stdout("Total expected cost: 0 msec", PATIENCE)?;
    ensure(!ventilator.has_exited(), || {
        "the ventilator exited with its batch start still queued".into()
    })?;
    let sink = bins.spawn("task-sink", &["--bind", &sink_endpoint, "--tasks", "0"])?;
    let sink = sink.wait_exit(PATIENCE)?.expect_success()?;
    expect_line(&sink, "Failed tasks: 0")?;
    ventilator.wait_exit(PATIENCE)?.expect_success().map(drop)
}

/// With `ZMQ_LINGER` 0 the same ventilator drops its queued batch start and
/// exits at once, though no sink ever appears.
pub fn linger_zero_drops_pending_message_and_exits(bins: &Bins) -> Result<()> {
    let nobody = unique_ipc_endpoint("no-sink");
    let ventilator = bins.spawn(
        "task-ventilator",
        &[
            "--bind",
            ANY_PORT,
            "--sink",
            &nobody,
            "--no-wait",
            "--tasks",
            "0",
            "--linger-ms",
            "0",
        ],
    )?;
    let ventilator = ventilator.wait_exit(PATIENCE)?.expect_success()?;
    expect_line(&ventilator, "Total expected cost: 0 msec")
}

/// Each long-running program of the chapter, started so that it blocks, with
/// the line it prints once it is blocking (after its signal handlers are in).
pub(super) fn blocked_programs(bins: &Bins, profiled: bool) -> Result<Vec<Running>> {
    let nobody = unique_ipc_endpoint("nobody");
    let spawn = |name: &str, args: &[&str]| {
        if profiled {
            bins.spawn_profiled(name, args)
        } else {
            bins.spawn(name, args)
        }
    };
    let mut started = Vec::new();
    // Publishing for ever, to nobody.
    let mut publisher = spawn("ticker-publisher", &["--bind", ANY_PORT, "--rate", "100"])?;
    publisher.wait_stdout("Starting server...", PATIENCE)?;
    started.push(publisher);
    // Waiting for an update from a publisher that does not exist.
    let mut subscriber = spawn("ticker-subscriber", &["--connect", &nobody])?;
    subscriber.wait_stdout(COLLECTING, PATIENCE)?;
    started.push(subscriber);
    // Blocked sending its first task (no worker), the batch start queued for
    // an absent sink: it must drop that to exit.
    let mut ventilator = spawn(
        "task-ventilator",
        &["--bind", ANY_PORT, "--sink", &nobody, "--no-wait"],
    )?;
    ventilator.wait_stdout("Sending tasks to workers...", PATIENCE)?;
    started.push(ventilator);
    // Waiting for a task.
    let mut worker = spawn("task-worker", &["--ventilator", &nobody, "--sink", &nobody])?;
    worker.wait_stdout("Worker starting...", PATIENCE)?;
    started.push(worker);
    // Waiting for the batch start.
    let mut sink = spawn("task-sink", &["--bind", ANY_PORT])?;
    sink.bound_endpoint(PATIENCE)?;
    started.push(sink);
    Ok(started)
}

/// Ctrl-C (or SIGTERM) stops every long-running program of the chapter while
/// it blocks: `interrupted` on stderr, exit 0, within a second.
pub fn programs_stop_while_blocked(bins: &Bins, signal: i32) -> Result<()> {
    for program in blocked_programs(bins, false)? {
        let stopped = program.stop_with(signal, STOP_WITHIN)?.expect_success()?;
        expect_interrupted(&stopped)?;
    }
    Ok(())
}

/// Binding a port that another program holds fails with a sentence and exit
/// code 1, for each program that binds (the printed listings ignore every
/// return value).
pub fn port_in_use_is_reported(bins: &Bins) -> Result<()> {
    let (_holder, endpoint) = serve(bins, "task-sink", &[])?;
    for program in ["ticker-publisher", "task-ventilator", "task-sink"] {
        let second = bins.run(program, &["--bind", &endpoint], PATIENCE)?;
        let second = second.expect_code(1)?;
        let expected = format!("error: cannot bind {endpoint}: Address already in use");
        ensure(second.stderr.contains(&expected), || {
            format!("{program}: expected {expected:?}, got {:?}", second.stderr)
        })?;
    }
    Ok(())
}
