//! Lab starter `kv-list-order` (`harness lab start kv-list-order DIR`):
//! the zlist client of the book's chapter 3 ("zlist"), ported as printed —
//! it builds, asks and prints, and `harness lab check` shows what it prints.
//!
//! - REQ socket, connects to `tcp://localhost:5050` (`--connect`).
//! - Asks `user_email`, then `user_id` (or each `--key`), keeps each reply in the
//!   list, then prints them on one line, in the order asked: `name@example.org 1234`.

use std::collections::VecDeque;
use std::process::ExitCode;

use clap::Parser;
use lab::discard_pending_if_interrupted;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| ask(&args))
}

fn ask(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to send the keys on.
    let requester = context.socket(zmq::REQ).context("cannot create socket")?;
    args.limit.apply(&requester)?;
    lab::connect(&requester, &args.connect)?;
    println!("Starting client...");
    let outcome = collect_and_print(&args.keys, &requester);
    discard_pending_if_interrupted(outcome, &[&requester])
}

fn collect_and_print(keys: &[String], requester: &zmq::Socket) -> lab::Result<()> {
    let mut replies = VecDeque::new();
    for key in keys {
        lab::send(requester, key, 0)?;
        let reply = lab::recv_message(requester)?;
        match reply.single() {
            // The listing's `zlist_push`.
            Ok(value) => replies.push_front(String::from_utf8_lossy(value).into_owned()),
            Err(bad) => eprintln!("error: bad reply {reply}: {bad}"),
        }
    }
    let mut line = Vec::with_capacity(replies.len());
    while let Some(reply) = replies.pop_front() {
        line.push(reply);
    }
    println!("{}", line.join(" "));
    Ok(())
}

/// Asks the key-value server for several keys, keeps the replies in a list and
/// prints them in order: the client of the book's chapter 3, "zlist".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to connect the REQ socket to.
    #[arg(long, default_value = "tcp://localhost:5050")]
    connect: String,
    /// Keys to ask for, in order; may be given several times (the book's
    /// `user_email` then `user_id`).
    #[arg(long = "key", value_name = "KEY", default_values = ["user_email", "user_id"])]
    keys: Vec<String>,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
