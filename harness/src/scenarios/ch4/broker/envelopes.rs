//! Chapter 4, pub-sub envelopes: the key in a frame of its own, filtered by
//! prefix; the body never takes part in the match.

use std::collections::BTreeSet;

use crate::scenarios::book_ports::BookPorts;
use crate::scenarios::ch4::broker::rr::{expect_dropped, send_frames};
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::{serve, STOP_WITHIN};
use crate::{ensure, Bins, Finished, Result, Running, Stream, PATIENCE};

/// What the subscriber prints for each of the book's two messages.
pub(super) const COMPANY1: &str = "[Company1] Company Message to be ignored.";
/// The same for `Company10`.
pub(super) const COMPANY10: &str = "[Company10] Company message to receive.";

/// A publisher on a free port, a round every millisecond.
fn start_publisher(bins: &Bins) -> Result<(Running, String)> {
    serve(bins, "envelope-publisher", &["--interval-ms", "1"])
}

/// Runs a subscriber on `endpoint` for `count` messages with `args`.
fn run_subscriber(bins: &Bins, endpoint: &str, count: u64, args: &[&str]) -> Result<Finished> {
    let count = count.to_string();
    let mut all = vec!["--connect", endpoint, "--count", &count];
    all.extend_from_slice(args);
    bins.run("envelope-subscriber", &all, PATIENCE)?
        .expect_success()
}

/// The messages a subscriber printed (its stdout but its first line).
fn shown(subscriber: &Finished) -> Vec<&str> {
    let lines = subscriber.stdout.iter().map(String::as_str);
    lines.filter(|line| *line != "Starting client...").collect()
}

/// The book's subscriber: subscribed to `Company10`, it prints only
/// `Company10`'s body, each message's two frames as `[key] body`.
pub fn envelope_subscriber_gets_only_its_key(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = start_publisher(bins)?;
    let subscriber = run_subscriber(bins, &endpoint, 20, &[])?;
    ensure(shown(&subscriber) == [COMPANY10; 20], || {
        format!("expected 20 × {COMPANY10:?}: {:?}", subscriber.stdout)
    })
}

/// The match is still by prefix, on the key frame: `--key Company1` gets
/// `Company1`'s messages and `Company10`'s too.
pub fn key_company1_also_matches_company10(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = start_publisher(bins)?;
    let subscriber = run_subscriber(bins, &endpoint, 20, &["--key", "Company1"])?;
    let got: BTreeSet<&str> = shown(&subscriber).into_iter().collect();
    ensure(got == BTreeSet::from([COMPANY1, COMPANY10]), || {
        format!("expected both companies: {:?}", subscriber.stdout)
    })
}

/// `--exact` drops, in the subscriber, the keys the prefix let through:
/// `--key Company1 --exact` prints `Company1` only.
pub fn exact_key_drops_longer_keys(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = start_publisher(bins)?;
    let subscriber = run_subscriber(bins, &endpoint, 20, &["--key", "Company1", "--exact"])?;
    let got = shown(&subscriber);
    ensure(
        !got.is_empty() && got.iter().all(|line| *line == COMPANY1),
        || format!("expected only {COMPANY1:?}: {:?}", subscriber.stdout),
    )
}

/// `--count` rounds, then exit 0; `--interval-ms` apart: 5 rounds 100 ms
/// apart take at least 400 ms, and longer than 5 rounds with no pause.
pub fn envelope_publisher_count_and_interval(bins: &Bins) -> Result<()> {
    let run = |interval: &str| {
        let args = [
            "--bind",
            crate::scenarios::ANY_PORT,
            "--count",
            "5",
            "--interval-ms",
            interval,
        ];
        bins.run("envelope-publisher", &args, PATIENCE)?
            .expect_success()
    };
    let paused = run("100")?;
    let quick = run("0")?;
    ensure(
        paused.elapsed.as_millis() >= 400 && paused.elapsed > quick.elapsed,
        || {
            format!(
                "100 ms apart: {:?}; no pause: {:?}",
                paused.elapsed, quick.elapsed
            )
        },
    )
}

