//! Reactor benchmark: what the `Reactor` costs next to hand-written poll loops
//! doing the same work (not a book listing; the walkthrough's chapter 3,
//! "CZMQ in Rust", reports its figures). Run it with `--release`.
//!
//! - A PUSH socket in its own thread sends `--messages` messages to a PULL socket;
//!   four receivers take turns, `--rounds` times each; prints their median rates.

use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use ch3_poll_multipart_czmq::reactor::Reactor;
use clap::{Parser, ValueEnum};
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| bench(&args))
}

fn bench(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    print_heading(args);
    let mut rates = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let kinds = Receiver::ALL;
    for round in 0..args.rounds {
        // Each round runs all four, starting with a different one each
        // time, so a warming or cooling machine favours none.
        for turn in 0..kinds.len() {
            let index = (usize::try_from(round).unwrap_or(0) + turn) % kinds.len();
            let name = round * kinds.len() as u64 + turn as u64;
            let rate = one_round(&context, args, kinds[index], name)?;
            rates[index].push(rate);
        }
    }
    print_medians(rates.map(|mut rates| median(&mut rates)));
    Ok(())
}

/// One round: a sender thread, and `kind` receiving; messages per second
/// from the first message received to the last.
fn one_round(context: &zmq::Context, args: &Args, kind: Receiver, round: u64) -> lab::Result<f64> {
    let pull = context.socket(zmq::PULL).context("cannot create socket")?;
    let endpoint = match args.transport {
        Transport::Tcp => "tcp://127.0.0.1:*".to_string(),
        Transport::Inproc => format!("inproc://reactor-bench-{round}"),
    };
    pull.bind(&endpoint)
        .context(format_args!("cannot bind {endpoint}"))?;
    let endpoint = match pull.get_last_endpoint() {
        Ok(Ok(real)) => real,
        _ => endpoint,
    };
    // One more than counted: the clock starts at the first message.
    let total = args.messages + 1;
    let sender = {
        let context = context.clone();
        let size = args.size;
        let pause = Duration::from_micros(args.pause_us);
        thread::spawn(move || send_all(&context, &endpoint, total, size, pause))
    };
    let started = match kind {
        Receiver::Reactor => receive_in_reactor(&pull, total)?,
        Receiver::HandLoop => receive_by_hand(&pull, total)?,
        Receiver::PollerLoop => receive_with_poller(&pull, total)?,
        Receiver::LookLoop => receive_looking(&pull, total)?,
    };
    let elapsed = started.elapsed();
    sender
        .join()
        .map_err(|_| lab::Error::failed("the sender thread panicked"))??;
    Ok(rate(args.messages, elapsed))
}

fn send_all(
    context: &zmq::Context,
    endpoint: &str,
    total: u64,
    size: usize,
    pause: Duration,
) -> lab::Result<()> {
    let push = context.socket(zmq::PUSH).context("cannot create socket")?;
    lab::connect(&push, endpoint)?;
    let payload = vec![b'x'; size];
    for _ in 0..total {
        push.send(&payload[..], 0).context("cannot send")?;
        if !pause.is_zero() {
            thread::sleep(pause);
        }
    }
    Ok(())
}

// ANCHOR: contenders
/// What both receivers do per message: receive it whole, count it.
fn receive_one(socket: &zmq::Socket, count: &mut Count) -> lab::Result<()> {
    let _message = lab::recv_message(socket)?;
    count.received += 1;
    if count.received == 1 {
        count.started = Instant::now();
    }
    Ok(())
}

/// The Reactor: a reader handler, stopped after the last message.
#[inline(never)]
fn receive_in_reactor(pull: &zmq::Socket, total: u64) -> lab::Result<Instant> {
    let mut count = Count::new();
    let mut reactor = Reactor::new();
    reactor.on_readable(pull, move |count: &mut Count, socket, control| {
        receive_one(socket, count)?;
        if count.received == total {
            control.stop();
        }
        Ok(())
    });
    reactor.run(&mut count)?;
    Ok(count.started)
}

/// The same by hand: `zmq::poll` on the one socket, one message per poll.
#[inline(never)]
fn receive_by_hand(pull: &zmq::Socket, total: u64) -> lab::Result<Instant> {
    let mut count = Count::new();
    let mut items = [pull.as_poll_item(zmq::POLLIN)];
    while count.received < total {
        match zmq::poll(&mut items, -1) {
            Ok(_) => {}
            Err(zmq::Error::EINTR) if !lab::interrupted() => continue,
            Err(error) => return Err(error).context("cannot poll"),
        }
        if items[0].is_readable() {
            receive_one(pull, &mut count)?;
        }
    }
    Ok(count.started)
}

