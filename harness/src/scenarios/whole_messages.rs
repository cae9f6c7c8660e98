//! A message is all of its frames: every program that receives is fed, by a
//! peer the test drives, a multi-frame, an empty and a non-UTF-8 message — then
//! a good one, which must still be served correctly. A program that expects one
//! frame treats a multipart message as ONE bad input (one reply, one `failed`
//! result, one update), never as several messages, and never stalls on it.
//!
//! These scenarios are listed in their chapters' tables.

use crate::scenarios::ch2::worker_between_harness_ends;
use crate::scenarios::peer::{bound_socket, retrying, zmq_failure};
use crate::scenarios::serve;
use crate::{ensure, Bins, Finished, Result, Stream, PATIENCE};

/// The hostile messages, in the order they are sent: three frames, one empty
/// frame, bytes that are not UTF-8.
pub const HOSTILE: [&[&[u8]]; 3] = [&[b"a", b"b", b"c"], &[b""], &[b"\xff\xfe"]];

/// What a program prints for a three-frame message it expected as one frame.
pub const THREE_FRAMES: &str =
    r#"3 frames: "a" "b" "c": expected a message of 1 frame, got 3 frames"#;

fn send_frames(socket: &zmq::Socket, frames: &[&[u8]]) -> Result<()> {
    retrying(|| socket.send_multipart(frames.iter().copied(), 0))
}

/// hello-server answers each hostile request with exactly one `world` —
/// reporting the three-frame one — and then serves `hello` as ever.
pub fn hello_server_survives_multiframe_empty_and_non_utf8_requests(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "hello-server", &["--count", "4", "--delay-ms", "0"])?;
    let context = zmq::Context::new();
    let requester = crate::scenarios::peer::peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    for request in HOSTILE.iter().copied().chain([&[&b"hello"[..]][..]]) {
        send_frames(&requester, request)?;
        let reply = retrying(|| requester.recv_multipart(0))?;
        ensure(reply == [b"world".to_vec()], || {
            format!("request {request:?} got the reply {reply:?}, not one \"world\"")
        })?;
    }
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_survived(&server, "request", "Received: ", "hello")
}

/// hello-client takes a three-frame, an empty and a non-UTF-8 reply each as one
/// reply (the first reported), and goes on to its next request.
pub fn hello_client_survives_multiframe_empty_and_non_utf8_replies(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
    let client = bins.spawn("hello-client", &["--connect", &endpoint, "--count", "4"])?;
    for reply in HOSTILE.iter().copied().chain([&[&b"world"[..]][..]]) {
        let request = retrying(|| replier.recv_multipart(0))?;
        ensure(request == [b"hello".to_vec()], || {
            format!("expected a hello request, got {request:?}")
        })?;
        send_frames(&replier, reply)?;
    }
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    expect_stderr_line(&client, &format!("error: bad reply {THREE_FRAMES}"))?;
    let received = client.lines_after(Stream::Stdout, "Received: ");
    ensure(
        received == [" - 1", "\u{fffd}\u{fffd} - 2", "world - 3"],
        || format!("expected replies 1 to 3 printed, 0 reported: {received:?}"),
    )
}

/// ticker-subscriber counts a three-frame update as ONE (bad, reported)
/// update, prints the empty and non-UTF-8 ones, and the good one after them.
pub fn ticker_subscriber_counts_a_multiframe_update_once(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (publisher, endpoint) = bound_socket(&context, zmq::XPUB)?;
    let subscriber = bins.spawn(
        "ticker-subscriber",
        &["--connect", &endpoint, "--count", "4"],
    )?;
    // Once the subscription has arrived, what the publisher sends is delivered.
    let subscription = retrying(|| publisher.recv_bytes(0))?;
    ensure(subscription == [1], || {
        format!("expected the empty subscription, got {subscription:?}")
    })?;
    for update in HOSTILE.iter().copied().chain([&[&b"Company1 5"[..]][..]]) {
        send_frames(&publisher, update)?;
    }
    let subscriber = subscriber.wait_exit(PATIENCE)?.expect_success()?;
    expect_stderr_line(&subscriber, &format!("error: bad update {THREE_FRAMES}"))?;
    let printed: Vec<&str> = subscriber
        .stdout
        .iter()
        .map(String::as_str)
        .filter(|line| !line.starts_with("Collecting"))
        .collect();
    ensure(
        printed == ["", "\u{fffd}\u{fffd}", "Company1 5", "received 4 updates"],
        || format!("expected 3 printed updates and 4 counted: {printed:?}"),
    )
}

