//! The walkthrough's console transcripts: every line of program output the
//! pages show is a file in `book/src/transcripts/`, written by a real run
//! (`cargo run -p harness -- transcripts`) and checked against a fresh one by
//! the tests.
//!
//! A transcript file starts with the command(s) the reader types (`$ …`),
//! then what the programs printed, with what differs by nature from run to
//! run masked visibly ([`normalise`]). The tests rerun each transcript's
//! command — a demo's in its `demos::` scenario, a hand-run program's in the
//! `transcripts::` scenarios — and fail, naming the file, when the fresh
//! output does not say the same ([`compare`] says what "the same" is, given
//! that concurrent programs interleave differently every run).
//!
//! `transcripts` rewrites a file only when a fresh run differs from it, so a
//! rerun with nothing changed leaves every file as it is, and a changed
//! program shows in review as a changed transcript. `transcripts --figures`
//! also reruns the benchmarks behind the walkthrough's tables and charts
//! (see [`figures`]).

pub mod compare;
pub mod figures;
pub mod lab_session;
pub mod normalise;
mod run;
pub mod scenarios;
pub mod stamp;
mod table;

use std::path::PathBuf;

pub use compare::Rule;
pub use table::TRANSCRIPTS;

use crate::{Bins, Failure, Result};

/// One transcript: its file, the page that shows it, how to produce it, and
/// where its output varies beyond the masks.
#[derive(Debug, Clone, Copy)]
pub struct Transcript {
    /// Its file in `book/src/transcripts/`, e.g. `demo-hello.txt`.
    pub file: &'static str,
    /// The page (below `book/src/`) that includes it, at the point where it
    /// tells the reader to run its command.
    pub page: &'static str,
    /// What is run.
    pub source: Source,
    /// Where the output varies by nature (see [`compare`]).
    pub rules: &'static [Rule],
    /// Needs root (the network lab's namespaces): its commands show the
    /// root prompt `#`, and where the machine cannot run it (see
    /// [`crate::net::available`]) `transcripts` skips it, saying why.
    pub root: bool,
}

/// What a transcript runs.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// `cargo run -p harness -- demo <lesson>`, with `env` set (shown before
    /// the command) and, in the tests only, `check_env` too: settings that
    /// shorten a demo's pauses without changing what it prints.
    Demo {
        /// The lesson.
        lesson: &'static str,
        /// Shown and set.
        env: &'static [(&'static str, &'static str)],
        /// Set in the tests only.
        check_env: &'static [(&'static str, &'static str)],
    },
    /// `cargo run --bin <program> -- <args>`, while `beside` runs in another
    /// terminal. Stdout and stderr are shown merged, as a terminal shows
    /// them. `release` shows `--release` in the command, as the page advises
    /// for a measurement; the run uses the workspace's own build (its figures
    /// are masked, so the output is the same).
    Program {
        /// The binary.
        program: &'static str,
        /// Its arguments.
        args: &'static [&'static str],
        /// The program in the other terminal, if any.
        beside: Option<Beside>,
        /// Show `cargo run --release`.
        release: bool,
    },
    /// A step of the Labs page's session (see [`lab_session`]): `cargo run
    /// -q -p harness -- <args>`, or, when `args` start with `cut`, that
    /// command of the shell.
    Lab {
        /// The harness's arguments, paths under
        /// [`lab_session::SHOWN_ROOT`].
        args: &'static [&'static str],
    },
    /// `cargo run -p harness -- <args>` (a leak check), while `beside` runs.
    Harness {
        /// The harness's arguments.
        args: &'static [&'static str],
        /// The program in the other terminal, if any.
        beside: Option<Beside>,
    },
}

/// The program in the other terminal: started before the shown command, or
/// after it has printed its `bound` line (a perf tool's sender). Its output
/// is not shown. Sources with one hold the book's fixed ports while they run.
#[derive(Debug, Clone, Copy)]
pub struct Beside {
    /// The binary.
    pub program: &'static str,
    /// Its arguments.
    pub args: &'static [&'static str],
    /// Started once the shown program is bound, not before it.
    pub after: bool,
}

