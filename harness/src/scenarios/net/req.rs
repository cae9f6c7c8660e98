//! Request-reply across a partition: the lazy pirate retries through it; a
//! plain REQ, with no timeout, just waits — the reason for the pirate.

use crate::net::Network;
use crate::scenarios::STOP_WITHIN;
use crate::{ensure, Bins, Result, Running, Stream, PATIENCE};

/// A lazy pirate client whose server's host is cut off mid-run times out,
/// retries on new sockets, and when the host is plugged in again carries on:
/// it ends with every one of its 40 requests answered by its own echo, once
/// and in order, and nothing refused on the way.
pub fn pirate_retries_through_a_partition_with_every_reply_its_own(bins: &Bins) -> Result<()> {
    let network = Network::new(2)?;
    let (server_host, client_host) = (network.host(1), network.host(2));
    let (_server, endpoint) = network.serve(
        bins,
        server_host,
        "lazy-pirate-server",
        &["--delay-ms", "10"],
    )?;
    let mut client = network.spawn(
        bins,
        client_host,
        "lazy-pirate-client",
        &[
            "--connect",
            &endpoint,
            "--count",
            "40",
            "--timeout-ms",
            "100",
            "--retries",
            "30",
        ],
    )?;
    client.wait_stdout("Received: 3", PATIENCE)?;
    network.partition(server_host)?;
    let unanswered = client.wait_stdout("no reply to ", PATIENCE)?;
    client.wait_stdout("retry 2 of 30: new socket", PATIENCE)?;
    network.heal(server_host)?;
    let client = client.wait_exit(PATIENCE)?.expect_success()?;
    let received = client.lines_after(Stream::Stdout, "Received: ");
    let expected: Vec<String> = (1..=40).map(|n| n.to_string()).collect();
    ensure(received == expected, || {
        format!("the replies were {received:?} ({unanswered} during the partition)")
    })?;
    ensure(client.stderr.is_empty(), || {
        format!("the client complained: {:?}", client.stderr)
    })?;
    ensure(
        client.stdout.last().map(String::as_str) == Some("40 requests, 40 matching replies"),
        || format!("the client ended with {:?}", client.stdout.last()),
    )
}

/// A plain REQ (`hello-client`, no timeout) whose server's host is cut off
/// gets at most the one reply already on its way, then nothing: while a
/// lazy pirate beside it, on the same hosts, times out four times and gives
/// up (exit 1), the plain client is still running, its last request
/// unanswered. When the host is plugged in again, TCP's own retransmission
/// — at its own backoff, not the application's — finally delivers it.
pub fn plain_req_still_waits_after_the_pirate_gave_up(bins: &Bins) -> Result<()> {
    let network = Network::new(2)?;
    let (server_host, client_host) = (network.host(1), network.host(2));
    let (_hello_server, hello_endpoint) =
        network.serve(bins, server_host, "hello-server", &["--delay-ms", "10"])?;
    let (_pirate_server, pirate_endpoint) = network.serve(
        bins,
        server_host,
        "lazy-pirate-server",
        &["--delay-ms", "10"],
    )?;
    let mut plain = network.spawn(
        bins,
        client_host,
        "hello-client",
        &["--connect", &hello_endpoint, "--count", "0"],
    )?;
    let mut pirate = network.spawn(
        bins,
        client_host,
        "lazy-pirate-client",
        &[
            "--connect",
            &pirate_endpoint,
            "--count",
            "0",
            "--timeout-ms",
            "60",
            "--retries",
            "3",
        ],
    )?;
    plain.wait_stdout("Received: world - 3", PATIENCE)?;
    pirate.wait_stdout("Received: 3", PATIENCE)?;

    network.partition(server_host)?;
    let at_partition = replies(&mut plain);
    let pirate = pirate.wait_exit(PATIENCE)?.expect_code(1)?;
    ensure(
        pirate.lines_after(Stream::Stdout, "retry 3 of 3").len() == 1,
        || format!("the pirate did not use its retries: {:?}", pirate.stdout),
    )?;
    let after_giving_up = replies(&mut plain);
    ensure(after_giving_up <= at_partition + 1, || {
        format!(
            "the plain client got {} replies across the partition",
            after_giving_up - at_partition
        )
    })?;
    ensure(!plain.has_exited(), || "the plain client ended".into())?;
    let last = plain
        .lines(Stream::Stdout)
        .last()
        .cloned()
        .unwrap_or_default();
    ensure(last.starts_with("Sending: hello - "), || {
        format!("the plain client's last line was {last:?}, not a request")
    })?;

    network.heal(server_host)?;
    let waiting_for = last.trim_start_matches("Sending: hello - ");
    plain.wait_stdout(&format!("Received: world - {waiting_for}"), PATIENCE)?;
    plain
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}

/// How many replies `client` has printed so far.
fn replies(client: &mut Running) -> usize {
    client.collect_output();
    client
        .lines(Stream::Stdout)
        .iter()
        .filter(|line| line.starts_with("Received: "))
        .count()
}
