//! The context's two settings of chapter 3, "Setting I/O threads and limiting
//! the number of sockets": `ZMQ_IO_THREADS` and `ZMQ_MAX_SOCKETS`, and what
//! happens when a program opens one socket too many.
//!
//! The `zmq` crate (0.10) sets `ZMQ_IO_THREADS` (`Context::set_io_threads`)
//! but has no setter for `ZMQ_MAX_SOCKETS`, and no way to get at the raw
//! context pointer that `zmq_ctx_set` needs. So [`run`] runs the whole
//! experiment on a raw libzmq context of its own, through `zmq-sys`: it is
//! the one function of the workspace's examples that is `unsafe` inside, and
//! each unsafe call says why it is sound.
//!
//! What libzmq 4.3.4 does with the numbers (its `ctx.cpp`):
//!
//! - Both settings are read when the context *starts*, at its first socket.
//!   Setting them later is accepted (`zmq_ctx_set` returns 0) and changes
//!   nothing — the book's "set it before creating a socket" is the rule.
//! - The context keeps `max_sockets + io_threads + 2` mailbox slots: one per
//!   socket, one per I/O thread, one for the reaper thread and one for
//!   `zmq_ctx_term`. Sockets get exactly `max_sockets` of them: the limit is
//!   not rounded and nothing is added on Linux (with the `select` or `poll`
//!   poller, libzmq would clip it below the poller's descriptor limit).
//! - The socket past the limit is refused with `EMFILE`, "Too many open
//!   files" — the same error as the process running out of file descriptors
//!   (every socket holds descriptors of its own). [`Refusal::by_context`]
//!   tells the two apart.
//! - Unset, the limit is 1023 (`ZMQ_MAX_SOCKETS_DFLT`), not "as many as the
//!   operating system allows".
//! - The context starts `io_threads` I/O threads and one reaper thread, so
//!   the book's "one thread by default" is two threads.
//! - Only sockets take slots: those the program opens with `zmq_socket`
//!   (and the socket behind each monitor it starts). A peer that connects
//!   to a bound socket makes a session of that socket, in an I/O thread,
//!   not a socket: [`Experiment::peers`] shows a context limited to two
//!   sockets holding a hundred connections. The limit guards against the
//!   program's own sockets running away, not against a flood of peers.

use std::os::raw::c_int;
use std::time::{Duration, Instant};

/// The most sockets `--max-sockets` may ask for: libzmq's `ZMQ_SOCKET_LIMIT`
/// on Linux. (libzmq accepts any positive `int`, but sizes an array by the
/// value plus the thread count: near `i32::MAX` that sum overflows.)
pub const MAX_SOCKETS_LIMIT: i32 = 65_535;

/// The most I/O threads `--io-threads` may ask for.
pub const IO_THREADS_LIMIT: i32 = 256;

/// The most peers `--peers` may ask for: their context keeps libzmq's
/// default limit of 1023 sockets.
pub const PEERS_LIMIT: u32 = 1000;

/// What the experiment does: the book's two settings, when they are made,
/// and whether peers connect first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Experiment {
    /// The `ZMQ_IO_THREADS` to set.
    pub io_threads: i32,
    /// The `ZMQ_MAX_SOCKETS` to set; `None` leaves libzmq's default (1023).
    pub max_sockets: Option<i32>,
    /// Set both only after the first socket, to see them ignored (the book
    /// says: before).
    pub set_after_first_socket: bool,
    /// How many peers, sockets of another context, connect to one bound
    /// socket of this one (and send it a message each) before it opens the
    /// rest: what a flood of connections does to the limit.
    pub peers: u32,
}

/// The values a context works with: read when it starts, at its first socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// `ZMQ_IO_THREADS`.
    pub io_threads: i32,
    /// `ZMQ_MAX_SOCKETS`.
    pub max_sockets: i32,
}

