//! Chapter 4, the request-reply broker: clients and workers that only know
//! the broker, each client's replies its own, envelopes checked.

use std::time::Instant;

use crate::scenarios::book_ports::BookPorts;
use crate::scenarios::ch1::expect_interrupted;
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::{ANY_PORT, STOP_WITHIN};
use crate::{ensure, Bins, Failure, Finished, Result, Running, Stream, PATIENCE};

/// A broker on two free ports, with its frontend and backend endpoints.
pub(super) fn start_broker(
    bins: &Bins,
    args: &[&str],
    profiled: bool,
) -> Result<(Running, String, String)> {
    let mut all = vec!["--frontend", ANY_PORT, "--backend", ANY_PORT];
    all.extend_from_slice(args);
    let mut broker = if profiled {
        bins.spawn_profiled("rr-broker", &all)?
    } else {
        bins.spawn("rr-broker", &all)?
    };
    let frontend = broker.bound_endpoint(PATIENCE)?;
    let backend = broker.bound_endpoint(PATIENCE)?;
    Ok((broker, frontend, backend))
}

/// A worker called `id` on `backend`, once it says it is ready.
pub(super) fn start_worker(bins: &Bins, backend: &str, id: &str, args: &[&str]) -> Result<Running> {
    let mut all = vec!["--connect", backend, "--id", id];
    all.extend_from_slice(args);
    let mut worker = bins.spawn("rr-worker", &all)?;
    worker.wait_stdout(&format!("Worker {id} ready"), PATIENCE)?;
    Ok(worker)
}

/// Starts a client called `id` for `count` requests.
fn spawn_client(bins: &Bins, frontend: &str, id: &str, count: u64) -> Result<Running> {
    let count = count.to_string();
    bins.spawn(
        "rr-client",
        &["--connect", frontend, "--id", id, "--count", &count],
    )
}

/// Fails unless client `id` printed exactly `count` replies, the `n`th
/// answering its own `hello <id> <n>`, and no error; returns the workers
/// that made them.
fn expect_own_replies(client: &Finished, id: &str, count: u64) -> Result<Vec<String>> {
    let replies = client.lines_after(Stream::Stdout, "Received: ");
    let mut workers = Vec::new();
    for (n, reply) in (0..count).zip(&replies) {
        let worker = reply
            .strip_prefix(&format!("world {id} {n} ("))
            .and_then(|rest| rest.strip_suffix(')'));
        match worker {
            Some(worker) => workers.push(worker.to_string()),
            None => {
                return Err(Failure::new(format!(
                    "{id}: reply #{n} {reply:?} does not answer \"hello {id} {n}\": {:?}",
                    client.stdout
                )))
            }
        }
    }
    ensure(replies.len() as u64 == count && !has_error(client), || {
        format!(
            "{id}: expected {count} replies and no error, got {:?} / {:?}",
            client.stdout, client.stderr
        )
    })?;
    Ok(workers)
}

fn has_error(finished: &Finished) -> bool {
    finished
        .stderr
        .iter()
        .any(|line| line.starts_with("error:"))
}

/// Sends probe requests from the harness through the broker until every one
/// of `workers` has served one: then all are connected and the broker's
/// DEALER shares requests among them all.
fn until_all_connected(frontend: &str, workers: &mut [Running]) -> Result<()> {
    let context = zmq::Context::new();
    let probe = peer_socket(&context, zmq::REQ)?;
    probe.connect(frontend).map_err(zmq_failure)?;
    let deadline = Instant::now() + PATIENCE;
    let mut n = 0;
    loop {
        let served_probe = |worker: &mut Running| {
            worker.collect_output();
            let probes = worker.lines(Stream::Stdout).iter();
            probes
                .filter(|line| line.starts_with("Received: hello probe"))
                .count()
                > 0
        };
        if workers.iter_mut().all(served_probe) {
            return Ok(());
        }
        ensure(Instant::now() < deadline, || {
            "the workers did not all get a probe request".into()
        })?;
        retrying(|| probe.send(format!("hello probe {n}").as_bytes(), 0))?;
        retrying(|| probe.recv_bytes(0))?;
        n += 1;
    }
}

