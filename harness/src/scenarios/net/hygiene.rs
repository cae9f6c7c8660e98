//! The lab keeps to itself: only its own addresses, nothing left behind —
//! after a drop, a Ctrl-C, or a process killed outright — and, where it
//! cannot run, a skip with the reason instead of a failure. And its demo.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use crate::demo::partition::INTERVAL_ENV;
use crate::net::namespaces::{all_ours, leftovers, sweep_ended_processes};
use crate::net::{in_lab_range, Network};
use crate::{ensure, Bins, Failure, Finished, Result, Running, PATIENCE};

/// Every address in every namespace of the lab is loopback or in
/// 198.18.0.0/15 (no IPv6 link-local address either), each host has its
/// own, and no table has a default route: nothing can leave the lab.
pub fn hosts_have_only_lab_addresses_and_routes(_bins: &Bins) -> Result<()> {
    let network = Network::new(2)?;
    for namespace in network.namespaces() {
        let addresses = network.show(namespace, &["addr", "show"])?;
        let mut lab_addresses = 0;
        for (family, address) in addresses_in(&addresses) {
            let allowed = match (family, address.split('/').next().unwrap_or("")) {
                ("inet", "127.0.0.1") | ("inet6", "::1") => true,
                ("inet", ip) => ip.parse().is_ok_and(in_lab_range),
                _ => false,
            };
            ensure(allowed, || {
                format!("{namespace} has the address {family} {address}:\n{addresses}")
            })?;
            lab_addresses += usize::from(address.starts_with("198.1"));
        }
        let is_host = network.hosts().iter().any(|h| h.namespace() == namespace);
        ensure(lab_addresses == usize::from(is_host), || {
            format!("{namespace} has {lab_addresses} lab addresses:\n{addresses}")
        })?;
        let routes = network.show(namespace, &["route", "show", "table", "all"])?;
        let routes6 = network.show(namespace, &["-6", "route", "show", "table", "all"])?;
        ensure(
            !routes
                .lines()
                .chain(routes6.lines())
                .any(|r| r.starts_with("default")),
            || format!("{namespace} has a default route:\n{routes}{routes6}"),
        )?;
    }
    Ok(())
}

/// `(family, address/prefix)` of each line of `ip -o addr show`.
fn addresses_in(listing: &str) -> Vec<(&str, &str)> {
    listing
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let family = words.find(|w| *w == "inet" || *w == "inet6")?;
            Some((family, words.next()?))
        })
        .collect()
}

/// The namespaces of a network exist while it does, and are all gone once
/// it is dropped.
pub fn dropped_network_leaves_no_namespace(_bins: &Bins) -> Result<()> {
    let network = Network::new(2)?;
    let names: Vec<String> = network.namespaces().iter().map(|n| n.to_string()).collect();
    let before = all_ours();
    ensure(names.iter().all(|name| before.contains(name)), || {
        format!("the network's namespaces {names:?} are not all in {before:?}")
    })?;
    drop(network);
    let after = all_ours();
    ensure(!names.iter().any(|name| after.contains(name)), || {
        format!("left behind: {after:?} (the network had {names:?})")
    })
}

/// A `zbr-<pid>-…` namespace whose process has ended (as after a SIGKILL,
/// which runs no cleanup) is removed by the sweep; the namespaces of a
/// process still running — this one's — are not.
pub fn sweep_removes_namespaces_of_ended_processes(_bins: &Bins) -> Result<()> {
    let ended = Command::new("true")
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| Failure::new(format!("cannot run true: {e}")))?;
    let pid = ended.id();
    let mut ended = ended;
    let _ = ended.wait();
    let orphan = format!("{}{pid}-sweep-test", crate::net::namespaces::PREFIX);
    let network = Network::new(1)?;
    let status = Command::new("ip")
        .args(["netns", "add", &orphan])
        .status()
        .map_err(|e| Failure::new(format!("cannot run ip: {e}")))?;
    ensure(status.success(), || {
        format!("ip netns add {orphan}: {status}")
    })?;
    ensure(leftovers().contains(&orphan), || {
        format!("{orphan} is not seen as left behind: {:?}", leftovers())
    })?;
    sweep_ended_processes();
    let after = all_ours();
    ensure(!after.contains(&orphan), || {
        format!("{orphan} was not swept")
    })?;
    let ours: Vec<&str> = network.namespaces();
    ensure(ours.iter().all(|n| after.iter().any(|a| a == n)), || {
        format!("the sweep removed a live network's namespaces: {after:?}")
    })
}

