//! Newton's method against the standard library's `f64::sqrt`, over many
//! inputs chosen by proptest.

use ch2_pubsub_pipeline::newton::{newton_sqrt, sqrt_iter, MAX_ITERATIONS};
use proptest::prelude::*;

fn relative_error(root: f64, x: f64) -> f64 {
    let exact = x.sqrt();
    if exact == 0.0 {
        root.abs()
    } else {
        (root - exact).abs() / exact
    }
}

proptest! {
    /// The workers' range and beyond: the root agrees with `f64::sqrt` to 1e-9.
    #[test]
    fn agrees_with_f64_sqrt_below_1e12(x in 0.0..1e12f64) {
        let root = newton_sqrt(x).unwrap();
        prop_assert!(relative_error(root, x) < 1e-9, "x = {x}, root = {root}");
    }

    /// Every finite non-negative number — zero, subnormal, normal, up to
    /// `f64::MAX` — gets a root, and the iteration converges before its bound.
    #[test]
    fn terminates_for_every_finite_non_negative_input(
        x in proptest::num::f64::POSITIVE
            | proptest::num::f64::ZERO
            | proptest::num::f64::SUBNORMAL
            | proptest::num::f64::NORMAL
    ) {
        let x = x.abs();
        prop_assume!(x.is_finite());
        let root = newton_sqrt(x).unwrap();
        prop_assert!(relative_error(root, x) < 1e-9, "x = {x}, root = {root}");
        if x > 0.0 {
            let (_, steps) = sqrt_iter(1.0, x);
            prop_assert!(steps < MAX_ITERATIONS, "x = {x}: {steps} steps");
        }
    }

    /// Negative numbers have no real root: `None`, at once (the book's loops
    /// for ever).
    #[test]
    fn negative_numbers_have_no_root(x in proptest::num::f64::NEGATIVE) {
        prop_assume!(x < 0.0);
        prop_assert_eq!(newton_sqrt(x), None);
    }
}
