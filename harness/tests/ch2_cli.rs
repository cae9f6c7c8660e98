//! Chapter 2's one-shot commands: `--help` for every program, usage errors,
//! the leak check a user runs by hand on the leak demo, and the ventilator's
//! "press Enter" (which needs a terminal-like stdin). (The demos are
//! scenarios: `harness::scenarios::demos`.)

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};

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
    let pubsub = "chapter 2, \"The publish-subscribe pattern\"";
    let pipeline = "chapter 2, \"The pipeline pattern\"";
    help::assert_help(
        "ticker-publisher",
        pubsub,
        &[
            ("--bind", Some("tcp://*:4040")),
            ("--companies", Some("Company1,Company2")),
            ("--delimiter", Some("\"\"")),
            ("--count", Some("0")),
            ("--rate", Some("0")),
            ("--numbered", None),
            ("--verbose", None),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    help::assert_help(
        "ticker-subscriber",
        pubsub,
        &[
            ("--connect", Some("tcp://localhost:4040")),
            ("--delimiter", Some("\"\"")),
            ("--count", Some("10")),
            ("--no-subscribe", None),
            ("--timeout-ms", Some("0")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    assert!(help::help_of("ticker-subscriber")
        .contains("Usage: ticker-subscriber [OPTIONS] [FILTERS]...\n"));
    help::assert_help(
        "task-ventilator",
        pipeline,
        &[
            ("--bind", Some("tcp://*:4040")),
            ("--sink", Some("tcp://localhost:5050")),
            ("--no-wait", None),
            ("--workers", Some("0")),
            ("--tasks", Some("100")),
            ("--min-workload-ms", Some("1")),
            ("--max-workload-ms", Some("100")),
            ("--linger-ms", Some("-1")),
            ("--verbose", None),
        ],
    );
    help::assert_help(
        "task-worker",
        pipeline,
        &[
            ("--ventilator", Some("tcp://localhost:4040")),
            ("--sink", Some("tcp://localhost:5050")),
            ("--count", Some("0")),
            ("--max-work-ms", Some("1000")),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    help::assert_help(
        "task-sink",
        pipeline,
        &[
            ("--bind", Some("tcp://*:5050")),
            ("--tasks", Some("100")),
            ("--verbose", None),
            ("--max-msg-size", ONE_MIB),
        ],
    );
    help::assert_help(
        "heap-leak-demo",
        "chapter 2, \"Introduction to Valgrind\"",
        &[("--bytes", Some("4")), ("--no-leak", None)],
    );
}

#[test]
fn usage_errors_exit_2() {
    program("task-ventilator")
        .args(["--min-workload-ms", "50", "--max-workload-ms", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--min-workload-ms must not exceed",
        ));
    program("ticker-subscriber")
        .args(["--no-subscribe", "Company1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn leak_check_reports_exactly_the_demos_leak() {
    let dir = std::env::temp_dir().join(format!("zmq-book-leak-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let harness = || {
        let mut command = Command::from_std(Bins::workspace().command::<&str>("harness", &[]));
        command.current_dir(&dir).timeout(harness::PATIENCE);
        command
    };
    harness()
        .args(["leak-check", "heap-leak-demo"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("[heap-leak-demo] leaking 4 bytes"))
        .stdout(predicate::str::contains(
            "definitely lost:  4 bytes in 1 blocks",
        ));
    harness()
        .args(["leak-check", "heap-leak-demo", "--", "--no-leak"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "definitely lost:  0 bytes in 0 blocks",
        ));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs a blocking call of the test's own socket again when a signal
/// interrupted it: assert_cmd's timeouts (in the other tests of this process)
/// install a SIGCHLD handler, so any child's exit can interrupt it.
// A helper of tests: a failed unwrap here is a failed test, as in a #[test].
#[allow(clippy::unwrap_used)]
fn retrying<T>(mut call: impl FnMut() -> zmq::Result<T>) -> T {
    loop {
        match call() {
            Err(zmq::Error::EINTR) => continue,
            done => return done.unwrap(),
        }
    }
}

/// A child process killed when the test ends, pass or fail.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the ventilator (`--tasks 0` and `extra`) with a pipe for stdin, its
/// batch start going to a sink socket of the test's own; returns both.
// A helper of tests: a failed unwrap here is a failed test, as in a #[test].
#[allow(clippy::unwrap_used)]
fn spawn_ventilator(context: &zmq::Context, extra: &[&str]) -> (Guard, zmq::Socket) {
    let sink = context.socket(zmq::PULL).unwrap();
    sink.set_rcvtimeo(20_000).unwrap();
    sink.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = sink.get_last_endpoint().unwrap().unwrap();
    let mut args = vec![
        "--bind",
        "tcp://127.0.0.1:*",
        "--sink",
        &endpoint,
        "--tasks",
        "0",
    ];
    args.extend_from_slice(extra);
    let child = Bins::workspace()
        .command("task-ventilator", &args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    (Guard(child), sink)
}

/// The ventilator of [`spawn_ventilator`], once it prints its prompt; with
/// its stdout.
// A helper of tests: a failed unwrap here is a failed test, as in a #[test].
#[allow(clippy::unwrap_used)]
fn ventilator_at_the_prompt(
    context: &zmq::Context,
) -> (Guard, BufReader<std::process::ChildStdout>, zmq::Socket) {
    let (mut ventilator, sink) = spawn_ventilator(context, &[]);
    let mut stdout = BufReader::new(ventilator.0.stdout.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("Press Enter when the workers are ready...") {
        line.clear();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "no prompt");
    }
    (ventilator, stdout, sink)
}

/// `--no-wait`: with a terminal-like stdin that stays open and silent, the
/// ventilator prints no prompt and starts the batch at once; with no
/// `--workers` it waits for no worker either (no `Waiting for` line).
#[test]
fn ventilator_with_no_wait_starts_without_enter() {
    let context = zmq::Context::new();
    let (mut ventilator, sink) = spawn_ventilator(&context, &["--no-wait"]);
    assert_eq!(retrying(|| sink.recv_bytes(0)), b"-1", "no batch start");
    let mut stdout = String::new();
    let mut pipe = ventilator.0.stdout.take().unwrap();
    std::io::Read::read_to_string(&mut pipe, &mut stdout).unwrap();
    assert!(ventilator.0.wait().unwrap().success());
    assert!(!stdout.contains("Press Enter"), "{stdout}");
    assert!(!stdout.contains("Waiting for"), "{stdout}");
}

#[test]
fn ventilator_waits_for_enter_before_the_batch_starts() {
    let context = zmq::Context::new();
    let (mut ventilator, mut stdout, sink) = ventilator_at_the_prompt(&context);
    // At the prompt nothing was sent (a wait that can only pass wrongly if
    // the machine is very slow, never fail wrongly).
    assert_eq!(
        retrying(|| sink.poll(zmq::POLLIN, 200)),
        0,
        "batch started before Enter"
    );
    ventilator
        .0
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"\n")
        .unwrap();
    assert_eq!(retrying(|| sink.recv_bytes(0)), b"-1");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(rest.contains("Total expected cost: 0 msec"), "{rest}");
    assert!(ventilator.0.wait().unwrap().success());
}

/// Ctrl-C (or SIGTERM) at the "Press Enter" prompt: `interrupted`, exit 0.
// A helper of tests: a failed unwrap here is a failed test, as in a #[test].
#[allow(clippy::unwrap_used)]
fn ventilator_stops_at_the_prompt(signal: &str) {
    let context = zmq::Context::new();
    let (mut ventilator, _stdout, _sink) = ventilator_at_the_prompt(&context);
    let pid = ventilator.0.id().to_string();
    let kill = std::process::Command::new("kill")
        .args([signal, &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let mut stderr = String::new();
    let mut pipe = ventilator.0.stderr.take().unwrap();
    std::io::Read::read_to_string(&mut pipe, &mut stderr).unwrap();
    assert!(ventilator.0.wait().unwrap().success());
    assert_eq!(stderr, "interrupted\n");
}

#[test]
fn ventilator_stops_on_sigint_at_the_prompt() {
    ventilator_stops_at_the_prompt("-INT");
}

#[test]
fn ventilator_stops_on_sigterm_at_the_prompt() {
    ventilator_stops_at_the_prompt("-TERM");
}
