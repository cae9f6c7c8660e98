//! `perf-compare`: are the Rust performance tools as fast as libzmq's own?
//!
//! Builds the Rust tools (`cargo build --release`) and libzmq's C perf
//! programs (with `g++`, from the sources in the `zeromq-src` crate, linked to
//! the same static libzmq 4.3.4 as the Rust tools), then runs C and Rust pairs
//! alternately — several rounds, the order flipped every round — over tcp, ipc
//! and inproc at 1 B, 64 B and 1 KiB, and prints the medians and the Rust/C
//! ratios. Run it with:
//!
//! ```sh
//! cargo run --release -p perf-compare
//! ```
//!
//! It is a benchmark, not a test: `cargo test` never runs it. Runs on a
//! shared machine are noisy; only the ratios of medians of one run mean much.
//!
//! `cargo run --release -p perf-compare -- broker` measures chapter 4
//! instead: requests per second through `rr-broker` against libzmq's own
//! `zmq_proxy`, and `mt-server`'s scaling with its worker threads (see
//! [`broker`]).

mod affinity;
mod bench;
mod broker;
mod chart;
mod figures;
mod table;
mod tools;

use std::process::ExitCode;

use clap::Parser;
use harness::{Failure, Result};

use bench::{Kind, Pinning, Side, Transport, Workload};
use table::Row;

/// Runs libzmq's C perf tools and the Rust ones side by side and prints the
/// Rust/C ratios of throughput and latency (the book's chapter 1,
/// "Performance").
#[derive(Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Args {
    /// Another benchmark instead of the perf tools' comparison.
    #[command(subcommand)]
    mode: Option<Mode>,
    /// Rounds; each runs every C and Rust pair once, in alternating order.
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u64).range(1..))]
    rounds: u64,
    /// Message sizes in bytes.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 64, 1024])]
    sizes: Vec<u64>,
    /// Transports.
    #[arg(long, value_delimiter = ',', default_values_t = [Transport::Tcp, Transport::Ipc, Transport::Inproc])]
    transports: Vec<Transport>,
    /// Messages per throughput run, for messages up to 256 B; larger ones
    /// stream as many bytes (1 KiB: a quarter of the messages).
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    messages: u64,
    /// Round trips per latency run.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..))]
    roundtrips: u64,
    /// Run the two processes of a tcp or ipc pair on one CPU each (the first
    /// two this process may use): much less noise, a different picture (each
    /// tool shares its CPU with its own libzmq I/O thread).
    #[arg(long)]
    pin: bool,
    /// Also write the medians as the walkthrough's markdown table, stamped
    /// with the run, to this file.
    #[arg(long, value_name = "FILE")]
    markdown: Option<std::path::PathBuf>,
}

/// The other benchmarks.
#[derive(clap::Subcommand)]
enum Mode {
    /// Chapter 4: requests per second through rr-broker and libzmq's C
    /// zmq_proxy, side by side, and mt-server's scaling with its threads.
    Broker(broker::BrokerArgs),
}

/// Messages per throughput run at `size` bytes: `messages`, or as many bytes
/// as `messages` of 256 B for larger sizes, so that no size takes much longer.
fn stream_length(messages: u64, size: u64) -> u64 {
    if size <= 256 {
        messages
    } else {
        (messages * 256 / size).max(1)
    }
}

/// The issue's bar, at 64 B over tcp: Rust throughput at least this share of
/// C's…
const THROUGHPUT_BAR: f64 = 0.95;
/// …and Rust latency at most this multiple of C's.
const LATENCY_BAR: f64 = 1.05;

fn main() -> ExitCode {
    let args = Args::parse();
    let outcome = match &args.mode {
        Some(Mode::Broker(broker)) => broker::run(broker),
        None => compare(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::FAILURE
        }
    }
}

