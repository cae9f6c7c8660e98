//! Chapter 2, the context's lifecycle: queued messages keep a process alive
//! until delivered (unless `ZMQ_LINGER` is 0), every program stops on SIGINT
//! and SIGTERM while it blocks, and a port in use is reported.

use crate::scenarios::ch1::expect_interrupted;
use crate::scenarios::ch2::expect_line;
use crate::scenarios::ch2::ticker::COLLECTING;
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::{serve, unique_ipc_endpoint, ANY_PORT, STOP_WITHIN};
use crate::{ensure, Bins, Result, Running, PATIENCE};

/// A ventilator with no tasks and no workers to wait for: its one message is
/// the batch start, for the sink at `sink`; `args` are added.
fn lone_batch_start(bins: &Bins, sink: &str, args: &[&str]) -> Result<Running> {
    let mut all = vec![
        "--bind",
        ANY_PORT,
        "--sink",
        sink,
        "--no-wait",
        "--tasks",
        "0",
    ];
    all.extend_from_slice(args);
    bins.spawn("task-ventilator", &all)
}

/// With the default `ZMQ_LINGER` (-1), ending a program waits until its
/// queued messages are delivered. The ventilator with no tasks queues only the
/// batch start, for a sink that is not there yet; it prints its last line and
/// then cannot exit. A sink started afterwards still gets that batch start
/// (proof that the process was alive, holding it), and only then does the
/// ventilator exit.
pub fn pending_message_keeps_the_process_until_delivered(bins: &Bins) -> Result<()> {
    let sink_endpoint = unique_ipc_endpoint("late-sink");
    let mut ventilator = lone_batch_start(bins, &sink_endpoint, &[])?;
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
    let ventilator = lone_batch_start(bins, &nobody, &["--linger-ms", "0"])?;
    let ventilator = ventilator.wait_exit(PATIENCE)?.expect_success()?;
    expect_line(&ventilator, "Total expected cost: 0 msec")
}

