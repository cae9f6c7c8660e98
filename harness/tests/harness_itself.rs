//! The harness's own promises: a spawned example dies with its guard, a wait
//! that fails says what the program printed, and a demo shows every line
//! after the lines that caused it.

use std::time::Duration;

use harness::demo::Stage;
use harness::{scenarios, Bins, Stream};

#[test]
fn dropping_the_guard_kills_the_example() {
    let mut server = Bins::workspace()
        .spawn("hello-server", &["--bind", "tcp://127.0.0.1:*"])
        .unwrap();
    server.bound_endpoint(harness::PATIENCE).unwrap();
    let pid = libc::pid_t::try_from(server.pid()).unwrap();
    drop(server);
    // SAFETY: signal 0 only asks whether the process exists.
    #[allow(unsafe_code)]
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    assert!(!alive, "process {pid} survived its guard");
}

#[test]
fn a_failed_wait_shows_the_last_lines_of_both_streams() {
    let mut server = Bins::workspace()
        .spawn("hello-server", &["--bind", "tcp://127.0.0.1:*"])
        .unwrap();
    server
        .wait_stdout("Starting...", harness::PATIENCE)
        .unwrap();
    let failure = server
        .wait_line(
            Stream::Stdout,
            "a line that never comes",
            Duration::from_millis(50),
        )
        .unwrap_err()
        .to_string();
    assert!(failure.contains("a line that never comes"), "{failure}");
    assert!(failure.contains("bound tcp://127.0.0.1:"), "{failure}");
    assert!(failure.contains("last stderr lines"), "{failure}");
}

#[test]
fn a_run_that_outlives_its_timeout_fails() {
    let failure = Bins::workspace()
        .run(
            "hello-server",
            &["--bind", "tcp://127.0.0.1:*"],
            Duration::from_millis(100),
        )
        .unwrap_err()
        .to_string();
    assert!(failure.contains("did not exit within"), "{failure}");
}

#[test]
fn a_wrong_exit_code_fails_with_the_output() {
    let finished = Bins::workspace()
        .run("hello-server", &["--bind", "nonsense"], harness::PATIENCE)
        .unwrap();
    let failure = finished.expect_success().unwrap_err().to_string();
    assert!(failure.contains("error: cannot bind nonsense"), "{failure}");
}

/// A demo never shows an effect before its cause. Over hundreds of hello
/// exchanges as fast as they go, with the stage looking for output every
/// millisecond, each request's `Sending` shows before the server's
/// `Received`, which shows before the client's `Received: world - n`, which
/// shows before the server's `Received` of request n+1 (the client sends it
/// only after printing its reply). Stamping lines when read, or merging
/// without holding back the lines written after a show began, fails this
/// within a run or two.
#[test]
fn a_demo_shows_every_cause_before_its_effect() {
    const EXCHANGES: usize = 500;
    let bins = Bins::workspace();
    let count = EXCHANGES.to_string();
    let mut stage = Stage::recording();
    let server_args = ["--count", &count, "--delay-ms", "0"];
    let (server, endpoint) = scenarios::serve(bins, "hello-server", &server_args).unwrap();
    stage.enter(server);
    let client_args = ["--connect", &endpoint, "--count", &count];
    stage.enter(bins.spawn("hello-client", &client_args).unwrap());
    stage.until_exit("hello-client", harness::PATIENCE).unwrap();
    stage.finish("hello-server", harness::PATIENCE).unwrap();
    let transcript = stage.transcript();
    let sent = positions(transcript, |line| {
        line.starts_with("[hello-client] Sending: hello - ")
    });
    let received = positions(transcript, |line| line == "[hello-server] Received: hello");
    let answered = positions(transcript, |line| {
        line.starts_with("[hello-client] Received: world - ")
    });
    for lines in [&sent, &received, &answered] {
        assert_eq!(lines.len(), EXCHANGES, "{transcript:#?}");
    }
    let around = |index: usize| transcript[index.saturating_sub(4)..=index].join("\n");
    for n in 0..EXCHANGES {
        let (sent, received, answered) = (sent[n], received[n], answered[n]);
        assert!(
            sent < received,
            "received before sent:\n{}",
            around(received)
        );
        assert!(
            received < answered,
            "answered before received:\n{}",
            around(answered)
        );
    }
    for n in 1..EXCHANGES {
        assert!(
            answered[n - 1] < received[n],
            "request {n} received before reply {} was printed:\n{}",
            n - 1,
            around(received[n])
        );
    }
}

/// The indices of the lines of `transcript` for which `wanted` holds.
fn positions(transcript: &[String], wanted: impl Fn(&str) -> bool) -> Vec<usize> {
    let lines = transcript.iter().enumerate();
    lines
        .filter(|(_, line)| wanted(line))
        .map(|(index, _)| index)
        .collect()
}
