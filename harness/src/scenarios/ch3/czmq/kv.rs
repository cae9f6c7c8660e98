//! Chapter 3, zhash and zlist: the key-value server answers from its table
//! or says `Not Found`, whatever it is sent; the clients ask, and the list
//! client prints the replies in the order it asked.

use crate::scenarios::ch1::expect_lines;
use crate::scenarios::ch3::czmq::{expect_stderr_containing, send_frames};
use crate::scenarios::ch3::interval_spaces_lines;
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::serve;
use crate::scenarios::whole_messages::{
    expect_stderr_line, expect_survived, HOSTILE, THREE_FRAMES,
};
use crate::{ensure, Bins, Result, PATIENCE};

/// Asks `endpoint` for each key in turn (one REQ socket) and returns the
/// replies' text.
fn ask(endpoint: &str, keys: &[&[u8]]) -> Result<Vec<String>> {
    let context = zmq::Context::new();
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(endpoint).map_err(zmq_failure)?;
    let mut replies = Vec::new();
    for key in keys {
        retrying(|| requester.send(*key, 0))?;
        let reply = retrying(|| requester.recv_multipart(0))?;
        replies.push(String::from_utf8_lossy(&reply.concat()).into_owned());
    }
    Ok(replies)
}

/// The book's table: `user_id` → `1234`, `user_email` → `name@example.org`;
/// the client asks `user_email` by default.
pub fn kv_server_answers_the_book_table(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "kv-server", &["--count", "2"])?;
    let replies = ask(&endpoint, &[b"user_id"])?;
    ensure(replies == ["1234"], || format!("user_id: {replies:?}"))?;
    let client = bins
        .run(
            "kv-client",
            &["--connect", &endpoint, "--count", "1"],
            PATIENCE,
        )?
        .expect_success()?;
    expect_lines(&client, "Received: ", &["name@example.org"])?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(&server, "Received: ", &["user_id", "user_email"])
}

/// Unknown keys, the book's misprinted `user email`, an empty key and a
/// non-UTF-8 one: `Not Found`, each; the server goes on.
pub fn kv_unknown_and_non_utf8_keys_are_not_found(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "kv-server", &["--count", "5"])?;
    let replies = ask(
        &endpoint,
        &[b"nobody", b"user email", b"", b"\xffuser_id", b"user_id"],
    )?;
    ensure(
        replies == ["Not Found", "Not Found", "Not Found", "Not Found", "1234"],
        || format!("replies: {replies:?}"),
    )?;
    server.wait_exit(PATIENCE)?.expect_success().map(drop)
}

/// `--entry` adds keys, and a later value replaces the book's.
pub fn kv_server_entry_adds_and_replaces_keys(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "kv-server",
        &[
            "--count",
            "3",
            "--entry",
            "user_name=Ann",
            "--entry",
            "user_id=42",
        ],
    )?;
    let replies = ask(&endpoint, &[b"user_name", b"user_id", b"user_email"])?;
    ensure(replies == ["Ann", "42", "name@example.org"], || {
        format!("replies: {replies:?}")
    })?;
    server.wait_exit(PATIENCE)?.expect_success().map(drop)
}

/// A three-frame request, an empty one, one over `--max-msg-size` in all
/// (three frames of 600 bytes, each under the limit of 1000): one
/// `Not Found` each, the bad ones reported; a single frame over the limit is
/// dropped by libzmq with its connection; then a good request is answered.
pub fn kv_server_survives_multiframe_empty_and_oversized_requests(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(
        bins,
        "kv-server",
        &["--count", "5", "--max-msg-size", "1000"],
    )?;
    let context = zmq::Context::new();
    let greedy = peer_socket(&context, zmq::REQ)?;
    greedy.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| greedy.send(vec![b'x'; 100_000], 0))?;
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    let big = vec![b'k'; 600];
    let oversized: &[&[u8]] = &[&big, &big, &big];
    for request in [HOSTILE[0], HOSTILE[1], oversized, HOSTILE[2]] {
        send_frames(&requester, request)?;
        let reply = retrying(|| requester.recv_multipart(0))?;
        ensure(reply == [b"Not Found".to_vec()], || {
            format!("a bad request got {reply:?}")
        })?;
    }
    retrying(|| requester.send("user_email", 0))?;
    let reply = retrying(|| requester.recv_bytes(0))?;
    ensure(reply == b"name@example.org", || {
        format!("the good request got {reply:?}")
    })?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_stderr_containing(&server, "is over --max-msg-size")?;
    expect_survived(&server, "request", "Received: ", "user_email")
}

