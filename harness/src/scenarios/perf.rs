//! The performance tools: Rust counterparts of libzmq's perf programs
//! (`local-lat`/`remote-lat`, `local-thr`/`remote-thr`, `inproc-lat`,
//! `inproc-thr`), and [`Report`], the parser of the report lines both the C
//! and the Rust tools print — used here and by the `perf-compare` benchmark.
//!
//! The scenarios check what the tools do, never how fast: every pair
//! completes over tcp, ipc and inproc, its report echoes the workload and
//! gives positive figures, the hot loops allocate nothing per message, and
//! failures and Ctrl-C are handled. Speed is the benchmark's business.

use std::time::{Duration, Instant};

use crate::scenarios::ch1::{expect_interrupted, expect_no_heap_lost};
use crate::scenarios::monitor::Monitor;
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::schedule;
use crate::scenarios::{unique_ipc_endpoint, Scenario, ANY_PORT, STOP_WITHIN};
use crate::{ensure, Bins, Failure, Finished, Result, Running, PATIENCE};

/// The performance tools' checks, by name.
pub const SCENARIOS: &[Scenario] = &[
    ("thr_pair_measures_over_tcp", thr_pair_measures_over_tcp),
    ("thr_pair_measures_over_ipc", thr_pair_measures_over_ipc),
    (
        "inproc_thr_measures_between_threads",
        inproc_thr_measures_between_threads,
    ),
    ("lat_pair_measures_over_tcp", |bins| {
        lat_pair_measures(bins, ANY_PORT)
    }),
    ("lat_pair_measures_over_ipc", |bins| {
        lat_pair_measures(bins, &unique_ipc_endpoint("perf-lat"))
    }),
    (
        "inproc_lat_measures_between_threads",
        inproc_lat_measures_between_threads,
    ),
    (
        "thr_pair_allocates_nothing_per_message",
        thr_pair_allocates_nothing_per_message,
    ),
    (
        "lat_pair_allocates_nothing_per_message",
        lat_pair_allocates_nothing_per_message,
    ),
    (
        "inproc_tools_allocate_nothing_per_message",
        inproc_tools_allocate_nothing_per_message,
    ),
    (
        "message_of_wrong_size_is_reported",
        message_of_wrong_size_is_reported,
    ),
    (
        "waiting_local_tools_stop_on_sigint",
        waiting_local_tools_stop_on_sigint,
    ),
    ("waiting_local_tools_stop_on_sigterm", |bins| {
        waiting_local_tools_stop(bins, libc::SIGTERM)
    }),
    (
        "remote_tools_blocked_by_their_peer_stop_on_sigint",
        |bins| remote_tools_blocked_by_their_peer_stop(bins, libc::SIGINT),
    ),
    (
        "remote_tools_blocked_by_their_peer_stop_on_sigterm",
        |bins| remote_tools_blocked_by_their_peer_stop(bins, libc::SIGTERM),
    ),
    ("bad_arguments_are_refused", bad_arguments_are_refused),
    (
        "local_tools_apply_their_max_msg_size",
        local_tools_apply_their_max_msg_size,
    ),
    ("local_thr_stops_on_sigint_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::LocalThr, libc::SIGINT)
    }),
    ("local_thr_stops_on_sigterm_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::LocalThr, libc::SIGTERM)
    }),
    ("remote_thr_stops_on_sigint_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::RemoteThr, libc::SIGINT)
    }),
    ("remote_thr_stops_on_sigterm_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::RemoteThr, libc::SIGTERM)
    }),
    ("local_lat_stops_on_sigint_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::LocalLat, libc::SIGINT)
    }),
    ("local_lat_stops_on_sigterm_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::LocalLat, libc::SIGTERM)
    }),
    ("remote_lat_stops_on_sigint_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::RemoteLat, libc::SIGINT)
    }),
    ("remote_lat_stops_on_sigterm_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::RemoteLat, libc::SIGTERM)
    }),
    ("inproc_thr_stops_on_sigint_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::InprocThr, libc::SIGINT)
    }),
    ("inproc_thr_stops_on_sigterm_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::InprocThr, libc::SIGTERM)
    }),
    ("inproc_lat_stops_on_sigint_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::InprocLat, libc::SIGINT)
    }),
    ("inproc_lat_stops_on_sigterm_in_full_flow", |bins| {
        stops_in_full_flow(bins, Flow::InprocLat, libc::SIGTERM)
    }),
    (
        "local_thr_reports_the_messages_it_counted",
        local_thr_reports_the_messages_it_counted,
    ),
    (
        "remote_thr_stops_on_sigint_with_messages_left_for_a_stalled_peer",
        |bins| remote_thr_stops_with_messages_left_for_a_stalled_peer(bins, libc::SIGINT),
    ),
    (
        "remote_thr_stops_on_sigterm_with_messages_left_for_a_stalled_peer",
        |bins| remote_thr_stops_with_messages_left_for_a_stalled_peer(bins, libc::SIGTERM),
    ),
];

