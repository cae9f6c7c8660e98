//! Chapter 3's CZMQ programs as programs: signals in every state they block
//! in, the heap after bounded and interrupted runs, the book's defaults,
//! `--help` and usage errors.

use crate::scenarios::book_ports::BookPorts;
use crate::scenarios::ch1::{expect_interrupted, expect_no_heap_lost};
use crate::scenarios::ch3::czmq::{expect_stderr_containing, Scratch};
use crate::scenarios::{serve, serve_profiled, unique_ipc_endpoint, STOP_WITHIN};
use crate::{ensure, Bins, Result, Running, PATIENCE};

/// Each blocking state of each program, started and waited into; servers
/// first, so stopping in reverse stops a client before the server it uses.
fn blocked_programs(bins: &Bins, profiled: bool) -> Result<Vec<Running>> {
    let nobody = unique_ipc_endpoint("nobody");
    let spawn = |name: &str, args: &[&str]| {
        if profiled {
            bins.spawn_profiled(name, args)
        } else {
            bins.spawn(name, args)
        }
    };
    let serve = |name: &str, args: &[&str]| {
        if profiled {
            serve_profiled(bins, name, args)
        } else {
            serve(bins, name, args)
        }
    };
    let mut started = Vec::new();
    // Servers waiting for a message or a request: the zloop server in its
    // reactor's poll.
    let mut zloop_endpoint = String::new();
    let mut kv_endpoint = String::new();
    for name in ["zloop-server", "zmsg-server", "kv-server"] {
        let (mut server, endpoint) = serve(name, &[])?;
        server.wait_stdout("Starting server...", PATIENCE)?;
        match name {
            "zloop-server" => zloop_endpoint = endpoint,
            "kv-server" => kv_endpoint = endpoint,
            _ => {}
        }
        started.push(server);
    }
    // Clients with nobody to talk to: the PUSH waits to send, the REQs for a
    // reply.
    for name in [
        "zloop-client",
        "zmsg-client",
        "zfile-client",
        "kv-client",
        "kv-list-client",
    ] {
        let mut client = spawn(name, &["--connect", &nobody])?;
        client.wait_stdout("Starting client...", PATIENCE)?;
        started.push(client);
    }
    // The zloop client waiting in its reactor for a far timer, the kv client
    // sleeping between two requests.
    let mut waiting = spawn(
        "zloop-client",
        &["--connect", &zloop_endpoint, "--interval-ms", "60000"],
    )?;
    waiting.wait_stdout("Starting client...", PATIENCE)?;
    started.push(waiting);
    let mut sleeper = spawn(
        "kv-client",
        &["--connect", &kv_endpoint, "--interval-ms", "60000"],
    )?;
    sleeper.wait_stdout("Received: name@example.org", PATIENCE)?;
    started.push(sleeper);
    Ok(started)
}

/// SIGINT (or SIGTERM) stops every CZMQ program of the chapter in every
/// state it blocks in — the zloop server inside its reactor — printing
/// `interrupted`, exit 0, within a second.
pub fn czmq_programs_stop_in_every_blocking_state(bins: &Bins, signal: i32) -> Result<()> {
    let programs = blocked_programs(bins, false)?;
    for program in programs.into_iter().rev() {
        let stopped = program.stop_with(signal, STOP_WITHIN)?.expect_success()?;
        expect_interrupted(&stopped)?;
    }
    Ok(())
}

/// Under heap profiling, SIGINT in every blocking state loses nothing.
pub fn czmq_no_heap_lost_after_sigint(bins: &Bins) -> Result<()> {
    let mut programs = blocked_programs(bins, true)?;
    // All at once: writing a profile takes a while.
    for program in programs.iter_mut().rev() {
        program.interrupt()?;
    }
    for program in programs {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_success()?)?;
    }
    Ok(())
}

/// Under heap profiling, a bounded run of each program loses nothing — the
/// listings' leaks (the zloop string, the zhash, the list's first reply)
/// included.
pub fn czmq_no_heap_lost_after_bounded_runs(bins: &Bins) -> Result<()> {
    let scratch = Scratch::new("zfile-heap")?;
    let dir = scratch.path().to_string_lossy().into_owned();
    let mut finished = Vec::new();
    let (server, endpoint) =
        serve_profiled(bins, "zloop-server", &["--count", "2", "--timer-ms", "1"])?;
    let client = bins.spawn_profiled("zloop-client", &["--connect", &endpoint, "--count", "2"])?;
    finished.extend([client, server]);
    let (server, endpoint) = serve_profiled(bins, "zmsg-server", &["--count", "1"])?;
    let client = bins.spawn_profiled("zmsg-client", &["--connect", &endpoint])?;
    finished.extend([client, server]);
    let (server, endpoint) = serve_profiled(bins, "kv-server", &["--count", "3"])?;
    let client = bins.spawn_profiled(
        "kv-client",
        &["--connect", &endpoint, "--count", "1", "--interval-ms", "0"],
    )?;
    let list = bins.spawn_profiled("kv-list-client", &["--connect", &endpoint])?;
    finished.extend([client, list, server]);
    let (_echo, endpoint) = serve(bins, "interrupt-server", &["--count", "1"])?;
    let zfile = bins.spawn_profiled("zfile-client", &["--connect", &endpoint, "--dir", &dir])?;
    finished.push(zfile);
    let bench = bins.spawn_profiled(
        "reactor-bench",
        &[
            "--messages",
            "200",
            "--rounds",
            "1",
            "--transport",
            "inproc",
        ],
    )?;
    finished.push(bench);
    for program in finished {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_success()?)?;
    }
    Ok(())
}

