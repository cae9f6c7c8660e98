//! zfile client: saves a server's reply to a file, in a directory it makes one
//! level deep (the book's chapter 3, "zfile" and "zfile_mkdir").
//!
//! - Makes `--dir` (default `.`) one level deep, as CZMQ's `zfile_mkdir`; REQ
//!   socket, connects to `tcp://localhost:5050` (`--connect`), sends `Hello`.
//! - Saves the whole reply to `--dir`/`--out` (`server.txt`), as `zmsg_save` does.
//!
//! The file holds the frames with their lengths, so `zfile::saved::load`
//! gives back the same message — it is not text, whatever its name.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ch3_poll_multipart_czmq::zfile::{make_dir, save_message};
use clap::Parser;
use lab::discard_pending_if_interrupted;
use lab::Context;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| fetch(&args))
}

fn fetch(args: &Args) -> lab::Result<()> {
    // ANCHOR: mkdir
    // One level, as zfile_mkdir: `test` works, `test2/test3` needs `test2`.
    make_dir(&args.dir)?;
    // ANCHOR_END: mkdir
    let context = zmq::Context::new();
    // Socket to ask the server on.
    let requester = context.socket(zmq::REQ).context("cannot create socket")?;
    args.limit.apply(&requester)?;
    lab::connect(&requester, &args.connect)?;
    println!("Starting client...");
    let outcome = ask_and_save(&requester, &args.dir.join(&args.out));
    discard_pending_if_interrupted(outcome, &[&requester])
}

// ANCHOR: save
fn ask_and_save(requester: &zmq::Socket, path: &Path) -> lab::Result<()> {
    lab::send(requester, "Hello", 0)?;
    // Book errata (ch3-zfile-mkdir-undeclared-msg): the mkdir listing destroys a `msg` it never
    // declared; here the reply is a value that exists, saved, then dropped.
    let reply = lab::recv_message(requester)?;
    println!("Received: {reply}");
    // A reply over --max-msg-size lost frames: saving the rest would lie.
    reply
        .whole()
        .map_err(|bad| lab::Error::failed(format!("cannot save the reply: {bad}")))?;
    save_message(&reply, path)?;
    let noun = if reply.len() == 1 { "frame" } else { "frames" };
    println!("Saved {} {noun} to {}", reply.len(), path.display());
    Ok(())
}
// ANCHOR_END: save

/// Saves a server's reply to a file in a directory made one level deep: the
/// zfile client of the book's chapter 3, "zfile" and "zfile_mkdir".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to connect the REQ socket to.
    #[arg(long, default_value = "tcp://localhost:5050")]
    connect: String,
    /// Directory to save into, made one level deep if missing (the book's
    /// mkdir listing uses `test`).
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// File name of the saved reply, inside `--dir`.
    #[arg(long, default_value = "server.txt")]
    out: PathBuf,
    #[command(flatten)]
    limit: lab::MessageLimit,
}
