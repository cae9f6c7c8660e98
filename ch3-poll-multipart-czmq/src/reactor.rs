//! [`Reactor`]: CZMQ's `zloop`, the Rust way — run a handler when a socket is
//! readable, run a handler when a timer is due, and sleep in between.
//!
//! # How it works
//!
//! - **Readers.** [`Reactor::on_readable`] registers a socket and its handler.
//!   Each turn of the loop polls every registered socket at once (through
//!   [`lab::Poller`], which also watches the signal pipe), then calls the
//!   handler of *every* socket that is readable — in the order they were
//!   registered — once. A handler should receive **one** message
//!   ([`lab::recv_message`]): if more are waiting, the next poll returns at once
//!   and the handler runs again, after every other ready socket and due timer
//!   had its turn. That keeps a busy socket from starving the others. A handler
//!   that receives nothing leaves its socket readable, so the loop would spin:
//!   receive what you are called for. A handler may start watching another
//!   socket ([`Control::on_readable`]) or stop watching one
//!   ([`Control::remove_reader`]); an added socket is polled from the next turn.
//! - **Timers.** [`Reactor::every`] runs a handler every `interval` until it is
//!   cancelled; [`Reactor::times`] runs it `times` times, then forgets it.
//!   Timers wait in a binary heap ordered by due time, ties broken by the
//!   order they were scheduled, so finding the next one costs the same with a
//!   thousand timers as with ten. A repeating timer's next due time is its
//!   *previous due time* plus the interval, not "now" plus the interval: a slow
//!   handler does not make the timer drift. But it never catches up in a burst
//!   either: if a handler (or a busy machine) made it miss whole intervals,
//!   those ticks are skipped and the timer keeps its phase. Skipped ticks do
//!   not count towards `times`: a timer of 3 times runs its handler 3 times.
//! - **No busy waiting.** The poll's timeout is the time left until the heap's
//!   first timer (rounded *up* to a millisecond by [`lab::Poller`]), or for ever
//!   with no timer. So an idle loop sleeps in the kernel, and wakes up only for
//!   a message, a timer, or a signal.
//! - **Look, then wait.** Each turn first looks at every socket's events
//!   (`ZMQ_EVENTS`, no timeout, no signal pipe): when one has a message, that
//!   is all the turn needs, and it costs less than a `zmq_poll`. Only when
//!   none has does the loop wait, in one poll of the sockets and the signal
//!   pipe. The signal flag is checked at the start of every turn, so a busy
//!   loop sees a signal too. A look that fails leaves the turn to the poll,
//!   which meets the same failure and reports it.
//! - **Stopping.** [`Reactor::run`] returns `Ok(())` when a handler calls
//!   [`Control::stop`] or when nothing is left to wait for (no reader, no
//!   timer); `Err(lab::Error::Interrupted)` as soon as SIGINT or SIGTERM arrives
//!   (once [`lab::run`] installed the handlers); a handler's `Err` at once,
//!   unchanged; and the poll's own failure (`cannot poll: …`, e.g. when the
//!   sockets' context is terminated) as an `Err` too.
//! - **State.** Handlers share the program's state as `&mut S`, passed to
//!   [`Reactor::run`] — no `Rc<RefCell<…>>` — and get a [`Control`] to stop the
//!   loop, watch or stop watching a socket, or add or cancel timers.
//!
//! ```
//! use std::time::Duration;
//! use ch3_poll_multipart_czmq::reactor::Reactor;
//!
//! let context = zmq::Context::new();
//! let inbox = context.socket(zmq::PULL).unwrap();
//! inbox.bind("inproc://reactor-module-doc").unwrap();
//! let sender = context.socket(zmq::PUSH).unwrap();
//! sender.connect("inproc://reactor-module-doc").unwrap();
//! for word in ["one", "two", "three"] {
//!     sender.send(word, 0).unwrap();
//! }
//!
//! // The state: the messages seen so far.
//! let mut seen: Vec<String> = Vec::new();
//! let mut reactor = Reactor::new();
//! reactor.on_readable(&inbox, |seen: &mut Vec<String>, socket, control| {
//!     let message = lab::recv_message(socket)?;
//!     seen.push(message.to_string());
//!     if seen.len() == 3 {
//!         control.stop();
//!     }
//!     Ok(())
//! });
//! reactor.run(&mut seen).unwrap();
//! assert_eq!(seen, [r#""one""#, r#""two""#, r#""three""#]);
//! ```

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;
use std::time::{Duration, Instant};