/// What [`run`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The settings in force: as the context reported them just before its
    /// first socket started it.
    pub started_with: Settings,
    /// As the context reports them at the end: the same, unless they were
    /// set after the first socket — accepted, and reported, but not used.
    pub reported: Settings,
    /// How many peers connected to the bound socket (and sent it their
    /// message) before the rest of the sockets were opened.
    pub peers: u32,
    /// How many sockets were opened before one was refused (the bound one
    /// included).
    pub opened: usize,
    /// Why the next one was refused.
    pub error: zmq::Error,
    /// How many threads the context started with its first socket (I/O
    /// threads and the reaper), counted in `/proc/self/task`; `None` where
    /// that cannot be read.
    pub background_threads: Option<usize>,
}

impl Refusal {
    /// True when the context's own limit refused the socket (rather than the
    /// process's limit on open files, which gives the same `EMFILE`).
    pub fn by_context(&self) -> bool {
        self.error == zmq::Error::EMFILE
            && usize::try_from(self.started_with.max_sockets).is_ok_and(|max| self.opened == max)
    }
}

/// Why the experiment could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// What was being done, e.g. `cannot set ZMQ_MAX_SOCKETS to 0`.
    pub what: String,
    /// libzmq's error.
    pub error: zmq::Error,
}

/// The book's experiment: [`run`] with the settings made before the first
/// socket and no peers.
///
/// ```
/// use ch3_poll_multipart_czmq::context_limits::open_sockets_until_refused;
///
/// let refusal = open_sockets_until_refused(1, Some(5), || false).unwrap().unwrap();
/// assert_eq!((refusal.opened, refusal.started_with.max_sockets), (5, 5));
/// assert!(refusal.by_context());
/// ```
pub fn open_sockets_until_refused(
    io_threads: i32,
    max_sockets: Option<i32>,
    stop: impl Fn() -> bool,
) -> Result<Option<Refusal>, Failed> {
    let experiment = Experiment {
        io_threads,
        max_sockets,
        set_after_first_socket: false,
        peers: 0,
    };
    run(&experiment, stop)
}

