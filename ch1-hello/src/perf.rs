//! What the six performance tools share: their arguments, the four hot loops
//! (ping, echo, flood, drain) and the report lines of libzmq's own perf
//! programs, so a Rust tool pairs with a C one (`local_thr` with `remote-thr`).
//!
//! The loops do what the C tools do per message and nothing more:
//!
//! - one message ([`Frame`], a `zmq_msg_t`) is reused for every receive, and a
//!   received message is sent back as it is;
//! - the flood side copies its payload into a fresh message per send, as the C
//!   `remote_thr` makes one with `zmq_msg_init_size` (libzmq owns a message once
//!   sent) — no Rust allocation, no UTF-8, no printing.
//!
//! Ctrl-C: the sockets block as the C tools' do, with no timeout — a receive
//! timeout costs a kernel timer per blocking call, measured at +2.5 µs of
//! latency here. A signal interrupts a blocked call (libzmq's own threads
//! block signals, so the main thread takes it), and a running loop looks at
//! the interrupt flag once every [`THROUGHPUT_CHECK_EVERY`] messages in the
//! throughput tools and once a round trip in the latency tools. The first wait for
//! a peer goes through `lab::wait_readable`, which cannot miss a signal. In
//! the inproc tools only the main thread's loop stops on the signal; the peer
//! thread's goes on ([`OnCtrlC`]) so the main thread is never left waiting
//! for a peer that quit. The last wait, for queued messages to leave, is
//! interruptible too ([`lab::close_after`]). What is left is a signal landing
//! in the sub-microsecond gap between two calls at the very moment the peer
//! vanishes: then a second Ctrl-C ends the tool.

pub mod frame;

use std::time::Duration;

use lab::{Context, Error};

pub use frame::Frame;

/// The endpoint `inproc-lat` binds and its echo thread connects to (the C
/// tool's).
pub const INPROC_LAT_ENDPOINT: &str = "inproc://lat_test";

/// The endpoint `inproc-thr` binds and its flood thread connects to (the C
/// tool's).
pub const INPROC_THR_ENDPOINT: &str = "inproc://thr_test";

/// `<message-size> <roundtrip-count>`: the latency tools' workload.
#[derive(clap::Args, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roundtrips {
    /// Size of each message, in bytes.
    #[arg(value_name = "MESSAGE-SIZE")]
    pub size: usize,
    /// How many request-reply round trips to time.
    #[arg(value_name = "ROUNDTRIP-COUNT", value_parser = clap::value_parser!(u64).range(1..))]
    pub roundtrips: u64,
}

/// `<message-size> <message-count>`: the throughput tools' workload.
#[derive(clap::Args, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Messages {
    /// Size of each message, in bytes.
    #[arg(value_name = "MESSAGE-SIZE")]
    pub size: usize,
    /// How many messages to stream.
    #[arg(value_name = "MESSAGE-COUNT", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: u64,
}

/// A socket of `kind`, with libzmq's defaults (as the C tools use).
pub fn socket(context: &zmq::Context, kind: zmq::SocketType) -> lab::Result<zmq::Socket> {
    context.socket(kind).context("cannot create socket")
}

/// `<bind-to>` and `--max-msg-size`: where the local tools listen, and the
/// largest message they accept.
#[derive(clap::Args, Debug, Clone)]
pub struct BindTo {
    /// Endpoint to bind to, e.g. `tcp://127.0.0.1:5555`.
    #[arg(value_name = "BIND-TO")]
    pub endpoint: String,
    /// `--max-msg-size`: the largest message the socket accepts.
    #[command(flatten)]
    pub limit: lab::MessageLimit,
}

impl BindTo {
    /// A [`socket`] of `kind` bound to the endpoint (printing `bound
    /// <endpoint>`) that accepts messages up to the limit — checked first to
    /// hold messages of `size` bytes.
    pub fn listen(
        &self,
        context: &zmq::Context,
        kind: zmq::SocketType,
        size: usize,
    ) -> lab::Result<zmq::Socket> {
        check_limit(&self.limit, size)?;
        let socket = socket(context, kind)?;
        self.limit.apply(&socket)?;
        lab::bind(&socket, &self.endpoint)?;
        Ok(socket)
    }
}

/// `<connect-to>`: where the remote tools find their local peer.
#[derive(clap::Args, Debug, Clone)]
pub struct ConnectTo {
    /// Endpoint of the local tool to connect to, e.g. `tcp://127.0.0.1:5555`.
    #[arg(value_name = "CONNECT-TO")]
    pub endpoint: String,
}