/// A reader's handler: the state, the readable socket, the loop's control.
type ReadHandler<'s, S> =
    Box<dyn FnMut(&mut S, &zmq::Socket, &mut Control<'s, S>) -> lab::Result<()> + 's>;

/// A timer's handler: the state and the loop's control.
type TimerHandler<'s, S> = Box<dyn FnMut(&mut S, &mut Control<'s, S>) -> lab::Result<()> + 's>;

/// Which reader: returned by [`Reactor::on_readable`] and
/// [`Control::on_readable`], taken by [`Reactor::remove_reader`] and
/// [`Control::remove_reader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReaderId(u64);

/// Which timer: returned by [`Reactor::every`] and [`Reactor::times`] (and
/// [`Control`]'s), taken by [`Reactor::cancel_timer`] and
/// [`Control::cancel_timer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimerId(u64);

/// An event loop over readable sockets and timers (CZMQ's `zloop`); see the
/// [module documentation](self) for how it schedules.
///
/// `'s` is how long the registered sockets (and anything the handlers borrow)
/// live; `S` is the state every handler gets as `&mut S`.
///
/// A timer that runs three times, and one that runs until it stops the loop:
///
/// ```
/// use std::time::Duration;
/// use ch3_poll_multipart_czmq::reactor::Reactor;
///
/// let mut ticks = 0;
/// let mut reactor = Reactor::new();
/// reactor.times(3, Duration::from_millis(1), |ticks: &mut u32, _| {
///     *ticks += 1;
///     Ok(())
/// });
/// // With no reader and no timer left, `run` returns on its own.
/// reactor.run(&mut ticks).unwrap();
/// assert_eq!(ticks, 3);
///
/// reactor.every(Duration::from_millis(1), |ticks: &mut u32, control| {
///     *ticks += 1;
///     if *ticks == 10 {
///         control.stop();
///     }
///     Ok(())
/// });
/// reactor.run(&mut ticks).unwrap();
/// assert_eq!(ticks, 10);
/// ```
pub struct Reactor<'s, S> {
    readers: Vec<Reader<'s, S>>,
    /// The poller over `readers`; built for the first wait after they change.
    poller: Option<lab::Poller<'s>>,
    control: Control<'s, S>,
}

struct Reader<'s, S> {
    id: ReaderId,
    socket: &'s zmq::Socket,
    handler: ReadHandler<'s, S>,
    /// Its item in the reactor's poller, once the poller is built.
    handle: Option<lab::Handle>,
    /// Whether the socket has a message, as this turn found it.
    ready: bool,
}

/// Looks at each socket's events (`ZMQ_EVENTS`), without waiting and without
/// a system call to spare, and marks the readable ones: true when one is.
/// False when none is, or when a look fails: the poll then meets the same
/// failure, and reports it.
fn look<S>(readers: &mut [Reader<'_, S>]) -> bool {
    let mut any = false;
    for reader in readers {
        let Ok(events) = reader.socket.get_events() else {
            return false;
        };
        reader.ready = events.contains(zmq::POLLIN);
        any |= reader.ready;
    }
    any
}

/// Waits for a socket, a signal or the `timeout`, and marks the readable
/// sockets.
fn wait<S>(
    poller: &mut lab::Poller<'_>,
    readers: &mut [Reader<'_, S>],
    timeout: Option<Duration>,
) -> lab::Result<()> {
    let any = poller.poll(timeout)? > 0;
    for reader in readers {
        reader.ready = any && reader.handle.is_some_and(|item| poller.is_readable(item));
    }
    Ok(())
}

/// A poller over the readers' sockets (and the signal pipe), each reader
/// told its handle.
fn poll_readers<'s, S>(readers: &mut [Reader<'s, S>]) -> lab::Poller<'s> {
    let mut poller = lab::Poller::new();
    for reader in readers {
        reader.handle = Some(poller.add(reader.socket, zmq::POLLIN));
    }
    poller
}

/// What a handler can do to the loop that called it: stop it, start or stop
/// watching a socket, add or cancel timers.
pub struct Control<'s, S> {
    stopped: bool,
    next_reader: u64,
    /// Readers added by a handler, watched from the next turn.
    added: Vec<Reader<'s, S>>,
    /// Readers removed by a handler, not yet taken out of the reactor.
    removed: Vec<ReaderId>,
    timers: Timers<'s, S>,
}