/// task-worker sends exactly one result per task message: `failed` for the
/// three-frame, empty and non-UTF-8 tasks, then the root of a good one.
pub fn task_worker_sends_one_result_per_message(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (ventilator, sink, worker) =
        worker_between_harness_ends(bins, &context, &["--count", "4"])?;
    for task in HOSTILE.iter().copied().chain([&[&b"16"[..]][..]]) {
        send_frames(&ventilator, task)?;
    }
    let mut received = Vec::new();
    for _ in 0..4 {
        let result = retrying(|| sink.recv_multipart(0))?;
        received.push(String::from_utf8_lossy(&result.concat()).into_owned());
    }
    let worker = worker.wait_exit(PATIENCE)?.expect_success()?;
    expect_stderr_line(&worker, &format!("error: bad task {THREE_FRAMES}"))?;
    ensure(
        received == ["failed", "failed", "failed", "16.0 4.0"],
        || format!("expected three failures and 16's root, one per message: {received:?}"),
    )?;
    // Nothing more: a worker that split the three frames would owe results.
    let more = sink.poll(zmq::POLLIN, 0).map_err(zmq_failure)?;
    ensure(more == 0, || {
        "the worker sent more results than tasks".into()
    })
}

/// task-sink reports a three-frame, an empty and a non-UTF-8 message as bad
/// and counts only real results.
pub fn task_sink_counts_no_bad_message_as_a_result(bins: &Bins) -> Result<()> {
    let (sink, endpoint) = serve(bins, "task-sink", &["--tasks", "2", "--verbose"])?;
    let context = zmq::Context::new();
    let pusher = crate::scenarios::peer::peer_socket(&context, zmq::PUSH)?;
    pusher.connect(&endpoint).map_err(zmq_failure)?;
    send_frames(&pusher, &[b"-1"])?;
    // A sink that split the frames would count "4 2" and "9 3" as results.
    send_frames(&pusher, &[b"4 2", b"9 3"])?;
    for message in &HOSTILE[1..] {
        send_frames(&pusher, message)?;
    }
    send_frames(&pusher, &[b"16 4"])?;
    send_frames(&pusher, &[b"25 5"])?;
    let sink = sink.wait_exit(PATIENCE)?.expect_success()?;
    let results = sink.lines_after(Stream::Stdout, "result ");
    ensure(results == ["16.0 4.0", "25.0 5.0"], || {
        format!("expected only the two real results counted: {results:?}")
    })?;
    expect_stderr_line(
        &sink,
        r#"error: not a result 2 frames: "4 2" "9 3": expected a message of 1 frame, got 2 frames"#,
    )?;
    expect_stderr_line(&sink, r#"error: not a result: """#)?;
    expect_stderr_line(&sink, r#"error: not a result: "\xff\xfe""#)
}

/// `--max-msg-size` below what a handshake needs is refused as a usage error
/// (exit 2) naming the smallest useful value — for every program that takes it.
pub fn max_msg_size_below_a_handshake_is_a_usage_error(bins: &Bins) -> Result<()> {
    for program in [
        "hello-server",
        "hello-client",
        "ticker-publisher",
        "task-worker",
    ] {
        let finished = bins.run(program, &["--max-msg-size", "10"], PATIENCE)?;
        let finished = finished.expect_code(2)?;
        ensure(
            finished
                .stderr
                .iter()
                .any(|line| line.contains("smallest accepted value is 64")),
            || {
                format!(
                    "{program} did not name the smallest value: {:?}",
                    finished.stderr
                )
            },
        )?;
    }
    Ok(())
}

/// What a program printed after the [`HOSTILE`] messages and a `good` one:
/// the three-frame one reported on stderr as `error: bad <what> …`, and its
/// `prefix` lines on stdout the empty one, the non-UTF-8 one (lossily) and
/// `good`.
pub fn expect_survived(finished: &Finished, what: &str, prefix: &str, good: &str) -> Result<()> {
    expect_stderr_line(finished, &format!("error: bad {what} {THREE_FRAMES}"))?;
    let printed = finished.lines_after(Stream::Stdout, prefix);
    ensure(printed == ["", "\u{fffd}\u{fffd}", good], || {
        format!(
            "{}: expected the empty, non-UTF-8 and {good:?} messages after {prefix:?}, got {printed:?}",
            finished.name
        )
    })
}

/// `finished` printed exactly `line` on stderr.
pub fn expect_stderr_line(finished: &Finished, line: &str) -> Result<()> {
    ensure(finished.stderr.iter().any(|l| l == line), || {
        format!(
            "{} did not print {line:?} on stderr: {:?}",
            finished.name, finished.stderr
        )
    })
}
