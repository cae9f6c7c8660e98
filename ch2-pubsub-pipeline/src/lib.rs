//! Chapter 2 of the book: publish-subscribe (the stock ticker) and the pipeline (Newton's method).
//!
//! Its programs come in a later issue; the workspace, the `lab` runtime and the
//! harness they will use are in place.
