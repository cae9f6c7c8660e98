//! Waiting until N peers are really connected to a socket — the deterministic
//! form of the book's "press Enter when the workers are ready".
//!
//! A PUSH socket sends each message to one of the peers attached *at that
//! moment*, in turn. A worker that is still connecting is not attached yet, so
//! the first worker to connect takes the whole burst of tasks. The book asks a
//! human to wait; here the ventilator can count: a socket monitor reports
//! `ZMQ_EVENT_HANDSHAKE_SUCCEEDED` for each peer once the ZeroMQ handshake is
//! done. libzmq queues the command that attaches the peer to the socket *before*
//! it emits that event, and a socket runs its queued commands before its next
//! send, so after N such events the next send sees all N peers.

use lab::Context;

/// The inproc endpoint the monitor publishes on (one per process).
const MONITOR_ENDPOINT: &str = "inproc://handshakes";

/// Watches a socket's peers complete their handshake. Start it before the
/// socket binds, so no peer is missed.
pub struct HandshakeWatch<'a> {
    watched: &'a zmq::Socket,
    events: zmq::Socket,
}

// ANCHOR: watch
impl<'a> HandshakeWatch<'a> {
    /// Starts monitoring `socket` for handshakes and disconnections.
    pub fn start(context: &zmq::Context, socket: &'a zmq::Socket) -> lab::Result<Self> {
        let wanted =
            zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32 | zmq::SocketEvent::DISCONNECTED as i32;
        socket
            .monitor(MONITOR_ENDPOINT, wanted)
            .context("cannot monitor the socket")?;
        // Socket to receive the monitor's events on: two frames per event.
        let events = context.socket(zmq::PAIR).context("cannot create socket")?;
        lab::connect(&events, MONITOR_ENDPOINT)?;
        Ok(HandshakeWatch {
            watched: socket,
            events,
        })
    }

    /// Waits until `peers` peers are connected (handshakes minus
    /// disconnections), or a signal arrives; then stops monitoring. Each
    /// change of the count is handed to `on_change` as it is learnt.
    ///
    /// The count is what the socket knows, event by event: a peer that has
    /// left counts until its disconnection is read, which may come after
    /// the next peer's handshake (two connections, two events, either
    /// order). `on_change` shows the count so that a watcher can tell.
    pub fn wait_for(self, peers: usize, mut on_change: impl FnMut(usize)) -> lab::Result<()> {
        let mut connected = 0;
        while connected < peers {
            // A monitor event is two frames: the event, then the peer's address.
            let event = lab::recv_message(&self.events)?;
            let before = connected;
            match event_kind(event.get(0).unwrap_or_default()) {
                Some(zmq::SocketEvent::HANDSHAKE_SUCCEEDED) => connected += 1,
                Some(zmq::SocketEvent::DISCONNECTED) => connected = connected.saturating_sub(1),
                _ => {}
            }
            if connected != before {
                on_change(connected);
            }
        }
        // A monitor sends its events with a blocking send: once nobody reads
        // them, a later event would stall libzmq's I/O thread. Pointing the
        // monitor elsewhere with no events replaces (closes) the first one.
        self.watched
            .monitor("inproc://handshakes-off", 0)
            .context("cannot stop monitoring")
    }
}
// ANCHOR_END: watch

/// The event in a monitor's first frame: 16-bit event number, 32-bit value.
fn event_kind(frame: &[u8]) -> Option<zmq::SocketEvent> {
    let number = u16::from_le_bytes([*frame.first()?, *frame.get(1)?]);
    Some(zmq::SocketEvent::from_raw(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_for_each_peer_then_round_robin_reaches_all() {
        let context = zmq::Context::new();
        let push = context.socket(zmq::PUSH).unwrap();
        let watch = HandshakeWatch::start(&context, &push).unwrap();
        push.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = push.get_last_endpoint().unwrap().unwrap();
        let pulls: Vec<zmq::Socket> = (0..3)
            .map(|_| {
                let pull = context.socket(zmq::PULL).unwrap();
                pull.connect(&endpoint).unwrap();
                pull
            })
            .collect();
        let mut counts = Vec::new();
        watch.wait_for(3, |count| counts.push(count)).unwrap();
        assert_eq!(counts, [1, 2, 3]);
        for n in 0..3 {
            push.send(&n.to_string(), 0).unwrap();
        }
        // Each of the three got exactly one: all were attached before the sends.
        for pull in &pulls {
            pull.set_rcvtimeo(5_000).unwrap();
            pull.recv_bytes(0).unwrap();
        }
    }

    #[test]
    fn event_kind_reads_the_first_two_bytes() {
        let frame = [0x00, 0x10, 0, 0, 0, 0];
        assert_eq!(
            event_kind(&frame),
            Some(zmq::SocketEvent::HANDSHAKE_SUCCEEDED)
        );
        assert_eq!(event_kind(&[1]), None);
    }
}
