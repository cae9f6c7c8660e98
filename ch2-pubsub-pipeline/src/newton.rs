//! Square roots by Newton's method: the work the pipeline's workers do.
//!
//! Newton's step for √x replaces a guess by the average of `guess` and
//! `x / guess`. From a guess above the root the guesses fall towards it, and
//! once they are close each step squares the error (doubles the number of
//! correct digits). In floating point they cannot fall for ever: they reach
//! the root's double or a neighbour of it, and then the next guess is no
//! smaller than the last — equal to it, or (the two-value oscillation Newton's
//! iteration can fall into) back up at the other neighbour. That is when the
//! loop stops: no tolerance is chosen, the arithmetic says when it is done.
//! A last look at the neighbours then picks the double nearest the true root,
//! so the result is `f64::sqrt`'s, bit for bit, and perfect squares are exact.
//!
//! # Why at most [`MAX_ITERATIONS`] steps
//!
//! The book starts every number at 1.0. For `f64::MAX` the first step
//! overshoots to about 2^1023, 2^511 times the root; for a subnormal such as
//! 5e-324, 1.0 is 2^537 times the root; and while a guess is that far off,
//! each step only halves it: over 500 steps before the error even starts to
//! square. Here the number is first split, exactly, as
//! `x = m · 4^k` with `1 ≤ m < 4` (its exponent gives `k`), so that
//! `√x = √m · 2^k`; multiplying by a power of two only changes the exponent,
//! so nothing is rounded. Newton's method then runs on `m` from the guess 2,
//! which is at least √m and at most twice it. Write a guess as
//! `√m · (1 + e)`: one exact step turns `e` into `e² / (2 (1 + e))`, so from
//! `e ≤ 1` the errors are at most 1/4, 1/40, 3.1e-4, 4.7e-8, 1.1e-15 and, after
//! 6 steps, 6e-31 — far below the 1.1e-16 rounding error of one step (a
//! double has 53 bits). So after 6 steps the guess is within a couple of
//! doubles of the root; no step leaves it below the root by more than its
//! rounding, so the guesses still to come fall through a window of about four
//! doubles, at most 3 more steps, and one more step shows they have stopped
//! falling: 10. (The tests see at most 7.)
//!
//! Working on `m` also means nothing can overflow or underflow: the guesses
//! stay in `[1, 2]`, `m / guess` in `[0.5, 4)`, and the square of a guess is
//! never formed except inside a fused multiply-add (see [`nearest_root`]). The
//! root of any finite double is between 2^-537 and 2^512, so scaling it back
//! by `2^k` is exact too.
//!
//! The book's listing has three defects here, all fixed below: its
//! `good_enough` takes the integer `abs()` of a `double`, so a guess passes as
//! soon as its square is within 1 (absolute!) of `x`; its recursion has no bound;
//! and a negative `x` has no root to converge to, so it recurses for ever.

// ANCHOR: newton
/// The most Newton steps [`sqrt_iter`] takes: enough for every `x` in
/// `[1, 4)` from the guess 2 — 6 steps to come within rounding error of the
/// root, at most 3 more falling through the doubles around it, and 1 to see
/// the guess stop falling (the module's doc has the arithmetic).
pub const MAX_ITERATIONS: u32 = 10;

/// The mean of `x` and `y`.
pub fn average(x: f64, y: f64) -> f64 {
    (x + y) / 2.0
}

/// Newton's step: the average of `guess` and `x / guess`.
pub fn improve(guess: f64, x: f64) -> f64 {
    average(guess, x / guess)
}

/// True when `next`, the improved `guess`, is no smaller than `guess`: the
/// guesses, falling towards the root, have stopped falling. Either the step
/// changed nothing, or it bounced back up to the root's other neighbour;
/// either way `guess` is as close as Newton's method in doubles gets.
pub fn good_enough(guess: f64, next: f64) -> bool {
    // Book errata (ch2-integer-abs): the listing's integer `abs()` truncates |guess² - x|, so any
    // guess whose square is within ±1 of `x` passes; and any fixed tolerance (a relative 1e-12,
    // say) stops before the last digits are right.
    next >= guess
}

/// Improves `guess` until it is [`good_enough`], at most [`MAX_ITERATIONS`]
/// times, then rounds it to the [`nearest_root`]; returns the root and the
/// number of steps taken. The bound holds for `x` in `[1, 4)` and `guess` 2,
/// as [`newton_sqrt`] calls it.
pub fn sqrt_iter(mut guess: f64, x: f64) -> (f64, u32) {
    // Book errata (ch2-unbounded-recursion): the listing recurses without a bound; a loop with a
    // limit cannot overflow the stack or run for ever.
    let mut steps = 0;
    loop {
        let next = improve(guess, x);
        steps += 1;
        if good_enough(guess, next) || steps == MAX_ITERATIONS {
            return (nearest_root(guess, x), steps);
        }
        guess = next;
    }
}

