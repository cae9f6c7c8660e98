//! Every chapter's checks, as plain functions of a [`Bins`]: the tests call them
//! on this workspace's build, `harness check --bins DIR` on anyone's.
//!
//! Each is named for the claim it proves and fails with a [`crate::Failure`] that
//! shows what the programs printed.

pub mod ch1;
pub mod ch2;
pub mod peer;
pub mod perf;

use std::time::Duration;

use crate::{Bins, Result, Running, PATIENCE};

/// How fast an example must stop after SIGINT or SIGTERM (the conventions).
pub const STOP_WITHIN: Duration = Duration::from_secs(1);

/// Where a scenario's servers bind: loopback, a port the OS picks.
pub const ANY_PORT: &str = "tcp://127.0.0.1:*";

/// A check: a name that states the claim, and the function that proves it.
pub type Scenario = (&'static str, fn(&Bins) -> Result<()>);

/// Every scenario, for `harness check`.
pub fn all() -> Vec<Scenario> {
    [ch1::SCENARIOS, ch2::SCENARIOS, perf::SCENARIOS].concat()
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

fn process_exists(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    #[allow(unsafe_code)]
    let answer = unsafe { libc::kill(pid, 0) };
    answer == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}
