//! `harness lab …`: the course labs' command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Subcommand;

use super::class::{class_target_dir, grade_class, ClassOptions};
use super::grading::{run_graded, Outcome, ScenarioResult, Until};
use super::student::{build_student, start_student, Build, StudentCrate};
use super::{exercise, exercises, Exercise, Hints};
use crate::{Bins, Failure, Result};

/// What `harness lab` does.
#[derive(Debug, Subcommand)]
pub enum LabCommand {
    /// Lists the exercises: name, program, book section, task.
    List,
    /// Makes a student's crate for an exercise in DIR: Cargo.toml and
    /// src/main.rs, the starter (the book's listing, its defect kept).
    Start {
        /// The exercise (`harness lab list`).
        exercise: String,
        /// A new (or empty) directory.
        dir: PathBuf,
    },
    /// Builds the crate in DIR and runs the exercise's scenarios with it in
    /// the program's place; exit 0 if all pass.
    Check {
        /// The exercise.
        exercise: String,
        /// The student's crate.
        dir: PathBuf,
        /// The longest any one wait on a program may take, in seconds.
        #[arg(long, default_value_t = 5)]
        patience_s: u64,
    },
    /// Shows the exercise's next hint.
    Hint {
        /// The exercise.
        exercise: String,
    },
    /// Grades a class: each subfolder of CLASS_DIR is one student's crate.
    /// Prints a Markdown table and writes a CSV.
    Grade {
        /// The exercise.
        exercise: String,
        /// The folder of the students' crates.
        class_dir: PathBuf,
        /// Where to write the CSV (default: `<exercise>-grades.csv` in
        /// CLASS_DIR).
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Students checked at the same time.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        /// The longest any one wait on a program may take, in seconds.
        #[arg(long, default_value_t = 5)]
        patience_s: u64,
        /// The longest one student's scenarios may take in all, in seconds.
        #[arg(long, default_value_t = 120)]
        time_limit_s: u64,
        /// The longest one student's build may take, in seconds (the first
        /// compiles libzmq).
        #[arg(long, default_value_t = 1800)]
        build_limit_s: u64,
    },
}

/// How long a check of one student may take in all (`harness lab check`).
const CHECK_LIMIT: Duration = Duration::from_secs(600);

/// How long a student's build may take (`harness lab check`).
const BUILD_LIMIT: Duration = Duration::from_secs(3600);

/// Runs `command`.
pub fn run(command: LabCommand) -> Result<ExitCode> {
    match command {
        LabCommand::List => {
            list();
            Ok(ExitCode::SUCCESS)
        }
        LabCommand::Start {
            exercise: name,
            dir,
        } => start(&exercise(&name)?, &dir),
        LabCommand::Check {
            exercise: name,
            dir,
            patience_s,
        } => check(&exercise(&name)?, &dir, Duration::from_secs(patience_s)),
        LabCommand::Hint { exercise: name } => {
            let exercise = exercise(&name)?;
            print!("{}", hint_text(&exercise, &Hints::default_place()));
            Ok(ExitCode::SUCCESS)
        }
        LabCommand::Grade {
            exercise: name,
            class_dir,
            csv,
            jobs,
            patience_s,
            time_limit_s,
            build_limit_s,
        } => {
            let options = ClassOptions {
                patience: Duration::from_secs(patience_s),
                time_limit: Duration::from_secs(time_limit_s),
                build_limit: Duration::from_secs(build_limit_s),
                jobs,
            };
            grade(&exercise(&name)?, &class_dir, csv, options)
        }
    }
}

/// One line per exercise, in columns: name, program, section, task.
fn list() {
    let all = exercises();
    let width = |field: fn(&Exercise) -> &str| all.iter().map(|e| field(e).len()).max();
    let name = width(|e| e.name).unwrap_or(0);
    let program = width(|e| e.program).unwrap_or(0);
    let section = width(|e| e.section).unwrap_or(0);
    for e in &all {
        println!(
            "{:<name$}  {:<program$}  {:<section$}  {}",
            e.name, e.program, e.section, e.task
        );
    }
}

fn start(exercise: &Exercise, dir: &Path) -> Result<ExitCode> {
    let student = start_student(exercise, dir)?;
    println!("exercise {}: {}", exercise.name, exercise.task);
    println!(
        "program {}, book section {}",
        exercise.program, exercise.section
    );
    println!();
    println!("{}", exercise.statement);
    println!();
    println!(
        "wrote {}: Cargo.toml, src/main.rs (the starter), EXERCISE.md",
        student.dir.display()
    );
    println!("next: edit src/main.rs, then check it (from this workspace):");
    println!(
        "    cargo run -p harness -- lab check {} {}",
        exercise.name,
        student.dir.display()
    );
    println!("its first build compiles libzmq: a few minutes; later builds take seconds");
    Ok(ExitCode::SUCCESS)
}

