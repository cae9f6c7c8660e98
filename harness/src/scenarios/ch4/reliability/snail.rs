//! Chapter 4, the suicidal snail: a subscriber that falls behind notices it
//! and stops with its own exit status; one that keeps up does its count.

use crate::scenarios::peer::{peer_socket, retrying, zmq_failure};
use crate::scenarios::{serve, ANY_PORT, STOP_WITHIN};
use crate::{ensure, Bins, Failure, Finished, Result, Stream, PATIENCE};

/// The exit status a too-slow subscriber documents (`--help`, walkthrough).
pub const TOO_SLOW_EXIT: i32 = 3;

/// The lags, in ms, of the messages the subscriber printed.
fn lags(subscriber: &Finished) -> Result<Vec<u64>> {
    subscriber
        .lines_after(Stream::Stdout, "received ")
        .iter()
        .map(|line| {
            let lag = line
                .split(": ")
                .nth(1)
                .and_then(|rest| rest.strip_suffix(" ms late"))
                .and_then(|lag| lag.parse().ok());
            lag.ok_or_else(|| Failure::new(format!("no lag in {line:?}")))
        })
        .collect()
}

/// The lesson, scaled down: time every 20 ms, 60 ms of work per message, at
/// most 80 ms of lag. Each message finds the subscriber 40 ms further
/// behind, so within a few messages it prints the book's sentence and exits
/// with status 3 — and prints nothing after it (the book's listing carried
/// on).
pub fn slow_subscriber_aborts_with_status_3(bins: &Bins) -> Result<()> {
    let (publisher, endpoint) = serve(bins, "snail-publisher", &["--interval-ms", "20"])?;
    let subscriber = bins.run(
        "snail-subscriber",
        &[
            "--connect",
            &endpoint,
            "--work-ms",
            "60",
            "--max-lag-ms",
            "80",
            "--count",
            "0",
        ],
        PATIENCE,
    )?;
    let subscriber = subscriber.expect_code(TOO_SLOW_EXIT)?;
    ensure(
        subscriber.stdout.last().map(String::as_str) == Some("Subscriber is too slow. Aborting."),
        || format!("expected to end on the abort: {:?}", subscriber.stdout),
    )?;
    let lags = lags(&subscriber)?;
    ensure(
        lags.len() <= 10 && lags.last().is_some_and(|lag| *lag > 80),
        || format!("expected an abort within 10 messages, lag over 80 ms: {lags:?}"),
    )?;
    publisher
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}

/// A subscriber that does no work keeps up: its 5 messages arrive within the
/// allowed lag, and it exits 0 after `--count 5`.
pub fn fast_subscriber_receives_its_count_and_exits_0(bins: &Bins) -> Result<()> {
    let (publisher, endpoint) = serve(bins, "snail-publisher", &["--interval-ms", "20"])?;
    let subscriber = bins.run(
        "snail-subscriber",
        &[
            "--connect",
            &endpoint,
            "--work-ms",
            "0",
            "--max-lag-ms",
            "5000",
            "--count",
            "5",
        ],
        PATIENCE,
    )?;
    let subscriber = subscriber.expect_success()?;
    ensure(lags(&subscriber)?.len() == 5, || {
        format!("expected 5 messages: {:?}", subscriber.stdout)
    })?;
    publisher
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}

/// `--count` ends the publisher (with the book's `Starting Server...` first)
/// and `--interval-ms` paces it: 3 messages 100 ms apart take at least 300 ms.
pub fn publisher_counts_and_paces_its_messages(bins: &Bins) -> Result<()> {
    let publisher = bins.run(
        "snail-publisher",
        &["--bind", ANY_PORT, "--count", "3", "--interval-ms", "100"],
        PATIENCE,
    )?;
    let publisher = publisher.expect_success()?;
    ensure(
        publisher.stdout.first().map(String::as_str) == Some("Starting Server...")
            && publisher.elapsed.as_millis() >= 300,
        || format!("{:?} in {:?}", publisher.stdout, publisher.elapsed),
    )
}

/// Messages that are not a time — several frames, empty, not UTF-8, a clock
/// time — are reported and skipped (the listing's `sscanf` left the time
/// unset); a good one after them is received. Each counts toward `--count`.
pub fn subscriber_reports_bad_times_and_goes_on(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let publisher = peer_socket(&context, zmq::XPUB)?;
    publisher.bind(ANY_PORT).map_err(zmq_failure)?;
    let endpoint = match publisher.get_last_endpoint().map_err(zmq_failure)? {
        Ok(endpoint) => endpoint,
        Err(_) => return Err(Failure::new("endpoint not UTF-8")),
    };
    let subscriber = bins.spawn(
        "snail-subscriber",
        &["--connect", &endpoint, "--work-ms", "0", "--count", "5"],
    )?;
    retrying(|| publisher.recv_bytes(0))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| Failure::new(e.to_string()))?
        .as_millis()
        .to_string();
    let messages: [&[&[u8]]; 5] = [
        &[b"1", b"2"],
        &[b""],
        &[b"\xff"],
        &[b"23:59:59"],
        &[now.as_bytes()],
    ];
    for message in messages {
        retrying(|| publisher.send_multipart(message.iter(), 0))?;
    }
    let subscriber = subscriber.wait_exit(PATIENCE)?.expect_success()?;
    let errors = subscriber.lines_after(Stream::Stderr, "error: bad message ");
    ensure(
        errors.len() == 4 && errors[0].contains("got 2 frames"),
        || format!("expected 4 bad messages reported: {:?}", subscriber.stderr),
    )?;
    ensure(lags(&subscriber)?.len() == 1, || {
        format!("expected the one good message: {:?}", subscriber.stdout)
    })
}

/// Lag is measured when the message arrives: a subscriber that does no work
/// and waits 800 ms for each message of a slow publisher is never late,
/// though it allows only 300 ms. (The listing read its clock before the
/// wait, so each message looked as old as the wait was long.)
pub fn waiting_for_a_message_is_not_lag(bins: &Bins) -> Result<()> {
    let (publisher, endpoint) = serve(bins, "snail-publisher", &["--interval-ms", "800"])?;
    let subscriber = bins.run(
        "snail-subscriber",
        &[
            "--connect",
            &endpoint,
            "--work-ms",
            "0",
            "--max-lag-ms",
            "300",
            "--count",
            "2",
        ],
        PATIENCE,
    )?;
    let subscriber = subscriber.expect_success()?;
    let lags = lags(&subscriber)?;
    ensure(
        lags.len() == 2 && lags.iter().all(|lag| *lag <= 300),
        || format!("expected 2 messages on time: {lags:?}"),
    )?;
    publisher
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}

/// This build's libzmq has no OpenPGM (`version` says `pgm: no`): a
/// publisher cannot bind, nor a subscriber connect, a `pgm://` or `epgm://`
/// endpoint — each says so and exits 1.
pub fn multicast_endpoints_are_refused_by_this_build(bins: &Bins) -> Result<()> {
    for endpoint in [
        "pgm://127.0.0.1;239.192.1.1:5555",
        "epgm://127.0.0.1;239.192.1.1:5555",
    ] {
        for (program, option) in [
            ("snail-publisher", "--bind"),
            ("snail-subscriber", "--connect"),
        ] {
            let finished = bins.run(program, &[option, endpoint], PATIENCE)?;
            let finished = finished.expect_code(1)?;
            ensure(
                finished.stderr.iter().any(|line| {
                    line.contains(endpoint) && line.ends_with("Protocol not supported")
                }),
                || format!("{program} {option} {endpoint}: {:?}", finished.stderr),
            )?;
        }
    }
    Ok(())
}
