//! Chapter 2, the pipeline: a ventilator deals tasks to workers round-robin,
//! a sink collects their results; divide and conquer.

use crate::scenarios::book_ports::BookPorts;
use crate::scenarios::ch2::{expect_line, worker_between_harness_ends};
use std::time::{Duration, Instant};

use crate::scenarios::ch1::expect_interrupted;
use crate::scenarios::monitor::Monitor;
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::{serve, side_by_side, unique_ipc_endpoint, STOP_WITHIN};
use crate::{ensure, Bins, Failure, Finished, Result, Running, Stream, PATIENCE};

/// A finished pipeline run: what each program printed.
pub struct Batch {
    /// The ventilator, exited after sending the batch.
    pub ventilator: Finished,
    /// The sink, exited after collecting every result.
    pub sink: Finished,
    /// Each worker, stopped with Ctrl-C after the sink was done.
    pub workers: Vec<Finished>,
}

/// Runs one batch: a sink, `workers` workers, and a ventilator that waits
/// until all of them are connected (`--workers`) before it sends `--tasks`
/// tasks. `ventilator_args` and `worker_args` are added to each.
pub fn run_batch(
    bins: &Bins,
    workers: usize,
    tasks: u64,
    ventilator_args: &[&str],
    worker_args: &[&str],
) -> Result<Batch> {
    let tasks = tasks.to_string();
    let expected_workers = workers.to_string();
    let (sink, sink_endpoint) = serve(bins, "task-sink", &["--tasks", &tasks, "--verbose"])?;
    let mut args = vec!["--sink", &sink_endpoint, "--no-wait", "--tasks", &tasks];
    args.extend_from_slice(&["--workers", &expected_workers, "--verbose"]);
    args.extend_from_slice(ventilator_args);
    let (ventilator, tasks_endpoint) = serve(bins, "task-ventilator", &args)?;
    let mut args = vec!["--ventilator", &tasks_endpoint, "--sink", &sink_endpoint];
    args.extend_from_slice(worker_args);
    let running: Vec<Running> = (0..workers)
        .map(|_| bins.spawn("task-worker", &args))
        .collect::<Result<_>>()?;
    let sink = sink.wait_exit(PATIENCE)?.expect_success()?;
    let ventilator = ventilator.wait_exit(PATIENCE)?.expect_success()?;
    let workers = running
        .into_iter()
        .map(|worker| worker.stop_with(libc::SIGINT, PATIENCE)?.expect_success())
        .collect::<Result<_>>()?;
    Ok(Batch {
        ventilator,
        sink,
        workers,
    })
}

/// The whole numbers that `texts` start with (`57` of `57 7.5498…` or of
/// `57.0: 7.5`), sorted: the task values a program printed.
fn task_values<'a>(name: &str, texts: impl IntoIterator<Item = &'a str>) -> Result<Vec<u64>> {
    let mut values = texts
        .into_iter()
        .map(|text| {
            let number = text.split([' ', ':']).next().unwrap_or_default();
            let value = number.parse::<f64>().ok().filter(|v| v.fract() == 0.0);
            // Whole numbers of milliseconds: the cast is exact.
            value
                .map(|v| v as u64)
                .ok_or_else(|| Failure::new(format!("{name}: not a task value: {text:?}")))
        })
        .collect::<Result<Vec<_>>>()?;
    values.sort_unstable();
    Ok(values)
}

/// The ventilator's tasks all reach a worker and their results all reach the
/// sink, each exactly once, whatever the number of workers; and PUSH deals
/// them round-robin, so with every worker connected before the batch, each
/// does exactly its share (the printed ventilator never even sent its tasks).
pub fn every_task_reaches_the_sink_once(bins: &Bins, workers: usize) -> Result<()> {
    // Distinct workloads, mostly (1..=100000), each "worked" 1 ms at most.
    let batch = run_batch(
        bins,
        workers,
        24,
        &["--max-workload-ms", "100000"],
        &["--max-work-ms", "1"],
    )?;
    let ventilator = &batch.ventilator;
    let sent = task_values(
        &ventilator.name,
        ventilator.lines_after(Stream::Stdout, "task "),
    )?;
    let cost = format!("Total expected cost: {} msec", sent.iter().sum::<u64>());
    ensure(
        sent.len() == 24 && batch.ventilator.stdout.contains(&cost),
        || {
            format!(
                "the ventilator did not send 24 tasks: {:?}",
                batch.ventilator.stdout
            )
        },
    )?;
    let results = batch.sink.lines_after(Stream::Stdout, "result ");
    let collected = task_values(&batch.sink.name, results.iter().copied())?;
    ensure(collected == sent, || {
        format!("sent {sent:?}\nbut the sink collected {collected:?}")
    })?;
    for result in results {
        expect_root(result)?;
    }
    let mut done = Vec::new();
    for worker in &batch.workers {
        let printed = worker.stdout.iter().filter(|line| line.contains(": "));
        let own = task_values(&worker.name, printed.map(String::as_str))?;
        ensure(own.len() == 24 / workers, || {
            format!(
                "round-robin gives each of {workers} workers {} tasks; one did {own:?}",
                24 / workers
            )
        })?;
        done.extend(own);
    }
    done.sort_unstable();
    ensure(done == sent, || {
        format!("sent {sent:?}\nbut workers did {done:?}")
    })?;
    expect_line(&batch.sink, "Failed tasks: 0")
}