impl ConnectTo {
    /// A [`socket`] of `kind` connected to the endpoint.
    pub fn dial(&self, context: &zmq::Context, kind: zmq::SocketType) -> lab::Result<zmq::Socket> {
        dial(context, kind, &self.endpoint)
    }
}

/// A [`socket`] of `kind` connected to `endpoint`.
pub fn dial(
    context: &zmq::Context,
    kind: zmq::SocketType,
    endpoint: &str,
) -> lab::Result<zmq::Socket> {
    let socket = socket(context, kind)?;
    lab::connect(&socket, endpoint)?;
    Ok(socket)
}

/// Refuses a run whose messages the listening socket would refuse: libzmq drops
/// the connection of a peer whose message is over `ZMQ_MAXMSGSIZE`, and the
/// tools would wait for ever.
pub fn check_limit(limit: &lab::MessageLimit, message_size: usize) -> lab::Result<()> {
    let fits = limit.max_msg_size < 0
        || i64::try_from(message_size).is_ok_and(|size| size <= limit.max_msg_size);
    if fits {
        Ok(())
    } else {
        Err(Error::failed(format!(
            "message size {message_size} is over --max-msg-size {}: raise the limit",
            limit.max_msg_size
        )))
    }
}

// ANCHOR: ping
/// The timed side of the latency test (REQ): sends a `size`-byte message, waits
/// for it to come back, `roundtrips` times, and returns how many round trips
/// it completed and how long they took.
pub fn ping(socket: &mut zmq::Socket, workload: &Roundtrips) -> lab::Result<Timed> {
    let Roundtrips { size, roundtrips } = *workload;
    let mut message = Frame::zeroed(size).context("cannot make a message")?;
    let mut ctrl_c = CtrlC::each_round_trip(OnCtrlC::Stop);
    let mut done = 0;
    let started = std::time::Instant::now();
    while done < roundtrips {
        ctrl_c.check()?;
        send(socket, &mut message, OnCtrlC::Stop)?;
        receive(socket, &mut message, size, OnCtrlC::Stop)?;
        done += 1;
    }
    Ok(Timed::since(started, done))
}
// ANCHOR_END: ping

// ANCHOR: echo
/// The other side of the latency test (REP): receives each message and sends
/// the very same message back, `roundtrips` times.
pub fn echo(
    socket: &mut zmq::Socket,
    workload: &Roundtrips,
    on_ctrl_c: OnCtrlC,
) -> lab::Result<()> {
    let Roundtrips { size, roundtrips } = *workload;
    let mut message = Frame::new();
    let mut ctrl_c = CtrlC::each_round_trip(on_ctrl_c);
    lab::wait_readable(socket, None)?;
    for _ in 0..roundtrips {
        ctrl_c.check()?;
        receive(socket, &mut message, size, on_ctrl_c)?;
        send(socket, &mut message, on_ctrl_c)?;
    }
    Ok(())
}
// ANCHOR_END: echo

// ANCHOR: flood
/// The sending side of the throughput test (PUSH): sends `count` messages of
/// `size` zero bytes as fast as the socket takes them.
pub fn flood(socket: &mut zmq::Socket, workload: &Messages, on_ctrl_c: OnCtrlC) -> lab::Result<()> {
    let Messages { size, count } = *workload;
    let payload = vec![0; size];
    let mut ctrl_c = CtrlC::throughput(on_ctrl_c);
    for _ in 0..count {
        ctrl_c.check()?;
        send_copy(socket, &payload, on_ctrl_c)?;
    }
    Ok(())
}
// ANCHOR_END: flood

// ANCHOR: drain
/// The timed side of the throughput test (PULL): receives `count` messages and
/// returns how many it received and how long all but the first took — the
/// clock starts when the first one arrives, as in libzmq's `local_thr`, so
/// connecting is not counted.
pub fn drain(socket: &mut zmq::Socket, workload: &Messages) -> lab::Result<Timed> {
    let Messages { size, count } = *workload;
    let mut message = Frame::new();
    let mut ctrl_c = CtrlC::throughput(OnCtrlC::Stop);
    lab::wait_readable(socket, None)?;
    receive(socket, &mut message, size, OnCtrlC::Stop)?;
    let mut received = 1;
    let started = std::time::Instant::now();
    while received < count {
        ctrl_c.check()?;
        receive(socket, &mut message, size, OnCtrlC::Stop)?;
        received += 1;
    }
    Ok(Timed::since(started, received))
}
// ANCHOR_END: drain

