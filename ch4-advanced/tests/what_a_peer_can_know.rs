//! What one end of a ZeroMQ connection can know about the other, tried on
//! the libzmq these examples link: the claims of chapter 4's prose about
//! publishers, silent peers and heartbeats (see the "The text says / In
//! fact" rows of the chapter's errata). Every wait is bounded by a receive
//! or read timeout, so a wrong claim fails instead of hanging.

// The helpers below serve the tests only: a failed `expect` there is a failed
// test, as it is inside a `#[test]`.
#![allow(clippy::expect_used)]

use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// The longest any step may take before the test fails.
const PATIENCE_MS: i32 = 5000;

/// A socket of `kind` bound to a free TCP port on the loopback, and that
/// endpoint.
fn bound(context: &zmq::Context, kind: zmq::SocketType) -> (zmq::Socket, String) {
    let socket = context.socket(kind).expect("a socket");
    socket.set_linger(0).expect("linger");
    socket.set_rcvtimeo(PATIENCE_MS).expect("rcvtimeo");
    socket.bind("tcp://127.0.0.1:*").expect("bind");
    let endpoint = socket
        .get_last_endpoint()
        .expect("endpoint")
        .expect("a UTF-8 endpoint");
    (socket, endpoint)
}

fn connected(context: &zmq::Context, kind: zmq::SocketType, endpoint: &str) -> zmq::Socket {
    let socket = context.socket(kind).expect("a socket");
    socket.set_linger(0).expect("linger");
    socket.set_rcvtimeo(PATIENCE_MS).expect("rcvtimeo");
    socket.connect(endpoint).expect("connect");
    socket
}

/// A PAIR that receives `socket`'s monitor events of the kinds in `events`.
fn monitor(
    context: &zmq::Context,
    socket: &zmq::Socket,
    name: &str,
    events: &[zmq::SocketEvent],
) -> zmq::Socket {
    let endpoint = format!("inproc://monitor-{name}");
    let mask = events.iter().fold(0, |mask, event| mask | event.to_raw());
    socket.monitor(&endpoint, i32::from(mask)).expect("monitor");
    connected(context, zmq::PAIR, &endpoint)
}

/// The next event on a monitor: its kind (the endpoint frame is skipped).
fn next_event(monitor: &zmq::Socket) -> zmq::SocketEvent {
    let frames = monitor.recv_multipart(0).expect("a monitor event in time");
    zmq::SocketEvent::from_raw(u16::from_ne_bytes([frames[0][0], frames[0][1]]))
}

/// A PUB socket is told of each subscriber that connects and of each that
/// leaves: its monitor reports the accepted connection and its end (row
/// `ch4-text-publisher-blind`).
#[test]
fn a_publisher_sees_each_subscriber_come_and_go() {
    let context = zmq::Context::new();
    let publisher = context.socket(zmq::PUB).expect("a PUB socket");
    publisher.set_linger(0).expect("linger");
    let events = monitor(
        &context,
        &publisher,
        "pub",
        &[zmq::SocketEvent::ACCEPTED, zmq::SocketEvent::DISCONNECTED],
    );
    publisher.bind("tcp://127.0.0.1:*").expect("bind");
    let endpoint = publisher
        .get_last_endpoint()
        .expect("endpoint")
        .expect("a UTF-8 endpoint");
    let subscriber = connected(&context, zmq::SUB, &endpoint);
    assert_eq!(next_event(&events), zmq::SocketEvent::ACCEPTED);
    drop(subscriber);
    assert_eq!(next_event(&events), zmq::SocketEvent::DISCONNECTED);
}

/// An XPUB — a PUB that hands the program what its subscribers send it —
/// receives each subscription as it is made and, when the subscriber goes,
/// the matching unsubscription (row `ch4-text-publisher-blind`).
#[test]
fn an_xpub_hears_each_subscription_and_its_end() {
    let context = zmq::Context::new();
    let (publisher, endpoint) = bound(&context, zmq::XPUB);
    let subscriber = connected(&context, zmq::SUB, &endpoint);
    subscriber.set_subscribe(b"Company1").expect("subscribe");
    assert_eq!(
        publisher.recv_bytes(0).expect("the subscription"),
        b"\x01Company1"
    );
    drop(subscriber);
    assert_eq!(
        publisher.recv_bytes(0).expect("the unsubscription"),
        b"\x00Company1"
    );
}