/// Message size of the scenarios' runs: the reference size.
const SIZE: u64 = 64;
/// Messages per throughput run: a few milliseconds in a debug build.
const MESSAGES: u64 = 5_000;
/// Round trips per latency run.
const ROUNDTRIPS: u64 = 500;
/// A message count for a `remote-thr` that is to be stopped, not to finish.
pub const ENDLESS: &str = "2000000000";

/// `local-thr` binds a loopback port, `remote-thr` streams to it and exits
/// once all is sent, and `local-thr` reports the workload it was given and a
/// positive throughput whose Mb/s agree with its msg/s.
pub fn thr_pair_measures_over_tcp(bins: &Bins) -> Result<()> {
    let (local, remote) = run_pair(bins, "local-thr", "remote-thr", ANY_PORT, MESSAGES)?;
    remote.expect_success()?;
    let report = Report::parse(&local.expect_success()?.stdout)?;
    report.throughput(SIZE, MESSAGES).map(drop)
}

/// The same over ipc, with one difference: `remote-thr` is given more
/// messages than `local-thr` counts, and stopped once `local-thr` reported.
/// libzmq 4.3.4 drops the rest of an ipc stream when the sender closes while
/// the receiver is behind (the peer's close raises EPOLLHUP on a Unix socket,
/// and a receiving engine paused at its high-water mark then gives up on the
/// connection; libzmq issue #4660): with equal counts the C `local_thr` and
/// ours would both wait for ever for the lost tail, now and then.
pub fn thr_pair_measures_over_ipc(bins: &Bins) -> Result<()> {
    let mut args = vec![unique_ipc_endpoint("perf-thr")];
    args.extend(workload(MESSAGES));
    let mut local = bins.spawn("local-thr", &args)?;
    args[0] = local.bound_endpoint(PATIENCE)?;
    args[2] = ENDLESS.to_string();
    let remote = bins.spawn("remote-thr", &args)?;
    let local = local.wait_exit(PATIENCE);
    drop(remote);
    remove_ipc_file(&args[0]);
    Report::parse(&local?.expect_success()?.stdout)?
        .throughput(SIZE, MESSAGES)
        .map(drop)
}

/// `local-lat` binds `bind`, `remote-lat` times round trips to it and reports
/// the workload and a positive latency.
pub fn lat_pair_measures(bins: &Bins, bind: &str) -> Result<()> {
    let (local, remote) = run_pair(bins, "local-lat", "remote-lat", bind, ROUNDTRIPS)?;
    remove_ipc_file(bind);
    local.expect_success()?;
    let report = Report::parse(&remote.expect_success()?.stdout)?;
    report.latency(SIZE, ROUNDTRIPS).map(drop)
}

/// `inproc-thr` streams between two threads and reports like `local-thr`.
pub fn inproc_thr_measures_between_threads(bins: &Bins) -> Result<()> {
    let finished = run_inproc(bins, "inproc-thr", MESSAGES)?;
    Report::parse(&finished.stdout)?
        .throughput(SIZE, MESSAGES)
        .map(drop)
}

/// `inproc-lat` times round trips between two threads and reports like
/// `remote-lat`.
pub fn inproc_lat_measures_between_threads(bins: &Bins) -> Result<()> {
    let finished = run_inproc(bins, "inproc-lat", ROUNDTRIPS)?;
    Report::parse(&finished.stdout)?
        .latency(SIZE, ROUNDTRIPS)
        .map(drop)
}

/// The throughput pair under dhat: ten times the messages, not one Rust
/// allocation more on either side (libzmq's own C allocations are not
/// counted — they are the same in the C tools); and no heap lost.
pub fn thr_pair_allocates_nothing_per_message(bins: &Bins) -> Result<()> {
    allocations_do_not_grow(bins, "local-thr", "remote-thr")
}