/// What a timed loop measured: how many messages (or round trips) it really
/// counted, and how long they took. The reports print this count, not the
/// one asked for, so a loop that stops short — or a peer that sends fewer —
/// shows in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timed {
    /// Messages received, or round trips completed.
    pub count: u64,
    /// How long they took.
    pub elapsed: Duration,
}

impl Timed {
    /// `count` done since `started`.
    fn since(started: std::time::Instant, count: u64) -> Timed {
        Timed {
            count,
            elapsed: started.elapsed(),
        }
    }
}

/// Receives the next message into `message` (reusing it) and checks its size.
#[inline]
fn receive(
    socket: &mut zmq::Socket,
    message: &mut Frame,
    size: usize,
    on_ctrl_c: OnCtrlC,
) -> lab::Result<()> {
    loop {
        match message.recv(socket) {
            Ok(received) if received == size => return Ok(()),
            Ok(received) => return Err(wrong_size(received, size)),
            Err(error) => blocked(error, "cannot receive", on_ctrl_c)?,
        }
    }
}

/// Sends `message`, which leaves it empty and ready to receive into. REQ and
/// REP sends never wait for room here (one message in flight), but a signal
/// can still interrupt one — libzmq looks at its command mailbox first — and
/// then the message is untouched: the loop that goes on after Ctrl-C sends
/// it again. (Were the inproc echo thread to quit on that `EINTR`, the main
/// thread would wait for ever for the echo: under load, now and then, it did.)
#[inline]
fn send(socket: &mut zmq::Socket, message: &mut Frame, on_ctrl_c: OnCtrlC) -> lab::Result<()> {
    loop {
        match message.send(socket) {
            Ok(()) => return Ok(()),
            Err(error) => blocked(error, "cannot send", on_ctrl_c)?,
        }
    }
}

/// Sends a copy of `payload`, waiting while the socket is at its high-water
/// mark (the peer is slower, or not there yet).
#[inline]
fn send_copy(socket: &mut zmq::Socket, payload: &[u8], on_ctrl_c: OnCtrlC) -> lab::Result<()> {
    loop {
        match frame::send_copy(socket, payload) {
            Ok(()) => return Ok(()),
            Err(error) => blocked(error, "cannot send", on_ctrl_c)?,
        }
    }
}

/// How many messages a throughput loop handles between two looks at the
/// Ctrl-C flag. Looking costs more than an atomic load suggests — the flag's
/// cache line is usually not in this core's cache: 9 ns a message, 4 % of
/// `local-thr`'s CPU time, when looked at every time. A signal that lands
/// while a call is blocked interrupts it at once anyway.
///
/// The latency loops look once a round trip: a round trip costs tens of
/// microseconds, so the look is lost in it, and on a loaded machine 1024 round
/// trips — each waiting for the scheduler twice — can take seconds.
pub const THROUGHPUT_CHECK_EVERY: u32 = 1024;

/// The loops' look at the Ctrl-C flag, once every `every` calls.
struct CtrlC {
    until_check: u32,
    every: u32,
    on_ctrl_c: OnCtrlC,
}

/// Which loop of a tool stops on Ctrl-C.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnCtrlC {
    /// This one: it looks at the flag (every [`THROUGHPUT_CHECK_EVERY`]
    /// messages, or every round trip). The loop of a tool's main thread.
    Stop,
    /// Not this one: the loop of an inproc tool's peer thread keeps going —
    /// even when the signal interrupts one of its own calls — so that the
    /// main thread, maybe blocked waiting for this one's next message, gets
    /// that message and sees the flag. (Were the peer to stop first, the main
    /// thread would wait for ever: the signal was handled on the peer's
    /// thread, nothing interrupts the main thread's wait.) When the main
    /// thread ends, the context's termination ends this loop (`ETERM`).
    Continue,
}

impl CtrlC {
    fn throughput(on_ctrl_c: OnCtrlC) -> CtrlC {
        CtrlC::every(THROUGHPUT_CHECK_EVERY, on_ctrl_c)
    }

    fn each_round_trip(on_ctrl_c: OnCtrlC) -> CtrlC {
        CtrlC::every(1, on_ctrl_c)
    }

    fn every(every: u32, on_ctrl_c: OnCtrlC) -> CtrlC {
        CtrlC {
            until_check: every,
            every,
            on_ctrl_c,
        }
    }