/// Creates a context, sets `ZMQ_IO_THREADS` and (unless `None`)
/// `ZMQ_MAX_SOCKETS` — before its first socket, or after it — then opens
/// sockets until the context refuses one, closes them all and terminates
/// the context. With `peers`, the first socket is a PULL bound to a loopback
/// port, and that many PUSH sockets of a second context connect to it and
/// send it a message each before the rest are opened. `stop` is asked
/// before each socket: when it says true the experiment ends early with
/// `Ok(None)` (a signal arrived).
// ANCHOR: unsafe
#[allow(unsafe_code)]
pub fn run(experiment: &Experiment, stop: impl Fn() -> bool) -> Result<Option<Refusal>, Failed> {
    let mut settings = vec![(
        zmq_sys::ZMQ_IO_THREADS,
        "ZMQ_IO_THREADS",
        experiment.io_threads,
    )];
    if let Some(max) = experiment.max_sockets {
        // The one setting the zmq crate cannot make.
        settings.push((zmq_sys::ZMQ_MAX_SOCKETS, "ZMQ_MAX_SOCKETS", max));
    }
    // SAFETY: zmq_ctx_new takes nothing and returns a new context or null.
    let context = unsafe { zmq_sys::zmq_ctx_new() };
    if context.is_null() {
        return Err(failed("cannot create a context".into()));
    }
    let set = |(option, name, value): (u32, &str, i32)| {
        // SAFETY: `context` is the live context created above (it is
        // terminated only at the end of this function); the option is an
        // int option of zmq_ctx_set.
        if unsafe { zmq_sys::zmq_ctx_set(context, option as c_int, value) } != 0 {
            return Err(failed(format!("cannot set {name} to {value}")));
        }
        Ok(())
    };
    let get = || {
        // SAFETY: as above; zmq_ctx_get only reads the context.
        let get = |option: u32| unsafe { zmq_sys::zmq_ctx_get(context, option as c_int) };
        Settings {
            io_threads: get(zmq_sys::ZMQ_IO_THREADS),
            max_sockets: get(zmq_sys::ZMQ_MAX_SOCKETS),
        }
    };
    let open = |kind: u32| {
        // SAFETY: as above; the socket returned, if not null, is pushed into
        // `sockets` (or handed to `zmq::Socket`) and closed exactly once.
        let socket = unsafe { zmq_sys::zmq_socket(context, kind as c_int) };
        if socket.is_null() {
            Err(last_error())
        } else {
            Ok(socket)
        }
    };
    let mut sockets = Vec::new();
    // The bound socket and its peers, closed before the context ends.
    let mut bound: Option<(zmq::Socket, Peers)> = None;
    let outcome = (|| {
        if !experiment.set_after_first_socket {
            settings.iter().try_for_each(|&setting| set(setting))?;
        }
        let started_with = get();
        let threads_before = threads_of_this_process();
        let first_kind = match experiment.peers {
            0 => zmq_sys::ZMQ_PAIR,
            _ => zmq_sys::ZMQ_PULL,
        };
        // The first socket starts the context: its threads, its limit.
        let mut next = open(first_kind);
        let background_threads = threads_before
            .zip(threads_of_this_process())
            .map(|(before, after)| after.saturating_sub(before));
        if experiment.set_after_first_socket {
            settings.iter().try_for_each(|&setting| set(setting))?;
        }
        if let (Ok(first), true) = (next, experiment.peers > 0) {
            // SAFETY: `first` is a live socket of `context` that nothing
            // else holds; zmq::Socket keeps the pointer and closes it once,
            // when dropped — which happens before the context is terminated.
            let first = unsafe { zmq::Socket::from_raw(first) };
            let Some(peers) = connect_peers(&first, experiment.peers, &stop)? else {
                return Ok(None);
            };
            bound = Some((first, peers));
            next = open(zmq_sys::ZMQ_PAIR);
        }
        let error = loop {
            match next {
                Ok(socket) => sockets.push(socket),
                Err(error) => break error,
            }
            if stop() {
                return Ok(None);
            }
            next = open(zmq_sys::ZMQ_PAIR);
        };
        // The limit reached, the peers' connections are still up.
        if let Some((first, (_, peers))) = &bound {
            if !one_message_from_each(first, peers, &stop)? {
                return Ok(None);
            }
        }
        Ok(Some(Refusal {
            started_with,
            reported: get(),
            peers: experiment.peers,
            opened: sockets.len() + usize::from(bound.is_some()),
            error,
            background_threads,
        }))
    })();
    drop(bound);
    for socket in sockets {
        // SAFETY: each pointer is a socket of `context` that was opened
        // above, is used by no one else, and is closed only here.
        unsafe { zmq_sys::zmq_close(socket) };
    }
    // SAFETY: every socket of the context is closed; after this the pointer
    // is never used again. EINTR means "call again".
    while unsafe { zmq_sys::zmq_ctx_term(context) } != 0 && last_error() == zmq::Error::EINTR {}
    outcome
}
// ANCHOR_END: unsafe

/// The peers of the bound socket: their context and their sockets.
type Peers = (zmq::Context, Vec<zmq::Socket>);

/// How long the bound socket waits for its peers' messages: over loopback
/// they come at once; the limit only keeps a broken run from hanging.
const PEERS_PATIENCE: Duration = Duration::from_secs(10);

/// How often that wait asks `stop` (a signal's handler may run on another
/// thread, leaving the receive uninterrupted), in milliseconds.
const STOP_CHECK_MS: i32 = 100;

