//! The harness's own promises: a spawned example dies with its guard, and a wait
//! that fails says what the program printed.

use std::time::Duration;

use harness::{Bins, Stream};

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
