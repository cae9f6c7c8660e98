//! Chapter 1: hello world over REQ/REP, and the version check.

use crate::scenarios::book_ports::BookPorts;
use crate::scenarios::peer::{peer_socket, retrying, zmq_failure};
use crate::scenarios::{
    serve, serve_profiled, unique_ipc_endpoint, whole_messages, Scenario, STOP_WITHIN,
};
use crate::{ensure, Bins, Failure, Finished, Result, Stream, PATIENCE};

/// Chapter 1's checks, by name.
pub const SCENARIOS: &[Scenario] = &[
    // A message is all of its frames (see `whole_messages`).
    (
        "hello_server_survives_multiframe_empty_and_non_utf8_requests",
        whole_messages::hello_server_survives_multiframe_empty_and_non_utf8_requests,
    ),
    (
        "hello_client_survives_multiframe_empty_and_non_utf8_replies",
        whole_messages::hello_client_survives_multiframe_empty_and_non_utf8_replies,
    ),
    (
        "max_msg_size_below_a_handshake_is_a_usage_error",
        whole_messages::max_msg_size_below_a_handshake_is_a_usage_error,
    ),
    (
        "three_requests_get_three_worlds",
        three_requests_get_three_worlds,
    ),
    (
        "client_started_before_server_still_completes",
        client_started_before_server_still_completes,
    ),
    (
        "three_clients_each_get_their_own_replies",
        three_clients_each_get_their_own_replies,
    ),
    ("server_stops_on_sigint_while_blocked", |bins| {
        server_stops_while_blocked(bins, libc::SIGINT)
    }),
    ("server_stops_on_sigterm_while_blocked", |bins| {
        server_stops_while_blocked(bins, libc::SIGTERM)
    }),
    ("client_stops_on_sigint_while_blocked", |bins| {
        client_stops_while_blocked(bins, libc::SIGINT)
    }),
    ("client_stops_on_sigterm_while_blocked", |bins| {
        client_stops_while_blocked(bins, libc::SIGTERM)
    }),
    ("port_in_use_is_reported", port_in_use_is_reported),
    (
        "malformed_endpoints_are_reported",
        malformed_endpoints_are_reported,
    ),
    (
        "non_utf8_request_is_printed_lossily_and_served",
        non_utf8_request_is_printed_lossily_and_served,
    ),
    (
        "oversized_request_is_refused_and_server_keeps_serving",
        oversized_request_is_refused_and_server_keeps_serving,
    ),
    (
        "version_reports_the_linked_libzmq",
        version_reports_the_linked_libzmq,
    ),
    (
        "no_heap_lost_after_bounded_runs",
        no_heap_lost_after_bounded_runs,
    ),
    ("no_heap_lost_after_sigint", no_heap_lost_after_sigint),
    (
        "book_defaults_talk_on_port_4040",
        book_defaults_talk_on_port_4040,
    ),
];

/// The book's scenario: a server and a client that sends three requests. The
/// client prints three `world` replies (the book printed `hello`), the server
/// prints what it really received (the book printed `hello` whatever came).
pub fn three_requests_get_three_worlds(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "hello-server", &["--count", "3", "--delay-ms", "10"])?;
    let client = bins.run(
        "hello-client",
        &["--connect", &endpoint, "--count", "3"],
        PATIENCE,
    )?;
    let client = client.expect_success()?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_worlds(&client, 3)?;
    expect_lines(
        &client,
        "Sending: ",
        &["hello - 0", "hello - 1", "hello - 2"],
    )?;
    expect_lines(&server, "Received: ", &["hello", "hello", "hello"])
}

/// ZeroMQ connects in the background: a client started before its server sends
/// as soon as the server appears. (An `ipc://` endpoint, because the client must
/// know the address before anything binds it.)
pub fn client_started_before_server_still_completes(bins: &Bins) -> Result<()> {
    let endpoint = unique_ipc_endpoint("early-client");
    let mut client = bins.spawn("hello-client", &["--connect", &endpoint, "--count", "2"])?;
    client.wait_stdout("Sending: hello - 0", PATIENCE)?;
    let server = bins.spawn(
        "hello-server",
        &["--bind", &endpoint, "--count", "2", "--delay-ms", "0"],
    )?;
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    server.wait_exit(PATIENCE)?.expect_success()?;
    expect_worlds(&client, 2)
}

/// One REP server, three REQ clients at once: the server queues their requests
/// fairly and each client gets exactly one reply per request, its own.
pub fn three_clients_each_get_their_own_replies(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "hello-server", &["--count", "9", "--delay-ms", "0"])?;
    let clients = (0..3)
        .map(|_| bins.spawn("hello-client", &["--connect", &endpoint, "--count", "3"]))
        .collect::<Result<Vec<_>>>()?;
    for client in clients {
        let client = client.wait_exit(PATIENCE)?.expect_success()?;
        expect_worlds(&client, 3)?;
    }
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(&server, "Received: ", &["hello"; 9])
}

