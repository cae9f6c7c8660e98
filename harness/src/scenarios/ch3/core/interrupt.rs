//! Chapter 3, interrupts: a REP/REQ pair that SIGINT and SIGTERM stop
//! cleanly in every state, and the server's echo mode.

use std::time::Duration;

use crate::scenarios::ch1::expect_interrupted;
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::whole_messages::{expect_survived, HOSTILE, THREE_FRAMES};
use crate::scenarios::{serve, unique_ipc_endpoint, STOP_WITHIN};
use crate::{ensure, Bins, Result, Stream, PATIENCE};

use super::send_until_dropped;

/// The pair talks: three `hello`s, three `world`s, both exit 0 after
/// `--count`.
pub fn interrupt_pair_exchanges_hello_and_world(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "interrupt-server", &["--count", "3"])?;
    let client = bins
        .run(
            "interrupt-client",
            &["--connect", &endpoint, "--count", "3", "--interval-ms", "0"],
            PATIENCE,
        )?
        .expect_success()?;
    ensure(
        client.lines_after(Stream::Stdout, "Received: ") == ["world"; 3],
        || format!("the client printed {:?}", client.stdout),
    )?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    ensure(
        server.lines_after(Stream::Stdout, "Received: ") == ["hello"; 3],
        || format!("the server printed {:?}", server.stdout),
    )
}

/// The book's client loses a Ctrl-C that lands in its `sleep(1)` — where it
/// spends nearly all its time. Here the signal ends the sleep and the
/// program: after its first reply, sleeping a minute, the client stops within
/// a second, exit 0, and sends no second request.
pub fn interrupt_client_stops_while_sleeping(bins: &Bins, signal: i32) -> Result<()> {
    let (mut server, endpoint) = serve(bins, "interrupt-server", &[])?;
    let mut client = bins.spawn(
        "interrupt-client",
        &["--connect", &endpoint, "--interval-ms", "60000"],
    )?;
    client.wait_stdout("Received: world", PATIENCE)?;
    let client = client.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&client)?;
    server.collect_output();
    let requests = server
        .lines(Stream::Stdout)
        .iter()
        .filter(|l| l.starts_with("Received: "))
        .count();
    ensure(requests == 1, || {
        format!("the server got {requests} requests")
    })
}

/// `--interval-ms` spaces the requests: 3 requests 150 ms apart take at
/// least 300 ms, and longer than 3 with no pause.
pub fn interrupt_client_interval_spaces_the_requests(bins: &Bins) -> Result<()> {
    let (_server, endpoint) = serve(bins, "interrupt-server", &[])?;
    let mut elapsed = Vec::new();
    for interval in ["0", "150"] {
        let client = bins
            .run(
                "interrupt-client",
                &[
                    "--connect",
                    &endpoint,
                    "--count",
                    "3",
                    "--interval-ms",
                    interval,
                ],
                PATIENCE,
            )?
            .expect_success()?;
        elapsed.push(client.elapsed);
    }
    ensure(
        elapsed[1] >= Duration::from_millis(300) && elapsed[1] > elapsed[0],
        || format!("no pause: {elapsed:?}"),
    )
}

/// `--echo` sends every request back whole — three frames, an empty frame,
/// bytes that are not UTF-8 — where the default replies `world`.
pub fn interrupt_server_echo_sends_each_request_back_whole(bins: &Bins) -> Result<()> {
    for (args, echo) in [(&["--echo"][..], true), (&[][..], false)] {
        let (_server, endpoint) = serve(bins, "interrupt-server", args)?;
        let context = zmq::Context::new();
        let requester = peer_socket(&context, zmq::REQ)?;
        requester.connect(&endpoint).map_err(zmq_failure)?;
        for request in HOSTILE.iter().copied().chain([&[&b"hello"[..]][..]]) {
            retrying(|| requester.send_multipart(request.iter().copied(), 0))?;
            let reply = retrying(|| requester.recv_multipart(0))?;
            let expected: Vec<Vec<u8>> = if echo {
                request.iter().map(|f| f.to_vec()).collect()
            } else {
                vec![b"world".to_vec()]
            };
            ensure(reply == expected, || {
                format!("{args:?}: request {request:?} got {reply:?}")
            })?;
        }
    }
    Ok(())
}

