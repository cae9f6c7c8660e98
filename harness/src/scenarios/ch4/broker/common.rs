//! What every program of chapter 4's first half must do: `--help` with the
//! book's defaults, usage errors, Ctrl-C and SIGTERM in each blocking state,
//! and nothing lost on the heap.

use crate::scenarios::ch1::{expect_interrupted, expect_no_heap_lost};
use crate::scenarios::ch4::broker::rr::start_broker;
use crate::scenarios::{unique_ipc_endpoint, ANY_PORT, STOP_WITHIN};
use crate::{ensure, Bins, Result, Running, PATIENCE};

/// `--help` says what each program is, names the book's chapter, and lists
/// every option with the book's default.
pub fn help_names_the_book_defaults(bins: &Bins) -> Result<()> {
    let programs: [(&str, &[&str]); 6] = [
        (
            "rr-broker",
            &[
                "tcp://*:5559",
                "tcp://*:5560",
                "--count",
                "--verbose",
                "--proxy",
                "--max-msg-size",
            ],
        ),
        (
            "rr-client",
            &["tcp://localhost:5559", "--count", "[default: 10]", "--id"],
        ),
        (
            "rr-worker",
            &["tcp://localhost:5560", "--delay-ms", "[default: 0]", "--id"],
        ),
        (
            "mt-server",
            &[
                "tcp://*:4040",
                "--workers",
                "[default: 5]",
                "[default: 10]",
                "--count",
            ],
        ),
        (
            "envelope-publisher",
            &["tcp://*:4040", "--interval-ms", "[default: 10]", "--count"],
        ),
        (
            "envelope-subscriber",
            &[
                "tcp://localhost:4040",
                "[default: Company10]",
                "--exact",
                "--count",
            ],
        ),
    ];
    for (program, defaults) in programs {
        let help = bins.run(program, &["--help"], PATIENCE)?.expect_success()?;
        let text = help.stdout.join("\n");
        for expected in defaults.iter().chain(&["chapter 4"]) {
            ensure(text.contains(expected), || {
                format!("{program} --help lacks {expected:?}:\n{text}")
            })?;
        }
    }
    Ok(())
}

/// Contradictory or impossible options are usage errors: exit 2 and a
/// sentence from clap.
pub fn usage_errors_exit_2(bins: &Bins) -> Result<()> {
    for (program, args) in [
        ("rr-broker", &["--proxy", "--count", "3"][..]),
        ("rr-broker", &["--proxy", "--verbose"][..]),
        ("mt-server", &["--workers", "0"][..]),
        ("mt-server", &["--workers", "257"][..]),
        ("rr-worker", &["--delay-ms", "soon"][..]),
        ("envelope-subscriber", &["--max-msg-size", "10"][..]),
    ] {
        let finished = bins.run(program, args, PATIENCE)?.expect_code(2)?;
        ensure(
            finished.stderr.iter().any(|l| l.starts_with("error:")),
            || format!("{program} {args:?}: {:?}", finished.stderr),
        )?;
    }
    Ok(())
}