/// Ctrl-C (or SIGTERM) reaches a server blocked in `recv`: it prints
/// `interrupted`, closes its socket and exits 0 within a second.
pub fn server_stops_while_blocked(bins: &Bins, signal: i32) -> Result<()> {
    let (mut server, _) = serve(bins, "hello-server", &[])?;
    server.wait_stdout("Starting...", PATIENCE)?;
    let stopped = server.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&stopped)
}

/// The same for a client waiting for a reply that will never come.
pub fn client_stops_while_blocked(bins: &Bins, signal: i32) -> Result<()> {
    let nobody = unique_ipc_endpoint("nobody");
    let mut client = bins.spawn("hello-client", &["--connect", &nobody])?;
    client.wait_stdout("Sending: hello - 0", PATIENCE)?;
    let stopped = client.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&stopped)
}

/// Binding a port another server holds fails with a sentence, not a panic.
pub fn port_in_use_is_reported(bins: &Bins) -> Result<()> {
    let (_first, endpoint) = serve(bins, "hello-server", &[])?;
    let second = bins.run("hello-server", &["--bind", &endpoint], PATIENCE)?;
    let second = second.expect_code(1)?;
    let expected = format!("error: cannot bind {endpoint}: Address already in use");
    ensure(second.stderr.iter().any(|line| line == &expected), || {
        format!("expected {expected:?} on stderr, got {:?}", second.stderr)
    })
}

/// Endpoints that cannot be parsed are reported with exit code 1, by both sides.
pub fn malformed_endpoints_are_reported(bins: &Bins) -> Result<()> {
    for (program, option, endpoint) in [
        ("hello-server", "--bind", "tcp://no-port-here"),
        ("hello-server", "--bind", "carrier-pigeon://coop"),
        ("hello-client", "--connect", "tcp://localhost"),
    ] {
        let finished = bins.run(program, &[option, endpoint], PATIENCE)?;
        let finished = finished.expect_code(1)?;
        ensure(
            finished
                .stderr
                .iter()
                .any(|line| line.starts_with("error: cannot ") && line.contains(endpoint)),
            || {
                format!(
                    "{program} {option} {endpoint}: no error line in {:?}",
                    finished.stderr
                )
            },
        )?;
    }
    Ok(())
}

/// A request that is not UTF-8 is printed with replacement characters, answered,
/// and the server goes on serving.
pub fn non_utf8_request_is_printed_lossily_and_served(bins: &Bins) -> Result<()> {
    let (mut server, endpoint) = serve(bins, "hello-server", &["--count", "2", "--delay-ms", "0"])?;
    let reply = request_once(&endpoint, b"\xffhello\xfe")?;
    ensure(reply == b"world", || format!("reply was {reply:?}"))?;
    server.wait_stdout("Received: \u{fffd}hello\u{fffd}", PATIENCE)?;
    let client = bins.run(
        "hello-client",
        &["--connect", &endpoint, "--count", "1"],
        PATIENCE,
    )?;
    expect_worlds(&client.expect_success()?, 1)?;
    server.wait_exit(PATIENCE)?.expect_success().map(drop)
}

/// A request over `--max-msg-size` is refused (libzmq drops that connection)
/// instead of being allocated; the server goes on serving others.
pub fn oversized_request_is_refused_and_server_keeps_serving(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "hello-server",
        &["--count", "1", "--delay-ms", "0", "--max-msg-size", "1000"],
    )?;
    let context = zmq::Context::new();
    let greedy = peer_socket(&context, zmq::REQ)?;
    greedy.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| greedy.send(vec![b'x'; 100_000], 0))?;
    let client = bins.run(
        "hello-client",
        &["--connect", &endpoint, "--count", "1"],
        PATIENCE,
    )?;
    expect_worlds(&client.expect_success()?, 1)?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(&server, "Received: ", &["hello"])?;
    let answered = greedy.poll(zmq::POLLIN, 0).map_err(zmq_failure)? > 0;
    ensure(!answered, || "the oversized request was answered".into())
}

/// `version` prints the libzmq this harness is linked with too (both come from
/// the same `zmq-sys` build), and what that build can do: ipc yes, PGM no.
pub fn version_reports_the_linked_libzmq(bins: &Bins) -> Result<()> {
    let finished = bins
        .run("version", &[] as &[&str], PATIENCE)?
        .expect_success()?;
    let (major, minor, patch) = zmq::version();
    let expected = format!("ZeroMQ version {major}.{minor}.{patch}");
    ensure(finished.stdout.first() == Some(&expected), || {
        format!("expected {expected:?} first, got {:?}", finished.stdout)
    })?;
    for (capability, answer) in [("ipc", "yes"), ("pgm", "no")] {
        let line = finished
            .stdout
            .iter()
            .find(|line| line.trim_start().starts_with(&format!("{capability}:")))
            .ok_or_else(|| Failure::new(format!("no {capability} line: {:?}", finished.stdout)))?;
        ensure(line.contains(&format!(": {answer}")), || {
            format!("expected {capability} {answer}: {line:?}")
        })?;
    }
    Ok(())
}