/// The same around `lab::Poller`: the socket and the signal pipe, as the
/// reactor polls them.
#[inline(never)]
fn receive_with_poller(pull: &zmq::Socket, total: u64) -> lab::Result<Instant> {
    let mut count = Count::new();
    let mut poller = lab::Poller::new();
    let item = poller.add(pull, zmq::POLLIN);
    while count.received < total {
        poller.poll(None)?;
        if poller.is_readable(item) {
            receive_one(pull, &mut count)?;
        }
    }
    Ok(count.started)
}

/// The reactor's own way, by hand: a look at the socket's events
/// (`ZMQ_EVENTS`), and a wait on the socket and the signal pipe only when
/// the look finds nothing.
#[inline(never)]
fn receive_looking(pull: &zmq::Socket, total: u64) -> lab::Result<Instant> {
    let mut count = Count::new();
    let mut poller = lab::Poller::new();
    let item = poller.add(pull, zmq::POLLIN);
    while count.received < total {
        if lab::interrupted() {
            return Err(lab::Error::Interrupted);
        }
        let queued = pull
            .get_events()
            .is_ok_and(|events| events.contains(zmq::POLLIN));
        if queued || (poller.poll(None)? > 0 && poller.is_readable(item)) {
            receive_one(pull, &mut count)?;
        }
    }
    Ok(count.started)
}
// ANCHOR_END: contenders

fn rate(messages: u64, elapsed: Duration) -> f64 {
    // Precision: u64 → f64 is exact below 2^53 messages.
    #[allow(clippy::cast_precision_loss)]
    let messages = messages as f64;
    messages / elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// The first line: what each round sends, and how many rounds.
fn print_heading(args: &Args) {
    println!(
        "{} messages of {} bytes per round over {}, {} rounds of each, taking turns",
        args.messages,
        args.size,
        match args.transport {
            Transport::Tcp => "tcp",
            Transport::Inproc => "inproc",
        },
        args.rounds
    );
}

/// The medians of the four receivers, in `Receiver::ALL`'s order, and the
/// reactor's against each of the others.
fn print_medians([reactor, hand, poller, look]: [f64; 4]) {
    println!("Reactor:            {reactor:>12.0} msg/s (median)");
    println!("zmq::poll by hand:  {hand:>12.0} msg/s (median)");
    println!("lab::Poller by hand:{poller:>12.0} msg/s (median)");
    println!("look, then Poller:  {look:>12.0} msg/s (median)");
    println!("Reactor / by hand:  {:>12.3}", reactor / hand);
    println!("Reactor / Poller:   {:>12.3}", reactor / poller);
    println!("Reactor / look:     {:>12.3}", reactor / look);
}

struct Count {
    received: u64,
    started: Instant,
}

impl Count {
    fn new() -> Count {
        Count {
            received: 0,
            started: Instant::now(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Receiver {
    Reactor,
    HandLoop,
    PollerLoop,
    LookLoop,
}

impl Receiver {
    /// Every receiver, in the order the medians are printed.
    const ALL: [Receiver; 4] = [
        Receiver::Reactor,
        Receiver::HandLoop,
        Receiver::PollerLoop,
        Receiver::LookLoop,
    ];
}

/// Measures the Reactor against a hand-written zmq::poll loop receiving the
/// same messages (chapter 3, "CZMQ in Rust": zloop).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Messages per round.
    #[arg(long, default_value_t = 200_000)]
    messages: u64,
    /// Rounds of each kind (they alternate).
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u64).range(1..))]
    rounds: u64,
    /// Bytes per message.
    #[arg(long, default_value_t = 16)]
    size: usize,
    /// Transport between the two sockets.
    #[arg(long, value_enum, default_value_t = Transport::Tcp)]
    transport: Transport,
    /// Microseconds the sender pauses after each message: with a pause, the
    /// receivers wait for every message (a trickle) instead of finding a
    /// queue (a flood).
    #[arg(long, default_value_t = 0)]
    pause_us: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Transport {
    /// Loopback TCP, a port the OS picks.
    Tcp,
    /// In-process, between two threads.
    Inproc,
}
