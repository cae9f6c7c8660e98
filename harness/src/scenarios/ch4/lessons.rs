//! Chapter 4's lessons that are libzmq's own: what a ROUTER, a REP and a PUB
//! do at the high-water mark, the default mark, what a subscription matches,
//! and that nothing is ever sent twice. Each says which claim of the text it
//! proves.
//!
//! The high-water scenarios run over `inproc`, between the harness's own
//! sockets on one thread: there the two marks are the whole queue (no I/O
//! thread, no kernel buffer between them; libzmq sizes an inproc pipe as
//! the sender's mark plus the receiver's), so what a socket queues, drops or
//! refuses is an exact count, not a race.

use crate::scenarios::monitor::Monitor;
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, uninterrupted, zmq_failure};
use crate::scenarios::STOP_WITHIN;
use crate::{ensure, Bins, Result, Stream, PATIENCE};

/// Where each scenario's bound socket listens: inproc names belong to one
/// context, and each scenario has its own.
const ENDPOINT: &str = "inproc://lesson";

/// The sender's and the receiver's high-water mark in the inproc scenarios:
/// between them, a pipe holds 10 messages.
const MARK: i32 = 5;

/// Everything `socket` has queued, each message's frames as strings, read
/// without waiting.
fn drain(socket: &zmq::Socket) -> Result<Vec<Vec<String>>> {
    let mut messages = Vec::new();
    loop {
        match uninterrupted(|| socket.recv_multipart(zmq::DONTWAIT)) {
            Ok(frames) => messages.push(
                frames
                    .iter()
                    .map(|frame| String::from_utf8_lossy(frame).into_owned())
                    .collect(),
            ),
            Err(zmq::Error::EAGAIN) => return Ok(messages),
            Err(error) => return Err(zmq_failure(error)),
        }
    }
}

/// `0..count` as messages of one frame each, optionally after `first`.
fn numbered(first: Option<&str>, count: usize) -> Vec<Vec<String>> {
    (0..count)
        .map(|n| {
            first
                .into_iter()
                .map(str::to_string)
                .chain([n.to_string()])
                .collect()
        })
        .collect()
}

/// A ROUTER bound to [`ENDPOINT`] with a send mark of [`MARK`], and a DEALER
/// named `dealer` with a receive mark of [`MARK`] that never reads, its
/// hello already received (so the ROUTER knows the name).
fn router_and_dealer(
    context: &zmq::Context,
    mandatory: bool,
) -> Result<(zmq::Socket, zmq::Socket)> {
    let router = peer_socket(context, zmq::ROUTER)?;
    router.set_sndhwm(MARK).map_err(zmq_failure)?;
    router
        .set_router_mandatory(mandatory)
        .map_err(zmq_failure)?;
    router.bind(ENDPOINT).map_err(zmq_failure)?;
    let dealer = peer_socket(context, zmq::DEALER)?;
    dealer.set_rcvhwm(MARK).map_err(zmq_failure)?;
    dealer.set_identity(b"dealer").map_err(zmq_failure)?;
    dealer.connect(ENDPOINT).map_err(zmq_failure)?;
    retrying(|| dealer.send("hello", 0))?;
    let hello = retrying(|| router.recv_multipart(0))?;
    ensure(hello == [b"dealer".to_vec(), b"hello".to_vec()], || {
        format!("expected the dealer's hello, got {hello:?}")
    })?;
    Ok((router, dealer))
}

/// The text says a socket at its mark drops or blocks, REQ-REP blocking. A
/// ROUTER drops: 30 messages to a peer that reads nothing are all "sent" —
/// none blocks, none fails — and the peer finds the first 10 (its pipe's
/// two marks), the other 20 gone. To a peer it does not know, the send
/// succeeds too, and the message is dropped.
pub fn router_at_its_hwm_drops_what_it_cannot_queue(_bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (router, dealer) = router_and_dealer(&context, false)?;
    for n in 0..30 {
        retrying(|| router.send_multipart(["dealer", &n.to_string()], zmq::DONTWAIT))
            .map_err(|failure| failure.context(format!("sending message {n}")))?;
    }
    retrying(|| router.send_multipart(["nobody", "lost"], zmq::DONTWAIT))
        .map_err(|failure| failure.context("sending to an unknown peer"))?;
    let received = drain(&dealer)?;
    ensure(received == numbered(None, 10), || {
        format!("expected messages 0 to 9 and no more, got {received:?}")
    })
}

