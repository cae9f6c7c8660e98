//! Lab starter `mt-server-relay` (`harness lab start mt-server-relay DIR`):
//! the multithreaded server of the book's chapter 4 ("Writing multithreaded
//! applications with ZeroMQ"), ported as printed — it builds, binds and
//! starts its workers, and `harness lab check` shows what its clients get.
//!
//! - ROUTER socket, binds `tcp://*:4040` (`--bind`), for chapter 1's `hello-client`.
//! - DEALER socket, binds `inproc://workers`; the main thread relays between the two.
//! - 5 worker threads (`--workers`), a REP each on `inproc://workers`: print
//!   `Received: <request>`, work 10 ms (`--delay-ms`), reply `world`.
//!
//! Threads share the context, never a socket: each worker creates its own,
//! and they talk to the main thread over `inproc`, a transport that copies
//! messages between threads without touching the network.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lab::discard_pending_if_interrupted;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| serve(&args))
}

fn serve(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket facing clients.
    let clients = context
        .socket(zmq::ROUTER)
        .context("cannot create socket")?;
    args.limit.apply(&clients)?;
    lab::bind(&clients, &args.bind)?;
    // Socket facing the worker threads.
    let workers = context
        .socket(zmq::DEALER)
        .context("cannot create socket")?;
    lab::bind(&workers, WORKERS)?;

    let delay = Duration::from_millis(args.delay_ms);
    // How the main thread will tell each worker to stop.
    let stops = (1..=args.workers)
        .map(|n| stop_socket(&context, n))
        .collect::<lab::Result<Vec<_>>>()?;
    let outcome = std::thread::scope(|scope| {
        let mut pool = Vec::new();
        for (n, stop) in (1..=args.workers).zip(stops) {
            let context = context.clone();
            pool.push((stop, scope.spawn(move || worker(&context, n, delay))));
        }
        // The listing's `zclock_sleep(10)`, then the end: `--count` is never
        // reached.
        let _ = args.count;
        let served = lab::sleep(Duration::from_millis(10));
        stop_and_join(pool, served)
    });
    discard_pending_if_interrupted(outcome, &[&clients, &workers])
}

/// A worker thread: its own REP socket on `inproc://workers`, one request at
/// a time, until told to stop (or Ctrl-C).
fn worker(context: &zmq::Context, n: u32, delay: Duration) -> lab::Result<()> {
    let receiver = context.socket(zmq::REP).context("cannot create socket")?;
    lab::connect(&receiver, WORKERS)?;
    let stop = context.socket(zmq::PAIR).context("cannot create socket")?;
    stop.bind(&stop_endpoint(n))
        .context("cannot bind the stop socket")?;
    let mut poller = lab::Poller::new();
    let requests = poller.add(&receiver, zmq::POLLIN);
    let stopped = poller.add(&stop, zmq::POLLIN);
    loop {
        poller.poll(None)?;
        if poller.is_readable(stopped) {
            return Ok(());
        }
        if poller.is_readable(requests) {
            let request = lab::recv_message(&receiver)?;
            match request.single() {
                Ok(text) => println!("Received: {}", String::from_utf8_lossy(text)),
                Err(bad) => eprintln!("error: bad request {request}: {bad}"),
            }
            lab::sleep(delay)?;
            lab::send(&receiver, "world", 0)?;
        }
    }
}

/// The main thread's end of worker `n`'s stop line. It connects before the
/// worker binds (inproc allows it), so the word `STOP` can be queued at any
/// time and never waits.
fn stop_socket(context: &zmq::Context, n: u32) -> lab::Result<zmq::Socket> {
    let stop = context.socket(zmq::PAIR).context("cannot create socket")?;
    stop.set_linger(0).context("cannot set ZMQ_LINGER")?;
    lab::connect(&stop, &stop_endpoint(n))?;
    Ok(stop)
}

fn stop_endpoint(n: u32) -> String {
    format!("inproc://stop-{n}")
}

/// Tells every worker to stop, waits for each, and returns the first thing
/// that went wrong: the relay's outcome first, then the workers'.
fn stop_and_join(
    pool: Vec<(
        zmq::Socket,
        std::thread::ScopedJoinHandle<'_, lab::Result<()>>,
    )>,
    served: lab::Result<()>,
) -> lab::Result<()> {
    let mut outcome = served;
    for (stop, _) in &pool {
        let told = stop.send("STOP", zmq::DONTWAIT);
        if outcome.is_ok() {
            outcome = told.context("cannot tell a worker to stop");
        }
    }
    for (_, thread) in pool {
        let ended = thread
            .join()
            .unwrap_or_else(|_| Err(lab::Error::failed("a worker thread panicked")));
        if outcome.is_ok() {
            outcome = ended;
        }
    }
    outcome
}

/// Where the workers connect, inside the process.
const WORKERS: &str = "inproc://workers";

/// Serves hello requests with a pool of worker threads: the multithreaded
/// server of the book's chapter 4, "Writing multithreaded applications with
/// ZeroMQ".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the clients' ROUTER socket to.
    #[arg(long, default_value = "tcp://*:4040")]
    bind: String,
    /// Worker threads, 1 to 256 (each takes three of the 1023 sockets a
    /// context allows).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=256))]
    workers: u32,
    /// Pretend work per request, in milliseconds (the book's `zclock_sleep(10)`).
    #[arg(long, default_value_t = 10)]
    delay_ms: u64,
    /// Requests to serve before exiting (0 = serve for ever).
    #[arg(long, default_value_t = 0)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
