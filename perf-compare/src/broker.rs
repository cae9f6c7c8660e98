//! `perf-compare broker`: chapter 4's broker and threaded server under load.
//!
//! Part one: requests per second through three brokers with the same Rust
//! load (`--clients` × `--requests` `rr-client` requests, `--workers`
//! `rr-worker`s): libzmq's own `zmq_proxy` in a small C program
//! (`perf-compare/c/broker_proxy.cpp`, compiled here against the same static
//! libzmq as the Rust programs), `rr-broker`'s poll loop (the default) and
//! `rr-broker --proxy`. Rounds alternate the order; medians and ratios to C.
//!
//! Part two: `mt-server`'s requests per second with 1, 2, 4 and 8 worker
//! threads, at 0 ms and 1 ms of work per request, with `--mt-clients`
//! `hello-client`s at once; `--svg FILE` draws it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use harness::scenarios::ANY_PORT;
use harness::{Bins, Failure, Result, Running};

use crate::tools;

/// Options of `perf-compare broker`.
#[derive(clap::Args, Debug)]
pub struct BrokerArgs {
    /// Rounds; each runs every broker once, the order turning every round.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    rounds: u64,
    /// Clients running at once through each broker.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..))]
    clients: u64,
    /// Workers behind each broker.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    workers: u64,
    /// Requests per client.
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..))]
    requests: u64,
    /// mt-server's worker threads to measure.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 2, 4, 8])]
    threads: Vec<u32>,
    /// mt-server's work per request, in milliseconds.
    #[arg(long, value_delimiter = ',', default_values_t = [0, 1])]
    delays: Vec<u64>,
    /// hello-clients at once against mt-server.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..))]
    mt_clients: u64,
    /// Requests per hello-client at 0 ms of work (a tenth as many per
    /// millisecond of work).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(10..))]
    mt_requests: u64,
    /// Draw mt-server's scaling into this SVG file.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Also write the brokers' medians as the walkthrough's markdown table,
    /// stamped with the run, to this file.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    /// Also write mt-server's medians as the walkthrough's text table,
    /// stamped with the run, to this file.
    #[arg(long, value_name = "FILE")]
    scaling_table: Option<PathBuf>,
}

/// How long one run may take before the benchmark gives up on it.
const RUN_LIMIT: Duration = Duration::from_secs(300);

/// The target of the issue: the Rust broker at least this share of C's.
const BROKER_BAR: f64 = 0.8;

/// The three brokers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Broker {
    /// libzmq's `zmq_proxy`, from C.
    C,
    /// `rr-broker`, its poll loop.
    RustLoop,
    /// `rr-broker --proxy`: libzmq's `zmq_proxy` through the `zmq` crate.
    RustProxy,
}

const BROKERS: [Broker; 3] = [Broker::C, Broker::RustLoop, Broker::RustProxy];

impl Broker {
    fn name(self) -> &'static str {
        match self {
            Broker::C => "C zmq_proxy",
            Broker::RustLoop => "rr-broker (poll loop)",
            Broker::RustProxy => "rr-broker --proxy",
        }
    }
}

/// The programs, built.
struct Programs {
    rust: Bins,
    c: Bins,
}

/// Runs both parts and prints their tables.
pub fn run(args: &BrokerArgs) -> Result<()> {
    let programs = build()?;
    println!("machine:    {}", crate::machine());
    println!(
        "load:       {} rr-clients x {} requests, {} rr-workers; {} rounds",
        args.clients, args.requests, args.workers, args.rounds
    );
    println!();
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); BROKERS.len()];
    for round in 0..args.rounds {
        for turn in 0..BROKERS.len() {
            // Turn the order every round, so a drift in load favours none.
            let index = (turn + round as usize) % BROKERS.len();
            let rate = through_broker(&programs, BROKERS[index], args)?;
            println!(
                "round {}/{} {:<22} {:>9.0} requests/s",
                round + 1,
                args.rounds,
                BROKERS[index].name(),
                rate
            );
            rates[index].push(rate);
        }
    }
    let c = median(&rates[0]);
    println!();
    println!(
        "Medians of {} rounds (requests per second, ratio to C):",
        args.rounds
    );
    for (broker, figures) in BROKERS.iter().zip(&rates) {
        let rate = median(figures);
        println!("  {:<22} {:>9.0}  {:.2}", broker.name(), rate, rate / c);
    }
    let ratio = median(&rates[1]) / c;
    let verdict = if ratio >= BROKER_BAR {
        "met"
    } else {
        "NOT met"
    };
    println!("target: rr-broker / C zmq_proxy {ratio:.2} (bar >= {BROKER_BAR}): {verdict}");
    if let Some(path) = &args.markdown {
        let medians: Vec<(&str, f64)> = BROKERS
            .iter()
            .zip(&rates)
            .map(|(broker, figures)| (broker.name(), median(figures)))
            .collect();
        let what = format!(
            "`cargo run --release -p perf-compare -- broker --rounds {}`: {} rr-clients of {} \
             requests at once, {} rr-workers; medians",
            args.rounds, args.clients, args.requests, args.workers
        );
        crate::figures::write(path, &crate::figures::broker_markdown(&medians, &what))?;
    }
    println!();
    scaling(&programs, args)
}

