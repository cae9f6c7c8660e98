//! Heartbeating: each side sends `HEARTBEAT` every interval and declares the
//! other dead when `liveness` intervals pass without hearing from it.
//!
//! - [`Peers`]: the workers a server hears from, each with the moment it
//!   expires.
//! - [`Deadline`]: one peer's expiry (the worker watching its server).
//! - [`Backoff`]: how long a worker waits before reconnecting, doubling after
//!   each failure up to a maximum.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The heartbeat message, both ways.
pub const HEARTBEAT: &[u8] = b"HEARTBEAT";

/// How long a peer may stay silent: `liveness` beats of `interval`.
pub fn silence_allowed(interval: Duration, liveness: u32) -> Duration {
    interval.saturating_mul(liveness)
}

/// A peer's routing id as text: printable ASCII as is, other bytes as `\xNN`
/// (a peer without `--id` gets a binary id from libzmq).
pub fn show_id(id: &[u8]) -> String {
    id.escape_ascii().to_string()
}

/// When one peer expires unless it is heard from again.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    allowed: Duration,
    at: Instant,
}

impl Deadline {
    /// A peer heard from `now`, allowed `allowed` of silence.
    pub fn new(allowed: Duration, now: Instant) -> Deadline {
        Deadline {
            allowed,
            at: now + allowed,
        }
    }

    /// The peer was heard from `now`: its silence starts again.
    pub fn heard(&mut self, now: Instant) {
        self.at = now + self.allowed;
    }

    /// The moment it expires.
    pub fn at(&self) -> Instant {
        self.at
    }

    /// True once its silence is over the allowance.
    pub fn expired(&self, now: Instant) -> bool {
        now >= self.at
    }
}

/// The peers a server is hearing from, by routing id.
#[derive(Debug, Clone)]
pub struct Peers {
    allowed: Duration,
    deadlines: BTreeMap<Vec<u8>, Deadline>,
}

impl Peers {
    /// No peers yet; each will be allowed `allowed` of silence.
    pub fn new(allowed: Duration) -> Peers {
        Peers {
            allowed,
            deadlines: BTreeMap::new(),
        }
    }

    /// Peer `id` was heard from `now`; true if it is new (it joined).
    pub fn heard(&mut self, id: &[u8], now: Instant) -> bool {
        match self.deadlines.get_mut(id) {
            Some(deadline) => {
                deadline.heard(now);
                false
            }
            None => {
                self.deadlines
                    .insert(id.to_vec(), Deadline::new(self.allowed, now));
                true
            }
        }
    }

    /// Removes and returns the peers that have expired by `now`.
    pub fn expire(&mut self, now: Instant) -> Vec<Vec<u8>> {
        let expired: Vec<Vec<u8>> = self
            .deadlines
            .iter()
            .filter(|(_, deadline)| deadline.expired(now))
            .map(|(id, _)| id.clone())
            .collect();
        for id in &expired {
            self.deadlines.remove(id);
        }
        expired
    }

    /// The earliest moment a peer expires; `None` with no peers.
    pub fn next_expiry(&self) -> Option<Instant> {
        self.deadlines.values().map(Deadline::at).min()
    }

    /// How many peers are alive.
    pub fn len(&self) -> usize {
        self.deadlines.len()
    }

    /// True when no peer is alive.
    pub fn is_empty(&self) -> bool {
        self.deadlines.is_empty()
    }
}

/// The wait before each reconnection: `initial`, then doubling after each
/// failure up to `max`; back to `initial` once connected.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    /// A backoff from `initial` up to `max` (a `max` below `initial` is
    /// `initial`).
    pub fn new(initial: Duration, max: Duration) -> Backoff {
        Backoff {
            initial,
            max: max.max(initial),
            next: initial,
        }
    }

    /// The wait before this reconnection; the next one will be twice as long,
    /// up to the maximum.
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        self.next = self.next.saturating_mul(2).min(self.max);
        wait
    }

    /// The connection works again: the next wait is the initial one.
    pub fn reset(&mut self) {
        self.next = self.initial;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_peer_expires_after_its_allowance_of_silence() {
        let start = Instant::now();
        let allowed = silence_allowed(100 * MS, 3);
        assert_eq!(allowed, 300 * MS);
        let mut deadline = Deadline::new(allowed, start);
        assert!(!deadline.expired(start + 299 * MS));
        assert!(deadline.expired(start + 300 * MS));
        deadline.heard(start + 200 * MS);
        assert!(!deadline.expired(start + 499 * MS));
        assert_eq!(deadline.at(), start + 500 * MS);
    }

    #[test]
    fn peers_join_once_and_expire_one_by_one() {
        let start = Instant::now();
        let mut peers = Peers::new(300 * MS);
        assert!(peers.heard(b"a", start));
        assert!(peers.heard(b"b", start + 100 * MS));
        assert!(!peers.heard(b"a", start + 50 * MS));
        assert_eq!(peers.next_expiry(), Some(start + 350 * MS));
        assert_eq!(peers.expire(start + 349 * MS), Vec::<Vec<u8>>::new());
        assert_eq!(peers.expire(start + 350 * MS), vec![b"a".to_vec()]);
        assert_eq!(peers.len(), 1);
        assert_eq!(peers.expire(start + 400 * MS), vec![b"b".to_vec()]);
        assert!(peers.is_empty() && peers.next_expiry().is_none());
        // An expired peer that beats again joins again.
        assert!(peers.heard(b"a", start + 500 * MS));
    }

    #[test]
    fn backoff_doubles_up_to_its_maximum_and_resets() {
        let mut backoff = Backoff::new(100 * MS, 500 * MS);
        let waits: Vec<Duration> = (0..5).map(|_| backoff.next_wait()).collect();
        assert_eq!(waits, [100 * MS, 200 * MS, 400 * MS, 500 * MS, 500 * MS]);
        backoff.reset();
        assert_eq!(backoff.next_wait(), 100 * MS);
    }

    #[test]
    fn binary_ids_are_shown_escaped() {
        assert_eq!(show_id(b"w1"), "w1");
        assert_eq!(show_id(b"\x00k\x8b"), "\\x00k\\x8b");
    }
}