/// The same for the latency pair.
pub fn lat_pair_allocates_nothing_per_message(bins: &Bins) -> Result<()> {
    allocations_do_not_grow(bins, "local-lat", "remote-lat")
}

/// The same for the two inproc tools, both threads counted.
pub fn inproc_tools_allocate_nothing_per_message(bins: &Bins) -> Result<()> {
    for tool in ["inproc-thr", "inproc-lat"] {
        let few = profiled_blocks(bins.spawn_profiled(tool, &workload(100))?)?;
        let many = profiled_blocks(bins.spawn_profiled(tool, &workload(1_000))?)?;
        expect_same_allocations(tool, few, many)?;
    }
    Ok(())
}

/// A `remote-thr` sending 32-byte messages to a `local-thr` that expects 64:
/// the receiver says so, as the C tool does, and exits 1 (its figures would
/// be wrong).
pub fn message_of_wrong_size_is_reported(bins: &Bins) -> Result<()> {
    let mut local = bins.spawn("local-thr", &[ANY_PORT, "64", "10"])?;
    let endpoint = local.bound_endpoint(PATIENCE)?;
    // Killed when the test ends: with its peer gone it would wait for ever to
    // deliver what it queued, as the C tool does.
    let _remote = bins.spawn("remote-thr", &[&endpoint, "32", "10"])?;
    let local = local.wait_exit(PATIENCE)?.expect_code(1)?;
    let expected = "error: message of incorrect size received: 32 [B] instead of 64 [B]";
    ensure(
        local.stderr.iter().any(|line| line.starts_with(expected)),
        || format!("expected {expected:?} on stderr, got {:?}", local.stderr),
    )
}

/// A `local-thr` or `local-lat` waiting for a peer that never comes stops on
/// Ctrl-C within a second, like every example.
pub fn waiting_local_tools_stop_on_sigint(bins: &Bins) -> Result<()> {
    waiting_local_tools_stop(bins, libc::SIGINT)
}

/// The same with `signal` (SIGINT or SIGTERM).
pub fn waiting_local_tools_stop(bins: &Bins, signal: i32) -> Result<()> {
    for tool in ["local-thr", "local-lat"] {
        let mut local = bins.spawn(tool, &[ANY_PORT, "64", "10"])?;
        local.bound_endpoint(PATIENCE)?;
        let stopped = local.stop_with(signal, STOP_WITHIN)?.expect_success()?;
        expect_interrupted(&stopped)?;
    }
    Ok(())
}

/// A remote tool whose peer — the harness's own socket — stops answering
/// blocks: `remote-lat` in its receive (the harness's REP took the first
/// request and never replies), `remote-thr` in its send (the harness's PULL
/// has room for one message and never reads). Either stops on `signal`
/// within a second.
pub fn remote_tools_blocked_by_their_peer_stop(bins: &Bins, signal: i32) -> Result<()> {
    let context = zmq::Context::new();
    let (silent, endpoint) = bound_socket(&context, zmq::REP)?;
    let remote = bins.spawn("remote-lat", &[&endpoint, "64", ENDLESS])?;
    retrying(|| silent.recv_bytes(0))?;
    wait_until_blocked(&remote)?;
    let stopped = remote.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&stopped)?;
    let stalled = peer_socket(&context, zmq::PULL)?;
    stalled.set_rcvhwm(1).map_err(zmq_failure)?;
    let connection = Monitor::start(&context, &stalled)?;
    stalled.bind(ANY_PORT).map_err(zmq_failure)?;
    let endpoint = stalled
        .get_last_endpoint()
        .map_err(zmq_failure)?
        .map_err(|bytes| Failure::new(format!("endpoint not UTF-8: {bytes:?}")))?;
    let remote = bins.spawn("remote-thr", &[&endpoint, "64", ENDLESS])?;
    connection.wait_handshake()?;
    retrying(|| stalled.recv_bytes(0))?;
    wait_until_blocked(&remote)?;
    let stopped = remote.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&stopped)
}

/// Which tool is signalled while its loop runs flat out.
#[derive(Debug, Clone, Copy)]
pub enum Flow {
    /// `local-thr` draining two `remote-thr`s (it is the slower side, so it
    /// always has messages waiting).
    LocalThr,
    /// `remote-thr` flooding a `local-thr`.
    RemoteThr,
    /// `local-lat` echoing a `remote-lat`.
    LocalLat,
    /// `remote-lat` pinging a `local-lat`.
    RemoteLat,
    /// `inproc-thr`, both threads.
    InprocThr,
    /// `inproc-lat`, both threads.
    InprocLat,
}