/// Three clients of ten requests each through a broker started with
/// `broker_args`, two workers: every client gets exactly its own ten
/// replies, and both workers serve.
fn three_clients_two_workers(bins: &Bins, broker_args: &[&str]) -> Result<Running> {
    let (broker, frontend, backend) = start_broker(bins, broker_args, false)?;
    let mut workers = vec![
        start_worker(bins, &backend, "w1", &[])?,
        start_worker(bins, &backend, "w2", &[])?,
    ];
    until_all_connected(&frontend, &mut workers)?;
    let ids = ["c1", "c2", "c3"];
    let clients = ids
        .iter()
        .map(|id| spawn_client(bins, &frontend, id, 10))
        .collect::<Result<Vec<_>>>()?;
    let mut makers = Vec::new();
    for (id, client) in ids.iter().zip(clients) {
        let client = client.wait_exit(PATIENCE)?.expect_success()?;
        makers.extend(expect_own_replies(&client, id, 10)?);
    }
    let mut served = 0;
    for (name, worker) in ["w1", "w2"].into_iter().zip(workers) {
        let worker = worker
            .stop_with(libc::SIGINT, STOP_WITHIN)?
            .expect_success()?;
        let requests = worker
            .lines_after(Stream::Stdout, "Received: hello c")
            .len();
        let named = makers.iter().filter(|maker| *maker == name).count();
        ensure(requests > 0 && requests == named, || {
            format!("{name} served {requests} client requests, replies name it {named} times")
        })?;
        served += requests;
    }
    ensure(served == 30, || format!("30 requests, {served} served"))?;
    Ok(broker)
}

/// The broker's lesson: 3 clients × 10 requests over 2 workers give 30
/// correct replies, each client gets exactly its own, and both workers
/// serve. The poll loop prints no error and no frames (no `--verbose`).
pub fn three_clients_get_their_own_replies_through_two_workers(bins: &Bins) -> Result<()> {
    let broker = three_clients_two_workers(bins, &[])?;
    let broker = broker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_interrupted(&broker)?;
    ensure(
        broker.stdout.iter().all(|line| line.starts_with("bound ")) && !has_error(&broker),
        || {
            format!(
                "a quiet broker printed {:?} / {:?}",
                broker.stdout, broker.stderr
            )
        },
    )
}

/// `--proxy` (libzmq's `zmq_proxy`) carries the same load just as well, and
/// Ctrl-C stops it (see the signal scenarios for SIGTERM).
pub fn broker_proxy_mode_serves_the_same_load(bins: &Bins) -> Result<()> {
    let broker = three_clients_two_workers(bins, &["--proxy"])?;
    let broker = broker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_interrupted(&broker)
}

/// A request sent while no worker exists waits in the broker, and the first
/// worker to connect serves it.
pub fn request_waits_in_the_broker_until_a_worker_comes(bins: &Bins) -> Result<()> {
    let (_broker, frontend, backend) = start_broker(bins, &["--verbose"], false)?;
    let mut client = spawn_client(bins, &frontend, "c1", 1)?;
    client.wait_stdout("Sending: hello c1 0", PATIENCE)?;
    let _worker = start_worker(bins, &backend, "w1", &[])?;
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    expect_own_replies(&client, "c1", 1).map(drop)
}

/// A worker that connects while clients are being served gets requests too:
/// the broker's DEALER shares out among whoever is connected now.
pub fn worker_that_joins_later_gets_work_too(bins: &Bins) -> Result<()> {
    let (_broker, frontend, backend) = start_broker(bins, &[], false)?;
    let mut first = start_worker(bins, &backend, "w1", &[])?;
    let mut client = spawn_client(bins, &frontend, "c1", 0)?;
    first.wait_stdout("Received: hello c1", PATIENCE)?;
    let mut late = start_worker(bins, &backend, "w2", &[])?;
    late.wait_stdout("Received: hello c1", PATIENCE)?;
    client.wait_stdout("(w2)", PATIENCE)?;
    let client = client
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    ensure(!has_error(&client), || {
        format!("client: {:?}", client.stderr)
    })
}

