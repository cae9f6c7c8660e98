//! A student's crate: made from an exercise's starter (`harness lab start`),
//! built with cargo (`harness lab check`, `harness lab grade`).
//!
//! The crate depends on this workspace's `lab` and chapter crates by path
//! (the absolute path of the workspace the harness was built from) and on
//! the same versions of zmq, zmq-sys, clap, rand and signal-hook as the
//! workspace, with its `Cargo.lock`: the reference program's source, pasted
//! into `src/main.rs`, builds as it is. Its package is named after the
//! program, so its binary is `target/debug/<program>`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Exercise;
use crate::{Failure, Result};

/// The workspace the harness was built from.
pub fn workspace_root() -> PathBuf {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR"));
    harness.parent().unwrap_or(harness).to_path_buf()
}

/// The workspace's manifest, for the versions of its dependencies.
const WORKSPACE_MANIFEST: &str = include_str!("../../../Cargo.toml");

/// The crates.io dependencies of a student's crate, as the workspace gives
/// them: the reference programs use these.
const REGISTRY_DEPENDENCIES: [&str; 5] = ["zmq", "zmq-sys", "clap", "rand", "signal-hook"];

/// The workspace crates a student's crate depends on: the shared runtime and
/// every chapter's library (chapter 4's programs use chapter 3's too).
const WORKSPACE_DEPENDENCIES: [&str; 5] = [
    "lab",
    "ch1-hello",
    "ch2-pubsub-pipeline",
    "ch3-poll-multipart-czmq",
    "ch4-advanced",
];

/// A student's crate for `exercise` in `dir`.
#[derive(Debug, Clone)]
pub struct StudentCrate {
    /// The crate's directory.
    pub dir: PathBuf,
    /// The program it builds.
    pub program: &'static str,
}

impl StudentCrate {
    /// The crate in `dir` for `exercise` (it need not exist yet).
    pub fn new(exercise: &Exercise, dir: impl Into<PathBuf>) -> StudentCrate {
        let dir = dir.into();
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        StudentCrate {
            dir,
            program: exercise.program,
        }
    }

    /// Its binary, once built into `target_dir`.
    pub fn binary(&self, target_dir: &Path) -> PathBuf {
        target_dir.join("debug").join(self.program)
    }

    /// Its own target directory, under its directory.
    pub fn own_target_dir(&self) -> PathBuf {
        self.dir.join("target")
    }
}

/// `Cargo.toml` of a student's crate for `exercise`.
pub fn manifest(exercise: &Exercise) -> Result<String> {
    let root = workspace_root();
    let mut text = format!(
        "# A student's crate for the exercise `{name}` (`harness lab check {name} <this dir>`).\n\
         # It builds `{program}`, the program of the exercise, with the crates the\n\
         # reference program uses: this workspace's, by path, and the same versions\n\
         # of the others.\n\
         [package]\n\
         name = \"{program}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         publish = false\n\
         \n\
         [dependencies]\n",
        name = exercise.name,
        program = exercise.program,
    );
    for name in WORKSPACE_DEPENDENCIES {
        let path = root.join(name);
        text.push_str(&format!(
            "{name} = {{ path = {:?} }}\n",
            path.display().to_string()
        ));
    }
    for name in REGISTRY_DEPENDENCIES {
        text.push_str(&workspace_dependency(name)?);
        text.push('\n');
    }
    text.push_str(
        "\n# Its own workspace, wherever the directory is.\n\
         [workspace]\n\
         \n\
         # As the workspace's: line tables only, and none for libzmq's C++.\n\
         [profile.dev]\n\
         debug = \"line-tables-only\"\n\
         \n\
         [profile.dev.package.zmq-sys]\n\
         debug = false\n",
    );
    Ok(text)
}

/// The line `name = …` of the workspace's `[workspace.dependencies]`.
fn workspace_dependency(name: &str) -> Result<String> {
    let section = WORKSPACE_MANIFEST
        .split("[workspace.dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or_default();
    section
        .lines()
        .find(|line| {
            line.split_once('=')
                .is_some_and(|(key, _)| key.trim() == name)
        })
        .map(str::to_string)
        .ok_or_else(|| Failure::new(format!("the workspace's Cargo.toml has no {name}")))
}

/// Makes a student's crate for `exercise` in `dir`: `Cargo.toml`,
/// `src/main.rs` (the starter), the workspace's `Cargo.lock`, a
/// `.gitignore` and `EXERCISE.md` (the statement). `dir` must not exist, or
/// be empty.
pub fn start_student(exercise: &Exercise, dir: &Path) -> Result<StudentCrate> {
    let student = StudentCrate::new(exercise, dir);
    let dir = &student.dir;
    let occupied = fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        return Err(Failure::new(format!(
            "{} is not empty: give `lab start` a new directory",
            dir.display()
        )));
    }
    let write = |path: PathBuf, text: &str| {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Failure::new(format!("cannot create {}: {e}", parent.display())))?;
        }
        fs::write(&path, text)
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display())))
    };
    write(dir.join("Cargo.toml"), &manifest(exercise)?)?;
    write(dir.join("src/main.rs"), exercise.starter)?;
    write(dir.join(".gitignore"), "/target\n")?;
    write(dir.join("EXERCISE.md"), &statement_page(exercise))?;
    // The workspace's versions of every dependency: no resolution, nothing
    // new to download. (Cargo drops the entries this crate does not use.)
    if let Ok(lock) = fs::read_to_string(workspace_root().join("Cargo.lock")) {
        write(dir.join("Cargo.lock"), &lock)?;
    }
    Ok(student)
}

