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
pub fn unique_ipc_endpoint(stem: &str) -> String {
    let path = crate::process::unique_temp_file(stem, "ipc");
    format!("ipc://{}", path.display())
}