/// `--verbose` shows each message with its envelope: the identity the
/// ROUTER gave the client, the empty delimiter, the body; the reply comes
/// back with the same identity. `--count 1` stops after one reply, with the
/// summary.
pub fn verbose_broker_shows_each_envelope(bins: &Bins) -> Result<()> {
    let (broker, frontend, backend) = start_broker(bins, &["--verbose", "--count", "1"], false)?;
    let _worker = start_worker(bins, &backend, "w1", &[])?;
    let client = bins.run(
        "rr-client",
        &["--connect", &frontend, "--id", "c1", "--count", "1"],
        PATIENCE,
    )?;
    expect_own_replies(&client.expect_success()?, "c1", 1)?;
    let broker = broker.wait_exit(PATIENCE)?.expect_success()?;
    let identity = |direction: &str, body: &str| {
        let lines = broker.lines_after(Stream::Stdout, direction);
        let line = lines.first().copied().unwrap_or_default();
        line.strip_prefix("3 frames: \"")
            .and_then(|rest| rest.strip_suffix(&format!("\" \"\" \"{body}\"")))
            .map(str::to_string)
            .ok_or_else(|| Failure::new(format!("no {direction}of 3 frames: {:?}", broker.stdout)))
    };
    let asked = identity("request ", "hello c1 0")?;
    let answered = identity("reply ", "world c1 0 (w1)")?;
    ensure(!asked.is_empty() && asked == answered, || {
        format!("identities {asked:?} and {answered:?} differ")
    })?;
    let summary = "relayed 1 requests and 1 replies, dropped 0 malformed messages";
    ensure(
        broker.stdout.last().map(String::as_str) == Some(summary),
        || format!("expected {summary:?} last: {:?}", broker.stdout),
    )
}

/// Sends `frames` as one message on the harness's `socket`.
pub(super) fn send_frames(socket: &zmq::Socket, frames: &[&[u8]]) -> Result<()> {
    retrying(|| socket.send_multipart(frames.iter().copied(), 0))
}

/// Receives one whole message on the harness's `socket`.
pub(super) fn recv_frames(socket: &zmq::Socket) -> Result<Vec<Vec<u8>>> {
    retrying(|| socket.recv_multipart(0))
}

/// What a DEALER can send that a REQ never would: one frame, an empty
/// message, two frames with no delimiter, and (with the broker's
/// `--max-msg-size 1000`) 1200 bytes in all.
const MALFORMED: [&[&[u8]]; 4] = [
    &[b"hello"],
    &[b""],
    &[b"a", b"b"],
    &[b"", &[b'a'; 600], &[b'b'; 600]],
];

/// A malformed request from a raw DEALER is dropped with `error: dropped
/// request …` saying why, and the broker goes on serving.
pub fn malformed_envelopes_are_dropped_and_the_broker_goes_on(bins: &Bins) -> Result<()> {
    let (broker, frontend, backend) = start_broker(bins, &["--max-msg-size", "1000"], false)?;
    let _worker = start_worker(bins, &backend, "w1", &[])?;
    let context = zmq::Context::new();
    let dealer = peer_socket(&context, zmq::DEALER)?;
    dealer.connect(&frontend).map_err(zmq_failure)?;
    for message in MALFORMED {
        send_frames(&dealer, message)?;
    }
    send_frames(&dealer, &[b"", b"hello d 0"])?;
    let reply = recv_frames(&dealer)?;
    ensure(reply == [&b""[..], b"world d 0 (w1)"], || {
        format!("the good request got {reply:?}")
    })?;
    let broker = broker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    let dropped = broker.lines_after(Stream::Stderr, "error: dropped request ");
    let reasons = [
        "got 2",
        "got 2",
        "no empty delimiter",
        "over --max-msg-size",
    ];
    ensure(
        dropped.len() == reasons.len()
            && dropped
                .iter()
                .zip(reasons)
                .all(|(line, why)| line.contains(why)),
        || format!("expected 4 drops for {reasons:?}: {dropped:?}"),
    )
}

