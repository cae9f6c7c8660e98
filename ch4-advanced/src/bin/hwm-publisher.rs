//! High-water mark publisher (chapter 4, "High watermark").
//!
//! - PUB socket (PUSH with `--pattern push`), binds `tcp://*:4040` (`--bind`),
//!   send high-water mark 10 (`--sndhwm`) set before the bind.
//! - Sends `0`, `1`, … every 5 ms (`--interval-ms`), then `END <count>`;
//!   prints `published <n> messages in <ms> ms`.
//! - A PUB drops at the mark; a PUSH waits (`--send-timeout-ms`: `send
//!   blocked: EAGAIN after <n> messages`).
//!
//! The high-water mark counts messages, per connection, in ZeroMQ's own
//! queues; the operating system's TCP buffers hold more on top of it.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use ch4_advanced::reliability::hwm::{end_marker, numbered, Pattern, MAX_SIZE};
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| publish(&args))
}

fn publish(args: &Args) -> lab::Result<()> {
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to publish on: an XPUB is a PUB that also hands its
    // subscriptions to the program, so it can wait for subscribers.
    let kind = match (args.pattern, args.subscribers) {
        (Pattern::Pub, 0) => zmq::PUB,
        (Pattern::Pub, _) => zmq::XPUB,
        (Pattern::Push, _) => zmq::PUSH,
    };
    let socket = context.socket(kind).context("cannot create socket")?;
    // Book errata (ch4-hwm-after-bind): the listing sets the mark after the
    // bind, where it no longer applies to the connections that bind accepts.
    socket
        .set_sndhwm(args.sndhwm)
        .context("cannot set ZMQ_SNDHWM")?;
    socket
        .set_linger(args.linger_ms)
        .context("cannot set ZMQ_LINGER")?;
    args.limit.apply(&socket)?;
    lab::bind(&socket, &args.bind)?;
    // ANCHOR_END: socket
    wait_for_subscribers(args, &socket)?;
    let started = Instant::now();
    let sent = match args.pattern {
        Pattern::Pub => publish_dropping(args, &socket)?,
        Pattern::Push => match push_blocking(args, &socket)? {
            Some(sent) => sent,
            None => return Ok(()),
        },
    };
    println!(
        "published {sent} messages in {} ms",
        started.elapsed().as_millis()
    );
    Ok(())
}

// ANCHOR: pub
/// Publishes `--count` numbered messages and the end marker. A PUB never
/// blocks: a message for a subscriber whose queue is at the high-water mark
/// is dropped, for that subscriber only.
fn publish_dropping(args: &Args, socket: &zmq::Socket) -> lab::Result<u64> {
    let mut sent = 0;
    // Book errata (ch4-hwm-endless): the listing loops for ever, its cleanup
    // unreachable; `--count` ends the loop and Ctrl-C stops it cleanly.
    while args.count == 0 || sent < args.count {
        // Book errata (ch4-hwm-no-sequence): the listing's messages carry no
        // sequence, so nobody can tell what was dropped; these are numbered.
        lab::send(socket, numbered(sent, args.size), 0)?;
        sent += 1;
        pause(args)?;
    }
    lab::send(socket, end_marker(sent), 0)?;
    Ok(sent)
}
// ANCHOR_END: pub

// ANCHOR: push
/// Pushes `--count` numbered messages and the end marker. A PUSH at its
/// high-water mark waits for room; with `--send-timeout-ms` it gives up
/// instead and says after how many messages (`None`).
fn push_blocking(args: &Args, socket: &zmq::Socket) -> lab::Result<Option<u64>> {
    let timeout = (args.send_timeout_ms > 0).then(|| Duration::from_millis(args.send_timeout_ms));
    let mut sent = 0;
    while args.count == 0 || sent < args.count {
        let message = numbered(sent, args.size);
        let room = match timeout {
            Some(timeout) => lab::wait_writable(socket, Some(timeout))?,
            None => true,
        };
        if room {
            lab::send(socket, message, 0)?;
        } else {
            // No room for that long: a send that does not wait fails the way
            // a send with ZMQ_SNDTIMEO does.
            match socket.send(message, zmq::DONTWAIT) {
                Err(zmq::Error::EAGAIN) => {
                    println!("send blocked: EAGAIN after {sent} messages");
                    return Ok(None);
                }
                Err(error) => return Err(error).context("cannot send"),
                // Room came at the last moment.
                Ok(()) => {}
            }
        }
        sent += 1;
        pause(args)?;
    }
    lab::send(socket, end_marker(sent), 0)?;
    Ok(Some(sent))
}
// ANCHOR_END: push

