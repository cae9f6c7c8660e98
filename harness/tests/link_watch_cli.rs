//! `link-watch` as a one-shot command: `--help` names the book section and
//! the defaults (libzmq's: no heartbeat, no keepalive), and values the
//! kernel or libzmq would refuse are usage errors (exit 2), never a libzmq
//! assertion at connection time.

use assert_cmd::Command;
use harness::Bins;
use predicates::prelude::*;

mod help;

#[test]
fn help_names_the_book_section_and_the_defaults() {
    help::assert_help(
        "link-watch",
        "chapter 4, \"Reliability\"",
        &[
            ("--connect", Some("tcp://localhost:4040")),
            ("--count", Some("0")),
            ("--heartbeat-ivl-ms", Some("0")),
            ("--heartbeat-timeout-ms", None),
            ("--heartbeat-ttl-ms", Some("0")),
            ("--tcp-keepalive-idle-s", Some("0")),
            ("--tcp-keepalive-intvl-s", Some("1")),
            ("--tcp-keepalive-cnt", Some("1")),
            ("--max-msg-size", Some("1048576")),
        ],
    );
}

#[test]
fn values_out_of_range_are_usage_errors() {
    for (option, value) in [
        ("--tcp-keepalive-intvl-s", "0"),
        ("--tcp-keepalive-cnt", "128"),
        ("--tcp-keepalive-idle-s", "40000"),
        ("--heartbeat-timeout-ms", "0"),
        ("--heartbeat-ttl-ms", "7000000"),
    ] {
        Command::new(Bins::workspace().path("link-watch"))
            .args([option, value])
            // Accepted by mistake, it would watch for ever.
            .timeout(std::time::Duration::from_secs(10))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("invalid value '{value}'")));
    }
}