/// Publish-subscribe carries messages both ways: an XSUB sends its
/// subscription and then any message it likes up to its XPUB, which
/// receives both, while the XPUB's own messages flow down as ever (row
/// `ch4-text-pubsub-one-way`).
#[test]
fn an_xsub_sends_messages_up_to_its_publisher() {
    let context = zmq::Context::new();
    let (publisher, endpoint) = bound(&context, zmq::XPUB);
    let subscriber = connected(&context, zmq::XSUB, &endpoint);
    subscriber.send(&b"\x01"[..], 0).expect("subscribe");
    subscriber.send("ack 7", 0).expect("a message upstream");
    assert_eq!(publisher.recv_bytes(0).expect("the subscription"), b"\x01");
    assert_eq!(publisher.recv_bytes(0).expect("the message"), b"ack 7");
    publisher.send("update 8", 0).expect("publish");
    assert_eq!(subscriber.recv_bytes(0).expect("the update"), b"update 8");
}

/// A REP server is not told that its client has gone: once the client's
/// connection is closed (its monitor says so), the reply is still sent
/// without an error — and dropped — and the server would wait for the next
/// request as it does for a live client (row `ch4-text-silence-is-easy`).
#[test]
fn a_rep_server_is_not_told_its_client_is_gone() {
    let context = zmq::Context::new();
    let (server, endpoint) = bound(&context, zmq::REP);
    let events = monitor(&context, &server, "rep", &[zmq::SocketEvent::DISCONNECTED]);
    let client = connected(&context, zmq::REQ, &endpoint);
    client.send("hello", 0).expect("request");
    assert_eq!(server.recv_bytes(0).expect("the request"), b"hello");
    drop(client);
    assert_eq!(next_event(&events), zmq::SocketEvent::DISCONNECTED);
    assert_eq!(server.send("world", 0), Ok(()));
}

/// libzmq's own heartbeats (ZMTP PING, since 4.2) work under request-reply
/// sockets too: a REQ with `ZMQ_HEARTBEAT_IVL` connected to a peer that
/// completes the handshake and then says nothing closes the connection once
/// `ZMQ_HEARTBEAT_TIMEOUT` has passed without a word. The peer is the test's
/// own TCP listener, speaking just enough ZMTP 3.1 to pass for a REP (row
/// `ch4-text-heartbeat-not-request-reply`).
#[test]
fn zmtp_heartbeats_close_a_silent_peers_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a TCP listener");
    let port = listener.local_addr().expect("its address").port();
    let context = zmq::Context::new();
    let client = context.socket(zmq::REQ).expect("a REQ socket");
    client.set_linger(0).expect("linger");
    client.set_heartbeat_ivl(100).expect("heartbeat interval");
    client
        .set_heartbeat_timeout(300)
        .expect("heartbeat timeout");
    client
        .connect(&format!("tcp://127.0.0.1:{port}"))
        .expect("connect");
    let (mut peer, _) = listener.accept().expect("the REQ's connection");
    let patience = Duration::from_millis(PATIENCE_MS.unsigned_abs().into());
    peer.set_read_timeout(Some(patience)).expect("read timeout");
    peer.write_all(&zmtp_greeting()).expect("greeting");
    peer.write_all(&zmtp_ready("REP")).expect("READY");
    // Read what the REQ sends — its greeting, READY, PINGs — until it
    // closes the connection; never answer.
    let mut buffer = [0u8; 256];
    loop {
        match peer.read(&mut buffer) {
            Ok(0) => break,
            Ok(_) => continue,
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(error) => panic!("the REQ kept the silent peer's connection: {error}"),
        }
    }
}

/// A ZMTP 3.1 greeting: signature, version, the NULL mechanism, not a server.
fn zmtp_greeting() -> Vec<u8> {
    let mut greeting = vec![0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 1];
    let mut mechanism = b"NULL".to_vec();
    mechanism.resize(20, 0);
    greeting.extend(mechanism);
    greeting.push(0);
    greeting.resize(64, 0);
    greeting
}

/// The NULL mechanism's READY command, naming the socket type.
fn zmtp_ready(socket_type: &str) -> Vec<u8> {
    let mut body = vec![5];
    body.extend(b"READY");
    body.push(11);
    body.extend(b"Socket-Type");
    let length = u32::try_from(socket_type.len()).expect("a short name");
    body.extend(length.to_be_bytes());
    body.extend(socket_type.as_bytes());
    let size = u8::try_from(body.len()).expect("a short command");
    let mut command = vec![0x04, size];
    command.extend(body);
    command
}
