//! Every chapter's checks, as plain functions of a [`Bins`]: the tests call them
//! on this workspace's build, `harness check --bins DIR` on anyone's.
//!
//! Each is named for the claim it proves and fails with a [`crate::Failure`] that
//! shows what the programs printed.
//!
//! # One list
//!
//! A chapter's `SCENARIOS` table is the only list of its scenarios: [`all`]
//! gathers the tables, the test target `harness/tests/scenarios.rs` makes one
//! test of each entry, named `<chapter>::<scenario>` (so
//! `cargo test -p harness --test scenarios ch2::` runs chapter 2), and
//! `harness check` and `harness list` use the same names. There are no
//! `#[test]` wrappers to keep in step.
//!
//! # Adding a chapter
//!
//! 1. Write the module, `scenarios/chN.rs` or `scenarios/chN/mod.rs` (one file
//!    per topic under `scenarios/chN/` once it grows past ~400 lines), with one
//!    table: `pub const SCENARIOS: &[Scenario] = &[("claim_it_proves", function), …];`
//!    A scenario that needs arguments is a closure:
//!    `("stops_on_sigint", |bins| stops(bins, libc::SIGINT))`.
//! 2. Add `pub mod chN;` below, and one line `("chN", chN::SCENARIOS),` to the
//!    chapter list in [`all`].
//!
//! That is all: the new scenarios are tests, checks and list entries. Adding a
//! scenario to an existing chapter is one table entry. A scenario that takes
//! the book's fixed ports holds [`book_ports::BookPorts`] while it runs.
//! A scenario that compares two timings of its own (a speed-up) runs both
//! [`side_by_side`], so that both see the same machine; one that keeps both
//! cores busy by itself takes [`schedule::turns`].

pub mod book_ports;
pub mod ch1;
pub mod ch2;
pub mod ch3;
pub mod ch4;
pub mod demos;
pub mod monitor;
pub mod net;
pub mod peer;
pub mod perf;
pub mod schedule;
pub mod whole_messages;

use std::time::Duration;

use crate::{Bins, Failure, Result, Running, PATIENCE};

/// How fast an example must stop after SIGINT or SIGTERM (the conventions).
pub const STOP_WITHIN: Duration = Duration::from_secs(1);

/// Where a scenario's servers bind: loopback, a port the OS picks.
pub const ANY_PORT: &str = "tcp://127.0.0.1:*";

