//! Chapter 3 of the book: polling, multipart messages, interrupts — and what
//! CZMQ, the high-level C binding, gives C programmers, the Rust way.
//!
//! # CZMQ in Rust
//!
//! The book's CZMQ section wraps libzmq in a dozen helpers. Most of them are
//! already in the `zmq` crate or in `std`; this crate writes only what neither
//! has — the [`Reactor`](reactor::Reactor) — and no wrapper where they suffice:
//!
//! - `zctx` (a context that also catches Ctrl-C) → [`zmq::Context`], plus the
//!   signal handling every example shares: [`lab::run`] and [`lab::interrupt`].
//! - `zsocket_new`/`zsocket_bind` → `context.socket(kind)` and [`lab::bind`].
//! - `zstr` (send and receive strings) → the `zmq` crate's `send(&str)` and
//!   `recv_string`. As with `zstr`, nothing sends a C string's NUL byte: a Rust
//!   `&str` has none (chapter 1's point about the book's `strlen + 1`).
//! - `zmsg` (a multipart message) → [`Frames`], the whole-message type that
//!   [`lab::recv_message`] returns; `zmsg_save`/`zmsg_load` →
//!   [`zfile::saved::save`]/[`zfile::saved::load`], beside the zfile lesson
//!   that uses them. The five-frame reply of the lesson:
//!   [`zmsg`].
//! - `zloop` (a reactor) → [`reactor::Reactor`]: handlers for readable sockets
//!   and for timers, stopped by a handler or by a signal. The lesson's counts:
//!   [`zloop`].
//! - `zfile` → `std::fs`: the book's `zfile_mkdir` is `create_dir` (one level,
//!   unlike `create_dir_all` — which is what CZMQ 3 and 4's `zfile_mkdir`
//!   does), `zfile_size` is `metadata().len()`, `zfile_delete` is
//!   `remove_file`, `zfile_exists` is `Path::exists`. The lesson: [`zfile`].
//! - `zhash`, `zlist` → `std::collections::HashMap` and `VecDeque`. The
//!   key-value lesson's table: [`kv`].
//! - `zclock` → `std::time::Instant` and [`lab::sleep`] (`thread::sleep` that a
//!   signal interrupts).
//! - `zthread` → `std::thread`, each thread with a clone of the one
//!   `zmq::Context` (a context is shared between threads; sockets are not).
//!
//! # The rest of the chapter
//!
//! - [`context_limits`]: the one setting the `zmq` crate cannot make.
//! - [`multipart`]: the multipart lesson's five frames of `world`.

pub mod context_limits;
pub mod kv;
pub mod multipart;
pub mod reactor;
pub mod zfile;
pub mod zloop;
pub mod zmsg;

pub use lab::Frames;