/// Divide and conquer: 8 tasks of 150 ms each take four workers at least 2.5
/// times less time than one (ideally 4), as the sink measures it. The two
/// batches run at the same time, side by side, so both see the same machine:
/// the ratio holds however busy it is with other tests.
pub fn four_workers_finish_faster_than_one(bins: &Bins) -> Result<()> {
    // Few, long tasks, so that a loaded machine's scheduling delays (a few ms
    // per wake-up) do not eat the ratio: 1.2 s of work, two tasks (0.3 s) for
    // each of four workers, which may come 180 ms late and still pass.
    // --min-workload-ms and --max-workload-ms at 150 make every task 150 ms.
    let fixed = ["--min-workload-ms", "150", "--max-workload-ms", "150"];
    let (one, four) = side_by_side(
        || run_batch(bins, 1, 8, &fixed, &[]),
        || run_batch(bins, 4, 8, &fixed, &[]),
    )?;
    for batch in [&one, &four] {
        expect_line(&batch.ventilator, "Total expected cost: 1200 msec")?;
    }
    let (one, four) = (batch_time(&one)?, batch_time(&four)?);
    ensure(one as f64 >= 2.5 * four as f64, || {
        format!("one worker took {one} ms, four took {four} ms: not 2.5 times faster")
    })
}

/// The sink's `Total elapsed time`, in milliseconds.
fn batch_time(batch: &Batch) -> Result<u64> {
    elapsed_ms(&batch.sink)
}

/// A sink's `Total elapsed time`, in milliseconds.
fn elapsed_ms(sink: &Finished) -> Result<u64> {
    let times = sink.lines_after(Stream::Stdout, "Total elapsed time: ");
    times
        .first()
        .and_then(|time| time.strip_suffix(" msec")?.parse().ok())
        .ok_or_else(|| Failure::new(format!("no elapsed time: {:?}", sink.stdout)))
}

/// A worker fed bad tasks by the harness — words, negatives, NaN, infinities,
/// numbers too large for a double, empty and non-UTF-8 text — reports each on
/// stderr, still sends a `failed` result so the sink's count completes, and
/// goes on: the good tasks around them are done. A huge but finite task is
/// done, its "work" capped by `--max-work-ms`.
pub fn worker_reports_bad_tasks_and_keeps_going(bins: &Bins) -> Result<()> {
    let bad: [&[u8]; 8] = [
        b"fifty",
        b"-4",
        b"NaN",
        b"inf",
        b"-inf",
        b"1e999",
        b"\xff\xfe",
        b"",
    ];
    let mut tasks: Vec<&[u8]> = vec![b"16"];
    tasks.extend(bad);
    tasks.extend([&b"1e300"[..], b"81"]);
    let context = zmq::Context::new();
    let (ventilator, sink, worker) =
        worker_between_harness_ends(bins, &context, &["--max-work-ms", "50"])?;
    for task in &tasks {
        retrying(|| ventilator.send(*task, 0))?;
    }
    let mut results = Vec::new();
    for _ in &tasks {
        let result = retrying(|| sink.recv_bytes(0))?;
        results.push(String::from_utf8_lossy(&result).into_owned());
    }
    let worker = worker.stop_with(libc::SIGINT, PATIENCE)?.expect_success()?;
    let failed = &results[1..=bad.len()];
    ensure(failed.iter().all(|result| result == "failed"), || {
        format!(
            "expected {} `failed` results after the first: {results:?}",
            bad.len()
        )
    })?;
    for (result, value) in [
        (&results[0], 16.0),
        (&results[9], 1e300),
        (&results[10], 81.0),
    ] {
        let first = result.split(' ').next().and_then(|v| v.parse::<f64>().ok());
        ensure(first == Some(value), || {
            format!("expected the result of {value}: {results:?}")
        })?;
        expect_root(result)?;
    }
    for text in [
        "\"fifty\": not a number",
        "\"-4\": negative",
        "\"NaN\": not a number",
    ] {
        expect_stderr(&worker, &format!("error: bad task {text}"))?;
    }
    for text in [
        "\"inf\"",
        "\"-inf\"",
        "\"1e999\"",
        // Bytes that are not text are shown as they are, escaped.
        "\"\\xff\\xfe\": not UTF-8",
        "\"\"",
    ] {
        expect_stderr(&worker, &format!("error: bad task {text}"))?;
    }
    expect_line(&worker, "16.0: 4.0")?;
    expect_line(&worker, "81.0: 9.0")
}

