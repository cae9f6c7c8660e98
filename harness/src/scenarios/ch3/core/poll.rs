//! Chapter 3, polling: the poller (PULL + SUB), the multi-poller (an array of
//! PULL sockets) and the pusher that feeds them.

use std::collections::BTreeSet;
use std::time::Duration;

use super::send_until_dropped;
use crate::process::WriteTime;
use crate::scenarios::peer::{bound_socket, retrying, zmq_failure};
use crate::scenarios::serve;
use crate::scenarios::whole_messages::{expect_survived, HOSTILE, THREE_FRAMES};
use crate::scenarios::STOP_WITHIN;
use crate::{ensure, Bins, Finished, Result, Stream, PATIENCE};

/// The line the pollers print once their sockets are connected.
pub(super) const STARTING: &str = "starting...";

/// The harness's own PUSH (tasks) and XPUB (updates) sockets, and a poller
/// connected to both with `args`, whose subscription has reached the XPUB.
struct Feeds {
    _context: zmq::Context,
    tasks: zmq::Socket,
    updates: zmq::Socket,
    subscription: Vec<u8>,
}

fn feeds_and_poller(bins: &Bins, args: &[&str]) -> Result<(Feeds, crate::Running)> {
    let context = zmq::Context::new();
    let (tasks, tasks_endpoint) = bound_socket(&context, zmq::PUSH)?;
    let (updates, updates_endpoint) = bound_socket(&context, zmq::XPUB)?;
    let mut all = vec![
        "--ventilator",
        &tasks_endpoint,
        "--publisher",
        &updates_endpoint,
    ];
    all.extend_from_slice(args);
    let poller = bins.spawn("poller", &all)?;
    // An XPUB receives each subscription: 0x01 and the prefix.
    let subscription = retrying(|| updates.recv_bytes(0))?;
    Ok((
        Feeds {
            _context: context,
            tasks,
            updates,
            subscription,
        },
        poller,
    ))
}

fn send(socket: &zmq::Socket, data: &[u8]) -> Result<()> {
    retrying(|| socket.send(data, 0))
}

/// The subscription on the wire is the filter's bytes and nothing more —
/// with `--filter`, the given filter; with `--book-nul`, the printed
/// listing's `strlen + 1` bytes, a NUL included.
pub fn poller_subscribes_to_the_filter_without_a_nul(bins: &Bins) -> Result<()> {
    for (args, expected) in [
        (&[][..], &b"\x01Company1"[..]),
        (&["--filter", "Company2"][..], &b"\x01Company2"[..]),
        (&["--book-nul"][..], &b"\x01Company1\0"[..]),
    ] {
        let (feeds, poller) = feeds_and_poller(bins, args)?;
        ensure(feeds.subscription == expected, || {
            format!(
                "poller {args:?} subscribed {:?}, not {:?}",
                feeds.subscription.escape_ascii().to_string(),
                expected.escape_ascii().to_string()
            )
        })?;
        poller
            .stop_with(libc::SIGINT, STOP_WITHIN)?
            .expect_success()?;
    }
    Ok(())
}

/// The book's defect shown: subscribed to `Company1` plus a NUL, the poller
/// receives none of three `Company1 10` updates — the publisher filters
/// them out — and does receive an update that really contains the NUL,
/// sent after them. A correct poller gets the three updates.
pub fn book_nul_subscription_matches_no_real_update(bins: &Bins) -> Result<()> {
    let (feeds, book) = feeds_and_poller(bins, &["--book-nul", "--count", "1"])?;
    for update in [
        &b"Company1 10"[..],
        b"Company1 10",
        b"Company1 10",
        b"Company1\0 99",
    ] {
        send(&feeds.updates, update)?;
    }
    let book = book.wait_exit(PATIENCE)?.expect_success()?;
    let got = book.lines_after(Stream::Stdout, "ticker: ");
    ensure(got == ["Company1\0 99"], || {
        format!("the NUL subscription received {got:?}, expected only the update with a NUL")
    })?;
    let (feeds, fixed) = feeds_and_poller(bins, &["--count", "3"])?;
    for _ in 0..3 {
        send(&feeds.updates, b"Company1 10")?;
    }
    let fixed = fixed.wait_exit(PATIENCE)?.expect_success()?;
    let got = fixed.lines_after(Stream::Stdout, "ticker: ");
    ensure(got == ["Company1 10"; 3], || {
        format!("the fixed poller received {got:?}")
    })
}

