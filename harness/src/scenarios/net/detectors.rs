//! Who notices a silent peer, and when: the application's heartbeats,
//! libzmq's ZMTP heartbeats, the kernel's TCP keepalive — and a plain
//! connection, which never does. And the kill, which needs none of them.

use std::time::{Duration, Instant};

use crate::net::{Host, Network};
use crate::scenarios::STOP_WITHIN;
use crate::{ensure, Bins, Failure, Result, Running, Stream, PATIENCE};

/// Four watchers on h2 of one heartbeat server on h1, side by side: a
/// `heartbeat-worker` (application heartbeats, 50 ms × 4), `link-watch`
/// with ZMTP heartbeats (a PING every 50 ms, 200 ms timeout), `link-watch`
/// with TCP keepalive (1 s idle, 1 probe 1 s apart: the kernel counts in
/// whole seconds) and a plain `link-watch`. h2 is cut off. The two
/// heartbeats notice within a few hundred milliseconds — the worker says
/// `server expired`, libzmq drops the ZMTP connection; the server, on its
/// side, says the worker expired — keepalive only after its probe went
/// unanswered, more than twice as late as either; and by then the plain
/// connection still has not noticed anything.
pub fn tcp_keepalive_notices_last_zmtp_and_app_heartbeats_first(bins: &Bins) -> Result<()> {
    let network = Network::new(2)?;
    let (server_host, watchers) = (network.host(1), network.host(2));
    let beat = ["--interval-ms", "50", "--liveness", "4"];
    let (mut server, endpoint) = network.serve(bins, server_host, "heartbeat-server", &beat)?;
    let mut worker_args = vec!["--connect", endpoint.as_str(), "--id", "app"];
    worker_args.extend_from_slice(&beat);
    let mut app = network.spawn(bins, watchers, "heartbeat-worker", &worker_args)?;
    let watch = |label: &str, checks: &[&str]| {
        let mut args = vec!["--connect", endpoint.as_str()];
        args.extend_from_slice(checks);
        network.spawn_as(label, bins, watchers, "link-watch", &args)
    };
    let mut zmtp = watch(
        "zmtp-watch",
        &["--heartbeat-ivl-ms", "50", "--heartbeat-timeout-ms", "200"],
    )?;
    let mut keepalive = watch(
        "keepalive-watch",
        &[
            "--tcp-keepalive-idle-s",
            "1",
            "--tcp-keepalive-intvl-s",
            "1",
            "--tcp-keepalive-cnt",
            "1",
        ],
    )?;
    let mut plain = watch("plain-watch", &[])?;
    server.wait_stdout("worker app joined", PATIENCE)?;
    for watcher in [&mut app, &mut zmtp, &mut keepalive, &mut plain] {
        watcher.wait_stdout("connected", PATIENCE)?;
    }
    until_keepalive_is_armed(&network, watchers)?;

    // What a busy machine made any of them say before the partition (a
    // late beat) is not its answer to it.
    for watcher in [&mut server, &mut app, &mut zmtp, &mut keepalive] {
        watcher.skip_collected();
    }
    network.partition(watchers)?;
    let cut = Instant::now();
    app.wait_stdout("server expired", PATIENCE)?;
    let app_noticed = cut.elapsed();
    server.wait_stdout("worker app expired", PATIENCE)?;
    zmtp.wait_stdout("disconnected", PATIENCE)?;
    let zmtp_noticed = cut.elapsed();
    keepalive.wait_stdout("disconnected", PATIENCE)?;
    let keepalive_noticed = cut.elapsed();
    ensure(
        keepalive_noticed > app_noticed * 2 && keepalive_noticed > zmtp_noticed * 2,
        || {
            format!(
                "noticed after: application {app_noticed:?}, ZMTP {zmtp_noticed:?}, \
                 keepalive {keepalive_noticed:?}"
            )
        },
    )?;
    plain.collect_output();
    let plain_lines = plain.lines(Stream::Stdout);
    ensure(
        !plain_lines.iter().any(|line| line == "disconnected"),
        || format!("the plain connection noticed: {plain_lines:?}"),
    )?;
    for watcher in [zmtp, keepalive, plain] {
        watcher
            .stop_with(libc::SIGINT, STOP_WITHIN)?
            .expect_success()?;
    }
    Ok(())
}

/// Waits until a connection of `host` has its keepalive timer running: the
/// kernel runs it only while nothing sent is unacknowledged. Just after
/// the handshake the watch's last handshake bytes may still be; a
/// partition then would leave them to TCP's retransmission (minutes of
/// backoff), and keepalive would never probe.
fn until_keepalive_is_armed(network: &Network, host: &Host) -> Result<()> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let sockets = network.output_on(host, "ss", &["-tno", "state", "established"])?;
        if sockets.contains("timer:(keepalive") {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(Failure::new(format!(
                "no connection of {} became idle with keepalive:\n{sockets}",
                host.name()
            )));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The difference the lab exists for. A server killed outright (SIGKILL)
/// leaves its kernel to close its connections, so a plain `link-watch`
/// reports `disconnected` at once — before the application's heartbeat
/// (50 ms × 10) could have missed a single beat; a server whose host is cut
/// off closes nothing, and the same plain watch, after the heartbeat worker
/// beside it has declared that server dead, still reports nothing.
pub fn kill_closes_the_connection_partition_leaves_it_open(bins: &Bins) -> Result<()> {
    let network = Network::new(3)?;
    let (watchers, killed_host, cut_host) = (network.host(1), network.host(2), network.host(3));
    let beat = ["--interval-ms", "50", "--liveness", "10"];
    let pair = |host| -> Result<(Running, Running, Running)> {
        let (server, endpoint) = network.serve(bins, host, "heartbeat-server", &beat)?;
        let mut args = vec!["--connect", endpoint.as_str()];
        args.extend_from_slice(&beat);
        let mut worker = network.spawn(bins, watchers, "heartbeat-worker", &args)?;
        let mut watch = network.spawn(bins, watchers, "link-watch", &args[..2])?;
        worker.wait_stdout("connected", PATIENCE)?;
        watch.wait_stdout("connected", PATIENCE)?;
        Ok((server, worker, watch))
    };
    let (mut killed, mut killed_worker, mut killed_watch) = pair(killed_host)?;
    let (_cut, mut cut_worker, mut cut_watch) = pair(cut_host)?;

    killed_worker.skip_collected();
    killed.signal(libc::SIGKILL)?;
    let gone = Instant::now();
    killed_watch.wait_stdout("disconnected", PATIENCE)?;
    let watch_saw = gone.elapsed();
    killed_worker.wait_stdout("server expired", PATIENCE)?;
    let heartbeat_saw = gone.elapsed();
    ensure(watch_saw * 3 < heartbeat_saw, || {
        format!("the kill was seen by the connection after {watch_saw:?}, by the heartbeat after {heartbeat_saw:?}")
    })?;

    cut_worker.skip_collected();
    network.partition(cut_host)?;
    cut_worker.wait_stdout("server expired", PATIENCE)?;
    cut_watch.collect_output();
    let lines = cut_watch.lines(Stream::Stdout);
    ensure(!lines.iter().any(|line| line == "disconnected"), || {
        format!("the partition was seen by a plain connection: {lines:?}")
    })?;
    ensure(!cut_watch.has_exited(), || "the watch ended".into())?;
    Ok(())
}
