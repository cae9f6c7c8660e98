//! Chapter 4, heartbeating: a server notices a dead worker by its silence,
//! and a worker finds a restarted server again, backing off while it waits.

use std::time::{Duration, Instant};

use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::{serve, unique_ipc_endpoint, STOP_WITHIN};
use crate::{ensure, Bins, Result, Stream, PATIENCE};

/// The lesson: a worker killed outright (SIGKILL: no goodbye) is reported
/// `expired` once it has missed `--liveness 10` beats of `--interval-ms 50`:
/// no sooner than 250 ms after the kill — half the nominal 500 ms, leaving
/// room for a last beat that a busy machine delayed, yet more than the
/// default liveness of 3 would allow — and within three times the nominal.
pub fn killed_worker_expires_after_its_missed_beats(bins: &Bins) -> Result<()> {
    let (mut server, endpoint) = serve(
        bins,
        "heartbeat-server",
        &["--interval-ms", "50", "--liveness", "10"],
    )?;
    let mut worker = bins.spawn(
        "heartbeat-worker",
        &["--connect", &endpoint, "--id", "w1", "--interval-ms", "50"],
    )?;
    server.wait_stdout("worker w1 joined", PATIENCE)?;
    worker.wait_stdout("connected", PATIENCE)?;
    worker.signal(libc::SIGKILL)?;
    let killed = Instant::now();
    server.wait_stdout("worker w1 expired", PATIENCE)?;
    let silence = killed.elapsed();
    let nominal = Duration::from_millis(500);
    ensure(silence >= nominal / 2 && silence <= nominal * 3, || {
        format!("expired {silence:?} after the kill (nominal {nominal:?})")
    })?;
    server
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}

/// A worker whose server dies declares it expired, and when a new server
/// is started on the same endpoint, the worker's next attempt finds it: the
/// new server sees it join, the worker prints `connected` again. A good
/// connection resets the backoff: when the second server dies too, the
/// worker's first wait is the initial `--interval-ms` again, as after the
/// first server — not the doubled wait that its failed attempts in between
/// would leave (`--max-backoff-ms 100`). The waits are the ones it prints.
pub fn worker_finds_a_restarted_server(bins: &Bins) -> Result<()> {
    const RECONNECTING: &str = "server expired; reconnecting in ";
    let endpoint = unique_ipc_endpoint("heartbeat");
    let server_args = ["--bind", &endpoint, "--interval-ms", "50"];
    let mut first = bins.spawn("heartbeat-server", &server_args)?;
    first.bound_endpoint(PATIENCE)?;
    let mut worker = bins.spawn(
        "heartbeat-worker",
        &[
            "--connect",
            &endpoint,
            "--id",
            "w2",
            "--interval-ms",
            "50",
            "--max-backoff-ms",
            "100",
        ],
    )?;
    first.wait_stdout("worker w2 joined", PATIENCE)?;
    worker.wait_stdout("connected", PATIENCE)?;
    let mut first_waits = Vec::new();
    first.signal(libc::SIGKILL)?;
    first_waits.push(worker.wait_stdout(RECONNECTING, PATIENCE)?);
    let mut second = bins.spawn("heartbeat-server", &server_args)?;
    second.wait_stdout("worker w2 joined", PATIENCE)?;
    // At least one failed attempt came between: the first server's death.
    worker.wait_stdout("connected", PATIENCE)?;
    second.signal(libc::SIGKILL)?;
    first_waits.push(worker.wait_stdout(RECONNECTING, PATIENCE)?);
    let waits: Vec<&str> = first_waits
        .iter()
        .map(|line| line.trim_start_matches(RECONNECTING))
        .collect();
    ensure(waits == ["50 ms", "50 ms"], || {
        format!("the first wait after each good connection: {waits:?}")
    })?;
    let mut third = bins.spawn("heartbeat-server", &server_args)?;
    third.wait_stdout("worker w2 joined", PATIENCE)?;
    worker.wait_stdout("connected", PATIENCE)?;
    worker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    third
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}

