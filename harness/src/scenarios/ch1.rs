//! Chapter 1: hello world over REQ/REP, and the version check.

use crate::scenarios::book_ports::BookPorts;
use std::time::Duration;

use crate::process::WriteTime;
use crate::scenarios::monitor::Monitor;
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
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
        "three_clients_each_get_three_replies",
        three_clients_each_get_three_replies,
    ),
    (
        "server_prints_works_for_delay_then_replies",
        server_prints_works_for_delay_then_replies,
    ),
    (
        "server_refuses_a_request_over_1_mib_by_default",
        server_refuses_a_request_over_1_mib_by_default,
    ),
    (
        "client_refuses_a_reply_over_its_max_msg_size",
        client_refuses_a_reply_over_its_max_msg_size,
    ),
    ("server_binds_where_bind_says", server_binds_where_bind_says),
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
    ("server_stops_on_sigint_while_working", |bins| {
        server_stops_while_working(bins, libc::SIGINT)
    }),
    ("server_stops_on_sigterm_while_working", |bins| {
        server_stops_while_working(bins, libc::SIGTERM)
    }),
    ("client_stops_on_sigint_awaiting_its_reply", |bins| {
        client_stops_awaiting_its_reply(bins, libc::SIGINT)
    }),
    ("client_stops_on_sigterm_awaiting_its_reply", |bins| {
        client_stops_awaiting_its_reply(bins, libc::SIGTERM)
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
/// fairly and each client gets exactly one reply per request — three each,
/// numbered in order — and the server serves all nine.
pub fn three_clients_each_get_three_replies(bins: &Bins) -> Result<()> {
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

/// Ctrl-C (or SIGTERM) reaches a server blocked in `recv` (waiting for a
/// request): it prints `interrupted`, closes its socket and exits 0 within a
/// second.
pub fn server_stops_while_blocked(bins: &Bins, signal: i32) -> Result<()> {
    let (mut server, _) = serve(bins, "hello-server", &[])?;
    server.wait_stdout("Starting...", PATIENCE)?;
    let stopped = server.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&stopped)
}

/// The same for a client blocked sending its first request: no server is
/// there to take it.
pub fn client_stops_while_blocked(bins: &Bins, signal: i32) -> Result<()> {
    let nobody = unique_ipc_endpoint("nobody");
    let mut client = bins.spawn("hello-client", &["--connect", &nobody])?;
    client.wait_stdout("Sending: hello - 0", PATIENCE)?;
    let stopped = client.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&stopped)
}

/// The same for a server in its pretend work (`--delay-ms`, the book's
/// `sleep(1)`, here a minute): the signal cuts the sleep short.
pub fn server_stops_while_working(bins: &Bins, signal: i32) -> Result<()> {
    let (mut server, endpoint) = serve(bins, "hello-server", &["--delay-ms", "60000"])?;
    let context = zmq::Context::new();
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| requester.send("hello", 0))?;
    server.wait_stdout("Received: hello", PATIENCE)?;
    let stopped = server.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&stopped)
}

/// The same for a client blocked in `recv`, its request taken by a server
/// (the harness's own socket) that never answers.
pub fn client_stops_awaiting_its_reply(bins: &Bins, signal: i32) -> Result<()> {
    let context = zmq::Context::new();
    let (silent, endpoint) = bound_socket(&context, zmq::REP)?;
    let mut client = bins.spawn("hello-client", &["--connect", &endpoint])?;
    let request = retrying(|| silent.recv_bytes(0))?;
    ensure(request == b"hello", || format!("request was {request:?}"))?;
    client.wait_stdout("Sending: hello - 0", PATIENCE)?;
    let stopped = client.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&stopped)?;
    ensure(
        stopped.lines_after(Stream::Stdout, "Received: ").is_empty(),
        || format!("a reply nobody sent was printed: {:?}", stopped.stdout),
    )
}

