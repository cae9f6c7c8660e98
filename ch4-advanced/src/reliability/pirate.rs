//! The lazy pirate's requests: numbered, echoed by the server, and checked by
//! the client, so a reply that belongs to another request is caught.

use lab::Frames;

/// The request numbered `sequence`: its decimal text.
pub fn request(sequence: u64) -> String {
    sequence.to_string()
}

/// True when `reply` is the echo of `request`: one frame, the same bytes.
///
/// ```
/// use ch4_advanced::reliability::pirate::is_reply_to;
/// let reply: lab::Frames = ["3"].into_iter().collect();
/// assert!(is_reply_to(&reply, b"3"));
/// assert!(!is_reply_to(&reply, b"4"));
/// ```
pub fn is_reply_to(reply: &Frames, request: &[u8]) -> bool {
    reply.single() == Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_req_socket_cannot_send_again_before_its_reply() {
        let context = zmq::Context::new();
        let req = context.socket(zmq::REQ).unwrap();
        req.set_linger(0).unwrap();
        req.connect("inproc://pirate-nobody").unwrap();
        req.send("1", zmq::DONTWAIT).unwrap();
        // The retry the text suggests: refused by REQ's state machine.
        assert_eq!(req.send("1", zmq::DONTWAIT), Err(zmq::Error::EFSM));
    }

    #[test]
    fn only_the_one_frame_echo_matches() {
        let two: Frames = ["3", "3"].into_iter().collect();
        assert!(!is_reply_to(&two, b"3"));
        assert!(!is_reply_to(&Frames::new(), b"3"));
        let echo: Frames = [request(12).as_str()].into_iter().collect();
        assert!(is_reply_to(&echo, b"12"));
    }
}
