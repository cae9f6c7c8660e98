//! Chapter 3's lessons that are libzmq's own rather than a program's, shown
//! with the harness's own sockets. Each says which claim of the text it
//! proves.

use crate::scenarios::peer::{bound_socket, peer_socket, retrying, uninterrupted, zmq_failure};
use crate::{ensure, Bins, Result};

/// The text, on the multipart client that never sends: a REQ socket must
/// send before it may receive. A REQ that receives first fails at once with
/// `EFSM` — a blocking receive, a server ready to answer, and still no wait:
/// the socket's state machine refuses. After a request the same receive
/// gets the reply; a second receive, with no new request, is refused again.
pub fn req_receiving_before_it_sends_fails_with_efsm(_bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
    let requester = peer_socket(&context, zmq::REQ)?;
    requester.connect(&endpoint).map_err(zmq_failure)?;
    let first = uninterrupted(|| requester.recv_bytes(0));
    ensure(first == Err(zmq::Error::EFSM), || {
        format!("a REQ receiving before it sent: expected EFSM, got {first:?}")
    })?;
    retrying(|| requester.send("hello", 0))?;
    let request = retrying(|| replier.recv_bytes(0))?;
    retrying(|| replier.send(&request[..], 0))?;
    let reply = retrying(|| requester.recv_bytes(0))?;
    ensure(reply == b"hello", || {
        format!("expected the echo of hello, got {reply:?}")
    })?;
    let again = uninterrupted(|| requester.recv_bytes(0));
    ensure(again == Err(zmq::Error::EFSM), || {
        format!("a second receive without a request: expected EFSM, got {again:?}")
    })
}