/// One poll serves both sockets: tasks from a `pusher` and `Company1`
/// updates from chapter 2's `ticker-publisher` (which also publishes
/// `Company2`, filtered out), each printed with the socket's name.
pub fn poller_receives_from_both_sockets(bins: &Bins) -> Result<()> {
    let (_publisher, ticker) = serve(
        bins,
        "ticker-publisher",
        &["--rate", "1000", "--companies", "Company1,Company2"],
    )?;
    let (_pusher, tasks) = serve(
        bins,
        "pusher",
        &["--label", "task", "--count", "3", "--interval-ms", "0"],
    )?;
    let mut poller = bins.spawn("poller", &["--ventilator", &tasks, "--publisher", &ticker])?;
    for n in 0..3 {
        poller.wait_stdout(&format!("task: task {n}"), PATIENCE)?;
    }
    for _ in 0..3 {
        poller.wait_line_where(Stream::Stdout, PATIENCE, |l| {
            l.starts_with("ticker: Company1 ")
        })?;
    }
    let poller = poller
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    let others: Vec<&String> = poller
        .stdout
        .iter()
        .filter(|l| l.starts_with("ticker: ") && !l.starts_with("ticker: Company1 "))
        .collect();
    ensure(others.is_empty(), || {
        format!("updates outside the filter: {others:?}")
    })
}

/// A three-frame, an empty and a non-UTF-8 message on each socket: the
/// three-frame one is one bad message (reported, counted once), the others
/// are printed; a good message after them still arrives, and `--count`
/// counts messages from both sockets together.
pub fn poller_survives_multiframe_empty_and_non_utf8_messages(bins: &Bins) -> Result<()> {
    let (feeds, poller) = feeds_and_poller(bins, &["--filter", "", "--count", "8"])?;
    for message in HOSTILE.iter().copied().chain([&[&b"good"[..]][..]]) {
        retrying(|| feeds.tasks.send_multipart(message.iter().copied(), 0))?;
        retrying(|| feeds.updates.send_multipart(message.iter().copied(), 0))?;
    }
    let poller = poller.wait_exit(PATIENCE)?.expect_success()?;
    for name in ["task", "ticker"] {
        expect_survived(&poller, name, &format!("{name}: "), "good")?;
    }
    Ok(())
}

/// `--max-msg-size`: an update larger than the limit is refused — libzmq
/// drops that connection, which withdraws the poller's subscription (the
/// harness's XPUB sees it) — and is never printed; a task sent afterwards
/// on the other socket is.
pub fn poller_refuses_a_message_over_max_msg_size(bins: &Bins) -> Result<()> {
    let (feeds, poller) = feeds_and_poller(bins, &["--max-msg-size", "1000", "--count", "1"])?;
    let mut big = b"Company1 ".to_vec();
    big.resize(100_000, b'x');
    send(&feeds.updates, &big)?;
    // An XPUB reports a withdrawn subscription as 0x00 and the prefix.
    let mut withdrawn = feeds.subscription.clone();
    withdrawn[0] = 0;
    let got = retrying(|| feeds.updates.recv_bytes(0))?;
    ensure(got == withdrawn, || {
        format!("expected the subscription withdrawn by the drop, got {got:?}")
    })?;
    send(&feeds.tasks, b"small")?;
    let poller = poller.wait_exit(PATIENCE)?.expect_success()?;
    ensure(
        poller.stdout.iter().all(|l| !l.starts_with("ticker: ")),
        || "the oversized update was printed".into(),
    )?;
    let got = poller.lines_after(Stream::Stdout, "task: ");
    ensure(got == ["small"], || {
        format!("expected the small task, got {got:?}")
    })
}