/// Runs `harness demo partition` as its transcript's check does (heartbeats
/// every 100 ms) to its end, and compares what it printed with the
/// transcript in the walkthrough.
fn demo(bins: &Bins) -> Result<Finished> {
    let transcript = crate::transcripts::of_demo("partition")?;
    let mut command = bins.command("harness", &["demo", "partition"]);
    command.envs(transcript.demo_env(true));
    let finished = Running::spawn("harness demo partition", command)?
        .wait_exit(PATIENCE)?
        .expect_success()?;
    transcript.check(&finished.stdout)?;
    Ok(finished)
}

/// The demo shows what its narration promises: the kill seen by the plain
/// connection and then by the heartbeat; the partition seen by the ZMTP
/// heartbeat and the application's on both sides, never by the plain
/// connection; the worker joining again after the heal.
pub fn partition_demo_shows_kill_then_partition(bins: &Bins) -> Result<()> {
    let demo = demo(bins)?;
    let shown = |text: &str| demo.stdout.iter().position(|line| line.contains(text));
    // Each narration, then what must follow it before the next one (in any
    // order: the heartbeats race).
    let acts: [(&str, &[&str]); 4] = [
        (
            "--- SIGKILL to the server on h2",
            &[" watch-to-h2] disconnected", "worker-to-h2] server expired"],
        ),
        (
            "--- h3's link goes down",
            &[
                "zmtp-watch-to-h3] disconnected",
                "worker-to-h3] server expired",
                "server-h3] worker h1 expired",
            ],
        ),
        (
            "--- h3 is plugged in again",
            &["server-h3] worker h1 joined"],
        ),
        ("--- done", &["server-h3 exited: exit status: 0"]),
    ];
    let everything = || demo.stdout.join("\n");
    for (index, (act, lines)) in acts.iter().enumerate() {
        let start =
            shown(act).ok_or_else(|| Failure::new(format!("no {act:?}:\n{}", everything())))?;
        let end = acts
            .get(index + 1)
            .and_then(|(next, _)| shown(next))
            .unwrap_or(demo.stdout.len());
        for line in *lines {
            let found = demo.stdout[start..end].iter().any(|l| l.contains(line));
            ensure(found, || {
                format!(
                    "after {act:?} the demo did not show {line:?}:\n{}",
                    everything()
                )
            })?;
        }
    }
    ensure(shown(" watch-to-h3] disconnected").is_none(), || {
        format!(
            "the plain watch saw the partition:\n{}",
            demo.stdout.join("\n")
        )
    })
}

/// Ctrl-C (SIGINT) to `harness demo partition` while h3 is cut off: the
/// harness removes every namespace it made before it dies of the signal.
pub fn ctrl_c_on_the_demo_leaves_no_namespace(bins: &Bins) -> Result<()> {
    let mut command = bins.command("harness", &["demo", "partition"]);
    command.env(INTERVAL_ENV, "50");
    let mut demo = Running::spawn("harness demo partition", command)?;
    demo.wait_stdout("--- h3's link goes down", PATIENCE)?;
    let prefix = format!("{}{}-", crate::net::namespaces::PREFIX, demo.pid());
    let its = || -> Vec<String> {
        all_ours()
            .into_iter()
            .filter(|name| name.starts_with(&prefix))
            .collect()
    };
    ensure(its().len() == 4, || {
        format!("the demo's namespaces: {:?}", its())
    })?;
    demo.signal(libc::SIGINT)?;
    let finished = demo.wait_exit(PATIENCE)?;
    ensure(its().is_empty(), || {
        format!(
            "left behind after Ctrl-C ({}): {:?}",
            finished.status,
            its()
        )
    })
}

/// Run as an unprivileged user (`nobody`), `harness check net::` skips the
/// lab's scenarios, saying why, and passes. (Already unprivileged, this
/// process is that user: the lab must say it is unavailable, and why.)
pub fn unprivileged_runs_skip_the_lab_with_a_reason(bins: &Bins) -> Result<()> {
    if !crate::net::running_as_root() {
        let why = crate::net::available().err().unwrap_or_default();
        return ensure(why.contains("needs root"), || {
            format!("unprivileged, the lab says {why:?}")
        });
    }
    let mut command = bins.command("harness", &["check", "net::hosts_have_only_lab_addresses"]);
    command.uid(65534).gid(65534);
    let check = Running::spawn("harness check as nobody", command)?.wait_exit(PATIENCE)?;
    let skipped = check
        .stdout
        .iter()
        .any(|line| line.starts_with("skipped") && line.contains("needs root"));
    ensure(skipped && check.status.success(), || {
        format!(
            "as nobody ({}): {:?} {:?}",
            check.status, check.stdout, check.stderr
        )
    })?;
    ensure(
        check.stdout.last().map(String::as_str) == Some("0 passed, 0 failed, 1 skipped"),
        || format!("as nobody: {:?}", check.stdout),
    )
}
