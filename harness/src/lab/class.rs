//! Grading a class: every student's crate built (one after another, in one
//! shared target directory, so libzmq is compiled once), then checked side
//! by side; a Markdown table and a CSV.
//!
//! A crate that does not build, a program that hangs or panics: each is
//! reported in its student's row, and grading goes on with the next.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use super::grading::{run_graded, Outcome, Report, Until};
use super::student::{build_sharing_target, StudentCrate};
use super::Exercise;
use crate::{Bins, Failure, Result};

/// How a class is graded.
#[derive(Debug, Clone, Copy)]
pub struct ClassOptions {
    /// The longest any one wait on a program may take.
    pub patience: Duration,
    /// The longest one student's scenarios may take in all.
    pub time_limit: Duration,
    /// The longest one student's build may take (the first compiles libzmq).
    pub build_limit: Duration,
    /// How many students are checked at the same time.
    pub jobs: usize,
}

/// One student's row.
#[derive(Debug, Clone)]
pub struct StudentRow {
    /// The student's folder name.
    pub student: String,
    /// `None` if it built; otherwise why not.
    pub build_failure: Option<String>,
    /// The graded scenarios' results, when it built.
    pub report: Option<Report>,
}

impl StudentRow {
    /// `pass`, `fail`, `does not build` or `time limit`.
    pub fn result(&self) -> &'static str {
        match (&self.build_failure, &self.report) {
            (Some(_), _) | (None, None) => "does not build",
            (None, Some(report)) if report.all_passed() => "pass",
            (None, Some(report)) if report.timed_out => "time limit",
            (None, Some(_)) => "fail",
        }
    }
}

/// The whole class's grades for one exercise.
#[derive(Debug, Clone)]
pub struct ClassReport {
    /// The exercise.
    pub exercise: Exercise,
    /// One row per student, in folder order.
    pub rows: Vec<StudentRow>,
}

/// The shared target directory of a class's builds, inside its folder
/// (hidden: it is no student).
pub fn class_target_dir(class_dir: &Path) -> PathBuf {
    class_dir.join(".lab-target")
}

/// Grades every student of `class_dir` (each non-hidden subfolder is one
/// student's crate) on `exercise`, with `reference`'s programs for the rest.
/// `say` gets a line for each step, as it happens.
pub fn grade_class(
    exercise: &Exercise,
    class_dir: &Path,
    reference: &Bins,
    options: ClassOptions,
    say: &(dyn Fn(String) + Sync),
) -> Result<ClassReport> {
    let students = students(class_dir)?;
    let target = class_target_dir(class_dir);
    let mut built = Vec::new();
    for (name, dir) in &students {
        let student = StudentCrate::new(exercise, dir);
        say(format!("building {name}..."));
        let log = target.join("logs").join(format!("{name}.log"));
        let keep = target.join("students").join(name);
        let outcome = build_sharing_target(&student, &target, options.build_limit, &log, &keep);
        if let Err(why) = &outcome {
            say(format!("{name} does not build: {why}"));
        }
        built.push((name.clone(), outcome));
    }
    let rows: Vec<Mutex<Option<StudentRow>>> = built.iter().map(|_| Mutex::new(None)).collect();
    let next = Mutex::new(0..built.len());
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| loop {
                let index = match next.lock() {
                    Ok(mut next) => next.next(),
                    Err(_) => None,
                };
                let Some(index) = index else { break };
                let (name, outcome) = &built[index];
                let row = match outcome {
                    Err(why) => StudentRow {
                        student: name.clone(),
                        build_failure: Some(why.to_string()),
                        report: None,
                    },
                    Ok(binary) => {
                        say(format!("checking {name}..."));
                        let report = run_graded(
                            exercise,
                            reference,
                            binary,
                            options.patience,
                            options.time_limit,
                            Until::All,
                            |_| {},
                        );
                        say(format!(
                            "{name}: {} of {} passed",
                            report.passed(),
                            exercise.graded.len()
                        ));
                        StudentRow {
                            student: name.clone(),
                            build_failure: None,
                            report: Some(report),
                        }
                    }
                };
                if let Ok(mut slot) = rows[index].lock() {
                    *slot = Some(row);
                }
            });
        }
    });
    let rows = rows
        .into_iter()
        .filter_map(|slot| slot.into_inner().ok().flatten())
        .collect();
    Ok(ClassReport {
        exercise: *exercise,
        rows,
    })
}

