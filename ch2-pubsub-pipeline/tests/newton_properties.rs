//! Newton's method against the standard library's `f64::sqrt`, over inputs
//! chosen by proptest. `f64::sqrt` is correctly rounded (IEEE 754 requires
//! it), so "equal bit for bit" means "the nearest double to the true root".

use ch2_pubsub_pipeline::newton::{newton_sqrt, reduce, sqrt_iter, MAX_ITERATIONS};
use ch2_pubsub_pipeline::tasks::{solve, TaskResult};
use proptest::prelude::*;

/// The defect this file was written against: the worker sent the sink
/// `16.0 4.000000000000051`, a root good only to a relative 1e-12.
#[test]
fn the_worker_sends_sixteen_with_a_root_of_exactly_four() {
    let (value, root) = solve(b"16").unwrap();
    assert_eq!(root, 4.0);
    assert_eq!(TaskResult::Done { value, root }.to_string(), "16.0 4.0");
}

/// How many doubles apart `a` and `b` are, for two numbers of the same sign:
/// consecutive doubles have consecutive bit patterns.
fn ulps_apart(a: f64, b: f64) -> u64 {
    a.to_bits().abs_diff(b.to_bits())
}

/// Any finite, non-negative double — zero, subnormal, normal, up to
/// `f64::MAX` — with every bit pattern equally likely, so every binade is
/// tried as often as any other (a range such as `0.0..1e12` almost never
/// draws a number below 1).
fn any_finite_non_negative() -> impl Strategy<Value = f64> {
    any::<u64>()
        .prop_map(|bits| f64::from_bits(bits >> 1)) // sign bit clear
        .prop_filter("finite", |x| x.is_finite())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// The root is the double nearest the true root — `f64::sqrt`'s, bit for
    /// bit — for every finite non-negative number, subnormals and
    /// `f64::MAX` included.
    #[test]
    fn equals_f64_sqrt_bit_for_bit_for_every_finite_non_negative_input(
        x in any_finite_non_negative()
    ) {
        let root = newton_sqrt(x).unwrap();
        prop_assert_eq!(
            root.to_bits(), x.sqrt().to_bits(),
            "x = {:e}: {:e}, f64::sqrt {:e}", x, root, x.sqrt()
        );
    }

    /// The requirement the exact equality above exceeds: never more than one
    /// double (1 ULP) away from `f64::sqrt`.
    #[test]
    fn within_one_ulp_of_f64_sqrt_for_every_finite_non_negative_input(
        x in any_finite_non_negative()
    ) {
        let root = newton_sqrt(x).unwrap();
        prop_assert!(
            ulps_apart(root, x.sqrt()) <= 1,
            "x = {:e}: {:e}, f64::sqrt {:e}", x, root, x.sqrt()
        );
    }

    /// Every finite positive number reaches the guess that stops falling
    /// before the step bound: the bound never cuts the iteration short.
    #[test]
    fn terminates_for_every_finite_non_negative_input(x in any_finite_non_negative()) {
        prop_assume!(x > 0.0); // zero is answered without iterating
        let (m, _) = reduce(x);
        let (_, steps) = sqrt_iter(2.0, m);
        prop_assert!(steps < MAX_ITERATIONS, "x = {:e}: {} steps", x, steps);
    }

    /// A perfect square `n²` (exact in a double for every 32-bit `n`) has
    /// exactly `n` for its root.
    #[test]
    fn perfect_squares_have_exactly_their_root(n in any::<u32>()) {
        let n = f64::from(n);
        prop_assert_eq!(newton_sqrt(n * n), Some(n), "n = {}", n);
    }

    /// Negative numbers have no real root: `None`, at once (the book's loops
    /// for ever).
    #[test]
    fn negative_numbers_have_no_root(x in proptest::num::f64::NEGATIVE) {
        prop_assume!(x < 0.0);
        prop_assert_eq!(newton_sqrt(x), None);
    }
}