    #[inline]
    fn check(&mut self) -> lab::Result<()> {
        self.until_check -= 1;
        if self.until_check > 0 {
            return Ok(());
        }
        self.until_check = self.every;
        if self.on_ctrl_c == OnCtrlC::Stop && lab::interrupted() {
            Err(Error::Interrupted)
        } else {
            Ok(())
        }
    }
}

/// A send or receive returned `error`: `Ok` to try again (a signal that is
/// not Ctrl-C woke it, or any signal in a loop that goes on after Ctrl-C),
/// `Err` to stop (`Interrupted` after Ctrl-C).
#[cold]
fn blocked(error: zmq::Error, what: &str, on_ctrl_c: OnCtrlC) -> lab::Result<()> {
    match error {
        zmq::Error::EINTR if on_ctrl_c == OnCtrlC::Continue || !lab::interrupted() => Ok(()),
        error => Err(error).context(what),
    }
}

#[cold]
fn wrong_size(got: usize, expected: usize) -> Error {
    Error::failed(format!(
        "message of incorrect size received: {got} [B] instead of {expected} [B] \
         (does the other side use the same message size?)"
    ))
}

/// Runs `body` on a new thread with its own handle on `context`: the peer
/// thread of `inproc-lat` and `inproc-thr`, which share one context with the
/// timed side (inproc endpoints exist only within a context).
pub fn spawn_peer(
    context: &zmq::Context,
    body: impl FnOnce(&zmq::Context) -> lab::Result<()> + Send + 'static,
) -> lab::Result<Peer> {
    let context = context.clone();
    std::thread::Builder::new()
        .name("perf-peer".into())
        .spawn(move || body(&context))
        .map(Peer)
        .context("cannot start the peer thread")
}

/// The peer thread started by [`spawn_peer`].
pub struct Peer(std::thread::JoinHandle<lab::Result<()>>);

impl Peer {
    /// Waits for the peer thread to finish and returns its outcome.
    pub fn join(self) -> lab::Result<()> {
        self.0
            .join()
            .unwrap_or_else(|_| Err(Error::failed("the peer thread panicked")))
    }
}

/// After a loop failed or was interrupted: unsent messages are dropped at
/// close instead of holding the exit (the default `ZMQ_LINGER` waits for ever
/// for a peer that may be gone).
pub fn drop_unsent_on_error<T>(socket: &zmq::Socket, outcome: lab::Result<T>) -> lab::Result<T> {
    if outcome.is_err() {
        // Best effort: the error being reported matters more than this one.
        let _ = socket.set_linger(0);
    }
    outcome
}

// ANCHOR: report
impl Roundtrips {
    /// `message size: N [B]`, the first line of libzmq's latency tools.
    pub fn size_line(&self) -> String {
        format!("message size: {} [B]", self.size)
    }

    /// `roundtrip count: N` (the round trips `timed` counted) and `average
    /// latency: X [us]`: half the mean round trip, in microseconds — the
    /// one-way latency.
    pub fn report(&self, timed: &Timed) -> String {
        let latency = microseconds(timed.elapsed) / (2.0 * timed.count.max(1) as f64);
        format!(
            "roundtrip count: {}\naverage latency: {latency:.3} [us]",
            timed.count
        )
    }
}

impl Messages {
    /// `message size: N [B]`, the first line of libzmq's throughput tools.
    pub fn size_line(&self) -> String {
        format!("message size: {} [B]", self.size)
    }

    /// `message count: N` (the messages `timed` counted), then `mean
    /// throughput: N [msg/s]` (truncated to an integer, as C's `(int)`) and
    /// `mean throughput: X [Mb/s]` (megabits of payload per second).
    pub fn report(&self, timed: &Timed) -> String {
        let per_second = timed.count as f64 / microseconds(timed.elapsed) * 1_000_000.0;
        let megabits = per_second * self.size as f64 * 8.0 / 1_000_000.0;
        format!(
            "message count: {}\nmean throughput: {} [msg/s]\nmean throughput: {megabits:.3} [Mb/s]",
            timed.count, per_second as u64
        )
    }
}
// ANCHOR_END: report

