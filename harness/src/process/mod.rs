//! A spawned example: its output line by line, each line stamped with the
//! time it was written, waits with timeouts, signals, and a guard that kills
//! it when the test ends, passes or fails.

mod finished;
mod output;
mod seqpacket;
mod written;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use crate::leak::HeapSummary;
use crate::{Failure, Result, PATIENCE};
use finished::show_lines;
pub use finished::Finished;
use output::{Event, Output};
pub use written::WriteTime;

/// One of a process's two output streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Results: what the example prints for its user.
    Stdout,
    /// Diagnostics: `interrupted`, `error: …`, dhat's report.
    Stderr,
}

/// A running example. Dropping it kills the process (SIGKILL) and reaps it, so
/// no test leaves a server behind, whatever happens to the test.
pub struct Running {
    name: String,
    child: Child,
    output: Output,
    stdout: Lines,
    stderr: Lines,
    profile: Option<PathBuf>,
    keep_profile: Option<PathBuf>,
    started: Instant,
    /// The longest any wait may take, whatever it asks ([`Running::cap_waits`]).
    cap: Option<Duration>,
}

/// Lines of one stream: all read so far, how far waits have consumed them, and
/// whether the stream closed.
#[derive(Default)]
struct Lines {
    all: Vec<String>,
    /// When each line of `all` was written.
    times: Vec<WriteTime>,
    consumed: usize,
    closed: bool,
}

impl Running {
    pub(crate) fn spawn(name: &str, command: Command) -> Result<Running> {
        Running::start(name, command, None)
    }

    pub(crate) fn spawn_profiled(name: &str, command: Command) -> Result<Running> {
        Running::start(name, command, Some(unique_temp_file(name, "json")))
    }

    fn start(name: &str, mut command: Command, profile: Option<PathBuf>) -> Result<Running> {
        let (output, ends) = Output::open()
            .map_err(|e| Failure::new(format!("cannot capture {name}'s output: {e}")))?;
        command
            .stdin(Stdio::null())
            .stdout(Stdio::from(ends.stdout))
            .stderr(Stdio::from(ends.stderr));
        if let Some(file) = &profile {
            command.env(lab::profile::PROFILE_ENV, file);
        }
        die_with_the_harness(&mut command);
        let spawned = command.spawn().map_err(|e| {
            Failure::new(format!(
                "cannot start {name} ({}): {e}",
                command.get_program().to_string_lossy()
            ))
        });
        // The command holds the child's ends of the streams: close them here,
        // so that the streams end when the child (and its children) are done.
        drop(command);
        Ok(Running {
            name: name.to_string(),
            child: spawned?,
            output,
            stdout: Lines::default(),
            stderr: Lines::default(),
            profile,
            keep_profile: None,
            started: Instant::now(),
            cap: None,
        })
    }

    /// Cuts every later wait on this process to at most `cap` (see
    /// [`crate::Bins::with_patience`]).
    pub(crate) fn cap_waits(&mut self, cap: Duration) {
        self.cap = Some(cap);
    }

    /// `timeout`, or the cap if that is shorter.
    fn capped(&self, timeout: Duration) -> Duration {
        self.cap.map_or(timeout, |cap| cap.min(timeout))
    }

