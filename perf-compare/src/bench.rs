//! One measurement: a pair of tools (or one inproc tool) of one
//! implementation, on one transport, at one message size.

use std::fmt;
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use harness::scenarios::perf::{Report, ENDLESS};
use harness::{Bins, Failure, Result, Running};

use crate::affinity;
use crate::tools::{c_name, Tools};

/// Which tools: libzmq's C programs or ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// libzmq's `perf/*.cpp`, compiled here.
    C,
    /// `ch1-hello`'s tools.
    Rust,
}

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Messages per second (`*-thr`).
    Throughput,
    /// One-way latency in µs (`*-lat`).
    Latency,
}

/// How the messages travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Transport {
    /// TCP over loopback, between two processes.
    Tcp,
    /// A Unix domain socket, between two processes.
    Ipc,
    /// Between two threads of one process (`inproc-*`).
    Inproc,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::Tcp => "tcp",
            Transport::Ipc => "ipc",
            Transport::Inproc => "inproc",
        })
    }
}

/// One run's workload.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    /// What to measure.
    pub kind: Kind,
    /// Over which transport.
    pub transport: Transport,
    /// Bytes per message.
    pub size: u64,
    /// Messages (throughput) or round trips (latency).
    pub count: u64,
}

/// How long one run may take before the benchmark gives up on it.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// How long a local tool may take to start listening.
const LISTEN_LIMIT: Duration = Duration::from_secs(20);

/// `--pin`: the CPU of each side of a two-process pair.
#[derive(Debug, Clone)]
pub struct Pinning {
    /// The CPU of the local tool (the one that binds).
    pub local: usize,
    /// The CPU of the remote tool.
    pub remote: usize,
    /// Every CPU the benchmark may use: restored after the spawns.
    pub all: Vec<usize>,
}

impl Pinning {
    /// The first two CPUs this process may use; `None` with fewer.
    pub fn first_two() -> Result<Option<Pinning>> {
        let all = affinity::current()
            .map_err(|e| Failure::new(format!("cannot read the CPU affinity: {e}")))?;
        Ok(match all[..] {
            [local, remote, ..] => Some(Pinning {
                local,
                remote,
                all: all.clone(),
            }),
            _ => None,
        })
    }

    fn pin(&self, cpu: usize) -> Result<()> {
        affinity::set(&[cpu]).map_err(|e| Failure::new(format!("cannot pin to CPU {cpu}: {e}")))
    }

    fn unpin(&self) -> Result<()> {
        affinity::set(&self.all).map_err(|e| Failure::new(format!("cannot unpin: {e}")))
    }
}

/// Spawns `name` on `cpu` when pinning.
fn spawn_on(
    bins: &Bins,
    pinning: Option<&Pinning>,
    cpu: impl Fn(&Pinning) -> usize,
    name: &str,
    args: &[&str],
) -> Result<Running> {
    let Some(pinning) = pinning else {
        return bins.spawn(name, args);
    };
    pinning.pin(cpu(pinning))?;
    let spawned = bins.spawn(name, args);
    pinning.unpin()?;
    spawned
}

