//! Chapter 3, multipart messages: `world` in five frames, all or nothing.

use std::time::Duration;

use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::whole_messages::{expect_survived, HOSTILE};
use crate::scenarios::{serve, STOP_WITHIN};
use crate::{ensure, Bins, Result, Stream, PATIENCE};

/// The reply the server sends, frame by frame.
const WORLD: [&[u8]; 5] = [b"w", b"o", b"r", b"l", b"d"];

/// The book's pair: the client sends `hello` (the server prints it), gets
/// the five frames, prints each and the joined `world`.
pub fn multipart_client_prints_five_frames_and_world(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "multipart-server",
        &["--count", "1", "--delay-ms", "0"],
    )?;
    let client = bins
        .run("multipart-client", &["--connect", &endpoint], PATIENCE)?
        .expect_success()?;
    let frames = client.lines_after(Stream::Stdout, "Received: ");
    ensure(frames == ["w", "o", "r", "l", "d"], || {
        format!("the client printed the frames {frames:?}")
    })?;
    ensure(
        client.lines_after(Stream::Stdout, "Joined: ") == ["world"],
        || format!("no `Joined: world`: {:?}", client.stdout),
    )?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    let received = server.lines_after(Stream::Stdout, "Received: ");
    ensure(received == ["hello"], || {
        format!("the server received {received:?}, not the client's hello")
    })
}

/// All or nothing, exact: once the first frame of the reply can be
/// received, the four others are there too (received without waiting), each
/// exactly one letter — no NUL — and no sixth frame follows.
pub fn multipart_reply_arrives_whole_with_exact_frames(bins: &Bins) -> Result<()> {
    let (_server, endpoint) = serve(bins, "multipart-server", &["--delay-ms", "0"])?;
    let context = zmq::Context::new();
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    for _ in 0..3 {
        retrying(|| requester.send("hello", 0))?;
        let mut frames = vec![retrying(|| requester.recv_bytes(0))?];
        while requester.get_rcvmore().map_err(zmq_failure)? {
            // Not one wait: the rest of the message came with its first frame.
            frames.push(retrying(|| requester.recv_bytes(zmq::DONTWAIT))?);
        }
        ensure(frames == WORLD, || {
            format!("the reply was {frames:?}, not the five one-byte letters")
        })?;
    }
    Ok(())
}

/// The text's mistake, `SNDMORE` on the last frame: the reply never ends, so
/// the client receives nothing at all — not even the four finished frames —
/// and gives up cleanly after `--timeout-ms` (exit 1, one `error:` line). The
/// stuck server still stops on Ctrl-C.
pub fn sndmore_on_the_last_frame_leaves_the_client_with_nothing(bins: &Bins) -> Result<()> {
    let (mut server, endpoint) = serve(
        bins,
        "multipart-server",
        &["--broken-last-frame", "--delay-ms", "0"],
    )?;
    let client = bins.spawn(
        "multipart-client",
        &["--connect", &endpoint, "--timeout-ms", "300"],
    )?;
    server.wait_stdout("the reply never ends", PATIENCE)?;
    let client = client.wait_exit(PATIENCE)?.expect_code(1)?;
    ensure(
        client.lines_after(Stream::Stdout, "Received: ").is_empty(),
        || format!("the client received frames: {:?}", client.stdout),
    )?;
    ensure(client.stderr == ["error: no reply within 300 ms"], || {
        format!("expected one timeout error, got {:?}", client.stderr)
    })?;
    let server = server
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    crate::scenarios::ch1::expect_interrupted(&server)
}

/// `--timeout-ms` is only a limit: with a server that answers, the client
/// with a timeout gets the whole reply.
pub fn multipart_client_timeout_does_not_cut_a_reply(bins: &Bins) -> Result<()> {
    let (_server, endpoint) = serve(bins, "multipart-server", &["--delay-ms", "0"])?;
    let client = bins
        .run(
            "multipart-client",
            &["--connect", &endpoint, "--timeout-ms", "20000"],
            PATIENCE,
        )?
        .expect_success()?;
    ensure(
        client.lines_after(Stream::Stdout, "Joined: ") == ["world"],
        || format!("{:?}", client.stdout),
    )
}

