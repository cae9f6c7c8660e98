//! A signal ends a *waiting* `Reactor` at once with `Err(Interrupted)`: the
//! signal comes while the loop sleeps in its poll, and is handled on another
//! thread, so the poll is not interrupted — only the signal pipe it watches
//! can wake it.
//!
//! In its own test binary: installing the signal handlers, and being signalled,
//! changes the whole process (every later wait ends at once).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use ch3_poll_multipart_czmq::reactor::Reactor;

#[path = "support/bounded.rs"]
mod bounded;
use bounded::within_bound;

#[test]
fn sigterm_ends_a_waiting_reactor_at_once() {
    within_bound(|| {
        lab::interrupt::install().unwrap();
        let context = zmq::Context::new();
        let pull = context.socket(zmq::PULL).unwrap();
        pull.bind("inproc://reactor-interrupt").unwrap();

        let mut reactor = Reactor::new();
        reactor.on_readable(&pull, |_: &mut Vec<&str>, socket, _| {
            lab::recv_message(socket).map(drop)
        });
        // The loop would otherwise wait an hour for this timer.
        reactor.times(1, Duration::from_secs(3600), |log: &mut Vec<&str>, _| {
            log.push("far timer");
            Ok(())
        });
        // Once this thread sleeps in the loop's poll, another one raises
        // SIGTERM on itself: the handler runs there, not here.
        let reactor_thread = this_thread().unwrap();
        let signaller = thread::spawn(move || {
            wait_until_asleep_in_poll(&reactor_thread)?;
            signal_hook::low_level::raise(signal_hook::consts::SIGTERM)
        });
        let mut log = Vec::new();
        // Not a timing claim: without the wake-up the loop would wait an
        // hour, so the test's bound (far below that, and far above a loaded
        // machine's scheduling delays) tells the two apart.
        assert_eq!(reactor.run(&mut log), Err(lab::Error::Interrupted));
        signaller.join().unwrap().unwrap();
        assert!(log.is_empty(), "{log:?}");
    });
}

/// The calling thread's directory in /proc (`/proc/<pid>/task/<tid>`).
fn this_thread() -> io::Result<PathBuf> {
    let task = fs::read_link("/proc/thread-self")?;
    Ok(PathBuf::from("/proc").join(task))
}

/// Returns once the thread at `task` is asleep in poll(2) or ppoll(2)
/// (`/proc/…/syscall` starts with the number of the call it sleeps in;
/// `running` while it runs). No sleep: it looks again at once, until the
/// test's bound.
fn wait_until_asleep_in_poll(task: &Path) -> io::Result<()> {
    let polls = [
        #[cfg(target_arch = "x86_64")]
        libc::SYS_poll,
        libc::SYS_ppoll,
    ];
    loop {
        let syscall = fs::read_to_string(task.join("syscall"))?;
        let number = syscall.split_whitespace().next().unwrap_or("");
        if number.parse().is_ok_and(|number| polls.contains(&number)) {
            return Ok(());
        }
        thread::yield_now();
    }
}
