//! `--max-msg-size` on every receiving socket of chapter 4's reliability
//! programs: a message over it (1000 bytes against a limit of 100) never
//! reaches the program — libzmq drops the connection that carried it. A peer
//! that connected to the program reconnects and is served again; a program
//! that connected itself does not reconnect to that peer (libzmq counts the
//! oversized message as a protocol error), which the retrying programs — the
//! lazy pirate, the heartbeat worker — overcome with a new socket.

use std::time::{Duration, Instant};

use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::{serve, unique_ipc_endpoint, STOP_WITHIN};
use crate::{ensure, Bins, Failure, Finished, Result, Running, Stream, PATIENCE};

/// The limit the programs get, and the size of what is sent over it.
const LIMIT: &str = "100";
const OVERSIZED: usize = 1000;

/// How long each wait of the loops below lasts before they look again.
const SLICE: Duration = Duration::from_millis(20);

/// Fails if the program reported any bad message or reply on stderr: the
/// oversized one must never have reached it.
fn expect_no_bad_input(finished: &Finished) -> Result<()> {
    ensure(
        !finished
            .stderr
            .iter()
            .any(|line| line.starts_with("error: bad")),
        || {
            format!(
                "{} saw the oversized message: {:?}",
                finished.name, finished.stderr
            )
        },
    )
}

/// True once `program` has printed a stdout line containing `text`.
fn printed(program: &mut Running, text: &str) -> bool {
    program.collect_output();
    program
        .lines(Stream::Stdout)
        .iter()
        .any(|line| line.contains(text))
}

/// Receives the next message on `socket` within [`SLICE`], if one comes.
fn recv_within_slice(socket: &zmq::Socket) -> Result<Option<Vec<Vec<u8>>>> {
    if retrying(|| socket.poll(zmq::POLLIN, 20))? == 0 {
        return Ok(None);
    }
    retrying(|| socket.recv_multipart(0)).map(Some)
}

/// The server never sees an oversized request (nor answers it), and serves
/// the next client.
pub fn pirate_server_refuses_oversized_requests(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "lazy-pirate-server",
        &["--count", "1", "--max-msg-size", LIMIT],
    )?;
    let context = zmq::Context::new();
    let greedy = peer_socket(&context, zmq::REQ)?;
    greedy.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| greedy.send(vec![b'7'; OVERSIZED], 0))?;
    let client = bins.run(
        "lazy-pirate-client",
        &["--connect", &endpoint, "--count", "1"],
        PATIENCE,
    )?;
    client.expect_success()?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    let received = server.lines_after(Stream::Stdout, "Received: ");
    ensure(received == ["1"], || {
        format!("the server received {received:?}")
    })?;
    expect_no_bad_input(&server)
}

/// An oversized reply is never seen by the client: its request times out and
/// goes again on a new socket, and the right reply to that is accepted. The
/// server is the test's own REP, which answers the first request with 1000
/// bytes and every later one properly.
pub fn pirate_client_refuses_oversized_replies(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (server, endpoint) = bound_socket(&context, zmq::REP)?;
    let mut client = bins.spawn(
        "lazy-pirate-client",
        &[
            "--connect",
            &endpoint,
            "--count",
            "1",
            "--timeout-ms",
            "500",
            "--retries",
            "20",
            "--max-msg-size",
            LIMIT,
        ],
    )?;
    let deadline = Instant::now() + PATIENCE;
    let mut requests = 0;
    while !client.has_exited() && Instant::now() < deadline {
        if let Some(request) = recv_within_slice(&server)? {
            let reply = if requests == 0 {
                vec![b'1'; OVERSIZED]
            } else {
                request.concat()
            };
            requests += 1;
            retrying(|| server.send(&reply[..], 0))?;
        }
    }
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    expect_no_bad_input(&client)?;
    let sent = client.lines_after(Stream::Stdout, "Sending: ").len();
    ensure(sent >= 2, || {
        format!("request 1 was sent {sent} times: {:?}", client.stdout)
    })
}