    /// The program's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the next line of `stream` (after those earlier waits returned)
    /// for which `wanted` is true, and returns it. Fails after `timeout`, or when
    /// the stream closes, showing the last lines of both streams.
    pub fn wait_line_where(
        &mut self,
        stream: Stream,
        timeout: Duration,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let timeout = self.capped(timeout);
        let deadline = Instant::now() + timeout;
        loop {
            let lines = self.lines_mut(stream);
            if let Some(found) = lines.all[lines.consumed..].iter().position(|l| wanted(l)) {
                let index = lines.consumed + found;
                lines.consumed = index + 1;
                return Ok(lines.all[index].clone());
            }
            lines.consumed = lines.all.len();
            if lines.closed {
                return Err(self.failure(&format!("{stream:?} closed before the line came")));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.next(left) {
                Ok(event) => self.record(event),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(
                        self.failure(&format!("no such line on {stream:?} within {timeout:?}"))
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.stdout.closed = true;
                    self.stderr.closed = true;
                }
            }
        }
    }

    /// Waits for the next line of `stream` that contains `text`.
    pub fn wait_line(&mut self, stream: Stream, text: &str, timeout: Duration) -> Result<String> {
        self.wait_line_where(stream, timeout, |line| line.contains(text))
            .map_err(|failure| failure.context(format!("waiting for {text:?}")))
    }

    /// Waits for the next stdout line containing `text`.
    pub fn wait_stdout(&mut self, text: &str, timeout: Duration) -> Result<String> {
        self.wait_line(Stream::Stdout, text, timeout)
    }

    /// Waits for the next `bound <endpoint>` line and returns the endpoint.
    pub fn bound_endpoint(&mut self, timeout: Duration) -> Result<String> {
        let line = self
            .wait_line_where(Stream::Stdout, timeout, |line| line.starts_with("bound "))
            .map_err(|failure| failure.context("waiting for its bound line"))?;
        Ok(line["bound ".len()..].to_string())
    }

    /// Sends `signal` (e.g. `libc::SIGINT`) to the process.
    pub fn signal(&mut self, signal: i32) -> Result<()> {
        let pid = libc::pid_t::try_from(self.child.id())
            .map_err(|_| Failure::new("process id out of range"))?;
        // SAFETY: kill(2) only reads its two integer arguments; the pid is our
        // own child, not yet reaped (Drop reaps it), so it cannot name another
        // process.
        #[allow(unsafe_code)]
        let sent = unsafe { libc::kill(pid, signal) };
        if sent == 0 {
            Ok(())
        } else {
            Err(self.failure(&format!(
                "cannot send signal {signal}: {}",
                std::io::Error::last_os_error()
            )))
        }
    }

    /// Sends SIGINT (Ctrl-C).
    pub fn interrupt(&mut self) -> Result<()> {
        self.signal(libc::SIGINT)
    }

    /// Waits at most `timeout` for the process to exit, then for the rest of its
    /// output, and returns how it ended. Fails (and kills it) on timeout.
    pub fn wait_exit(mut self, timeout: Duration) -> Result<Finished> {
        let timeout = self.capped(timeout);
        let deadline = Instant::now() + timeout;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= deadline => {
                    let threads = threads_report(self.child.id());
                    return Err(self.failure(&format!(
                        "did not exit within {timeout:?}; its threads:\n{threads}"
                    )));
                }
                Ok(None) => {
                    // Use the wait to collect output; wake often to check the exit.
                    if let Ok(event) = self.output.next(Duration::from_millis(5)) {
                        self.record(event);
                    }
                }
                Err(e) => return Err(self.failure(&format!("cannot wait for it: {e}"))),
            }
        };
        let elapsed = self.started.elapsed();
        // The streams end when the process is gone (unless a grandchild holds
        // them: give up after a while rather than hang).
        let drain_until = Instant::now() + Duration::from_secs(5);
        while !(self.stdout.closed && self.stderr.closed) {
            let left = drain_until.saturating_duration_since(Instant::now());
            match self.output.next(left) {
                Ok(event) => self.record(event),
                Err(_) => break,
            }
        }
        let heap = match self.profile.take() {
            Some(file) => {
                let summary = HeapSummary::from_file(&file);
                match self.keep_profile.take() {
                    Some(keep) => {
                        let _ = std::fs::rename(&file, keep);
                    }
                    None => {
                        let _ = std::fs::remove_file(&file);
                    }
                }
                Some(
                    summary
                        .map_err(|failure| failure.context(format!("{}'s profile", self.name)))?,
                )
            }
            None => None,
        };
        Ok(Finished {
            name: self.name.clone(),
            status,
            stdout: std::mem::take(&mut self.stdout.all),
            stderr: std::mem::take(&mut self.stderr.all),
            heap,
            elapsed,
        })
    }

    /// Sends `signal` and waits at most `timeout` for the exit.
    pub fn stop_with(mut self, signal: i32, timeout: Duration) -> Result<Finished> {
        self.signal(signal)?;
        self.wait_exit(timeout)
    }

    /// Takes in every line the program has written so far: every line whose
    /// `write()` returned before this call is in [`Running::lines`] after it.
    /// (It waits only for the harness's own reader, not for the program.)
    pub fn collect_output(&mut self) {
        let Running {
            output,
            stdout,
            stderr,
            ..
        } = self;
        output.sync(PATIENCE, |event| record(stdout, stderr, event));
    }

    /// Every line of `stream` collected so far.
    pub fn lines(&self, stream: Stream) -> &[String] {
        match stream {
            Stream::Stdout => &self.stdout.all,
            Stream::Stderr => &self.stderr.all,
        }
    }

    /// When each line of `stream` was written ([`WriteTime`]: the kernel's
    /// stamp of the `write()` that carried the line's first byte, comparable
    /// across processes). If one program printed a line before doing what
    /// made another print its line, the first line's time is earlier:
    /// merging several programs' output by these times is causal (see
    /// [`crate::demo::Stage::show`] for the rest of the argument).
    pub fn line_times(&self, stream: Stream) -> &[WriteTime] {
        match stream {
            Stream::Stdout => &self.stdout.times,
            Stream::Stderr => &self.stderr.times,
        }
    }

    /// Takes in every line written so far ([`Running::collect_output`])
    /// and lets later waits look only at lines after them: what a program
    /// printed before an event the test causes cannot be taken for its
    /// answer to it.
    pub fn skip_collected(&mut self) {
        self.collect_output();
        self.stdout.consumed = self.stdout.all.len();
        self.stderr.consumed = self.stderr.all.len();
    }

    /// True once the process has exited (it is not reaped until waited for).
    pub fn has_exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Keeps the heap profile at `file` instead of deleting it after reading.
    pub fn keep_profile_at(&mut self, file: PathBuf) {
        self.keep_profile = Some(file);
    }

    fn lines_mut(&mut self, stream: Stream) -> &mut Lines {
        match stream {
            Stream::Stdout => &mut self.stdout,
            Stream::Stderr => &mut self.stderr,
        }
    }

    fn record(&mut self, event: Event) {
        record(&mut self.stdout, &mut self.stderr, event);
    }

    /// A failure about this process, with what it printed last.
    fn failure(&mut self, what: &str) -> Failure {
        self.collect_output();
        Failure::new(format!(
            "{}: {what}\n{}",
            self.name,
            show_lines(&self.stdout.all, &self.stderr.all)
        ))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(file) = self.profile.take() {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// What each thread of process `pid` is doing, one line each — its name,
/// its state letter (`R` running, `S` asleep, `T` stopped…) and, asleep, the
/// system call it waits in (`/proc/<pid>/task/<tid>/syscall`, number first):
/// what a process that did not exit in time was stuck on.
fn threads_report(pid: u32) -> String {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return "    (gone)".into();
    };
    let mut lines: Vec<String> = tasks
        .flatten()
        .map(|task| {
            let path = task.path();
            let read = |file: &str| std::fs::read_to_string(path.join(file)).unwrap_or_default();
            let stat = read("stat");
            let (name, state) = match (stat.find('('), stat.rfind(')')) {
                (Some(open), Some(close)) if open < close => (
                    &stat[open + 1..close],
                    stat[close + 1..].split_whitespace().next().unwrap_or("?"),
                ),
                _ => ("?", "?"),
            };
            let syscall = read("syscall");
            let call = syscall.split_whitespace().next().unwrap_or("?");
            let id = task.file_name().to_string_lossy().into_owned();
            format!("    {id} {name}: {state}, syscall {call}")
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

/// Takes an event of the output reader into the lines of its stream.
fn record(stdout: &mut Lines, stderr: &mut Lines, event: Event) {
    let of = |stream| match stream {
        Stream::Stdout => stdout,
        Stream::Stderr => stderr,
    };
    match event {
        Event::Line(stream, time, line) => {
            let lines = of(stream);
            lines.all.push(line);
            lines.times.push(WriteTime::from(time));
        }
        Event::Closed(stream) => of(stream).closed = true,
        Event::Synced(_) => {}
    }
}

/// A file name in the temporary directory that no other test uses.
pub fn unique_temp_file(stem: &str, extension: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut name = OsString::from(format!("zmq-book-{stem}-{}-{n}", std::process::id()));
    name.push(".");
    name.push(extension);
    std::env::temp_dir().join(name)
}

/// Makes the child get SIGKILL when the harness thread that started it ends —
/// also when the test process is killed outright (SIGKILL, a runner's timeout),
/// which runs no `Drop`: the kill-on-drop guard alone would leave the example
/// running, orphaned, for ever (a spinning publisher, a port held).
fn die_with_the_harness(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec, where only
    // async-signal-safe calls are allowed; prctl is a plain system call and the
    // closure allocates nothing.
    #[allow(unsafe_code)]
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}
