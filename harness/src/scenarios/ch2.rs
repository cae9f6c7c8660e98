//! Chapter 2: publish-subscribe (the stock ticker), the pipeline, the context's
//! lifecycle, and the leak demo.

use std::collections::BTreeSet;

use crate::scenarios::ch1::{expect_interrupted, expect_no_heap_lost};
use crate::scenarios::peer::{bound_socket, retrying, zmq_failure};
use crate::scenarios::{
    serve, serve_profiled, unique_ipc_endpoint, Scenario, ANY_PORT, STOP_WITHIN,
};
use crate::{ensure, Amount, Bins, Failure, Finished, Result, Running, Stream, PATIENCE};

/// Chapter 2's checks, by name.
pub const SCENARIOS: &[Scenario] = &[
    (
        "subscriber_without_filter_receives_every_company",
        subscriber_without_filter_receives_every_company,
    ),
    (
        "filter_company1_receives_only_company1",
        filter_company1_receives_only_company1,
    ),
    (
        "prefix_filter_also_matches_company10",
        prefix_filter_also_matches_company10,
    ),
    (
        "delimiter_filter_matches_company1_only",
        delimiter_filter_matches_company1_only,
    ),
    (
        "subscriber_without_subscription_receives_nothing",
        subscriber_without_subscription_receives_nothing,
    ),
    (
        "late_joiner_misses_first_messages",
        late_joiner_misses_first_messages,
    ),
    (
        "publisher_binds_tcp_and_ipc_at_once",
        publisher_binds_tcp_and_ipc_at_once,
    ),
    (
        "non_utf8_update_is_printed_lossily",
        non_utf8_update_is_printed_lossily,
    ),
    ("every_task_reaches_the_sink_once_with_1_worker", |bins| {
        every_task_reaches_the_sink_once(bins, 1)
    }),
    ("every_task_reaches_the_sink_once_with_2_workers", |bins| {
        every_task_reaches_the_sink_once(bins, 2)
    }),
    ("every_task_reaches_the_sink_once_with_4_workers", |bins| {
        every_task_reaches_the_sink_once(bins, 4)
    }),
    (
        "four_workers_finish_faster_than_one",
        four_workers_finish_faster_than_one,
    ),
    (
        "worker_reports_bad_tasks_and_keeps_going",
        worker_reports_bad_tasks_and_keeps_going,
    ),
    (
        "sink_counts_results_and_marks_every_tenth",
        sink_counts_results_and_marks_every_tenth,
    ),
    (
        "pending_message_keeps_the_process_until_delivered",
        pending_message_keeps_the_process_until_delivered,
    ),
    (
        "linger_zero_drops_pending_message_and_exits",
        linger_zero_drops_pending_message_and_exits,
    ),
    ("ch2_programs_stop_on_sigint", |bins| {
        programs_stop_while_blocked(bins, libc::SIGINT)
    }),
    ("ch2_programs_stop_on_sigterm", |bins| {
        programs_stop_while_blocked(bins, libc::SIGTERM)
    }),
    ("ch2_port_in_use_is_reported", port_in_use_is_reported),
    (
        "heap_leak_demo_loses_exactly_its_leak",
        heap_leak_demo_loses_exactly_its_leak,
    ),
    (
        "ch2_no_heap_lost_after_bounded_runs",
        no_heap_lost_after_bounded_runs,
    ),
    ("ch2_no_heap_lost_after_sigint", no_heap_lost_after_sigint),
];

/// The subscriber's first line (the book's).
const COLLECTING: &str = "Collecting stock information from the server.";

/// How fast the publisher publishes in these checks: fast enough that a
/// subscriber's 100 updates take a fraction of a second, slow enough not to
/// spin a core.
const TEST_RATE: &str = "10000";

// ---------------------------------------------------------------------------
// The stock ticker: publish-subscribe
// ---------------------------------------------------------------------------

