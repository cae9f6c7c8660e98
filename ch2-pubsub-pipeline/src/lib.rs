//! Chapter 2 of the book, "Introduction to Sockets": publish-subscribe (the
//! stock ticker) and the pipeline (square roots by Newton's method), with the
//! leak demo of its Valgrind section.
//!
//! The programs are in `src/bin/`; this library holds what deserves unit tests:
//! - [`newton`]: Newton's square root (the workers' work);
//! - [`ticker`]: the ticker's update text, subscriptions, pacing;
//! - [`tasks`]: the pipeline's messages (tasks, batch start, results) and the
//!   sink's progress marks;
//! - [`handshakes`]: waiting until N peers are connected (the batch-start
//!   synchronisation, done with a socket monitor).
//!
//! The walkthrough's chapter 2 page explains them, and `harness` checks every
//! scenario of the chapter.

pub mod handshakes;
pub mod newton;
pub mod tasks;
pub mod ticker;