/// The sink takes the batch start, counts results (failures apart) — also
/// one that overtook the batch start — skips and reports noise, marks every tenth result with `:` (the printed sink's
/// `count / 10 == 0` marked only the first ten) and reports the time.
pub fn sink_counts_results_and_marks_every_tenth(bins: &Bins) -> Result<()> {
    let (sink, endpoint) = serve(bins, "task-sink", &["--tasks", "25"])?;
    let context = zmq::Context::new();
    let pusher = context.socket(zmq::PUSH).map_err(zmq_failure)?;
    pusher.connect(&endpoint).map_err(zmq_failure)?;
    for n in 0..25 {
        // A result may overtake the batch start (they come by different
        // connections): the printed sink took it for the batch start.
        if n == 1 {
            pusher.send("-1", 0).map_err(zmq_failure)?;
            pusher.send("not a result", 0).map_err(zmq_failure)?;
        }
        let result = if n % 12 == 5 {
            "failed".to_string()
        } else {
            format!("{n} {}", f64::from(n).sqrt())
        };
        pusher.send(result.as_str(), 0).map_err(zmq_failure)?;
    }
    let sink = sink.wait_exit(PATIENCE)?.expect_success()?;
    expect_line(&sink, ".........:.........:.....")?;
    expect_line(&sink, "Failed tasks: 2")?;
    expect_stderr(&sink, "error: not a result: \"not a result\"")?;
    ensure(
        sink.lines_after(Stream::Stdout, "Total elapsed time: ")
            .first()
            .is_some_and(|time| time.ends_with(" msec")),
        || format!("no elapsed time: {:?}", sink.stdout),
    )
}

/// The sink's clock starts when the batch start arrives, not when the sink
/// does: the harness waits a while (measured here) before sending the batch
/// start, then sends three results at once. A sink timing from its launch
/// would report at least that wait (less a millisecond of rounding down); the
/// sink must report less than half of it.
pub fn sink_clock_starts_at_the_batch_start(bins: &Bins) -> Result<()> {
    let (sink, endpoint) = serve(bins, "task-sink", &["--tasks", "3"])?;
    // The sink printed its bound line: it is running, and would be timing.
    let launched = Instant::now();
    let context = zmq::Context::new();
    let pusher = peer_socket(&context, zmq::PUSH)?;
    pusher.connect(&endpoint).map_err(zmq_failure)?;
    // Not a wait for anything: the late batch start is the experiment.
    std::thread::sleep(Duration::from_millis(300));
    let waited = launched.elapsed();
    for message in ["-1", "1 1", "4 2", "9 3"] {
        retrying(|| pusher.send(message, 0))?;
    }
    let sink = sink.wait_exit(PATIENCE)?.expect_success()?;
    let elapsed = Duration::from_millis(elapsed_ms(&sink)?);
    ensure(elapsed < waited / 2, || {
        format!(
            "the sink reported {elapsed:?} for a batch that started {waited:?} after it: \
             its clock started before the batch start"
        )
    })
}

/// The sink's `--max-msg-size`: a result over it gets its sender's connection
/// dropped and is not counted; results from another connection are.
pub fn sink_refuses_a_result_over_its_max_msg_size(bins: &Bins) -> Result<()> {
    let (sink, endpoint) = serve(
        bins,
        "task-sink",
        &["--tasks", "3", "--verbose", "--max-msg-size", "1000"],
    )?;
    let context = zmq::Context::new();
    let honest = peer_socket(&context, zmq::PUSH)?;
    honest.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| honest.send("-1", 0))?;
    let greedy = peer_socket(&context, zmq::PUSH)?;
    let connection = Monitor::start(&context, &greedy)?;
    greedy.connect(&endpoint).map_err(zmq_failure)?;
    // A good result, padded with zeros to 2000 bytes: `00…016 4`.
    let mut padded = vec![b'0'; 1994];
    padded.extend_from_slice(b"16 4.0");
    retrying(|| greedy.send(&padded, 0))?;
    connection.wait_dropped()?;
    for result in ["1 1", "4 2", "9 3"] {
        retrying(|| honest.send(result, 0))?;
    }
    let sink = sink.wait_exit(PATIENCE)?.expect_success()?;
    let results = sink.lines_after(Stream::Stdout, "result ");
    ensure(results == ["1.0 1.0", "4.0 2.0", "9.0 3.0"], || {
        format!("expected the three small results only: {:?}", sink.stdout)
    })
}