/// Starts a publisher on a free port, publishing for ever at [`TEST_RATE`]
/// with `args`, and returns it with its endpoint.
fn start_publisher(bins: &Bins, args: &[&str]) -> Result<(Running, String)> {
    let mut all = vec!["--rate", TEST_RATE];
    all.extend_from_slice(args);
    serve(bins, "ticker-publisher", &all)
}

/// Runs a subscriber on `endpoint` for `count` updates with `args` (filters,
/// options) and returns how it ended.
fn run_subscriber(bins: &Bins, endpoint: &str, count: u64, args: &[&str]) -> Result<Finished> {
    let count = count.to_string();
    let mut all = vec!["--connect", endpoint, "--count", &count];
    all.extend_from_slice(args);
    bins.run("ticker-subscriber", &all, PATIENCE)?
        .expect_success()
}

/// The updates a subscriber printed: its stdout without its header and its
/// closing count.
fn updates(subscriber: &Finished) -> Vec<&str> {
    subscriber
        .stdout
        .iter()
        .map(String::as_str)
        .filter(|line| {
            *line != COLLECTING
                && !line.starts_with("received ")
                && !line.starts_with("no update within")
        })
        .collect()
}

/// The first word of each update (`Company1` of `Company1 575`, `Company1|`
/// of `Company1| 575`), as a set.
fn first_words(subscriber: &Finished) -> BTreeSet<&str> {
    updates(subscriber)
        .iter()
        .map(|update| update.split(' ').next().unwrap_or_default())
        .collect()
}

/// Fails unless the subscriber printed exactly `count` updates and then
/// `received <count> updates`.
fn expect_updates(subscriber: &Finished, count: usize) -> Result<()> {
    let got = updates(subscriber).len();
    let summary = format!("received {count} updates");
    ensure(
        got == count && subscriber.stdout.last() == Some(&summary),
        || {
            format!(
                "expected {count} updates and {summary:?}, got {got}: {:?}",
                subscriber.stdout
            )
        },
    )
}

/// Fails unless the first words of the subscriber's updates are `expected`.
fn expect_first_words(subscriber: &Finished, expected: &[&str]) -> Result<()> {
    let got = first_words(subscriber);
    let expected: BTreeSet<&str> = expected.iter().copied().collect();
    ensure(got == expected, || {
        format!(
            "expected updates from {expected:?}, got from {got:?}: {:?}",
            subscriber.stdout
        )
    })
}

/// The book's first pair: no filter means the empty prefix, which matches
/// everything. Each update carries a whole company name and a random price
/// below 1000 (the printed publisher sent neither: it cut every update to the
/// first name's length and priced with `count % 2`).
pub fn subscriber_without_filter_receives_every_company(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = start_publisher(bins, &[])?;
    let subscriber = run_subscriber(bins, &endpoint, 100, &[])?;
    expect_updates(&subscriber, 100)?;
    expect_first_words(&subscriber, &["Company1", "Company2"])?;
    let prices: Vec<u32> = updates(&subscriber)
        .iter()
        .map(|update| {
            let price = update.split(' ').nth(1).and_then(|p| p.parse().ok());
            price.ok_or_else(|| Failure::new(format!("no price in {update:?}")))
        })
        .collect::<Result<_>>()?;
    let distinct: BTreeSet<u32> = prices.iter().copied().collect();
    ensure(prices.iter().all(|price| *price < 1000), || {
        format!("a price outside 0..1000: {prices:?}")
    })?;
    ensure(distinct.len() >= 10, || {
        format!("prices are not random: {prices:?}")
    })
}

/// The book's second subscriber: the filter `Company1` (as argument) and two
/// companies whose names are not prefixes of each other: only `Company1`.
pub fn filter_company1_receives_only_company1(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = start_publisher(bins, &[])?;
    let subscriber = run_subscriber(bins, &endpoint, 50, &["Company1"])?;
    expect_updates(&subscriber, 50)?;
    expect_first_words(&subscriber, &["Company1"])
}

