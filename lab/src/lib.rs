//! The lab kit: the few pieces of plumbing every example in zmq-book-rs shares, so
//! that each example file can read like a listing.
//!
//! - [`run`] wraps an example's `main`: it installs the Ctrl-C handling, starts the
//!   heap profiler when asked, runs the example and turns its result into the exit
//!   status (`interrupted` → 0, `error: …` → 1).
//! - [`bind`] and [`connect`] attach a socket and, after a bind, print
//!   `bound <endpoint>` with the endpoint the OS really gave — so a test can bind
//!   `tcp://127.0.0.1:*` and read the port back.
//! - [`recv_message`] receives a whole message — every frame — as [`Frames`];
//!   [`send`] and [`send_message`] send one frame or a whole message.
//! - [`Poller`] waits on several sockets; [`sleep`] and [`wait_for_enter`] wait
//!   for time or for the user.
//! - Every one of those waits ends at once on SIGINT/SIGTERM, without a race
//!   (see [`interrupt`]).
//! - [`Error`], [`Result`] and [`Context`] give every failure a sentence a user can
//!   act on.
//!
//! The global allocator of every example is [`dhat::Alloc`]: it costs a few
//! nanoseconds per allocation when no profile is running, and lets any example run
//! under heap profiling with no second build (see [`profile`]).

pub mod endpoint;
pub mod error;
pub mod frames;
pub mod interrupt;
pub mod limits;
pub mod linger;
pub mod messages;
pub mod poller;
pub mod profile;

use std::process::ExitCode;

pub use endpoint::{bind, connect};
pub use error::{Context, Error, Result};
pub use frames::{BadMessage, Frames};
pub use interrupt::{interrupted, sleep, wait_for_enter};
pub use limits::MessageLimit;
pub use linger::{close_after, discard_pending_if_interrupted};
pub use messages::{recv_message, send, send_message, wait_readable, wait_writable};
pub use poller::{Handle, Poller};

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

/// Runs an example's body and turns its outcome into the process's exit status.
///
/// Before the body runs, SIGINT and SIGTERM are caught (see [`interrupt`]) and, if
/// `ZMQ_BOOK_DHAT` names a file, the heap profiler starts (see [`profile`]). After
/// the body returns — its sockets and context already dropped — the outcome is
/// reported: `Ok` exits 0; an interrupt prints `interrupted` on stderr and exits 0;
/// a failure prints `error: <what failed>: <why>` on stderr and exits 1. The
/// profile is written last, so it sees everything the example freed.
pub fn run(body: impl FnOnce() -> Result<()>) -> ExitCode {
    let profiler = profile::start_if_requested();
    let outcome = interrupt::install().and_then(|()| body());
    let status = report(outcome);
    drop(profiler);
    status
}

fn report(outcome: Result<()>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Interrupted) => {
            eprintln!("interrupted");
            ExitCode::SUCCESS
        }
        Err(Error::Failed(why)) => {
            eprintln!("error: {why}");
            ExitCode::FAILURE
        }
    }
}