/// `--workers 2` counts workers connected *at once*: a worker that connects
/// and leaves does not count, so the batch does not start when a second one
/// arrives (the sink — the harness's — gets no batch start), only when a
/// third is there; then the two connected workers share the tasks. The
/// ventilator's `Workers connected: <n> of 2` lines say what it has learnt;
/// the harness connects each next worker only once the ventilator has seen
/// the last change (its events for two connections could otherwise come in
/// either order).
pub fn ventilator_counts_only_workers_still_connected(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (sink, sink_endpoint) = bound_socket(&context, zmq::PULL)?;
    let (mut ventilator, endpoint) = serve(
        bins,
        "task-ventilator",
        &[
            "--sink",
            &sink_endpoint,
            "--no-wait",
            "--workers",
            "2",
            "--tasks",
            "4",
        ],
    )?;
    // The ventilator's next count must be `expected`.
    let next_count = |ventilator: &mut Running, expected: usize| -> Result<()> {
        let line = ventilator.wait_line_where(Stream::Stdout, PATIENCE, |line| {
            line.starts_with("Workers connected: ")
        })?;
        let wanted = format!("Workers connected: {expected} of 2");
        ensure(line == wanted, || {
            format!("expected {wanted:?}, got {line:?}")
        })
    };
    {
        // A worker that connects, completes its handshake, and leaves: its
        // own context, so dropping it closes the connection before going on.
        let passing = zmq::Context::new();
        let worker = peer_socket(&passing, zmq::PULL)?;
        let connection = Monitor::start(&passing, &worker)?;
        worker.connect(&endpoint).map_err(zmq_failure)?;
        connection.wait_handshake()?;
    }
    next_count(&mut ventilator, 1)?;
    next_count(&mut ventilator, 0)?;
    let second = connected_worker(&context, &endpoint)?;
    next_count(&mut ventilator, 1)?;
    let early = retrying(|| sink.poll(zmq::POLLIN, 0))?;
    ensure(early == 0, || {
        "the batch started with one worker connected: the one that left was counted".into()
    })?;
    let third = connected_worker(&context, &endpoint)?;
    let start = retrying(|| sink.recv_bytes(0))?;
    ensure(start == b"-1", || {
        format!("expected the batch start, got {start:?}")
    })?;
    let ventilator = ventilator.wait_exit(PATIENCE)?.expect_success()?;
    let counts = ventilator.lines_after(Stream::Stdout, "Workers connected: ");
    ensure(counts == ["1 of 2", "0 of 2", "1 of 2", "2 of 2"], || {
        format!("the ventilator counted {counts:?}")
    })?;
    for worker in [&second, &third] {
        for _ in 0..2 {
            retrying(|| worker.recv_bytes(0))?;
        }
        let more = retrying(|| worker.poll(zmq::POLLIN, 0))?;
        ensure(more == 0, || {
            "one worker got more than its two tasks".into()
        })?;
    }
    Ok(())
}

/// A PULL socket of the harness's, connected to `endpoint` with its handshake
/// done.
fn connected_worker(context: &zmq::Context, endpoint: &str) -> Result<zmq::Socket> {
    let worker = peer_socket(context, zmq::PULL)?;
    {
        let connection = Monitor::start(context, &worker)?;
        worker.connect(endpoint).map_err(zmq_failure)?;
        connection.wait_handshake()?;
    }
    Ok(worker)
}

/// `--max-work-ms` caps one task's pretend work: with a cap of 100 ms, a task
/// of 1e300 ms takes about as long as one of 100 ms (less than four times),
/// not the default second.
pub fn worker_max_work_ms_caps_a_huge_task(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (ventilator, sink, _worker) =
        worker_between_harness_ends(bins, &context, &["--max-work-ms", "100"])?;
    let mut took = Vec::new();
    for task in ["100", "1e300"] {
        retrying(|| ventilator.send(task, 0))?;
        let sent = Instant::now();
        retrying(|| sink.recv_bytes(0))?;
        took.push(sent.elapsed());
    }
    let (capped, huge) = (took[0], took[1]);
    ensure(huge < 4 * capped, || {
        format!("a 100 ms task took {capped:?}, a 1e300 ms task capped at 100 ms took {huge:?}")
    })
}