/// The prefix problem: subscriptions match by prefix, so `Company1` also
/// receives `Company10` and `Company101`.
pub fn prefix_filter_also_matches_company10(bins: &Bins) -> Result<()> {
    let companies = "Company1,Company10,Company101";
    let (_publisher, endpoint) = start_publisher(bins, &["--companies", companies])?;
    let subscriber = run_subscriber(bins, &endpoint, 100, &["Company1"])?;
    expect_updates(&subscriber, 100)?;
    expect_first_words(&subscriber, &["Company1", "Company10", "Company101"])
}

/// The book's fix: the publisher puts `|` after the name, the subscriber
/// subscribes to `Company1|`, and only `Company1` matches. (The printed
/// publisher cut the delimiter off, so its fix could not work.)
pub fn delimiter_filter_matches_company1_only(bins: &Bins) -> Result<()> {
    let companies = "Company1,Company10,Company101";
    let (_publisher, endpoint) =
        start_publisher(bins, &["--companies", companies, "--delimiter", "|"])?;
    let subscriber = run_subscriber(bins, &endpoint, 100, &["--delimiter", "|", "Company1"])?;
    expect_updates(&subscriber, 100)?;
    expect_first_words(&subscriber, &["Company1|"])?;
    // The same filter written out by hand works the same.
    let by_hand = run_subscriber(bins, &endpoint, 20, &["Company1|"])?;
    expect_first_words(&by_hand, &["Company1|"])
}

/// The "very common error": a SUB socket that never subscribes receives
/// nothing, while a subscribed one on the same publisher receives plenty. The
/// unsubscribed one runs from before the subscribed one starts until after it
/// is done, then is stopped with Ctrl-C — no timing involved.
pub fn subscriber_without_subscription_receives_nothing(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = start_publisher(bins, &[])?;
    let mut deaf = bins.spawn(
        "ticker-subscriber",
        &["--connect", &endpoint, "--no-subscribe", "--count", "1"],
    )?;
    deaf.wait_stdout(COLLECTING, PATIENCE)?;
    let listening = run_subscriber(bins, &endpoint, 50, &[])?;
    expect_updates(&listening, 50)?;
    let deaf = deaf
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_updates(&deaf, 0)
}

/// A publisher keeps nothing for subscribers that are not there: one that
/// connects after the publisher has sent updates #0..#20 never sees them.
pub fn late_joiner_misses_first_messages(bins: &Bins) -> Result<()> {
    let (mut publisher, endpoint) = serve(
        bins,
        "ticker-publisher",
        &["--rate", "2000", "--numbered", "--verbose"],
    )?;
    publisher.wait_line_where(Stream::Stdout, PATIENCE, |line| {
        line.starts_with("Sending... ") && line.ends_with(" #20")
    })?;
    let late = run_subscriber(bins, &endpoint, 5, &[])?;
    let numbers: Vec<u64> = updates(&late)
        .iter()
        .map(|update| {
            let number = update.rsplit_once(" #").and_then(|(_, n)| n.parse().ok());
            number.ok_or_else(|| Failure::new(format!("no number in {update:?}")))
        })
        .collect::<Result<_>>()?;
    ensure(
        numbers.len() == 5 && numbers.iter().all(|n| *n > 20),
        || format!("the late subscriber got updates sent before it existed: {numbers:?}"),
    )
}

/// `--bind` twice, as the book's last publisher binds TCP and IPC: one
/// publisher, a subscriber on each endpoint, both served.
pub fn publisher_binds_tcp_and_ipc_at_once(bins: &Bins) -> Result<()> {
    let ipc = unique_ipc_endpoint("stock");
    let (mut publisher, tcp) = start_publisher(bins, &["--bind", &ipc])?;
    let second = publisher.bound_endpoint(PATIENCE)?;
    ensure(second == ipc, || {
        format!("second bind was {second}, not {ipc}")
    })?;
    for endpoint in [&tcp, &ipc] {
        expect_updates(&run_subscriber(bins, endpoint, 5, &[])?, 5)?;
    }
    Ok(())
}

