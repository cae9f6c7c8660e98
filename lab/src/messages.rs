//! Receiving and sending whole messages, interruptibly.
//!
//! In `zmq` terms: [`recv_message`] is `socket.recv_multipart(0)` (every frame
//! of one message), [`send`] is `socket.send(data, flags)` and [`send_message`]
//! is `socket.send_multipart(frames, 0)`. The differences: a SIGINT or SIGTERM
//! ends any wait at once with [`crate::Error::Interrupted`] (see
//! [`crate::interrupt`]); a message larger in all than the socket's
//! `ZMQ_MAXMSGSIZE` is drained, not kept; and a send the socket's pattern
//! forbids right now fails with a sentence instead of waiting for ever.

use std::time::Duration;

use crate::{Context, Error, Frames, Poller, Result};

/// The most frames one received message may keep, whatever their size: each
/// frame costs a `zmq_msg_t` even when empty, so a peer sending millions of
/// empty frames is refused like one sending a huge frame.
pub const MAX_FRAMES: usize = 10_000;

/// Receives one whole message — every frame — from `socket`, waiting as long as
/// it takes or until a signal arrives.
///
/// libzmq delivers a multipart message all at once, so after the first frame
/// the others are already there. If the frames add up to more than the
/// socket's `ZMQ_MAXMSGSIZE` (libzmq checks each frame alone), or number more
/// than [`MAX_FRAMES`], the rest are received and thrown away so the socket is
/// ready for the next message, and the result says
/// [`Frames::is_oversized`].
pub fn recv_message(socket: &zmq::Socket) -> Result<Frames> {
    // A program whose messages never run out never waits, so never sees the
    // signal pipe: it must look at the flag itself.
    stop_if_interrupted()?;
    let first = recv_frame(socket)?;
    let limit = socket
        .get_maxmsgsize()
        .context("cannot read ZMQ_MAXMSGSIZE")?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut more = first.get_more();
    let mut size = first.len();
    let mut message = Frames::new();
    message.push_back(first);
    while more {
        let frame = recv_frame(socket)?;
        more = frame.get_more();
        size = size.saturating_add(frame.len());
        if size > limit || message.len() >= MAX_FRAMES {
            message.discard_one();
        } else {
            message.push_back(frame);
        }
    }
    Ok(message)
}

/// Receives one frame, waiting interruptibly.
fn recv_frame(socket: &zmq::Socket) -> Result<zmq::Message> {
    let mut frame = zmq::Message::new();
    loop {
        match socket.recv(&mut frame, zmq::DONTWAIT) {
            Ok(()) => return Ok(frame),
            Err(zmq::Error::EAGAIN) => {
                wait_readable(socket, None)?;
            }
            Err(zmq::Error::EINTR) if !crate::interrupted() => continue,
            Err(error) => return Err(error).context("cannot receive"),
        }
    }
}

/// Sends `data` as one frame (`flags` may hold `zmq::SNDMORE`), waiting while
/// the socket has nowhere to put it (a REQ with no server yet, a PUSH at its
/// high-water mark) — interruptibly.
///
/// A send the socket's pattern forbids (a REP that has not received a request,
/// a REQ still waiting for its reply: libzmq's `EFSM`) fails at once with an
/// error that says so: waiting would be for ever.
pub fn send(socket: &zmq::Socket, data: impl AsRef<[u8]>, flags: i32) -> Result<()> {
    // A PUB socket never blocks: a publisher at full speed never waits, so it
    // must look at the flag itself or Ctrl-C would never stop it.
    stop_if_interrupted()?;
    send_frame(socket, data.as_ref(), flags)
}

/// Sends one frame, waiting interruptibly while the socket has no room.
fn send_frame(socket: &zmq::Socket, data: &[u8], flags: i32) -> Result<()> {
    loop {
        match socket.send(data, flags | zmq::DONTWAIT) {
            Ok(()) => return Ok(()),
            Err(zmq::Error::EAGAIN) => {
                wait_writable(socket, None)?;
            }
            Err(zmq::Error::EFSM) => {
                return Err(Error::failed(
                    "cannot send: the socket's pattern forbids sending now \
                     (a REP must receive before it replies, a REQ must get its reply \
                     before it asks again)",
                ))
            }
            Err(zmq::Error::EINTR) if !crate::interrupted() => continue,
            Err(error) => return Err(error).context("cannot send"),
        }
    }
}

