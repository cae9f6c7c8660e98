//! Resident memory of a running example: what dhat cannot see.
//!
//! dhat counts the allocations that pass through Rust's allocator; libzmq's
//! queues are allocated by its C++ code and never do. What a high-water mark
//! bounds is therefore measured as the operating system sees it: the
//! process's resident set, from `/proc/<pid>/status` (Linux only).
//!
//! - `VmRSS` is the resident memory now; a [`Watch`] samples it as the
//!   program runs, for a chart.
//! - `VmHWM` is the kernel's record of the peak so far ([`peak_kib`]). It
//!   must be read while the process still exists: a zombie has no memory
//!   left to report. So a measurement holds the program at its end (the
//!   memory scenario's publisher lingers on messages nobody will take) and
//!   reads the peak then.
//!
//! Why not `wait4`'s `ru_maxrss`: Linux carries a process's peak across
//! `exec`, and a child spawned from a large process (a test binary running
//! dozens of scenarios) starts with its parent's peak as its own.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// One line of `/proc/<pid>/status` (`VmRSS`, `VmHWM`), in KiB; `None` once
/// the process is gone, or a zombie.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status
        .lines()
        .find(|line| line.split(':').next() == Some(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The resident memory of process `pid` now, in KiB.
pub fn resident_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS")
}

/// The peak resident memory of process `pid` so far, in KiB.
pub fn peak_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmHWM")
}

/// Samples a process's resident memory in the background.
pub struct Watch {
    stop: Arc<AtomicBool>,
    samples: Arc<Mutex<Vec<(Duration, u64)>>>,
    thread: Option<JoinHandle<()>>,
}

impl Watch {
    /// Samples `pid`'s resident memory every `every`, from now until
    /// [`Watch::stop`] or the process is gone.
    pub fn start(pid: u32, every: Duration) -> Watch {
        let stop = Arc::new(AtomicBool::new(false));
        let samples = Arc::new(Mutex::new(Vec::new()));
        let started = Instant::now();
        let thread = {
            let (stop, samples) = (stop.clone(), samples.clone());
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Some(kib) = resident_kib(pid) else { break };
                    if let Ok(mut samples) = samples.lock() {
                        samples.push((started.elapsed(), kib));
                    }
                    thread::sleep(every);
                }
            })
        };
        Watch {
            stop,
            samples,
            thread: Some(thread),
        }
    }

    /// Stops sampling and returns the samples: time since the start, KiB.
    pub fn stop(mut self) -> Vec<(Duration, u64)> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let samples = self.samples.lock().map(|s| s.clone());
        samples.unwrap_or_default()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    /// Runs `script` in a shell that then waits to be killed, and returns
    /// the first line it printed, its peak memory and its samples.
    fn held(script: &str) -> (String, u64, Vec<(Duration, u64)>) {
        let mut child = Command::new("sh")
            .args(["-c", &format!("{script}; sleep 30")])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let watch = Watch::start(child.id(), Duration::from_millis(1));
        let mut line = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let peak = peak_kib(child.id()).unwrap();
        let samples = watch.stop();
        child.kill().unwrap();
        child.wait().unwrap();
        (line.trim().to_string(), peak, samples)
    }

    #[test]
    fn a_shell_holding_30_mb_peaks_30_mb_above_an_idle_one() {
        let (_, idle, _) = held("echo idle");
        // Command substitution keeps the whole output in the shell's memory.
        let (length, holding, samples) =
            held("x=$(head -c 30000000 /dev/zero | tr '\\0' x); echo ${#x}");
        assert_eq!(length, "30000000");
        assert!(
            holding > idle + 25_000,
            "idle {idle} KiB, holding {holding} KiB"
        );
        assert!(!samples.is_empty());
        assert!(resident_kib(u32::MAX).is_none());
    }
}
