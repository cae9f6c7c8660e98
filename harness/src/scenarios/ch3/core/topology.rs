//! Chapter 3, transports: the book's inproc rule, checked against the libzmq
//! this workspace links (4.3.4).

use crate::scenarios::peer::{peer_socket, retrying, zmq_failure};
use crate::{ensure, Bins, Result};

/// The text says an inproc socket must be bound before another connects to
/// it. In libzmq 4.x (since 4.0) the order is free: a socket that connects
/// first waits, and its message is delivered once the bind happens.
pub fn inproc_connect_before_bind_is_delivered(_bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let sender = peer_socket(&context, zmq::PUSH)?;
    sender
        .connect("inproc://connect-first")
        .map_err(zmq_failure)?;
    retrying(|| sender.send("sent before the bind", 0))?;
    let receiver = peer_socket(&context, zmq::PULL)?;
    receiver
        .bind("inproc://connect-first")
        .map_err(zmq_failure)?;
    let got = retrying(|| receiver.recv_bytes(0))?;
    ensure(got == b"sent before the bind", || {
        format!("received {got:?}")
    })
}
