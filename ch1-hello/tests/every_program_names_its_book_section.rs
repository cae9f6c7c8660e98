//! Every chapter 1 program answers `--help` with one sentence that names the
//! book's chapter and section it ports, and exits 0.
//!
//! (Being an integration test of this crate, it also makes `cargo test` build
//! the chapter's programs before any test runs, so the harness's scenarios
//! find them built.)

use std::process::Command;

const PROGRAMS: &[(&str, &str)] = &[
    (env!("CARGO_BIN_EXE_hello-server"), r#""Hello world""#),
    (env!("CARGO_BIN_EXE_hello-client"), r#""Hello world""#),
    (
        env!("CARGO_BIN_EXE_version"),
        r#""Checking the ZeroMQ version""#,
    ),
    (env!("CARGO_BIN_EXE_local-lat"), r#""Performance""#),
    (env!("CARGO_BIN_EXE_remote-lat"), r#""Performance""#),
    (env!("CARGO_BIN_EXE_local-thr"), r#""Performance""#),
    (env!("CARGO_BIN_EXE_remote-thr"), r#""Performance""#),
    (env!("CARGO_BIN_EXE_inproc-lat"), r#""Performance""#),
    (env!("CARGO_BIN_EXE_inproc-thr"), r#""Performance""#),
];

#[test]
fn every_program_names_its_book_section_in_help() {
    for (program, section) in PROGRAMS {
        let output = Command::new(program).arg("--help").output().unwrap();
        let help = String::from_utf8_lossy(&output.stdout);
        let first = help.lines().next().unwrap_or_default();
        assert!(output.status.success(), "{program} --help failed");
        assert!(
            first.contains("chapter 1") && first.contains(section),
            "{program}: {first:?} does not name chapter 1, {section}"
        );
    }
}