impl Transcript {
    /// The command lines the file starts with, `$ …`.
    pub fn commands(&self) -> Vec<String> {
        let shown = |args: &[&str]| {
            args.iter()
                .map(|arg| quoted(arg))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let command = match self.source {
            Source::Demo { lesson, env, .. } => {
                let env: String = env
                    .iter()
                    .map(|(key, value)| format!("{key}={value} "))
                    .collect();
                format!("{env}cargo run -p harness -- demo {lesson}")
            }
            Source::Program {
                program,
                args,
                release,
                ..
            } => {
                let release = if release { "--release " } else { "" };
                let args = if args.is_empty() {
                    String::new()
                } else {
                    format!(" -- {}", shown(args))
                };
                format!("cargo run {release}--bin {program}{args}")
            }
            Source::Harness { args, .. } => format!("cargo run -p harness -- {}", shown(args)),
            Source::Lab { args } if args.first() == Some(&"cut") => shown(args),
            Source::Lab { args } => format!("cargo run -q -p harness -- {}", shown(args)),
        };
        let prompt = if self.root { '#' } else { '$' };
        vec![format!("{prompt} {command}")]
    }

    /// Where its file is.
    pub fn path(&self) -> PathBuf {
        transcripts_dir().join(self.file)
    }

    /// The programs it runs (for building only those).
    pub fn programs(&self) -> Vec<&'static str> {
        let mut programs = match self.source {
            Source::Demo { lesson, .. } => {
                let mut programs = vec!["harness"];
                if let Ok(lesson) = crate::demo::lesson(lesson) {
                    programs.extend(lesson.programs);
                }
                programs
            }
            Source::Program { program, .. } => vec![program],
            // `lab` builds what its scenarios run itself.
            Source::Lab { .. } => vec!["harness"],
            Source::Harness { args, .. } => {
                let mut programs = vec!["harness"];
                // A leak check runs the program it names.
                if args.first() == Some(&"leak-check") {
                    programs.extend(args.get(1));
                }
                programs
            }
        };
        if let Source::Program {
            beside: Some(beside),
            ..
        }
        | Source::Harness {
            beside: Some(beside),
            ..
        } = self.source
        {
            programs.push(beside.program);
        }
        programs
    }

    /// A demo's environment: the shown settings, plus, when `check`, those
    /// that only shorten its pauses. Empty for other sources.
    pub fn demo_env(&self, check: bool) -> Vec<(&'static str, &'static str)> {
        match self.source {
            Source::Demo { env, check_env, .. } => {
                let extra = if check { check_env } else { &[] };
                env.iter().chain(extra).copied().collect()
            }
            _ => Vec::new(),
        }
    }

    /// The file's lines, as stored.
    pub fn stored(&self) -> Result<Vec<String>> {
        let path = self.path();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Failure::new(format!(
                "{}: cannot read it ({e}); `cargo run -p harness -- transcripts` writes it",
                shown_path(&path)
            ))
        })?;
        Ok(text.lines().map(str::to_string).collect())
    }

    /// A fresh run's output (as printed, before masking), with `check` set
    /// when it runs in a test.
    pub fn run(&self, bins: &Bins, check: bool) -> Result<Vec<String>> {
        run::output(self, bins, check)
    }

    /// The file a fresh run would write: the commands, then the output masked.
    pub fn fresh(&self, output: &[String]) -> Vec<String> {
        let mut lines = self.commands();
        lines.extend(output.iter().map(|line| normalise::normalise(line)));
        lines
    }

    /// Fails, naming the file, when `output` (a fresh run's, as printed)
    /// does not say what the file says.
    pub fn check(&self, output: &[String]) -> Result<()> {
        let stored = self.stored()?;
        match compare::difference(&stored, &self.fresh(output), self.rules) {
            None => Ok(()),
            Some(why) => Err(Failure::new(format!(
                "{}: {why}\n(if the program changed on purpose, `cargo run -p harness -- \
                 transcripts` rewrites the file)\nthe fresh run:\n{}",
                shown_path(&self.path()),
                output.join("\n")
            ))),
        }
    }

    /// Writes a fresh run's output to the file unless the file already says
    /// the same; true when it wrote.
    pub fn write(&self, output: &[String]) -> Result<bool> {
        let fresh = self.fresh(output);
        if let Ok(stored) = self.stored() {
            if compare::difference(&stored, &fresh, self.rules).is_none() {
                return Ok(false);
            }
        }
        let path = self.path();
        let mut text = fresh.join("\n");
        text.push('\n');
        std::fs::create_dir_all(transcripts_dir())
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display())))?;
        Ok(true)
    }
}

