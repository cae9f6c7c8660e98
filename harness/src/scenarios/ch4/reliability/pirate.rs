//! Chapter 4, the lazy pirate: a client that retries on a fresh socket
//! survives a crashed, restarted or overloaded server, and gives up on a
//! missing one after its retries.

use std::time::Duration;

use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::{serve, unique_ipc_endpoint};
use crate::{ensure, Bins, Finished, Result, Stream, PATIENCE};

/// Fails unless the client received exactly the replies `1`…`count`, in
/// order, each once.
fn expect_replies(client: &Finished, count: u64) -> Result<()> {
    let got = client.lines_after(Stream::Stdout, "Received: ");
    let expected: Vec<String> = (1..=count).map(|n| n.to_string()).collect();
    ensure(got == expected, || {
        format!(
            "expected the replies {expected:?}, got {got:?}\n  stdout: {:?}\n  stderr: {:?}",
            client.stdout, client.stderr
        )
    })
}

/// How many times the client sent request `n`.
fn attempts(client: &Finished, n: u64) -> usize {
    let n = n.to_string();
    client
        .lines_after(Stream::Stdout, "Sending: ")
        .iter()
        .filter(|sent| **sent == n)
        .count()
}

/// The lesson: the server crashes after 3 replies (`--fail-after 3`, at
/// request 4) and a new one is started on the same endpoint as soon as the
/// first has exited. The client's request 4 times out, is sent again on a
/// new socket, reaches the new server — and every request gets exactly its
/// own reply.
pub fn client_recovers_from_a_crashed_and_restarted_server(bins: &Bins) -> Result<()> {
    let endpoint = unique_ipc_endpoint("pirate");
    let mut first = bins.spawn(
        "lazy-pirate-server",
        &["--bind", &endpoint, "--fail-after", "3"],
    )?;
    first.bound_endpoint(PATIENCE)?;
    let client = bins.spawn(
        "lazy-pirate-client",
        &[
            "--connect",
            &endpoint,
            "--count",
            "6",
            "--timeout-ms",
            "200",
            "--retries",
            "50",
        ],
    )?;
    let first = first.wait_exit(PATIENCE)?.expect_success()?;
    ensure(
        first.stdout.last().map(String::as_str) == Some("simulating a crash"),
        || format!("the first server did not crash: {:?}", first.stdout),
    )?;
    let second = bins.spawn("lazy-pirate-server", &["--bind", &endpoint, "--count", "3"])?;
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    expect_replies(&client, 6)?;
    ensure(attempts(&client, 4) >= 2, || {
        format!("request 4 was not sent again: {:?}", client.stdout)
    })?;
    let second = second.wait_exit(PATIENCE)?.expect_success()?;
    let served = second.lines_after(Stream::Stdout, "Received: ");
    ensure(served == ["4", "5", "6"], || {
        format!("the new server served {served:?}")
    })
}

/// An overloaded server (`--slow-every 10`: every tenth reply comes only
/// after `--slow-ms 300`, three timeouts later) costs retries, and the
/// retried request is served more than once: the requests the client's
/// thrown-away sockets had sent still wait in the server's queue, and it
/// answers them for nobody. The client still gets each reply once, in order.
pub fn client_survives_an_overloaded_server(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "lazy-pirate-server",
        &["--slow-every", "10", "--slow-ms", "300"],
    )?;
    let client = bins.run(
        "lazy-pirate-client",
        &[
            "--connect",
            &endpoint,
            "--count",
            "12",
            "--timeout-ms",
            "100",
            "--retries",
            "20",
        ],
        PATIENCE,
    )?;
    let client = client.expect_success()?;
    expect_replies(&client, 12)?;
    ensure(attempts(&client, 10) >= 2, || {
        format!("the slow request 10 was not retried: {:?}", client.stdout)
    })?;
    let server = server.stop_with(libc::SIGINT, PATIENCE)?.expect_success()?;
    let served_10 = server
        .lines_after(Stream::Stdout, "Received: ")
        .iter()
        .filter(|request| **request == "10")
        .count();
    ensure(
        served_10 >= 2
            && server
                .stdout
                .iter()
                .any(|l| l.starts_with("simulating overload")),
        || format!("request 10 was not served again: {:?}", server.stdout),
    )
}

