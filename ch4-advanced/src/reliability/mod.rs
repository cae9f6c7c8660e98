//! Shared code of chapter 4's reliability programs: what deserves a unit test
//! lives here, the sockets and the lessons stay in the binaries.
//!
//! - [`hwm`]: numbered messages and the tally of what a slow subscriber missed
//!   (`hwm-publisher`, `slow-subscriber`).
//! - [`pirate`]: the lazy pirate's requests and the check that a reply is the
//!   one asked for (`lazy-pirate-client`, `lazy-pirate-server`).
//! - [`heartbeat`]: liveness, the peers a server is watching, and the
//!   reconnection backoff (`heartbeat-server`, `heartbeat-worker`).
//! - [`snail`]: timestamps and lag (`snail-publisher`, `snail-subscriber`).

pub mod heartbeat;
pub mod hwm;
pub mod pirate;
pub mod snail;
