//! Context limits: the context settings of the book's chapter 3, "Setting
//! I/O threads and limiting the number of sockets".
//!
//! - No endpoint: sets `ZMQ_IO_THREADS` to 8 (`--io-threads`) and `ZMQ_MAX_SOCKETS`
//!   to 512 (`--max-sockets`), then opens sockets until the context refuses one.
//! - Prints the settings as the context reports them, the threads it started,
//!   `opened <n> sockets; the next one failed: <error>` and which limit refused
//!   it. The refusal is the expected outcome: exit 0.
//!
//! Without a limit a program that opens a socket per request can be pushed
//! into using every file descriptor of the process; with one, the context
//! says no at a number the program chose.

use std::process::ExitCode;

use ch3_poll_multipart_czmq::context_limits::{
    run, Experiment, Refusal, IO_THREADS_LIMIT, MAX_SOCKETS_LIMIT, PEERS_LIMIT,
};
use clap::Parser;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| experiment(&args))
}

fn experiment(args: &Args) -> lab::Result<()> {
    // ANCHOR: experiment
    let experiment = Experiment {
        io_threads: args.io_threads,
        max_sockets: (!args.libzmq_default).then_some(args.max_sockets),
        set_after_first_socket: args.set_after_first_socket,
        peers: args.peers,
    };
    let refusal = run(&experiment, lab::interrupted)
        .map_err(|failed| lab::Error::failed(format!("{}: {}", failed.what, failed.error)))?
        .ok_or(lab::Error::Interrupted)?;
    report(&refusal);
    // ANCHOR_END: experiment
    Ok(())
}

fn report(refusal: &Refusal) {
    let (started, reported) = (refusal.started_with, refusal.reported);
    println!("ZMQ_IO_THREADS: {}", started.io_threads);
    println!("ZMQ_MAX_SOCKETS: {}", started.max_sockets);
    if let Some(threads) = refusal.background_threads {
        println!(
            "background threads started: {threads} ({} I/O and the reaper)",
            started.io_threads
        );
    }
    if reported != started {
        println!(
            "set after the first socket: the context reports ZMQ_IO_THREADS {} and \
             ZMQ_MAX_SOCKETS {},",
            reported.io_threads, reported.max_sockets
        );
        println!(
            "  and keeps the {} and {} it started with",
            started.io_threads, started.max_sockets
        );
    }
    if refusal.peers > 0 {
        println!(
            "one bound socket holds {} connections from peers, each heard before and after \
             the refusal:",
            refusal.peers
        );
        println!("  connections are not sockets of the context");
    }
    println!(
        "opened {} sockets; the next one failed: {}",
        refusal.opened, refusal.error
    );
    if refusal.by_context() {
        println!(
            "refused by the context's limit (ZMQ_MAX_SOCKETS {})",
            started.max_sockets
        );
    } else {
        println!(
            "refused by the operating system before the context's limit (ZMQ_MAX_SOCKETS {}): \
             each socket holds file descriptors; see `ulimit -n`",
            started.max_sockets
        );
    }
}

/// Sets a context's I/O threads and socket limit, then opens sockets until it
/// refuses one: the book's chapter 3, "Setting I/O threads and limiting the
/// number of sockets".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// I/O threads of the context (`ZMQ_IO_THREADS`; the book sets 8).
    #[arg(long, default_value_t = 8,
          value_parser = clap::value_parser!(i32).range(0..=i64::from(IO_THREADS_LIMIT)))]
    io_threads: i32,
    /// Most sockets the context may open (`ZMQ_MAX_SOCKETS`; the book sets 512).
    #[arg(long, default_value_t = 512,
          value_parser = clap::value_parser!(i32).range(1..=i64::from(MAX_SOCKETS_LIMIT)))]
    max_sockets: i32,
    /// Leave `ZMQ_MAX_SOCKETS` unset, to see libzmq's own default (1023).
    #[arg(long, conflicts_with = "max_sockets")]
    libzmq_default: bool,
    /// Set both options only after the first socket: they are accepted, and
    /// ignored (the context started with libzmq's defaults).
    #[arg(long)]
    set_after_first_socket: bool,
    /// First bind one socket and let this many peers (another context's
    /// sockets) connect to it: connections are not sockets, and the limit
    /// does not count them.
    #[arg(long, default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(PEERS_LIMIT)))]
    peers: u32,
}
