//! Chapter 4's reliability programs end cleanly: on SIGINT and SIGTERM in
//! every state they block in, and with nothing of the heap lost, whether they
//! finish, give up, abort or are interrupted.

use crate::scenarios::book_ports::BookPorts;
use crate::scenarios::ch1::{expect_interrupted, expect_no_heap_lost};
use crate::scenarios::{unique_ipc_endpoint, ANY_PORT, STOP_WITHIN};
use crate::{ensure, Bins, Result, Running, PATIENCE};

/// Every blocking state of every program, each started and waited into:
/// the program, its arguments (`{nobody}` is an endpoint nobody binds), and
/// the line it prints once it is there (or on its way there).
const BLOCKED: &[(&str, &[&str], &str)] = &[
    // Waiting for a subscription.
    (
        "hwm-publisher",
        &["--bind", ANY_PORT, "--subscribers", "1"],
        "waiting for 1 subscribers",
    ),
    // Sleeping between messages.
    (
        "hwm-publisher",
        &["--bind", ANY_PORT, "--interval-ms", "100000"],
        "bound ",
    ),
    // Blocked sending: a PUSH with no peer.
    (
        "hwm-publisher",
        &["--bind", ANY_PORT, "--pattern", "push"],
        "bound ",
    ),
    // Blocked sending with a deadline (100 s away).
    (
        "hwm-publisher",
        &[
            "--bind",
            ANY_PORT,
            "--pattern",
            "push",
            "--send-timeout-ms",
            "100000",
        ],
        "bound ",
    ),
    // Waiting for a message.
    (
        "slow-subscriber",
        &["--connect", "{nobody}"],
        "receiving...",
    ),
    // Waiting for a reply (100 s: a slow machine must not see it give up).
    (
        "lazy-pirate-client",
        &["--connect", "{nobody}", "--timeout-ms", "100000"],
        "Sending: 1",
    ),
    // Waiting for a request.
    ("lazy-pirate-server", &["--bind", ANY_PORT], "bound "),
    // Polling for beats.
    ("heartbeat-server", &["--bind", ANY_PORT], "bound "),
    // Polling for the server's beats.
    (
        "heartbeat-worker",
        &["--connect", "{nobody}"],
        "connecting to",
    ),
    // Waiting before reconnecting (1.2 s, longer than the stop may take).
    (
        "heartbeat-worker",
        &[
            "--connect",
            "{nobody}",
            "--interval-ms",
            "1200",
            "--liveness",
            "1",
        ],
        "server expired; reconnecting in 1200 ms",
    ),
    // Sleeping between messages.
    ("snail-publisher", &["--bind", ANY_PORT], "bound "),
    // Waiting for a message.
    (
        "snail-subscriber",
        &["--connect", "{nobody}"],
        "Getting data...",
    ),
];

/// Starts every program of [`BLOCKED`], plus the pairs whose blocking state
/// needs a peer — a subscriber and a server sleeping over their work — and
/// waits until each is (or is about to be) blocked.
fn blocked_programs(bins: &Bins, profiled: bool) -> Result<Vec<Running>> {
    let nobody = unique_ipc_endpoint("nobody");
    let spawn = |name: &str, args: &[&str]| {
        let args: Vec<&str> = args
            .iter()
            .map(|arg| if *arg == "{nobody}" { &nobody[..] } else { arg })
            .collect();
        if profiled {
            bins.spawn_profiled(name, &args)
        } else {
            bins.spawn(name, &args)
        }
    };
    let mut started = Vec::new();
    for (name, args, line) in BLOCKED {
        let mut program = spawn(name, args)?;
        program.wait_stdout(line, PATIENCE)?;
        started.push(program);
    }
    // A server working 100 s on a request, and its client waiting.
    let mut server = spawn(
        "lazy-pirate-server",
        &["--bind", ANY_PORT, "--delay-ms", "100000"],
    )?;
    let endpoint = server.bound_endpoint(PATIENCE)?;
    let mut client = spawn(
        "lazy-pirate-client",
        &["--connect", &endpoint, "--timeout-ms", "100000"],
    )?;
    server.wait_stdout("Received: 1", PATIENCE)?;
    client.wait_stdout("Sending: 1", PATIENCE)?;
    started.extend([server, client]);
    // A snail working 100 s on a message.
    let mut publisher = spawn(
        "snail-publisher",
        &["--bind", ANY_PORT, "--interval-ms", "20"],
    )?;
    let endpoint = publisher.bound_endpoint(PATIENCE)?;
    let mut snail = spawn(
        "snail-subscriber",
        &["--connect", &endpoint, "--work-ms", "100000"],
    )?;
    snail.wait_stdout("ms late", PATIENCE)?;
    started.extend([publisher, snail]);
    // A slow subscriber taking 100 s over a message.
    let feed = unique_ipc_endpoint("slow-feed");
    let mut subscriber = spawn(
        "slow-subscriber",
        &[
            "--connect",
            &feed,
            "--pattern",
            "push",
            "--delay-ms",
            "100000",
        ],
    )?;
    subscriber.wait_stdout("receiving...", PATIENCE)?;
    let pusher = spawn(
        "hwm-publisher",
        &[
            "--bind",
            &feed,
            "--pattern",
            "push",
            "--count",
            "1",
            "--linger-ms",
            "-1",
        ],
    )?;
    pusher.wait_exit(PATIENCE)?.expect_success()?;
    started.push(subscriber);
    Ok(started)
}