/// A message count the flows never reach (minutes of work), yet bounded:
/// a tool that ignored the signal would end by itself.
const FLOW_COUNT: &str = "200000000";

/// Ctrl-C (or SIGTERM) stops a tool in full flow — its loop looks at the
/// signal every 1024 messages, not only when a call blocks — within a
/// second, exit 0, `interrupted`. "Full flow" is a fact read from the kernel
/// before the signal: the tool has spent a twentieth of a second of CPU time —
/// which a tool waiting for a peer does not — so its loop is running.
pub fn stops_in_full_flow(bins: &Bins, flow: Flow, signal: i32) -> Result<()> {
    // A tool in full flow keeps both cores busy: flows take turns.
    let _turn = schedule::turns();
    let workload = |count: &str| vec![SIZE.to_string(), count.to_string()];
    let pair = |local: &str, remote: &str, remotes: usize| -> Result<(Running, Vec<Running>)> {
        let mut args = vec![ANY_PORT.to_string()];
        args.extend(workload(FLOW_COUNT));
        let mut local = bins.spawn(local, &args)?;
        args[0] = local.bound_endpoint(PATIENCE)?;
        let remotes = (0..remotes)
            .map(|_| bins.spawn(remote, &args))
            .collect::<Result<Vec<_>>>()?;
        Ok((local, remotes))
    };
    // A tcp pair with the tool to signal in full flow: the local one (`true`)
    // or the first remote; the others keep the flow going.
    let tcp = |local: &str, remote: &str, remotes: usize, signal_local: bool| {
        let (local, mut remotes) = pair(local, remote, remotes)?;
        let (tool, others) = if signal_local {
            (local, remotes)
        } else {
            let remote = remotes.remove(0);
            remotes.push(local);
            (remote, remotes)
        };
        wait_until_busy(&tool)?;
        Result::Ok((tool, others))
    };
    let (tool, _others) = match flow {
        Flow::LocalThr => tcp("local-thr", "remote-thr", 2, true)?,
        Flow::RemoteThr => tcp("local-thr", "remote-thr", 1, false)?,
        Flow::LocalLat => tcp("local-lat", "remote-lat", 1, true)?,
        Flow::RemoteLat => tcp("local-lat", "remote-lat", 1, false)?,
        Flow::InprocThr | Flow::InprocLat => {
            let name = match flow {
                Flow::InprocThr => "inproc-thr",
                _ => "inproc-lat",
            };
            let mut tool = bins.spawn(name, &workload(FLOW_COUNT))?;
            tool.wait_stdout("message size: ", PATIENCE)?;
            wait_until_busy(&tool)?;
            (tool, Vec::new())
        }
    };
    let mut tool = tool;
    signal_while_running(&mut tool, signal)?;
    let stopped = tool.wait_exit(STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&stopped)
}

/// Sends `signal` so that it lands while the process's main thread runs its
/// own code, not while it waits in a system call (a signal there interrupts
/// the call, and a loop that never looks at the flag would still stop). It
/// freezes the process (SIGSTOP), reads what the main thread was doing
/// (`/proc/<pid>/syscall` is `-1 …` outside a system call), and only then
/// queues the signal before letting it go on (SIGCONT); otherwise it lets it
/// go on and tries again. A main thread that is nearly always waiting (the
/// inproc latency tool's, on a loaded machine) may never be caught outside
/// one in [`FREEZES`] tries: the signal is then sent anyway, and the check
/// is only that the tool stops in full flow.
fn signal_while_running(running: &mut Running, signal: i32) -> Result<()> {
    let pid = running.pid();
    for _ in 0..FREEZES {
        running.signal(libc::SIGSTOP)?;
        // A stop takes microseconds: look again at once rather than after a
        // millisecond's sleep (a thousand tries would take seconds).
        let deadline = Instant::now() + PATIENCE;
        while process_state(pid) != Some('T') {
            if Instant::now() >= deadline {
                return Err(Failure::new(format!(
                    "{}: never stopped by SIGSTOP",
                    running.name()
                )));
            }
            std::thread::yield_now();
        }
        let syscall = std::fs::read_to_string(format!("/proc/{pid}/syscall"))
            .map_err(|e| Failure::new(format!("cannot read /proc/{pid}/syscall: {e}")))?;
        let in_own_code = syscall.starts_with("-1 ");
        if in_own_code {
            running.signal(signal)?;
        }
        running.signal(libc::SIGCONT)?;
        if in_own_code {
            return Ok(());
        }
    }
    running.signal(signal)
}

