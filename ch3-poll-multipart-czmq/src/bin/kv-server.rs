//! Key-value server: answers keys from a table — CZMQ's `zhash` as a `HashMap`
//! (the book's chapter 3, "zhash").
//!
//! - REP socket, binds `tcp://*:5050` (`--bind`); the table holds `user_id` →
//!   `1234`, `user_email` → `name@example.org` and any `--entry key=value`.
//! - Prints `Received: <key>`, replies its value or `Not Found`; `--count` requests.
//!
//! A request of several frames, or an empty or non-UTF-8 key, is answered
//! `Not Found` too: a REP must reply to every request before it can take the next.

use std::process::ExitCode;

use ch3_poll_multipart_czmq::kv::{parse_entry, Table, NOT_FOUND};
use clap::Parser;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    // Book errata (ch3-zhash-never-destroyed): the listing's SIGINT handler is `exit`; here the
    // signal only ends the wait, and `serve` returns, dropping all.
    lab::run(|| serve(&args))
}

fn serve(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to answer clients on.
    let responder = context.socket(zmq::REP).context("cannot create socket")?;
    args.limit.apply(&responder)?;
    lab::bind(&responder, &args.bind)?;
    println!("Starting server...");
    // ANCHOR: table
    // Book errata (ch3-zhash-never-destroyed): the listing never destroys its zhash; this table
    // is dropped when `serve` returns, even after Ctrl-C.
    let table = Table::book().with(args.entry.iter().cloned());
    // ANCHOR_END: table

    // ANCHOR: loop
    let mut served = 0;
    while args.count == 0 || served < args.count {
        // Book errata (ch3-zhash-unchecked-request): the listing looks up
        // whatever zstr_recv gave, NULL included; here a whole request, checked.
        let request = lab::recv_message(&responder)?;
        let reply = match request.single() {
            Ok(key) => {
                println!("Received: {}", String::from_utf8_lossy(key));
                // Unknown and non-UTF-8 keys: `Not Found`.
                table.lookup(key)
            }
            Err(bad) => {
                eprintln!("error: bad request {request}: {bad}");
                NOT_FOUND
            }
        };
        lab::send(&responder, reply, 0)?;
        served += 1;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Answers keys from a table: the key-value server of the book's chapter 3,
/// "zhash".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the REP socket to.
    #[arg(long, default_value = "tcp://*:5050")]
    bind: String,
    /// An entry to add to the book's two (user_id=1234,
    /// user_email=name@example.org); may be given several times.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_entry)]
    entry: Vec<(String, String)>,
    /// Requests to serve before exiting (0 = serve for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
