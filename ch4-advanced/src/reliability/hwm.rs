//! The high-water mark lesson's message format and tally.
//!
//! The publisher numbers its messages 0, 1, 2, … (decimal text, padded with
//! spaces to `--size` bytes) and ends with `END <count>`. A subscriber that
//! records each number it receives can then say how many it got and how many
//! were dropped on the way — a PUB socket at its high-water mark drops
//! silently, so the numbers are the only witness.

use std::fmt;

/// Which socket pair the lesson uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Pattern {
    /// PUB → SUB: at the high-water mark the publisher drops messages.
    Pub,
    /// PUSH → PULL: at the high-water mark the sender blocks.
    Push,
}

/// The first word of the message that closes a run: `END <count>`.
pub const END: &str = "END";

/// The message numbered `number`: its decimal text, padded with spaces to
/// `size` bytes (never cut: a number longer than `size` is sent whole).
///
/// ```
/// use ch4_advanced::reliability::hwm::numbered;
/// assert_eq!(numbered(42, 0), b"42");
/// assert_eq!(numbered(42, 5), b"42   ");
/// ```
pub fn numbered(number: u64, size: usize) -> Vec<u8> {
    // Not `format!("{number:<size$}")`: a width over 65535 panics.
    let mut message = number.to_string().into_bytes();
    if message.len() < size {
        message.resize(size, b' ');
    }
    message
}

/// The largest `--size`: 64 MiB, far above any lesson's need.
pub const MAX_SIZE: usize = 64 << 20;

/// The closing message of a run of `count` messages.
pub fn end_marker(count: u64) -> String {
    format!("{END} {count}")
}

/// What one received frame says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Message number `n`.
    Number(u64),
    /// The end of the run, and how many messages the run had.
    End(u64),
}

/// Reads one frame of the lesson, or says why it is not one.
pub fn parse(frame: &[u8]) -> Result<Received, String> {
    let text = std::str::from_utf8(frame).map_err(|_| "not UTF-8 text".to_string())?;
    let text = text.trim_end_matches(' ');
    let number = |digits: &str| {
        digits
            .parse::<u64>()
            .map_err(|_| format!("{digits:?} is not a message number"))
    };
    match text.strip_prefix(END) {
        Some(count) => count
            .strip_prefix(' ')
            .ok_or_else(|| format!("{text:?} is not an end marker"))
            .and_then(number)
            .map(Received::End),
        None => number(text).map(Received::Number),
    }
}

/// How many numbered messages arrived, and how many went missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    received: u64,
    /// The number after the last one received: where the next is expected.
    next: u64,
    /// Runs of consecutive missing numbers.
    gaps: u64,
    /// The run's length, once the end marker said it.
    total: Option<u64>,
}

impl Tally {
    /// Nothing received yet.
    pub fn new() -> Tally {
        Tally::default()
    }

    /// Records message `number`. A connection delivers in order and a PUB
    /// only ever drops, so a number above the next expected one opens a gap.
    pub fn record(&mut self, number: u64) {
        if number > self.next {
            self.gaps += 1;
        }
        self.received += 1;
        self.next = self.next.max(number.saturating_add(1));
    }

    /// Records the end marker: the run had `total` messages.
    pub fn end(&mut self, total: u64) {
        if total > self.next {
            self.gaps += 1;
        }
        self.total = Some(total);
    }

    /// Messages received.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Messages known to be missing: the numbers below the highest received
    /// (or below the run's length, once the end marker came) that never came.
    pub fn missing(&self) -> u64 {
        self.total
            .unwrap_or(self.next)
            .max(self.next)
            .saturating_sub(self.received)
    }

    /// Runs of consecutive missing numbers.
    pub fn gaps(&self) -> u64 {
        self.gaps
    }
}