/// SIGINT or SIGTERM stops every reliability program in every state it
/// blocks in: `interrupted` on stderr, exit 0, within a second.
pub fn programs_stop_while_blocked(bins: &Bins, signal: i32) -> Result<()> {
    let programs = blocked_programs(bins, false)?;
    for program in programs {
        let stopped = program.stop_with(signal, STOP_WITHIN)?.expect_success()?;
        expect_interrupted(&stopped)?;
    }
    Ok(())
}

/// The same under heap profiling: after Ctrl-C, nothing is lost.
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

/// The book's Valgrind check, with dhat, after every way a run can end by
/// itself: done (`--count`), given up (the pirate's exit 1) and aborted (the
/// snail's exit 3).
pub fn no_heap_lost_after_bounded_runs(bins: &Bins) -> Result<()> {
    let nobody = unique_ipc_endpoint("nobody");
    let mut ended: Vec<(Running, i32)> = Vec::new();
    // The high-water mark pair, over PUSH so nothing is dropped; the
    // subscriber stops at the end marker, so the PUSH is never left without
    // a peer for its last message.
    let feed = unique_ipc_endpoint("bounded-feed");
    let mut subscriber = bins.spawn_profiled(
        "slow-subscriber",
        &["--connect", &feed, "--pattern", "push", "--delay-ms", "0"],
    )?;
    subscriber.wait_stdout("receiving...", PATIENCE)?;
    let pusher = bins.spawn_profiled(
        "hwm-publisher",
        &[
            "--bind",
            &feed,
            "--pattern",
            "push",
            "--count",
            "3",
            "--interval-ms",
            "0",
        ],
    )?;
    ended.extend([(subscriber, 0), (pusher, 0)]);
    let publisher = bins.spawn_profiled(
        "hwm-publisher",
        &["--bind", ANY_PORT, "--count", "100", "--interval-ms", "0"],
    )?;
    ended.push((publisher, 0));
    // The lazy pirate: served, and given up.
    let (server, endpoint) =
        crate::scenarios::serve_profiled(bins, "lazy-pirate-server", &["--count", "2"])?;
    let client = bins.spawn_profiled(
        "lazy-pirate-client",
        &["--connect", &endpoint, "--count", "2"],
    )?;
    let quitter = bins.spawn_profiled(
        "lazy-pirate-client",
        &["--connect", &nobody, "--timeout-ms", "20", "--retries", "1"],
    )?;
    ended.extend([(server, 0), (client, 0), (quitter, 1)]);
    // The snail: a bounded publisher, a subscriber that finishes and one
    // that aborts (fed by an unbounded publisher, dropped at the end).
    let timer = bins.spawn_profiled(
        "snail-publisher",
        &["--bind", ANY_PORT, "--count", "3", "--interval-ms", "10"],
    )?;
    ended.push((timer, 0));
    let (_clock, clock) =
        crate::scenarios::serve(bins, "snail-publisher", &["--interval-ms", "20"])?;
    let done = bins.spawn_profiled(
        "snail-subscriber",
        &["--connect", &clock, "--work-ms", "0", "--count", "2"],
    )?;
    let aborted = bins.spawn_profiled(
        "snail-subscriber",
        &[
            "--connect",
            &clock,
            "--work-ms",
            "60",
            "--max-lag-ms",
            "80",
            "--count",
            "0",
        ],
    )?;
    ended.extend([(done, 0), (aborted, 3)]);
    for (program, code) in ended {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_code(code)?)?;
    }
    Ok(())
}

/// With no endpoint options every pair talks on the book's port 4040, as the
/// book's listings do (holding the [`BookPorts`] lock: the port is fixed).
pub fn defaults_talk_on_port_4040(bins: &Bins) -> Result<()> {
    let _ports = BookPorts::lock()?;
    let book = "tcp://0.0.0.0:4040";
    let expect_book_port = |program: &mut Running| -> Result<()> {
        let endpoint = program.bound_endpoint(PATIENCE)?;
        ensure(endpoint == book, || {
            format!(
                "{} bound {endpoint}, not the book's tcp://*:4040",
                program.name()
            )
        })
    };
    // The high-water mark pair.
    let mut publisher = bins.spawn(
        "hwm-publisher",
        &["--subscribers", "1", "--count", "5", "--interval-ms", "0"],
    )?;
    expect_book_port(&mut publisher)?;
    let subscriber = bins.run("slow-subscriber", &["--delay-ms", "0"], PATIENCE)?;
    let subscriber = subscriber.expect_success()?;
    ensure(
        subscriber
            .stdout
            .contains(&"end of the run: 5 messages were sent".to_string()),
        || format!("slow-subscriber: {:?}", subscriber.stdout),
    )?;
    publisher.wait_exit(PATIENCE)?.expect_success()?;
    // The lazy pirate.
    let mut server = bins.spawn("lazy-pirate-server", &["--count", "1"])?;
    expect_book_port(&mut server)?;
    let client = bins.run("lazy-pirate-client", &["--count", "1"], PATIENCE)?;
    client.expect_success()?;
    server.wait_exit(PATIENCE)?.expect_success()?;
    // Heartbeating.
    let mut server = bins.spawn("heartbeat-server", &[] as &[&str])?;
    expect_book_port(&mut server)?;
    let mut worker = bins.spawn("heartbeat-worker", &["--id", "book"])?;
    server.wait_stdout("worker book joined", PATIENCE)?;
    worker.wait_stdout("connected", PATIENCE)?;
    worker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    server
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    // The suicidal snail.
    let mut publisher = bins.spawn("snail-publisher", &[] as &[&str])?;
    expect_book_port(&mut publisher)?;
    let subscriber = bins.run(
        "snail-subscriber",
        &["--work-ms", "0", "--count", "1"],
        PATIENCE,
    )?;
    subscriber.expect_success()?;
    publisher
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}
