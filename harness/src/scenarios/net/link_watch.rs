//! `link-watch` on loopback: what it reports, and that it ends cleanly. No
//! lab needed.

use crate::scenarios::ch1::{expect_interrupted, expect_no_heap_lost};
use crate::scenarios::peer::{bound_socket, retrying};
use crate::scenarios::{serve, unique_ipc_endpoint, STOP_WITHIN};
use crate::{ensure, Bins, Result, Stream, PATIENCE};

/// A peer killed outright has its kernel close the connection: link-watch
/// prints `connected`, and `disconnected` once the server is SIGKILLed.
pub fn reports_a_killed_peer_at_once(bins: &Bins) -> Result<()> {
    let (mut server, endpoint) = serve(bins, "heartbeat-server", &[])?;
    let mut watch = bins.spawn("link-watch", &["--connect", &endpoint])?;
    watch.wait_stdout(&format!("watching {endpoint}"), PATIENCE)?;
    watch.wait_stdout("connected", PATIENCE)?;
    server.signal(libc::SIGKILL)?;
    watch.wait_stdout("disconnected", PATIENCE)?;
    let watch = watch
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_interrupted(&watch)
}

/// A message from the peer is reported on stderr and dropped, and the
/// watch goes on; one over `--max-msg-size` makes libzmq drop the
/// connection, which the watch reports as `disconnected`.
pub fn reports_messages_and_refuses_oversized_ones(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    // A DEALER of the harness's own: it needs no routing id to send to
    // the one peer it has.
    let (peer, endpoint) = bound_socket(&context, zmq::DEALER)?;
    let mut watch = bins.spawn(
        "link-watch",
        &["--connect", &endpoint, "--max-msg-size", "100"],
    )?;
    watch.wait_stdout("connected", PATIENCE)?;
    retrying(|| peer.send_multipart([&b"hello"[..], b"there"], 0))?;
    watch.wait_line(
        Stream::Stderr,
        "error: unexpected message from the peer: 2 frames",
        PATIENCE,
    )?;
    let big = [b'x'; 200];
    retrying(|| peer.send(&big[..], 0))?;
    watch.wait_stdout("disconnected", PATIENCE)?;
    ensure(!watch.has_exited(), || "the watch ended".into())?;
    watch
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}

/// SIGINT or SIGTERM stops `link-watch` while it waits for events, with or
/// without a peer: `interrupted`, exit 0, within a second.
pub fn stops_while_blocked(bins: &Bins, signal: i32) -> Result<()> {
    let nobody = unique_ipc_endpoint("link-watch-nobody");
    let (_server, endpoint) = serve(bins, "heartbeat-server", &[])?;
    for connect in [&nobody, &endpoint] {
        let mut watch = bins.spawn("link-watch", &["--connect", connect])?;
        watch.wait_stdout("watching ", PATIENCE)?;
        if connect == &endpoint {
            watch.wait_stdout("connected", PATIENCE)?;
        }
        let watch = watch.stop_with(signal, STOP_WITHIN)?.expect_success()?;
        expect_interrupted(&watch)?;
    }
    Ok(())
}

/// After its `--count` of disconnections, and after SIGINT, `link-watch`
/// has lost nothing of its heap.
pub fn no_heap_lost_after_its_count(bins: &Bins) -> Result<()> {
    let (mut server, endpoint) = serve(bins, "heartbeat-server", &[])?;
    let mut counted =
        bins.spawn_profiled("link-watch", &["--connect", &endpoint, "--count", "1"])?;
    let mut interrupted = bins.spawn_profiled("link-watch", &["--connect", &endpoint])?;
    counted.wait_stdout("connected", PATIENCE)?;
    interrupted.wait_stdout("connected", PATIENCE)?;
    server.signal(libc::SIGKILL)?;
    let counted = counted.wait_exit(PATIENCE)?.expect_success()?;
    ensure(
        counted.stdout.last().map(String::as_str) == Some("disconnected"),
        || format!("it ended with {:?}", counted.stdout),
    )?;
    expect_no_heap_lost(counted)?;
    // Profiled, it takes longer to exit: how fast it stops is
    // `link_watch_stops_on_sigint`'s business.
    let interrupted = interrupted
        .stop_with(libc::SIGINT, PATIENCE)?
        .expect_success()?;
    expect_no_heap_lost(interrupted)
}
