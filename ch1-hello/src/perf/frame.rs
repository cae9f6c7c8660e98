//! One reused ZeroMQ message, driven through libzmq's C API (`zmq-sys`) the way
//! libzmq's C perf tools drive their `zmq_msg_t` — the only unsafe code of the
//! examples, and why it is here.
//!
//! The `zmq` crate's `Message` is the right tool everywhere else, but in a hot
//! loop it costs: its `len()` asks libzmq for the data pointer and the size (two
//! calls, each re-validating the message), and `Socket::send` consumes it. Under
//! callgrind the Rust `remote-thr` ran about 220 more instructions per message
//! than the C `remote_thr` (+36 % on its sending thread), `local-thr` about 60
//! more; on a 2-core machine where four busy threads share the CPUs, that is
//! throughput lost. With [`Frame`] and [`send_copy`] each message costs one call
//! into libzmq, as in C.
#![allow(unsafe_code)]

/// A `zmq_msg_t` owned by Rust: initialised when made, closed when dropped,
/// and reused for every receive and send, as the C tools reuse theirs.
pub struct Frame {
    msg: zmq_sys::zmq_msg_t,
}

impl Frame {
    /// An empty message, ready to receive into.
    pub fn new() -> Frame {
        let mut msg = zmq_sys::zmq_msg_t::default();
        // SAFETY: `zmq_msg_init` only writes the empty-message header into the
        // struct it is given, and cannot fail.
        unsafe { zmq_sys::zmq_msg_init(&mut msg) };
        Frame { msg }
    }

    /// A message of `size` zero bytes, ready to send.
    pub fn zeroed(size: usize) -> Result<Frame, zmq::Error> {
        let mut msg = zmq_sys::zmq_msg_t::default();
        // SAFETY: `zmq_msg_init_size` initialises `msg` with room for `size`
        // bytes (inline or allocated by libzmq), or fails (ENOMEM) leaving
        // nothing to close.
        if unsafe { zmq_sys::zmq_msg_init_size(&mut msg, size) } != 0 {
            return Err(last_error());
        }
        let mut frame = Frame { msg };
        // SAFETY: the message was just initialised with exactly `size` bytes
        // at `zmq_msg_data`; writing them all gives defined contents.
        unsafe {
            let data = zmq_sys::zmq_msg_data(&mut frame.msg);
            std::ptr::write_bytes(data.cast::<u8>(), 0, size);
        }
        Ok(frame)
    }

    /// Receives the next message into this one (`zmq_msg_recv`, which closes
    /// what it held before) and returns its size in bytes.
    #[inline]
    pub fn recv(&mut self, socket: &mut zmq::Socket) -> Result<usize, zmq::Error> {
        // SAFETY: `self.msg` is an initialised message owned by this Frame, and
        // `as_mut_ptr` is the live socket that `socket` owns. On failure
        // libzmq leaves `msg` initialised (empty), so Drop stays correct.
        let received = unsafe { zmq_sys::zmq_msg_recv(&mut self.msg, socket.as_mut_ptr(), 0) };
        usize::try_from(received).map_err(|_| last_error())
    }

    /// Sends this message (`zmq_msg_send`). On success libzmq owns the content
    /// and leaves this message empty, ready to receive into again.
    #[inline]
    pub fn send(&mut self, socket: &mut zmq::Socket) -> Result<(), zmq::Error> {
        // SAFETY: as in `recv`. On failure the message is untouched and still
        // ours to close.
        let sent = unsafe { zmq_sys::zmq_msg_send(&mut self.msg, socket.as_mut_ptr(), 0) };
        if sent < 0 {
            Err(last_error())
        } else {
            Ok(())
        }
    }
}

impl Default for Frame {
    fn default() -> Frame {
        Frame::new()
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        // SAFETY: `self.msg` was initialised by `new` or `zeroed` and is closed
        // exactly once, here. Closing cannot fail for a valid message.
        unsafe { zmq_sys::zmq_msg_close(&mut self.msg) };
    }
}

/// Sends a copy of `payload` as one message (`zmq_send`: libzmq makes a new
/// message, copies the bytes in and sends it — what the C `remote_thr` does
/// with `zmq_msg_init_size`, minus sending uninitialised bytes).
#[inline]
pub fn send_copy(socket: &mut zmq::Socket, payload: &[u8]) -> Result<(), zmq::Error> {
    // SAFETY: `payload` is valid for `payload.len()` bytes for the duration of
    // the call (libzmq copies them before returning); the socket is live.
    let sent = unsafe {
        zmq_sys::zmq_send(
            socket.as_mut_ptr(),
            payload.as_ptr().cast(),
            payload.len(),
            0,
        )
    };
    if sent < 0 {
        Err(last_error())
    } else {
        Ok(())
    }
}

/// The error of the libzmq call that just failed, on this thread.
#[cold]
fn last_error() -> zmq::Error {
    // SAFETY: `zmq_errno` only reads this thread's errno.
    zmq::Error::from_raw(unsafe { zmq_sys::zmq_errno() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_goes_there_and_back_and_is_reused() {
        let context = zmq::Context::new();
        let mut pull = context.socket(zmq::PULL).unwrap();
        pull.bind("inproc://frame-test").unwrap();
        let mut push = context.socket(zmq::PUSH).unwrap();
        push.connect("inproc://frame-test").unwrap();

        let mut outgoing = Frame::zeroed(100).unwrap();
        outgoing.send(&mut push).unwrap();
        send_copy(&mut push, b"hello").unwrap();
        // Sent: the frame is empty now, and can be sent again as such.
        outgoing.send(&mut push).unwrap();

        let mut incoming = Frame::new();
        assert_eq!(incoming.recv(&mut pull), Ok(100));
        assert_eq!(incoming.recv(&mut pull), Ok(5));
        assert_eq!(incoming.recv(&mut pull), Ok(0));
        // Nothing left: the error comes through as zmq's.
        pull.set_rcvtimeo(10).unwrap();
        assert_eq!(incoming.recv(&mut pull), Err(zmq::Error::EAGAIN));
    }
}