/// `--subscribers N`: waits for N subscriptions (XPUB) or for a peer (PUSH).
fn wait_for_subscribers(args: &Args, socket: &zmq::Socket) -> lab::Result<()> {
    if args.subscribers == 0 {
        return Ok(());
    }
    println!("waiting for {} subscribers", args.subscribers);
    if args.pattern == Pattern::Push {
        // A PUSH can take a message once a peer is there.
        lab::wait_writable(socket, None)?;
        println!("peer connected");
        return Ok(());
    }
    let mut joined = 0;
    while joined < args.subscribers {
        // A subscription is a message `\x01<prefix>`; an unsubscription `\x00…`.
        let message = lab::recv_message(socket)?;
        match message.single() {
            Ok([1, ..]) => {
                joined += 1;
                println!("subscriber joined ({joined} of {})", args.subscribers);
            }
            _ => eprintln!("error: not a subscription: {message}"),
        }
    }
    Ok(())
}

/// Waits `--interval-ms` between messages.
fn pause(args: &Args) -> lab::Result<()> {
    // Book errata (ch4-hwm-too-slow): the book's 200 small messages a second
    // never reach a mark; `--interval-ms 0` and `--size` do.
    if args.interval_ms > 0 {
        lab::sleep(Duration::from_millis(args.interval_ms))?;
    }
    Ok(())
}

/// Accepts a message size up to [`MAX_SIZE`].
fn parse_size(text: &str) -> Result<usize, String> {
    let size: usize = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of bytes"))?;
    if size <= MAX_SIZE {
        Ok(size)
    } else {
        Err(format!("{size} is over the largest size, {MAX_SIZE} bytes"))
    }
}

/// Publishes numbered messages through a socket with a small high-water mark,
/// at the book's 200 a second or, with `--interval-ms 0`, as fast as it can:
/// the book's chapter 4, "High watermark".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the socket to.
    #[arg(long, default_value = "tcp://*:4040")]
    bind: String,
    /// The socket: `pub` drops at the high-water mark, `push` blocks.
    #[arg(long, value_enum, default_value_t = Pattern::Pub)]
    pattern: Pattern,
    /// Send high-water mark, in messages per peer (the book's 10; 0 = no limit).
    #[arg(long, default_value_t = 10)]
    sndhwm: i32,
    /// Messages to publish before `END` (0 = for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// Pause after each message, in milliseconds (the book's listing sends two
    /// messages every 10 ms: 200 a second, one every 5; 0 = as fast as it can).
    #[arg(long, default_value_t = 5)]
    interval_ms: u64,
    /// Pad each message with spaces to this many bytes (0 = just the number;
    /// at most 64 MiB).
    #[arg(long, default_value_t = 0, value_parser = parse_size)]
    size: usize,
    /// Before publishing, wait until this many subscribers have subscribed
    /// (the socket is then an XPUB, a PUB that shows its subscriptions; with
    /// `--pattern push`, until a peer is connected). 0 = start at once.
    #[arg(long, default_value_t = 0)]
    subscribers: u32,
    /// With `--pattern push`: give up a send that waits longer than this, in
    /// milliseconds, and report EAGAIN (0 = wait as long as it takes).
    #[arg(long, default_value_t = 0)]
    send_timeout_ms: u64,
    /// How long unsent messages may hold the exit, in milliseconds (CZMQ's
    /// default, which the book's listing uses, is 0: drop them; -1 = until
    /// delivered).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    linger_ms: i32,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