/// How many times [`signal_while_running`] freezes a process to find its
/// main thread outside a system call.
const FREEZES: usize = 1000;

/// The state letter of `/proc/<pid>/stat` (`R`, `S`, `T` for stopped…).
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// Waits until the main thread of `running` sleeps in a system call — blocked
/// in a receive or a send — rather than just between two calls (a signal in
/// that gap finds no call to interrupt: the loop sees it only at its next
/// look at the flag, which a blocked peer never lets come).
fn wait_until_blocked(running: &Running) -> Result<()> {
    let pid = running.pid();
    wait_until(running.name(), "blocked in a system call", || {
        let syscall = std::fs::read_to_string(format!("/proc/{pid}/syscall")).unwrap_or_default();
        let in_a_call = !syscall.starts_with("running") && !syscall.starts_with("-1");
        process_state(pid) == Some('S') && in_a_call
    })
}

/// Waits until `running` has spent [`BUSY_TICKS`] of CPU time.
fn wait_until_busy(running: &Running) -> Result<()> {
    let pid = running.pid();
    wait_until(
        running.name(),
        "a twentieth of a second of CPU time",
        || cpu_ticks(pid).is_some_and(|ticks| ticks >= BUSY_TICKS),
    )
}

/// Clock ticks (hundredths of a second on Linux) of CPU time that only a
/// tool whose loop is running spends.
const BUSY_TICKS: u64 = 5;

