//! Chapter 4, the high-water mark: a PUB at its mark drops, a PUSH blocks,
//! and a small mark bounds the publisher's memory.

use std::time::Duration;

use crate::rss;
use crate::scenarios::peer::{peer_socket, retrying, zmq_failure};
use crate::scenarios::{serve, unique_ipc_endpoint, ANY_PORT, STOP_WITHIN};
use crate::{ensure, Bins, Failure, Finished, Result, Stream, PATIENCE};

/// Messages and their size in the memory runs: 40 MB in all, so an
/// unlimited queue is plain to see, and published in a fraction of a second.
pub const MEMORY_COUNT: u64 = 20_000;
/// See [`MEMORY_COUNT`].
pub const MEMORY_SIZE: u64 = 2_000;

/// A tally line of `slow-subscriber`: received, missing, gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Messages received.
    pub received: u64,
    /// Numbers that never came.
    pub missing: u64,
    /// Runs of missing numbers.
    pub gaps: u64,
}

/// Reads `received <r> messages, <m> missing in <g> gaps` from the
/// subscriber's output.
pub fn tally(subscriber: &Finished) -> Result<Tally> {
    let line = subscriber
        .lines_after(Stream::Stdout, "received ")
        .last()
        .copied()
        .ok_or_else(|| Failure::new(format!("no tally line: {:?}", subscriber.stdout)))?;
    let numbers: Vec<u64> = line
        .split(' ')
        .filter_map(|word| word.parse().ok())
        .collect();
    match numbers[..] {
        [received, missing, gaps] => Ok(Tally {
            received,
            missing,
            gaps,
        }),
        _ => Err(Failure::new(format!("not a tally: {line:?}"))),
    }
}

/// A SUB socket of the test's own that subscribes to everything and never
/// reads: the slowest subscriber there is. Its queue holds 10 messages.
fn stalled(context: &zmq::Context, kind: zmq::SocketType, endpoint: &str) -> Result<zmq::Socket> {
    let socket = peer_socket(context, kind)?;
    socket.set_rcvhwm(10).map_err(zmq_failure)?;
    if kind == zmq::SUB {
        socket.set_subscribe(b"").map_err(zmq_failure)?;
    }
    socket.connect(endpoint).map_err(zmq_failure)?;
    Ok(socket)
}

/// Fails unless the publisher printed `published <count> messages…`.
fn expect_published(publisher: &Finished, count: u64) -> Result<u64> {
    let line = publisher
        .lines_after(Stream::Stdout, &format!("published {count} messages in "))
        .first()
        .copied()
        .ok_or_else(|| {
            Failure::new(format!(
                "no \"published {count} messages\" line: {:?}",
                publisher.stdout
            ))
        })?;
    line.trim_end_matches(" ms")
        .parse()
        .map_err(|_| Failure::new(format!("no time in {line:?}")))
}

/// The book's claim: a PUB at its high-water mark drops. A publisher with a
/// mark of 10 sends 2000 large messages to a subscriber that takes a
/// millisecond over each: the publisher finishes at full speed, and the
/// subscriber finds most numbers missing, in gaps.
pub fn pub_at_its_hwm_drops_for_a_slow_subscriber(bins: &Bins) -> Result<()> {
    let endpoint = unique_ipc_endpoint("hwm-pub");
    let mut subscriber = bins.spawn(
        "slow-subscriber",
        &[
            "--connect",
            &endpoint,
            "--rcvhwm",
            "10",
            "--delay-ms",
            "1",
            "--idle-ms",
            "500",
        ],
    )?;
    subscriber.wait_stdout("receiving...", PATIENCE)?;
    let publisher = bins.run(
        "hwm-publisher",
        &[
            "--bind",
            &endpoint,
            "--subscribers",
            "1",
            "--interval-ms",
            "0",
            "--count",
            "2000",
            "--size",
            "10000",
        ],
        PATIENCE,
    )?;
    expect_published(&publisher.expect_success()?, 2000)?;
    let subscriber = subscriber.wait_exit(PATIENCE)?.expect_success()?;
    let got = tally(&subscriber)?;
    ensure(
        got.received > 0 && got.received < 1000 && got.missing > 0 && got.gaps > 0,
        || {
            format!(
                "expected drops in gaps, got {got:?}: {:?}",
                subscriber.stdout
            )
        },
    )
}

