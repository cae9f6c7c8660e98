//! One-command demos: start a lesson's processes, show their output labelled by
//! program as it comes, and stop them.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::{Bins, Failure, Result, Running, Stream, PATIENCE};

pub mod ch1;
pub mod ch2;
pub mod ch3;
pub mod ch3_czmq;
pub mod ch4_broker;
pub mod ch4_reliability;

/// A demo: its name, what it shows, and the function that runs it.
pub type Lesson = (&'static str, &'static str, fn(&Bins) -> Result<()>);

/// The lessons `harness demo` can show, chapter by chapter.
pub fn lessons() -> Vec<Lesson> {
    [
        ch1::LESSONS,
        ch2::LESSONS,
        ch3::LESSONS,
        ch3_czmq::LESSONS,
        ch4_broker::LESSONS,
        ch4_reliability::LESSONS,
    ]
    .concat()
}

/// Runs the demo called `lesson`.
pub fn run(bins: &Bins, lesson: &str) -> Result<()> {
    let (_, _, demo) = lessons()
        .into_iter()
        .find(|(name, _, _)| *name == lesson)
        .ok_or_else(|| Failure::new(format!("no demo called {lesson:?} (see --help)")))?;
    demo(bins)
}

/// The processes of a demo on one terminal, and how much of each one's output was shown.
#[derive(Default)]
pub struct Stage {
    actors: Vec<Actor>,
}

struct Actor {
    process: Option<Running>,
    name: String,
    shown_stdout: usize,
    shown_stderr: usize,
}

impl Stage {
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
        println!("--- {what}");
    }

    /// Prints every line that arrived since the last call, labelled.
    pub fn show(&mut self) {
        let width = self.actors.iter().map(|a| a.name.len()).max().unwrap_or(0);
        // Every program's new lines, merged in the order they were read.
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
                for (line, time) in lines.skip(*shown) {
                    new_lines.push((*time, format!("[{:>width$}] {marker}{line}", actor.name)));
                }
                *shown = process.lines(stream).len();
            }
        }
        new_lines.sort_by_key(|(time, _)| *time);
        for (_, line) in new_lines {
            println!("{line}");
        }
        let _ = std::io::stdout().flush();
    }

    /// Shows output until `name` exits by itself (at most `timeout`).
    pub fn until_exit(&mut self, name: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            self.show();
            let actor = self.actor(name)?;
            let exited = actor.process.as_mut().is_none_or(Running::has_exited);
            if exited {
                return self.finish(name, timeout);
            }
            if Instant::now() >= deadline {
                return Err(Failure::new(format!(
                    "{name} did not finish within {timeout:?}"
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
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

    /// Waits for `name` to exit and shows the rest of its output.
    pub fn finish(&mut self, name: &str, timeout: Duration) -> Result<()> {
        self.show();
        let actor = self.actor(name)?;
        let (shown_stdout, shown_stderr) = (actor.shown_stdout, actor.shown_stderr);
        let Some(process) = actor.process.take() else {
            return Ok(());
        };
        let finished = process.wait_exit(timeout)?;
        let width = self.actors.iter().map(|a| a.name.len()).max().unwrap_or(0);
        for line in finished.stdout.iter().skip(shown_stdout) {
            println!("[{name:>width$}] {line}");
        }
        for line in finished.stderr.iter().skip(shown_stderr) {
            println!("[{name:>width$}] (stderr) {line}");
        }
        println!("--- {name} exited: {}", finished.status);
        Ok(())
    }

    fn actor(&mut self, name: &str) -> Result<&mut Actor> {
        self.actors
            .iter_mut()
            .find(|actor| actor.name == name)
            .ok_or_else(|| Failure::new(format!("no process {name} in this demo")))
    }
}
