//! Running iproute2's `ip` and `tc`, with their complaint as the failure.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::{Failure, Result};

/// Runs `program args…` to its end; fails with what it printed on stderr.
pub(super) fn run(program: &str, args: &[&str]) -> Result<()> {
    output(program, args).map(drop)
}

/// What `program args…` prints on stdout; fails as [`run`] does.
pub(super) fn output(program: &str, args: &[&str]) -> Result<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Failure::new(format!("cannot run `{program}`: {e}")))?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    Err(Failure::new(format!(
        "`{program} {}` failed ({}): {}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    )))
}

/// `ip args…`.
pub(super) fn ip(args: &[&str]) -> Result<()> {
    run("ip", args)
}

/// Several `ip` commands in the network namespace `namespace`, in one run
/// of `ip -n <namespace> -batch -` (it stops at the first that fails).
pub(super) fn ip_in(namespace: &str, commands: &[String]) -> Result<()> {
    let mut child = Command::new("ip")
        .args(["-n", namespace, "-batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::new(format!("cannot run `ip`: {e}")))?;
    let script = commands.join("\n") + "\n";
    if let Some(mut stdin) = child.stdin.take() {
        // A write error shows as ip's own failure below.
        let _ = stdin.write_all(script.as_bytes());
    }
    let output = child
        .wait_with_output()
        .map_err(|e| Failure::new(format!("cannot wait for `ip`: {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    Err(Failure::new(format!(
        "`ip -n {namespace} -batch -` failed ({}) on\n{script}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    )))
}