/// An update that is not UTF-8 is printed with replacement characters, exactly
/// its own bytes (the printed subscriber read past the end of the buffer). The
/// publisher here is the harness's own XPUB socket, which receives each
/// subscription: once it has the subscriber's, what it sends is delivered.
pub fn non_utf8_update_is_printed_lossily(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (publisher, endpoint) = bound_socket(&context, zmq::XPUB)?;
    let subscriber = bins.spawn(
        "ticker-subscriber",
        &["--connect", &endpoint, "--count", "2"],
    )?;
    // A subscription arrives as 0x01 followed by the prefix (here empty).
    let subscription = retrying(|| publisher.recv_bytes(0))?;
    ensure(subscription == [1], || {
        format!("expected the empty subscription, got {subscription:?}")
    })?;
    for _ in 0..2 {
        publisher
            .send(&b"\xffCompany1 5\xfe"[..], 0)
            .map_err(zmq_failure)?;
    }
    let subscriber = subscriber.wait_exit(PATIENCE)?.expect_success()?;
    let expected = "\u{fffd}Company1 5\u{fffd}";
    ensure(updates(&subscriber) == [expected, expected], || {
        format!("expected {expected:?} twice: {:?}", subscriber.stdout)
    })
}

// ---------------------------------------------------------------------------
// The pipeline: ventilator, workers, sink
// ---------------------------------------------------------------------------

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

/// Divide and conquer: 24 tasks of 50 ms each take four workers at least 2.5
/// times less time than one (ideally 4), as the sink measures it.
pub fn four_workers_finish_faster_than_one(bins: &Bins) -> Result<()> {
    // Long enough tasks that a loaded machine's scheduling delays (a few ms per
    // wake-up) do not eat the ratio: 1.2 s of work, 0.3 s with four workers.
    let fixed = ["--min-workload-ms", "50", "--max-workload-ms", "50"];
    let one = batch_time(&run_batch(bins, 1, 24, &fixed, &[])?)?;
    let four = batch_time(&run_batch(bins, 4, 24, &fixed, &[])?)?;
    ensure(one as f64 >= 2.5 * four as f64, || {
        format!("one worker took {one} ms, four took {four} ms: not 2.5 times faster")
    })
}

/// The sink's `Total elapsed time`, in milliseconds.
fn batch_time(batch: &Batch) -> Result<u64> {
    let times = batch
        .sink
        .lines_after(Stream::Stdout, "Total elapsed time: ");
    times
        .first()
        .and_then(|time| time.strip_suffix(" msec")?.parse().ok())
        .ok_or_else(|| Failure::new(format!("no elapsed time: {:?}", batch.sink.stdout)))
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
    let (ventilator, tasks_endpoint) = bound_socket(&context, zmq::PUSH)?;
    let (sink, sink_endpoint) = bound_socket(&context, zmq::PULL)?;
    let worker = bins.spawn(
        "task-worker",
        &[
            "--ventilator",
            &tasks_endpoint,
            "--sink",
            &sink_endpoint,
            "--max-work-ms",
            "50",
        ],
    )?;
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
        "\"\u{fffd}\u{fffd}\"",
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

// ---------------------------------------------------------------------------
// The context's lifecycle: lingering messages
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Signals and heap
// ---------------------------------------------------------------------------

/// Each long-running program of the chapter, started so that it blocks, with
/// the line it prints once it is blocking (after its signal handlers are in).
fn blocked_programs(bins: &Bins, profiled: bool) -> Result<Vec<Running>> {
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

/// The same, under heap profiling: nothing the programs allocated is lost.
pub fn no_heap_lost_after_sigint(bins: &Bins) -> Result<()> {
    let mut programs = blocked_programs(bins, true)?;
    // All at once: writing a profile takes a while.
    for program in &mut programs {
        program.interrupt()?;
    }
    for program in programs {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_success()?)?;
    }
    Ok(())
}

/// The book's Valgrind check, with dhat: after a bounded run, no program of
/// the chapter leaves a block it allocated behind.
pub fn no_heap_lost_after_bounded_runs(bins: &Bins) -> Result<()> {
    // A bounded publisher publishes to nobody; the subscriber gets its updates
    // from an unbounded one (it might join a bounded one too late).
    let publisher =
        bins.spawn_profiled("ticker-publisher", &["--bind", ANY_PORT, "--count", "2000"])?;
    let (_unbounded, ticker) = start_publisher(bins, &[])?;
    let subscriber =
        bins.spawn_profiled("ticker-subscriber", &["--connect", &ticker, "--count", "5"])?;
    let (sink, sink_endpoint) = serve_profiled(bins, "task-sink", &["--tasks", "4"])?;
    let (ventilator, tasks_endpoint) = serve_profiled(
        bins,
        "task-ventilator",
        &[
            "--sink",
            &sink_endpoint,
            "--no-wait",
            "--workers",
            "1",
            "--tasks",
            "4",
        ],
    )?;
    let worker = bins.spawn_profiled(
        "task-worker",
        &[
            "--ventilator",
            &tasks_endpoint,
            "--sink",
            &sink_endpoint,
            "--count",
            "4",
            "--max-work-ms",
            "1",
        ],
    )?;
    let demo = bins.spawn_profiled("heap-leak-demo", &["--no-leak"])?;
    // All at once: writing a profile takes a while.
    for program in [subscriber, publisher, worker, ventilator, sink, demo] {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_success()?)?;
    }
    Ok(())
}