/// Runs `workload` with the tools of `side` and returns the figure their
/// report gives: msg/s or µs. With `pinning`, the two processes of a pair run
/// on one CPU each (the inproc tools are never pinned).
pub fn measure(
    tools: &Tools,
    side: Side,
    workload: Workload,
    pinning: Option<&Pinning>,
) -> Result<f64> {
    let (bins, name): (&Bins, fn(&str) -> String) = match side {
        Side::C => (&tools.c, c_name),
        Side::Rust => (&tools.rust, str::to_string),
    };
    let kind = match workload.kind {
        Kind::Throughput => "thr",
        Kind::Latency => "lat",
    };
    let size = workload.size.to_string();
    let count = workload.count.to_string();
    let report_lines = match workload.transport {
        Transport::Inproc => {
            let tool = name(&format!("inproc-{kind}"));
            bins.run(&tool, &[&size, &count], RUN_LIMIT)?
                .expect_success()?
                .stdout
        }
        transport => {
            let endpoint = Endpoint::new(transport)?;
            let address = endpoint.address();
            let local = spawn_on(
                bins,
                pinning,
                |pinning| pinning.local,
                &name(&format!("local-{kind}")),
                &[&address, &size, &count],
            )?;
            let local = endpoint.wait_listening(local)?;
            let remote = name(&format!("remote-{kind}"));
            match workload.kind {
                // The receiving side counts and reports. The sending side is
                // given more than that and stopped once the report is out:
                // libzmq 4.3.4 can drop the tail of an ipc stream when the
                // sender closes while the receiver is behind (see
                // `harness::scenarios::perf::thr_pair_measures_over_ipc`), and
                // so both sides are measured in their steady state, on every
                // transport alike.
                Kind::Throughput => {
                    let _sender = spawn_on(
                        bins,
                        pinning,
                        |pinning| pinning.remote,
                        &remote,
                        &[&address, &size, ENDLESS],
                    )?;
                    local.wait_exit(RUN_LIMIT)?.expect_success()?.stdout
                }
                // The timing side reports; the echo side has nothing left to
                // do (the C one sleeps a second before exiting: it is killed).
                Kind::Latency => {
                    let remote = spawn_on(
                        bins,
                        pinning,
                        |pinning| pinning.remote,
                        &remote,
                        &[&address, &size, &count],
                    )?;
                    let remote = remote.wait_exit(RUN_LIMIT)?.expect_success()?;
                    drop(local);
                    remote.stdout
                }
            }
        }
    };
    let report = Report::parse(&report_lines)?;
    match workload.kind {
        Kind::Throughput => report.throughput(workload.size, workload.count),
        Kind::Latency => report.latency(workload.size, workload.count),
    }
}

/// Where a pair meets: a free loopback port, or a fresh socket file.
enum Endpoint {
    Tcp(u16),
    Ipc(PathBuf),
}

impl Endpoint {
    fn new(transport: Transport) -> Result<Endpoint> {
        match transport {
            Transport::Tcp => {
                // The C tools cannot bind port `*` and say which port they
                // got: ask the OS for a free one and hand it over.
                let listener = TcpListener::bind("127.0.0.1:0")
                    .and_then(|listener| listener.local_addr())
                    .map_err(|e| Failure::new(format!("cannot find a free port: {e}")))?;
                Ok(Endpoint::Tcp(listener.port()))
            }
            _ => Ok(Endpoint::Ipc(harness::process::unique_temp_file(
                "perf-compare",
                "ipc",
            ))),
        }
    }

    fn address(&self) -> String {
        match self {
            Endpoint::Tcp(port) => format!("tcp://127.0.0.1:{port}"),
            Endpoint::Ipc(path) => format!("ipc://{}", path.display()),
        }
    }

    /// Waits until the local tool accepts connections (the C tools print
    /// nothing when they are ready), so the remote one does not start with
    /// ZeroMQ's reconnect delay inside its timing.
    fn wait_listening(&self, mut local: Running) -> Result<Running> {
        let deadline = Instant::now() + LISTEN_LIMIT;
        loop {
            let accepted = match self {
                Endpoint::Tcp(port) => TcpStream::connect(("127.0.0.1", *port)).is_ok(),
                Endpoint::Ipc(path) => UnixStream::connect(path).is_ok(),
            };
            if accepted {
                return Ok(local);
            }
            if local.has_exited() {
                local.wait_exit(RUN_LIMIT)?.expect_success()?;
                return Err(Failure::new("the local tool exited before listening"));
            }
            if Instant::now() > deadline {
                return Err(Failure::new(format!(
                    "{} did not listen on {} within {LISTEN_LIMIT:?}",
                    local.name(),
                    self.address()
                )));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        if let Endpoint::Ipc(path) = self {
            let _ = std::fs::remove_file(path);
        }
    }
}
