//! Heartbeat server (chapter 4, "Reliability": heartbeating).
//!
//! - ROUTER socket, binds `tcp://*:4040` (`--bind`); answers each worker's
//!   `HEARTBEAT` with one of its own.
//! - Prints `worker <id> joined` at a first beat, `worker <id> expired` after
//!   `--liveness` (3) missed beats of `--interval-ms` (1000).
//!
//! Unlike request-reply, nobody waits for anybody: beats flow both ways on
//! their own schedule, and silence is the only sign of death. The server is
//! chapter 3's reactor with one socket and one timer.
//!
//! Book errata (ch4-heartbeat-not-shown): no code in the book; written from its prose.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use ch3_poll_multipart_czmq::reactor::Reactor;
use ch4_advanced::reliability::heartbeat::{show_id, silence_allowed, Peers, HEARTBEAT};
use clap::Parser;
use lab::{Context, Frames};

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| watch(&args))
}

fn watch(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to hear workers on; each worker's messages arrive behind its
    // routing id.
    let router = context
        .socket(zmq::ROUTER)
        .context("cannot create socket")?;
    // A worker that reconnects with the same id takes its old place.
    router
        .set_router_handover(true)
        .context("cannot set ZMQ_ROUTER_HANDOVER")?;
    args.limit.apply(&router)?;
    lab::bind(&router, &args.bind)?;

    // ANCHOR: loop
    let interval = Duration::from_millis(args.interval_ms);
    let mut workers = Peers::new(silence_allowed(interval, args.liveness));
    let mut reactor = Reactor::new();
    // Each beat: record it, and beat back.
    reactor.on_readable(&router, |workers: &mut Peers, router, _| {
        let message = lab::recv_message(router)?;
        answer(router, workers, message)
    });
    // Every interval: the workers silent for `--liveness` beats are dead.
    reactor.every(interval, |workers: &mut Peers, _| {
        for id in workers.expire(Instant::now()) {
            println!("worker {} expired", show_id(&id));
        }
        Ok(())
    });
    reactor.run(&mut workers)
    // ANCHOR_END: loop
}

/// Records a worker's beat and beats back; reports anything else.
fn answer(router: &zmq::Socket, workers: &mut Peers, mut message: Frames) -> lab::Result<()> {
    let Some(id) = message.pop_front() else {
        return Ok(());
    };
    if message.single() != Ok(HEARTBEAT) {
        eprintln!(
            "error: bad message from worker {}: {message}: expected HEARTBEAT",
            show_id(&id)
        );
        return Ok(());
    }
    if workers.heard(&id, Instant::now()) {
        println!("worker {} joined", show_id(&id));
    }
    let reply: Frames = [&id[..], HEARTBEAT].into_iter().collect();
    lab::send_message(router, &reply)
}

/// Watches workers' heartbeats, answers them, and reports workers that join
/// and expire: the book's chapter 4, "Reliability" (heartbeating).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the ROUTER socket to.
    #[arg(long, default_value = "tcp://*:4040")]
    bind: String,
    /// How often workers beat, in milliseconds.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    interval_ms: u64,
    /// Beats a worker may miss in a row before it is declared dead.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    liveness: u32,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
