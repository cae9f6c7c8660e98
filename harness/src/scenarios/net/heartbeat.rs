//! Heartbeats across a partition: the failure they exist for.

use std::time::{Duration, Instant};

use crate::net::Network;
use crate::scenarios::STOP_WITHIN;
use crate::{ensure, Bins, Result, PATIENCE};

/// The beat of this file's programs, and how many may be missed.
const INTERVAL_MS: u64 = 40;
const LIVENESS: u32 = 6;

/// A worker on a host that is cut off is reported `expired` by the server
/// after its `--liveness` missed beats — no sooner than half the nominal
/// liveness × interval, within four times it — while its process is alive
/// and well (it declares the server dead in turn). When the host is plugged
/// in again, the worker's next attempt gets through: it joins again.
pub fn partitioned_worker_expires_though_alive_then_rejoins(bins: &Bins) -> Result<()> {
    let network = Network::new(2)?;
    let (server_host, worker_host) = (network.host(1), network.host(2));
    let beat = [
        "--interval-ms".to_string(),
        INTERVAL_MS.to_string(),
        "--liveness".to_string(),
        LIVENESS.to_string(),
    ];
    let beat: Vec<&str> = beat.iter().map(String::as_str).collect();
    let (mut server, endpoint) = network.serve(bins, server_host, "heartbeat-server", &beat)?;
    let mut args = vec![
        "--connect",
        &endpoint,
        "--id",
        "w1",
        "--max-backoff-ms",
        "160",
    ];
    args.extend_from_slice(&beat);
    let mut worker = network.spawn(bins, worker_host, "heartbeat-worker", &args)?;
    server.wait_stdout("worker w1 joined", PATIENCE)?;
    worker.wait_stdout("connected", PATIENCE)?;

    // A beat a busy machine delayed can make either side declare the
    // other dead before the partition: only what comes after counts.
    server.skip_collected();
    worker.skip_collected();
    network.partition(worker_host)?;
    let cut = Instant::now();
    server.wait_stdout("worker w1 expired", PATIENCE)?;
    let silence = cut.elapsed();
    let nominal = Duration::from_millis(INTERVAL_MS) * LIVENESS;
    ensure(silence >= nominal / 2 && silence <= nominal * 4, || {
        format!("expired {silence:?} after the partition (nominal {nominal:?})")
    })?;
    worker.wait_stdout("server expired; reconnecting in ", PATIENCE)?;
    ensure(!worker.has_exited(), || {
        "the partitioned worker's process had ended".into()
    })?;

    network.heal(worker_host)?;
    server.wait_stdout("worker w1 joined", PATIENCE)?;
    worker.wait_stdout("connected", PATIENCE)?;
    worker
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    server
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    Ok(())
}