/// A fake worker (the harness's DEALER on the backend) that answers
/// without the envelope has its reply dropped (`error: dropped reply`); its
/// well-formed reply then reaches the client.
pub fn malformed_replies_from_the_backend_are_dropped(bins: &Bins) -> Result<()> {
    let (broker, frontend, backend) = start_broker(bins, &[], false)?;
    let context = zmq::Context::new();
    let fake = peer_socket(&context, zmq::DEALER)?;
    fake.connect(&backend).map_err(zmq_failure)?;
    let client = spawn_client(bins, &frontend, "c1", 1)?;
    let request = recv_frames(&fake)?;
    ensure(request.len() == 3 && request[2] == b"hello c1 0", || {
        format!("the worker side got {request:?}")
    })?;
    send_frames(&fake, &[b"world c1 0 (fake)"])?;
    send_frames(&fake, &[&request[0], b"", b"world c1 0 (fake)"])?;
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    ensure(expect_own_replies(&client, "c1", 1)? == ["fake"], || {
        "the reply came from elsewhere".into()
    })?;
    let broker = broker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    let dropped = broker.lines_after(Stream::Stderr, "error: dropped reply ");
    ensure(dropped.len() == 1 && dropped[0].contains("got 1"), || {
        format!("expected one dropped reply: {:?}", broker.stderr)
    })
}

/// `zmq_proxy` checks nothing: the same malformed requests pass through it
/// without a word, and the REP worker's libzmq discards them; the broker
/// goes on serving. (The poll loop's checks are what `--proxy` gives up.)
pub fn proxy_mode_forwards_anything_and_survives(bins: &Bins) -> Result<()> {
    let (broker, frontend, backend) = start_broker(bins, &["--proxy"], false)?;
    let worker = start_worker(bins, &backend, "w1", &[])?;
    let context = zmq::Context::new();
    let dealer = peer_socket(&context, zmq::DEALER)?;
    dealer.connect(&frontend).map_err(zmq_failure)?;
    for message in &MALFORMED[..3] {
        send_frames(&dealer, message)?;
    }
    send_frames(&dealer, &[b"", b"hello d 0"])?;
    let reply = recv_frames(&dealer)?;
    ensure(reply == [&b""[..], b"world d 0 (w1)"], || {
        format!("the good request got {reply:?}")
    })?;
    let broker = broker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    let worker = worker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    ensure(!has_error(&broker), || format!("{:?}", broker.stderr))?;
    let served = worker.lines_after(Stream::Stdout, "Received: ");
    ensure(served == ["hello d 0"], || {
        format!("the worker saw {served:?}")
    })
}

/// A well-formed envelope around a bad body: a two-frame body is one bad
/// request (`error:` on the worker's stderr, one reply `world (w1)`); a body
/// that is not UTF-8 is printed lossily and answered; the worker goes on.
pub fn worker_survives_multiframe_and_non_utf8_requests(bins: &Bins) -> Result<()> {
    let (_broker, frontend, backend) = start_broker(bins, &[], false)?;
    let worker = start_worker(bins, &backend, "w1", &[])?;
    let context = zmq::Context::new();
    let dealer = peer_socket(&context, zmq::DEALER)?;
    dealer.connect(&frontend).map_err(zmq_failure)?;
    for (request, expected) in [
        (&[&b""[..], b"a", b"b"][..], &b"world (w1)"[..]),
        (&[b"", b"\xffhi"], b"world \xffhi (w1)"),
        (&[b"", b"hello d 2"], b"world d 2 (w1)"),
    ] {
        send_frames(&dealer, request)?;
        let reply = recv_frames(&dealer)?;
        ensure(reply == [&b""[..], expected], || {
            format!("{request:?} got {reply:?}, not {expected:?}")
        })?;
    }
    let worker = worker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    let served = worker.lines_after(Stream::Stdout, "Received: ");
    let errors = worker.lines_after(Stream::Stderr, "error: bad request 2 frames");
    ensure(
        served == ["\u{fffd}hi", "hello d 2"] && errors.len() == 1,
        || format!("worker: {:?} / {:?}", worker.stdout, worker.stderr),
    )
}

/// Waits until the harness's `socket` loses its peer's connection, watched by
/// a socket monitor, after `send` ran. Returns the monitor's socket, to be
/// closed after `socket` (libzmq's I/O thread sends it events).
pub(super) fn expect_dropped(
    context: &zmq::Context,
    socket: &zmq::Socket,
    send: impl FnOnce() -> Result<()>,
) -> Result<zmq::Socket> {
    let endpoint = format!("inproc://ch4-dropped-{:p}", socket);
    let dropped = zmq::SocketEvent::DISCONNECTED.to_raw();
    socket
        .monitor(&endpoint, i32::from(dropped))
        .map_err(zmq_failure)?;
    let monitor = peer_socket(context, zmq::PAIR)?;
    monitor.connect(&endpoint).map_err(zmq_failure)?;
    send()?;
    let event = recv_frames(&monitor)?;
    let kind = event.first().and_then(|e| e.get(..2));
    let kind = kind.map(|b| u16::from_le_bytes([b[0], b[1]]));
    ensure(kind == Some(dropped), || {
        format!("expected a disconnection, got the event {event:?}")
    })?;
    Ok(monitor)
}

