//! Version check: which libzmq this program is linked with, and what that
//! build can do (chapter 1, "Checking the ZeroMQ version").
//!
//! - No sockets. Prints `ZeroMQ version <major>.<minor>.<patch>`, then one line
//!   per transport or security mechanism with `yes` or `no` (`zmq_has`).
//!
//! The libzmq here is built from source by the `zmq-sys` crate, so the answer is
//! the same on every machine; the capability list shows, for instance, that it
//! has no PGM multicast.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    Args::parse();
    lab::run(report)
}

fn report() -> lab::Result<()> {
    // ANCHOR: version
    // Book errata (ch1-version-no-body): the printed listing stops after `main` opens; this is its
    // body.
    let (major, minor, patch) = zmq::version();
    println!("ZeroMQ version {major}.{minor}.{patch}");
    // ANCHOR_END: version
    for (capability, what) in CAPABILITIES {
        let answer = match zmq::has(capability) {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        };
        println!("{capability:>6}: {answer:<3}  {what}");
    }
    Ok(())
}

/// Prints the linked libzmq version and its capabilities: the book's chapter 1,
/// "Checking the ZeroMQ version".
#[derive(Parser)]
#[command(version)]
struct Args {}

/// What `zmq_has` can be asked about: transports, then security mechanisms,
/// then the draft API.
const CAPABILITIES: [(&str, &str); 7] = [
    ("ipc", "inter-process transport (ipc://)"),
    ("pgm", "PGM reliable multicast (pgm://, epgm://)"),
    ("tipc", "TIPC cluster transport (tipc://)"),
    ("norm", "NORM multicast transport (norm://)"),
    ("curve", "CURVE encryption and authentication"),
    ("gssapi", "GSSAPI (Kerberos) authentication"),
    ("draft", "draft (unstable) API"),
];
