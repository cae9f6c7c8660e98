//! The labs' own checks: the exercises' data against the errata and the
//! scenario tables, the student's crate, hints, grading's limits, the grade
//! sheet. (Each exercise's starter and reference are checked by the
//! `labs::` tests of `harness/tests/scenarios.rs`.)

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::grading::{run_graded, Outcome, Report, ScenarioResult, Until};
use super::{build_sharing_target, exercise, exercises, manifest, start_student, workspace_root};
use super::{ClassReport, Exercise, StudentRow};
use super::{Hints, StudentCrate};
use crate::process::unique_temp_file;
use crate::scenarios;
use crate::Bins;

/// A directory of the test's own, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(stem: &str) -> Scratch {
        let dir = unique_temp_file(stem, "d");
        let _ = fs::create_dir_all(&dir);
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The `Proved by` names of the errata row titled `title`, in any page.
fn proved_by(title: &str) -> Option<BTreeSet<String>> {
    let pages = fs::read_dir(workspace_root().join("book/src/errata")).ok()?;
    for page in pages.flatten() {
        let text = fs::read_to_string(page.path()).unwrap_or_default();
        for row in text.split("\n#### ").skip(1) {
            let heading = row.lines().next().unwrap_or_default();
            let heading = heading.split(" {#").next().unwrap_or_default();
            if heading.trim() != title {
                continue;
            }
            let body = row.split("\n### ").next().unwrap_or_default();
            let proofs = body.split("**Proved by:**").nth(1).unwrap_or_default();
            let names = proofs
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            return Some(names);
        }
    }
    None
}

#[test]
fn every_graded_scenario_is_a_proof_of_one_of_the_exercises_errata_rows() {
    let listed: BTreeSet<String> = scenarios::all().iter().map(|s| s.full_name()).collect();
    for exercise in exercises() {
        let mut proofs = BTreeSet::new();
        for title in exercise.errata {
            let names = proved_by(title);
            assert!(
                names.is_some(),
                "{}: no errata row {title:?}",
                exercise.name
            );
            proofs.extend(names.unwrap_or_default());
        }
        assert!(
            !exercise.graded.is_empty(),
            "{} grades nothing",
            exercise.name
        );
        for graded in exercise.graded {
            assert!(
                listed.contains(graded.scenario),
                "{}: no scenario {}",
                exercise.name,
                graded.scenario
            );
            let short = graded.scenario.split("::").nth(1).unwrap_or_default();
            assert!(
                proofs.contains(short),
                "{}: {short} proves none of its rows {:?}",
                exercise.name,
                exercise.errata
            );
        }
    }
}