impl<'s, S> Control<'s, S> {
    /// Ends [`Reactor::run`] with `Ok(())` once the current handler returns.
    /// No other handler runs after it.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// Starts watching `socket`, as [`Reactor::on_readable`] does, from the
    /// next turn of the loop on (CZMQ's `zloop_poller` called from a
    /// handler).
    pub fn on_readable(
        &mut self,
        socket: &'s zmq::Socket,
        handler: impl FnMut(&mut S, &zmq::Socket, &mut Control<'s, S>) -> lab::Result<()> + 's,
    ) -> ReaderId {
        let id = ReaderId(self.next_reader);
        self.next_reader += 1;
        self.added.push(Reader {
            id,
            socket,
            handler: Box::new(handler),
            handle: None,
            ready: false,
        });
        id
    }

    /// Stops watching a socket: its handler is not called again, not even later
    /// in the current turn.
    pub fn remove_reader(&mut self, reader: ReaderId) {
        self.removed.push(reader);
    }

    /// Adds a timer that runs for as long as the loop does, as
    /// [`Reactor::every`] does; it is first due one `interval` from now.
    pub fn every(
        &mut self,
        interval: Duration,
        handler: impl FnMut(&mut S, &mut Control<'s, S>) -> lab::Result<()> + 's,
    ) -> TimerId {
        self.timers
            .add_at(Instant::now(), interval, Runs::Forever, Box::new(handler))
    }

    /// Adds a timer that runs `times` times, as [`Reactor::times`] does; it
    /// is first due one `interval` from now.
    pub fn times(
        &mut self,
        times: usize,
        interval: Duration,
        handler: impl FnMut(&mut S, &mut Control<'s, S>) -> lab::Result<()> + 's,
    ) -> TimerId {
        self.timers.add_at(
            Instant::now(),
            interval,
            Runs::Times(times),
            Box::new(handler),
        )
    }

    /// Cancels a timer — the one running now, or any other: it never runs
    /// again. Cancelling a timer that is finished or unknown does nothing.
    pub fn cancel_timer(&mut self, timer: TimerId) {
        self.timers.cancel(timer);
    }
}

impl<S> Default for Reactor<'_, S> {
    fn default() -> Self {
        Reactor::new()
    }
}

impl<S> fmt::Debug for Reactor<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reactor")
            .field("readers", &self.readers.len())
            .field("timers", &self.control.timers.table.len())
            .finish()
    }
}