/// The double nearest √x, found by moving from `guess` (a close positive
/// guess; for `x` in `[1, 4)`) one double at a time.
///
/// √x lies above the midpoint of a double `a` and the next one up, `b`,
/// exactly when `x > a · b`: the midpoint's square is `a · b + (b - a)² / 4`,
/// and `x` and `a · b` are both whole multiples of `(b - a)²`, so `x` cannot
/// fall between them. A fused multiply-add computes `x - a · b` with a single
/// rounding, which cannot change its sign.
pub fn nearest_root(mut guess: f64, x: f64) -> f64 {
    let above_midpoint = |a: f64| (-a).mul_add(next_double_up(a), x) > 0.0;
    while above_midpoint(guess) {
        guess = next_double_up(guess);
    }
    while !above_midpoint(next_double_down(guess)) {
        guess = next_double_down(guess);
    }
    guess
}

/// The square root of `x` by Newton's method, equal to `f64::sqrt`'s; `None`
/// for a negative, infinite or NaN `x`, which has no real root to converge to.
pub fn newton_sqrt(x: f64) -> Option<f64> {
    // Book errata (ch2-unbounded-recursion): the listing accepts a negative number and loops for
    // ever.
    if !x.is_finite() || x < 0.0 {
        return None;
    }
    if x == 0.0 {
        // √0 = 0, and √-0 = -0 (IEEE 754, and `f64::sqrt`).
        return Some(x);
    }
    let (m, k) = reduce(x);
    let (root, _steps) = sqrt_iter(2.0, m);
    Some(root * power_of_two(k))
}
// ANCHOR_END: newton

/// Splits a positive, finite `x` into `(m, k)` with `x = m · 4^k` and
/// `1 ≤ m < 4`, exactly: only exponents change.
pub fn reduce(x: f64) -> (f64, i32) {
    // A subnormal number has no exponent field of its own: scaling it by
    // 2^54 = 4^27 makes it normal.
    let (x, k_subnormal) = if x < f64::MIN_POSITIVE {
        (x * power_of_two(54), -27)
    } else {
        (x, 0)
    };
    // The exponent field, less its bias: 2^exponent ≤ x < 2^(exponent + 1).
    let exponent = (x.to_bits() >> 52) as i32 - 1023;
    let k = exponent.div_euclid(2);
    (x * power_of_two(-2 * k), k + k_subnormal)
}

/// 2^n, for `n` in `-1022..=1023` (a double with only an exponent).
fn power_of_two(n: i32) -> f64 {
    debug_assert!((-1022..=1023).contains(&n), "2^{n} is not a normal double");
    f64::from_bits(((n + 1023) as u64) << 52)
}

/// The next double above a positive, finite `x` (`f64::next_up` is newer
/// than this workspace's minimum Rust): consecutive positive doubles have
/// consecutive bit patterns.
fn next_double_up(x: f64) -> f64 {
    f64::from_bits(x.to_bits() + 1)
}