/// With no endpoint arguments the pair uses the book's port, 4040 (holding the
/// [`BookPorts`] lock: the port is fixed).
pub fn book_defaults_talk_on_port_4040(bins: &Bins) -> Result<()> {
    let _ports = BookPorts::lock()?;
    let mut server = bins.spawn("hello-server", &["--count", "1", "--delay-ms", "0"])?;
    let endpoint = server.bound_endpoint(PATIENCE)?;
    ensure(endpoint == "tcp://0.0.0.0:4040", || {
        format!("the server bound {endpoint}, not the book's tcp://*:4040")
    })?;
    let client = bins.run("hello-client", &["--count", "1"], PATIENCE)?;
    expect_worlds(&client.expect_success()?, 1)?;
    server.wait_exit(PATIENCE)?.expect_success().map(drop)
}

/// The book's Valgrind check, with dhat: after a bounded run, no program of the
/// chapter leaves a block it allocated behind.
pub fn no_heap_lost_after_bounded_runs(bins: &Bins) -> Result<()> {
    let (server, endpoint) =
        serve_profiled(bins, "hello-server", &["--count", "2", "--delay-ms", "0"])?;
    let client = bins.spawn_profiled("hello-client", &["--connect", &endpoint, "--count", "2"])?;
    expect_no_heap_lost(client.wait_exit(PATIENCE)?.expect_success()?)?;
    expect_no_heap_lost(server.wait_exit(PATIENCE)?.expect_success()?)?;
    let version = bins.spawn_profiled("version", &[] as &[&str])?;
    expect_no_heap_lost(version.wait_exit(PATIENCE)?.expect_success()?)
}

/// The same after Ctrl-C, which unwinds through the same drops.
pub fn no_heap_lost_after_sigint(bins: &Bins) -> Result<()> {
    let (mut server, _) = serve_profiled(bins, "hello-server", &[])?;
    server.wait_stdout("Starting...", PATIENCE)?;
    let nobody = unique_ipc_endpoint("nobody");
    let mut client = bins.spawn_profiled("hello-client", &["--connect", &nobody])?;
    client.wait_stdout("Sending: hello - 0", PATIENCE)?;
    expect_no_heap_lost(server.stop_with(libc::SIGINT, PATIENCE)?.expect_success()?)?;
    expect_no_heap_lost(client.stop_with(libc::SIGINT, PATIENCE)?.expect_success()?)
}

/// Fails unless the lines of `finished` that start with `prefix` are `expected`.
pub fn expect_lines(finished: &Finished, prefix: &str, expected: &[&str]) -> Result<()> {
    let got = finished.lines_after(Stream::Stdout, prefix);
    ensure(got == expected, || {
        format!(
            "{}: expected {prefix:?} lines {expected:?}, got {got:?}\n  stdout: {:?}\n  stderr: {:?}",
            finished.name, finished.stdout, finished.stderr
        )
    })
}

/// Fails unless a hello client printed `Received: world - <n>` for `0..count`.
pub fn expect_worlds(client: &Finished, count: usize) -> Result<()> {
    let expected: Vec<String> = (0..count).map(|n| format!("world - {n}")).collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    expect_lines(client, "Received: ", &expected)
}

/// Fails unless `interrupted` is on stderr.
pub fn expect_interrupted(finished: &Finished) -> Result<()> {
    ensure(
        finished.stderr.iter().any(|line| line == "interrupted"),
        || {
            format!(
                "{}: no `interrupted` on stderr: {:?}",
                finished.name, finished.stderr
            )
        },
    )
}

/// Fails unless the profile of `finished` shows 0 bytes definitely lost.
pub fn expect_no_heap_lost(finished: Finished) -> Result<()> {
    let heap = finished
        .heap
        .ok_or_else(|| Failure::new(format!("{} ran without a profile", finished.name)))?;
    ensure(
        heap.definitely_lost.blocks == 0 && heap.total.blocks > 0,
        || format!("{}: {heap}", finished.name),
    )
}

/// Sends one raw request from the harness itself and returns the reply.
fn request_once(endpoint: &str, request: &[u8]) -> Result<Vec<u8>> {
    let context = zmq::Context::new();
    let socket = peer_socket(&context, zmq::REQ)?;
    socket.connect(endpoint).map_err(zmq_failure)?;
    retrying(|| socket.send(request, 0))?;
    retrying(|| socket.recv_bytes(0))
}
