//! Chapter 3, the context's settings: `ZMQ_IO_THREADS`, `ZMQ_MAX_SOCKETS`,
//! and the socket one too many.

use std::process::Command;

use crate::process::Running;
use crate::{ensure, Bins, Failure, Finished, Result, PATIENCE};

/// Runs `context-limits` with `args`, expecting exit 0 (a refusal is the
/// lesson's expected outcome, not a failure), allowed 4096 open files:
/// each socket of this libzmq build holds two (its mailbox is a socket
/// pair), so the common default of 1024 would refuse sockets before a
/// context limit of 512 did. (A hard limit below 4096 fails the run with
/// the shell's message.)
fn run(bins: &Bins, args: &[&str]) -> Result<Finished> {
    run_with_open_files(bins, 4096, args)
}

/// Runs `context-limits` with `args` under `ulimit -n <files>`.
fn run_with_open_files(bins: &Bins, files: u32, args: &[&str]) -> Result<Finished> {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
        .arg(bins.path("context-limits"))
        .args(args);
    Running::spawn("context-limits", command)?
        .wait_exit(PATIENCE)?
        .expect_success()
}

/// The number after `prefix` on the line that starts with it.
fn number_after(finished: &Finished, prefix: &str) -> Result<usize> {
    finished
        .stdout
        .iter()
        .find_map(|line| line.strip_prefix(prefix))
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse().ok())
        .ok_or_else(|| Failure::new(format!("no {prefix:?} line: {:?}", finished.stdout)))
}

fn expect_line(finished: &Finished, line: &str) -> Result<()> {
    ensure(finished.stdout.iter().any(|l| l == line), || {
        format!("no line {line:?} on stdout: {:?}", finished.stdout)
    })
}

/// `--max-sockets N`: exactly N sockets open, the next is refused with
/// `EMFILE` by the context (not rounded, nothing added) — for two values of
/// N, so an option that did nothing could not pass.
pub fn context_refuses_the_socket_past_max_sockets(bins: &Bins) -> Result<()> {
    for max in ["5", "9"] {
        let finished = run(bins, &["--max-sockets", max, "--io-threads", "1"])?;
        expect_line(&finished, &format!("ZMQ_MAX_SOCKETS: {max}"))?;
        expect_line(
            &finished,
            &format!("opened {max} sockets; the next one failed: Too many open files"),
        )?;
        expect_line(
            &finished,
            &format!("refused by the context's limit (ZMQ_MAX_SOCKETS {max})"),
        )?;
    }
    Ok(())
}

/// `--io-threads`: the context reports the value set, and starts that many
/// I/O threads plus one reaper at its first socket — 4 more threads with 5
/// I/O threads than with 1 (counted by the program in `/proc/self/task`).
pub fn io_threads_option_starts_that_many_threads(bins: &Bins) -> Result<()> {
    let one = run(bins, &["--io-threads", "1", "--max-sockets", "2"])?;
    let five = run(bins, &["--io-threads", "5", "--max-sockets", "2"])?;
    expect_line(&one, "ZMQ_IO_THREADS: 1")?;
    expect_line(&five, "ZMQ_IO_THREADS: 5")?;
    let threads = |finished: &Finished| number_after(finished, "background threads started: ");
    let (one, five) = (threads(&one)?, threads(&five)?);
    ensure(one == 2 && five == 6, || {
        format!("expected 2 and 6 background threads (I/O threads and the reaper), got {one} and {five}")
    })
}

/// With no arguments: the book's 8 I/O threads and 512 sockets; the 513th is
/// refused, reported, and the program exits 0.
pub fn book_defaults_open_512_sockets_on_8_io_threads(bins: &Bins) -> Result<()> {
    let finished = run(bins, &[])?;
    expect_line(&finished, "ZMQ_IO_THREADS: 8")?;
    expect_line(
        &finished,
        "opened 512 sockets; the next one failed: Too many open files",
    )?;
    expect_line(
        &finished,
        "refused by the context's limit (ZMQ_MAX_SOCKETS 512)",
    )
}

