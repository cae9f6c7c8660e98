//! Claims of chapter 1's prose, tried on the libzmq these examples link
//! (see the "The text says / In fact" rows of the chapter's errata).

// The `zmq` crate offers only the options libzmq 4 has: asking for one it
// removed takes the raw C call.
#![allow(unsafe_code)]

/// `ZMQ_SWAP` was option 3 of libzmq 2.x; libzmq 4 refuses it as unknown
/// (row `ch1-text-swap-file`).
#[test]
fn libzmq_has_no_swap_option() {
    const ZMQ_SWAP: i32 = 3;
    let context = zmq::Context::new();
    let mut socket = context.socket(zmq::PUSH).expect("a PUSH socket");
    let value: i64 = 1 << 20;
    // SAFETY: the socket pointer is live for the call, and `value` outlives it
    // with the size given.
    let rc = unsafe {
        zmq_sys::zmq_setsockopt(
            socket.as_mut_ptr(),
            ZMQ_SWAP,
            (&value as *const i64).cast(),
            std::mem::size_of::<i64>(),
        )
    };
    // SAFETY: reads this thread's errno, set by the call above.
    let errno = unsafe { zmq_sys::zmq_errno() };
    assert_eq!(
        (rc, errno),
        (-1, zmq::Error::EINVAL.to_raw()),
        "ZMQ_SWAP was accepted"
    );
}

/// Every send is asynchronous: a PUSH whose peer does not exist yet queues
/// the message and returns at once. `ZMQ_DONTWAIT` is about not *blocking*:
/// with nowhere to queue (no connection at all) the send fails with `EAGAIN`
/// instead of waiting, and so does a receive with nothing to receive (row
/// `ch1-text-dontwait`).
#[test]
fn every_send_queues_and_dontwait_only_refuses_to_block() {
    let context = zmq::Context::new();
    let queued = context.socket(zmq::PUSH).expect("a PUSH socket");
    // Nobody listens there: the connection is only being tried, yet the
    // socket has a pipe for it and the message waits in it.
    queued
        .connect("tcp://127.0.0.1:9")
        .expect("connect never waits for a listener");
    queued
        .send("queued", zmq::DONTWAIT)
        .expect("a send queues without any receiver");

    let alone = context.socket(zmq::PUSH).expect("a PUSH socket");
    assert_eq!(
        alone.send("nowhere", zmq::DONTWAIT),
        Err(zmq::Error::EAGAIN)
    );
    let pull = context.socket(zmq::PULL).expect("a PULL socket");
    assert_eq!(pull.recv_bytes(zmq::DONTWAIT), Err(zmq::Error::EAGAIN));
    queued.set_linger(0).expect("linger");
}