/// `EXERCISE.md`: the exercise for the student's own reading.
fn statement_page(exercise: &Exercise) -> String {
    let mut page = format!(
        "# Exercise `{}`: {}\n\nProgram: `{}` (book section {}).\n\n{}\n\n## Graded by\n\n",
        exercise.name, exercise.task, exercise.program, exercise.section, exercise.statement
    );
    for graded in exercise.graded {
        page.push_str(&format!("- `{}`: {}\n", graded.scenario, graded.expects));
    }
    page.push_str(&format!(
        "\nCheck it: `cargo run -p harness -- lab check {} <this directory>` \
         (from the workspace, {}).\nA hint: `cargo run -p harness -- lab hint {}`.\n",
        exercise.name,
        workspace_root().display(),
        exercise.name
    ));
    page
}

/// How a build went.
#[derive(Debug)]
pub enum Build {
    /// Built: the binary.
    Built(PathBuf),
    /// Cargo failed: what it said (its last lines), or why it could not run.
    Failed(String),
    /// Still building after the limit; cargo was stopped.
    TimedOut(Duration),
}

/// Builds `student` into `target_dir` with `cargo build`, within `limit`.
/// With no `log`, cargo's messages go to this process's stderr as they come;
/// with one, they go to that file, and a failure returns their end.
pub fn build_student(
    student: &StudentCrate,
    target_dir: &Path,
    limit: Duration,
    log: Option<&Path>,
) -> Build {
    let manifest = student.dir.join("Cargo.toml");
    if !manifest.is_file() {
        return Build::Failed(format!(
            "no Cargo.toml in {} (`harness lab start` makes a crate)",
            student.dir.display()
        ));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["build", "--manifest-path"])
        .arg(&manifest)
        .current_dir(&student.dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .stdin(Stdio::null());
    if let Some(log) = log {
        match log_file(log) {
            Ok((out, err)) => {
                command.arg("--color=never").stdout(out).stderr(err);
            }
            Err(why) => return Build::Failed(why),
        }
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return Build::Failed(format!("cannot run cargo: {e}")),
    };
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Build::TimedOut(limit);
            }
            // Polls the child: cargo has no way to say "done" but its exit.
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Build::Failed(format!("cannot wait for cargo: {e}")),
        }
    };
    if status.success() {
        Build::Built(student.binary(target_dir))
    } else {
        let said = log
            .and_then(|log| fs::read_to_string(log).ok())
            .map(|text| last_lines(&text, 15))
            .unwrap_or_else(|| format!("cargo build failed ({status})"));
        Build::Failed(said)
    }
}

/// Builds `student` in `target_dir`, a target directory it shares with
/// other students' crates of the same program (one class), and copies its
/// binary to `keep` (`<keep>/<program>`): the next student's build replaces
/// the one in `target_dir`.
///
/// Every student's package has the same name and its own workspace, so
/// cargo gives them all the same fingerprint: it would call the second
/// student's package fresh — built already, from the first one's sources —
/// and never compile it. So the package's own artifacts and fingerprint go
/// first; the dependencies', libzmq's among them, stay.
pub fn build_sharing_target(
    student: &StudentCrate,
    target_dir: &Path,
    limit: Duration,
    log: &Path,
    keep: &Path,
) -> Result<PathBuf> {
    forget_package(&target_dir.join("debug"), student.program);
    match build_student(student, target_dir, limit, Some(log)) {
        Build::Built(binary) => {
            let kept = keep.join(student.program);
            fs::create_dir_all(keep)
                .and_then(|()| fs::copy(&binary, &kept))
                .map_err(|e| Failure::new(format!("cannot keep {}: {e}", binary.display())))?;
            Ok(kept)
        }
        Build::Failed(said) => {
            let text = fs::read_to_string(log).unwrap_or_default();
            let first = text
                .lines()
                .find(|line| line.starts_with("error"))
                .unwrap_or("cargo build failed");
            Err(Failure::new(format!(
                "{first}\ncargo's messages: {}\n{said}",
                log.display()
            )))
        }
        Build::TimedOut(limit) => Err(Failure::new(format!(
            "still building after {limit:?}; stopped"
        ))),
    }
}

/// Removes what cargo keeps of the package `program` in `profile_dir`
/// (`target/debug`): its binary, fingerprint, compiled units and
/// incremental cache — not its dependencies'.
fn forget_package(profile_dir: &Path, program: &str) {
    let unit = program.replace('-', "_");
    let own = |name: &str, stem: &str| {
        name.strip_prefix(stem)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|hash| {
                let hash = hash.split('.').next().unwrap_or_default();
                !hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric())
            })
    };
    for (dir, stem) in [
        (".fingerprint", program),
        ("deps", unit.as_str()),
        ("incremental", unit.as_str()),
    ] {
        let Ok(entries) = fs::read_dir(profile_dir.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if own(&name, stem) {
                let path = entry.path();
                let _ = fs::remove_dir_all(&path).or_else(|_| fs::remove_file(&path));
            }
        }
    }
    for file in [program.to_string(), format!("{program}.d")] {
        let _ = fs::remove_file(profile_dir.join(file));
    }
}

/// The file `log`, created, twice: cargo's stdout and stderr.
fn log_file(log: &Path) -> std::result::Result<(fs::File, fs::File), String> {
    if let Some(parent) = log.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let file = fs::File::create(log).map_err(|e| format!("cannot write {}: {e}", log.display()))?;
    let copy = file
        .try_clone()
        .map_err(|e| format!("cannot write {}: {e}", log.display()))?;
    Ok((file, copy))
}

/// The last `count` lines of `text`.
fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}