/// The same claim for REP, whose replies go out through a ROUTER: a DEALER
/// sends 30 requests and reads no reply. The REP receives and answers each
/// one with a blocking send, and never blocks (a send that did would run
/// out of the harness's patience and fail): the first 10 replies are
/// queued, the other 20 dropped.
pub fn rep_at_its_hwm_drops_replies_instead_of_blocking(_bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let replier = peer_socket(&context, zmq::REP)?;
    replier.set_sndhwm(MARK).map_err(zmq_failure)?;
    replier.bind(ENDPOINT).map_err(zmq_failure)?;
    let dealer = peer_socket(&context, zmq::DEALER)?;
    dealer.set_rcvhwm(MARK).map_err(zmq_failure)?;
    dealer.connect(ENDPOINT).map_err(zmq_failure)?;
    for n in 0..30 {
        // The empty frame a REQ would put before its request.
        retrying(|| dealer.send_multipart(["", &n.to_string()], 0))?;
    }
    for n in 0..30 {
        let request = retrying(|| replier.recv_bytes(0))?;
        retrying(|| replier.send(&request[..], 0))
            .map_err(|failure| failure.context(format!("replying to request {n}")))?;
    }
    let received = drain(&dealer)?;
    ensure(received == numbered(Some(""), 10), || {
        format!("expected replies 0 to 9 and no more, got {received:?}")
    })
}

/// The text's "drops or blocks" misses the third way: with
/// `ZMQ_ROUTER_MANDATORY` a ROUTER's send fails instead of dropping (libzmq
/// 4.3.4, `router_t::xsend`) — at once with `EHOSTUNREACH` for a peer it
/// does not know, even a blocking send; and with `EAGAIN` at the mark, when
/// sent with `ZMQ_DONTWAIT`. Nothing is lost: the peer finds all 10 it took.
pub fn router_mandatory_refuses_an_unknown_peer_and_a_full_one(_bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (router, dealer) = router_and_dealer(&context, true)?;
    let unknown = uninterrupted(|| router.send_multipart(["nobody", "x"], 0));
    ensure(unknown == Err(zmq::Error::EHOSTUNREACH), || {
        format!("to an unknown peer: expected EHOSTUNREACH, got {unknown:?}")
    })?;
    for n in 0..10 {
        retrying(|| router.send_multipart(["dealer", &n.to_string()], zmq::DONTWAIT))?;
    }
    let full = uninterrupted(|| router.send_multipart(["dealer", "10"], zmq::DONTWAIT));
    ensure(full == Err(zmq::Error::EAGAIN), || {
        format!("at the mark: expected EAGAIN, got {full:?}")
    })?;
    let received = drain(&dealer)?;
    ensure(received == numbered(None, 10), || {
        format!("expected messages 0 to 9, got {received:?}")
    })
}

/// The text: at the mark a PUB drops. It drops for that subscriber only:
/// of two subscribers with the same marks, one reads each of 100 numbered
/// messages as it is published and gets all of them; the other reads
/// nothing until the end and finds the first 10, then a gap to the end.
/// The publisher is an XPUB — libzmq's PUB is an XPUB that hides the
/// subscriptions — so the test sees both subscriptions arrive first.
pub fn pub_drops_only_for_the_subscriber_that_does_not_read(_bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let publisher = peer_socket(&context, zmq::XPUB)?;
    publisher.set_sndhwm(MARK).map_err(zmq_failure)?;
    // Both subscribe to everything: without this the second, the same
    // subscription, would not be passed up.
    publisher.set_xpub_verbose(true).map_err(zmq_failure)?;
    publisher.bind(ENDPOINT).map_err(zmq_failure)?;
    let subscriber = || -> Result<zmq::Socket> {
        let socket = peer_socket(&context, zmq::SUB)?;
        socket.set_rcvhwm(MARK).map_err(zmq_failure)?;
        socket.set_subscribe(b"").map_err(zmq_failure)?;
        socket.connect(ENDPOINT).map_err(zmq_failure)?;
        Ok(socket)
    };
    let (reader, idler) = (subscriber()?, subscriber()?);
    for _ in 0..2 {
        retrying(|| publisher.recv_bytes(0))?;
    }
    for n in 0..100 {
        retrying(|| publisher.send(n.to_string().as_str(), 0))?;
        // Over inproc a message is there as soon as it is sent.
        let got = uninterrupted(|| reader.recv_bytes(zmq::DONTWAIT));
        ensure(got.as_deref() == Ok(n.to_string().as_bytes()), || {
            format!("the reading subscriber expected {n}, got {got:?}")
        })?;
        // The publisher learns what a subscriber has read from a command the
        // subscriber sends every few messages; a socket takes its commands in
        // when asked for its events (as zmq_poll asks), on a send only about
        // once a millisecond. Unasked, it would take the reader too for full.
        publisher.get_events().map_err(zmq_failure)?;
    }
    let idled = drain(&idler)?;
    ensure(idled == numbered(None, 10), || {
        format!("the idle subscriber: expected 0 to 9 and no more, got {idled:?}")
    })?;
    let left = drain(&reader)?;
    ensure(left.is_empty(), || format!("the reader had more: {left:?}"))
}