/// Waiting to deliver is no trap: the ventilator (its batch start queued for
/// a sink that never comes) and a worker with `--count 1` (its one result
/// queued likewise) have printed their last line and wait for a peer, still
/// running; `signal` ends each within a second, exit 0, `interrupted`.
pub fn waiting_to_deliver_stops_on_signal(bins: &Bins, signal: i32) -> Result<()> {
    let nobody = unique_ipc_endpoint("never-a-sink");
    let ventilator = lone_batch_start(bins, &nobody, &[])?;
    let context = zmq::Context::new();
    let (tasks, tasks_endpoint) = bound_socket(&context, zmq::PUSH)?;
    let worker = bins.spawn(
        "task-worker",
        &[
            "--ventilator",
            &tasks_endpoint,
            "--sink",
            &nobody,
            "--count",
            "1",
        ],
    )?;
    retrying(|| tasks.send("0", 0))?;
    for (mut program, last_line) in [
        (ventilator, "Total expected cost: 0 msec"),
        (worker, "0.0: 0.0"),
    ] {
        program.wait_stdout(last_line, PATIENCE)?;
        ensure(!program.has_exited(), || {
            format!("{}: exited with a message still queued", program.name())
        })?;
        let stopped = program.stop_with(signal, STOP_WITHIN)?.expect_success()?;
        expect_interrupted(&stopped)?;
    }
    Ok(())
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

/// The chapter's other blocking states, each with the line it prints once
/// there: a subscriber polling with `--timeout-ms`, a ventilator waiting for
/// `--workers`, a worker in its pretend work (`sleep`), a worker blocked
/// sending its result to a sink that is not there, a sink waiting for
/// results after the batch start. The harness's sockets that feed them are
/// in the returned [`Feeders`].
pub(super) fn more_blocked_programs(bins: &Bins) -> Result<(Vec<Running>, Feeders)> {
    let nobody = unique_ipc_endpoint("nobody");
    let context = zmq::Context::new();
    let mut started = Vec::new();
    let mut waiting =
        |name: &str, args: &[&str], feed: Option<(&zmq::Socket, &str)>, line: &str| {
            let mut program = bins.spawn(name, args)?;
            if let Some((socket, task)) = feed {
                retrying(|| socket.send(task, 0))?;
            }
            program.wait_stdout(line, PATIENCE)?;
            started.push(program);
            Result::Ok(())
        };
    // Polling for an update, with a timeout that is far away.
    waiting(
        "ticker-subscriber",
        &["--connect", &nobody, "--timeout-ms", "60000"],
        None,
        COLLECTING,
    )?;
    // Waiting for two workers that never come.
    waiting(
        "task-ventilator",
        &[
            "--bind",
            ANY_PORT,
            "--sink",
            &nobody,
            "--no-wait",
            "--workers",
            "2",
        ],
        None,
        "Waiting for 2 workers...",
    )?;
    // Working on a task of a minute.
    let (tasks, tasks_endpoint) = bound_socket(&context, zmq::PUSH)?;
    let (results, results_endpoint) = bound_socket(&context, zmq::PULL)?;
    waiting(
        "task-worker",
        &[
            "--ventilator",
            &tasks_endpoint,
            "--sink",
            &results_endpoint,
            "--max-work-ms",
            "60000",
        ],
        Some((&tasks, "60000")),
        "60000.0: ",
    )?;
    // Done with a task (no work: --max-work-ms 0), blocked sending its
    // result: no sink.
    let (quick, quick_endpoint) = bound_socket(&context, zmq::PUSH)?;
    waiting(
        "task-worker",
        &[
            "--ventilator",
            &quick_endpoint,
            "--sink",
            &nobody,
            "--max-work-ms",
            "0",
        ],
        Some((&quick, "4")),
        "4.0: 2.0",
    )?;
    // A sink that has the batch start and one result, waiting for more.
    let mut sink = bins.spawn("task-sink", &["--bind", ANY_PORT, "--verbose"])?;
    let sink_endpoint = sink.bound_endpoint(PATIENCE)?;
    let pusher = peer_socket(&context, zmq::PUSH)?;
    pusher.connect(&sink_endpoint).map_err(zmq_failure)?;
    for message in ["-1", "4 2"] {
        retrying(|| pusher.send(message, 0))?;
    }
    sink.wait_stdout("result 4.0 2.0", PATIENCE)?;
    started.push(sink);
    Ok((started, Feeders(vec![tasks, results, quick, pusher])))
}

/// The harness's sockets that keep [`more_blocked_programs`] where they are.
pub(super) struct Feeders(#[allow(dead_code)] Vec<zmq::Socket>);

/// Ctrl-C (or SIGTERM) stops each program of the chapter in its other
/// blocking states too (see [`more_blocked_programs`]): polling with a
/// timeout, waiting for workers, sleeping, sending, receiving mid-batch.
pub fn programs_stop_in_their_other_blocking_states(bins: &Bins, signal: i32) -> Result<()> {
    let (programs, _feeders) = more_blocked_programs(bins)?;
    for program in programs {
        let stopped = program.stop_with(signal, STOP_WITHIN)?.expect_success()?;
        expect_interrupted(&stopped)?;
    }
    Ok(())
}

/// A publisher at full speed (`--rate 0`, the book's) never waits: a PUB
/// socket drops what no subscriber takes, so its send never blocks and never
/// sees the signal pipe. Ctrl-C (or SIGTERM) must still stop it at once —
/// `lab::send` looks at the flag before every message. (`--verbose` shows it
/// is in full flow before the signal.)
pub fn publisher_at_full_speed_stops_on_signal(bins: &Bins, signal: i32) -> Result<()> {
    let (mut publisher, _) = serve(bins, "ticker-publisher", &["--verbose"])?;
    for _ in 0..100 {
        publisher.wait_stdout("Sending... ", PATIENCE)?;
    }
    let stopped = publisher.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&stopped)
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