/// The leak check finds the demo's leak, exactly: 4 bytes in 1 block (the
/// book's `malloc(4)`), or as many bytes as asked; none with `--no-leak`.
pub fn heap_leak_demo_loses_exactly_its_leak(bins: &Bins) -> Result<()> {
    for (args, bytes) in [(&[][..], 4), (&["--bytes", "1000"][..], 1000)] {
        let demo = bins.spawn_profiled("heap-leak-demo", args)?;
        let demo = demo.wait_exit(PATIENCE)?.expect_success()?;
        expect_line(&demo, &format!("leaking {bytes} bytes"))?;
        let heap = demo
            .heap
            .ok_or_else(|| Failure::new("heap-leak-demo ran without a profile"))?;
        ensure(heap.definitely_lost == Amount { bytes, blocks: 1 }, || {
            format!("expected {bytes} bytes in 1 block definitely lost:\n{heap}")
        })?;
        ensure(
            heap.lost_stacks
                .iter()
                .any(|(_, stack)| stack.iter().any(|frame| frame.contains("heap_leak_demo"))),
            || format!("the lost block's stack does not name the demo:\n{heap}"),
        )?;
    }
    let demo = bins.spawn_profiled("heap-leak-demo", &["--no-leak"])?;
    let demo = demo.wait_exit(PATIENCE)?.expect_success()?;
    expect_line(&demo, "freeing 4 bytes")?;
    expect_no_heap_lost(demo)
}

// ---------------------------------------------------------------------------
// The book's default ports (run alone: they take fixed ports)
// ---------------------------------------------------------------------------

/// With no endpoint options the ticker talks on the book's port 4040.
pub fn ticker_defaults_talk_on_port_4040(bins: &Bins) -> Result<()> {
    let mut publisher = bins.spawn("ticker-publisher", &["--rate", TEST_RATE])?;
    let endpoint = publisher.bound_endpoint(PATIENCE)?;
    ensure(endpoint == "tcp://0.0.0.0:4040", || {
        format!("the publisher bound {endpoint}, not the book's tcp://*:4040")
    })?;
    let subscriber = bins.run("ticker-subscriber", &[] as &[&str], PATIENCE)?;
    expect_updates(&subscriber.expect_success()?, 10)
}

/// With no endpoint options the pipeline uses the book's ports: tasks on
/// 4040, results on 5050.
pub fn pipeline_defaults_use_ports_4040_and_5050(bins: &Bins) -> Result<()> {
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

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

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

/// Fails unless `finished` printed exactly `line` on stdout.
fn expect_line(finished: &Finished, line: &str) -> Result<()> {
    ensure(
        finished.stdout.iter().any(|printed| printed == line),
        || {
            format!(
                "{}: no line {line:?} on stdout: {:?}",
                finished.name, finished.stdout
            )
        },
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
