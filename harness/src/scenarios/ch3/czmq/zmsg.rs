//! Chapter 3, zmsg: the server's reply built with `Frames` arrives as five
//! one-byte frames, whole, whatever the request.

use crate::scenarios::ch1::expect_lines;
use crate::scenarios::ch3::czmq::send_frames;
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::serve;
use crate::scenarios::whole_messages::{expect_survived, HOSTILE};
use crate::{ensure, Bins, Result, PATIENCE};

/// The client's line for the server's reply.
const HELLO_REPLY: &str = r#"5 frames: "h" "e" "l" "l" "o""#;

/// The pair talks `--count` times: the server receives first (the book's
/// server sends first, which a REP cannot), the client prints five frames.
pub fn zmsg_client_prints_the_five_frames_of_hello(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "zmsg-server", &["--count", "2"])?;
    let client = bins
        .run(
            "zmsg-client",
            &["--connect", &endpoint, "--count", "2"],
            PATIENCE,
        )?
        .expect_success()?;
    expect_lines(&client, "Received: ", &[HELLO_REPLY; 2])?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(&server, "Received: ", &["hello"; 2])
}

/// The reply's bytes, frame by frame: exactly `h`,`e`,`l`,`l`,`o` — one
/// byte each, no NUL, and `l` not the listing's digit `1`.
pub fn zmsg_reply_is_exactly_h_e_l_l_o(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "zmsg-server", &["--count", "1"])?;
    let context = zmq::Context::new();
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| requester.send("hello", 0))?;
    let reply = retrying(|| requester.recv_multipart(0))?;
    let expected: Vec<Vec<u8>> = ["h", "e", "l", "l", "o"]
        .iter()
        .map(|f| f.as_bytes().to_vec())
        .collect();
    ensure(reply == expected, || format!("the reply was {reply:?}"))?;
    server.wait_exit(PATIENCE)?.expect_success().map(drop)
}

/// A three-frame, an empty and a non-UTF-8 request each get one five-frame
/// reply (the first reported), and a good one after them too.
pub fn zmsg_server_survives_multiframe_empty_and_non_utf8_requests(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "zmsg-server", &["--count", "4"])?;
    let context = zmq::Context::new();
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    for request in HOSTILE.iter().copied().chain([&[&b"hello"[..]][..]]) {
        send_frames(&requester, request)?;
        let reply = retrying(|| requester.recv_multipart(0))?;
        ensure(reply.concat() == b"hello" && reply.len() == 5, || {
            format!("request {request:?} got {reply:?}")
        })?;
    }
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_survived(&server, "request", "Received: ", "hello")
}

/// The client prints any reply whole, as one line: three frames, an empty
/// one, bytes that are not text.
pub fn zmsg_client_prints_any_reply_whole(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
    let client = bins.spawn("zmsg-client", &["--connect", &endpoint, "--count", "3"])?;
    for reply in HOSTILE {
        retrying(|| replier.recv_multipart(0))?;
        send_frames(&replier, reply)?;
    }
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(
        &client,
        "Received: ",
        &[r#"3 frames: "a" "b" "c""#, r#""""#, r#""\xff\xfe""#],
    )
}

/// `--max-msg-size` on the server: a request over it is dropped with its
/// connection, and the next client is served.
pub fn zmsg_server_refuses_a_request_over_max_msg_size(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "zmsg-server",
        &["--count", "1", "--max-msg-size", "1000"],
    )?;
    let context = zmq::Context::new();
    let greedy = peer_socket(&context, zmq::REQ)?;
    greedy.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| greedy.send(vec![b'x'; 100_000], 0))?;
    let client = bins
        .run("zmsg-client", &["--connect", &endpoint], PATIENCE)?
        .expect_success()?;
    expect_lines(&client, "Received: ", &[HELLO_REPLY])?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(&server, "Received: ", &["hello"])
}
