//! Chapter 4, the multithreaded server: worker threads really work in
//! parallel, and every one of them stops with the process.

use std::time::{Duration, Instant};

use crate::scenarios::book_ports::BookPorts;
use crate::scenarios::ch1::{expect_lines, expect_no_heap_lost, expect_worlds};
use crate::scenarios::ch4::broker::rr::{recv_frames, send_frames};
use crate::scenarios::peer::{peer_socket, zmq_failure};
use crate::scenarios::{serve, serve_profiled, side_by_side, STOP_WITHIN};
use crate::{ensure, Bins, Result, Stream, PATIENCE};

/// Ten requests at once — from the harness's own DEALER socket, each with the
/// empty delimiter a REQ would add — against an `mt-server` with `workers`
/// threads that work 100 ms per request: how long from sending them to the
/// tenth `world`. Only the server's parallelism is timed, not the start-up of
/// client processes (which on a loaded machine took most of the difference).
fn ten_requests_at_once(bins: &Bins, workers: &str) -> Result<Duration> {
    let (server, endpoint) = serve(
        bins,
        "mt-server",
        &["--workers", workers, "--delay-ms", "100"],
    )?;
    let context = zmq::Context::new();
    let client = peer_socket(&context, zmq::DEALER)?;
    client.connect(&endpoint).map_err(zmq_failure)?;
    // One round trip first, so the connection is up before the clock starts.
    send_frames(&client, &[b"", b"hello"])?;
    recv_frames(&client)?;
    let started = Instant::now();
    for _ in 0..10 {
        send_frames(&client, &[b"", b"hello"])?;
    }
    for _ in 0..10 {
        let reply = recv_frames(&client)?;
        ensure(reply == [b"".to_vec(), b"world".to_vec()], || {
            format!("expected an empty delimiter and world: {reply:?}")
        })?;
    }
    let elapsed = started.elapsed();
    let server = server
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_lines(&server, "Received: ", &["hello"; 11])?;
    Ok(elapsed)
}

/// The threads work in parallel: ten requests of 100 ms each take ten
/// times 100 ms with one worker thread, and a fraction of that with ten.
/// Measured as a ratio of the two runs, with a generous margin (ideal: 10).
/// The two servers run at the same time, side by side, so both see the same
/// machine however busy other tests keep it.
pub fn mt_server_threads_serve_in_parallel(bins: &Bins) -> Result<()> {
    let (one, ten) = side_by_side(
        || ten_requests_at_once(bins, "1"),
        || ten_requests_at_once(bins, "10"),
    )?;
    let speedup = one.as_secs_f64() / ten.as_secs_f64();
    ensure(speedup >= 2.5, || {
        format!("10 threads took {ten:?}, 1 thread {one:?}: a speed-up of only {speedup:.2}")
    })
}

/// `--count 3` serves three requests and exits 0 by itself, every worker
/// thread stopped and joined, with nothing lost on the heap (dhat).
pub fn mt_server_stops_after_count_requests_with_nothing_lost(bins: &Bins) -> Result<()> {
    let (server, endpoint) =
        serve_profiled(bins, "mt-server", &["--count", "3", "--delay-ms", "0"])?;
    let client = bins.run(
        "hello-client",
        &["--connect", &endpoint, "--count", "3"],
        PATIENCE,
    )?;
    expect_worlds(&client.expect_success()?, 3)?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(&server, "Received: ", &["hello"; 3])?;
    expect_no_heap_lost(server)
}

/// What a DEALER can send the server's ROUTER: a message with no envelope
/// is dropped by the main thread (`error: dropped request`), one over
/// `--max-msg-size` in all too; a two-frame body is one bad request for a
/// worker (`error: bad request`, one reply `world`); a body that is not
/// UTF-8 is printed lossily, an empty one as nothing. A `hello-client` is served afterwards.
pub fn mt_server_survives_malformed_requests(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "mt-server",
        &[
            "--workers",
            "2",
            "--delay-ms",
            "0",
            "--max-msg-size",
            "1000",
        ],
    )?;
    let context = zmq::Context::new();
    let dealer = peer_socket(&context, zmq::DEALER)?;
    dealer.connect(&endpoint).map_err(zmq_failure)?;
    send_frames(&dealer, &[b"hello"])?;
    send_frames(&dealer, &[b"", &[b'a'; 600], &[b'b'; 600]])?;
    for request in [&[&b""[..], b"a", b"b"][..], &[b"", b"\xff"], &[b"", b""]] {
        send_frames(&dealer, request)?;
        let reply = recv_frames(&dealer)?;
        ensure(reply == [&b""[..], b"world"], || {
            format!("{request:?} got {reply:?}")
        })?;
    }
    let client = bins.run(
        "hello-client",
        &["--connect", &endpoint, "--count", "1"],
        PATIENCE,
    )?;
    expect_worlds(&client.expect_success()?, 1)?;
    let server = server
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_lines(&server, "Received: ", &["\u{fffd}", "", "hello"])?;
    let dropped = server.lines_after(Stream::Stderr, "error: dropped request ");
    let bad = server.lines_after(Stream::Stderr, "error: bad request 2 frames");
    ensure(
        dropped.len() == 2 && dropped[1].contains("over --max-msg-size") && bad.len() == 1,
        || format!("server stderr: {:?}", server.stderr),
    )
}

/// With no options the server binds the book's port 4040, starts 5 worker
/// threads that work 10 ms, and serves chapter 1's `hello-client` with its
/// own defaults (holding the [`BookPorts`] lock).
pub fn mt_server_default_serves_hello_client_on_port_4040(bins: &Bins) -> Result<()> {
    let _ports = BookPorts::lock()?;
    let mut server = bins.spawn("mt-server", &["--count", "10"])?;
    let bound = server.bound_endpoint(PATIENCE)?;
    ensure(bound == "tcp://0.0.0.0:4040", || {
        format!("bound {bound}, not the book's tcp://*:4040")
    })?;
    let client = bins.run("hello-client", &[] as &[&str], PATIENCE)?;
    expect_worlds(&client.expect_success()?, 10)?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(&server, "Received: ", &["hello"; 10])
}
