//! Chapter 4's reliability programs as one-shot commands: `--help` names the
//! book section and the book's defaults, and usage errors exit 2. (The
//! demos are scenarios: `harness::scenarios::demos`.)

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
    let hwm = "chapter 4, \"High watermark\"";
    help::assert_help(
        "hwm-publisher",
        hwm,
        &[
            ("--bind", Some("tcp://*:4040")),
            ("--pattern", Some("pub")),
            ("--sndhwm", Some("10")),
            ("--count", Some("0")),
            ("--interval-ms", Some("5")),
            ("--size", Some("0")),
            ("--subscribers", Some("0")),
            ("--send-timeout-ms", Some("0")),
            ("--linger-ms", Some("0")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    help::assert_help(
        "slow-subscriber",
        hwm,
        &[
            ("--connect", Some("tcp://localhost:4040")),
            ("--pattern", Some("pub")),
            ("--rcvhwm", Some("1000")),
            ("--delay-ms", Some("100")),
            ("--count", Some("0")),
            ("--idle-ms", Some("0")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    let reliability = "chapter 4, \"Reliability\"";
    help::assert_help(
        "lazy-pirate-client",
        reliability,
        &[
            ("--connect", Some("tcp://localhost:4040")),
            ("--count", Some("10")),
            ("--timeout-ms", Some("2500")),
            ("--retries", Some("3")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    help::assert_help(
        "lazy-pirate-server",
        reliability,
        &[
            ("--bind", Some("tcp://*:4040")),
            ("--count", Some("0")),
            ("--delay-ms", Some("0")),
            ("--fail-after", Some("0")),
            ("--slow-every", Some("0")),
            ("--slow-ms", Some("5000")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    help::assert_help(
        "heartbeat-server",
        reliability,
        &[
            ("--bind", Some("tcp://*:4040")),
            ("--interval-ms", Some("1000")),
            ("--liveness", Some("3")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    help::assert_help(
        "heartbeat-worker",
        reliability,
        &[
            ("--connect", Some("tcp://localhost:4040")),
            ("--id", None),
            ("--interval-ms", Some("1000")),
            ("--liveness", Some("3")),
            ("--max-backoff-ms", Some("32000")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    let snail = "chapter 4, \"Slow subscribers in a publish-subscribe pattern\"";
    help::assert_help(
        "snail-publisher",
        snail,
        &[
            ("--bind", Some("tcp://*:4040")),
            ("--interval-ms", Some("1000")),
            ("--count", Some("0")),
        ],
    );
    help::assert_help(
        "snail-subscriber",
        snail,
        &[
            ("--connect", Some("tcp://localhost:4040")),
            ("--work-ms", Some("3000")),
            ("--max-lag-ms", Some("4000")),
            ("--count", Some("10")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
}

#[test]
fn snail_subscriber_documents_its_exit_statuses() {
    let help = help::help_of("snail-subscriber");
    assert!(help.contains("3 too slow"), "{help}");
}

#[test]
fn usage_errors_exit_2() {
    program("hwm-publisher")
        .args(["--pattern", "router"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'router'"));
    program("heartbeat-server")
        .args(["--liveness", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value '0'"));
}