/// A check: a name that states the claim, and the function that proves it.
pub type Scenario = (&'static str, fn(&Bins) -> Result<()>);

/// What a table of scenarios needs of the machine: `Err` says why this one
/// cannot run them (the network lab's need root, for instance); they are
/// then reported as skipped, with the reason, instead of failing.
pub type Requirement = fn() -> std::result::Result<(), String>;

/// A scenario with its chapter, as [`all`] lists it.
#[derive(Debug, Clone, Copy)]
pub struct Listed {
    /// The chapter's module name, e.g. `ch1`.
    pub chapter: &'static str,
    /// The scenario's name in its chapter's table, e.g.
    /// `three_requests_get_three_worlds`.
    pub name: &'static str,
    /// The function that proves it.
    pub check: fn(&Bins) -> Result<()>,
    /// What it needs of the machine, if anything.
    pub requires: Option<Requirement>,
}

impl Listed {
    /// `<chapter>::<name>`, e.g. `ch1::three_requests_get_three_worlds`: the
    /// test's name, unique across chapters.
    pub fn full_name(&self) -> String {
        format!("{}::{}", self.chapter, self.name)
    }

    /// Why this machine cannot run it, if it cannot.
    pub fn unavailable(&self) -> Option<String> {
        self.requires.and_then(|requires| requires().err())
    }
}

/// Every scenario of every chapter, in table order: for the tests,
/// `harness check` and `harness list`.
pub fn all() -> Vec<Listed> {
    let chapters: &[(&'static str, &'static [Scenario])] = &[
        // First: the demos' narrated pauses start at once, the rest beside them.
        ("demos", demos::SCENARIOS),
        ("ch1", ch1::SCENARIOS),
        ("ch2", ch2::SCENARIOS),
        ("ch3", ch3::core::SCENARIOS),
        ("ch3", ch3::czmq::SCENARIOS),
        ("ch4", ch4::broker::SCENARIOS),
        ("ch4", ch4::reliability::SCENARIOS),
        ("perf", perf::SCENARIOS),
        ("transcripts", crate::transcripts::scenarios::SCENARIOS),
    ];
    let mut listed: Vec<Listed> = chapters
        .iter()
        .flat_map(|&(chapter, table)| {
            table.iter().map(move |&(name, check)| Listed {
                chapter,
                name,
                check,
                requires: None,
            })
        })
        .collect();
    // The network lab: hosts as network namespaces, which need root.
    for &(table, requires) in net::TABLES {
        listed.extend(table.iter().map(|&(name, check)| Listed {
            chapter: "net",
            name,
            check,
            requires,
        }));
    }
    listed
}

/// Runs `first` on another thread while `second` runs on this one, and
/// returns both outcomes: two runs of a timing comparison, side by side, see
/// the same machine however busy other tests keep it.
pub fn side_by_side<A: Send, B>(
    first: impl FnOnce() -> Result<A> + Send,
    second: impl FnOnce() -> Result<B>,
) -> Result<(A, B)> {
    std::thread::scope(|scope| {
        let first = scope.spawn(first);
        let second = second();
        let first = first
            .join()
            .unwrap_or_else(|_| Err(Failure::new("the run beside this one panicked")));
        Ok((first?, second?))
    })
}

/// Starts `name` with `--bind tcp://127.0.0.1:*` and `args`, and returns it with
/// the endpoint it bound.
pub fn serve(bins: &Bins, name: &str, args: &[&str]) -> Result<(Running, String)> {
    let mut server = bins.spawn(name, &with_bind(args))?;
    let endpoint = server.bound_endpoint(PATIENCE)?;
    Ok((server, endpoint))
}

/// The same, under heap profiling.
pub fn serve_profiled(bins: &Bins, name: &str, args: &[&str]) -> Result<(Running, String)> {
    let mut server = bins.spawn_profiled(name, &with_bind(args))?;
    let endpoint = server.bound_endpoint(PATIENCE)?;
    Ok((server, endpoint))
}

fn with_bind<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--bind", ANY_PORT];
    all.extend_from_slice(args);
    all
}

/// An `ipc://` endpoint in the temporary directory that no other test uses: for
/// the scenarios that must know an endpoint before anything binds it.
///
/// libzmq 4.3.4 leaves an ipc socket's file behind when the socket closes, so
/// the first call in a process removes the files of earlier harness processes
/// that have ended.
pub fn unique_ipc_endpoint(stem: &str) -> String {
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(remove_ipc_files_of_ended_processes);
    let path = crate::process::unique_temp_file(stem, "ipc");
    format!("ipc://{}", path.display())
}

/// Removes `zmq-book-<stem>-<pid>-<n>.ipc` files whose process is gone.
fn remove_ipc_files_of_ended_processes() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name
            .strip_prefix("zmq-book-")
            .and_then(|n| n.strip_suffix(".ipc"))
        else {
            continue;
        };
        let pid = stem
            .rsplit('-')
            .nth(1)
            .and_then(|pid| pid.parse::<libc::pid_t>().ok());
        if pid.is_some_and(|pid| !process_exists(pid)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// True while the process `pid` exists (a zombie counts).
pub(crate) fn process_exists(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    #[allow(unsafe_code)]
    let answer = unsafe { libc::kill(pid, 0) };
    answer == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_has_its_own_name() {
        let names: Vec<String> = all().iter().map(Listed::full_name).collect();
        let unique: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(
            unique.len(),
            names.len(),
            "a name is listed twice: {names:?}"
        );
    }
}