/// The next double below a positive `x`.
fn next_double_down(x: f64) -> f64 {
    f64::from_bits(x.to_bits() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `newton_sqrt(x)` is `f64::sqrt(x)`, bit for bit.
    fn assert_exact(x: f64) {
        let root = newton_sqrt(x).unwrap();
        assert_eq!(
            root.to_bits(),
            x.sqrt().to_bits(),
            "x = {x:e}: {root:e}, f64::sqrt {:e}",
            x.sqrt()
        );
    }

    /// The Newton steps `newton_sqrt(x)` takes.
    fn steps(x: f64) -> u32 {
        sqrt_iter(2.0, reduce(x).0).1
    }

    #[test]
    fn perfect_squares_have_exact_roots() {
        let two_26_plus_1 = f64::from((1u32 << 26) + 1); // its square needs all 53 bits
        for (x, root) in [
            (1.0, 1.0),
            (4.0, 2.0),
            (9.0, 3.0),
            (16.0, 4.0),
            (25.0, 5.0),
            (100.0, 10.0),
            (1e12, 1e6),
            (1e22, 1e11), // the largest power of ten that is a double's exact square
            (two_26_plus_1 * two_26_plus_1, two_26_plus_1),
            (9.0 * 2f64.powi(1000), 3.0 * 2f64.powi(500)),
        ] {
            assert_eq!(newton_sqrt(x), Some(root), "{x:e}");
        }
    }

    #[test]
    fn even_powers_of_two_have_exact_roots() {
        // 4^k from 2^-1074 (5e-324, the smallest subnormal) to 2^1022.
        for k in -537..=511 {
            let root = 2f64.powi(k);
            let x = if k < -511 {
                // 2^(2k) is subnormal here; build it without rounding.
                f64::from_bits(1 << (2 * k + 1074))
            } else {
                root * root
            };
            assert_eq!(newton_sqrt(x), Some(root), "4^{k}");
        }
    }

    #[test]
    fn zero_and_one_are_their_own_roots() {
        assert_eq!(newton_sqrt(0.0).map(f64::to_bits), Some(0f64.to_bits()));
        assert_eq!(newton_sqrt(-0.0).map(f64::to_bits), Some((-0f64).to_bits()));
        assert_eq!(newton_sqrt(1.0), Some(1.0));
    }

    #[test]
    fn extremes_equal_f64_sqrt() {
        for x in [
            f64::MAX,
            1e300,
            1e-300,
            f64::MIN_POSITIVE,
            f64::MIN_POSITIVE / 3.0,                         // subnormal
            f64::from_bits(f64::MIN_POSITIVE.to_bits() - 1), // largest subnormal
            f64::from_bits(1),                               // 5e-324, smallest
            f64::from_bits(3),
            f64::EPSILON,
            2.0,
            3.0,
            4.0 - 2.0 * f64::EPSILON, // largest double below 4
        ] {
            assert_exact(x);
        }
    }

    #[test]
    fn small_numbers_are_accurate_too() {
        // The book's absolute tolerance (and integer abs) answers 1.0 for all of
        // these: 1² is within 1 of each.
        for x in [1e-9, 0.25, 0.5, 2e-300] {
            assert_exact(x);
        }
    }

    #[test]
    fn the_books_integer_tolerance_would_accept_a_wrong_root() {
        // The listing's test: `abs(square(guess) - x) < 0.000001`, with C's
        // integer `abs()` truncating the difference.
        let books_good_enough = |guess: f64, x: f64| ((guess * guess - x) as i32) == 0;
        // 1.5² = 2.25 is within 1 of 2: the book's good_enough says yes.
        assert!(books_good_enough(1.5, 2.0));
        assert!(!good_enough(1.5, improve(1.5, 2.0)));
        assert_eq!(newton_sqrt(2.0), Some(2f64.sqrt()));
    }

    #[test]
    fn no_root_for_negative_infinite_or_nan() {
        assert_eq!(newton_sqrt(-1.0), None);
        assert_eq!(newton_sqrt(-f64::MIN_POSITIVE), None);
        assert_eq!(newton_sqrt(f64::NEG_INFINITY), None);
        assert_eq!(newton_sqrt(f64::INFINITY), None);
        assert_eq!(newton_sqrt(f64::NAN), None);
    }

    #[test]
    fn the_largest_finite_number_converges_well_within_the_bound() {
        // From the book's 1.0 it would take some 520 steps.
        assert!(
            steps(f64::MAX) < MAX_ITERATIONS,
            "{} steps",
            steps(f64::MAX)
        );
        assert_exact(f64::MAX);
    }

    #[test]
    fn the_smallest_positive_number_has_its_exact_root() {
        let x = f64::from_bits(1); // 2^-1074, about 5e-324, subnormal
        assert!(steps(x) < MAX_ITERATIONS, "{} steps", steps(x));
        assert_eq!(newton_sqrt(x), Some(2f64.powi(-537)));
    }

    #[test]
    fn the_ends_and_middle_of_one_to_four_converge_exactly_within_the_bound() {
        // Where `reduce` cuts (1, 2, 4), a guess and its neighbours straddle a
        // change of exponent: 20,000 doubles on each side of each.
        let around = |centre: f64| {
            let bits = centre.to_bits();
            (bits - 20_000..bits + 20_000).map(f64::from_bits)
        };
        for x in around(1.0).chain(around(2.0)).chain(around(4.0)) {
            assert_exact(x);
            assert!(steps(x) < MAX_ITERATIONS, "{x:e}: {} steps", steps(x));
        }
    }

    #[test]
    fn reduce_splits_into_one_to_four_times_a_power_of_four() {
        assert_eq!(reduce(1.0), (1.0, 0));
        assert_eq!(reduce(2.0), (2.0, 0));
        assert_eq!(reduce(16.0), (1.0, 2));
        assert_eq!(reduce(0.5), (2.0, -1));
        assert_eq!(reduce(f64::MAX), (4.0 - 2.0 * f64::EPSILON, 511));
        assert_eq!(reduce(f64::from_bits(1)), (1.0, -537));
        assert_eq!(reduce(f64::MIN_POSITIVE), (1.0, -511));
    }

    #[test]
    fn nearest_root_moves_a_guess_to_the_nearest_double() {
        let root = 2f64.sqrt();
        let near = |offset: i64| f64::from_bits(root.to_bits().wrapping_add_signed(offset));
        for offset in -3..=3 {
            assert_eq!(nearest_root(near(offset), 2.0), root, "{offset}");
        }
    }

    #[test]
    fn helpers_do_what_their_names_say() {
        assert_eq!(average(1.0, 4.0), 2.5);
        assert_eq!(improve(1.0, 4.0), 2.5);
        assert!(good_enough(2.0, 2.0)); // stopped changing
        assert!(good_enough(1.5, 1.5000000000000002)); // bounced back up
        assert!(!good_enough(2.5, improve(2.5, 4.0))); // still falling
    }
}