fn check(exercise: &Exercise, dir: &Path, patience: Duration) -> Result<ExitCode> {
    let student = StudentCrate::new(exercise, dir);
    let target = student.own_target_dir();
    let first = !target.join("debug").exists();
    eprintln!(
        "building {}{}",
        student.dir.display(),
        if first {
            " (its first build compiles libzmq: a few minutes; later ones take seconds)"
        } else {
            ""
        }
    );
    let binary = match build_student(&student, &target, BUILD_LIMIT, None) {
        Build::Built(binary) => binary,
        Build::Failed(why) => {
            println!("the crate does not build: {why}; fix what cargo says above");
            return Ok(ExitCode::FAILURE);
        }
        Build::TimedOut(limit) => {
            println!("the build took more than {limit:?}; stopped");
            return Ok(ExitCode::FAILURE);
        }
    };
    eprintln!("building this workspace's programs (the other programs of the scenarios)...");
    let passed = check_binary(
        exercise,
        Bins::workspace(),
        &binary,
        patience,
        &Hints::default_place(),
        &mut |line| print!("{line}"),
    );
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// What `lab check` prints once the student's crate is built: `binary` run
/// in the exercise program's place by each graded scenario, with
/// `reference`'s other programs, each result as it comes, the count, then
/// `Done` or the next hint of `hints`. Each piece of text (one or more
/// whole lines) goes to `say` as it comes. True when every scenario passed.
pub fn check_binary(
    exercise: &Exercise,
    reference: &Bins,
    binary: &Path,
    patience: Duration,
    hints: &Hints,
    say: &mut dyn FnMut(&str),
) -> bool {
    say(&format!(
        "checking {} in {}'s place\n",
        binary.display(),
        exercise.program
    ));
    say("(with this workspace's other programs):\n");
    let report = run_graded(
        exercise,
        reference,
        binary,
        patience,
        CHECK_LIMIT,
        Until::All,
        |result| say(&result_text(result)),
    );
    say(&format!(
        "{} of {} passed.\n",
        report.passed(),
        exercise.graded.len()
    ));
    if report.all_passed() {
        say(&format!(
            "Done: {} does what the lesson asks.\n",
            exercise.program
        ));
    } else {
        say(&hint_text(exercise, hints));
    }
    report.all_passed()
}

/// One scenario's result, for a student: what it expects, and when it
/// failed, what happened instead.
fn result_text(result: &ScenarioResult) -> String {
    let took = result.took.as_secs_f64();
    let name = result.graded.scenario;
    match &result.outcome {
        Outcome::Passed => format!(
            "PASS  {name} ({took:.1} s)\n{}",
            wrapped(result.graded.expects, "      ")
        ),
        Outcome::Failed(why) => {
            let mut text = format!(
                "FAIL  {name} ({took:.1} s)\n{}      what happened:\n",
                wrapped(&format!("expected: {}", result.graded.expects), "      ")
            );
            for line in why.lines() {
                text.push_str(&wrapped(line, "        "));
            }
            text
        }
        Outcome::NotRun => format!("SKIP  {name}: not run, the time limit came first\n"),
    }
}

/// How wide the check's lines are: a terminal's 80 columns and a little.
const WIDTH: usize = 92;

/// `text` in lines of at most [`WIDTH`] characters, each after `indent`
/// (and a continuation's two more), broken at spaces where it can be.
fn wrapped(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(indent);
    let mut rest = text;
    loop {
        let room = WIDTH.saturating_sub(line.chars().count()).max(20);
        if rest.chars().count() <= room {
            line.push_str(rest);
            out.push_str(&line);
            out.push('\n');
            return out;
        }
        let cut: usize = rest
            .char_indices()
            .nth(room)
            .map_or(rest.len(), |(at, _)| at);
        let at = rest[..cut].rfind(' ').filter(|&at| at > 0).unwrap_or(cut);
        line.push_str(rest[..at].trim_end());
        out.push_str(&line);
        out.push('\n');
        rest = rest[at..].trim_start();
        line = format!("{indent}  ");
    }
}

/// The next hint of `exercise` (recorded as shown in `hints`), as
/// `lab hint` prints it.
pub fn hint_text(exercise: &Exercise, hints: &Hints) -> String {
    match hints.next(exercise) {
        Some((number, total, hint)) => {
            let mut text = wrapped(&format!("hint {number} of {total}: {hint}"), "");
            if number < total {
                text.push_str(&format!(
                    "(`harness lab hint {}` shows the next one)\n",
                    exercise.name
                ));
            }
            text
        }
        None => format!("no hints for {}\n", exercise.name),
    }
}

fn grade(
    exercise: &Exercise,
    class_dir: &Path,
    csv: Option<PathBuf>,
    options: ClassOptions,
) -> Result<ExitCode> {
    eprintln!("grading {} in {}", exercise.name, class_dir.display());
    eprintln!(
        "(the builds share {}; the first compiles libzmq: minutes)",
        class_target_dir(class_dir).display()
    );
    let reference = Bins::workspace();
    let say = |line: String| eprintln!("{line}");
    let report = grade_class(exercise, class_dir, reference, options, &say)?;
    print!("{}", report.markdown());
    let csv = csv.unwrap_or_else(|| class_dir.join(format!("{}-grades.csv", exercise.name)));
    std::fs::write(&csv, report.csv())
        .map_err(|e| Failure::new(format!("cannot write {}: {e}", csv.display())))?;
    eprintln!("wrote {}", csv.display());
    Ok(ExitCode::SUCCESS)
}
