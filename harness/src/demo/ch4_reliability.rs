//! The demos of chapter 4's reliability lessons: the high-water mark, the
//! lazy pirate, heartbeating and the suicidal snail.

use std::time::Duration;

use crate::demo::{Lesson, Stage};
use crate::scenarios::ch4::reliability::hwm::publisher_memory;
use crate::scenarios::{serve, unique_ipc_endpoint};
use crate::{Bins, Result, Running, PATIENCE};

/// The demos of chapter 4's reliability lessons.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        name: "hwm",
        about: "chapter 4: at the high-water mark a PUB drops, a PUSH waits; the publisher's memory with and without a mark",
        programs: &["hwm-publisher", "slow-subscriber"],
        run: hwm,
    },
    Lesson {
        name: "lazy-pirate",
        about: "chapter 4: a client that retries on a fresh socket outlives a server that crashes and restarts",
        programs: &["lazy-pirate-server", "lazy-pirate-client"],
        run: lazy_pirate,
    },
    Lesson {
        name: "heartbeat",
        about: "chapter 4: a heartbeat server sees a killed worker expire; a worker finds a restarted server",
        programs: &["heartbeat-server", "heartbeat-worker"],
        run: heartbeat,
    },
    Lesson {
        name: "snail",
        about: "chapter 4: the suicidal snail: a slow subscriber aborts (status 3), a fast one finishes",
        programs: &["snail-publisher", "snail-subscriber"],
        run: snail,
    },
];

/// A slow subscriber (5 ms a message, queues of 10) fed 500 messages of
/// 10 kB by a PUB, then by a PUSH; then the peak memory of a publisher that
/// nobody reads, with and without a mark.
pub fn hwm(bins: &Bins) -> Result<()> {
    for (what, pattern) in [
        (
            "PUB with --sndhwm 10: it never waits, the slow subscriber misses most messages",
            "pub",
        ),
        (
            "PUSH with --sndhwm 10: it waits for room, the slow subscriber gets every message",
            "push",
        ),
    ] {
        let mut stage = Stage::default();
        let (publisher, endpoint) = serve(
            bins,
            "hwm-publisher",
            &[
                "--pattern",
                pattern,
                "--subscribers",
                "1",
                "--interval-ms",
                "0",
                "--count",
                "500",
                "--size",
                "10000",
                "--linger-ms",
                "-1",
            ],
        )?;
        stage.enter(publisher);
        stage.narrate(what);
        let subscriber = bins.spawn(
            "slow-subscriber",
            &[
                "--connect",
                &endpoint,
                "--pattern",
                pattern,
                "--rcvhwm",
                "10",
                "--delay-ms",
                "5",
                "--idle-ms",
                "1000",
            ],
        )?;
        stage.enter(subscriber);
        stage.until_exit("hwm-publisher", PATIENCE)?;
        stage.until_exit("slow-subscriber", PATIENCE)?;
    }
    println!("--- peak resident memory of a publisher whose subscriber never reads (20000 messages of 2 kB)");
    for sndhwm in [10, 0] {
        let run = publisher_memory(bins, sndhwm, Duration::from_millis(5))?;
        println!(
            "--sndhwm {sndhwm:<2} ({}): {} KiB",
            if sndhwm == 0 {
                "no limit"
            } else {
                "the book's"
            },
            run.peak_kib
        );
    }
    Ok(())
}

/// A server that crashes at its fourth request, a client that waits 500 ms
/// a reply and retries 3 times, and a new server started on the same
/// endpoint once the first is gone.
pub fn lazy_pirate(bins: &Bins) -> Result<()> {
    let endpoint = unique_ipc_endpoint("lazy-pirate-demo");
    let mut stage = Stage::default();
    let server = |n: u32, args: &[&str]| {
        let mut all = vec!["--bind", &endpoint];
        all.extend_from_slice(args);
        Running::spawn(
            &format!("lazy-pirate-server-{n}"),
            bins.command("lazy-pirate-server", &all),
        )
    };
    let mut first = server(1, &["--fail-after", "3", "--delay-ms", "100"])?;
    first.bound_endpoint(PATIENCE)?;
    stage.enter(first);
    stage.narrate("the server will crash at request 4; the client retries on a new socket");
    let client = bins.spawn(
        "lazy-pirate-client",
        &[
            "--connect",
            &endpoint,
            "--count",
            "6",
            "--timeout-ms",
            "500",
            "--retries",
            "3",
        ],
    )?;
    stage.enter(client);
    stage.until_exit("lazy-pirate-server-1", PATIENCE)?;
    stage.narrate("a new server on the same endpoint");
    stage.enter(server(2, &["--count", "3", "--delay-ms", "100"])?);
    stage.until_exit("lazy-pirate-client", PATIENCE)?;
    stage.until_exit("lazy-pirate-server-2", PATIENCE)
}

