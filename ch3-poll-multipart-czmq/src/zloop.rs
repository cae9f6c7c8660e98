//! The zloop lesson's bookkeeping (the book's chapter 3, "zloop"): how many
//! messages arrived, in all and since the timer last ticked.

/// Messages counted by the zloop server's reader, reported by its timer.
///
/// ```
/// use ch3_poll_multipart_czmq::zloop::Tally;
///
/// let mut tally = Tally::default();
/// tally.arrived();
/// tally.arrived();
/// assert_eq!(tally.tick(), "tick: 2 messages since the last tick");
/// assert_eq!(tally.tick(), "tick: 0 messages since the last tick");
/// assert_eq!(tally.total(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    total: u64,
    since_tick: u64,
}

impl Tally {
    /// Counts one message.
    pub fn arrived(&mut self) {
        self.total += 1;
        self.since_tick += 1;
    }

    /// Messages counted in all.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The timer's line — how many arrived since the previous tick — and a
    /// new count from zero.
    pub fn tick(&mut self) -> String {
        let count = std::mem::take(&mut self.since_tick);
        let noun = if count == 1 { "message" } else { "messages" };
        format!("tick: {count} {noun} since the last tick")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_message_is_singular() {
        let mut tally = Tally::default();
        tally.arrived();
        assert_eq!(tally.tick(), "tick: 1 message since the last tick");
    }
}