/// An oversized message from a worker never reaches the server; the same
/// worker's beats, once it has reconnected, make it join.
pub fn heartbeat_server_refuses_oversized_messages(bins: &Bins) -> Result<()> {
    let (mut server, endpoint) = serve(
        bins,
        "heartbeat-server",
        &["--interval-ms", "5000", "--max-msg-size", LIMIT],
    )?;
    let context = zmq::Context::new();
    let peer = peer_socket(&context, zmq::DEALER)?;
    peer.set_identity(b"big").map_err(zmq_failure)?;
    peer.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| peer.send(vec![b'x'; OVERSIZED], 0))?;
    // Beats sent while the connection is being dropped are lost with it.
    let deadline = Instant::now() + PATIENCE;
    while !printed(&mut server, "worker big joined") {
        if Instant::now() > deadline {
            return Err(Failure::new(
                "the worker never joined after its oversized message",
            ));
        }
        // A beat that finds no room is skipped: the next one will do.
        let _ = peer.send("HEARTBEAT", zmq::DONTWAIT);
        std::thread::sleep(SLICE);
    }
    let server = server
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_no_bad_input(&server)
}

/// An oversized message from the server never reaches the worker. Its
/// connection is dropped for good, so the server falls silent; after four
/// silent beats the worker starts again on a new socket, and the server's
/// beats on that one make it `connected`.
pub fn heartbeat_worker_refuses_oversized_messages(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let router = peer_socket(&context, zmq::ROUTER)?;
    router.set_router_handover(true).map_err(zmq_failure)?;
    router
        .bind(crate::scenarios::ANY_PORT)
        .map_err(zmq_failure)?;
    let endpoint = match router.get_last_endpoint().map_err(zmq_failure)? {
        Ok(endpoint) => endpoint,
        Err(_) => return Err(Failure::new("endpoint not UTF-8")),
    };
    let mut worker = bins.spawn(
        "heartbeat-worker",
        &[
            "--connect",
            &endpoint,
            "--id",
            "w5",
            "--interval-ms",
            "50",
            "--liveness",
            "4",
            "--max-msg-size",
            LIMIT,
        ],
    )?;
    let deadline = Instant::now() + PATIENCE;
    let mut beats = 0;
    while !printed(&mut worker, "connected") {
        if Instant::now() > deadline {
            return Err(Failure::new("the worker never connected"));
        }
        if let Some(beat) = recv_within_slice(&router)? {
            let body: Vec<u8> = if beats == 0 {
                vec![b'x'; OVERSIZED]
            } else {
                b"HEARTBEAT".to_vec()
            };
            beats += 1;
            retrying(|| router.send_multipart([&beat[0][..], &body[..]], 0))?;
        }
    }
    let worker = worker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_no_bad_input(&worker)
}

/// An XPUB of the test's own, bound, with a monitor that reports its
/// disconnections; returns the socket, the monitor's PAIR and the endpoint.
fn watched_publisher(
    context: &zmq::Context,
    stem: &str,
) -> Result<(zmq::Socket, zmq::Socket, String)> {
    let (publisher, endpoint) = bound_socket(context, zmq::XPUB)?;
    let monitor = format!("inproc://{stem}-monitor");
    publisher
        .monitor(&monitor, zmq::SocketEvent::DISCONNECTED as i32)
        .map_err(zmq_failure)?;
    let events = peer_socket(context, zmq::PAIR)?;
    events.connect(&monitor).map_err(zmq_failure)?;
    Ok((publisher, events, endpoint))
}

/// Waits for a disconnection on a monitor's PAIR.
fn wait_disconnection(events: &zmq::Socket) -> Result<()> {
    let event = retrying(|| events.recv_multipart(0))?;
    let id = event
        .first()
        .and_then(|frame| frame.get(..2))
        .map(|id| u16::from_le_bytes([id[0], id[1]]));
    ensure(id == Some(zmq::SocketEvent::DISCONNECTED as u16), || {
        format!("expected a disconnection, got {event:?}")
    })
}