/// `Err(Interrupted)` once SIGINT or SIGTERM was caught: an atomic load, cheap
/// enough for every message.
fn stop_if_interrupted() -> Result<()> {
    if crate::interrupted() {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

/// Sends every frame of `message` as one multipart message (all frames arrive,
/// or none).
pub fn send_message(socket: &zmq::Socket, message: &Frames) -> Result<()> {
    // Looked at once, before the first frame: never half a message.
    stop_if_interrupted()?;
    let last = message.len().saturating_sub(1);
    for (index, frame) in message.iter().enumerate() {
        let flags = if index < last { zmq::SNDMORE } else { 0 };
        send_frame(socket, frame, flags)?;
    }
    Ok(())
}

/// Waits until `socket` has a message to receive: `Ok(true)`; or until
/// `timeout` passes: `Ok(false)`. `None` waits for ever.
pub fn wait_readable(socket: &zmq::Socket, timeout: Option<Duration>) -> Result<bool> {
    wait(socket, zmq::POLLIN, timeout)
}

/// Waits until `socket` can take a message: `Ok(true)`; or until `timeout`
/// passes: `Ok(false)`.
pub fn wait_writable(socket: &zmq::Socket, timeout: Option<Duration>) -> Result<bool> {
    wait(socket, zmq::POLLOUT, timeout)
}

fn wait(socket: &zmq::Socket, events: zmq::PollEvents, timeout: Option<Duration>) -> Result<bool> {
    let mut poller = Poller::new();
    let item = poller.add(socket, events);
    poller.poll(timeout)?;
    Ok(poller.revents(item).intersects(events))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn pair(context: &zmq::Context, name: &str) -> (zmq::Socket, zmq::Socket) {
        let pull = context.socket(zmq::PULL).unwrap();
        pull.bind(&format!("inproc://{name}")).unwrap();
        let push = context.socket(zmq::PUSH).unwrap();
        push.connect(&format!("inproc://{name}")).unwrap();
        (push, pull)
    }

    #[test]
    fn wait_readable_times_out_on_a_silent_socket() {
        let context = zmq::Context::new();
        let (_push, pull) = pair(&context, "silent");
        let started = Instant::now();
        assert_eq!(
            wait_readable(&pull, Some(Duration::from_millis(20))),
            Ok(false)
        );
        assert!(started.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    fn recv_message_returns_every_frame_of_one_message() {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "whole");
        let sent: Frames = ["a", "b", "c"].into_iter().collect();
        send_message(&push, &sent).unwrap();
        send(&push, "next", 0).unwrap();
        assert_eq!(recv_message(&pull).unwrap(), sent);
        assert_eq!(recv_message(&pull).unwrap().single(), Ok(&b"next"[..]));
    }

    #[test]
    fn frames_over_the_limit_in_all_are_drained_not_kept() {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "oversized");
        pull.set_maxmsgsize(4).unwrap();
        send_message(&push, &["abc", "def", "g"].into_iter().collect()).unwrap();
        send(&push, "ok", 0).unwrap();
        let oversized = recv_message(&pull).unwrap();
        assert!(oversized.is_oversized());
        assert_eq!(oversized.len(), 1);
        assert_eq!(recv_message(&pull).unwrap().single(), Ok(&b"ok"[..]));
    }

    /// The limit is on the whole message: frames of exactly
    /// `ZMQ_MAXMSGSIZE` bytes in all are kept; one byte more and the message
    /// is drained.
    #[test]
    fn a_message_of_exactly_the_limit_in_all_is_kept_one_byte_more_is_not() {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "at-the-limit");
        pull.set_maxmsgsize(6).unwrap();
        let at_the_limit: Frames = ["abc", "def"].into_iter().collect();
        send_message(&push, &at_the_limit).unwrap();
        send_message(&push, &["abc", "defg"].into_iter().collect()).unwrap();
        let kept = recv_message(&pull).unwrap();
        assert!(!kept.is_oversized(), "{kept}");
        assert_eq!(kept, at_the_limit);
        let over = recv_message(&pull).unwrap();
        assert!(over.is_oversized(), "{over}");
        assert_eq!(over.len(), 1);
    }

    /// The frame count has its bound too, whatever the sizes: a message of
    /// exactly [`MAX_FRAMES`] empty frames is kept, one frame more is drained.
    #[test]
    fn a_message_of_exactly_max_frames_is_kept_one_frame_more_is_not() {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "max-frames");
        for count in [MAX_FRAMES, MAX_FRAMES + 1] {
            let empty: Frames = std::iter::repeat_n("", count).collect();
            send_message(&push, &empty).unwrap();
        }
        let kept = recv_message(&pull).unwrap();
        assert!(!kept.is_oversized());
        assert_eq!(kept.len(), MAX_FRAMES);
        let over = recv_message(&pull).unwrap();
        assert!(over.is_oversized());
        assert_eq!(over.len(), MAX_FRAMES);
    }

    #[test]
    fn a_rep_that_has_not_received_cannot_send_and_says_so() {
        let context = zmq::Context::new();
        let rep = context.socket(zmq::REP).unwrap();
        rep.bind("inproc://rep-first").unwrap();
        let error = send(&rep, "world", 0).unwrap_err().to_string();
        assert!(error.contains("forbids sending now"), "{error}");
    }
}