/// With no server at all, the worker declares it dead after `--liveness 4`
/// silent intervals of 40 ms (never sooner than 160 ms), and waits longer
/// before each new attempt: 40, 80, 160 ms, then `--max-backoff-ms 200`.
pub fn worker_backs_off_up_to_its_maximum(bins: &Bins) -> Result<()> {
    let nobody = unique_ipc_endpoint("heartbeat-nobody");
    let started = Instant::now();
    let mut worker = bins.spawn(
        "heartbeat-worker",
        &[
            "--connect",
            &nobody,
            "--interval-ms",
            "40",
            "--liveness",
            "4",
            "--max-backoff-ms",
            "200",
        ],
    )?;
    let mut waits = Vec::new();
    for _ in 0..5 {
        let line = worker.wait_stdout("server expired; reconnecting in ", PATIENCE)?;
        if waits.is_empty() {
            let first = started.elapsed();
            ensure(first >= Duration::from_millis(160), || {
                format!("the server was declared dead after {first:?}")
            })?;
        }
        waits.push(
            line.trim_start_matches("server expired; reconnecting in ")
                .to_string(),
        );
    }
    ensure(
        waits == ["40 ms", "80 ms", "160 ms", "200 ms", "200 ms"],
        || format!("the waits were {waits:?}"),
    )?;
    worker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}

/// The server reports messages that are not a heartbeat — several frames,
/// an empty frame, bytes that are not UTF-8 — and goes on: the same peer's
/// real beat then makes it join, and is answered.
pub fn server_reports_bad_beats_and_goes_on(bins: &Bins) -> Result<()> {
    let (mut server, endpoint) = serve(bins, "heartbeat-server", &["--interval-ms", "5000"])?;
    let context = zmq::Context::new();
    let peer = peer_socket(&context, zmq::DEALER)?;
    peer.set_identity(b"probe").map_err(zmq_failure)?;
    peer.connect(&endpoint).map_err(zmq_failure)?;
    let bad: [&[&[u8]]; 3] = [&[b"HEARTBEAT", b"x"], &[b""], &[b"\xffBEAT"]];
    for message in bad {
        retrying(|| peer.send_multipart(message.iter(), 0))?;
    }
    retrying(|| peer.send("HEARTBEAT", 0))?;
    server.wait_stdout("worker probe joined", PATIENCE)?;
    let answer = retrying(|| peer.recv_multipart(0))?;
    ensure(answer == [b"HEARTBEAT"], || {
        format!("answer was {answer:?}")
    })?;
    let server = server
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    let errors = server.lines_after(Stream::Stderr, "error: bad message from worker probe: ");
    ensure(
        errors.len() == 3 && errors[0].starts_with("2 frames"),
        || format!("expected 3 bad messages reported: {:?}", server.stderr),
    )
}

/// The worker reports server messages that are not a heartbeat and goes
/// on: the test's own ROUTER answers its first beats with junk, then with a
/// real beat, and only that one makes the worker print `connected`.
pub fn worker_reports_bad_beats_and_goes_on(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (router, endpoint) = bound_socket(&context, zmq::ROUTER)?;
    let mut worker = bins.spawn(
        "heartbeat-worker",
        &[
            "--connect",
            &endpoint,
            "--id",
            "w3",
            "--interval-ms",
            "5000",
        ],
    )?;
    let beat = retrying(|| router.recv_multipart(0))?;
    ensure(beat == [&b"w3"[..], b"HEARTBEAT"], || {
        format!("the worker's beat was {beat:?}")
    })?;
    let replies: [&[&[u8]]; 4] = [
        &[b"w3", b"HEARTBEAT", b"x"],
        &[b"w3", b""],
        &[b"w3", b"\xff"],
        &[b"w3", b"HEARTBEAT"],
    ];
    for reply in replies {
        retrying(|| router.send_multipart(reply.iter(), 0))?;
    }
    worker.wait_stdout("connected", PATIENCE)?;
    let worker = worker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    let errors = worker.lines_after(Stream::Stderr, "error: bad message from the server: ");
    ensure(
        errors.len() == 3 && errors[0].starts_with("2 frames"),
        || format!("expected 3 bad messages reported: {:?}", worker.stderr),
    )
}