/// The contrast: a PUSH at its high-water mark waits. Against a PULL that
/// never reads, a send with a timeout fails with EAGAIN once the queues are
/// full — after at least the two marks' worth of messages, and far below
/// libzmq's default mark of 1000, which a mark set after the bind leaves in
/// force (the `hwm-before-bind` lab's starter blocks after 1000).
pub fn push_at_its_hwm_blocks_instead_of_dropping(bins: &Bins) -> Result<()> {
    let endpoint = unique_ipc_endpoint("hwm-push");
    let context = zmq::Context::new();
    let _stalled = stalled(&context, zmq::PULL, &endpoint)?;
    let blocked_after = push_until_blocked(bins, &endpoint, "10")?;
    ensure((20..500).contains(&blocked_after), || {
        format!("with --sndhwm 10 a send blocked after {blocked_after} messages")
    })
}

/// Runs a PUSH publisher with `--sndhwm sndhwm` and a send timeout against
/// whatever is connected to `endpoint`; returns after how many messages a
/// send blocked.
fn push_until_blocked(bins: &Bins, endpoint: &str, sndhwm: &str) -> Result<u64> {
    let publisher = bins.run(
        "hwm-publisher",
        &[
            "--bind",
            endpoint,
            "--pattern",
            "push",
            "--sndhwm",
            sndhwm,
            "--subscribers",
            "1",
            "--interval-ms",
            "0",
            "--count",
            "100000",
            "--size",
            "10000",
            "--send-timeout-ms",
            "200",
        ],
        PATIENCE,
    )?;
    let publisher = publisher.expect_success()?;
    let line = publisher
        .lines_after(Stream::Stdout, "send blocked: EAGAIN after ")
        .first()
        .copied()
        .ok_or_else(|| Failure::new(format!("no EAGAIN line: {:?}", publisher.stdout)))?;
    line.trim_end_matches(" messages")
        .parse()
        .map_err(|_| Failure::new(format!("no count in {line:?}")))
}

/// The receive mark and the subscriber's delay count too: a PUSH blocks
/// when the whole way is full, so a stalled subscriber (one message, then a
/// 100 s delay) with `--rcvhwm 1000` takes some 990 messages more than one
/// with `--rcvhwm 10` before the sender blocks.
pub fn rcvhwm_adds_to_what_a_push_can_send_before_blocking(bins: &Bins) -> Result<()> {
    let mut blocked = Vec::new();
    for rcvhwm in ["10", "1000"] {
        let endpoint = unique_ipc_endpoint("hwm-rcv");
        let mut subscriber = bins.spawn(
            "slow-subscriber",
            &[
                "--connect",
                &endpoint,
                "--pattern",
                "push",
                "--rcvhwm",
                rcvhwm,
                "--delay-ms",
                "100000",
            ],
        )?;
        subscriber.wait_stdout("receiving...", PATIENCE)?;
        blocked.push(push_until_blocked(bins, &endpoint, "10")?);
        subscriber
            .stop_with(libc::SIGINT, STOP_WITHIN)?
            .expect_success()?;
    }
    ensure(blocked[1] > blocked[0] + 500, || {
        format!("blocked after {blocked:?} messages with --rcvhwm 10 and 1000")
    })
}

/// A PUSH loses nothing: a slow subscriber (2 ms a message, a queue of 10)
/// gets all 50 large messages and the end marker, in order; the publisher
/// waited whenever the way was full.
pub fn push_loses_nothing_to_a_slow_subscriber(bins: &Bins) -> Result<()> {
    let (publisher, endpoint) = serve(
        bins,
        "hwm-publisher",
        &[
            "--pattern",
            "push",
            "--subscribers",
            "1",
            "--interval-ms",
            "0",
            "--count",
            "50",
            "--size",
            "10000",
            "--linger-ms",
            "-1",
        ],
    )?;
    let subscriber = bins.run(
        "slow-subscriber",
        &[
            "--connect",
            &endpoint,
            "--pattern",
            "push",
            "--rcvhwm",
            "10",
            "--delay-ms",
            "2",
        ],
        PATIENCE,
    )?;
    let subscriber = subscriber.expect_success()?;
    expect_published(&publisher.wait_exit(PATIENCE)?.expect_success()?, 50)?;
    let got = tally(&subscriber)?;
    ensure(
        got == Tally {
            received: 50,
            missing: 0,
            gaps: 0,
        } && subscriber
            .stdout
            .contains(&"end of the run: 50 messages were sent".to_string()),
        || format!("expected all 50 and the end: {:?}", subscriber.stdout),
    )
}

