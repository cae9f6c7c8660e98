//! The network namespaces this process made, and making sure none outlives
//! it: removed by their network's `Drop` (success, failure, panic), by a
//! signal watcher on Ctrl-C (SIGINT), SIGTERM and SIGHUP, and — for a process
//! killed outright, which runs neither — by the next harness process's sweep
//! of namespaces whose process is gone.
//!
//! Every name is `zbr-<pid>-…` (zmq-book-rs, then the process id), so
//! parallel test processes never collide, and the sweep knows whose each is.

use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard, Once};

use super::ip::ip;
use crate::{Failure, Result};

/// What every namespace name starts with.
pub const PREFIX: &str = "zbr-";

/// Where `ip netns` keeps the names of network namespaces.
const NAMED: &str = "/run/netns";

/// This process's namespaces, and whether it is being torn down by a signal
/// (then no new one is made).
struct Live {
    names: BTreeSet<String>,
    closing: bool,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    names: BTreeSet::new(),
    closing: false,
});

fn live() -> MutexGuard<'static, Live> {
    // A panic elsewhere cannot leave the set inconsistent: use it anyway.
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `zbr-<pid>-<rest>`: a namespace name of this process.
pub fn name(rest: &str) -> String {
    format!("{PREFIX}{}-{rest}", std::process::id())
}

/// Makes the network namespace `name` and records it. The record and the
/// namespace come into being under one lock, so a teardown by signal sees
/// either both or neither.
pub fn create(name: &str) -> Result<()> {
    watch_once();
    let mut live = live();
    if live.closing {
        return Err(Failure::new("interrupted: tearing the network down"));
    }
    ip(&["netns", "add", name])?;
    live.names.insert(name.to_string());
    Ok(())
}

/// Removes the namespace `name` (and with it its links: a veth pair goes
/// when either end's namespace does). Programs still inside keep it alive,
/// unnamed, until they exit.
pub fn remove(name: &str) {
    let _ = ip(&["netns", "delete", name]);
    live().names.remove(name);
}

/// The first time: removes the namespaces of harness processes that are
/// gone, and starts the signal watcher.
fn watch_once() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        sweep_ended_processes();
        watch_signals();
    });
}

/// Removes every `zbr-<pid>-…` namespace whose process has ended (killed
/// with SIGKILL, say, which runs no `Drop` and no handler).
pub fn sweep_ended_processes() {
    for name in leftovers() {
        let _ = ip(&["netns", "delete", &name]);
    }
}

/// The `zbr-<pid>-…` namespaces whose process has ended.
pub fn leftovers() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(NAMED) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| owner(name).is_some_and(|pid| !crate::scenarios::process_exists(pid)))
        .collect()
}

/// Every namespace named `zbr-<pid>-…`, whoever made it.
pub fn all_ours() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(NAMED) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| owner(name).is_some())
        .collect()
}

/// The process id in a `zbr-<pid>-…` name.
fn owner(name: &str) -> Option<libc::pid_t> {
    name.strip_prefix(PREFIX)?.split('-').next()?.parse().ok()
}

/// On SIGINT, SIGTERM or SIGHUP: removes every namespace of this process,
/// then dies of the signal as it would have without the watcher. (Every
/// program running inside them gets SIGKILL when the harness dies: the
/// spawn guard's `PR_SET_PDEATHSIG`.)
fn watch_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("net-teardown".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                tear_down_all();
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    drop(spawned);
}

/// Removes every namespace of this process, and refuses new ones.
fn tear_down_all() {
    let mut live = live();
    live.closing = true;
    for name in std::mem::take(&mut live.names) {
        let _ = ip(&["netns", "delete", &name]);
    }
}