/// With no endpoint arguments the pairs talk on the book's port, 5050
/// (holding the [`BookPorts`] lock): the kv client asks `user_email`.
pub fn czmq_book_defaults_talk_on_port_5050(bins: &Bins) -> Result<()> {
    let _ports = BookPorts::lock()?;
    for (server, client, args, expected) in [
        (
            "kv-server",
            "kv-client",
            &["--count", "1"][..],
            "Received: name@example.org",
        ),
        (
            "zmsg-server",
            "zmsg-client",
            &[][..],
            r#"Received: 5 frames: "h" "e" "l" "l" "o""#,
        ),
        (
            "zloop-server",
            "zloop-client",
            &["--count", "1"][..],
            "Pushing hello",
        ),
    ] {
        let mut server = bins.spawn(server, &["--count", "1"])?;
        let endpoint = server.bound_endpoint(PATIENCE)?;
        ensure(endpoint == "tcp://0.0.0.0:5050", || {
            format!("the server bound {endpoint}, not the book's tcp://*:5050")
        })?;
        let client = bins.run(client, args, PATIENCE)?.expect_success()?;
        ensure(client.stdout.iter().any(|l| l == expected), || {
            format!("{}: no {expected:?} in {:?}", client.name, client.stdout)
        })?;
        server.wait_exit(PATIENCE)?.expect_success()?;
    }
    Ok(())
}

/// `--help` of each program: one sentence naming the book's chapter 3, and
/// the options with the book's defaults.
pub fn czmq_help_names_the_book_section_and_defaults(bins: &Bins) -> Result<()> {
    for (name, expected) in [
        (
            "zloop-server",
            &[
                "zloop",
                "tcp://*:5050",
                "--timer-ms",
                "10000",
                "--repeat",
                "--count",
                "--max-msg-size",
            ][..],
        ),
        (
            "zloop-client",
            &["zloop", "tcp://localhost:5050", "--count", "--interval-ms"][..],
        ),
        (
            "zmsg-server",
            &["zmsg", "tcp://*:5050", "--count", "--max-msg-size"][..],
        ),
        (
            "zmsg-client",
            &["zmsg", "tcp://localhost:5050", "--count", "--max-msg-size"][..],
        ),
        (
            "zfile-client",
            &[
                "zfile",
                "tcp://localhost:5050",
                "--dir",
                "--out",
                "server.txt",
                "--max-msg-size",
            ][..],
        ),
        (
            "kv-server",
            &[
                "zhash",
                "tcp://*:5050",
                "--entry",
                "KEY=VALUE",
                "--count",
                "--max-msg-size",
            ][..],
        ),
        (
            "kv-client",
            &[
                "zhash",
                "tcp://localhost:5050",
                "--key",
                "user_email",
                "--interval-ms",
                "1000",
                "--count",
            ][..],
        ),
        (
            "kv-list-client",
            &[
                "zlist",
                "tcp://localhost:5050",
                "--key",
                "user_email",
                "user_id",
            ][..],
        ),
        (
            "reactor-bench",
            &[
                "Reactor",
                "--messages",
                "200000",
                "--rounds",
                "11",
                "--transport",
            ][..],
        ),
    ] {
        let help = bins.run(name, &["--help"], PATIENCE)?.expect_success()?;
        let text = help.stdout.join("\n");
        for word in expected.iter().chain(&["chapter 3"]) {
            ensure(text.contains(word), || {
                format!("{name} --help does not mention {word:?}:\n{text}")
            })?;
        }
    }
    Ok(())
}

/// A malformed `--entry` and a non-number `--timer-ms` are usage errors
/// (exit 2), saying what was expected.
pub fn czmq_usage_errors_exit_2(bins: &Bins) -> Result<()> {
    let entry = bins
        .run("kv-server", &["--entry", "no-equals-sign"], PATIENCE)?
        .expect_code(2)?;
    expect_stderr_containing(&entry, "expected KEY=VALUE")?;
    bins.run("zloop-server", &["--timer-ms", "soon"], PATIENCE)?
        .expect_code(2)
        .map(drop)
}

/// Binding a port another server holds: `error: cannot bind …`, exit 1.
pub fn czmq_port_in_use_is_reported(bins: &Bins) -> Result<()> {
    let (_first, endpoint) = serve(bins, "kv-server", &[])?;
    for name in ["kv-server", "zloop-server", "zmsg-server"] {
        let second = bins
            .run(name, &["--bind", &endpoint], PATIENCE)?
            .expect_code(1)?;
        expect_stderr_containing(&second, &format!("error: cannot bind {endpoint}"))?;
    }
    Ok(())
}

/// `reactor-bench`, small: each option reaches the run (its header echoes
/// them), the three loops receive every message over both transports, and it
/// prints their medians and the ratios.
pub fn reactor_bench_compares_the_two_loops(bins: &Bins) -> Result<()> {
    for transport in ["tcp", "inproc"] {
        let bench = bins
            .run(
                "reactor-bench",
                &[
                    "--messages",
                    "500",
                    "--rounds",
                    "2",
                    "--size",
                    "8",
                    "--transport",
                    transport,
                ],
                PATIENCE,
            )?
            .expect_success()?;
        let header =
            format!("500 messages of 8 bytes per round over {transport}, 2 rounds of each");
        ensure(bench.stdout.iter().any(|l| l.starts_with(&header)), || {
            format!("no {header:?} in {:?}", bench.stdout)
        })?;
        for label in [
            "Reactor:",
            "zmq::poll by hand:",
            "lab::Poller by hand:",
            "Reactor / by hand:",
            "Reactor / Poller:",
        ] {
            ensure(bench.stdout.iter().any(|l| l.starts_with(label)), || {
                format!("no {label:?} line in {:?}", bench.stdout)
            })?;
        }
    }
    Ok(())
}
