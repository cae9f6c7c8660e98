//! Chapter 3's core programs in every state they block in: SIGINT and
//! SIGTERM stop each within a second, exit 0, and under heap profiling
//! nothing they allocated is lost — after a bounded run or a signal.

use crate::scenarios::ch1::{expect_interrupted, expect_no_heap_lost};
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::{serve_profiled, unique_ipc_endpoint, ANY_PORT, STOP_WITHIN};
use crate::{Bins, Result, Running, PATIENCE};

use super::poll::STARTING;

/// The harness's own sockets that some blocked programs need as peers; they
/// must live until the programs are stopped.
pub(super) struct Peers {
    _context: zmq::Context,
    _sockets: Vec<zmq::Socket>,
}

/// Each blocking state of each program, with the program started and waited
/// into that state (the line it prints just before it blocks).
pub(super) fn blocked_programs(bins: &Bins, profiled: bool) -> Result<(Vec<Running>, Peers)> {
    let nobody = unique_ipc_endpoint("nobody");
    let spawn = |name: &str, args: &[&str]| {
        if profiled {
            bins.spawn_profiled(name, args)
        } else {
            bins.spawn(name, args)
        }
    };
    let context = zmq::Context::new();
    let mut sockets = Vec::new();
    let mut started = Vec::new();

    // Polling two sockets with nothing to read.
    let mut poller = spawn("poller", &["--ventilator", &nobody, "--publisher", &nobody])?;
    poller.wait_stdout(STARTING, PATIENCE)?;
    started.push(poller);
    // Polling three.
    let mut multi = spawn(
        "multi-poller",
        &[
            "--connect",
            &nobody,
            "--connect",
            &nobody,
            "--connect",
            &nobody,
        ],
    )?;
    multi.wait_stdout(STARTING, PATIENCE)?;
    started.push(multi);
    // Sending, with no puller to take the message.
    let mut pusher = spawn("pusher", &["--bind", ANY_PORT])?;
    pusher.bound_endpoint(PATIENCE)?;
    started.push(pusher);
    // Sleeping between two messages, its first one taken.
    let (puller, endpoint) = bound_socket(&context, zmq::PULL)?;
    let mut sleeping = spawn(
        "pusher",
        &["--connect", &endpoint, "--interval-ms", "60000"],
    )?;
    sleeping.wait_stdout("Sent: pusher 0", PATIENCE)?;
    sockets.push(puller);
    started.push(sleeping);
    // Waiting for a request.
    let mut server = spawn("multipart-server", &["--bind", ANY_PORT])?;
    server.wait_stdout("Starting...", PATIENCE)?;
    started.push(server);
    // Working (its --delay-ms) on a request.
    let mut working = spawn(
        "multipart-server",
        &["--bind", ANY_PORT, "--delay-ms", "60000"],
    )?;
    let endpoint = working.bound_endpoint(PATIENCE)?;
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| requester.send("hello", 0))?;
    working.wait_stdout("Received: hello", PATIENCE)?;
    sockets.push(requester);
    started.push(working);
    // Stuck after a reply that never ends.
    let mut stuck = spawn(
        "multipart-server",
        &["--bind", ANY_PORT, "--delay-ms", "0", "--broken-last-frame"],
    )?;
    let endpoint = stuck.bound_endpoint(PATIENCE)?;
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| requester.send("hello", 0))?;
    stuck.wait_stdout("the reply never ends", PATIENCE)?;
    sockets.push(requester);
    started.push(stuck);
    // Waiting for a reply that will not come.
    let mut client = spawn("multipart-client", &["--connect", &nobody])?;
    client.wait_stdout("Client starting...", PATIENCE)?;
    started.push(client);
    // The interrupt pair: the server waiting for a request, the client for a
    // reply, and a client sleeping between requests.
    let mut server = spawn("interrupt-server", &["--bind", ANY_PORT])?;
    let endpoint = server.bound_endpoint(PATIENCE)?;
    started.push(server);
    let mut client = spawn("interrupt-client", &["--connect", &nobody])?;
    client.wait_stdout("Starting client...", PATIENCE)?;
    started.push(client);
    let mut sleeper = spawn(
        "interrupt-client",
        &["--connect", &endpoint, "--interval-ms", "60000"],
    )?;
    sleeper.wait_stdout("Received: world", PATIENCE)?;
    started.push(sleeper);
    Ok((
        started,
        Peers {
            _context: context,
            _sockets: sockets,
        },
    ))
}

/// SIGINT (or SIGTERM) stops every core program of the chapter in every
/// state it blocks in — polling, sending, sleeping, receiving, stuck mid-reply
/// — printing `interrupted`, exit 0, within a second.
pub fn programs_stop_in_every_blocking_state(bins: &Bins, signal: i32) -> Result<()> {
    let (programs, _peers) = blocked_programs(bins, false)?;
    // The sleeping interrupt-client's server must outlive it: stop in reverse.
    for program in programs.into_iter().rev() {
        let stopped = program.stop_with(signal, STOP_WITHIN)?.expect_success()?;
        expect_interrupted(&stopped)?;
    }
    Ok(())
}

/// Under heap profiling, SIGINT in every blocking state loses nothing.
pub fn no_heap_lost_after_sigint(bins: &Bins) -> Result<()> {
    let (mut programs, _peers) = blocked_programs(bins, true)?;
    // All at once: writing a profile takes a while.
    for program in &mut programs {
        program.interrupt()?;
    }
    for program in programs {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_success()?)?;
    }
    Ok(())
}

/// Under heap profiling, a bounded run of each program loses nothing.
pub fn no_heap_lost_after_bounded_runs(bins: &Bins) -> Result<()> {
    let mut finished = Vec::new();
    finished.push(bins.spawn_profiled(
        "context-limits",
        &["--max-sockets", "3", "--io-threads", "1"],
    )?);
    // Pollers fed by pushers.
    let (pusher, tasks) = serve_profiled_pusher(bins, "t")?;
    let (second, more) = serve_profiled_pusher(bins, "u")?;
    let context = zmq::Context::new();
    let (updates, publisher) = bound_socket(&context, zmq::XPUB)?;
    let poller = bins.spawn_profiled(
        "poller",
        &[
            "--ventilator",
            &tasks,
            "--publisher",
            &publisher,
            "--count",
            "3",
        ],
    )?;
    retrying(|| updates.recv_bytes(0))?;
    retrying(|| updates.send("Company1 1", 0))?;
    let multi = bins.spawn_profiled("multi-poller", &["--connect", &more, "--count", "2"])?;
    finished.extend([pusher, second, poller, multi]);
    // The multipart pair and the interrupt pair.
    let (server, endpoint) = serve_profiled(
        bins,
        "multipart-server",
        &["--count", "1", "--delay-ms", "0"],
    )?;
    let client = bins.spawn_profiled("multipart-client", &["--connect", &endpoint])?;
    finished.extend([client, server]);
    let (server, endpoint) = serve_profiled(bins, "interrupt-server", &["--count", "2", "--echo"])?;
    let client = bins.spawn_profiled(
        "interrupt-client",
        &["--connect", &endpoint, "--count", "2", "--interval-ms", "0"],
    )?;
    finished.extend([client, server]);
    for program in finished {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_success()?)?;
    }
    Ok(())
}

/// A profiled pusher, bound, sending two messages labelled `label`.
fn serve_profiled_pusher(bins: &Bins, label: &str) -> Result<(Running, String)> {
    serve_profiled(
        bins,
        "pusher",
        &["--label", label, "--count", "2", "--interval-ms", "0"],
    )
}
