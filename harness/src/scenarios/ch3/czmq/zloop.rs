//! Chapter 3, zloop: the reactor server prints each message and ticks with a
//! count; the client's timer paces its pushes.

use std::time::Instant;

use crate::process::WriteTime;
use crate::scenarios::ch1::expect_interrupted;
use crate::scenarios::ch3::czmq::send_frames;
use crate::scenarios::ch3::interval_spaces_lines;
use crate::scenarios::peer::{peer_socket, retrying, zmq_failure};
use crate::scenarios::whole_messages::expect_stderr_line;
use crate::scenarios::whole_messages::{HOSTILE, THREE_FRAMES};
use crate::scenarios::{serve, STOP_WITHIN};
use crate::{ensure, Bins, Failure, Result, Running, Stream, PATIENCE};

/// The client pushes `--count` hellos; the server prints each and, after
/// its own `--count`, stops its reactor and exits 0.
pub fn zloop_server_prints_each_message_until_count(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "zloop-server", &["--count", "3"])?;
    let client = bins
        .run(
            "zloop-client",
            &["--connect", &endpoint, "--count", "3"],
            PATIENCE,
        )?
        .expect_success()?;
    ensure(
        client.lines_after(Stream::Stdout, "Pushing ") == ["hello"; 3],
        || format!("the client printed {:?}", client.stdout),
    )?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    let printed: Vec<&String> = server.stdout.iter().filter(|l| *l == "hello").collect();
    ensure(printed.len() == 3, || {
        format!("the server printed {:?}", server.stdout)
    })
}

/// The count in a tick line (`tick: 2 messages since the last tick`).
fn tick_count(line: &str) -> Result<u64> {
    line.strip_prefix("tick: ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| Failure::new(format!("not a tick line: {line:?}")))
}

/// Waits for the next tick line of `server` and returns its count.
fn next_tick(server: &mut Running) -> Result<u64> {
    let line = server.wait_line_where(Stream::Stdout, PATIENCE, |l| l.starts_with("tick: "))?;
    tick_count(&line)
}

/// The timer reports how many messages arrived since its last tick: with
/// `--repeat`, the ticks after three messages add up to three, and a tick
/// with nothing new says 0.
pub fn zloop_timer_reports_messages_since_the_last_tick(bins: &Bins) -> Result<()> {
    let (mut server, endpoint) = serve(bins, "zloop-server", &["--timer-ms", "20", "--repeat"])?;
    // A first tick: the reactor runs.
    next_tick(&mut server)?;
    let context = zmq::Context::new();
    let pusher = peer_socket(&context, zmq::PUSH)?;
    pusher.connect(&endpoint).map_err(zmq_failure)?;
    for _ in 0..3 {
        retrying(|| pusher.send("hello", 0))?;
    }
    // The three may straddle ticks, but no tick counts one twice.
    let deadline = Instant::now() + PATIENCE;
    let mut counted = 0;
    while counted < 3 && Instant::now() < deadline {
        counted += next_tick(&mut server)?;
    }
    ensure(counted == 3, || format!("the ticks counted {counted} of 3"))?;
    let hellos = server
        .lines(Stream::Stdout)
        .iter()
        .filter(|l| *l == "hello")
        .count();
    ensure(hellos == 3, || format!("the server printed {hellos} of 3"))?;
    let idle = next_tick(&mut server)?;
    ensure(idle == 0, || format!("an idle tick counted {idle}"))?;
    let line = server
        .lines(Stream::Stdout)
        .iter()
        .rev()
        .find(|l| l.starts_with("tick: "))
        .cloned()
        .unwrap_or_default();
    ensure(line == "tick: 0 messages since the last tick", || {
        format!("the tick line reads {line:?}")
    })
}

/// `--timer-ms` sets the tick: in the time a repeating 400 ms timer ticks
/// twice, a 40 ms one ticks several times as often.
pub fn zloop_timer_ms_sets_the_tick_interval(bins: &Bins) -> Result<()> {
    let (mut fast, _) = serve(bins, "zloop-server", &["--timer-ms", "40", "--repeat"])?;
    let (mut slow, _) = serve(bins, "zloop-server", &["--timer-ms", "400", "--repeat"])?;
    fast.wait_stdout("tick: ", PATIENCE)?;
    let fast_before = fast.lines(Stream::Stdout).len();
    slow.wait_stdout("tick: ", PATIENCE)?;
    slow.wait_stdout("tick: ", PATIENCE)?;
    fast.collect_output();
    let fast_ticks = fast.lines(Stream::Stdout).len() - fast_before;
    // About ten ticks of 40 ms in a 400 ms tick or more; at least three.
    ensure(fast_ticks >= 3, || {
        format!("a 40 ms timer ticked {fast_ticks} times in a 400 ms one's tick")
    })
}

/// Without `--repeat` the timer runs once, as the book's
/// `zloop_timer(loop, 10000, 1, …)`: after its one tick, a `--repeat` twin
/// with the same interval, started beside it, ticks ten more times (by the
/// kernel's stamps of the lines: after the single tick was written), and the
/// first server has still printed one tick line. A timer that repeated would
/// have ticked again in ten of its own intervals.
pub fn zloop_timer_runs_once_as_the_book_sets_it(bins: &Bins) -> Result<()> {
    let (mut once, _) = serve(bins, "zloop-server", &["--timer-ms", "20"])?;
    let (mut twin, _) = serve(bins, "zloop-server", &["--timer-ms", "20", "--repeat"])?;
    once.wait_stdout("tick: ", PATIENCE)?;
    let tick_time = tick_times(&once)
        .first()
        .copied()
        .ok_or_else(|| Failure::new("the tick line has no time"))?;
    // Each wait takes in at least one more tick line of the twin's.
    while tick_times(&twin).iter().filter(|t| **t > tick_time).count() < 10 {
        next_tick(&mut twin)?;
    }
    once.collect_output();
    let ticks = tick_times(&once).len();
    ensure(ticks == 1, || {
        format!("without --repeat the timer ticked {ticks} times while its twin ticked 10 more")
    })
}

/// When each tick line collected so far from `server` was written.
fn tick_times(server: &Running) -> Vec<WriteTime> {
    let lines = server.lines(Stream::Stdout);
    let times = server.line_times(Stream::Stdout);
    lines
        .iter()
        .zip(times)
        .filter(|(line, _)| line.starts_with("tick: "))
        .map(|(_, time)| *time)
        .collect()
}

/// A three-frame message is one bad message (reported, counted once); an
/// empty and a non-UTF-8 one are printed; a good one after them too.
pub fn zloop_server_survives_multiframe_empty_and_non_utf8_messages(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "zloop-server", &["--count", "4"])?;
    let context = zmq::Context::new();
    let pusher = peer_socket(&context, zmq::PUSH)?;
    pusher.connect(&endpoint).map_err(zmq_failure)?;
    for message in HOSTILE.iter().copied().chain([&[&b"hello"[..]][..]]) {
        send_frames(&pusher, message)?;
    }
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_stderr_line(&server, &format!("error: bad message {THREE_FRAMES}"))?;
    let printed: Vec<&str> = server
        .stdout
        .iter()
        .map(String::as_str)
        .filter(|l| !l.starts_with("bound ") && !l.starts_with("Starting"))
        .collect();
    ensure(printed == ["", "\u{fffd}\u{fffd}", "hello"], || {
        format!("the server printed {printed:?}")
    })
}