/// `arg` as a shell would need it typed.
fn quoted(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=,@*".contains(c);
    if !arg.is_empty() && arg.chars().all(plain) && !arg.contains('*') {
        arg.to_string()
    } else {
        format!("'{arg}'")
    }
}

/// The workspace's root: the harness package's parent directory.
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// `book/src/transcripts/`.
pub fn transcripts_dir() -> PathBuf {
    workspace_root().join("book/src/transcripts")
}

/// `path` from the workspace's root, as a failure names it.
pub fn shown_path(path: &std::path::Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The transcript of the demo `lesson`.
pub fn of_demo(lesson: &str) -> Result<&'static Transcript> {
    TRANSCRIPTS
        .iter()
        .find(
            |transcript| matches!(transcript.source, Source::Demo { lesson: l, .. } if l == lesson),
        )
        .ok_or_else(|| {
            Failure::new(format!(
                "the demo {lesson} has no transcript in the registry"
            ))
        })
}

/// The transcript whose file is `file`.
pub fn named(file: &str) -> Result<&'static Transcript> {
    TRANSCRIPTS
        .iter()
        .find(|transcript| transcript.file == file)
        .ok_or_else(|| Failure::new(format!("no transcript {file}")))
}

/// Reruns every transcript whose file name contains `filter` (all when
/// `None`) and writes those whose output changed, reporting each.
pub fn regenerate(filter: Option<&str>) -> Result<()> {
    let chosen: Vec<&Transcript> = TRANSCRIPTS
        .iter()
        .filter(|transcript| filter.is_none_or(|filter| transcript.file.contains(filter)))
        .collect();
    if chosen.is_empty() {
        return Ok(());
    }
    let mut programs: Vec<&str> = chosen.iter().flat_map(|t| t.programs()).collect();
    programs.sort_unstable();
    programs.dedup();
    let bins = Bins::workspace_programs(&programs)?;
    let mut failed = 0;
    let (session, chosen): (Vec<&Transcript>, Vec<&Transcript>) = chosen
        .into_iter()
        .partition(|transcript| matches!(transcript.source, Source::Lab { .. }));
    if !session.is_empty() {
        println!("running the Labs page's session (its builds take minutes)...");
        match lab_session::run_session(&bins) {
            Ok(outputs) => {
                for (transcript, output) in outputs {
                    match transcript.write(&output) {
                        Ok(true) => println!("wrote      {}", shown_path(&transcript.path())),
                        Ok(false) => println!("unchanged  {}", shown_path(&transcript.path())),
                        Err(failure) => {
                            failed += 1;
                            println!("FAILED     {}: {failure}", shown_path(&transcript.path()));
                        }
                    }
                }
            }
            Err(failure) => {
                failed += session.len();
                println!("FAILED     the Labs page's session: {failure}");
            }
        }
    }
    for transcript in chosen {
        if let Some(Err(why)) = transcript.root.then(crate::net::available) {
            println!("skipped    {}: {why}", shown_path(&transcript.path()));
            continue;
        }
        let outcome = transcript
            .run(&bins, false)
            .and_then(|output| transcript.write(&output));
        match outcome {
            Ok(true) => println!("wrote      {}", shown_path(&transcript.path())),
            Ok(false) => println!("unchanged  {}", shown_path(&transcript.path())),
            Err(failure) => {
                failed += 1;
                println!("FAILED     {}: {failure}", shown_path(&transcript.path()));
            }
        }
    }
    if failed > 0 {
        return Err(Failure::new(format!(
            "{failed} transcripts could not be run"
        )));
    }
    Ok(())
}