/// With no server at all the client sends request 1 once and again
/// `--retries 2` times, each time waiting `--timeout-ms 100`, then gives up:
/// exit 1, a sentence, and at least 300 ms spent.
pub fn client_gives_up_after_its_retries(bins: &Bins) -> Result<()> {
    let nobody = unique_ipc_endpoint("pirate-nobody");
    let client = bins.run(
        "lazy-pirate-client",
        &[
            "--connect",
            &nobody,
            "--timeout-ms",
            "100",
            "--retries",
            "2",
        ],
        PATIENCE,
    )?;
    let client = client.expect_code(1)?;
    ensure(attempts(&client, 1) == 3, || {
        format!("expected 3 attempts: {:?}", client.stdout)
    })?;
    ensure(
        client
            .stderr
            .iter()
            .any(|line| line.starts_with("error: no good reply to request 1 after 2 retries")),
        || format!("no giving-up sentence: {:?}", client.stderr),
    )?;
    let least = Duration::from_millis(300);
    ensure(
        client.elapsed >= least && client.elapsed < least * 20,
        || format!("gave up after {:?}", client.elapsed),
    )
}

/// `--delay-ms` slows every reply and `--timeout-ms` is how long the client
/// waits: a 300 ms server is too slow for a 50 ms client that retries once,
/// and fast enough for a 5 s one.
pub fn timeout_decides_whether_a_slow_server_is_dead(bins: &Bins) -> Result<()> {
    let (_server, endpoint) = serve(bins, "lazy-pirate-server", &["--delay-ms", "300"])?;
    let run = |timeout: &str| {
        bins.run(
            "lazy-pirate-client",
            &[
                "--connect",
                &endpoint,
                "--count",
                "1",
                "--timeout-ms",
                timeout,
                "--retries",
                "1",
            ],
            PATIENCE,
        )
    };
    run("50")?.expect_code(1)?;
    expect_replies(&run("5000")?.expect_success()?, 1)
}

/// The server echoes whatever comes — several frames, an empty frame, bytes
/// that are not UTF-8 — reporting a request that is not one frame, and goes
/// on to serve a client.
pub fn server_echoes_bad_requests_and_goes_on(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "lazy-pirate-server", &["--count", "4"])?;
    let context = zmq::Context::new();
    let peer = peer_socket(&context, zmq::REQ)?;
    peer.connect(&endpoint).map_err(zmq_failure)?;
    let requests: [&[&[u8]]; 3] = [&[b"a", b"b", b"c"], &[b""], &[b"\xfe\xff"]];
    for request in requests {
        retrying(|| peer.send_multipart(request.iter(), 0))?;
        let reply = retrying(|| peer.recv_multipart(0))?;
        ensure(reply == request, || {
            format!("sent {request:?}, got back {reply:?}")
        })?;
    }
    let client = bins.run(
        "lazy-pirate-client",
        &["--connect", &endpoint, "--count", "1"],
        PATIENCE,
    )?;
    expect_replies(&client.expect_success()?, 1)?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    ensure(
        server
            .stderr
            .iter()
            .any(|line| line.contains("got 3 frames")),
        || format!("the 3-frame request was not reported: {:?}", server.stderr),
    )?;
    let received = server.lines_after(Stream::Stdout, "Received: ");
    ensure(received == ["", "\u{fffd}\u{fffd}", "1"], || {
        format!("the server printed {received:?}")
    })
}

/// A reply that is not the request's echo — several frames, empty, not
/// UTF-8 — is reported and the request sent again on a new socket; the
/// fourth attempt gets the right reply. The server is the test's own REP.
pub fn client_rejects_wrong_replies_and_retries(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (server, endpoint) = bound_socket(&context, zmq::REP)?;
    let client = bins.spawn(
        "lazy-pirate-client",
        &[
            "--connect",
            &endpoint,
            "--count",
            "1",
            "--timeout-ms",
            "5000",
            "--retries",
            "3",
        ],
    )?;
    let replies: [&[&[u8]]; 4] = [&[b"1", b"1"], &[b""], &[b"\xff"], &[b"1"]];
    for reply in replies {
        let request = retrying(|| server.recv_multipart(0))?;
        ensure(request == [b"1"], || format!("request was {request:?}"))?;
        retrying(|| server.send_multipart(reply.iter(), 0))?;
    }
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    expect_replies(&client, 1)?;
    let bad = client.lines_after(Stream::Stderr, "error: bad reply to request 1: ");
    ensure(bad.len() == 3 && bad[0].starts_with("2 frames"), || {
        format!("expected 3 bad replies reported: {:?}", client.stderr)
    })
}