/// Messages that are not two frames, from the harness's own XPUB: each is
/// reported once on stderr (`error: bad message …`, with its frame count)
/// and skipped; a body that is not UTF-8 is printed lossily, an empty one as
/// nothing.
pub fn bad_envelopes_are_reported_and_skipped(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (publisher, endpoint) = bound_socket(&context, zmq::XPUB)?;
    let subscriber = bins.spawn(
        "envelope-subscriber",
        &["--connect", &endpoint, "--key", "", "--count", "5"],
    )?;
    // The subscription to everything: 0x01 and the empty prefix.
    let subscription = retrying(|| publisher.recv_bytes(0))?;
    ensure(subscription == [1], || format!("got {subscription:?}"))?;
    send_frames(&publisher, &[b"Company10 one frame"])?;
    send_frames(&publisher, &[b"Company10", b"body", b"extra"])?;
    send_frames(&publisher, &[b"Company10", b"\xffbody"])?;
    send_frames(&publisher, &[b"Company10", b""])?;
    send_frames(&publisher, &[b"Company1", b"fine"])?;
    let subscriber = subscriber.wait_exit(PATIENCE)?.expect_success()?;
    let errors = subscriber.lines_after(Stream::Stderr, "error: bad message ");
    ensure(
        shown(&subscriber)
            == [
                "[Company10] \u{fffd}body",
                "[Company10] ",
                "[Company1] fine",
            ]
            && errors.len() == 2
            && errors[0].ends_with("got 1 frame")
            && errors[1].ends_with("got 3 frames"),
        || {
            format!(
                "subscriber: {:?} / {:?}",
                subscriber.stdout, subscriber.stderr
            )
        },
    )
}

/// With no endpoint options the pair talks on the book's port 4040 (holding
/// the [`BookPorts`] lock).
pub fn envelope_defaults_talk_on_port_4040(bins: &Bins) -> Result<()> {
    let _ports = BookPorts::lock()?;
    let mut publisher = bins.spawn("envelope-publisher", &[] as &[&str])?;
    let bound = publisher.bound_endpoint(PATIENCE)?;
    ensure(bound == "tcp://0.0.0.0:4040", || {
        format!("bound {bound}, not the book's tcp://*:4040")
    })?;
    let subscriber = bins.run("envelope-subscriber", &["--count", "3"], PATIENCE)?;
    let subscriber = subscriber.expect_success()?;
    ensure(shown(&subscriber) == [COMPANY10; 3], || {
        format!("{:?}", subscriber.stdout)
    })
}

/// `--max-msg-size` on both programs: a message over it makes the
/// subscriber's libzmq drop the connection instead of delivering it, and a
/// subscription over it makes the publisher's do the same (a socket monitor on
/// the harness's side sees each drop).
pub fn oversized_messages_and_subscriptions_are_refused(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (publisher, endpoint) = bound_socket(&context, zmq::XPUB)?;
    let subscriber = bins.spawn(
        "envelope-subscriber",
        &[
            "--connect",
            &endpoint,
            "--key",
            "",
            "--max-msg-size",
            "1000",
        ],
    )?;
    retrying(|| publisher.recv_bytes(0))?;
    let big = vec![b'x'; 5000];
    let monitor = expect_dropped(&context, &publisher, || {
        send_frames(&publisher, &[b"Company10", &big])
    })?;
    drop(publisher);
    drop(monitor);
    let subscriber = subscriber
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    ensure(shown(&subscriber).is_empty(), || {
        format!("the subscriber got it: {:?}", subscriber.stdout)
    })?;
    let (_limited, endpoint) = serve(
        bins,
        "envelope-publisher",
        &["--interval-ms", "1", "--max-msg-size", "1000"],
    )?;
    let greedy = peer_socket(&context, zmq::SUB)?;
    let monitor = expect_dropped(&context, &greedy, || {
        greedy.connect(&endpoint).map_err(zmq_failure)?;
        greedy.set_subscribe(&big).map_err(zmq_failure)
    })?;
    drop(greedy);
    drop(monitor);
    Ok(())
}
