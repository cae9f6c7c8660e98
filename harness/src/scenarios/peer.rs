//! The harness as a ZeroMQ peer of the examples: sockets of its own that feed
//! raw (even malformed) messages in and read results out.

use crate::scenarios::ANY_PORT;
use crate::{Failure, Result, PATIENCE};

/// A socket of the harness's own: no linger, and sends and receives that give
/// up after [`PATIENCE`].
pub fn peer_socket(context: &zmq::Context, kind: zmq::SocketType) -> Result<zmq::Socket> {
    let socket = context.socket(kind).map_err(zmq_failure)?;
    let patience_ms = i32::try_from(PATIENCE.as_millis()).unwrap_or(i32::MAX);
    socket.set_linger(0).map_err(zmq_failure)?;
    socket.set_sndtimeo(patience_ms).map_err(zmq_failure)?;
    socket.set_rcvtimeo(patience_ms).map_err(zmq_failure)?;
    Ok(socket)
}

/// A [`peer_socket`] bound to a free port, with its endpoint.
pub fn bound_socket(
    context: &zmq::Context,
    kind: zmq::SocketType,
) -> Result<(zmq::Socket, String)> {
    let socket = peer_socket(context, kind)?;
    socket.bind(ANY_PORT).map_err(zmq_failure)?;
    let endpoint = last_endpoint(&socket)?;
    Ok((socket, endpoint))
}

fn last_endpoint(socket: &zmq::Socket) -> Result<String> {
    match socket.get_last_endpoint().map_err(zmq_failure)? {
        Ok(endpoint) => Ok(endpoint),
        Err(bytes) => Err(Failure::new(format!("endpoint not UTF-8: {bytes:?}"))),
    }
}

/// Runs a blocking call of the harness's own sockets again when a signal
/// interrupted it (the test process may have a SIGCHLD handler: assert_cmd's
/// timeouts install one).
pub fn retrying<T>(call: impl FnMut() -> zmq::Result<T>) -> Result<T> {
    uninterrupted(call).map_err(zmq_failure)
}

/// The same, keeping libzmq's error: for the scenarios where an error is
/// the expected outcome.
pub fn uninterrupted<T>(mut call: impl FnMut() -> zmq::Result<T>) -> zmq::Result<T> {
    loop {
        match call() {
            Err(zmq::Error::EINTR) => continue,
            done => return done,
        }
    }
}

/// A libzmq error of the harness's own sockets, as a failure.
pub fn zmq_failure(error: zmq::Error) -> Failure {
    Failure::new(format!("harness socket: {error}"))
}
