//! Chapter 3 of the book: polling, multipart messages, interrupts and CZMQ's helpers in Rust.
//!
//! Its programs come in a later issue; the workspace, the `lab` runtime and the
//! harness they will use are in place.
