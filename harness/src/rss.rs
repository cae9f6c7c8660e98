//! Resident memory of a running example: what dhat cannot see.
//!
//! dhat counts the allocations that pass through Rust's allocator; libzmq's
//! queues are allocated by its C++ code and never do. What a high-water mark
//! bounds is therefore measured as the operating system sees it: the
//! process's resident set.
//!
//! [`measure`] runs a program to its end, samples its resident memory
//! (`VmRSS` in `/proc/<pid>/status`) as it runs, and reaps it with `wait4`,
//! whose resource usage carries the kernel's own peak (`ru_maxrss`): no
//! sample can miss the peak, however short the run. Linux only.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::{Failure, Result};

/// A program run to its end, with its memory.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The program's name.
    pub name: String,
    /// How it ended.
    pub status: ExitStatus,
    /// What it printed on stdout, line by line.
    pub stdout: Vec<String>,
    /// What it printed on stderr, line by line.
    pub stderr: Vec<String>,
    /// Its peak resident memory, in KiB, from the kernel.
    pub peak_kib: u64,
    /// Its resident memory as it ran: time since the start, KiB.
    pub samples: Vec<(Duration, u64)>,
}

/// Runs `command` (named `name` in failures) to its end, sampling its
/// resident memory every `every`; kills it and fails after `timeout`.
pub fn measure(
    name: &str,
    mut command: Command,
    every: Duration,
    timeout: Duration,
) -> Result<Measured> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| Failure::new(format!("cannot start {name}: {e}")))?;
    let started = Instant::now();
    let stdout = child.stdout.take().map(read_all);
    let stderr = child.stderr.take().map(read_all);
    let pid = libc::pid_t::try_from(child.id())
        .map_err(|_| Failure::new(format!("{name}: process id out of range")))?;
    let mut reaper = Reaper { pid, reaped: false };
    let mut samples = Vec::new();
    let (status, peak_kib) = loop {
        if let Some(kib) = resident_kib(pid) {
            samples.push((started.elapsed(), kib));
        }
        if let Some(ended) = reaper.try_reap()? {
            break ended;
        }
        if started.elapsed() > timeout {
            return Err(Failure::new(format!(
                "{name} did not exit within {timeout:?}"
            )));
        }
        thread::sleep(every);
    };
    let lines = |reader: Option<JoinHandle<String>>| -> Vec<String> {
        let text = reader.and_then(|r| r.join().ok()).unwrap_or_default();
        text.lines().map(str::to_string).collect()
    };
    Ok(Measured {
        name: name.to_string(),
        status,
        stdout: lines(stdout),
        stderr: lines(stderr),
        peak_kib,
        samples,
    })
}

/// The resident memory of process `pid` now, in KiB (`None` once it is gone,
/// or a zombie).
pub fn resident_kib(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn read_all(mut stream: impl Read + Send + 'static) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Reaps the child with `wait4` (for its peak memory); kills and reaps it if
/// the measurement is abandoned.
struct Reaper {
    pid: libc::pid_t,
    reaped: bool,
}

impl Reaper {
    /// The exit status and peak resident memory (KiB) once the child has
    /// exited; `None` while it runs.
    fn try_reap(&mut self) -> Result<Option<(ExitStatus, u64)>> {
        use std::os::unix::process::ExitStatusExt;
        let mut status = 0;
        // SAFETY: rusage is plain old data, valid when zeroed.
        #[allow(unsafe_code)]
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: wait4 writes only to the two out-pointers, which point to
        // live locals of the right types; the pid is our own unreaped child.
        #[allow(unsafe_code)]
        let reaped = unsafe { libc::wait4(self.pid, &mut status, libc::WNOHANG, &mut usage) };
        match reaped {
            0 => Ok(None),
            pid if pid == self.pid => {
                self.reaped = true;
                let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0);
                Ok(Some((ExitStatus::from_raw(status), peak)))
            }
            _ => {
                let error = std::io::Error::last_os_error();
                if error.kind() == std::io::ErrorKind::Interrupted {
                    Ok(None)
                } else {
                    Err(Failure::new(format!(
                        "cannot wait for {}: {error}",
                        self.pid
                    )))
                }
            }
        }
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        if !self.reaped {
            // SAFETY: kill and wait4 on our own child, not yet reaped, so the
            // pid cannot name another process; null rusage is allowed.
            #[allow(unsafe_code)]
            unsafe {
                libc::kill(self.pid, libc::SIGKILL);
                libc::wait4(self.pid, std::ptr::null_mut(), 0, std::ptr::null_mut());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(script: &str) -> Measured {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        measure(
            "sh",
            command,
            Duration::from_millis(1),
            Duration::from_secs(20),
        )
        .unwrap_or_else(|failure| panic!("{failure}"))
    }

    #[test]
    fn a_shell_holding_30_mb_peaks_30_mb_above_an_idle_one() {
        let idle = run("exit 0");
        // Command substitution keeps the whole output in the shell's memory.
        let holding = run("x=$(head -c 30000000 /dev/zero | tr '\\0' x); echo ${#x}");
        assert!(idle.status.success() && holding.status.success());
        assert_eq!(holding.stdout, ["30000000"]);
        assert!(
            holding.peak_kib > idle.peak_kib + 25_000,
            "idle {} KiB, holding {} KiB",
            idle.peak_kib,
            holding.peak_kib
        );
        assert!(!holding.samples.is_empty());
    }
}
