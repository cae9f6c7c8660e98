//! Chapter 4's reliability programs as one-shot commands: `--help` names the
//! book section and the book's defaults, usage errors exit 2, and the four
//! demos show their lessons.

use assert_cmd::Command;
use harness::Bins;
use predicates::prelude::*;

fn program(name: &str) -> Command {
    Command::new(Bins::workspace().path(name))
}

fn demo(lesson: &str) -> assert_cmd::assert::Assert {
    Command::new(Bins::workspace().path("harness"))
        .args(["demo", lesson])
        .timeout(harness::PATIENCE)
        .assert()
        .success()
}

#[test]
fn help_names_the_book_section_and_the_book_defaults() {
    for (name, section, defaults) in [
        (
            "hwm-publisher",
            "High watermark",
            &[
                "tcp://*:4040",
                "--sndhwm <SNDHWM>",
                "[default: 10]",
                "--pattern",
                "--send-timeout-ms",
                "--linger-ms",
                "--subscribers",
                "--size",
                "--max-msg-size",
            ][..],
        ),
        (
            "slow-subscriber",
            "High watermark",
            &[
                "tcp://localhost:4040",
                "--rcvhwm",
                "[default: 1000]",
                "--delay-ms",
                "--idle-ms",
                "--max-msg-size",
            ][..],
        ),
        (
            "lazy-pirate-client",
            "Reliability",
            &[
                "tcp://localhost:4040",
                "[default: 2500]",
                "[default: 3]",
                "--count",
            ][..],
        ),
        (
            "lazy-pirate-server",
            "Reliability",
            &[
                "tcp://*:4040",
                "--fail-after",
                "--slow-every",
                "[default: 5000]",
            ][..],
        ),
        (
            "heartbeat-server",
            "Reliability",
            &["tcp://*:4040", "[default: 1000]", "[default: 3]"][..],
        ),
        (
            "heartbeat-worker",
            "Reliability",
            &[
                "tcp://localhost:4040",
                "--id",
                "[default: 1000]",
                "[default: 32000]",
            ][..],
        ),
        (
            "snail-publisher",
            "Slow subscribers",
            &["tcp://*:4040", "[default: 1000]", "--count"][..],
        ),
        (
            "snail-subscriber",
            "Slow subscribers",
            &[
                "tcp://localhost:4040",
                "[default: 3000]",
                "[default: 4000]",
                "[default: 10]",
                "3 too slow",
            ][..],
        ),
    ] {
        let mut help = program(name).arg("--help").assert().success();
        help = help
            .stdout(predicate::str::contains("chapter 4"))
            .stdout(predicate::str::contains(section));
        for default in defaults {
            help = help.stdout(predicate::str::contains(*default));
        }
    }
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

#[test]
fn demo_hwm_shows_drops_then_waits_then_memory() {
    demo("hwm")
        .stdout(predicate::str::contains("--- PUB with --sndhwm 10"))
        .stdout(predicate::str::contains("--- PUSH with --sndhwm 10"))
        .stdout(predicate::str::contains(
            "[slow-subscriber] received 500 messages, 0 missing in 0 gaps",
        ))
        .stdout(predicate::str::contains("--sndhwm 0  (no limit): "));
}

#[test]
fn demo_lazy_pirate_recovers_after_the_crash() {
    demo("lazy-pirate")
        .stdout(predicate::str::contains(
            "[lazy-pirate-server-1] simulating a crash",
        ))
        .stdout(predicate::str::contains("retry 1 of 3: new socket"))
        .stdout(predicate::str::contains(
            "[lazy-pirate-server-2] Received: 4",
        ))
        .stdout(predicate::str::contains("6 requests, 6 matching replies"));
}

#[test]
fn demo_heartbeat_shows_expiry_and_reconnection() {
    demo("heartbeat")
        .stdout(predicate::str::contains(
            "[ heartbeat-server-1] worker w1 expired",
        ))
        .stdout(predicate::str::contains("reconnecting in 400 ms"))
        .stdout(predicate::str::contains(
            "[ heartbeat-server-2] worker w2 joined",
        ));
}

#[test]
fn demo_snail_aborts_then_keeps_up() {
    demo("snail")
        .stdout(predicate::str::contains(
            "[snail-subscriber-slow] Subscriber is too slow. Aborting.",
        ))
        .stdout(predicate::str::contains(
            "snail-subscriber-slow exited: exit status: 3",
        ))
        .stdout(predicate::str::contains(
            "snail-subscriber-fast exited: exit status: 0",
        ));
}