/// A server and two workers beating every 200 ms: worker w1 is killed and
/// expires; then the server is killed, worker w2 backs off, and finds the
/// new server started on the same endpoint.
pub fn heartbeat(bins: &Bins) -> Result<()> {
    let endpoint = unique_ipc_endpoint("heartbeat-demo");
    let mut stage = Stage::default();
    let server = |n: u32| {
        Running::spawn(
            &format!("heartbeat-server-{n}"),
            bins.command(
                "heartbeat-server",
                &["--bind", &endpoint, "--interval-ms", "200"],
            ),
        )
    };
    let mut first = server(1)?;
    first.bound_endpoint(PATIENCE)?;
    stage.enter(first);
    for id in ["w1", "w2"] {
        let args = [
            "--connect",
            &endpoint,
            "--id",
            id,
            "--interval-ms",
            "200",
            "--max-backoff-ms",
            "800",
        ];
        let command = bins.command("heartbeat-worker", &args);
        stage.enter(Running::spawn(&format!("heartbeat-worker-{id}"), command)?);
        stage.wait_stdout(&format!("heartbeat-worker-{id}"), "connected", PATIENCE)?;
    }
    stage.narrate("SIGKILL to worker w1: no goodbye, only silence");
    stage.stop("heartbeat-worker-w1", libc::SIGKILL)?;
    stage.wait_stdout("heartbeat-server-1", "worker w1 expired", PATIENCE)?;
    stage.narrate("SIGKILL to the server: worker w2 hears nothing either");
    stage.stop("heartbeat-server-1", libc::SIGKILL)?;
    stage.wait_stdout("heartbeat-worker-w2", "reconnecting in 400 ms", PATIENCE)?;
    stage.narrate("a new server on the same endpoint");
    stage.enter(server(2)?);
    stage.wait_stdout("heartbeat-server-2", "worker w2 joined", PATIENCE)?;
    stage.wait_stdout("heartbeat-worker-w2", "connected", PATIENCE)?;
    stage.narrate("done; Ctrl-C (SIGINT) to the worker and the server");
    stage.stop("heartbeat-worker-w2", libc::SIGINT)?;
    stage.stop("heartbeat-server-2", libc::SIGINT)
}

/// The book's snail scaled down by 10: the time every 100 ms, 300 ms of
/// work per message, at most 400 ms late; then a subscriber that does no
/// work.
pub fn snail(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let (publisher, endpoint) = serve(bins, "snail-publisher", &["--interval-ms", "100"])?;
    stage.enter(publisher);
    stage.narrate("a subscriber working 300 ms per message, allowed 400 ms of lag");
    let snail = |label: &str, args: &[&str]| {
        let mut all = vec!["--connect", &endpoint];
        all.extend_from_slice(args);
        Running::spawn(label, bins.command("snail-subscriber", &all))
    };
    stage.enter(snail(
        "snail-subscriber-slow",
        &["--work-ms", "300", "--max-lag-ms", "400"],
    )?);
    stage.until_exit("snail-subscriber-slow", PATIENCE)?;
    stage.narrate("a subscriber that does no work keeps up");
    stage.enter(snail(
        "snail-subscriber-fast",
        &["--work-ms", "0", "--count", "5"],
    )?);
    stage.until_exit("snail-subscriber-fast", PATIENCE)?;
    stage.stop("snail-publisher", libc::SIGINT)
}