#[test]
fn every_starter_is_an_exercise_keeps_no_errata_marker_and_replaces_a_program() {
    let exercises = exercises();
    let names: BTreeSet<&str> = exercises.iter().map(|e| e.name).collect();
    assert_eq!(
        names.len(),
        exercises.len(),
        "an exercise name is used twice"
    );
    let starters: BTreeSet<String> = fs::read_dir(workspace_root().join("labs/src/bin"))
        .map(|dir| {
            dir.flatten()
                .filter_map(|f| Some(f.file_name().to_str()?.strip_suffix(".rs")?.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let named: BTreeSet<String> = names.iter().map(|n| n.to_string()).collect();
    assert_eq!(starters, named, "labs/src/bin holds exactly the starters");
    for exercise in &exercises {
        let header = format!("//! Lab starter `{}`", exercise.name);
        assert!(exercise.starter.starts_with(&header), "{}", exercise.name);
        assert!(
            !exercise.starter.contains("Book errata"),
            "{}: a starter keeps the defect, so it has no errata marker",
            exercise.name
        );
        let chapters = [
            "ch1-hello",
            "ch2-pubsub-pipeline",
            "ch3-poll-multipart-czmq",
            "ch4-advanced",
        ];
        let reference = chapters.iter().any(|chapter| {
            let file = format!("{chapter}/src/bin/{}.rs", exercise.program);
            workspace_root().join(file).is_file()
        });
        assert!(
            reference,
            "{}: no program {}",
            exercise.name, exercise.program
        );
        assert!(!exercise.hints.is_empty(), "{} has no hints", exercise.name);
    }
}

#[test]
fn a_students_manifest_has_the_workspace_crates_by_path_and_its_versions() {
    let text = manifest(&exercise("hello-server-received").unwrap_or_else(|f| panic!("{f}")))
        .unwrap_or_else(|f| panic!("{f}"));
    assert!(text.contains("name = \"hello-server\"\n"), "{text}");
    let root = workspace_root();
    for crate_name in ["lab", "ch1-hello", "ch4-advanced"] {
        let line = format!(
            "{crate_name} = {{ path = {:?} }}\n",
            root.join(crate_name).display().to_string()
        );
        assert!(text.contains(&line), "no {line:?} in\n{text}");
    }
    let workspace = fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
    for name in ["zmq", "clap", "rand", "signal-hook"] {
        let line = workspace
            .lines()
            .find(|line| line.starts_with(&format!("{name} = ")))
            .unwrap_or_default();
        assert!(
            !line.is_empty() && text.contains(line),
            "{name}: {line:?} in\n{text}"
        );
    }
    assert!(
        text.contains("\n[workspace]\n"),
        "its own workspace: {text}"
    );
}

#[test]
fn start_writes_the_starter_and_refuses_a_directory_in_use() {
    let scratch = Scratch::new("lab-start");
    let dir = scratch.0.join("student");
    let exercise = exercise("kv-list-order").unwrap_or_else(|f| panic!("{f}"));
    let started = start_student(&exercise, &dir);
    assert!(started.is_ok(), "{started:?}");
    let main = fs::read_to_string(dir.join("src/main.rs")).unwrap_or_default();
    assert_eq!(main, exercise.starter);
    let cargo = fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    assert!(cargo.contains("name = \"kv-list-client\""), "{cargo}");
    assert!(dir.join("Cargo.lock").is_file() && dir.join("EXERCISE.md").is_file());
    let again = start_student(&exercise, &dir).err().map(|f| f.to_string());
    assert!(
        again
            .as_deref()
            .unwrap_or_default()
            .contains("is not empty"),
        "{again:?}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("src/main.rs")).unwrap_or_default(),
        main
    );
}

#[test]
fn hints_come_one_at_a_time_then_start_again() {
    let scratch = Scratch::new("lab-hints");
    let hints = Hints::in_dir(&scratch.0);
    let exercise = exercise("hello-server-received").unwrap_or_else(|f| panic!("{f}"));
    let total = exercise.hints.len();
    let shown: Vec<(usize, &str)> = (0..=total)
        .filter_map(|_| hints.next(&exercise))
        .map(|(number, of, hint)| {
            assert_eq!(of, total);
            (number, hint)
        })
        .collect();
    let mut expected: Vec<(usize, &str)> = exercise
        .hints
        .iter()
        .copied()
        .enumerate()
        .map(|(i, h)| (i + 1, h))
        .collect();
    expected.push((1, exercise.hints[0]));
    assert_eq!(shown, expected);
}

/// An executable script in `dir` that runs `body` whatever its arguments.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    let _ = fs::write(&path, format!("#!/bin/sh\n{body}\n"));
    let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o755));
    path
}

#[test]
fn a_program_that_crashes_fails_every_scenario_and_the_check_goes_on() {
    let scratch = Scratch::new("lab-crash");
    let crashing = script(
        &scratch.0,
        "crashing",
        "echo 'thread main panicked' >&2; exit 101",
    );
    let exercise = exercise("hello-server-received").unwrap_or_else(|f| panic!("{f}"));
    let bins = Bins::in_dir(&scratch.0);
    let limit = Duration::from_secs(600);
    let report = run_graded(
        &exercise,
        &bins,
        &crashing,
        Duration::from_secs(20),
        limit,
        Until::All,
        |_| {},
    );
    assert_eq!(report.results.len(), exercise.graded.len(), "{report:?}");
    assert!(!report.timed_out);
    for result in &report.results {
        assert!(
            matches!(&result.outcome, Outcome::Failed(why) if why.contains("panicked")),
            "{result:?}"
        );
    }
}

#[test]
fn a_check_that_reaches_its_time_limit_reports_the_rest_not_run() {
    let scratch = Scratch::new("lab-hang");
    // It never prints its bound line: the scenario waits (here for a second).
    let hanging = script(&scratch.0, "hanging", "exec sleep 30");
    let exercise = exercise("hello-server-received").unwrap_or_else(|f| panic!("{f}"));
    let bins = Bins::in_dir(&scratch.0);
    let limit = Duration::from_millis(200);
    let report = run_graded(
        &exercise,
        &bins,
        &hanging,
        Duration::from_secs(1),
        limit,
        Until::All,
        |_| {},
    );
    assert!(report.timed_out, "{report:?}");
    let outcomes: Vec<&Outcome> = report.results.iter().map(|r| &r.outcome).collect();
    assert!(
        matches!(outcomes[0], Outcome::Failed(why) if why.contains("time limit")),
        "{outcomes:?}"
    );
    assert!(
        outcomes[1..].iter().all(|o| **o == Outcome::NotRun),
        "{outcomes:?}"
    );
}

fn row(
    student: &str,
    outcomes: &[Outcome],
    build_failure: Option<&str>,
    exercise: &Exercise,
) -> StudentRow {
    let results = exercise
        .graded
        .iter()
        .zip(outcomes)
        .map(|(&graded, outcome)| ScenarioResult {
            graded,
            outcome: outcome.clone(),
            took: Duration::ZERO,
        })
        .collect();
    StudentRow {
        student: student.into(),
        build_failure: build_failure.map(str::to_string),
        report: build_failure.is_none().then_some(Report {
            results,
            timed_out: false,
        }),
    }
}

#[test]
fn the_grade_sheet_has_a_row_per_student_as_a_table_and_as_csv() {
    let exercise = exercise("hello-server-received").unwrap_or_else(|f| panic!("{f}"));
    let failed = Outcome::Failed("no such line".into());
    let report = ClassReport {
        exercise,
        rows: vec![
            row(
                "alice",
                &[Outcome::Passed, Outcome::Passed],
                None,
                &exercise,
            ),
            row("bob", &[Outcome::Passed, failed], None, &exercise),
            row(
                "carol",
                &[],
                Some("error[E0308]: mismatched types\ncargo's messages: x.log\n…"),
                &exercise,
            ),
        ],
    };
    assert_eq!(
        report.markdown(),
        "| Student | Builds | Passed | Result | Notes |\n\
         |---|---|---|---|---|\n\
         | alice | yes | 2 of 2 | pass |  |\n\
         | bob | yes | 1 of 2 | fail | failed: `ch1::non_utf8_request_is_printed_lossily_and_served` |\n\
         | carol | no | 0 of 2 | does not build | error[E0308]: mismatched types |\n"
    );
    assert_eq!(
        report.csv(),
        "student,builds,passed,total,result,ch1::three_requests_get_three_worlds,\
         ch1::non_utf8_request_is_printed_lossily_and_served\n\
         alice,yes,2,2,pass,pass,pass\n\
         bob,yes,1,2,fail,pass,fail\n\
         carol,no,0,2,does not build,,\n"
    );
}

/// A crate of no dependencies in `dir`: the package `same-name`, whose
/// `main` is `main`.
fn tiny_crate(dir: &Path, main: &str) -> StudentCrate {
    let _ = fs::create_dir_all(dir.join("src"));
    let manifest =
        "[package]\nname = \"same-name\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n";
    let _ = fs::write(dir.join("Cargo.toml"), manifest);
    let _ = fs::write(dir.join("src/main.rs"), main);
    StudentCrate {
        dir: dir.to_path_buf(),
        program: "same-name",
    }
}

/// One class, one target directory: each student's binary is built from
/// their own sources — cargo, which fingerprints every student's package
/// alike, would otherwise hand the second student the first one's binary
/// and call a crate that does not compile built.
#[test]
fn students_sharing_a_target_directory_each_get_their_own_build() {
    let scratch = Scratch::new("lab-class");
    let target = scratch.0.join(".lab-target");
    let limit = Duration::from_secs(300);
    // All written before any is built, as a class hands them in: cargo
    // finds every source older than the first build.
    let students: Vec<(&str, StudentCrate)> = [
        ("alice", "fn main() { println!(\"alice\"); }"),
        ("bob", "fn main() { println!(\"bob\"); }"),
        ("carol", "fn main() { println!(\"carol\") }}"),
    ]
    .into_iter()
    .map(|(name, main)| (name, tiny_crate(&scratch.0.join(name), main)))
    .collect();
    let mut printed = Vec::new();
    for (name, student) in &students {
        let log = target.join(format!("{name}.log"));
        let keep = target.join("students").join(name);
        let built = build_sharing_target(student, &target, limit, &log, &keep);
        let output = built.map(|binary| std::process::Command::new(binary).output());
        printed.push(match output {
            Ok(Ok(output)) => String::from_utf8_lossy(&output.stdout).trim().to_string(),
            Ok(Err(e)) => format!("cannot run: {e}"),
            Err(failure) => failure
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
        });
    }
    assert_eq!(printed[..2], ["alice", "bob"], "{printed:?}");
    assert!(printed[2].starts_with("error"), "{printed:?}");
}