/// `--linger-ms` is how long queued messages may hold the exit: against a
/// subscriber that never reads, a publisher with `--linger-ms 1000` ends at
/// least a second after one with `--linger-ms 0` (CZMQ's default, the
/// book's), which drops its queue and ends at once. The messages are of
/// 100 kB, so that the ten still queued at the end can never fit in the
/// socket buffers (of smaller ones, the I/O thread may have moved them all
/// there, leaving nothing to linger on).
pub fn linger_holds_the_exit_while_messages_are_queued(bins: &Bins) -> Result<()> {
    let run = |linger: &str| -> Result<Finished> {
        let endpoint = unique_ipc_endpoint("hwm-linger");
        let context = zmq::Context::new();
        let _stalled = stalled(&context, zmq::SUB, &endpoint)?;
        let publisher = bins.run(
            "hwm-publisher",
            &[
                "--bind",
                &endpoint,
                "--subscribers",
                "1",
                "--interval-ms",
                "0",
                "--count",
                "100",
                "--size",
                "100000",
                "--linger-ms",
                linger,
            ],
            PATIENCE,
        )?;
        publisher.expect_success()
    };
    let (dropping, lingering) = (run("0")?, run("1000")?);
    ensure(
        lingering.elapsed >= Duration::from_millis(1000) && dropping.elapsed < lingering.elapsed,
        || {
            format!(
                "ended after {:?} with --linger-ms 0 and {:?} with 1000",
                dropping.elapsed, lingering.elapsed
            )
        },
    )
}

/// `--count` ends the publisher; `--interval-ms` paces it (60 ms after each
/// of 5 messages: at least 300 ms, against a run without pauses).
pub fn publisher_counts_and_paces_its_messages(bins: &Bins) -> Result<()> {
    let run = |interval: &str| -> Result<u64> {
        let publisher = bins.run(
            "hwm-publisher",
            &[
                "--bind",
                ANY_PORT,
                "--count",
                "5",
                "--interval-ms",
                interval,
            ],
            PATIENCE,
        )?;
        expect_published(&publisher.expect_success()?, 5)
    };
    let (paced, unpaced) = (run("60")?, run("0")?);
    ensure(paced >= 300 && unpaced < paced, || {
        format!("5 messages took {paced} ms 60 ms apart and {unpaced} ms without pauses")
    })
}

/// `--count` ends the subscriber after that many messages, none missing.
/// The feeder is the test's own PUSH, whose 20 messages fit its queue
/// whether or not the subscriber is still there to take them.
pub fn subscriber_stops_after_its_count(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (feeder, endpoint) = crate::scenarios::peer::bound_socket(&context, zmq::PUSH)?;
    let subscriber = bins.spawn(
        "slow-subscriber",
        &[
            "--connect",
            &endpoint,
            "--pattern",
            "push",
            "--delay-ms",
            "0",
            "--count",
            "5",
        ],
    )?;
    for number in 0..20 {
        retrying(|| feeder.send(number.to_string().as_str(), 0))?;
    }
    let subscriber = subscriber.wait_exit(PATIENCE)?.expect_success()?;
    let got = tally(&subscriber)?;
    ensure(
        got == Tally {
            received: 5,
            missing: 0,
            gaps: 0,
        },
        || format!("expected exactly 5: {:?}", subscriber.stdout),
    )
}

/// What dhat cannot see, measured as the kernel does: against a subscriber
/// that never reads, a publisher with `--sndhwm 10` keeps its memory while
/// one with no limit (`--sndhwm 0`) holds every message it could not send.
pub fn small_hwm_bounds_the_publishers_memory(bins: &Bins) -> Result<()> {
    let small = publisher_memory(bins, 10, Duration::from_millis(5))?;
    let unlimited = publisher_memory(bins, 0, Duration::from_millis(5))?;
    let payload_kib = MEMORY_COUNT * MEMORY_SIZE / 1024;
    ensure(
        unlimited.peak_kib > small.peak_kib + payload_kib / 2
            && small.peak_kib * 2 < unlimited.peak_kib,
        || {
            format!(
                "peak resident memory: {} KiB with --sndhwm 10, {} KiB unlimited \
                 ({payload_kib} KiB published)",
                small.peak_kib, unlimited.peak_kib
            )
        },
    )
}

/// A publisher's memory in one run: its peak, and samples over time.
#[derive(Debug, Clone)]
pub struct Memory {
    /// The peak resident memory, in KiB (the kernel's `VmHWM`).
    pub peak_kib: u64,
    /// The resident memory as it ran: time since the start, KiB.
    pub samples: Vec<(Duration, u64)>,
}