fn compare(args: &Args) -> Result<()> {
    let pinning = if args.pin {
        let pinning =
            Pinning::first_two()?.ok_or_else(|| Failure::new("--pin needs at least two CPUs"))?;
        Some(pinning)
    } else {
        None
    };
    let tools = tools::build()?;
    println!("machine:    {}", machine());
    println!("libzmq:     {}", tools.libzmq.display());
    println!(
        "C tools:    {} -O3, in {}",
        tools.compiler,
        tools.c.dir().display()
    );
    println!(
        "Rust tools: cargo --release, in {}",
        tools.rust.dir().display()
    );
    println!(
        "workload:   {} messages per throughput run (fewer above 256 B), {} round trips per latency run, {} rounds",
        args.messages, args.roundtrips, args.rounds
    );
    match &pinning {
        Some(pinning) => println!(
            "pinning:    local tool on CPU {}, remote tool on CPU {} (inproc tools unpinned)",
            pinning.local, pinning.remote
        ),
        None => println!("pinning:    none (the scheduler places every thread)"),
    }
    println!();
    let mut rows: Vec<Row> = args
        .transports
        .iter()
        .flat_map(|&transport| {
            args.sizes
                .iter()
                .map(move |&size| Row::new(transport, size))
        })
        .collect();
    for round in 0..args.rounds {
        // Alternate which side goes first, so a drift in the machine's load
        // does not favour one.
        let sides = if round % 2 == 0 {
            [Side::C, Side::Rust]
        } else {
            [Side::Rust, Side::C]
        };
        for row in &mut rows {
            for (kind, count) in [
                (Kind::Throughput, stream_length(args.messages, row.size)),
                (Kind::Latency, args.roundtrips),
            ] {
                let workload = Workload {
                    kind,
                    transport: row.transport,
                    size: row.size,
                    count,
                };
                for side in sides {
                    let figure = bench::measure(&tools, side, workload, pinning.as_ref())?;
                    row.figures(side, kind).push(figure);
                }
            }
            print_progress(round + 1, args.rounds, row);
        }
    }
    println!();
    println!(
        "Medians of {} rounds; Rust/C: throughput above 1 and latency below 1 favour Rust.",
        args.rounds
    );
    println!();
    print!("{}", table::render(&rows));
    if let Some(path) = &args.markdown {
        let what = format!(
            "`cargo run --release -p perf-compare{}`: medians of {} rounds, {} messages per \
             throughput run (fewer above 256 B), {} round trips per latency run",
            if args.pin { " -- --pin" } else { "" },
            args.rounds,
            figures::grouped(args.messages as f64),
            figures::grouped(args.roundtrips as f64)
        );
        figures::write(path, &figures::compare_markdown(&rows, &what))?;
    }
    if let Some(reference) = rows
        .iter()
        .find(|row| row.transport == Transport::Tcp && row.size == 64)
    {
        println!();
        print!("{}", table::render_rounds(reference));
        println!();
        print_verdict(reference);
    }
    Ok(())
}

fn print_progress(round: u64, rounds: u64, row: &Row) {
    let last = |figures: &[f64]| figures.last().copied().unwrap_or(f64::NAN);
    println!(
        "round {round}/{rounds} {:<6} {:>5} B: C {:>9.0} msg/s {:>8.2} us | Rust {:>9.0} msg/s {:>8.2} us",
        row.transport.to_string(),
        row.size,
        last(&row.c_throughput),
        last(&row.c_latency),
        last(&row.rust_throughput),
        last(&row.rust_latency),
    );
}

fn print_verdict(row: &Row) {
    let verdict = |met: bool| if met { "met" } else { "NOT met" };
    if let (Some(throughput), Some(latency)) = (row.throughput_ratio(), row.latency_ratio()) {
        println!(
            "target at 64 B over tcp: throughput Rust/C {throughput:.3} (bar >= {THROUGHPUT_BAR}): {}; \
             latency Rust/C {latency:.3} (bar <= {LATENCY_BAR}): {}",
            verdict(throughput >= THROUGHPUT_BAR),
            verdict(latency <= LATENCY_BAR)
        );
    }
}

/// `2 CPUs, AMD EPYC` — what the figures were measured on.
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpus} CPUs, {model}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn larger_messages_stream_as_many_bytes() {
        assert_eq!(stream_length(1_000_000, 64), 1_000_000);
        assert_eq!(stream_length(1_000_000, 256), 1_000_000);
        assert_eq!(stream_length(1_000_000, 1024), 250_000);
        assert_eq!(stream_length(1, 1 << 20), 1);
    }
}