/// Checks `condition` every millisecond until it holds; fails after
/// [`PATIENCE`].
fn wait_until(name: &str, what: &str, mut condition: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + PATIENCE;
    while !condition() {
        if Instant::now() >= deadline {
            return Err(Failure::new(format!("{name}: never reached {what}")));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}

/// User plus system CPU time of a process, in clock ticks (`/proc/<pid>/stat`
/// fields 14 and 15, counted after the command name's closing parenthesis).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}

/// `remote-thr` ends by waiting for its queued messages to leave. Its peer
/// here — the harness's own PULL socket, connected but never reading, room
/// for one message — takes a few of its 500 messages of 64 KiB (32 MiB,
/// more than any socket buffer) and the rest wait for ever. Ctrl-C (or
/// SIGTERM) still stops it within a second (the C tool waits for ever).
pub fn remote_thr_stops_with_messages_left_for_a_stalled_peer(
    bins: &Bins,
    signal: i32,
) -> Result<()> {
    let context = zmq::Context::new();
    let stalled = peer_socket(&context, zmq::PULL)?;
    stalled.set_rcvhwm(1).map_err(zmq_failure)?;
    let connection = Monitor::start(&context, &stalled)?;
    stalled.bind(ANY_PORT).map_err(zmq_failure)?;
    let endpoint = stalled
        .get_last_endpoint()
        .map_err(zmq_failure)?
        .map_err(|bytes| Failure::new(format!("endpoint not UTF-8: {bytes:?}")))?;
    let remote = bins.spawn("remote-thr", &[&endpoint, "65536", "500"])?;
    // Connected: it runs its body, with its signal handlers in.
    connection.wait_handshake()?;
    let remote = remote.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&remote)
}

/// The report gives what `local-thr` counted: the harness's own PUSH sends
/// one message more than asked, all of them before `local-thr` reads any
/// (they fit its queues), and the report still says exactly the count asked
/// for — no more, no fewer.
pub fn local_thr_reports_the_messages_it_counted(bins: &Bins) -> Result<()> {
    const ASKED: u64 = 100;
    let mut local = bins.spawn("local-thr", &[ANY_PORT, "64", &ASKED.to_string()])?;
    let endpoint = local.bound_endpoint(PATIENCE)?;
    let context = zmq::Context::new();
    let pusher = peer_socket(&context, zmq::PUSH)?;
    pusher.connect(&endpoint).map_err(zmq_failure)?;
    for _ in 0..=ASKED {
        retrying(|| pusher.send(&[0u8; 64][..], 0))?;
    }
    let local = local.wait_exit(PATIENCE)?.expect_success()?;
    Report::parse(&local.stdout)?
        .throughput(64, ASKED)
        .map(drop)
}

/// `--max-msg-size` is on the listening socket, not only checked against the
/// message size: a peer's message over it gets its connection dropped (a
/// monitor sees it go) instead of ending the run with a wrong-size error,
/// and the run completes with another peer.
pub fn local_tools_apply_their_max_msg_size(bins: &Bins) -> Result<()> {
    for (tool, kind) in [("local-thr", zmq::PUSH), ("local-lat", zmq::REQ)] {
        let mut local = bins.spawn(tool, &[ANY_PORT, "64", "1", "--max-msg-size", "1000"])?;
        let endpoint = local.bound_endpoint(PATIENCE)?;
        let context = zmq::Context::new();
        let greedy = peer_socket(&context, kind)?;
        let connection = Monitor::start(&context, &greedy)?;
        greedy.connect(&endpoint).map_err(zmq_failure)?;
        retrying(|| greedy.send(&[0u8; 2000][..], 0))?;
        connection.wait_dropped()?;
        let honest = peer_socket(&context, kind)?;
        honest.connect(&endpoint).map_err(zmq_failure)?;
        retrying(|| honest.send(&[0u8; 64][..], 0))?;
        if kind == zmq::REQ {
            let echo = retrying(|| honest.recv_bytes(0))?;
            ensure(echo.len() == 64, || {
                format!("{tool} echoed {} bytes", echo.len())
            })?;
        }
        local.wait_exit(PATIENCE)?.expect_success()?;
    }
    Ok(())
}

/// Counts must be positive, every positional argument is needed (usage
/// errors, exit 2), and a local tool refuses a message size over its
/// `--max-msg-size` (exit 1) rather than wait for messages libzmq would drop.
pub fn bad_arguments_are_refused(bins: &Bins) -> Result<()> {
    for (tool, args) in [
        ("local-thr", &[ANY_PORT, "64", "0"][..]),
        ("remote-lat", &["tcp://127.0.0.1:5555", "64"][..]),
        ("inproc-thr", &["sixty-four", "10"][..]),
    ] {
        bins.run(tool, args, PATIENCE)?.expect_code(2)?;
    }
    let over = bins.run(
        "local-lat",
        &[ANY_PORT, "2000", "10", "--max-msg-size", "1000"],
        PATIENCE,
    )?;
    let over = over.expect_code(1)?;
    ensure(
        over.stderr
            .iter()
            .any(|line| line.starts_with("error: message size 2000 is over --max-msg-size 1000")),
        || format!("no limit error on stderr: {:?}", over.stderr),
    )
}

/// Removes the socket file of an `ipc://` endpoint once its pair is done:
/// libzmq 4.3.4 leaves it behind, C tools and Rust ones alike.
fn remove_ipc_file(endpoint: &str) {
    if let Some(path) = endpoint.strip_prefix("ipc://") {
        let _ = std::fs::remove_file(path);
    }
}

/// The workload arguments `<message-size> <count>`.
fn workload(count: u64) -> Vec<String> {
    vec![SIZE.to_string(), count.to_string()]
}

/// Starts `local` bound to `bind`, then `remote` connected to it, both with
/// `count` messages of [`SIZE`] bytes; returns both once they exited.
fn run_pair(
    bins: &Bins,
    local: &str,
    remote: &str,
    bind: &str,
    count: u64,
) -> Result<(Finished, Finished)> {
    let (local, remote) = start_pair(bins, local, remote, bind, count, false)?;
    let remote = remote.wait_exit(PATIENCE)?;
    let local = local.wait_exit(PATIENCE)?;
    Ok((local, remote))
}

fn start_pair(
    bins: &Bins,
    local: &str,
    remote: &str,
    bind: &str,
    count: u64,
    profiled: bool,
) -> Result<(Running, Running)> {
    let mut args = vec![bind.to_string()];
    args.extend(workload(count));
    let spawn = |name: &str, args: &[String]| {
        if profiled {
            bins.spawn_profiled(name, args)
        } else {
            bins.spawn(name, args)
        }
    };
    let mut local = spawn(local, &args)?;
    args[0] = local.bound_endpoint(PATIENCE)?;
    let remote = spawn(remote, &args)?;
    Ok((local, remote))
}

fn run_inproc(bins: &Bins, tool: &str, count: u64) -> Result<Finished> {
    bins.run(tool, &workload(count), PATIENCE)?.expect_success()
}

fn allocations_do_not_grow(bins: &Bins, local: &str, remote: &str) -> Result<()> {
    let mut blocks = Vec::new();
    for count in [100, 1_000] {
        let (local, remote) = start_pair(bins, local, remote, ANY_PORT, count, true)?;
        let remote = profiled_blocks(remote)?;
        blocks.push((profiled_blocks(local)?, remote));
    }
    expect_same_allocations(local, blocks[0].0, blocks[1].0)?;
    expect_same_allocations(remote, blocks[0].1, blocks[1].1)
}

/// Waits for a profiled run to succeed with no heap lost; returns how many
/// blocks it allocated in all.
fn profiled_blocks(running: Running) -> Result<u64> {
    let finished = running.wait_exit(PATIENCE)?.expect_success()?;
    let blocks = finished.heap.as_ref().map(|heap| heap.total.blocks);
    expect_no_heap_lost(finished)?;
    blocks.ok_or_else(|| Failure::new("no heap profile"))
}

fn expect_same_allocations(tool: &str, few: u64, many: u64) -> Result<()> {
    ensure(few == many, || {
        format!("{tool}: {few} blocks allocated for 100 messages, {many} for 1000")
    })
}

/// What a perf tool printed — libzmq's C tools and ours print the same lines
/// (`message size: 64 [B]`, `roundtrip count: 10000`,
/// `average latency: 50.678 [us]`, `message count: 2000000`,
/// `mean throughput: 3912000 [msg/s]`, `mean throughput: 2002.944 [Mb/s]`),
/// in whatever order and among whatever other lines (`bound …`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// `message size: N [B]`.
    pub message_size: Option<u64>,
    /// `roundtrip count: N` (latency tools).
    pub roundtrip_count: Option<u64>,
    /// `message count: N` (throughput tools).
    pub message_count: Option<u64>,
    /// `average latency: X [us]`: one way, in microseconds.
    pub latency_us: Option<f64>,
    /// `mean throughput: N [msg/s]`.
    pub messages_per_second: Option<f64>,
    /// `mean throughput: X [Mb/s]`: megabits of payload per second.
    pub megabits_per_second: Option<f64>,
}