/// The students of a class: its subfolders, hidden ones aside, by name.
fn students(class_dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let entries = fs::read_dir(class_dir)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", class_dir.display())))?;
    let mut students: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            (!name.starts_with('.')).then(|| (name, entry.path()))
        })
        .collect();
    students.sort();
    if students.is_empty() {
        return Err(Failure::new(format!(
            "{} has no student folders",
            class_dir.display()
        )));
    }
    Ok(students)
}

impl ClassReport {
    /// The grade sheet as a Markdown table: one row per student, with the
    /// scenarios that failed and why a crate was not checked.
    pub fn markdown(&self) -> String {
        let total = self.exercise.graded.len();
        let mut table =
            String::from("| Student | Builds | Passed | Result | Notes |\n|---|---|---|---|---|\n");
        for row in &self.rows {
            let (builds, passed, notes) = match (&row.build_failure, &row.report) {
                (None, Some(report)) => {
                    let failed: Vec<String> = report
                        .results
                        .iter()
                        .filter_map(|result| match result.outcome {
                            Outcome::Passed => None,
                            Outcome::Failed(_) => Some(format!("`{}`", result.graded.scenario)),
                            Outcome::NotRun => {
                                Some(format!("`{}` (not run)", result.graded.scenario))
                            }
                        })
                        .collect();
                    let notes = if failed.is_empty() {
                        String::new()
                    } else {
                        format!("failed: {}", failed.join(", "))
                    };
                    ("yes", format!("{} of {total}", report.passed()), notes)
                }
                (why, _) => {
                    let why = why.as_deref().unwrap_or("not built");
                    let first = why.lines().next().unwrap_or_default();
                    ("no", format!("0 of {total}"), first.to_string())
                }
            };
            table.push_str(&format!(
                "| {} | {builds} | {passed} | {} | {} |\n",
                cell(&row.student),
                row.result(),
                cell(&notes)
            ));
        }
        table
    }

    /// The grade sheet as CSV: a row per student, a column per scenario
    /// (`pass`, `fail`, `not run`, or empty when it did not build).
    pub fn csv(&self) -> String {
        let mut header = vec![
            "student".to_string(),
            "builds".into(),
            "passed".into(),
            "total".into(),
            "result".into(),
        ];
        header.extend(self.exercise.graded.iter().map(|g| g.scenario.to_string()));
        let mut lines = vec![csv_line(&header)];
        for row in &self.rows {
            let mut fields = vec![row.student.clone()];
            match &row.report {
                Some(report) if row.build_failure.is_none() => {
                    fields.push("yes".into());
                    fields.push(report.passed().to_string());
                    fields.push(self.exercise.graded.len().to_string());
                    fields.push(row.result().into());
                    fields.extend(report.results.iter().map(|result| {
                        match result.outcome {
                            Outcome::Passed => "pass",
                            Outcome::Failed(_) => "fail",
                            Outcome::NotRun => "not run",
                        }
                        .to_string()
                    }));
                }
                _ => {
                    fields.push("no".into());
                    fields.push("0".into());
                    fields.push(self.exercise.graded.len().to_string());
                    fields.push(row.result().into());
                    fields.extend(self.exercise.graded.iter().map(|_| String::new()));
                }
            }
            lines.push(csv_line(&fields));
        }
        lines.join("\n") + "\n"
    }
}

/// A Markdown table cell: no `|` or line end of its own.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// One CSV line, each field quoted when it needs to be.
fn csv_line(fields: &[String]) -> String {
    fields
        .iter()
        .map(|field| {
            if field.contains([',', '"', '\n']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}
