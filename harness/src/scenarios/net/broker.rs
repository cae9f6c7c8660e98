//! The request-reply broker with a worker cut off: what it costs.

use crate::net::{Host, Network};
use crate::scenarios::STOP_WITHIN;
use crate::{ensure, Bins, Failure, Result, Running, Stream, PATIENCE};

/// Clients started together once the partition is in place.
const CLIENTS: usize = 6;

/// `rr-broker` on h1, `rr-worker` w1 on h2 and w2 on h3, clients on h4.
/// With h3 cut off, the broker knows nothing of it: its DEALER still deals
/// requests to both workers in turn, so of six one-request clients exactly
/// three are answered by w1 and exit, while the three whose request went to
/// w2 wait, their requests queued to a worker nobody can reach — and w1,
/// idle, could have served them. Only when h3 is plugged in again do the
/// queued requests reach w2 (when TCP retransmits them), each the request of
/// one waiting client, and those clients get their replies.
pub fn broker_queues_half_the_requests_to_a_partitioned_worker(bins: &Bins) -> Result<()> {
    let network = Network::new(4)?;
    let (broker_host, clients_host) = (network.host(1), network.host(4));
    let any = broker_host.any_port();
    let mut broker = network.spawn(
        bins,
        broker_host,
        "rr-broker",
        &["--frontend", &any, "--backend", &any],
    )?;
    let frontend = broker.bound_endpoint(PATIENCE)?;
    let backend = broker.bound_endpoint(PATIENCE)?;
    let worker = |host: &Host, id: &str| {
        network.spawn(
            bins,
            host,
            "rr-worker",
            &["--connect", &backend, "--id", id],
        )
    };
    let mut w1 = worker(network.host(2), "w1")?;
    let mut w2 = worker(network.host(3), "w2")?;
    both_workers_serve(bins, &network, clients_host, &frontend, &mut w1, &mut w2)?;

    network.partition(network.host(3))?;
    let client = |n: usize| {
        let id = format!("c{n}");
        let args = ["--connect", &frontend, "--count", "1", "--id", &id];
        network.spawn(bins, clients_host, "rr-client", &args)
    };
    let mut clients: Vec<(String, Running)> = (1..=CLIENTS)
        .map(|n| Ok((format!("c{n}"), client(n)?)))
        .collect::<Result<_>>()?;
    let mut served_by_w1 = Vec::new();
    for _ in 0..CLIENTS / 2 {
        let line = w1.wait_stdout("Received: hello c", PATIENCE)?;
        served_by_w1.push(client_of(&line)?);
    }
    let mut waiting = Vec::new();
    for (id, client) in clients.drain(..) {
        if served_by_w1.contains(&id) {
            let done = client.wait_exit(PATIENCE)?.expect_success()?;
            let replies = done.lines_after(Stream::Stdout, "Received: ");
            ensure(replies == [format!("world {id} 0 (w1)")], || {
                format!("{id} was answered {replies:?}")
            })?;
        } else {
            waiting.push((id, client));
        }
    }
    w2.collect_output();
    let w2_lines = w2.lines(Stream::Stdout);
    ensure(
        !w2_lines
            .iter()
            .any(|line| line.starts_with("Received: hello c")),
        || format!("w2 was served during the partition: {w2_lines:?}"),
    )?;
    for (id, client) in &mut waiting {
        ensure(!client.has_exited(), || {
            format!("{id}, whose request went to w2, ended during the partition")
        })?;
    }
    ensure(waiting.len() == CLIENTS / 2, || {
        format!("{} clients wait, not {}", waiting.len(), CLIENTS / 2)
    })?;

    network.heal(network.host(3))?;
    let mut served_by_w2 = Vec::new();
    for _ in 0..waiting.len() {
        let line = w2.wait_stdout("Received: hello c", PATIENCE)?;
        served_by_w2.push(client_of(&line)?);
    }
    served_by_w2.sort();
    let mut expected: Vec<String> = waiting.iter().map(|(id, _)| id.clone()).collect();
    expected.sort();
    ensure(served_by_w2 == expected, || {
        format!("after the heal w2 served {served_by_w2:?}; the waiting clients were {expected:?}")
    })?;
    for (id, client) in waiting {
        let done = client.wait_exit(PATIENCE)?.expect_success()?;
        let replies = done.lines_after(Stream::Stdout, "Received: ");
        ensure(replies == [format!("world {id} 0 (w2)")], || {
            format!("{id} was answered {replies:?}")
        })?;
    }
    broker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}

/// Runs warm-up clients until both workers have served one: both are
/// connected, so the broker deals to both.
fn both_workers_serve(
    bins: &Bins,
    network: &Network,
    host: &Host,
    frontend: &str,
    w1: &mut Running,
    w2: &mut Running,
) -> Result<()> {
    let served = |worker: &mut Running| {
        worker.collect_output();
        worker
            .lines(Stream::Stdout)
            .iter()
            .any(|line| line.starts_with("Received: hello warm"))
    };
    for _ in 0..20 {
        let args = ["--connect", frontend, "--count", "4", "--id", "warm"];
        let warm = network.spawn(bins, host, "rr-client", &args)?;
        warm.wait_exit(PATIENCE)?.expect_success()?;
        if served(w1) && served(w2) {
            return Ok(());
        }
    }
    Err(Failure::new("the broker never dealt to both workers"))
}

/// `c3` from `Received: hello c3 0`.
fn client_of(line: &str) -> Result<String> {
    line.trim_start_matches("Received: hello ")
        .split(' ')
        .next()
        .map(str::to_string)
        .ok_or_else(|| Failure::new(format!("bad line {line:?}")))
}
