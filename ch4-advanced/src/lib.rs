//! Chapter 4 of the book: brokers, threads, envelopes, high-water marks,
//! retries, heartbeats and slow subscribers. The programs use chapter 3's
//! library (the `Reactor`, `Frames`) as the book uses CZMQ.

pub mod broker;
pub mod reliability;
