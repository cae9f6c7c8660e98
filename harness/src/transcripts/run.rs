//! Running a transcript's command and collecting what it printed.

use std::ffi::OsStr;

use crate::demo::Stage;
use crate::scenarios::book_ports::BookPorts;
use crate::transcripts::{Beside, Source, Transcript};
use crate::{Bins, Failure, Result, Running, PATIENCE};

/// What `transcript`'s command prints, line by line, as a terminal shows it.
pub fn output(transcript: &Transcript, bins: &Bins, check: bool) -> Result<Vec<String>> {
    match transcript.source {
        Source::Demo { lesson, .. } => {
            let mut command = bins.command("harness", &["demo", lesson]);
            for (key, value) in transcript.demo_env(check) {
                command.env(OsStr::new(key), value);
            }
            let running = Running::spawn(&format!("harness demo {lesson}"), command)?;
            Ok(running.wait_exit(PATIENCE)?.expect_success()?.stdout)
        }
        Source::Program {
            program,
            args,
            beside,
            ..
        } => {
            let command = bins.command(program, args);
            terminal(bins, program, command, beside, PATIENCE)
        }
        Source::Lab { .. } => Err(crate::Failure::new(format!(
            "{}: a step of the Labs page's session, run by `transcripts` as a whole",
            transcript.file
        ))),
        Source::Harness { args, beside } => {
            // A leak check writes its profile to the current directory:
            // one of its own, not the workspace.
            let dir = crate::process::unique_temp_file("transcript", "dir");
            std::fs::create_dir_all(&dir)
                .map_err(|e| Failure::new(format!("cannot make {}: {e}", dir.display())))?;
            let mut command = bins.command("harness", args);
            command.current_dir(&dir);
            let lines = terminal(bins, "harness", command, beside, PATIENCE);
            let _ = std::fs::remove_dir_all(&dir);
            lines
        }
    }
}

/// Runs `command` (called `name`) to its end (within `limit`), with
/// `beside` in the other terminal, and returns its stdout and stderr merged in the order written.
pub(crate) fn terminal(
    bins: &Bins,
    name: &str,
    command: std::process::Command,
    beside: Option<Beside>,
    limit: std::time::Duration,
) -> Result<Vec<String>> {
    let _ports = match beside {
        Some(_) => Some(BookPorts::lock()?),
        None => None,
    };
    let mut other = None;
    if let Some(beside) = beside.filter(|beside| !beside.after) {
        let mut server = bins.spawn(beside.program, beside.args)?;
        server.bound_endpoint(PATIENCE)?;
        other = Some(server);
    }
    let mut stage = Stage::recording();
    let mut shown = Running::spawn(name, command)?;
    if let Some(beside) = beside.filter(|beside| beside.after) {
        // Its `bound` line stays in the output: a wait only reads ahead.
        shown.wait_stdout("bound ", PATIENCE)?;
        other = Some(bins.spawn(beside.program, beside.args)?);
    }
    stage.enter(shown);
    stage.finish(name, limit)?;
    // The other terminal's program is done with, or killed on drop.
    drop(other);
    let prefix = format!("[{name}] ");
    let lines = stage
        .transcript()
        .iter()
        .filter(|line| !line.starts_with("--- "))
        .map(|line| {
            let line = line.strip_prefix(&prefix).unwrap_or(line);
            line.strip_prefix("(stderr) ").unwrap_or(line).to_string()
        })
        .collect();
    Ok(lines)
}