/// Every long-running program, started so that it blocks, in each state it
/// can block in, once it is there; and the helpers that keep them there
/// (chapter 1's `hello-client`), which are not checked.
fn blocked_programs(bins: &Bins, profiled: bool) -> Result<(Vec<Running>, Vec<Running>)> {
    let nobody = unique_ipc_endpoint("ch4-nobody");
    let spawn = |name: &str, args: &[&str]| {
        if profiled {
            bins.spawn_profiled(name, args)
        } else {
            bins.spawn(name, args)
        }
    };
    let mut blocked = Vec::new();
    // zmq_proxy waiting.
    let (proxy, _, _) = start_broker(bins, &["--proxy"], profiled)?;
    blocked.push(proxy);
    // A broker blocked passing a request on to no worker (it prints the
    // request just before), and its client waiting for the reply.
    let (mut broker, frontend, _) = start_broker(bins, &["--verbose"], profiled)?;
    let mut client = spawn("rr-client", &["--connect", &frontend, "--id", "c1"])?;
    broker.wait_stdout("request 3 frames", PATIENCE)?;
    client.wait_stdout("Sending: hello c1 0", PATIENCE)?;
    blocked.extend([broker, client]);
    // A broker waiting in its poll loop while a worker works on a long
    // request, and that worker.
    let (broker, frontend, backend) = start_broker(bins, &[], profiled)?;
    let mut worker = spawn(
        "rr-worker",
        &["--connect", &backend, "--id", "w1", "--delay-ms", "60000"],
    )?;
    worker.wait_stdout("Worker w1 ready", PATIENCE)?;
    let client = spawn("rr-client", &["--connect", &frontend, "--id", "c2"])?;
    worker.wait_stdout("Received: hello c2 0", PATIENCE)?;
    blocked.extend([broker, worker, client]);
    // A client blocked sending to nobody; a worker waiting for a request.
    let mut client = spawn("rr-client", &["--connect", &nobody, "--id", "c3"])?;
    client.wait_stdout("Sending: hello c3 0", PATIENCE)?;
    let mut worker = spawn("rr-worker", &["--connect", &nobody, "--id", "w2"])?;
    worker.wait_stdout("Worker w2 ready", PATIENCE)?;
    blocked.extend([client, worker]);
    // The threaded server idle, and one whose worker thread works on a long
    // request.
    let mut idle = spawn("mt-server", &["--bind", ANY_PORT])?;
    idle.bound_endpoint(PATIENCE)?;
    let mut busy = spawn("mt-server", &["--bind", ANY_PORT, "--delay-ms", "60000"])?;
    let endpoint = busy.bound_endpoint(PATIENCE)?;
    let helper = bins.spawn("hello-client", &["--connect", &endpoint])?;
    busy.wait_stdout("Received: hello", PATIENCE)?;
    blocked.extend([idle, busy]);
    // The publisher pausing between rounds; the subscriber waiting.
    let mut publisher = spawn(
        "envelope-publisher",
        &["--bind", ANY_PORT, "--interval-ms", "60000"],
    )?;
    publisher.wait_stdout("starting server", PATIENCE)?;
    let mut subscriber = spawn("envelope-subscriber", &["--connect", &nobody])?;
    subscriber.wait_stdout("Starting client...", PATIENCE)?;
    blocked.extend([publisher, subscriber]);
    Ok((blocked, vec![helper]))
}

/// Ctrl-C (or SIGTERM) stops every program in every state it blocks in:
/// `interrupted` on stderr, exit 0, within a second — the threaded server
/// with all its worker threads.
pub fn programs_stop_while_blocked(bins: &Bins, signal: i32) -> Result<()> {
    let (blocked, _helpers) = blocked_programs(bins, false)?;
    for program in blocked {
        let stopped = program.stop_with(signal, STOP_WITHIN)?.expect_success()?;
        expect_interrupted(&stopped)?;
    }
    Ok(())
}

/// The same under heap profiling: nothing any of them allocated is lost.
pub fn no_heap_lost_after_sigint(bins: &Bins) -> Result<()> {
    let (mut blocked, _helpers) = blocked_programs(bins, true)?;
    // All at once: writing a profile takes a while.
    for program in &mut blocked {
        program.interrupt()?;
    }
    for program in blocked {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_success()?)?;
    }
    Ok(())
}

/// After bounded runs (`--count`), nothing is lost either. (The threaded
/// server's bounded run is
/// [`super::threads::mt_server_stops_after_count_requests_with_nothing_lost`].)
pub fn no_heap_lost_after_bounded_runs(bins: &Bins) -> Result<()> {
    let (broker, frontend, backend) = start_broker(bins, &["--count", "2"], true)?;
    let worker = bins.spawn_profiled(
        "rr-worker",
        &["--connect", &backend, "--id", "w1", "--count", "2"],
    )?;
    let client = bins.spawn_profiled(
        "rr-client",
        &["--connect", &frontend, "--id", "c1", "--count", "2"],
    )?;
    let publisher = bins.spawn_profiled(
        "envelope-publisher",
        &["--bind", ANY_PORT, "--count", "20", "--interval-ms", "1"],
    )?;
    // The subscriber listens to an unbounded publisher: it could join a
    // bounded one too late.
    let (_unbounded, endpoint) =
        crate::scenarios::serve(bins, "envelope-publisher", &["--interval-ms", "1"])?;
    let subscriber = bins.spawn_profiled(
        "envelope-subscriber",
        &["--connect", &endpoint, "--count", "3"],
    )?;
    for program in [client, worker, broker, publisher, subscriber] {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_success()?)?;
    }
    Ok(())
}