/// The text: since libzmq 3 the default mark is 1000. A fresh socket of
/// every kind reports 1000 for sending and for receiving; and a PUSH that
/// no PULL reads, over inproc, takes exactly 2000 messages — its 1000 and
/// the PULL's 1000 — before a send with `ZMQ_DONTWAIT` says `EAGAIN`.
pub fn default_hwm_is_1000_each_way(_bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    for kind in [
        zmq::PAIR,
        zmq::PUB,
        zmq::SUB,
        zmq::REQ,
        zmq::REP,
        zmq::DEALER,
        zmq::ROUTER,
        zmq::PULL,
        zmq::PUSH,
        zmq::XPUB,
        zmq::XSUB,
    ] {
        let socket = peer_socket(&context, kind)?;
        let marks = (socket.get_sndhwm(), socket.get_rcvhwm());
        ensure(marks == (Ok(1000), Ok(1000)), || {
            format!("a fresh {kind:?}: send and receive marks {marks:?}")
        })?;
    }
    let puller = peer_socket(&context, zmq::PULL)?;
    puller.bind(ENDPOINT).map_err(zmq_failure)?;
    let pusher = peer_socket(&context, zmq::PUSH)?;
    pusher.connect(ENDPOINT).map_err(zmq_failure)?;
    let mut sent = 0;
    let refusal = loop {
        match uninterrupted(|| pusher.send("m", zmq::DONTWAIT)) {
            Ok(()) if sent < 10_000 => sent += 1,
            outcome => break outcome,
        }
    };
    ensure(sent == 2000 && refusal == Err(zmq::Error::EAGAIN), || {
        format!("expected 2000 messages queued, then EAGAIN; {sent} queued, then {refusal:?}")
    })
}

/// The text (envelopes): a subscription matches the key frame. Only the
/// first frame takes part: a message whose body begins with the subscribed
/// `Company1` but whose key is `Company2` is not delivered, not even its
/// body; the next message, keyed `Company1`, is — whole.
pub fn a_body_that_starts_with_the_key_matches_nothing(_bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let publisher = peer_socket(&context, zmq::XPUB)?;
    publisher.bind(ENDPOINT).map_err(zmq_failure)?;
    let subscriber = peer_socket(&context, zmq::SUB)?;
    subscriber.set_subscribe(b"Company1").map_err(zmq_failure)?;
    subscriber.connect(ENDPOINT).map_err(zmq_failure)?;
    let subscription = retrying(|| publisher.recv_bytes(0))?;
    ensure(subscription == b"\x01Company1", || {
        format!("expected the subscription to Company1, got {subscription:?}")
    })?;
    retrying(|| publisher.send_multipart(["Company2", "Company1 in the body"], 0))?;
    retrying(|| publisher.send_multipart(["Company1", "the key's message"], 0))?;
    let received = drain(&subscriber)?;
    ensure(
        received
            == [vec![
                "Company1".to_string(),
                "the key's message".to_string(),
            ]],
        || format!("expected only the message keyed Company1, got {received:?}"),
    )
}

/// The text says that in ZeroMQ lost messages are resent. They never are:
/// a worker takes a task (and may have the next one queued) and is killed
/// before it sends a result; once libzmq has dropped its connection a
/// second worker connects, and a new task is the first thing it gets and
/// the first result the sink sees — nothing of the first worker's is
/// delivered again. Resending is the application's work (the lazy pirate).
pub fn a_task_lost_with_its_worker_is_never_resent(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (ventilator, tasks) = bound_socket(&context, zmq::PUSH)?;
    let (sink, results) = bound_socket(&context, zmq::PULL)?;
    let connections = Monitor::start(&context, &ventilator)?;
    let worker = |extra: &[&str]| {
        let args = [
            &["--ventilator", tasks.as_str(), "--sink", results.as_str()],
            extra,
        ]
        .concat();
        bins.spawn("task-worker", &args)
    };
    let mut doomed = worker(&["--max-work-ms", "100000"])?;
    connections.wait_handshake()?;
    for task in ["100000", "9"] {
        retrying(|| ventilator.send(task, 0))?;
    }
    doomed.wait_stdout("100000.0: 316.2", PATIENCE)?;
    doomed.signal(libc::SIGKILL)?;
    connections.wait_dropped()?;
    let second = worker(&[])?;
    connections.wait_handshake()?;
    // The ventilator takes in what its I/O thread told it — the dead
    // worker's pipe is gone — before it chooses where to send.
    ventilator.get_events().map_err(zmq_failure)?;
    retrying(|| ventilator.send("16", 0))?;
    let first_result = retrying(|| sink.recv_bytes(0))?;
    ensure(first_result == b"16.0 4.0", || {
        format!(
            "the sink's first result after the crash: {:?}, not 16's",
            String::from_utf8_lossy(&first_result)
        )
    })?;
    let second = second.stop_with(libc::SIGINT, STOP_WITHIN)?;
    let worked = second.lines_after(Stream::Stdout, "");
    ensure(worked == ["Worker starting...", "16.0: 4.0"], || {
        format!("the second worker did more than the new task: {worked:?}")
    })
}