/// The tasks a finished multi-poller printed, as `(socket, message)`.
fn sources(finished: &Finished) -> Vec<(String, String)> {
    finished
        .stdout
        .iter()
        .filter_map(|line| line.split_once(": "))
        .filter(|(socket, _)| socket.starts_with("pull"))
        .map(|(socket, message)| (socket.to_string(), message.to_string()))
        .collect()
}

/// Three pushers labelled `a`, `b`, `c`, one per `--connect`: every message
/// is printed with the name of the socket connected to its pusher (`pull1`
/// for `a`, …), each pusher's messages in order, none lost or doubled.
pub fn multi_poller_names_the_source_of_each_message(bins: &Bins) -> Result<()> {
    let mut endpoints = Vec::new();
    let mut pushers = Vec::new();
    for label in ["a", "b", "c"] {
        let (pusher, endpoint) = serve(
            bins,
            "pusher",
            &["--label", label, "--count", "3", "--interval-ms", "0"],
        )?;
        pushers.push(pusher);
        endpoints.push(endpoint);
    }
    let mut args = vec!["--count", "9"];
    for endpoint in &endpoints {
        args.extend(["--connect", endpoint.as_str()]);
    }
    let poller = bins
        .run("multi-poller", &args, PATIENCE)?
        .expect_success()?;
    let got = sources(&poller);
    for (socket, label) in [("pull1", "a"), ("pull2", "b"), ("pull3", "c")] {
        let from: Vec<&str> = got
            .iter()
            .filter(|(s, _)| s == socket)
            .map(|(_, m)| m.as_str())
            .collect();
        let expected: Vec<String> = (0..3).map(|n| format!("{label} {n}")).collect();
        ensure(from == expected, || {
            format!("{socket} printed {from:?}, expected {expected:?}: {got:?}")
        })?;
    }
    for pusher in pushers {
        pusher.wait_exit(PATIENCE)?.expect_success()?;
    }
    Ok(())
}

/// The multi-poller takes a three-frame, an empty and a non-UTF-8 message
/// as one message each, and names the socket of the bad one.
pub fn multi_poller_survives_multiframe_empty_and_non_utf8_messages(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (first, first_endpoint) = bound_socket(&context, zmq::PUSH)?;
    let (second, second_endpoint) = bound_socket(&context, zmq::PUSH)?;
    let poller = bins.spawn(
        "multi-poller",
        &[
            "--connect",
            &first_endpoint,
            "--connect",
            &second_endpoint,
            "--count",
            "4",
            "--max-msg-size",
            "1000",
        ],
    )?;
    for message in HOSTILE {
        retrying(|| second.send_multipart(message.iter().copied(), 0))?;
    }
    // Over --max-msg-size: refused (pull1's connection dropped), never counted.
    let monitor = send_until_dropped(&context, &first, &vec![b'x'; 100_000])?;
    send(&second, b"good")?;
    let poller = poller.wait_exit(PATIENCE)?.expect_success()?;
    drop(first);
    drop(monitor);
    let got = sources(&poller);
    let expected = [
        ("pull2", ""),
        ("pull2", "\u{fffd}\u{fffd}"),
        ("pull2", "good"),
    ];
    let got_set: BTreeSet<(&str, &str)> =
        got.iter().map(|(s, m)| (s.as_str(), m.as_str())).collect();
    ensure(
        got.len() == 3 && expected.iter().all(|e| got_set.contains(e)),
        || format!("expected {expected:?}, got {got:?}"),
    )?;
    let error = format!("error: bad message on pull2 {THREE_FRAMES}");
    ensure(poller.stderr.contains(&error), || {
        format!("no {error:?} on stderr: {:?}", poller.stderr)
    })
}

