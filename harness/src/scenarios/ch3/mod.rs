//! Chapter 3: socket topology, polling, multipart messages, interrupts, and
//! CZMQ's helpers in Rust. Two tables: the core lessons and the CZMQ programs.

pub mod core;
pub mod czmq;