/// Sends `oversized` to a subscriber program started with `args` (plus the
/// endpoint and the limit), once it has subscribed; waits until it has
/// dropped the connection (libzmq counts an oversized message as a protocol
/// error, and a connecting socket does not reconnect after one); then stops
/// it with Ctrl-C and returns how it ended.
fn oversized_to_subscriber(
    bins: &Bins,
    name: &str,
    args: &[&str],
    oversized: &[u8],
) -> Result<Finished> {
    let context = zmq::Context::new();
    let (publisher, events, endpoint) = watched_publisher(&context, name)?;
    let mut all = vec!["--connect", &endpoint, "--max-msg-size", LIMIT];
    all.extend_from_slice(args);
    let subscriber = bins.spawn(name, &all)?;
    let subscription = retrying(|| publisher.recv_bytes(0))?;
    ensure(subscription == [1], || {
        format!("expected the empty subscription, got {subscription:?}")
    })?;
    retrying(|| publisher.send(oversized, 0))?;
    wait_disconnection(&events)?;
    let stopped = subscriber.stop_with(libc::SIGINT, STOP_WITHIN)?;
    crate::scenarios::ch1::expect_interrupted(&stopped)?;
    expect_no_bad_input(&stopped)?;
    Ok(stopped)
}

/// An oversized message never reaches the slow subscriber — not even as the
/// number 0 it is padded from: its connection is dropped, and it is still
/// waiting for its first message when Ctrl-C comes.
pub fn slow_subscriber_refuses_oversized_messages(bins: &Bins) -> Result<()> {
    let padded = format!("{:<OVERSIZED$}", 0);
    let stopped = oversized_to_subscriber(
        bins,
        "slow-subscriber",
        &["--count", "1", "--delay-ms", "0"],
        padded.as_bytes(),
    )?;
    ensure(stopped.stdout == ["receiving..."], || {
        format!("the subscriber received something: {:?}", stopped.stdout)
    })
}

/// An oversized message never reaches the snail: its connection is dropped,
/// and it is still waiting for its first message when Ctrl-C comes.
pub fn snail_subscriber_refuses_oversized_messages(bins: &Bins) -> Result<()> {
    let stopped = oversized_to_subscriber(
        bins,
        "snail-subscriber",
        &["--count", "1", "--work-ms", "0"],
        &[b'1'; OVERSIZED],
    )?;
    ensure(stopped.stdout == ["Getting data..."], || {
        format!("the snail received something: {:?}", stopped.stdout)
    })
}

/// A subscription over the publisher's limit is refused with its
/// connection — the test's SUB sees it dropped (socket monitor) while the
/// publisher still waits — and a normal subscriber then joins as the first.
pub fn hwm_publisher_refuses_oversized_subscriptions(bins: &Bins) -> Result<()> {
    let endpoint = unique_ipc_endpoint("hwm-limit");
    let mut publisher = bins.spawn(
        "hwm-publisher",
        &[
            "--bind",
            &endpoint,
            "--subscribers",
            "1",
            "--count",
            "1",
            "--max-msg-size",
            LIMIT,
        ],
    )?;
    publisher.wait_stdout("waiting for 1 subscribers", PATIENCE)?;
    let context = zmq::Context::new();
    let greedy = peer_socket(&context, zmq::SUB)?;
    let monitor = format!("inproc://hwm-limit-monitor-{}", std::process::id());
    greedy
        .monitor(&monitor, zmq::SocketEvent::DISCONNECTED as i32)
        .map_err(zmq_failure)?;
    let events = peer_socket(&context, zmq::PAIR)?;
    events.connect(&monitor).map_err(zmq_failure)?;
    greedy
        .set_subscribe(&[b'x'; OVERSIZED])
        .map_err(zmq_failure)?;
    greedy.connect(&endpoint).map_err(zmq_failure)?;
    let event = retrying(|| events.recv_multipart(0))?;
    let id = event
        .first()
        .and_then(|frame| frame.get(..2))
        .map(|id| u16::from_le_bytes([id[0], id[1]]));
    ensure(id == Some(zmq::SocketEvent::DISCONNECTED as u16), || {
        format!("expected a disconnection, got {event:?}")
    })?;
    ensure(!printed(&mut publisher, "joined"), || {
        "the oversized subscription was counted".into()
    })?;
    drop(greedy);
    let normal = peer_socket(&context, zmq::SUB)?;
    normal.set_subscribe(b"").map_err(zmq_failure)?;
    normal.connect(&endpoint).map_err(zmq_failure)?;
    publisher.wait_stdout("subscriber joined (1 of 1)", PATIENCE)?;
    publisher.wait_exit(PATIENCE)?.expect_success().map(drop)
}