/// Without `--echo`, a three-frame request is one bad request (reported,
/// answered once); empty and non-UTF-8 ones are printed; then the client is
/// served as ever.
pub fn interrupt_server_survives_multiframe_empty_and_non_utf8_requests(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "interrupt-server", &["--count", "4"])?;
    let context = zmq::Context::new();
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    for request in HOSTILE {
        retrying(|| requester.send_multipart(request.iter().copied(), 0))?;
        retrying(|| requester.recv_multipart(0))?;
    }
    bins.run(
        "interrupt-client",
        &["--connect", &endpoint, "--count", "1"],
        PATIENCE,
    )?
    .expect_success()?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    let error = format!("error: bad request {THREE_FRAMES}");
    ensure(server.stderr.contains(&error), || {
        format!("no {error:?}: {:?}", server.stderr)
    })?;
    let received = server.lines_after(Stream::Stdout, "Received: ");
    ensure(received == ["", "\u{fffd}\u{fffd}", "hello"], || {
        format!("the server received {received:?}")
    })
}

/// The client takes a three-frame, an empty and a non-UTF-8 reply as one
/// reply each (the first reported), and sends its next request.
pub fn interrupt_client_survives_multiframe_empty_and_non_utf8_replies(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
    let client = bins.spawn(
        "interrupt-client",
        &["--connect", &endpoint, "--count", "4", "--interval-ms", "0"],
    )?;
    for reply in HOSTILE.iter().copied().chain([&[&b"world"[..]][..]]) {
        let request = retrying(|| replier.recv_multipart(0))?;
        ensure(request == [b"hello".to_vec()], || {
            format!("expected hello, got {request:?}")
        })?;
        retrying(|| replier.send_multipart(reply.iter().copied(), 0))?;
    }
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    expect_survived(&client, "reply", "Received: ", "world")
}

/// `--max-msg-size` on the server: a request over it is dropped with its
/// connection, and the next client is served.
pub fn interrupt_server_refuses_a_request_over_max_msg_size(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "interrupt-server",
        &["--count", "1", "--max-msg-size", "1000"],
    )?;
    let context = zmq::Context::new();
    let greedy = peer_socket(&context, zmq::REQ)?;
    greedy.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| greedy.send(vec![b'x'; 100_000], 0))?;
    bins.run(
        "interrupt-client",
        &["--connect", &endpoint, "--count", "1"],
        PATIENCE,
    )?
    .expect_success()?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    ensure(
        server.lines_after(Stream::Stdout, "Received: ") == ["hello"],
        || format!("the server received {:?}", server.stdout),
    )
}

/// `--max-msg-size` on the client: a reply over it is refused — libzmq drops
/// the connection, which the harness's monitor sees — and never printed; the
/// client, still waiting for its reply, stops on Ctrl-C.
pub fn interrupt_client_refuses_a_reply_over_max_msg_size(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
    let mut client = bins.spawn(
        "interrupt-client",
        &[
            "--connect",
            &endpoint,
            "--count",
            "1",
            "--max-msg-size",
            "1000",
        ],
    )?;
    retrying(|| replier.recv_bytes(0))?;
    let monitor = send_until_dropped(&context, &replier, &vec![b'x'; 100_000])?;
    client.collect_output();
    ensure(!client.has_exited(), || {
        "the client took the reply and exited".into()
    })?;
    let client = client
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    drop(replier);
    drop(monitor);
    ensure(
        client.lines_after(Stream::Stdout, "Received: ").is_empty(),
        || {
            format!(
                "the oversized reply was printed: {} lines",
                client.stdout.len()
            )
        },
    )?;
    expect_interrupted(&client)
}

/// A client that nobody answers still stops on a signal (blocked waiting
/// for its reply): the ipc endpoint has no listener.
pub fn interrupt_client_stops_while_waiting_for_a_reply(bins: &Bins, signal: i32) -> Result<()> {
    let nobody = unique_ipc_endpoint("nobody");
    let mut client = bins.spawn("interrupt-client", &["--connect", &nobody])?;
    client.wait_stdout("Starting client...", PATIENCE)?;
    let client = client.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&client)
}