impl Report {
    /// Reads the report lines among `lines`; other lines are skipped. Fails
    /// on a report line whose number does not parse, or that comes twice.
    pub fn parse<S: AsRef<str>>(lines: &[S]) -> Result<Report> {
        let mut report = Report::default();
        for line in lines {
            let line = line.as_ref().trim_end();
            let Some((key, value)) = line.split_once(": ") else {
                continue;
            };
            let field = match (key, value.rsplit_once(' ')) {
                ("message size", Some((n, "[B]"))) => Field::Count(&mut report.message_size, n),
                ("roundtrip count", _) => Field::Count(&mut report.roundtrip_count, value),
                ("message count", _) => Field::Count(&mut report.message_count, value),
                ("average latency", Some((x, "[us]"))) => Field::Figure(&mut report.latency_us, x),
                ("mean throughput", Some((x, "[msg/s]"))) => {
                    Field::Figure(&mut report.messages_per_second, x)
                }
                ("mean throughput", Some((x, "[Mb/s]"))) => {
                    Field::Figure(&mut report.megabits_per_second, x)
                }
                _ => continue,
            };
            field
                .set()
                .map_err(|why| Failure::new(format!("report line {line:?}: {why}")))?;
        }
        Ok(report)
    }

    /// The one-way latency in µs, after checking that the report echoes the
    /// workload (`size` bytes, `roundtrips`) and the figure is positive and
    /// finite.
    pub fn latency(&self, size: u64, roundtrips: u64) -> Result<f64> {
        self.expect_echo("message size", self.message_size, size)?;
        self.expect_echo("roundtrip count", self.roundtrip_count, roundtrips)?;
        self.expect_figure("average latency", self.latency_us)
    }

    /// The throughput in messages per second, after checking that the report
    /// echoes the workload, the figures are positive and finite, and the Mb/s
    /// line agrees with the msg/s line (`msg/s × size × 8 / 10⁶`, to the
    /// rounding of the printed figures).
    pub fn throughput(&self, size: u64, count: u64) -> Result<f64> {
        self.expect_echo("message size", self.message_size, size)?;
        self.expect_echo("message count", self.message_count, count)?;
        let per_second = self.expect_figure("mean throughput [msg/s]", self.messages_per_second)?;
        let megabits = self.expect_figure("mean throughput [Mb/s]", self.megabits_per_second)?;
        let expected = per_second * size as f64 * 8.0 / 1e6;
        // msg/s is printed truncated (up to 1 msg/s off), Mb/s to 3 decimals.
        let slack = size as f64 * 8.0 / 1e6 + 0.0006 + expected * 1e-9;
        ensure((megabits - expected).abs() <= slack, || {
            format!("{megabits} Mb/s does not match {per_second} msg/s of {size} B: {self:?}")
        })?;
        Ok(per_second)
    }

