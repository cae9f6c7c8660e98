//! The suicidal snail's clock: the publisher stamps each message with the
//! time it was sent, in milliseconds since the Unix epoch; the subscriber
//! compares it with its own clock when the message reaches it.
//!
//! The listing sends seconds of the day (`time(NULL) % 86400`), so a message
//! sent at 23:59:59 and read at 00:00:01 looks a day old; and it takes `abs`
//! of a difference of unsigned values, which wraps instead of going negative.
//! Book errata (ch4-snail-midnight, ch4-snail-unsigned-abs): milliseconds
//! since the epoch do not wrap at midnight, and [`lag_ms`] cannot underflow.

use std::time::{SystemTime, UNIX_EPOCH};

/// The exit status of a subscriber that found itself too slow and gave up.
pub const TOO_SLOW_EXIT: u8 = 3;

/// What the subscriber prints when it gives up (the book's words).
pub const TOO_SLOW: &str = "Subscriber is too slow. Aborting.";

/// Now, in milliseconds since the Unix epoch (0 for a clock set before 1970).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}

/// Reads a timestamp message: decimal milliseconds since the epoch.
pub fn parse_timestamp(frame: &[u8]) -> Result<u64, String> {
    let text = std::str::from_utf8(frame).map_err(|_| "not UTF-8 text".to_string())?;
    text.parse()
        .map_err(|_| format!("{text:?} is not a time in milliseconds"))
}

/// How late a message sent at `sent` is at `now`, in milliseconds. A message
/// from the future (the publisher's clock ahead of ours) is not late at all.
///
/// ```
/// use ch4_advanced::reliability::snail::lag_ms;
/// assert_eq!(lag_ms(1_000, 1_250), 250);
/// assert_eq!(lag_ms(1_250, 1_000), 0);
/// ```
pub fn lag_ms(sent: u64, now: u64) -> u64 {
    // Book errata (ch4-snail-unsigned-abs): the listing's `abs` of a difference
    // of unsigned values wraps round instead of going negative; this saturates.
    now.saturating_sub(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_back() {
        let now = now_ms();
        assert_eq!(parse_timestamp(now.to_string().as_bytes()), Ok(now));
        assert!(parse_timestamp(b"-5").is_err());
        assert!(parse_timestamp(b"12:00").is_err());
        assert!(parse_timestamp(b"\xff").is_err());
    }

    #[test]
    fn midnight_is_just_another_millisecond() {
        // 2026-01-01T23:59:59.500Z and one second later, across midnight.
        let before = 1_767_311_999_500;
        assert_eq!(lag_ms(before, before + 1_000), 1_000);
        // The book's seconds of the day would have seen 86399 then 0.
        assert_eq!((before / 1000) % 86_400, 86_399);
        assert_eq!(((before + 1_000) / 1000) % 86_400, 0);
    }

    #[test]
    fn a_message_from_the_future_is_not_late() {
        // The book's unsigned difference would wrap to about 1.8e19 here.
        assert_eq!(lag_ms(1_000, 999), 0);
        assert_eq!(1_000u64.wrapping_neg().wrapping_add(999), u64::MAX);
    }

    #[test]
    fn now_is_after_2020() {
        assert!(now_ms() > 1_577_836_800_000);
    }
}