/// `received 57 messages, 943 missing in 12 gaps`.
impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "received {} messages, {} missing in {} gaps",
            self.received,
            self.missing(),
            self.gaps
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_end_markers_parse_back() {
        assert_eq!(parse(&numbered(7, 100)), Ok(Received::Number(7)));
        assert_eq!(parse(end_marker(1000).as_bytes()), Ok(Received::End(1000)));
        assert!(parse(b"ENDS").is_err());
        assert!(parse(b"seven").is_err());
        assert!(parse(b"\xff").is_err());
        assert!(parse(b"").is_err());
    }

    #[test]
    fn large_messages_are_padded_too() {
        let message = numbered(12, 100_000);
        assert_eq!(message.len(), 100_000);
        assert_eq!(parse(&message), Ok(Received::Number(12)));
        assert_eq!(numbered(123_456, 3), b"123456");
    }

    #[test]
    fn an_unbroken_run_has_no_gaps() {
        let mut tally = Tally::new();
        (0..10).for_each(|n| tally.record(n));
        tally.end(10);
        assert_eq!(
            (tally.received(), tally.missing(), tally.gaps()),
            (10, 0, 0)
        );
    }

    #[test]
    fn dropped_numbers_are_counted_in_runs() {
        let mut tally = Tally::new();
        for n in [0, 1, 5, 6, 9] {
            tally.record(n);
        }
        // 2..=4 and 7..=8 missing: two gaps, five numbers.
        assert_eq!((tally.missing(), tally.gaps()), (5, 2));
        // The end marker says there were 20: 10..=19 are a third gap.
        tally.end(20);
        assert_eq!((tally.missing(), tally.gaps()), (15, 3));
        assert_eq!(
            tally.to_string(),
            "received 5 messages, 15 missing in 3 gaps"
        );
    }

    /// How many 20 kB messages a PUSH bound to ipc takes before a send waits
    /// 100 ms in vain, against a PULL that never reads (queue of 10), with
    /// the send mark 10 set before or after the bind.
    fn pushed_before_blocking(mark_before_bind: bool) -> u32 {
        let context = zmq::Context::new();
        let path = std::env::temp_dir().join(format!(
            "zmq-book-hwm-unit-{}-{mark_before_bind}.ipc",
            std::process::id()
        ));
        let endpoint = format!("ipc://{}", path.display());
        let push = context.socket(zmq::PUSH).unwrap();
        push.set_linger(0).unwrap();
        push.set_sndtimeo(100).unwrap();
        if mark_before_bind {
            push.set_sndhwm(10).unwrap();
        }
        push.bind(&endpoint).unwrap();
        if !mark_before_bind {
            push.set_sndhwm(10).unwrap();
        }
        let pull = context.socket(zmq::PULL).unwrap();
        pull.set_linger(0).unwrap();
        pull.set_rcvhwm(10).unwrap();
        pull.connect(&endpoint).unwrap();
        let message = vec![b'x'; 20_000];
        let mut sent = 0;
        while sent < 5000 && push.send(&message[..], 0).is_ok() {
            sent += 1;
        }
        drop((push, pull));
        let _ = std::fs::remove_file(path);
        sent
    }

    #[test]
    fn the_mark_must_be_set_before_the_bind() {
        // Before: 10 here, 10 there, and what the socket buffer holds.
        let before = pushed_before_blocking(true);
        // After: the bind's connections keep libzmq's default of 1000.
        let after = pushed_before_blocking(false);
        assert!(
            before < 200,
            "{before} sent with the mark set before the bind"
        );
        assert!(
            after >= 1000,
            "{after} sent with the mark set after the bind"
        );
    }

    /// A single missing number is a gap: in the middle (0, 1, 3), at the
    /// start (a first message numbered 1) and at the end (an end marker one
    /// above the last number received).
    #[test]
    fn one_missing_number_is_one_gap() {
        let mut middle = Tally::new();
        for n in [0, 1, 3] {
            middle.record(n);
        }
        assert_eq!((middle.missing(), middle.gaps()), (1, 1));
        let mut start = Tally::new();
        start.record(1);
        assert_eq!((start.missing(), start.gaps()), (1, 1));
        let mut end = Tally::new();
        (0..3).for_each(|n| end.record(n));
        end.end(4);
        assert_eq!((end.missing(), end.gaps()), (1, 1));
    }

    #[test]
    fn a_late_start_is_a_gap_too() {
        let mut tally = Tally::new();
        tally.record(3);
        assert_eq!((tally.missing(), tally.gaps()), (3, 1));
    }
}