/// `--max-msg-size`: a message over it is dropped with its connection; the
/// next pusher's message is printed.
pub fn zloop_server_refuses_a_message_over_max_msg_size(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "zloop-server",
        &["--count", "1", "--max-msg-size", "1000"],
    )?;
    let context = zmq::Context::new();
    let greedy = peer_socket(&context, zmq::PUSH)?;
    greedy.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| greedy.send(vec![b'x'; 100_000], 0))?;
    bins.run(
        "zloop-client",
        &["--connect", &endpoint, "--count", "1"],
        PATIENCE,
    )?
    .expect_success()?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    let printed: Vec<&str> = server
        .stdout
        .iter()
        .map(String::as_str)
        .filter(|l| !l.starts_with("bound ") && !l.starts_with("Starting"))
        .collect();
    ensure(printed == ["hello"], || {
        format!("expected only the good message printed: {printed:?}")
    })
}

/// `--interval-ms` paces the client's timer: three pushes 150 ms apart span
/// about 300 ms (at least one interval, however late the first came), where
/// the default of no pause spans next to nothing.
pub fn zloop_client_interval_paces_the_pushes(bins: &Bins) -> Result<()> {
    let default = std::time::Duration::ZERO;
    interval_spaces_lines(
        bins,
        ("zloop-server", "zloop-client"),
        "Pushing hello",
        default,
    )
}

/// The reactor's wait ends on a signal: a zloop server that has printed a
/// message and sits in its reactor (a timer an hour away) stops within a
/// second of SIGINT or SIGTERM, `interrupted`, exit 0.
pub fn zloop_server_stops_inside_its_reactor(bins: &Bins, signal: i32) -> Result<()> {
    let (mut server, endpoint) = serve(bins, "zloop-server", &["--timer-ms", "3600000"])?;
    let context = zmq::Context::new();
    let pusher = peer_socket(&context, zmq::PUSH)?;
    pusher.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| pusher.send("hello", 0))?;
    server.wait_stdout("hello", PATIENCE)?;
    let server = server.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&server)
}
