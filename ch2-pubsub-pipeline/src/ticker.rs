//! The stock ticker's messages: what the publisher sends and what a subscriber
//! subscribes to.
//!
//! An update is one frame of text, `<company><delimiter> <price>`, e.g.
//! `Company1 575` or, with the delimiter `|`, `Company1| 575`. A SUB socket
//! filters by *prefix* of the whole frame: the filter `Company1` also matches
//! `Company10 …`; the filter `Company1|` matches only `Company1| …`.

use std::time::{Duration, Instant};

/// The highest price plus one: prices are random in `0..PRICE_LIMIT`.
pub const PRICE_LIMIT: u32 = 1000;

/// A random price in `0..PRICE_LIMIT`, every one equally likely (the
/// listings' "random" price is `count % 2`).
pub fn random_price(rng: &mut impl rand::Rng) -> u32 {
    rng.random_range(0..PRICE_LIMIT)
}

// ANCHOR: update
/// One update's text: `<company><delimiter> <price>`, with ` #<number>` after
/// it when the publisher numbers its updates (`--numbered`).
pub fn update_text(company: &str, delimiter: &str, price: u32, number: Option<u64>) -> String {
    // Book errata (ch2-update-length, ch2-delimiter-cut-off): the listings copy
    // `strlen(companies[0])` bytes (or the company name's length, in the delimiter version): the
    // price never leaves, longer names are cut, and the delimiter is cut off so the fix cannot
    // work.
    // Here the whole text is the message.
    // Book errata (ch2-update-no-price): the listings format "%s" (no price) into a char[12], too
    // short for one.
    match number {
        Some(number) => format!("{company}{delimiter} {price} #{number}"),
        None => format!("{company}{delimiter} {price}"),
    }
}
// ANCHOR_END: update

// ANCHOR: subscription
/// What a subscriber passes to `ZMQ_SUBSCRIBE` for `filter`: the filter with
/// the delimiter after it, so `Company1` + `|` matches `Company1| 575` and not
/// `Company10| 575`. No delimiter: the bare prefix, with the prefix problem.
pub fn subscription(filter: &str, delimiter: &str) -> String {
    // Book errata (ch2-filter-never-matches): the listing's filter "Company1 | " never matches
    // "Company1| 575".
    format!("{filter}{delimiter}")
}
// ANCHOR_END: subscription

/// The company an update is about: its text up to the first space, without
/// the delimiter (`Company1| 575` → `Company1` with delimiter `|`).
pub fn company_of<'a>(update: &'a str, delimiter: &str) -> &'a str {
    let first = update.split(' ').next().unwrap_or_default();
    first.strip_suffix(delimiter).unwrap_or(first)
}

/// Paces a loop at `rate` iterations per second (0 = no pacing): how long to
/// wait before the next iteration. It keeps the *average* rate, so a loop that
/// can only sleep whole milliseconds catches up in small bursts.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    started: Instant,
    rate: u32,
}

impl Pace {
    /// Starts pacing now.
    pub fn new(rate: u32) -> Pace {
        Pace {
            started: Instant::now(),
            rate,
        }
    }

    /// How long to wait before iteration `done` (counted from 0) may run.
    pub fn wait_before(&self, done: u64) -> Duration {
        if self.rate == 0 {
            return Duration::ZERO;
        }
        let due = Duration::from_secs_f64(done as f64 / f64::from(self.rate));
        due.saturating_sub(self.started.elapsed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_the_whole_text() {
        assert_eq!(update_text("Company101", "", 7, None), "Company101 7");
        assert_eq!(update_text("Company1", "|", 575, None), "Company1| 575");
        assert_eq!(update_text("Company1", "", 5, Some(42)), "Company1 5 #42");
    }

    #[test]
    fn a_bare_prefix_matches_longer_names_a_delimited_one_does_not() {
        let bare = subscription("Company1", "");
        assert!(update_text("Company10", "", 1, None).starts_with(&bare));
        let delimited = subscription("Company1", "|");
        assert!(!update_text("Company10", "|", 1, None).starts_with(&delimited));
        assert!(update_text("Company1", "|", 1, None).starts_with(&delimited));
    }

    #[test]
    fn company_of_strips_price_and_delimiter() {
        assert_eq!(company_of("Company1| 575", "|"), "Company1");
        assert_eq!(company_of("Company10 3 #9", ""), "Company10");
    }

    #[test]
    fn random_prices_cover_0_to_999_and_never_reach_1000() {
        use rand::SeedableRng;
        assert_eq!(PRICE_LIMIT, 1000, "the book's prices are 0..1000");
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        let prices: Vec<u32> = (0..100_000).map(|_| random_price(&mut rng)).collect();
        // 100 draws per price on average: each one shows, 1000 never does.
        assert_eq!(prices.iter().min(), Some(&0));
        assert_eq!(prices.iter().max(), Some(&999));
        let distinct: std::collections::BTreeSet<u32> = prices.into_iter().collect();
        assert_eq!(distinct.len(), 1000);
    }

    #[test]
    fn pace_spaces_iterations_by_the_rate() {
        let pace = Pace::new(10);
        assert!(pace.wait_before(0).is_zero());
        let wait = pace.wait_before(5);
        assert!(wait > Duration::from_millis(400) && wait <= Duration::from_millis(500));
        assert!(Pace::new(0).wait_before(1_000_000).is_zero());
    }
}