impl<'s, S> Reactor<'s, S> {
    /// A reactor with no reader and no timer.
    pub fn new() -> Reactor<'s, S> {
        Reactor {
            readers: Vec::new(),
            poller: None,
            control: Control {
                stopped: false,
                next_reader: 0,
                added: Vec::new(),
                removed: Vec::new(),
                timers: Timers::default(),
            },
        }
    }

    /// Calls `handler` each time `socket` has a message to read (CZMQ's
    /// `zloop_poller`). The handler should receive one message from the socket
    /// it is given (see the [module documentation](self)).
    pub fn on_readable(
        &mut self,
        socket: &'s zmq::Socket,
        handler: impl FnMut(&mut S, &zmq::Socket, &mut Control<'s, S>) -> lab::Result<()> + 's,
    ) -> ReaderId {
        let id = self.control.on_readable(socket, handler);
        self.apply_reader_changes();
        id
    }

    /// Stops watching a socket (CZMQ's `zloop_poller_end`). An unknown id does
    /// nothing.
    pub fn remove_reader(&mut self, reader: ReaderId) {
        self.control.remove_reader(reader);
        self.apply_reader_changes();
    }

    /// Calls `handler` every `interval` for as long as the loop runs (CZMQ's
    /// `zloop_timer` with `times` 0), until a handler cancels the timer. The
    /// first call is one `interval` from now. A zero `interval` runs the
    /// handler on every turn of the loop (the loop then never sleeps).
    pub fn every(
        &mut self,
        interval: Duration,
        handler: impl FnMut(&mut S, &mut Control<'s, S>) -> lab::Result<()> + 's,
    ) -> TimerId {
        self.control.every(interval, handler)
    }

    /// Calls `handler` every `interval`, `times` times (CZMQ's `zloop_timer`
    /// with `times` > 0); then the timer is gone. The first call is one
    /// `interval` from now. `times` 0 adds a timer that never runs.
    pub fn times(
        &mut self,
        times: usize,
        interval: Duration,
        handler: impl FnMut(&mut S, &mut Control<'s, S>) -> lab::Result<()> + 's,
    ) -> TimerId {
        self.control.times(times, interval, handler)
    }

    /// Cancels a timer (CZMQ's `zloop_timer_end`): it never runs again. An
    /// unknown or finished timer does nothing.
    pub fn cancel_timer(&mut self, timer: TimerId) {
        self.control.cancel_timer(timer);
    }

    /// How many timers are still to run.
    pub fn timers(&self) -> usize {
        self.control.timers.table.len()
    }

    /// How many sockets are watched.
    pub fn readers(&self) -> usize {
        self.readers.len()
    }

    /// Runs the loop (CZMQ's `zloop_start`) until a handler calls
    /// [`Control::stop`] or nothing is left to wait for: `Ok(())`; until SIGINT
    /// or SIGTERM: `Err(lab::Error::Interrupted)`; until a handler fails: its
    /// error; or until the poll fails: `Err` with why (`cannot poll: …`). The
    /// reactor keeps its readers and timers, so `run` may be called again.
    // ANCHOR: run
    pub fn run(&mut self, state: &mut S) -> lab::Result<()> {
        self.control.stopped = false;
        while !self.control.stopped && self.has_something_to_wait_for() {
            let turn = self.turn(state);
            // Readers the handlers added or removed count from the next turn.
            self.apply_reader_changes();
            turn?;
        }
        Ok(())
    }

    /// One turn: a look at the sockets, or, when none has a message, one wait
    /// for the sockets, the signal pipe and the first timer; then the handler
    /// of each readable socket, and of each due timer.
    fn turn(&mut self, state: &mut S) -> lab::Result<()> {
        if lab::interrupted() {
            return Err(lab::Error::Interrupted);
        }
        if !look(&mut self.readers) {
            let timeout = self
                .control
                .timers
                .next_due()
                .map(|due| due.saturating_duration_since(Instant::now()));
            let poller = self
                .poller
                .get_or_insert_with(|| poll_readers(&mut self.readers));
            wait(poller, &mut self.readers, timeout)?;
        }
        for reader in &mut self.readers {
            if !reader.ready || self.control.removed.contains(&reader.id) {
                continue;
            }
            (reader.handler)(state, reader.socket, &mut self.control)?;
            if self.control.stopped {
                return Ok(());
            }
        }
        self.control.run_due_timers(state)
    }
    // ANCHOR_END: run

    fn has_something_to_wait_for(&self) -> bool {
        !self.readers.is_empty() || !self.control.timers.is_empty()
    }

    #[inline]
    fn apply_reader_changes(&mut self) {
        if !self.control.added.is_empty() || !self.control.removed.is_empty() {
            self.apply_added_and_removed_readers();
        }
    }

    #[cold]
    fn apply_added_and_removed_readers(&mut self) {
        if !self.control.added.is_empty() {
            self.readers.append(&mut self.control.added);
            self.poller = None;
        }
        if !self.control.removed.is_empty() {
            let removed = std::mem::take(&mut self.control.removed);
            self.readers.retain(|r| !removed.contains(&r.id));
            self.poller = None;
        }
    }
}

impl<'s, S> Control<'s, S> {
    /// Runs every timer due now, earliest first. A timer rescheduled by this
    /// round waits for the next one, so even a zero-interval timer lets the
    /// sockets be polled between its runs.
    fn run_due_timers(&mut self, state: &mut S) -> lab::Result<()> {
        if self.timers.is_empty() {
            return Ok(());
        }
        let now = Instant::now();
        let round = self.timers.next_sequence;
        // One at a time off the heap: a timer this round does not reach (the
        // loop stopped, or a handler failed) keeps its place for the next.
        while let Some(id) = self.timers.pop_due(now, round) {
            let Some(mut handler) = self
                .timers
                .table
                .get_mut(&id)
                .and_then(|timer| timer.handler.take())
            else {
                continue;
            };
            let outcome = handler(state, self);
            // Put the handler back, unless it cancelled its own timer.
            if let Some(timer) = self.timers.table.get_mut(&id) {
                timer.handler = Some(handler);
                self.timers.reschedule(id, Instant::now());
            }
            outcome?;
            if self.stopped {
                return Ok(());
            }
        }
        Ok(())
    }
}

/// The timers: their handlers by id, and a min-heap of (due time, sequence)
/// entries. Cancelling removes the handler at once; its heap entry is dropped
/// lazily when it reaches the top (an entry whose sequence no longer matches
/// its timer's is stale).
struct Timers<'s, S> {
    table: HashMap<TimerId, Timer<'s, S>>,
    heap: BinaryHeap<Reverse<Entry>>,
    /// Both the timer ids and the scheduling sequence numbers: each
    /// (re)scheduling takes the next one, which orders equal due times.
    next_sequence: u64,
}

/// How many times a timer runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Runs {
    /// Until it is cancelled.
    Forever,
    /// This many times (more than 0 while the timer is in the table).
    Times(usize),
}

