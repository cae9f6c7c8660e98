//! The Labs page's session, from real runs: a student lists the exercises, starts
//! `hello-server-received`, checks the untouched starter, asks for a hint,
//! makes the fix the page shows and checks again; an instructor grades a
//! class of three — alice fixed it, bob handed in the starter, carol's crate
//! does not compile.
//!
//! `transcripts` runs the session whole, in a scratch directory that the
//! files show as [`SHOWN_ROOT`]. Its builds take minutes (the first compiles
//! libzmq: done silently before the first check, as the page says, so the
//! check shows a build that takes seconds).
//!
//! The tests have no minutes to build student crates, so they rerun what
//! needs no build — `lab start`, `lab hint` — and, of the checks and the
//! grade sheet, everything the harness says after the builds: the same
//! scenarios on the workspace's own builds of the starter (the `labs`
//! crate) and, standing in for the fixed starter, of the reference program.
//! What the builds printed (cargo's lines, carol's compile error) is taken
//! from the file, each line held to its form.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use regex::Regex;

use crate::lab::cli::{check_binary, hint_text};
use crate::lab::{exercise, run_graded, ClassReport, Exercise, Hints, Report, StudentRow, Until};
use crate::transcripts::{named, run, Source, Transcript, TRANSCRIPTS};
use crate::{ensure, Bins, Failure, Result, PATIENCE};

/// Where the session's crates are, as the page shows them.
pub const SHOWN_ROOT: &str = "/tmp/lab";

/// The session's exercise.
pub const EXERCISE: &str = "hello-server-received";

/// The fix the page's diff shows: the starter's line, and what replaces it.
pub const FIX: [(&str, &str); 2] = [
    ("            Ok(_) => {", "            Ok(text) => {"),
    (
        "                println!(\"Received: hello\");",
        "                println!(\"Received: {}\", String::from_utf8_lossy(text));",
    ),
];

/// Carol's slip: the `;` after the reply.
const SLIP: (&str, &str) = (
    "        lab::send(&responder, \"world\", 0)?;",
    "        lab::send(&responder, \"world\", 0)?",
);

/// The longest wait on a program in the session's checks: `lab`'s default,
/// which the failing check's message shows.
const PATIENCE_OF_LAB: Duration = Duration::from_secs(5);

/// The longest one step may take: a grade builds three crates.
const STEP_LIMIT: Duration = Duration::from_secs(1800);

/// A step's files, in the session's order.
const STEPS: [&str; 7] = [
    "lab-list.txt",
    "lab-start.txt",
    "lab-check-starter.txt",
    "lab-hint.txt",
    "lab-check-fixed.txt",
    "lab-grade.txt",
    "lab-grade-csv.txt",
];

/// The session's transcripts.
pub fn steps() -> Vec<&'static Transcript> {
    TRANSCRIPTS
        .iter()
        .filter(|transcript| matches!(transcript.source, Source::Lab { .. }))
        .collect()
}

/// Runs the whole session for real and returns each step's output, as
/// printed (paths under the scratch directory shown under [`SHOWN_ROOT`]).
pub fn run_session(bins: &Bins) -> Result<Vec<(&'static Transcript, Vec<String>)>> {
    let scratch = Scratch::new()?;
    let exercise = exercise(EXERCISE)?;
    let mut outputs = Vec::new();
    for file in STEPS {
        let transcript = named(file)?;
        match file {
            "lab-check-starter.txt" => warm_up(&exercise, &scratch.real("/tmp/lab/hello"))?,
            "lab-check-fixed.txt" => edit(&scratch.real("/tmp/lab/hello"), &FIX)?,
            "lab-grade.txt" => make_class(bins, &scratch, &exercise)?,
            _ => {}
        }
        let output = scratch.run(bins, transcript)?;
        outputs.push((transcript, output));
    }
    Ok(outputs)
}

