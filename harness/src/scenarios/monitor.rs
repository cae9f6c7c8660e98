//! What happens to the connections of the harness's own sockets, seen through
//! a libzmq socket monitor: when a peer has completed its handshake, and when
//! a program dropped the connection — which is what libzmq does to a peer that
//! sends a message over the program's `--max-msg-size`. Waiting for such an
//! event is waiting for a fact, not for time.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::scenarios::peer::{peer_socket, retrying, zmq_failure};
use crate::{Failure, Result};

/// The events of one of the harness's sockets.
///
/// libzmq sends monitor events with a blocking send, from its I/O thread: an
/// event with nobody left to read it would stall that thread for good. So
/// the monitor is switched off (pointed elsewhere, with no events) when this
/// is dropped, before its reading socket closes.
pub struct Monitor<'a> {
    watched: &'a zmq::Socket,
    events: zmq::Socket,
}

/// A fresh inproc endpoint for a monitor.
fn monitor_endpoint() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("inproc://harness-monitor-{n}")
}

impl<'a> Monitor<'a> {
    /// Starts watching `socket` for handshakes and disconnections; call it
    /// before the socket connects or binds, so no event is missed.
    pub fn start(context: &zmq::Context, socket: &'a zmq::Socket) -> Result<Monitor<'a>> {
        let endpoint = monitor_endpoint();
        let wanted =
            zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32 | zmq::SocketEvent::DISCONNECTED as i32;
        socket.monitor(&endpoint, wanted).map_err(zmq_failure)?;
        let events = peer_socket(context, zmq::PAIR)?;
        events.connect(&endpoint).map_err(zmq_failure)?;
        Ok(Monitor {
            watched: socket,
            events,
        })
    }

    /// Waits (at most [`crate::PATIENCE`]) for the next event of `kind`,
    /// skipping the others.
    pub fn wait_for(&self, kind: zmq::SocketEvent) -> Result<()> {
        loop {
            // An event is two frames: 16-bit event and 32-bit value, then the
            // peer's address.
            let frames = retrying(|| self.events.recv_multipart(0))
                .map_err(|failure| failure.context(format!("waiting for {kind:?}")))?;
            let first = frames.first().map(Vec::as_slice).unwrap_or_default();
            let number = match first {
                [low, high, ..] => u16::from_le_bytes([*low, *high]),
                _ => return Err(Failure::new(format!("bad monitor event {frames:?}"))),
            };
            if zmq::SocketEvent::from_raw(number) == kind {
                return Ok(());
            }
        }
    }

    /// Waits for the next handshake with a peer to complete.
    pub fn wait_handshake(&self) -> Result<()> {
        self.wait_for(zmq::SocketEvent::HANDSHAKE_SUCCEEDED)
    }

    /// Waits until a connection is dropped (the peer closed it, or refused
    /// a message over its limit).
    pub fn wait_dropped(&self) -> Result<()> {
        self.wait_for(zmq::SocketEvent::DISCONNECTED)
            .map_err(|failure| failure.context("the connection was never dropped"))
    }
}

impl Drop for Monitor<'_> {
    fn drop(&mut self) {
        // Replacing the monitor closes the first one; the new one sends nothing.
        let _ = self.watched.monitor(&monitor_endpoint(), 0);
    }
}