/// The worker's `--max-msg-size`: a task over it gets the connection dropped
/// and is never done — no line, no result. (libzmq 4.3.4 takes it for a
/// protocol error and does not reconnect: the worker waits on, and stops on
/// Ctrl-C.)
pub fn worker_refuses_a_task_over_its_max_msg_size(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (ventilator, tasks_endpoint) = bound_socket(&context, zmq::PUSH)?;
    let connection = Monitor::start(&context, &ventilator)?;
    let (sink, sink_endpoint) = bound_socket(&context, zmq::PULL)?;
    let worker = bins.spawn(
        "task-worker",
        &[
            "--ventilator",
            &tasks_endpoint,
            "--sink",
            &sink_endpoint,
            "--max-work-ms",
            "0",
            "--max-msg-size",
            "1000",
        ],
    )?;
    // The task 16, padded with zeros to 2000 bytes.
    let mut padded = vec![b'0'; 1998];
    padded.extend_from_slice(b"16");
    retrying(|| ventilator.send(&padded, 0))?;
    connection.wait_dropped()?;
    let worker = worker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_interrupted(&worker)?;
    ensure(worker.stdout == ["Worker starting..."], || {
        format!("the oversized task was done: {:?}", worker.stdout)
    })?;
    let results = retrying(|| sink.poll(zmq::POLLIN, 0))?;
    ensure(results == 0, || {
        "the oversized task's result reached the sink".into()
    })
}

/// `--bind` is where each binding program of the chapter listens: an ipc
/// endpoint of the test's own comes back in its `bound` line.
pub fn ch2_programs_bind_where_bind_says(bins: &Bins) -> Result<()> {
    for (program, extra) in [
        ("ticker-publisher", &["--rate", "10"][..]),
        ("task-ventilator", &["--no-wait", "--workers", "1"][..]),
        ("task-sink", &[][..]),
    ] {
        let endpoint = unique_ipc_endpoint("bind-here");
        let mut args = vec!["--bind", endpoint.as_str()];
        args.extend_from_slice(extra);
        let mut running = bins.spawn(program, &args)?;
        let bound = running.bound_endpoint(PATIENCE)?;
        ensure(bound == endpoint, || {
            format!("{program} --bind {endpoint} bound {bound}")
        })?;
    }
    Ok(())
}

/// With no endpoint options the pipeline uses the book's ports: tasks on
/// 4040, results on 5050 (holding the [`BookPorts`] lock: the ports are fixed).
pub fn pipeline_defaults_use_ports_4040_and_5050(bins: &Bins) -> Result<()> {
    let _ports = BookPorts::lock()?;
    let mut sink = bins.spawn("task-sink", &["--tasks", "8"])?;
    let endpoint = sink.bound_endpoint(PATIENCE)?;
    ensure(endpoint == "tcp://0.0.0.0:5050", || {
        format!("the sink bound {endpoint}, not the book's tcp://*:5050")
    })?;
    let mut ventilator = bins.spawn(
        "task-ventilator",
        &[
            "--no-wait",
            "--workers",
            "2",
            "--tasks",
            "8",
            "--max-workload-ms",
            "10",
        ],
    )?;
    let endpoint = ventilator.bound_endpoint(PATIENCE)?;
    ensure(endpoint == "tcp://0.0.0.0:4040", || {
        format!("the ventilator bound {endpoint}, not the book's tcp://*:4040")
    })?;
    let _workers = [
        bins.spawn("task-worker", &[] as &[&str])?,
        bins.spawn("task-worker", &[] as &[&str])?,
    ];
    let sink = sink.wait_exit(PATIENCE)?.expect_success()?;
    expect_line(&sink, "........")?;
    ventilator.wait_exit(PATIENCE)?.expect_success().map(drop)
}

/// Fails unless `result` is `<value> <root>` with the right square root.
fn expect_root(result: &str) -> Result<()> {
    let numbers = result
        .split_once(' ')
        .and_then(|(value, root)| Some((value.parse::<f64>().ok()?, root.parse::<f64>().ok()?)));
    ensure(
        numbers.is_some_and(|(value, root)| (root - value.sqrt()).abs() <= 1e-9 * value.sqrt()),
        || format!("not `<value> <its square root>`: {result:?}"),
    )
}

/// Fails unless `finished` printed a line starting with `start` on stderr.
fn expect_stderr(finished: &Finished, start: &str) -> Result<()> {
    ensure(
        finished.stderr.iter().any(|line| line.starts_with(start)),
        || {
            format!(
                "{}: no {start:?}… on stderr: {:?}",
                finished.name, finished.stderr
            )
        },
    )
}