struct Timer<'s, S> {
    interval: Duration,
    /// Runs left.
    left: Runs,
    /// When it is due next, and the sequence of its live heap entry.
    due: Instant,
    sequence: u64,
    /// `None` only while the handler runs.
    handler: Option<TimerHandler<'s, S>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    due: Instant,
    sequence: u64,
    id: TimerId,
}

impl<S> Default for Timers<'_, S> {
    fn default() -> Self {
        Timers {
            table: HashMap::new(),
            heap: BinaryHeap::new(),
            next_sequence: 0,
        }
    }
}

impl<'s, S> Timers<'s, S> {
    fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    fn sequence(&mut self) -> u64 {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        sequence
    }

    /// Adds a timer first due one `interval` after `now`; one of no runs is
    /// finished at once (its id is never live).
    fn add_at(
        &mut self,
        now: Instant,
        interval: Duration,
        runs: Runs,
        handler: TimerHandler<'s, S>,
    ) -> TimerId {
        let id = TimerId(self.sequence());
        if runs == Runs::Times(0) {
            return id;
        }
        let sequence = self.sequence();
        let due = now + interval;
        self.table.insert(
            id,
            Timer {
                interval,
                left: runs,
                due,
                sequence,
                handler: Some(handler),
            },
        );
        self.heap.push(Reverse(Entry { due, sequence, id }));
        id
    }

    fn cancel(&mut self, id: TimerId) {
        if self.table.remove(&id).is_some() {
            self.compact_if_mostly_stale();
        }
    }

    /// Rebuilds the heap when stale entries outnumber live ones, so adding
    /// and cancelling far-off timers in a loop cannot grow it without bound.
    fn compact_if_mostly_stale(&mut self) {
        if self.heap.len() > 2 * self.table.len() + 16 {
            let table = &self.table;
            self.heap.retain(|Reverse(entry)| {
                table
                    .get(&entry.id)
                    .is_some_and(|t| t.sequence == entry.sequence)
            });
        }
    }

    fn is_live(&self, entry: &Entry) -> bool {
        self.table
            .get(&entry.id)
            .is_some_and(|timer| timer.sequence == entry.sequence)
    }

    /// When the first live timer is due (dropping stale entries on top).
    fn next_due(&mut self) -> Option<Instant> {
        while let Some(Reverse(entry)) = self.heap.peek() {
            if self.is_live(entry) {
                return Some(entry.due);
            }
            self.heap.pop();
        }
        None
    }

    /// Takes off the heap the earliest live timer due at `now` and scheduled
    /// before sequence `round` (one rescheduled since waits for the next
    /// round, even with a zero interval).
    fn pop_due(&mut self, now: Instant, round: u64) -> Option<TimerId> {
        while let Some(Reverse(entry)) = self.heap.peek().copied() {
            if entry.due > now || entry.sequence >= round {
                return None;
            }
            self.heap.pop();
            if self.is_live(&entry) {
                return Some(entry.id);
            }
        }
        None
    }

    /// After a run: counts it, and schedules the next one (no drift, no
    /// burst: the first multiple of the interval after the previous due time
    /// that is still ahead of `now`), or forgets a finished timer.
    fn reschedule(&mut self, id: TimerId, now: Instant) {
        let sequence = self.sequence();
        let Some(timer) = self.table.get_mut(&id) else {
            return;
        };
        if let Runs::Times(left) = &mut timer.left {
            *left -= 1;
            if *left == 0 {
                self.table.remove(&id);
                return;
            }
        }
        timer.due = next_due(timer.due, timer.interval, now);
        timer.sequence = sequence;
        self.heap.push(Reverse(Entry {
            due: timer.due,
            sequence,
            id,
        }));
    }
}

// ANCHOR: next_due
/// The first `previous + k × interval` (k ≥ 1) later than `now`; with a zero
/// interval, `now` itself.
fn next_due(previous: Instant, interval: Duration, now: Instant) -> Instant {
    if interval.is_zero() {
        return now;
    }
    let next = previous + interval;
    if next > now {
        return next;
    }
    let skipped = now.duration_since(previous).as_nanos() / interval.as_nanos() + 1;
    u32::try_from(skipped)
        .ok()
        .and_then(|k| previous.checked_add(interval.checked_mul(k)?))
        .unwrap_or(now + interval)
}
// ANCHOR_END: next_due

#[cfg(test)]
mod tests;
