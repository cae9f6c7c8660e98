//! The processes of a demo on one terminal: their output merged, labelled by
//! program, in causal order.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::process::WriteTime;
use crate::{Failure, Result, Running, Stream, PATIENCE};

/// How often a stage looks for new output while it waits for a program.
const PACE: Duration = Duration::from_millis(20);

/// The processes of a demo on one terminal, and how much of each one's output
/// was shown.
///
/// Output is shown in the order it was written, and never an effect before
/// its cause: see [`Stage::show`].
#[derive(Default)]
pub struct Stage {
    actors: Vec<Actor>,
    /// Set: lines are kept here instead of printed.
    transcript: Option<Vec<String>>,
}

struct Actor {
    process: Option<Running>,
    name: String,
    shown_stdout: usize,
    shown_stderr: usize,
}

impl Stage {
    /// A stage that keeps what it would print, for [`Stage::transcript`],
    /// and looks for output every millisecond (a test's stage).
    pub fn recording() -> Stage {
        Stage {
            actors: Vec::new(),
            transcript: Some(Vec::new()),
        }
    }

    /// What a [`Stage::recording`] stage would have printed, line by line.
    pub fn transcript(&self) -> &[String] {
        self.transcript.as_deref().unwrap_or_default()
    }

    /// Adds a started process to the stage.
    pub fn enter(&mut self, process: Running) {
        self.actors.push(Actor {
            name: process.name().to_string(),
            process: Some(process),
            shown_stdout: 0,
            shown_stderr: 0,
        });
    }

    /// Prints a line of narration between the programs' output.
    pub fn narrate(&mut self, what: &str) {
        self.show();
        self.emit(format!("--- {what}"));
    }

    /// Prints, labelled, every line the programs wrote before this call that
    /// was not shown yet, in the order they were written.
    ///
    /// Why no effect shows before its cause: say program A prints line `a`,
    /// then does something (sends a message) that makes program B print line
    /// `b`. A's `write()` of `a` returned before B's write of `b` began, and
    /// each line carries the kernel's time of its write
    /// ([`Running::line_times`]), so `a`'s time is earlier. This call takes
    /// the time `now` first, then collects every line written so far
    /// ([`Running::collect_output`]), then shows only the lines written
    /// before `now`, sorted by time (the rest wait for the next call). If
    /// `b` is shown here, it was written before `now`; `a`, written before
    /// `b`, was collected too, and sorts first. If `b` waits, it comes later
    /// still. Either way `a` comes first.
    pub fn show(&mut self) {
        let now = WriteTime::now();
        let width = self.width();
        let mut new_lines = Vec::new();
        for actor in &mut self.actors {
            let Some(process) = actor.process.as_mut() else {
                continue;
            };
            process.collect_output();
            for (stream, shown, marker) in [
                (Stream::Stdout, &mut actor.shown_stdout, ""),
                (Stream::Stderr, &mut actor.shown_stderr, "(stderr) "),
            ] {
                let lines = process.lines(stream).iter().zip(process.line_times(stream));
                // A stream's lines come in the order they were written.
                for (line, time) in lines.skip(*shown).take_while(|(_, time)| **time < now) {
                    new_lines.push((*time, format!("[{:>width$}] {marker}{line}", actor.name)));
                    *shown += 1;
                }
            }
        }
        // Stable: lines written at the same time keep the order above.
        new_lines.sort_by_key(|(time, _)| *time);
        for (_, line) in new_lines {
            self.emit(line);
        }
        if self.transcript.is_none() {
            let _ = std::io::stdout().flush();
        }
    }

    /// Shows output until `name` exits by itself (at most `timeout`).
    pub fn until_exit(&mut self, name: &str, timeout: Duration) -> Result<()> {
        self.finish(name, timeout)
    }

    /// Waits until `name` prints a stdout line containing `text` (at most
    /// `timeout`), then shows what everyone printed meanwhile.
    pub fn wait_stdout(&mut self, name: &str, text: &str, timeout: Duration) -> Result<()> {
        if let Some(process) = self.actor(name)?.process.as_mut() {
            process.wait_stdout(text, timeout)?;
        }
        self.show();
        Ok(())
    }

    /// Sends `signal` to `name` and shows the rest of its output.
    pub fn stop(&mut self, name: &str, signal: i32) -> Result<()> {
        if let Some(process) = self.actor(name)?.process.as_mut() {
            process.signal(signal)?;
        }
        self.finish(name, PATIENCE)
    }

    /// Shows output until `name` exits (at most `timeout`), then the rest of
    /// its output and how it ended.
    pub fn finish(&mut self, name: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            self.show();
            let actor = self.actor(name)?;
            let Some(process) = actor.process.as_mut() else {
                return Ok(());
            };
            if process.has_exited() {
                break;
            }
            if Instant::now() >= deadline {
                return Err(Failure::new(format!(
                    "{name} did not finish within {timeout:?}"
                )));
            }
            std::thread::sleep(self.pace());
        }
        // It has exited: everything it wrote is collected now, and shown in
        // order with the others' lines written before.
        self.show();
        let width = self.width();
        let actor = self.actor(name)?;
        let (shown_stdout, shown_stderr) = (actor.shown_stdout, actor.shown_stderr);
        let Some(process) = actor.process.take() else {
            return Ok(());
        };
        let finished = process.wait_exit(timeout)?;
        // Only lines that come after its exit (from a child of its own) are
        // left; show them rather than lose them.
        for line in finished.stdout.iter().skip(shown_stdout) {
            self.emit(format!("[{name:>width$}] {line}"));
        }
        for line in finished.stderr.iter().skip(shown_stderr) {
            self.emit(format!("[{name:>width$}] (stderr) {line}"));
        }
        self.emit(format!("--- {name} exited: {}", finished.status));
        Ok(())
    }

    /// The actor called `name`: the one still running if the name was used
    /// again (the same program started twice), else the latest.
    fn actor(&mut self, name: &str) -> Result<&mut Actor> {
        let called = |actor: &Actor| actor.name == name;
        let index = self
            .actors
            .iter()
            .rposition(|actor| called(actor) && actor.process.is_some())
            .or_else(|| self.actors.iter().rposition(called))
            .ok_or_else(|| Failure::new(format!("no process {name} in this demo")))?;
        Ok(&mut self.actors[index])
    }

    fn width(&self) -> usize {
        self.actors.iter().map(|a| a.name.len()).max().unwrap_or(0)
    }

    fn pace(&self) -> Duration {
        if self.transcript.is_some() {
            Duration::from_millis(1)
        } else {
            PACE
        }
    }

    fn emit(&mut self, line: String) {
        match &mut self.transcript {
            Some(kept) => kept.push(line),
            None => println!("{line}"),
        }
    }
}