/// `--max-msg-size` on the worker and on the client: a message over it
/// makes their libzmq drop the connection (a socket monitor on the
/// harness's side sees it) instead of delivering it; neither prints it.
pub fn oversized_messages_never_reach_a_limited_worker_or_client(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let big = vec![b'x'; 5000];
    // The harness as the broker's backend, for a limited worker.
    let (backend, endpoint) = bound_socket(&context, zmq::DEALER)?;
    let worker = start_worker(bins, &endpoint, "w1", &["--max-msg-size", "1000"])?;
    let monitor = expect_dropped(&context, &backend, || send_frames(&backend, &[b"", &big]))?;
    drop(backend);
    drop(monitor);
    let worker = worker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    ensure(
        worker.lines_after(Stream::Stdout, "Received").is_empty(),
        || format!("the worker got it: {:?}", worker.stdout),
    )?;
    // The harness as the broker's frontend, for a limited client.
    let (frontend, endpoint) = bound_socket(&context, zmq::ROUTER)?;
    let client = bins.spawn(
        "rr-client",
        &[
            "--connect",
            &endpoint,
            "--id",
            "c1",
            "--max-msg-size",
            "1000",
        ],
    )?;
    let request = recv_frames(&frontend)?;
    let monitor = expect_dropped(&context, &frontend, || {
        send_frames(&frontend, &[&request[0], b"", &big])
    })?;
    drop(frontend);
    drop(monitor);
    let client = client
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    ensure(
        client.lines_after(Stream::Stdout, "Received").is_empty() && !has_error(&client),
        || {
            format!(
                "the client got it: {:?} / {:?}",
                client.stdout, client.stderr
            )
        },
    )
}

/// The client checks each reply: one that answers another request, has two
/// frames, is empty or is not UTF-8 is reported on stderr and not printed as
/// received; the client goes on to its next request. (The harness plays the
/// broker.)
pub fn client_reports_a_reply_that_is_not_its_own(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (frontend, endpoint) = bound_socket(&context, zmq::ROUTER)?;
    let client = spawn_client(bins, &endpoint, "c1", 4)?;
    let bad_replies: [&[&[u8]]; 4] = [
        &[b"world c2 0 (w1)"],
        &[b"world c1 1", b"(w1)"],
        &[b""],
        &[b"world c1 3 \xff"],
    ];
    for body in bad_replies {
        let request = recv_frames(&frontend)?;
        let mut reply: Vec<&[u8]> = vec![&request[0], b""];
        reply.extend_from_slice(body);
        send_frames(&frontend, &reply)?;
    }
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    let errors = [
        "error: reply \"world c2 0 (w1)\" does not answer \"hello c1 0\"",
        "error: bad reply 2 frames: \"world c1 1\" \"(w1)\": expected a message of 1 frame, got 2 frames",
        "error: reply \"\" does not answer \"hello c1 2\"",
        "error: reply \"world c1 3 \\xff\" does not answer \"hello c1 3\"",
    ];
    ensure(
        client.lines_after(Stream::Stdout, "Received").is_empty() && client.stderr == errors,
        || format!("client: {:?} / {:?}", client.stdout, client.stderr),
    )
}