/// The client sends its request first (the listing never did) and checks
/// the reply: three frames, one, an empty one or five wrong ones are each
/// reported with what arrived, exit 1.
pub fn multipart_client_reports_a_reply_that_is_not_five_letters(bins: &Bins) -> Result<()> {
    let replies: [(&[&[u8]], &str); 4] = [
        (&[b"wor", b"l", b"d"], "expected a reply of 5 frames, got 3"),
        (&[b"world"], "expected a reply of 5 frames, got 1"),
        (&[b""], "expected a reply of 5 frames, got 1"),
        (
            &[b"w\0", b"o\0", b"r\0", b"l\0", b"\xff"],
            "expected the frames \"w\" \"o\" \"r\" \"l\" \"d\"",
        ),
    ];
    for (reply, why) in replies {
        let context = zmq::Context::new();
        let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
        let client = bins.spawn("multipart-client", &["--connect", &endpoint])?;
        let request = retrying(|| replier.recv_multipart(0))?;
        ensure(request == [b"hello".to_vec()], || {
            format!("the client's request was {request:?}")
        })?;
        retrying(|| replier.send_multipart(reply.iter().copied(), 0))?;
        let client = client.wait_exit(PATIENCE)?.expect_code(1)?;
        ensure(
            client
                .stderr
                .iter()
                .any(|l| l.starts_with(&format!("error: {why}: "))),
            || format!("reply {reply:?}: expected {why:?}, got {:?}", client.stderr),
        )?;
    }
    Ok(())
}

/// The server answers a three-frame, an empty and a non-UTF-8 request with
/// one whole `world` each (the three-frame one reported), then serves the
/// client as ever.
pub fn multipart_server_survives_multiframe_empty_and_non_utf8_requests(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "multipart-server",
        &["--count", "4", "--delay-ms", "0"],
    )?;
    let context = zmq::Context::new();
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    for request in HOSTILE {
        retrying(|| requester.send_multipart(request.iter().copied(), 0))?;
        let reply = retrying(|| requester.recv_multipart(0))?;
        ensure(reply == WORLD, || {
            format!("request {request:?} got {reply:?}")
        })?;
    }
    let client = bins
        .run("multipart-client", &["--connect", &endpoint], PATIENCE)?
        .expect_success()?;
    ensure(
        client.lines_after(Stream::Stdout, "Joined: ") == ["world"],
        || format!("{:?}", client.stdout),
    )?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_survived(&server, "request", "Received: ", "hello")
}

/// `--max-msg-size` on both: a request over the server's limit is dropped
/// (the connection with it) and the server serves the next client; a reply
/// over the client's limit never reaches it (it times out).
pub fn multipart_pair_refuses_messages_over_max_msg_size(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "multipart-server",
        &["--count", "1", "--delay-ms", "0", "--max-msg-size", "1000"],
    )?;
    let context = zmq::Context::new();
    let greedy = peer_socket(&context, zmq::REQ)?;
    greedy.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| greedy.send(vec![b'x'; 100_000], 0))?;
    bins.run("multipart-client", &["--connect", &endpoint], PATIENCE)?
        .expect_success()?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    ensure(
        server.lines_after(Stream::Stdout, "Received: ") == ["hello"],
        || format!("the server received {:?}", server.stdout),
    )?;
    let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
    let client = bins.spawn(
        "multipart-client",
        &[
            "--connect",
            &endpoint,
            "--max-msg-size",
            "1000",
            "--timeout-ms",
            "500",
        ],
    )?;
    retrying(|| replier.recv_bytes(0))?;
    let big = vec![b'x'; 100_000];
    let reply: [&[u8]; 5] = [&big, b"o", b"r", b"l", b"d"];
    retrying(|| replier.send_multipart(reply, 0))?;
    let client = client.wait_exit(PATIENCE)?.expect_code(1)?;
    ensure(client.stderr == ["error: no reply within 500 ms"], || {
        format!("{:?}", client.stderr)
    })
}

/// `--delay-ms` is the server's pretend work: a reply after 300 ms of work
/// takes at least that long, and longer than one with none.
pub fn multipart_server_delay_is_the_work_time(bins: &Bins) -> Result<()> {
    let mut elapsed = Vec::new();
    for delay in ["0", "300"] {
        let (_server, endpoint) = serve(bins, "multipart-server", &["--delay-ms", delay])?;
        let client = bins
            .run("multipart-client", &["--connect", &endpoint], PATIENCE)?
            .expect_success()?;
        elapsed.push(client.elapsed);
    }
    ensure(
        elapsed[1] >= Duration::from_millis(300) && elapsed[1] > elapsed[0],
        || format!("the delay did not show: {elapsed:?}"),
    )
}
