//! Chapter 1's one-shot commands: `--help` for every program and the leak
//! check a user runs by hand. (The demo is a scenario:
//! `harness::scenarios::demos`.)

use assert_cmd::Command;
use harness::Bins;
use predicates::prelude::*;

mod help;

fn program(name: &str) -> Command {
    Command::new(Bins::workspace().path(name))
}

/// The 1 MiB default of `--max-msg-size`, as `--help` shows it.
const ONE_MIB: Option<&str> = Some("1048576");

#[test]
fn help_names_the_book_section_and_the_book_defaults() {
    let hello = "chapter 1, \"Hello world\"";
    help::assert_help(
        "hello-server",
        hello,
        &[
            ("--bind", Some("tcp://*:4040")),
            ("--count", Some("0")),
            ("--delay-ms", Some("1000")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    help::assert_help(
        "hello-client",
        hello,
        &[
            ("--connect", Some("tcp://localhost:4040")),
            ("--count", Some("10")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    help::assert_help("version", "chapter 1, \"Checking the ZeroMQ version\"", &[]);
}

#[test]
fn perf_tools_help_shows_libzmqs_arguments_and_the_limit() {
    let performance = "chapter 1, \"Performance\"";
    for (tool, arguments, limit) in [
        (
            "local-thr",
            "<BIND-TO> <MESSAGE-SIZE> <MESSAGE-COUNT>",
            true,
        ),
        (
            "remote-thr",
            "<CONNECT-TO> <MESSAGE-SIZE> <MESSAGE-COUNT>",
            false,
        ),
        (
            "local-lat",
            "<BIND-TO> <MESSAGE-SIZE> <ROUNDTRIP-COUNT>",
            true,
        ),
        (
            "remote-lat",
            "<CONNECT-TO> <MESSAGE-SIZE> <ROUNDTRIP-COUNT>",
            false,
        ),
        ("inproc-thr", "<MESSAGE-SIZE> <MESSAGE-COUNT>", false),
        ("inproc-lat", "<MESSAGE-SIZE> <ROUNDTRIP-COUNT>", false),
    ] {
        let options: &[(&str, Option<&str>)] = if limit {
            &[("--max-msg-size", ONE_MIB)]
        } else {
            &[]
        };
        help::assert_help(tool, performance, options);
        // clap writes `[OPTIONS]` only when there are more than --help and --version.
        let options_word = if limit { "[OPTIONS] " } else { "" };
        let usage = format!("Usage: {tool} {options_word}{arguments}\n");
        assert!(help::help_of(tool).contains(&usage), "{tool}: no {usage:?}");
    }
}

#[test]
fn a_usage_error_exits_2() {
    program("hello-client")
        .args(["--count", "many"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value"));
}

#[test]
fn leak_check_prints_a_valgrind_style_summary() {
    let dir = std::env::temp_dir().join(format!("zmq-book-leak-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Command::from_std(Bins::workspace().command("harness", &["leak-check", "version"]))
        .current_dir(&dir)
        .timeout(harness::PATIENCE)
        .assert()
        .success()
        .stdout(predicate::str::contains("[version] ZeroMQ version"))
        .stdout(predicate::str::contains(
            "definitely lost:  0 bytes in 0 blocks",
        ))
        .stdout(predicate::str::contains("still reachable:"));
    assert!(
        dir.join("dhat-version.json").exists(),
        "the profile is kept for dh_view"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