/// With no endpoint options the three talk on the book's ports 5559 and
/// 5560 (holding the [`BookPorts`] lock, which serialises every fixed-port
/// check).
pub fn rr_defaults_use_ports_5559_and_5560(bins: &Bins) -> Result<()> {
    let _ports = BookPorts::lock()?;
    let mut broker = bins.spawn("rr-broker", &["--count", "1"])?;
    for port in [5559, 5560] {
        let bound = broker.bound_endpoint(PATIENCE)?;
        let expected = format!("tcp://0.0.0.0:{port}");
        ensure(bound == expected, || {
            format!("bound {bound}, not {expected}")
        })?;
    }
    let worker = bins.spawn("rr-worker", &["--count", "1"])?;
    let client = bins.run("rr-client", &["--id", "c1", "--count", "1"], PATIENCE)?;
    expect_own_replies(&client.expect_success()?, "c1", 1)?;
    worker.wait_exit(PATIENCE)?.expect_success()?;
    broker.wait_exit(PATIENCE)?.expect_success().map(drop)
}

/// Without a broker, one REQ socket connected to two servers sends its
/// requests to them in turn: both serve. What a broker adds is one address
/// for all of them.
pub fn one_req_shares_requests_among_two_servers(bins: &Bins) -> Result<()> {
    let args = ["--count", "2", "--delay-ms", "0"];
    let (first, one) = crate::scenarios::serve(bins, "hello-server", &args)?;
    let (second, two) = crate::scenarios::serve(bins, "hello-server", &args)?;
    let context = zmq::Context::new();
    let requester = peer_socket(&context, zmq::REQ)?;
    // Wait until both connections are up, so the turns include both. The
    // monitor listens before the connects: a handshake it did not see would
    // leave this waiting for an event that already happened.
    let monitor_endpoint = format!("inproc://ch4-req-{:p}", &requester);
    let connected = zmq::SocketEvent::HANDSHAKE_SUCCEEDED.to_raw();
    requester
        .monitor(&monitor_endpoint, i32::from(connected))
        .map_err(zmq_failure)?;
    let monitor = peer_socket(&context, zmq::PAIR)?;
    monitor.connect(&monitor_endpoint).map_err(zmq_failure)?;
    for endpoint in [&one, &two] {
        requester.connect(endpoint).map_err(zmq_failure)?;
    }
    for _ in 0..2 {
        recv_frames(&monitor)?;
    }
    for _ in 0..4 {
        retrying(|| requester.send("hello", 0))?;
        retrying(|| requester.recv_bytes(0))?;
    }
    drop(requester);
    drop(monitor);
    for server in [first, second] {
        let server = server.wait_exit(PATIENCE)?.expect_success()?;
        let served = server.lines_after(Stream::Stdout, "Received: ");
        ensure(served == ["hello", "hello"], || {
            format!("each server should serve 2: {:?}", server.stdout)
        })?;
    }
    Ok(())
}

/// `--delay-ms` makes the worker work that long per request: two requests
/// through a worker with 300 ms take at least 600 ms (with the option doing
/// nothing they take a fraction of that). No comparison with a run without
/// delay: on a loaded machine, starting processes alone varies by more.
pub fn worker_delay_ms_delays_each_reply(bins: &Bins) -> Result<()> {
    let timed = |delay: &str| -> Result<std::time::Duration> {
        let (_broker, frontend, backend) = start_broker(bins, &[], false)?;
        let _worker = start_worker(bins, &backend, "w1", &["--delay-ms", delay])?;
        let client = bins.run(
            "rr-client",
            &["--connect", &frontend, "--id", "c1", "--count", "2"],
            PATIENCE,
        )?;
        let client = client.expect_success()?;
        expect_own_replies(&client, "c1", 2)?;
        Ok(client.elapsed)
    };
    let slow = timed("300")?;
    ensure(slow.as_millis() >= 600, || {
        format!("two requests of 300 ms took only {slow:?}")
    })
}

/// Both kinds of broker stop within a second on SIGTERM while requests are
/// flowing through them, not only when idle: a signal that lands while
/// `zmq_proxy` is forwarding is the one its own poll would miss.
pub fn brokers_stop_under_load(bins: &Bins) -> Result<()> {
    for mode in [&[][..], &["--proxy"]] {
        let (broker, frontend, backend) = start_broker(bins, mode, false)?;
        let _worker = start_worker(bins, &backend, "w1", &[])?;
        let mut client = spawn_client(bins, &frontend, "c1", 0)?;
        client.wait_stdout("Received: world c1 200 ", PATIENCE)?;
        let broker = broker.stop_with(libc::SIGTERM, STOP_WITHIN)?;
        expect_interrupted(&broker.expect_success()?)?;
    }
    Ok(())
}
