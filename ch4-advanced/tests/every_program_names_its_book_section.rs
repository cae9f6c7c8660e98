//! Every chapter 4 program answers `--help` with one sentence that names the
//! book's chapter and section it ports, and exits 0.
//!
//! (Being an integration test of this crate, it also makes `cargo test` build
//! the chapter's programs before any test runs, so the harness's scenarios
//! find them built.)

use std::process::Command;

const PROGRAMS: &[(&str, &str)] = &[
    (
        env!("CARGO_BIN_EXE_envelope-publisher"),
        r#""Wrapping publisher-subscriber messages""#,
    ),
    (
        env!("CARGO_BIN_EXE_envelope-subscriber"),
        r#""Wrapping publisher-subscriber messages""#,
    ),
    (env!("CARGO_BIN_EXE_heartbeat-server"), r#""Reliability""#),
    (env!("CARGO_BIN_EXE_heartbeat-worker"), r#""Reliability""#),
    (env!("CARGO_BIN_EXE_hwm-publisher"), r#""High watermark""#),
    (env!("CARGO_BIN_EXE_lazy-pirate-client"), r#""Reliability""#),
    (env!("CARGO_BIN_EXE_lazy-pirate-server"), r#""Reliability""#),
    (
        env!("CARGO_BIN_EXE_mt-server"),
        r#""Writing multithreaded applications with ZeroMQ""#,
    ),
    (
        env!("CARGO_BIN_EXE_rr-broker"),
        r#""Extending the request-reply pattern""#,
    ),
    (
        env!("CARGO_BIN_EXE_rr-client"),
        r#""Extending the request-reply pattern""#,
    ),
    (
        env!("CARGO_BIN_EXE_rr-worker"),
        r#""Extending the request-reply pattern""#,
    ),
    (env!("CARGO_BIN_EXE_slow-subscriber"), r#""High watermark""#),
    (
        env!("CARGO_BIN_EXE_snail-publisher"),
        r#""Slow subscribers in a publish-subscribe pattern""#,
    ),
    (
        env!("CARGO_BIN_EXE_snail-subscriber"),
        r#""Slow subscribers in a publish-subscribe pattern""#,
    ),
];

#[test]
fn every_program_names_its_book_section_in_help() {
    for (program, section) in PROGRAMS {
        let output = Command::new(program).arg("--help").output().unwrap();
        let help = String::from_utf8_lossy(&output.stdout);
        let first = help.lines().next().unwrap_or_default();
        assert!(output.status.success(), "{program} --help failed");
        assert!(
            first.contains("chapter 4") && first.contains(section),
            "{program}: {first:?} does not name chapter 4, {section}"
        );
    }
}
