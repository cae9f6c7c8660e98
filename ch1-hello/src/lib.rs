//! Chapter 1 of the book, "Getting Started": the request-reply pattern with a
//! `hello`/`world` server and client, and the version check.
//!
//! The programs are in `src/bin/`; the walkthrough's chapter 1 page explains
//! them, and `harness` checks every scenario of the chapter.
//!
//! [`perf`] holds what the six performance tools share (`local-lat`,
//! `remote-lat`, `local-thr`, `remote-thr`, `inproc-lat`, `inproc-thr`): their
//! hot loops and libzmq's report lines.

pub mod perf;