/// Binds `bound` to a loopback port; connects `count` PUSH sockets of a
/// context of their own to it; and receives a message from each: then
/// `bound` holds `count` connections from peers. Returns the peers, still
/// connected; `None` when `stop` said so first.
fn connect_peers(
    bound: &zmq::Socket,
    count: u32,
    stop: &impl Fn() -> bool,
) -> Result<Option<Peers>, Failed> {
    bound
        .set_linger(0)
        .map_err(failed_with("cannot set ZMQ_LINGER"))?;
    bound
        .set_rcvtimeo(STOP_CHECK_MS)
        .map_err(failed_with("cannot set ZMQ_RCVTIMEO"))?;
    bound
        .bind("tcp://127.0.0.1:*")
        .map_err(failed_with("cannot bind to tcp://127.0.0.1:*"))?;
    let endpoint = bound
        .get_last_endpoint()
        .map_err(failed_with("cannot read the bound endpoint"))?
        .map_err(|_| Failed {
            what: "the bound endpoint is not UTF-8".into(),
            error: zmq::Error::EINVAL,
        })?;
    let context = zmq::Context::new();
    let mut peers = Vec::new();
    for _ in 0..count {
        let peer = context
            .socket(zmq::PUSH)
            .map_err(failed_with("cannot open a peer"))?;
        peer.set_linger(0)
            .map_err(failed_with("cannot set ZMQ_LINGER"))?;
        peer.connect(&endpoint)
            .map_err(failed_with("a peer cannot connect"))?;
        peers.push(peer);
    }
    let heard = one_message_from_each(bound, &peers, stop)?;
    Ok(heard.then_some((context, peers)))
}

/// Each of `peers` sends a message to `bound`, which receives them all:
/// every connection is up. False when `stop` said so first.
fn one_message_from_each(
    bound: &zmq::Socket,
    peers: &[zmq::Socket],
    stop: &impl Fn() -> bool,
) -> Result<bool, Failed> {
    for peer in peers {
        // Queued at once: a connecting socket has its pipe before (and
        // while) its connection is up.
        peer.send("peer", zmq::DONTWAIT)
            .map_err(failed_with("a peer cannot send"))?;
    }
    let deadline = Instant::now() + PEERS_PATIENCE;
    let mut received = 0;
    while received < peers.len() {
        if stop() {
            return Ok(false);
        }
        match bound.recv_bytes(0) {
            Ok(_) => received += 1,
            Err(zmq::Error::EINTR) => {}
            Err(zmq::Error::EAGAIN) if Instant::now() < deadline => {}
            Err(error) => {
                return Err(Failed {
                    what: format!("only {received} of {} peers' messages arrived", peers.len()),
                    error,
                })
            }
        }
    }
    Ok(true)
}

/// A [`Failed`] saying `what`, for `map_err`.
fn failed_with(what: &str) -> impl Fn(zmq::Error) -> Failed + '_ {
    move |error| Failed {
        what: what.into(),
        error,
    }
}

/// libzmq's error of the last failed call on this thread (libzmq reports
/// through `errno`).
fn last_error() -> zmq::Error {
    zmq::Error::from_raw(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
}

fn failed(what: String) -> Failed {
    Failed {
        what,
        error: last_error(),
    }
}

/// How many threads this process has now, from `/proc/self/task` (Linux).
fn threads_of_this_process() -> Option<usize> {
    std::fs::read_dir("/proc/self/task")
        .ok()
        .map(|tasks| tasks.count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> bool {
        false
    }

    #[test]
    fn the_limit_is_exact_not_rounded() {
        // Small enough to share the common limit of 1024 open files with
        // the other tests of this process (each socket holds two). The
        // harness's scenarios try 512 and 1023 in a process of their own.
        for max in [1, 2, 7, 100] {
            let refusal = open_sockets_until_refused(1, Some(max), never)
                .unwrap()
                .unwrap();
            assert_eq!(refusal.opened, max as usize);
            assert_eq!(refusal.started_with.max_sockets, max);
            assert_eq!(refusal.error, zmq::Error::EMFILE);
            assert!(refusal.by_context());
        }
    }

    #[test]
    fn zero_sockets_is_refused_by_libzmq() {
        let failed = open_sockets_until_refused(1, Some(0), never).unwrap_err();
        assert_eq!(failed.what, "cannot set ZMQ_MAX_SOCKETS to 0");
        assert_eq!(failed.error, zmq::Error::EINVAL);
    }

    #[test]
    fn stop_ends_the_experiment_early() {
        assert_eq!(open_sockets_until_refused(1, Some(5), || true), Ok(None));
    }
}
