//! The context's two settings of chapter 3, "Setting I/O threads and limiting
//! the number of sockets": `ZMQ_IO_THREADS` and `ZMQ_MAX_SOCKETS`, and what
//! happens when a program opens one socket too many.
//!
//! The `zmq` crate (0.10) sets `ZMQ_IO_THREADS` (`Context::set_io_threads`)
//! but has no setter for `ZMQ_MAX_SOCKETS`, and no way to get at the raw
//! context pointer that `zmq_ctx_set` needs. So [`open_sockets_until_refused`]
//! runs the whole experiment on a raw libzmq context of its own, through
//! `zmq-sys`: it is the one function of the workspace's examples that is
//! `unsafe` inside, and each unsafe call says why it is sound.
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

use std::os::raw::c_int;

/// The most sockets `--max-sockets` may ask for: libzmq's `ZMQ_SOCKET_LIMIT`
/// on Linux. (libzmq accepts any positive `int`, but sizes an array by the
/// value plus the thread count: near `i32::MAX` that sum overflows.)
pub const MAX_SOCKETS_LIMIT: i32 = 65_535;

/// The most I/O threads `--io-threads` may ask for.
pub const IO_THREADS_LIMIT: i32 = 256;

/// What [`open_sockets_until_refused`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `ZMQ_IO_THREADS` as the context reports it after setting.
    pub io_threads: i32,
    /// `ZMQ_MAX_SOCKETS` as the context reports it after setting (libzmq's
    /// default, 1023, when none was set).
    pub max_sockets: i32,
    /// How many sockets were opened before one was refused.
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
            && usize::try_from(self.max_sockets).is_ok_and(|max| self.opened == max)
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

/// Creates a context, sets `ZMQ_IO_THREADS` to `io_threads` and, unless
/// `max_sockets` is `None` (libzmq's default), `ZMQ_MAX_SOCKETS`; then opens
/// PAIR sockets until the context refuses one, closes them all and
/// terminates the context. `stop` is asked before each socket: when it says
/// true the experiment ends early with `Ok(None)` (a signal arrived).
///
/// ```
/// use ch3_poll_multipart_czmq::context_limits::open_sockets_until_refused;
///
/// let refusal = open_sockets_until_refused(1, Some(5), || false).unwrap().unwrap();
/// assert_eq!((refusal.opened, refusal.max_sockets), (5, 5));
/// assert!(refusal.by_context());
/// ```
// ANCHOR: unsafe
#[allow(unsafe_code)]
pub fn open_sockets_until_refused(
    io_threads: i32,
    max_sockets: Option<i32>,
    stop: impl Fn() -> bool,
) -> Result<Option<Refusal>, Failed> {
    let mut settings = vec![(zmq_sys::ZMQ_IO_THREADS, "ZMQ_IO_THREADS", io_threads)];
    if let Some(max) = max_sockets {
        // The one setting the zmq crate cannot make.
        settings.push((zmq_sys::ZMQ_MAX_SOCKETS, "ZMQ_MAX_SOCKETS", max));
    }
    // SAFETY: zmq_ctx_new takes nothing and returns a new context or null.
    let context = unsafe { zmq_sys::zmq_ctx_new() };
    if context.is_null() {
        return Err(failed("cannot create a context".into()));
    }
    let mut sockets = Vec::new();
    let outcome = (|| {
        for (option, name, value) in settings {
            // SAFETY: `context` is the live context created above (it is
            // terminated only at the end of this function); the option is an
            // int option of zmq_ctx_set.
            if unsafe { zmq_sys::zmq_ctx_set(context, option as c_int, value) } != 0 {
                return Err(failed(format!("cannot set {name} to {value}")));
            }
        }
        let get = |option: u32| {
            // SAFETY: as above; zmq_ctx_get only reads the context.
            unsafe { zmq_sys::zmq_ctx_get(context, option as c_int) }
        };
        let threads_before = threads_of_this_process();
        loop {
            if stop() {
                return Ok(None);
            }
            // SAFETY: as above; the socket returned, if not null, is pushed
            // into `sockets` and closed exactly once below.
            let socket = unsafe { zmq_sys::zmq_socket(context, zmq_sys::ZMQ_PAIR as c_int) };
            if socket.is_null() {
                let error = last_error();
                let threads_after = threads_of_this_process();
                return Ok(Some(Refusal {
                    io_threads: get(zmq_sys::ZMQ_IO_THREADS),
                    max_sockets: get(zmq_sys::ZMQ_MAX_SOCKETS),
                    opened: sockets.len(),
                    error,
                    background_threads: threads_before
                        .zip(threads_after)
                        .map(|(before, after)| after.saturating_sub(before)),
                }));
            }
            sockets.push(socket);
        }
    })();
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
            assert_eq!(refusal.max_sockets, max);
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
