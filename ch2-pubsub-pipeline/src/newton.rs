//! Square roots by Newton's method: the work the pipeline's workers do.
//!
//! Start from a guess (the book starts at 1.0), replace it by the average of
//! `guess` and `x / guess` until its square is close enough to `x`. Each step
//! roughly doubles the number of correct digits once the guess is near; from far
//! away (a huge `x`) each step halves the guess, so even `f64::MAX` needs only
//! about 520 steps.
//!
//! The book's listing has three defects here, all fixed below: its
//! `good_enough` takes the integer `abs()` of a `double`, so a guess passes as
//! soon as its square is within 1 (absolute!) of `x`; its recursion has no bound;
//! and a negative `x` has no root to converge to, so it recurses for ever.

// ANCHOR: newton
/// How close `guess` and `x / guess` must be, relative to `guess`: 1e-12, so
/// the root itself is good to about 5e-13 (relative).
pub const RELATIVE_TOLERANCE: f64 = 1e-12;

/// The most steps [`sqrt_iter`] takes. Every finite input converges well within
/// it (see the module's doc); the bound only guarantees termination.
pub const MAX_ITERATIONS: u32 = 2_000;

/// The mean of `x` and `y`.
pub fn average(x: f64, y: f64) -> f64 {
    (x + y) / 2.0
}

/// True when `guess` and `x / guess` agree to [`RELATIVE_TOLERANCE`]: then
/// `guess²` is within about twice that of `x`. (Comparing `guess²` with `x`
/// directly would overflow for `x` near `f64::MAX`.)
pub fn good_enough(guess: f64, x: f64) -> bool {
    // Book errata: the listing's integer `abs()` truncates the difference, so
    // any guess whose square is within ±1 of `x` passes; and a tolerance must be
    // relative, or it is meaningless for both 1e-9 and 1e12.
    (guess - x / guess).abs() <= RELATIVE_TOLERANCE * guess
}

/// Newton's step: the average of `guess` and `x / guess`.
pub fn improve(guess: f64, x: f64) -> f64 {
    average(guess, x / guess)
}

/// Improves `guess` until it is [`good_enough`], at most [`MAX_ITERATIONS`]
/// times; returns the root and the number of steps taken.
pub fn sqrt_iter(mut guess: f64, x: f64) -> (f64, u32) {
    // Book errata: the listing recurses without a bound; a loop with a limit
    // cannot overflow the stack or run for ever.
    let mut steps = 0;
    while !good_enough(guess, x) && steps < MAX_ITERATIONS {
        guess = improve(guess, x);
        steps += 1;
    }
    (guess, steps)
}

/// The square root of `x` by Newton's method, starting from 1.0 as the book
/// does; `None` for a negative, infinite or NaN `x`, which has no real root
/// to converge to.
pub fn newton_sqrt(x: f64) -> Option<f64> {
    // Book errata: the listing accepts a negative number and loops for ever.
    if !x.is_finite() || x < 0.0 {
        return None;
    }
    if x == 0.0 {
        // Halving from 1.0 would take ~1075 steps to underflow to 0.
        return Some(0.0);
    }
    Some(sqrt_iter(1.0, x).0)
}
// ANCHOR_END: newton

#[cfg(test)]
mod tests {
    use super::*;

    fn relative_error(x: f64) -> f64 {
        let root = newton_sqrt(x).unwrap();
        (root - x.sqrt()).abs() / x.sqrt()
    }

    #[test]
    fn perfect_squares_come_out_exact_enough() {
        for (x, root) in [(4.0, 2.0), (9.0, 3.0), (100.0, 10.0), (1e12, 1e6)] {
            assert!((newton_sqrt(x).unwrap() - root).abs() < 1e-9 * root, "{x}");
        }
    }

    #[test]
    fn zero_and_one_are_their_own_roots() {
        assert_eq!(newton_sqrt(0.0), Some(0.0));
        assert_eq!(newton_sqrt(-0.0), Some(0.0));
        assert_eq!(newton_sqrt(1.0), Some(1.0));
    }

    #[test]
    fn small_numbers_are_accurate_too() {
        // The book's absolute tolerance (and integer abs) answers 1.0 for all of
        // these: 1² is within 1 of each.
        for x in [1e-9, 0.25, 0.5, 2e-300] {
            assert!(relative_error(x) < 1e-9, "{x}: {}", relative_error(x));
        }
    }

    #[test]
    fn the_books_integer_tolerance_would_accept_a_wrong_root() {
        // 1.5² = 2.25 is within 1 of 2: the book's good_enough says yes.
        assert!(!good_enough(1.5, 2.0));
        assert!(good_enough(2f64.sqrt(), 2.0));
    }

    #[test]
    fn no_root_for_negative_infinite_or_nan() {
        assert_eq!(newton_sqrt(-1.0), None);
        assert_eq!(newton_sqrt(f64::NEG_INFINITY), None);
        assert_eq!(newton_sqrt(f64::INFINITY), None);
        assert_eq!(newton_sqrt(f64::NAN), None);
    }

    #[test]
    fn the_largest_finite_number_converges_well_within_the_bound() {
        let (root, steps) = sqrt_iter(1.0, f64::MAX);
        assert!(steps < MAX_ITERATIONS / 2, "{steps} steps");
        assert!((root - f64::MAX.sqrt()).abs() / root < 1e-9);
    }

    #[test]
    fn the_smallest_positive_number_terminates_with_a_close_root() {
        let x = f64::from_bits(1); // 5e-324, subnormal
        let (root, steps) = sqrt_iter(1.0, x);
        assert!(steps <= MAX_ITERATIONS);
        assert!((root - x.sqrt()).abs() / x.sqrt() < 1e-9, "{root}");
    }

    #[test]
    fn helpers_do_what_their_names_say() {
        assert_eq!(average(1.0, 4.0), 2.5);
        assert_eq!(improve(1.0, 4.0), 2.5);
    }
}
