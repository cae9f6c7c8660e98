//! Chapter 4: advanced patterns. Two tables: brokers, threads and envelopes;
//! and reliability (high-water marks, retries, heartbeats, slow subscribers).

pub mod broker;
pub mod lessons;
pub mod reliability;
