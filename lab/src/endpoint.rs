//! Binding and connecting, with the `bound <endpoint>` line tests wait for.

use crate::{Context, Result};

/// Binds `socket` to `endpoint` and prints `bound <endpoint>` on stdout with the
/// endpoint libzmq actually bound (`tcp://127.0.0.1:*` comes back with the port
/// the OS chose). Returns that endpoint.
///
/// Rust's stdout is line-buffered even when it is a pipe, so the line reaches a
/// waiting test at once.
pub fn bind(socket: &zmq::Socket, endpoint: &str) -> Result<String> {
    socket
        .bind(endpoint)
        .context(format_args!("cannot bind {endpoint}"))?;
    let bound = match socket.get_last_endpoint() {
        Ok(Ok(real)) => real,
        // The endpoint is not UTF-8 or not available: the requested one is the
        // best we can say.
        _ => endpoint.to_string(),
    };
    println!("bound {bound}");
    Ok(bound)
}

/// Connects `socket` to `endpoint`. ZeroMQ connects in the background: this
/// succeeds even when nobody listens yet, and fails only for an endpoint that
/// cannot be parsed or a transport that is not available.
pub fn connect(socket: &zmq::Socket, endpoint: &str) -> Result<()> {
    socket
        .connect(endpoint)
        .context(format_args!("cannot connect to {endpoint}"))
}
