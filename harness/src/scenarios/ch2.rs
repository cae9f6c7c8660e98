//! Chapter 2: publish-subscribe (the stock ticker), the pipeline, the leak demo.

use crate::scenarios::Scenario;

/// The checks, by name.
pub const SCENARIOS: &[Scenario] = &[];