/// The server prints the request, works `--delay-ms`, and only then replies:
/// the reply comes at least the delay after the `Received:` line was written
/// (the kernel's stamp of that write, on the same clock as the harness's).
pub fn server_prints_works_for_delay_then_replies(bins: &Bins) -> Result<()> {
    const DELAY: Duration = Duration::from_millis(300);
    let delay_ms = DELAY.as_millis().to_string();
    let (mut server, endpoint) = serve(
        bins,
        "hello-server",
        &["--count", "1", "--delay-ms", &delay_ms],
    )?;
    let context = zmq::Context::new();
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| requester.send("hello", 0))?;
    let reply = retrying(|| requester.recv_bytes(0))?;
    let answered = WriteTime::now();
    ensure(reply == b"world", || format!("reply was {reply:?}"))?;
    server.wait_stdout("Received: hello", PATIENCE)?;
    let printed = server
        .lines(Stream::Stdout)
        .iter()
        .position(|line| line == "Received: hello")
        .and_then(|index| server.line_times(Stream::Stdout).get(index).copied())
        .ok_or_else(|| Failure::new("no time for the Received line"))?;
    ensure(printed < answered && answered - printed >= DELAY, || {
        format!(
            "the reply came {:?} after `Received: hello` was written ({:?} before it), \
             not after the {DELAY:?} of --delay-ms",
            answered - printed,
            printed - answered,
        )
    })?;
    server.wait_exit(PATIENCE)?.expect_success().map(drop)
}

/// Without `--max-msg-size` the server accepts messages of up to 1 MiB: a
/// request of 1 MiB + 1 byte is refused (libzmq drops that connection; the
/// harness's socket sees it go), one of exactly 1 MiB is served, and so is a
/// `hello` after it.
pub fn server_refuses_a_request_over_1_mib_by_default(bins: &Bins) -> Result<()> {
    const ONE_MIB: usize = 1 << 20;
    let (server, endpoint) = serve(bins, "hello-server", &["--count", "2", "--delay-ms", "0"])?;
    let context = zmq::Context::new();
    let greedy = peer_socket(&context, zmq::REQ)?;
    let greedy_connection = Monitor::start(&context, &greedy)?;
    greedy.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| greedy.send(vec![b'x'; ONE_MIB + 1], 0))?;
    greedy_connection.wait_dropped()?;
    let modest = peer_socket(&context, zmq::REQ)?;
    modest.connect(&endpoint).map_err(zmq_failure)?;
    for request in [vec![b'y'; ONE_MIB], b"hello".to_vec()] {
        retrying(|| modest.send(&request, 0))?;
        let reply = retrying(|| modest.recv_bytes(0))?;
        ensure(reply == b"world", || format!("reply was {reply:?}"))?;
    }
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    let received = server.lines_after(Stream::Stdout, "Received: ");
    let sizes: Vec<usize> = received.iter().map(|request| request.len()).collect();
    ensure(sizes == [ONE_MIB, 5], || {
        format!("expected requests of 1 MiB and 5 bytes, got sizes {sizes:?}")
    })
}

/// A client's `--max-msg-size` applies to replies: a reply over it is refused
/// (the client drops the connection, the harness's server sees it go) and
/// never printed; the client is still waiting, and stops on Ctrl-C.
pub fn client_refuses_a_reply_over_its_max_msg_size(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
    let connection = Monitor::start(&context, &replier)?;
    let mut client = bins.spawn(
        "hello-client",
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
    retrying(|| replier.send(vec![b'w'; 2000], 0))?;
    connection.wait_dropped()?;
    client.wait_stdout("Sending: hello - 0", PATIENCE)?;
    let stopped = client
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_interrupted(&stopped)?;
    ensure(
        stopped.lines_after(Stream::Stdout, "Received: ").is_empty(),
        || format!("the oversized reply was printed: {:?}", stopped.stdout),
    )
}

/// `--bind` is where the server listens: an ipc endpoint of the test's own
/// comes back in the `bound` line, and a client reaches the server there.
pub fn server_binds_where_bind_says(bins: &Bins) -> Result<()> {
    let endpoint = unique_ipc_endpoint("hello-bind");
    let mut server = bins.spawn(
        "hello-server",
        &["--bind", &endpoint, "--count", "1", "--delay-ms", "0"],
    )?;
    let bound = server.bound_endpoint(PATIENCE)?;
    ensure(bound == endpoint, || {
        format!("--bind {endpoint}, but the server bound {bound}")
    })?;
    let client = bins.run(
        "hello-client",
        &["--connect", &endpoint, "--count", "1"],
        PATIENCE,
    )?;
    expect_worlds(&client.expect_success()?, 1)?;
    server.wait_exit(PATIENCE)?.expect_success().map(drop)
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
