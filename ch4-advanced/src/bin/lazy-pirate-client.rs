//! Lazy pirate client (chapter 4, "Reliability").
//!
//! - REQ socket, connects to `tcp://localhost:4040` (`--connect`).
//! - Sends `1`, `2`, … (`--count`), printing `Sending: <n>`; waits `--timeout-ms`
//!   (2500) for the echo (`Received: <n>`).
//! - None in time: the REQ is stuck, so a new socket sends it again, up to
//!   `--retries` (3); then exit 1.
//!
//! A retry can reach a server that already did the work (its reply was lost
//! or late): a request may be served twice, so it should be safe to repeat.
//!
//! Book errata (ch4-pirate-not-shown): no code in the book; written from its prose.

use std::process::ExitCode;
use std::time::Duration;

use ch4_advanced::reliability::pirate::{is_reply_to, request};
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| ask(&args))
}

fn ask(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    let mut client = Client::connect(&context, args)?;
    let mut sequence = 0;
    while args.count == 0 || sequence < args.count {
        sequence += 1;
        client.request(&request(sequence))?;
    }
    println!("{sequence} requests, {sequence} matching replies");
    Ok(())
}

/// The client's REQ socket, replaced by a fresh one after each timeout.
struct Client<'a> {
    context: &'a zmq::Context,
    args: &'a Args,
    socket: zmq::Socket,
}

impl<'a> Client<'a> {
    // ANCHOR: socket
    /// A new REQ socket, connected. Its `ZMQ_LINGER` is 0: when it is thrown
    /// away after a timeout, the request it could not deliver goes with it.
    fn connect(context: &'a zmq::Context, args: &'a Args) -> lab::Result<Client<'a>> {
        let socket = context.socket(zmq::REQ).context("cannot create socket")?;
        socket.set_linger(0).context("cannot set ZMQ_LINGER")?;
        args.limit.apply(&socket)?;
        lab::connect(&socket, &args.connect)?;
        Ok(Client {
            context,
            args,
            socket,
        })
    }
    // ANCHOR_END: socket

    // ANCHOR: retry
    /// Sends `request` until its echo comes back, on a fresh socket after each
    /// timeout, at most `--retries` times again.
    fn request(&mut self, request: &str) -> lab::Result<()> {
        let timeout = Duration::from_millis(self.args.timeout_ms);
        let mut retries = 0;
        loop {
            println!("Sending: {request}");
            lab::send(&self.socket, request, 0)?;
            if lab::wait_readable(&self.socket, Some(timeout))? {
                let reply = lab::recv_message(&self.socket)?;
                if is_reply_to(&reply, request.as_bytes()) {
                    println!("Received: {request}");
                    return Ok(());
                }
                eprintln!("error: bad reply to request {request}: {reply}");
            } else {
                println!("no reply to {request} within {} ms", self.args.timeout_ms);
            }
            if retries == self.args.retries {
                return Err(lab::Error::failed(format!(
                    "no good reply to request {request} after {retries} retries: \
                     the server seems to be offline; giving up"
                )));
            }
            retries += 1;
            // Book errata (ch4-pirate-resend-refused): a REQ socket refuses the
            // "simply retry sending" of the text, so the retry goes on a new socket.
            *self = Client::connect(self.context, self.args)?;
            println!("retry {retries} of {}: new socket", self.args.retries);
        }
    }
    // ANCHOR_END: retry
}

/// Sends numbered requests and retries each on a fresh socket when no reply
/// comes in time: the lazy pirate of the book's chapter 4, "Reliability".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint of the server to connect to.
    #[arg(long, default_value = "tcp://localhost:4040")]
    connect: String,
    /// Requests to send (0 = for ever).
    #[arg(long, default_value_t = 10)]
    count: u64,
    /// How long to wait for each reply, in milliseconds (the book's idea: 2500).
    #[arg(long, default_value_t = 2500)]
    timeout_ms: u64,
    /// How many times to send a request again before giving up (the book's 3).
    #[arg(long, default_value_t = 3)]
    retries: u32,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