/// Runs `hwm-publisher` with `--sndhwm sndhwm` against a subscriber that
/// never reads, sampling its resident memory every `every`: the memory
/// scenario's and the chart's run. With `--linger-ms -1` the publisher, once
/// it has published, waits for ever to deliver what it still queues — the
/// moment to read its peak. Then it is killed.
pub fn publisher_memory(bins: &Bins, sndhwm: i32, every: Duration) -> Result<Memory> {
    let endpoint = unique_ipc_endpoint("hwm-memory");
    let context = zmq::Context::new();
    let _stalled = stalled(&context, zmq::SUB, &endpoint)?;
    let (count, size, sndhwm) = (
        MEMORY_COUNT.to_string(),
        MEMORY_SIZE.to_string(),
        sndhwm.to_string(),
    );
    let args = [
        "--bind",
        &endpoint,
        "--sndhwm",
        &sndhwm,
        "--subscribers",
        "1",
        "--interval-ms",
        "0",
        "--count",
        &count,
        "--size",
        &size,
        "--linger-ms",
        "-1",
    ];
    let mut publisher = bins.spawn("hwm-publisher", &args)?;
    let watch = rss::Watch::start(publisher.pid(), every);
    publisher.wait_stdout(&format!("published {count} messages"), PATIENCE)?;
    let peak = rss::peak_kib(publisher.pid());
    let samples = watch.stop();
    ensure(!publisher.has_exited(), || {
        "the publisher exited instead of lingering on its queue".into()
    })?;
    let peak_kib = peak.ok_or_else(|| Failure::new("no VmHWM for the publisher"))?;
    Ok(Memory { peak_kib, samples })
}

/// A subscriber survives messages that are not numbers — several frames, an
/// empty frame, bytes that are not UTF-8, a word — reporting each, and goes
/// on to count the good ones. The publisher is the test's own XPUB, which
/// sees the subscription arrive before it sends.
pub fn subscriber_reports_bad_messages_and_goes_on(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let publisher = peer_socket(&context, zmq::XPUB)?;
    publisher.bind(ANY_PORT).map_err(zmq_failure)?;
    let endpoint = match publisher.get_last_endpoint().map_err(zmq_failure)? {
        Ok(endpoint) => endpoint,
        Err(_) => return Err(Failure::new("endpoint not UTF-8")),
    };
    let subscriber = bins.spawn(
        "slow-subscriber",
        &["--connect", &endpoint, "--delay-ms", "0"],
    )?;
    retrying(|| publisher.recv_bytes(0))?;
    let bad: [&[&[u8]]; 4] = [&[b"1", b"2"], &[b""], &[b"\xff"], &[b"three"]];
    for message in bad {
        retrying(|| publisher.send_multipart(message.iter(), 0))?;
    }
    for good in ["0", "END 1"] {
        retrying(|| publisher.send(good, 0))?;
    }
    let subscriber = subscriber.wait_exit(PATIENCE)?.expect_success()?;
    let errors = subscriber.lines_after(Stream::Stderr, "error: bad message ");
    ensure(
        errors.len() == 4 && errors[0].contains("got 2 frames"),
        || format!("expected 4 bad messages reported: {:?}", subscriber.stderr),
    )?;
    let got = tally(&subscriber)?;
    ensure(
        got == Tally {
            received: 1,
            missing: 0,
            gaps: 0,
        },
        || format!("expected the one good message: {:?}", subscriber.stdout),
    )
}

/// The publisher's only input is subscriptions: an XSUB peer that first
/// sends other messages (a word, two frames, an empty frame) is reported
/// three times and not counted; its real subscription then is.
pub fn publisher_counts_only_real_subscriptions(bins: &Bins) -> Result<()> {
    let endpoint = unique_ipc_endpoint("hwm-junk");
    let mut publisher = bins.spawn(
        "hwm-publisher",
        &["--bind", &endpoint, "--subscribers", "1", "--count", "1"],
    )?;
    publisher.wait_stdout("waiting for 1 subscribers", PATIENCE)?;
    let context = zmq::Context::new();
    let peer = peer_socket(&context, zmq::XSUB)?;
    peer.connect(&endpoint).map_err(zmq_failure)?;
    let junk: [&[&[u8]]; 3] = [&[b"\x02junk"], &[b"\x02a", b"\xff"], &[b""]];
    for message in junk {
        retrying(|| peer.send_multipart(message.iter(), 0))?;
    }
    retrying(|| peer.send(&b"\x01"[..], 0))?;
    publisher.wait_stdout("subscriber joined (1 of 1)", PATIENCE)?;
    let publisher = publisher.wait_exit(PATIENCE)?.expect_success()?;
    let errors = publisher.lines_after(Stream::Stderr, "error: not a subscription");
    ensure(errors.len() == 3, || {
        format!("expected 3 messages reported: {:?}", publisher.stderr)
    })?;
    expect_published(&publisher, 1).map(drop)
}