/// The scratch directory standing for [`SHOWN_ROOT`].
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new() -> Result<Scratch> {
        let dir = crate::process::unique_temp_file("lab-session", "dir");
        std::fs::create_dir_all(dir.join(".hints"))
            .map_err(|e| Failure::new(format!("cannot make {}: {e}", dir.display())))?;
        Ok(Scratch { dir })
    }

    /// `shown` (a path or an argument under [`SHOWN_ROOT`]) in the scratch
    /// directory.
    fn real(&self, shown: &str) -> PathBuf {
        PathBuf::from(shown.replacen(SHOWN_ROOT, &self.dir.to_string_lossy(), 1))
    }

    /// `text` with the scratch directory shown as [`SHOWN_ROOT`].
    fn shown(&self, text: &str) -> String {
        text.replace(&*self.dir.to_string_lossy(), SHOWN_ROOT)
    }

    /// Runs a step's command, as a terminal shows it.
    fn run(&self, bins: &Bins, transcript: &Transcript) -> Result<Vec<String>> {
        let Source::Lab { args } = transcript.source else {
            return Err(Failure::new(format!("{} is no lab step", transcript.file)));
        };
        let real: Vec<String> = args
            .iter()
            .map(|arg| self.real(arg).to_string_lossy().into_owned())
            .collect();
        let (name, mut command) = match args.first() {
            Some(&"cut") => ("cut", std::process::Command::new("cut")),
            _ => ("harness", bins.command("harness", &[] as &[&str])),
        };
        let rest = if name == "cut" { &real[1..] } else { &real[..] };
        command.args(rest);
        command.env(Hints::DIR_ENV, self.dir.join(".hints"));
        command.current_dir(&self.dir);
        let lines = run::terminal(bins, name, command, None, STEP_LIMIT)?;
        Ok(lines.iter().map(|line| self.shown(line)).collect())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The student crate's first build, as `lab check` makes it, its messages
/// to a log: it compiles libzmq.
fn warm_up(exercise: &Exercise, dir: &Path) -> Result<()> {
    let student = crate::lab::StudentCrate::new(exercise, dir);
    let log = dir.with_extension("first-build.log");
    match crate::lab::build_student(&student, &student.own_target_dir(), STEP_LIMIT, Some(&log)) {
        crate::lab::Build::Built(_) => Ok(()),
        crate::lab::Build::Failed(why) => Err(Failure::new(format!(
            "the first build of {} failed: {why}",
            dir.display()
        ))),
        crate::lab::Build::TimedOut(limit) => Err(Failure::new(format!(
            "the first build of {} took more than {limit:?}",
            dir.display()
        ))),
    }
}

/// Replaces, in `dir`'s `src/main.rs`, each `(from, to)` line.
fn edit(dir: &Path, lines: &[(&str, &str)]) -> Result<()> {
    let main = dir.join("src/main.rs");
    let mut text = std::fs::read_to_string(&main)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", main.display())))?;
    for (from, to) in lines {
        ensure(text.contains(from), || {
            format!("{} has no line {from:?}", main.display())
        })?;
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&main, text)
        .map_err(|e| Failure::new(format!("cannot write {}: {e}", main.display())))
}

/// The class: alice's crate is the fixed one, bob's the starter, carol's
/// the starter with a `;` missing.
fn make_class(bins: &Bins, scratch: &Scratch, exercise: &Exercise) -> Result<()> {
    let class = scratch.real("/tmp/lab/class");
    for student in ["bob", "carol"] {
        let mut command = bins.command("harness", &["lab", "start", EXERCISE]);
        command.arg(class.join(student));
        let started = command
            .output()
            .map_err(|e| Failure::new(format!("cannot run lab start: {e}")))?;
        ensure(started.status.success(), || {
            format!("lab start {student} failed: {}", started.status)
        })?;
    }
    edit(&class.join("carol"), &[SLIP])?;
    // The class's shared target starts as a copy of the student's: the
    // dependencies (libzmq) are built already, as in a class whose first
    // build is behind it. What the grade prints is the same either way.
    let copied = std::process::Command::new("cp")
        .arg("-a")
        .arg(scratch.real("/tmp/lab/hello/target"))
        .arg(crate::lab::class_target_dir(&class))
        .status()
        .map_err(|e| Failure::new(format!("cannot run cp: {e}")))?;
    ensure(copied.success(), || format!("cp -a of the build: {copied}"))?;
    crate::lab::start_student(exercise, &class.join("alice"))?;
    let fixed = scratch.real("/tmp/lab/hello/src/main.rs");
    std::fs::copy(&fixed, class.join("alice/src/main.rs"))
        .map_err(|e| Failure::new(format!("cannot copy {}: {e}", fixed.display())))?;
    Ok(())
}

/// Reruns the step `file` as far as a test can, and compares it with its
/// transcript (see the module's documentation).
pub fn fresh_step_matches(bins: &Bins, file: &str) -> Result<()> {
    let transcript = named(file)?;
    let stored = transcript.stored()?;
    // The stored output, without its command line.
    let said: Vec<String> = stored.iter().skip(1).cloned().collect();
    let exercise = exercise(EXERCISE)?;
    let fresh = match file {
        "lab-list.txt" | "lab-start.txt" | "lab-hint.txt" => {
            let scratch = Scratch::new()?;
            if file == "lab-hint.txt" {
                // The failed check before it showed the first hint.
                hint_text(&exercise, &Hints::in_dir(scratch.dir.join(".hints")));
            }
            scratch.run(bins, transcript)?
        }
        "lab-check-starter.txt" => checked(bins, &exercise, &starter(bins), &said)?,
        "lab-check-fixed.txt" => {
            page_shows_the_fix(transcript, exercise.starter)?;
            checked(bins, &exercise, &reference(bins, &exercise), &said)?
        }
        "lab-grade.txt" => graded(bins, &exercise, &said)?,
        "lab-grade-csv.txt" => {
            let grade = named("lab-grade.txt")?.stored()?;
            let class = class_report(bins, &exercise, &carol_failure(&grade)?);
            class
                .csv()
                .lines()
                .map(|line| line.split(',').take(5).collect::<Vec<_>>().join(","))
                .collect()
        }
        _ => return Err(Failure::new(format!("{file} is no step of the session"))),
    };
    transcript.check(&fresh)
}

/// The workspace's build of the exercise's starter.
fn starter(bins: &Bins) -> PathBuf {
    bins.dir().join(EXERCISE)
}

/// The workspace's build of the exercise's program.
fn reference(bins: &Bins, exercise: &Exercise) -> PathBuf {
    bins.dir().join(exercise.program)
}

/// A check's output: its build lines as stored (each held to its form),
/// then a fresh report of `binary` (and, if it fails, the first hint).
fn checked(
    bins: &Bins,
    exercise: &Exercise,
    binary: &Path,
    said: &[String],
) -> Result<Vec<String>> {
    let building = format!("building {SHOWN_ROOT}/hello");
    let workspace = "building this workspace's programs (the other programs of the scenarios)...";
    let build_lines = said
        .iter()
        .position(|line| line == workspace)
        .ok_or_else(|| Failure::new(format!("no line {workspace:?}")))?;
    let build = &said[..=build_lines];
    ensure(build.first().is_some_and(|line| *line == building), || {
        format!("the check does not start with {building:?}: {build:?}")
    })?;
    let cargo = Regex::new(r"^ +(Compiling hello-server v[\d.]+ \(/tmp/lab/hello\)|Finished .*)$")
        .map_err(|e| Failure::new(e.to_string()))?;
    for line in &build[1..build.len() - 1] {
        ensure(cargo.is_match(line), || {
            format!("{line:?} is not what cargo prints when it builds the crate")
        })?;
    }
    let scratch = Scratch::new()?;
    let hints = Hints::in_dir(scratch.dir.join(".hints"));
    let mut report = String::new();
    check_binary(
        exercise,
        bins,
        binary,
        PATIENCE_OF_LAB,
        &hints,
        &mut |text| report.push_str(text),
    );
    let shown_binary = format!("{SHOWN_ROOT}/hello/target/debug/{}", exercise.program);
    let report = report.replacen(&*binary.to_string_lossy(), &shown_binary, 1);
    Ok(build
        .iter()
        .cloned()
        .chain(report.lines().map(str::to_string))
        .collect())
}

/// The page's diff is the session's fix, as `diff -u` shows it on the
/// starter: its hunk header (the line numbers move when the starter does),
/// three lines of context each side, and the lines the fix replaces.
fn page_shows_the_fix(transcript: &Transcript, starter: &str) -> Result<()> {
    let page = crate::transcripts::scenarios::page_text(transcript.page)?;
    let hunk = fix_hunk(starter)?;
    let shown: Vec<&str> = page.lines().collect();
    ensure(shown.windows(hunk.len()).any(|lines| lines == hunk), || {
        format!(
            "book/src/{}: its diff is not the fix the session makes on the starter; \
             it should read:\n{}",
            transcript.page,
            hunk.join("\n")
        )
    })
}

/// The unified-diff hunk of [`FIX`] on `starter`, whose replaced lines
/// follow one another.
fn fix_hunk(starter: &str) -> Result<Vec<String>> {
    const CONTEXT: usize = 3;
    let lines: Vec<&str> = starter.lines().collect();
    let first = lines
        .iter()
        .position(|line| *line == FIX[0].0)
        .ok_or_else(|| Failure::new(format!("the starter has no line {:?}", FIX[0].0)))?;
    for (offset, (from, _)) in FIX.iter().enumerate() {
        ensure(lines.get(first + offset) == Some(from), || {
            format!("the starter's line {} is not {from:?}", first + offset + 1)
        })?;
    }
    let start = first.saturating_sub(CONTEXT);
    let end = (first + FIX.len() + CONTEXT).min(lines.len());
    let count = end - start;
    let mut hunk = vec![
        "--- a/src/main.rs".to_string(),
        "+++ b/src/main.rs".to_string(),
        format!("@@ -{},{count} +{},{count} @@", start + 1, start + 1),
    ];
    hunk.extend(lines[start..first].iter().map(|line| format!(" {line}")));
    hunk.extend(FIX.iter().map(|(from, _)| format!("-{from}")));
    hunk.extend(FIX.iter().map(|(_, to)| format!("+{to}")));
    let after = first + FIX.len();
    hunk.extend(lines[after..end].iter().map(|line| format!(" {line}")));
    Ok(hunk)
}

/// Rewrites the line numbers of carol's compile error (`--> src/main.rs:N:C`
/// and the `N |` source lines under it) to where [`SLIP`] is in `starter`,
/// so that a stored error whose numbers no longer match the starter fails.
fn slip_line_numbers(starter: &str) -> Result<impl FnMut(&String) -> String> {
    let slip = starter
        .lines()
        .position(|line| line == SLIP.0)
        .map(|index| index + 1)
        .ok_or_else(|| Failure::new(format!("the starter has no line {:?}", SLIP.0)))?;
    let pointer = Regex::new(r"^(\s*--> src/main\.rs:)\d+(:\d+)$")
        .map_err(|e| Failure::new(e.to_string()))?;
    let source = Regex::new(r"^\d+( \|.*)$").map_err(|e| Failure::new(e.to_string()))?;
    let mut shown = 0;
    Ok(move |line: &String| {
        if pointer.is_match(line) {
            pointer
                .replace(line, format!("${{1}}{slip}${{2}}"))
                .into_owned()
        } else if source.is_match(line) {
            shown += 1;
            let number = slip + shown - 1;
            source.replace(line, format!("{number}${{1}}")).into_owned()
        } else {
            line.clone()
        }
    })
}

/// Carol's build failure, as the stored grade says it.
fn carol_failure(grade: &[String]) -> Result<String> {
    grade
        .iter()
        .find_map(|line| line.strip_prefix("carol does not build: "))
        .map(str::to_string)
        .ok_or_else(|| Failure::new("lab-grade.txt: no line `carol does not build: …`"))
}

/// The class's grades, fresh for alice (the reference standing in for her
/// fixed starter) and bob (the starter), carol's failed build as given.
/// Alice's and bob's reports are made once, for both the sheet and the CSV
/// (bob's failing scenario waits its full patience).
fn class_report(bins: &Bins, exercise: &Exercise, carol: &str) -> ClassReport {
    static CHECKED: OnceLock<[Report; 2]> = OnceLock::new();
    let [alice, bob] = CHECKED
        .get_or_init(|| {
            let report = |binary: PathBuf| {
                run_graded(
                    exercise,
                    bins,
                    &binary,
                    PATIENCE_OF_LAB,
                    PATIENCE * 6,
                    Until::All,
                    |_| {},
                )
            };
            [report(reference(bins, exercise)), report(starter(bins))]
        })
        .clone();
    ClassReport {
        exercise: *exercise,
        rows: vec![
            StudentRow {
                student: "alice".into(),
                build_failure: None,
                report: Some(alice),
            },
            StudentRow {
                student: "bob".into(),
                build_failure: None,
                report: Some(bob),
            },
            StudentRow {
                student: "carol".into(),
                build_failure: Some(carol.to_string()),
                report: None,
            },
        ],
    }
}

/// The grade's output: the stored progress lines, with each student's
/// count and the table fresh.
fn graded(bins: &Bins, exercise: &Exercise, said: &[String]) -> Result<Vec<String>> {
    let class = class_report(bins, exercise, &carol_failure(said)?);
    let total = exercise.graded.len();
    let counts: Vec<String> = class
        .rows
        .iter()
        .filter_map(|row| {
            let report = row.report.as_ref()?;
            Some(format!(
                "{}: {} of {total} passed",
                row.student,
                report.passed()
            ))
        })
        .collect();
    let table_start = said
        .iter()
        .position(|line| line.starts_with("| Student"))
        .ok_or_else(|| Failure::new("lab-grade.txt: no table"))?;
    let count =
        Regex::new(r"^(alice|bob): \d+ of \d+ passed$").map_err(|e| Failure::new(e.to_string()))?;
    let mut fresh: Vec<String> = Vec::new();
    let mut counted = counts.into_iter();
    let mut at_slip = slip_line_numbers(exercise.starter)?;
    for line in &said[..table_start] {
        if count.is_match(line) {
            fresh.extend(counted.next());
        } else {
            fresh.push(at_slip(line));
        }
    }
    fresh.extend(class.markdown().lines().map(str::to_string));
    fresh.extend(
        said.iter()
            .skip(table_start)
            .skip_while(|line| line.starts_with('|'))
            .cloned(),
    );
    Ok(fresh)
}