    fn expect_echo(&self, what: &str, got: Option<u64>, expected: u64) -> Result<()> {
        ensure(got == Some(expected), || {
            format!("expected {what} {expected}, the report says {got:?}: {self:?}")
        })
    }

    fn expect_figure(&self, what: &str, figure: Option<f64>) -> Result<f64> {
        match figure {
            Some(x) if x.is_finite() && x > 0.0 => Ok(x),
            _ => Err(Failure::new(format!(
                "{what}: no positive figure in the report: {self:?}"
            ))),
        }
    }
}

/// A report field and the text of its value.
enum Field<'a> {
    Count(&'a mut Option<u64>, &'a str),
    Figure(&'a mut Option<f64>, &'a str),
}

impl Field<'_> {
    fn set(self) -> std::result::Result<(), String> {
        match self {
            Field::Count(slot, text) => fill(slot, text.parse().map_err(|e| format!("{e}"))?),
            Field::Figure(slot, text) => fill(slot, text.parse().map_err(|e| format!("{e}"))?),
        }
    }
}

fn fill<T>(slot: &mut Option<T>, value: T) -> std::result::Result<(), String> {
    if slot.is_some() {
        return Err("printed twice".into());
    }
    *slot = Some(value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What libzmq 4.3.4's `remote_lat` printed on this project's machine.
    const C_REMOTE_LAT: &[&str] = &[
        "message size: 64 [B]",
        "roundtrip count: 10000",
        "average latency: 50.678 [us]",
    ];

    /// What libzmq 4.3.4's `local_thr` printed.
    const C_LOCAL_THR: &[&str] = &[
        "message size: 64 [B]",
        "message count: 2000000",
        "mean throughput: 1555171 [msg/s]",
        "mean throughput: 796.248 [Mb/s]",
    ];

    #[test]
    fn c_latency_report_parses() {
        let report = Report::parse(C_REMOTE_LAT).unwrap();
        assert_eq!(report.latency(64, 10_000).unwrap(), 50.678);
        assert!(report.throughput(64, 10_000).is_err());
    }

    #[test]
    fn c_throughput_report_parses() {
        let report = Report::parse(C_LOCAL_THR).unwrap();
        assert_eq!(report.throughput(64, 2_000_000).unwrap(), 1_555_171.0);
        assert_eq!(report.megabits_per_second, Some(796.248));
        assert!(report.latency(64, 2_000_000).is_err());
    }

    #[test]
    fn c_inproc_report_lines_come_in_two_halves_among_others() {
        // inproc_thr prints the workload before the run, the figures after;
        // ours adds its `bound` line.
        let lines = [
            "bound inproc://thr_test",
            "message size: 1 [B]",
            "message count: 100",
            "mean throughput: 4000000 [msg/s]",
            "mean throughput: 32.000 [Mb/s]",
        ];
        let report = Report::parse(&lines).unwrap();
        assert_eq!(report.throughput(1, 100).unwrap(), 4e6);
    }

    #[test]
    fn workload_that_is_not_echoed_fails() {
        let report = Report::parse(C_REMOTE_LAT).unwrap();
        assert!(report.latency(1, 10_000).is_err());
        assert!(report.latency(64, 10).is_err());
    }

    #[test]
    fn megabits_that_disagree_with_messages_fail() {
        let mut lines = C_LOCAL_THR.to_vec();
        lines[3] = "mean throughput: 900.000 [Mb/s]";
        let report = Report::parse(&lines).unwrap();
        assert!(report.throughput(64, 2_000_000).is_err());
    }

    #[test]
    fn bad_or_repeated_figures_fail() {
        assert!(Report::parse(&["average latency: fast [us]"]).is_err());
        assert!(Report::parse(&["message size: 64 [B]", "message size: 64 [B]"]).is_err());
        let zero = Report::parse(&[
            "message size: 64 [B]",
            "roundtrip count: 1",
            "average latency: 0.000 [us]",
        ])
        .unwrap();
        assert!(zero.latency(64, 1).is_err());
    }
}