/// Elapsed microseconds, at least one (the C tools' guard against dividing by
/// zero).
fn microseconds(elapsed: Duration) -> f64 {
    (elapsed.as_secs_f64() * 1_000_000.0).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timed(count: u64, elapsed: Duration) -> Timed {
        Timed { count, elapsed }
    }

    #[test]
    fn latency_report_matches_the_c_format() {
        let workload = Roundtrips {
            size: 64,
            roundtrips: 10_000,
        };
        assert_eq!(workload.size_line(), "message size: 64 [B]");
        // 10 000 round trips in 1.0135 s: 50.675 µs each way.
        assert_eq!(
            workload.report(&timed(10_000, Duration::from_micros(1_013_500))),
            "roundtrip count: 10000\naverage latency: 50.675 [us]"
        );
    }

    #[test]
    fn throughput_report_matches_the_c_format() {
        let workload = Messages {
            size: 64,
            count: 1_000_000,
        };
        assert_eq!(workload.size_line(), "message size: 64 [B]");
        // 1 000 000 messages of 64 B in 0.3 s: 3 333 333.3 msg/s, printed
        // truncated; 64 × 8 bits each.
        assert_eq!(
            workload.report(&timed(1_000_000, Duration::from_millis(300))),
            "message count: 1000000\nmean throughput: 3333333 [msg/s]\n\
             mean throughput: 1706.667 [Mb/s]"
        );
    }

    #[test]
    fn reports_give_the_counted_number_not_the_asked_one() {
        let asked = Messages {
            size: 64,
            count: 1_000_000,
        };
        let report = asked.report(&timed(999_999, Duration::from_millis(300)));
        assert!(report.starts_with("message count: 999999\n"), "{report}");
        let asked = Roundtrips {
            size: 64,
            roundtrips: 100,
        };
        let report = asked.report(&timed(99, Duration::from_micros(198)));
        assert_eq!(report, "roundtrip count: 99\naverage latency: 1.000 [us]");
    }

    #[test]
    fn zero_elapsed_time_counts_as_one_microsecond() {
        assert_eq!(
            Messages { size: 1, count: 1 }.report(&timed(1, Duration::ZERO)),
            "message count: 1\nmean throughput: 1000000 [msg/s]\nmean throughput: 8.000 [Mb/s]"
        );
    }

    #[test]
    fn message_size_over_the_limit_is_refused() {
        let limit = lab::MessageLimit { max_msg_size: 100 };
        assert!(check_limit(&limit, 100).is_ok());
        assert!(check_limit(&limit, 101).is_err());
        let unlimited = lab::MessageLimit { max_msg_size: -1 };
        assert!(check_limit(&unlimited, usize::MAX).is_ok());
    }

    const WORKLOAD: Roundtrips = Roundtrips {
        size: 16,
        roundtrips: 100,
    };

    #[test]
    fn ping_and_echo_time_round_trips_over_inproc() {
        let context = zmq::Context::new();
        let mut requester = socket(&context, zmq::REQ).unwrap();
        requester.bind("inproc://perf-ping").unwrap();
        let peer = spawn_peer(&context, |context| {
            let mut responder = dial(context, zmq::REP, "inproc://perf-ping")?;
            echo(&mut responder, &WORKLOAD, OnCtrlC::Stop)
        })
        .unwrap();
        let timed = ping(&mut requester, &WORKLOAD).unwrap();
        peer.join().unwrap();
        assert_eq!(timed.count, WORKLOAD.roundtrips);
        assert!(timed.elapsed > Duration::ZERO);
    }

    #[test]
    fn drain_refuses_a_message_of_the_wrong_size() {
        let context = zmq::Context::new();
        let mut pull = socket(&context, zmq::PULL).unwrap();
        pull.bind("inproc://perf-drain").unwrap();
        let mut push = dial(&context, zmq::PUSH, "inproc://perf-drain").unwrap();
        flood(&mut push, &Messages { size: 8, count: 3 }, OnCtrlC::Stop).unwrap();
        let refused = drain(&mut pull, &Messages { size: 9, count: 3 }).unwrap_err();
        assert!(refused.to_string().contains("8 [B] instead of 9 [B]"));
    }

    #[test]
    fn drain_counts_exactly_the_messages_asked_for() {
        let context = zmq::Context::new();
        let mut pull = socket(&context, zmq::PULL).unwrap();
        pull.bind("inproc://perf-count").unwrap();
        let mut push = dial(&context, zmq::PUSH, "inproc://perf-count").unwrap();
        // One more than asked (all queued at once: fewer than the high-water
        // marks): the extra one is left in the socket.
        let sent = Messages {
            size: 8,
            count: 101,
        };
        flood(&mut push, &sent, OnCtrlC::Stop).unwrap();
        let asked = Messages {
            size: 8,
            count: 100,
        };
        let timed = drain(&mut pull, &asked).unwrap();
        assert_eq!(timed.count, 100);
        assert_eq!(
            pull.poll(zmq::POLLIN, 0).unwrap(),
            1,
            "the extra one was taken"
        );
    }
}