/// Builds the Rust programs in release and the C broker against their libzmq.
fn build() -> Result<Programs> {
    let compiler = tools::find_compiler()?;
    let built = tools::build_rust_tools(&["ch4-advanced", "ch1-hello"], "rr-broker")?;
    let out_dir = built
        .zmq_out_dir
        .ok_or_else(|| Failure::new("cargo did not report zmq-sys's build (its out dir)"))?;
    let sources = built
        .zeromq_src
        .ok_or_else(|| Failure::new("cargo did not report the zeromq-src crate"))?;
    let c_dir = tools::target_dir().join("perf-compare/c");
    std::fs::create_dir_all(&c_dir)
        .map_err(|e| Failure::new(format!("cannot create {}: {e}", c_dir.display())))?;
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("c/broker_proxy.cpp");
    tools::compile_c_program(
        &compiler.program,
        &source,
        &[&sources.join("vendor/include")],
        &out_dir.join("lib/libzmq.a"),
        &c_dir.join("broker_proxy"),
    )?;
    Ok(Programs {
        rust: Bins::in_dir(built.bins_dir),
        c: Bins::in_dir(c_dir),
    })
}

/// Requests per second through `broker`: workers connected and warmed up,
/// then the clients all at once, timed until the last one exits.
fn through_broker(programs: &Programs, broker: Broker, args: &BrokerArgs) -> Result<f64> {
    let ports = ["--frontend", ANY_PORT, "--backend", ANY_PORT];
    let mut process = match broker {
        Broker::C => programs.c.spawn("broker_proxy", &[ANY_PORT, ANY_PORT])?,
        Broker::RustLoop => programs.rust.spawn("rr-broker", &ports)?,
        Broker::RustProxy => {
            let mut proxied = ports.to_vec();
            proxied.push("--proxy");
            programs.rust.spawn("rr-broker", &proxied)?
        }
    };
    let frontend = process.bound_endpoint(RUN_LIMIT)?;
    let backend = process.bound_endpoint(RUN_LIMIT)?;
    let mut workers = Vec::new();
    for n in 0..args.workers {
        let id = format!("w{n}");
        let mut worker = programs
            .rust
            .spawn("rr-worker", &["--connect", &backend, "--id", &id])?;
        worker.wait_stdout("ready", RUN_LIMIT)?;
        workers.push(worker);
    }
    warm_up(&programs.rust, "rr-client", &frontend)?;
    let count = args.requests.to_string();
    let elapsed = timed_clients(args.clients, || {
        programs
            .rust
            .spawn("rr-client", &["--connect", &frontend, "--count", &count])
    })?;
    drop(workers);
    drop(process);
    Ok((args.clients * args.requests) as f64 / elapsed.as_secs_f64())
}

/// One short client run, so connections are up before the clock starts.
fn warm_up(rust: &Bins, client: &str, endpoint: &str) -> Result<()> {
    rust.run(
        client,
        &["--connect", endpoint, "--count", "100"],
        RUN_LIMIT,
    )?
    .expect_success()
    .map(drop)
}

/// Starts `clients` clients at once and times them until the last exits.
fn timed_clients(clients: u64, spawn: impl Fn() -> Result<Running>) -> Result<Duration> {
    let started = Instant::now();
    let running = (0..clients).map(|_| spawn()).collect::<Result<Vec<_>>>()?;
    for client in running {
        client.wait_exit(RUN_LIMIT)?.expect_success()?;
    }
    Ok(started.elapsed())
}

/// Part two: mt-server's requests per second by worker threads and work.
fn scaling(programs: &Programs, args: &BrokerArgs) -> Result<()> {
    println!(
        "mt-server: {} hello-clients at once; medians of {} rounds (requests per second)",
        args.mt_clients, args.rounds
    );
    let mut series = Vec::new();
    for &delay in &args.delays {
        let requests = (args.mt_requests / (1 + 10 * delay)).max(10);
        let mut points = Vec::new();
        for &threads in &args.threads {
            let mut figures = Vec::new();
            for _ in 0..args.rounds {
                figures.push(mt_server_rate(programs, threads, delay, requests, args)?);
            }
            let rate = median(&figures);
            println!(
                "  {delay} ms of work, {threads} threads, {requests} requests per client: {rate:>9.0}"
            );
            points.push((f64::from(threads), rate));
        }
        series.push((delay, points));
    }
    if let Some(path) = &args.svg {
        crate::chart::scaling_svg(path, &series)?;
        println!("chart: {}", path.display());
    }
    if let Some(path) = &args.scaling_table {
        let what = format!(
            "mt-server, {} hello-clients at once: requests per second, medians of {} rounds",
            args.mt_clients, args.rounds
        );
        crate::figures::write(path, &crate::figures::scaling_text(&series, &what))?;
    }
    Ok(())
}

fn mt_server_rate(
    programs: &Programs,
    threads: u32,
    delay: u64,
    requests: u64,
    args: &BrokerArgs,
) -> Result<f64> {
    let threads = threads.to_string();
    let delay = delay.to_string();
    let mut server = programs.rust.spawn(
        "mt-server",
        &[
            "--bind",
            ANY_PORT,
            "--workers",
            &threads,
            "--delay-ms",
            &delay,
        ],
    )?;
    let endpoint = server.bound_endpoint(RUN_LIMIT)?;
    warm_up(&programs.rust, "hello-client", &endpoint)?;
    let count = requests.to_string();
    let elapsed = timed_clients(args.mt_clients, || {
        programs
            .rust
            .spawn("hello-client", &["--connect", &endpoint, "--count", &count])
    })?;
    drop(server);
    Ok((args.mt_clients * requests) as f64 / elapsed.as_secs_f64())
}

/// The median of `figures` (NaN when there are none).
fn median(figures: &[f64]) -> f64 {
    let mut sorted = figures.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }
}
