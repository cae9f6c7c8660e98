//! The performance tools: Rust counterparts of libzmq's perf programs.

use crate::scenarios::Scenario;

/// The checks, by name.
pub const SCENARIOS: &[Scenario] = &[];
