//! Chapter 2, the pipeline's tasks as bytes: what the ventilator draws, what
//! the worker reads of each task, and when its result line can be seen.

use crate::scenarios::ch2::worker_between_harness_ends;
use crate::scenarios::peer::{bound_socket, retrying};
use crate::{ensure, Bins, Failure, Result, PATIENCE};

/// The ventilator's workloads are drawn evenly from 1 to 100 ms, both ends
/// included: over 3 000 tasks every one is in that range, and both 1 and 100
/// occur (the printed `rand() % 100` gave 0 to 99; the chance that an even
/// draw misses one end in 3 000 tries is under 10⁻¹³).
pub fn ventilator_draws_workloads_from_1_to_100(bins: &Bins) -> Result<()> {
    const TASKS: usize = 3000;
    let context = zmq::Context::new();
    let workers = crate::scenarios::peer::peer_socket(&context, zmq::PULL)?;
    let (sink, sink_endpoint) = bound_socket(&context, zmq::PULL)?;
    let tasks = TASKS.to_string();
    let args = ["--sink", &sink_endpoint, "--no-wait", "--tasks", &tasks];
    let mut all = vec!["--bind", "tcp://127.0.0.1:*"];
    all.extend(args);
    let mut ventilator = bins.spawn("task-ventilator", &all)?;
    let bound = ventilator.wait_stdout("bound ", PATIENCE)?;
    let endpoint = bound.trim_start_matches("bound ").trim().to_string();
    retrying(|| workers.connect(&endpoint))?;
    retrying(|| sink.recv_bytes(0))?;
    let mut workloads = Vec::with_capacity(TASKS);
    for _ in 0..TASKS {
        let task = retrying(|| workers.recv_bytes(0))?;
        let text = String::from_utf8_lossy(&task).into_owned();
        let workload = text
            .parse::<u64>()
            .map_err(|_| Failure::new(format!("a task that is not a whole number: {text:?}")))?;
        workloads.push(workload);
    }
    ventilator.wait_exit(PATIENCE)?.expect_success()?;
    let outside: Vec<_> = workloads
        .iter()
        .filter(|w| !(1..=100).contains(*w))
        .collect();
    ensure(outside.is_empty(), || {
        format!("workloads outside 1..=100: {outside:?}")
    })?;
    for end in [1, 100] {
        ensure(workloads.contains(&end), || {
            format!("no workload of {end} ms in {TASKS} tasks")
        })?;
    }
    Ok(())
}

/// A task is exactly its message's bytes: `5` sent right after `57` is done
/// as 5, not as 57 (the printed worker copied each task into a fresh
/// `malloc` and never wrote its terminating NUL, so `atof` could read on
/// into what the heap held before).
pub fn a_short_task_after_a_long_one_is_done_as_itself(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (ventilator, sink, worker) = worker_between_harness_ends(bins, &context, &[])?;
    let mut results = Vec::new();
    for task in ["57", "5"] {
        retrying(|| ventilator.send(task, 0))?;
        let result = retrying(|| sink.recv_bytes(0))?;
        results.push(String::from_utf8_lossy(&result).into_owned());
    }
    let worker = worker.stop_with(libc::SIGINT, PATIENCE)?.expect_success()?;
    let values: Vec<_> = results
        .iter()
        .map(|result| result.split(' ').next().and_then(|v| v.parse::<f64>().ok()))
        .collect();
    ensure(values == [Some(57.0), Some(5.0)], || {
        format!("expected the results of 57 then 5: {results:?}")
    })?;
    ensure(worker.stdout.iter().any(|line| line == "5.0: 2.2"), || {
        format!("the worker never printed `5.0: 2.2`: {:?}", worker.stdout)
    })
}

/// The worker's `<value>: <root>` line can be read as soon as the task is
/// done, while the worker waits for the next one (the printed worker flushed
/// before printing, so through a pipe each line came one task late).
pub fn worker_result_line_is_seen_before_the_next_task(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (ventilator, sink, mut worker) = worker_between_harness_ends(bins, &context, &[])?;
    retrying(|| ventilator.send("16", 0))?;
    retrying(|| sink.recv_bytes(0))?;
    // No other task comes: the line must already be out.
    worker.wait_stdout("16.0: 4.0", PATIENCE)?;
    worker.stop_with(libc::SIGINT, PATIENCE)?.expect_success()?;
    Ok(())
}