/// The text says ZeroMQ opens sockets for as long as the operating system
/// lets it; in fact an untouched context has a limit of its own, 1023.
pub fn unset_limit_is_libzmqs_1023(bins: &Bins) -> Result<()> {
    let finished = run(bins, &["--libzmq-default", "--io-threads", "1"])?;
    expect_line(&finished, "ZMQ_MAX_SOCKETS: 1023")?;
    expect_line(
        &finished,
        "opened 1023 sockets; the next one failed: Too many open files",
    )?;
    expect_line(
        &finished,
        "refused by the context's limit (ZMQ_MAX_SOCKETS 1023)",
    )
}

/// The process's own open-file limit gives the same `EMFILE`: with
/// `ulimit -n 64` it refuses long before a limit of 512, and the program
/// says which limit it was.
pub fn open_file_limit_refuses_before_the_context_does(bins: &Bins) -> Result<()> {
    let finished = run_with_open_files(bins, 64, &["--io-threads", "1"])?;
    let opened = number_after(&finished, "opened ")?;
    ensure(opened < 32, || {
        format!("opened {opened} sockets with 64 file descriptors")
    })?;
    ensure(
        finished.stdout.iter().any(|l| {
            l.starts_with(
                "refused by the operating system before the context's limit (ZMQ_MAX_SOCKETS 512)",
            )
        }),
        || format!("no operating-system refusal: {:?}", finished.stdout),
    )
}

/// Values libzmq would refuse or choke on are usage errors (exit 2): no
/// socket limit of 0, none past `ZMQ_SOCKET_LIMIT` (65535).
pub fn out_of_range_limits_are_usage_errors(bins: &Bins) -> Result<()> {
    for args in [
        ["--max-sockets", "0"],
        ["--max-sockets", "65536"],
        ["--io-threads", "-1"],
    ] {
        let finished = bins.run("context-limits", &args, PATIENCE)?;
        finished.expect_code(2)?;
    }
    Ok(())
}

/// The book: set the context's options before creating a socket. Set after
/// the first one, both are accepted — the context reports the new values —
/// and ignored: it keeps the 1 I/O thread and the 1023 sockets it started
/// with (libzmq reads them once, in `ctx_t::start`). Set before, the same
/// values start 4 I/O threads and refuse the 6th socket.
pub fn options_set_after_the_first_socket_are_ignored(bins: &Bins) -> Result<()> {
    let values = ["--io-threads", "4", "--max-sockets", "5"];
    let before = run(bins, &values)?;
    expect_line(
        &before,
        "background threads started: 5 (4 I/O and the reaper)",
    )?;
    expect_line(
        &before,
        "refused by the context's limit (ZMQ_MAX_SOCKETS 5)",
    )?;
    let after = run(bins, &[&values[..], &["--set-after-first-socket"]].concat())?;
    expect_line(
        &after,
        "background threads started: 2 (1 I/O and the reaper)",
    )?;
    expect_line(
        &after,
        "set after the first socket: the context reports ZMQ_IO_THREADS 4 and \
         ZMQ_MAX_SOCKETS 5,",
    )?;
    expect_line(&after, "  and keeps the 1 and 1023 it started with")?;
    expect_line(
        &after,
        "opened 1023 sockets; the next one failed: Too many open files",
    )?;
    expect_line(
        &after,
        "refused by the context's limit (ZMQ_MAX_SOCKETS 1023)",
    )
}

/// The text says the socket limit guards against denial of service, as if
/// peers could make ZeroMQ open sockets. They cannot: only the program's
/// own `zmq_socket` calls (and its monitors) take one of the context's
/// slots (libzmq 4.3.4, `ctx_t::create_socket`); a connection to a bound
/// socket is a session of that socket. With `ZMQ_MAX_SOCKETS 2`, one bound
/// socket holds 100 connections from peers — each sends a message before
/// and after the refusal — and the context still opens exactly one more
/// socket, then refuses by its own limit.
pub fn max_sockets_counts_no_connection_from_peers(bins: &Bins) -> Result<()> {
    let finished = run(
        bins,
        &["--max-sockets", "2", "--io-threads", "1", "--peers", "100"],
    )?;
    expect_line(
        &finished,
        "one bound socket holds 100 connections from peers, each heard before and after \
         the refusal:",
    )?;
    expect_line(&finished, "  connections are not sockets of the context")?;
    expect_line(
        &finished,
        "opened 2 sockets; the next one failed: Too many open files",
    )?;
    expect_line(
        &finished,
        "refused by the context's limit (ZMQ_MAX_SOCKETS 2)",
    )
}
