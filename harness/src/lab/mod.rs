//! Course labs: exercises made of the book's own bugs.
//!
//! Each [`Exercise`] is one defect of a printed listing, kept in a
//! *starter* — the listing ported to Rust as printed, which builds and runs
//! and fails the lesson — beside the project's program, the reference
//! solution, and the scenarios that prove the fix (the errata's
//! **Proved by**). A student starts a crate from the starter
//! (`harness lab start`), edits it, and checks it (`harness lab check`): the
//! graded scenarios run with the student's binary in the program's place
//! ([`Bins::with_program`]) and every other program from this workspace's
//! build. `harness lab grade` does the same for a class, side by side.
//!
//! The starters are the `labs` crate's binaries, built with the workspace, so
//! that the test of every exercise — the starter fails a graded scenario, the
//! reference passes them all — builds no student crate. A starter that passed
//! would show a blind spot of the harness: the fix is to the scenarios.
//!
//! # Adding an exercise
//!
//! 1. Copy the reference program to `labs/src/bin/<exercise>.rs`, put the
//!    listing's defect back, and drop its `// Book errata` markers (the
//!    exercise's statement says what is kept). Start its doc comment with
//!    `Lab starter`.
//! 2. Add an [`Exercise`] to its chapter's table in `exercises/`: the errata
//!    rows of the defect (their titles), the graded scenarios — those of the
//!    rows' **Proved by** that start the program, without the chapter-wide
//!    sweeps (every program stops on a signal, loses no heap) — and hints
//!    taken from the rows.
//!
//! The tests then check the new exercise like the others.

mod class;
pub mod cli;
mod exercises;
mod grading;
mod hints;
mod mutation;
mod student;

pub use class::{class_target_dir, grade_class, ClassOptions, ClassReport, StudentRow};
pub use exercises::{exercise, exercises};
pub use grading::{listed, run_graded, Outcome, Report, ScenarioResult, Until};
pub use hints::Hints;
pub use mutation::{check_exercise, STARTER_PATIENCE};
pub use student::{
    build_sharing_target, build_student, manifest, start_student, workspace_root, Build,
    StudentCrate,
};

#[cfg(doc)]
use crate::Bins;

/// One exercise: a defect of a printed listing to find and fix.
#[derive(Debug, Clone, Copy)]
pub struct Exercise {
    /// Its name, e.g. `hello-server-received`; also its starter's binary.
    pub name: &'static str,
    /// The program the student writes, e.g. `hello-server`: the reference
    /// solution is this workspace's binary of that name.
    pub program: &'static str,
    /// The book section of the listing, in short, e.g. `ch1 Hello world`.
    pub section: &'static str,
    /// What to do, in one line (`harness lab list`).
    pub task: &'static str,
    /// The statement: what the program must do, the lesson, and what the
    /// starter keeps of the listing.
    pub statement: &'static str,
    /// The errata rows of the defect, by title (the `####` heading).
    pub errata: &'static [&'static str],
    /// The scenarios that grade it, in the order they run.
    pub graded: &'static [Graded],
    /// Hints, shown one at a time, from the errata rows.
    pub hints: &'static [&'static str],
    /// The starter's source: `labs/src/bin/<name>.rs`.
    pub starter: &'static str,
}

/// A graded scenario: its full name and, in words, what it expects.
#[derive(Debug, Clone, Copy)]
pub struct Graded {
    /// `<chapter>::<scenario>`, as `harness list` shows it.
    pub scenario: &'static str,
    /// What it expects of the program, for a student to act on.
    pub expects: &'static str,
}

#[cfg(test)]
mod tests;
