//! Link watch (chapter 4, "Reliability": heartbeating done by libzmq; not in the
//! book).
//!
//! - DEALER socket, connects to `tcp://localhost:4040` (`--connect`); sends nothing.
//! - Prints the monitor's `connected` / `disconnected`, until interrupted or
//!   `--count` disconnections.
//! - `--heartbeat-ivl-ms`: ZMTP heartbeats; `--tcp-keepalive-idle-s`: TCP keepalive.
//!
//! Either check notices a peer that went silent without closing anything (a
//! partition, a frozen host), which a plain connection never does; neither
//! tells the application unless it watches, as this does.

use std::process::ExitCode;

use ch3_poll_multipart_czmq::reactor::Reactor;
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| watch(&args))
}

fn watch(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    let dealer = context
        .socket(zmq::DEALER)
        .context("cannot create socket")?;
    dealer.set_linger(0).context("cannot set ZMQ_LINGER")?;
    args.limit.apply(&dealer)?;
    apply_checks(&dealer, args)?;
    // ANCHOR: monitor
    // The monitor: libzmq's I/O thread sends an event per change of the
    // connection to a PAIR socket of our own.
    let wanted =
        zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32 | zmq::SocketEvent::DISCONNECTED as i32;
    dealer
        .monitor(MONITOR, wanted)
        .context("cannot monitor the socket")?;
    let events = context.socket(zmq::PAIR).context("cannot create socket")?;
    events
        .connect(MONITOR)
        .context("cannot connect to the monitor")?;
    // ANCHOR_END: monitor
    lab::connect(&dealer, &args.connect)?;
    println!("watching {}", args.connect);
    let mut disconnections = 0;
    let mut reactor = Reactor::new();
    reactor.on_readable(&events, |disconnections: &mut u64, events, control| {
        let event = lab::recv_message(events)?;
        match event.get(0) {
            // An event is its number (16 bits) and a value (32 bits), then
            // the peer's address in a second frame.
            Some([low, high, ..]) => {
                let number = u16::from_le_bytes([*low, *high]);
                if number == zmq::SocketEvent::HANDSHAKE_SUCCEEDED as u16 {
                    println!("connected");
                } else if number == zmq::SocketEvent::DISCONNECTED as u16 {
                    println!("disconnected");
                    *disconnections += 1;
                    if *disconnections == args.count {
                        control.stop();
                    }
                }
            }
            _ => eprintln!("error: bad monitor event {event}"),
        }
        Ok(())
    });
    reactor.on_readable(&dealer, |_, dealer, _| {
        let message = lab::recv_message(dealer)?;
        eprintln!("error: unexpected message from the peer: {message}");
        Ok(())
    });
    let outcome = reactor.run(&mut disconnections);
    drop(reactor);
    // A monitor whose reader is gone would block libzmq's I/O thread on its
    // next event: replace it by one that watches nothing before closing.
    dealer
        .monitor(MONITOR_OFF, 0)
        .context("cannot stop the monitor")?;
    outcome
}

/// Turns on the checks the options ask for: ZMTP heartbeats, TCP keepalive.
fn apply_checks(dealer: &zmq::Socket, args: &Args) -> lab::Result<()> {
    // ANCHOR: checks
    if args.heartbeat_ivl_ms > 0 {
        let timeout = args.heartbeat_timeout_ms.unwrap_or(args.heartbeat_ivl_ms);
        dealer
            .set_heartbeat_ivl(args.heartbeat_ivl_ms)
            .context("cannot set ZMQ_HEARTBEAT_IVL")?;
        dealer
            .set_heartbeat_timeout(timeout)
            .context("cannot set ZMQ_HEARTBEAT_TIMEOUT")?;
        dealer
            .set_heartbeat_ttl(args.heartbeat_ttl_ms)
            .context("cannot set ZMQ_HEARTBEAT_TTL")?;
    }
    if args.tcp_keepalive_idle_s > 0 {
        dealer
            .set_tcp_keepalive(1)
            .context("cannot set ZMQ_TCP_KEEPALIVE")?;
        dealer
            .set_tcp_keepalive_idle(args.tcp_keepalive_idle_s)
            .context("cannot set ZMQ_TCP_KEEPALIVE_IDLE")?;
        dealer
            .set_tcp_keepalive_intvl(args.tcp_keepalive_intvl_s)
            .context("cannot set ZMQ_TCP_KEEPALIVE_INTVL")?;
        dealer
            .set_tcp_keepalive_cnt(args.tcp_keepalive_cnt)
            .context("cannot set ZMQ_TCP_KEEPALIVE_CNT")?;
    }
    // ANCHOR_END: checks
    Ok(())
}

/// Where the monitor sends its events.
const MONITOR: &str = "inproc://link-watch-events";
/// The monitor that replaces it at the end, with no events.
const MONITOR_OFF: &str = "inproc://link-watch-off";

/// Watches a connection the way libzmq sees it, optionally with ZMTP
/// heartbeats or TCP keepalive: the library's side of the book's chapter 4,
/// "Reliability" (heartbeating).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to connect the DEALER socket to.
    #[arg(long, default_value = "tcp://localhost:4040")]
    connect: String,
    /// Disconnections to report before exiting (0 = for ever).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// ZMTP heartbeat: send a PING this often, in milliseconds (0 = none,
    /// libzmq's default).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..))]
    heartbeat_ivl_ms: i32,
    /// ZMTP heartbeat: drop the connection when nothing arrives this long
    /// after a PING, in milliseconds (default: the interval).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..))]
    heartbeat_timeout_ms: Option<i32>,
    /// ZMTP heartbeat: ask the peer to drop the connection after this long
    /// without hearing from us, in milliseconds (0 = it need not; at most
    /// 6553599, as the protocol carries it in tenths of a second).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..=6_553_599))]
    heartbeat_ttl_ms: i32,
    /// TCP keepalive: probe after this many seconds of silence (0 = no
    /// keepalive, the kernel's default; Linux allows up to 32767).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..=32767))]
    tcp_keepalive_idle_s: i32,
    /// TCP keepalive: seconds between probes (1 to 32767).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(i32).range(1..=32767))]
    tcp_keepalive_intvl_s: i32,
    /// TCP keepalive: unanswered probes before the kernel gives up (1 to
    /// 127).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(i32).range(1..=127))]
    tcp_keepalive_cnt: i32,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
