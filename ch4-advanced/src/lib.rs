//! Chapter 4 of the book: brokers, threads, high-water marks, retries, heartbeats and slow subscribers.
//!
//! Its programs come in a later issue; the workspace, the `lab` runtime and the
//! harness they will use are in place.
