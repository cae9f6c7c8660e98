//! [`Poller`]: `zmq::poll` over sockets (and plain file descriptors) that a
//! signal interrupts at once.
//!
//! The poller owns its poll items and adds one of its own: the read end of the
//! signal pipe (see [`crate::interrupt`]). SIGINT or SIGTERM writes a byte into
//! that pipe, so a poll that is waiting wakes up immediately, and one that is
//! about to start returns at once — there is no moment at which a signal can be
//! missed, and no polling in slices.

use std::os::fd::RawFd;
use std::time::Duration;

use crate::interrupt::{interrupted, wake_fd};
use crate::{Context, Error, Result};

/// Sockets and file descriptors to wait on together, plus the signal pipe.
///
/// ```
/// use std::time::Duration;
///
/// let context = zmq::Context::new();
/// let tasks = context.socket(zmq::PULL).unwrap();
/// tasks.bind("inproc://poller-doc").unwrap();
/// let feeder = context.socket(zmq::PUSH).unwrap();
/// feeder.connect("inproc://poller-doc").unwrap();
///
/// let mut poller = lab::Poller::new();
/// let task = poller.add(&tasks, zmq::POLLIN);
/// assert_eq!(poller.poll(Some(Duration::from_millis(10))).unwrap(), 0);
/// feeder.send("work", 0).unwrap();
/// assert_eq!(poller.poll(None).unwrap(), 1);
/// assert!(poller.is_readable(task));
/// ```
pub struct Poller<'a> {
    /// The caller's items, then (when handlers are installed) the signal pipe.
    items: Vec<zmq::PollItem<'a>>,
    /// Whether the last item is the signal pipe.
    watches_signals: bool,
}

/// Which of a [`Poller`]'s items: returned by [`Poller::add`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Handle(usize);

impl Handle {
    /// The item's position, in the order items were added (0 first).
    pub fn index(self) -> usize {
        self.0
    }
}

impl Default for Poller<'_> {
    fn default() -> Self {
        Poller::new()
    }
}

impl<'a> Poller<'a> {
    /// A poller with no items yet (and the signal pipe, once [`crate::run`]
    /// installed the handlers).
    pub fn new() -> Poller<'a> {
        let mut items = Vec::new();
        let wake = wake_fd();
        if let Some(fd) = wake {
            items.push(zmq::PollItem::from_fd(fd, zmq::POLLIN));
        }
        Poller {
            items,
            watches_signals: wake.is_some(),
        }
    }

    /// Waits for `events` (`zmq::POLLIN`, `zmq::POLLOUT`) on `socket`.
    pub fn add(&mut self, socket: &'a zmq::Socket, events: zmq::PollEvents) -> Handle {
        self.insert(socket.as_poll_item(events))
    }

    /// Waits for `events` on a plain file descriptor (stdin, a pipe).
    pub fn add_fd(&mut self, fd: RawFd, events: zmq::PollEvents) -> Handle {
        self.insert(zmq::PollItem::from_fd(fd, events))
    }

    fn insert(&mut self, item: zmq::PollItem<'a>) -> Handle {
        let at = self.callers_items();
        self.items.insert(at, item);
        Handle(at)
    }

    /// How many items the caller added.
    pub fn len(&self) -> usize {
        self.callers_items()
    }

    /// True when the caller added no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn callers_items(&self) -> usize {
        self.items.len() - usize::from(self.watches_signals)
    }

    /// Changes what to wait for on `item` (e.g. `zmq::PollEvents::empty()` to
    /// leave it out for a while).
    pub fn set_events(&mut self, item: Handle, events: zmq::PollEvents) {
        if let Some(item) = self.items.get_mut(item.0) {
            item.set_events(events);
        }
    }

    /// Waits until at least one item is ready, or `timeout` passes (`None`:
    /// for ever). Returns how many items are ready (0 on timeout), or
    /// `Err(Interrupted)` as soon as SIGINT or SIGTERM arrives.
    pub fn poll(&mut self, timeout: Option<Duration>) -> Result<usize> {
        let deadline = timeout.map(|timeout| std::time::Instant::now() + timeout);
        loop {
            if interrupted() {
                return Err(Error::Interrupted);
            }
            let left = deadline.map(|d| d.saturating_duration_since(std::time::Instant::now()));
            match zmq::poll(&mut self.items, left.map_or(-1, millis)) {
                Ok(_) if self.signal_arrived() => return Err(Error::Interrupted),
                Ok(ready) => return Ok(usize::try_from(ready).unwrap_or(0)),
                // Another signal (SIGCHLD, …) interrupted the wait: wait on.
                Err(zmq::Error::EINTR) => continue,
                Err(error) => return Err(error).context("cannot poll"),
            }
        }
    }

    fn signal_arrived(&self) -> bool {
        interrupted() || (self.watches_signals && self.items.last().is_some_and(is_ready))
    }

    /// What happened on `item` in the last [`Poller::poll`].
    pub fn revents(&self, item: Handle) -> zmq::PollEvents {
        self.items
            .get(item.0)
            .map_or(zmq::PollEvents::empty(), zmq::PollItem::get_revents)
    }

    /// True when `item` had a message (or data) to read in the last poll.
    pub fn is_readable(&self, item: Handle) -> bool {
        self.revents(item).contains(zmq::POLLIN)
    }

    /// True when `item` could take a message in the last poll.
    pub fn is_writable(&self, item: Handle) -> bool {
        self.revents(item).contains(zmq::POLLOUT)
    }
}

fn is_ready(item: &zmq::PollItem) -> bool {
    !item.get_revents().is_empty()
}

/// Milliseconds for `zmq::poll`, rounded up so a short wait does not spin.
pub(crate) fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros().div_ceil(1000)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_rounds_up() {
        assert_eq!(millis(Duration::from_micros(1)), 1);
        assert_eq!(millis(Duration::ZERO), 0);
        assert_eq!(millis(Duration::from_millis(7)), 7);
    }

    #[test]
    fn handles_name_the_items_in_order() {
        let context = zmq::Context::new();
        let first = context.socket(zmq::PULL).unwrap();
        let second = context.socket(zmq::PULL).unwrap();
        first.bind("inproc://poller-a").unwrap();
        second.bind("inproc://poller-b").unwrap();
        let push = context.socket(zmq::PUSH).unwrap();
        push.connect("inproc://poller-b").unwrap();
        push.send("to b", 0).unwrap();
        let mut poller = Poller::new();
        let a = poller.add(&first, zmq::POLLIN);
        let b = poller.add(&second, zmq::POLLIN);
        assert_eq!((a.index(), b.index(), poller.len()), (0, 1, 2));
        assert_eq!(poller.poll(None).unwrap(), 1);
        assert!(!poller.is_readable(a));
        assert!(poller.is_readable(b));
    }

    #[test]
    fn an_item_left_out_is_not_polled() {
        let context = zmq::Context::new();
        let pull = context.socket(zmq::PULL).unwrap();
        pull.bind("inproc://poller-left-out").unwrap();
        let push = context.socket(zmq::PUSH).unwrap();
        push.connect("inproc://poller-left-out").unwrap();
        push.send("x", 0).unwrap();
        let mut poller = Poller::new();
        let item = poller.add(&pull, zmq::POLLIN);
        poller.set_events(item, zmq::PollEvents::empty());
        assert_eq!(poller.poll(Some(Duration::from_millis(5))).unwrap(), 0);
        poller.set_events(item, zmq::POLLIN);
        assert_eq!(poller.poll(Some(Duration::from_millis(5))).unwrap(), 1);
    }
}
