//! The network lab's demo: a server killed and a server cut off, side by
//! side, and who notices each (needs root: see [`crate::net`]).

use crate::demo::{Lesson, Stage};
use crate::net::Network;
use crate::{Bins, Failure, Result, PATIENCE};

/// The network lab's demo.
pub const LESSONS: &[Lesson] = &[Lesson {
    name: "partition",
    about: "network lab: a killed server and a cut-off one, side by side: the connection shows only the kill, heartbeats show both (needs root)",
    programs: &["heartbeat-server", "heartbeat-worker", "link-watch"],
    run: partition,
}];

/// The environment variable that sets the heartbeat interval of the demo,
/// in milliseconds: 200 when unset.
pub const INTERVAL_ENV: &str = "HARNESS_PARTITION_INTERVAL_MS";

/// Three hosts. h2 and h3 each run a `heartbeat-server`; h1 runs, for each,
/// a `heartbeat-worker` (application heartbeats) and a plain `link-watch`
/// (the connection as libzmq sees it), and for h3 also a `link-watch` with
/// ZMTP heartbeats. The server on h2 is killed (SIGKILL); h3 is cut off,
/// then plugged in again.
pub fn partition(bins: &Bins) -> Result<()> {
    let interval = interval_ms()?;
    let network = Network::new(3).map_err(|f| f.context("the partition demo needs the lab"))?;
    let watchers = network.host(1);
    let mut stage = Stage::default();
    stage.narrate("h1 watches a heartbeat server on h2 and one on h3 (198.18.0.2, .3)");
    let beat = ["--interval-ms", &interval, "--liveness", "4"];
    let zmtp_timeout = (interval.parse::<u32>().unwrap_or(200) * 4).to_string();
    for n in [2, 3] {
        let host = network.host(n);
        let name = format!("server-h{n}");
        let mut args = vec!["--bind".to_string(), host.any_port()];
        args.extend(beat.iter().map(|arg| arg.to_string()));
        let mut server = crate::Running::spawn(
            &name,
            network.command(bins, host, "heartbeat-server", &args),
        )?;
        let endpoint = server.bound_endpoint(PATIENCE)?;
        stage.enter(server);
        let mut worker = vec![
            "--connect",
            &endpoint,
            "--id",
            "h1",
            "--max-backoff-ms",
            "800",
        ];
        worker.extend_from_slice(&beat);
        let mut watchers_here = vec![
            (format!("worker-to-h{n}"), "heartbeat-worker", worker),
            (
                format!("watch-to-h{n}"),
                "link-watch",
                vec!["--connect", &endpoint],
            ),
        ];
        if n == 3 {
            watchers_here.push((
                "zmtp-watch-to-h3".to_string(),
                "link-watch",
                vec![
                    "--connect",
                    &endpoint,
                    "--heartbeat-ivl-ms",
                    &interval,
                    "--heartbeat-timeout-ms",
                    &zmtp_timeout,
                ],
            ));
        }
        for (label, program, args) in watchers_here {
            let command = network.command(bins, watchers, program, &args);
            stage.enter(crate::Running::spawn(&label, command)?);
            stage.wait_stdout(&label, "connected", PATIENCE)?;
        }
        stage.wait_stdout(&name, "worker h1 joined", PATIENCE)?;
    }

    stage.narrate("SIGKILL to the server on h2: its kernel closes its connections at once");
    stage.stop("server-h2", libc::SIGKILL)?;
    stage.wait_stdout("watch-to-h2", "disconnected", PATIENCE)?;
    stage.wait_stdout("worker-to-h2", "server expired", PATIENCE)?;
    stage.narrate("the kill is over; Ctrl-C to h1's watchers of h2");
    stage.stop("worker-to-h2", libc::SIGINT)?;
    stage.stop("watch-to-h2", libc::SIGINT)?;

    stage.narrate("h3's link goes down: its server runs on, and nothing is closed");
    network.partition(network.host(3))?;
    stage.wait_stdout("zmtp-watch-to-h3", "disconnected", PATIENCE)?;
    stage.wait_stdout("worker-to-h3", "server expired", PATIENCE)?;
    stage.wait_stdout("server-h3", "worker h1 expired", PATIENCE)?;
    stage.narrate("watch-to-h3, a plain connection, has seen nothing: it is still open");

    stage.narrate("h3 is plugged in again");
    network.heal(network.host(3))?;
    stage.wait_stdout("worker-to-h3", "connected", PATIENCE)?;
    stage.wait_stdout("server-h3", "worker h1 joined", PATIENCE)?;
    stage.narrate("done; Ctrl-C to the rest");
    for name in [
        "worker-to-h3",
        "watch-to-h3",
        "zmtp-watch-to-h3",
        "server-h3",
    ] {
        stage.stop(name, libc::SIGINT)?;
    }
    Ok(())
}

/// The heartbeat interval from [`INTERVAL_ENV`]: 10 to 5000 ms, 200 when
/// unset.
fn interval_ms() -> Result<String> {
    match std::env::var(INTERVAL_ENV) {
        Err(_) => Ok("200".to_string()),
        Ok(text) => match text.parse::<u32>() {
            Ok(ms) if (10..=5000).contains(&ms) => Ok(ms.to_string()),
            _ => Err(Failure::new(format!(
                "{INTERVAL_ENV}={text:?}: expected milliseconds, 10 to 5000"
            ))),
        },
    }
}