/// `--key` and `--count`: the client asks for the key that many times.
pub fn kv_client_asks_its_key_count_times(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "kv-server", &["--count", "3"])?;
    let client = bins
        .run(
            "kv-client",
            &[
                "--connect",
                &endpoint,
                "--key",
                "user_id",
                "--count",
                "3",
                "--interval-ms",
                "0",
            ],
            PATIENCE,
        )?
        .expect_success()?;
    expect_lines(&client, "Received: ", &["1234"; 3])?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(&server, "Received: ", &["user_id"; 3])
}

/// `--interval-ms` spaces the requests: three 150 ms apart span about
/// 300 ms (at least one interval, however late the first line was read), and
/// far less than with the default pause of a second.
pub fn kv_client_interval_spaces_the_requests(bins: &Bins) -> Result<()> {
    let default = std::time::Duration::from_secs(1);
    interval_spaces_lines(bins, ("kv-server", "kv-client"), "Received: ", default)
}

/// The list client asks `user_email` then `user_id` and prints the replies
/// in that order (the book's `zlist_push` puts each at the front, so it
/// prints them reversed); `--key` asks other keys, in the order given.
pub fn kv_list_client_prints_replies_in_the_order_asked(bins: &Bins) -> Result<()> {
    let (server, endpoint) = serve(bins, "kv-server", &["--count", "5"])?;
    let client = bins
        .run("kv-list-client", &["--connect", &endpoint], PATIENCE)?
        .expect_success()?;
    ensure(
        client.stdout.last().map(String::as_str) == Some("name@example.org 1234"),
        || format!("the list client printed {:?}", client.stdout),
    )?;
    let client = bins
        .run(
            "kv-list-client",
            &[
                "--connect",
                &endpoint,
                "--key",
                "user_id",
                "--key",
                "nobody",
                "--key",
                "user_email",
            ],
            PATIENCE,
        )?
        .expect_success()?;
    ensure(
        client.stdout.last().map(String::as_str) == Some("1234 Not Found name@example.org"),
        || format!("the list client printed {:?}", client.stdout),
    )?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(
        &server,
        "Received: ",
        &["user_email", "user_id", "user_id", "nobody", "user_email"],
    )
}

/// Both clients take a three-frame, an empty and a non-UTF-8 reply each as
/// one reply (the first reported), and go on.
pub fn kv_clients_survive_multiframe_empty_and_non_utf8_replies(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
    let good: &[&[u8]] = &[b"1234"];
    let replies = HOSTILE.iter().copied().chain([good]);
    let client = bins.spawn(
        "kv-client",
        &["--connect", &endpoint, "--count", "4", "--interval-ms", "0"],
    )?;
    for reply in replies.clone() {
        retrying(|| replier.recv_multipart(0))?;
        send_frames(&replier, reply)?;
    }
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    expect_survived(&client, "reply", "Received: ", "1234")?;

    let keys = ["--key", "a", "--key", "b", "--key", "c", "--key", "d"];
    let mut args = vec!["--connect", endpoint.as_str()];
    args.extend(keys);
    let client = bins.spawn("kv-list-client", &args)?;
    for reply in replies {
        retrying(|| replier.recv_multipart(0))?;
        send_frames(&replier, reply)?;
    }
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    expect_stderr_line(&client, &format!("error: bad reply {THREE_FRAMES}"))?;
    ensure(
        client.stdout.last().map(String::as_str) == Some(" \u{fffd}\u{fffd} 1234"),
        || format!("the list client printed {:?}", client.stdout),
    )
}

/// `--max-msg-size` on the clients: a reply over it in all is reported,
/// not kept — the zfile client refuses to save what it lost part of.
pub fn czmq_clients_refuse_a_reply_over_max_msg_size(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let big = vec![b'v'; 600];
    let oversized: &[&[u8]] = &[&big, &big, &big];
    let scratch = crate::scenarios::ch3::czmq::Scratch::new("zfile-oversized")?;
    let dir = scratch.path().to_string_lossy().into_owned();
    for (program, extra) in [
        ("kv-client", &["--count", "1"][..]),
        ("kv-list-client", &["--key", "k"][..]),
        ("zmsg-client", &[][..]),
        ("zfile-client", &["--dir", dir.as_str()][..]),
    ] {
        let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
        let mut args = vec!["--connect", endpoint.as_str(), "--max-msg-size", "1000"];
        args.extend_from_slice(extra);
        let client = bins.spawn(program, &args)?;
        retrying(|| replier.recv_multipart(0))?;
        send_frames(&replier, oversized)?;
        let client = client.wait_exit(PATIENCE)?;
        if program == "zfile-client" {
            let client = client.expect_code(1)?;
            expect_stderr_containing(&client, "cannot save the reply")?;
            ensure(!scratch.path().join("server.txt").exists(), || {
                "part of a reply was saved".into()
            })?;
        } else {
            let client = client.expect_success()?;
            expect_stderr_containing(&client, "is over --max-msg-size")?;
        }
    }
    Ok(())
}