/// `--connect` (to the harness's PULL), `--label` and `--count`: exactly the
/// messages `x 0`, `x 1`, `x 2`, in order, then exit 0.
pub fn pusher_sends_count_labelled_messages(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (puller, endpoint) = bound_socket(&context, zmq::PULL)?;
    let pusher = bins.spawn(
        "pusher",
        &[
            "--connect",
            &endpoint,
            "--label",
            "x",
            "--count",
            "3",
            "--interval-ms",
            "0",
        ],
    )?;
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(retrying(|| puller.recv_bytes(0))?);
    }
    ensure(
        got == [b"x 0".to_vec(), b"x 1".to_vec(), b"x 2".to_vec()],
        || format!("received {got:?}"),
    )?;
    let pusher = pusher.wait_exit(PATIENCE)?.expect_success()?;
    ensure(
        pusher.lines_after(Stream::Stdout, "Sent: ") == ["x 0", "x 1", "x 2"],
        || format!("printed {:?}", pusher.stdout),
    )?;
    let more = puller.poll(zmq::POLLIN, 0).map_err(zmq_failure)?;
    ensure(more == 0, || "a fourth message arrived".into())
}

/// `--interval-ms` spaces the messages: the kernel's stamps of the four
/// `Sent:` lines of a pusher told 100 ms are each at least that far apart (a
/// sleep is never shorter than asked, and each line follows its sleep; 1 %
/// is left for the system clock the stamps use, which NTP may slew by
/// 0.05 %), and all four span less than three of the default 1 s — the
/// least a pusher that ignored the option would take. A loaded machine only
/// makes the gaps longer, and the upper bound leaves it more than 2.5 s; no
/// other run is compared, so the scenario runs beside the others.
pub fn pusher_interval_spaces_the_messages(bins: &Bins) -> Result<()> {
    const INTERVAL: Duration = Duration::from_millis(100);
    const DEFAULT: Duration = Duration::from_secs(1);
    const COUNT: usize = 4;
    let context = zmq::Context::new();
    let (puller, endpoint) = bound_socket(&context, zmq::PULL)?;
    let count = COUNT.to_string();
    let interval = INTERVAL.as_millis().to_string();
    let mut pusher = bins.spawn(
        "pusher",
        &[
            "--connect",
            &endpoint,
            "--count",
            &count,
            "--interval-ms",
            &interval,
        ],
    )?;
    for _ in 0..COUNT {
        retrying(|| puller.recv_bytes(0))?;
        pusher.wait_stdout("Sent: ", PATIENCE)?;
    }
    let sent: Vec<WriteTime> = pusher
        .lines(Stream::Stdout)
        .iter()
        .zip(pusher.line_times(Stream::Stdout))
        .filter(|(line, _)| line.starts_with("Sent: "))
        .map(|(_, &time)| time)
        .collect();
    pusher.wait_exit(PATIENCE)?.expect_success()?;
    let gaps: Vec<Duration> = sent.windows(2).map(|pair| pair[1] - pair[0]).collect();
    ensure(gaps.iter().all(|&gap| gap >= INTERVAL * 99 / 100), || {
        format!("{INTERVAL:?} apart, the Sent lines came {gaps:?} apart")
    })?;
    let span: Duration = gaps.iter().sum();
    let ignored = DEFAULT * (COUNT as u32 - 1);
    ensure(span < ignored, || {
        format!("{INTERVAL:?} apart, {COUNT} messages spanned {span:?}, as if {DEFAULT:?} apart")
    })
}

/// A missing puller is waited for, not an error: a bound pusher's first send
/// waits until a puller connects, then all its messages are delivered.
pub fn pusher_waits_for_a_puller(bins: &Bins) -> Result<()> {
    let (pusher, endpoint) = serve(bins, "pusher", &["--count", "2", "--interval-ms", "0"])?;
    let poller = bins
        .run(
            "multi-poller",
            &["--connect", &endpoint, "--count", "2"],
            PATIENCE,
        )?
        .expect_success()?;
    let got = sources(&poller);
    ensure(got.len() == 2, || format!("received {got:?}"))?;
    pusher.wait_exit(PATIENCE)?.expect_success().map(drop)
}
