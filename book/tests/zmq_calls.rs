//! The `zmq` crate's own calls — the ones the listings' `lab` helpers wrap.
//!
//! The chapter 1 page sets a table of the book's C calls, the `zmq` crate's
//! and `lab`'s side by side, and includes the regions marked below to show a
//! server written with the `zmq` crate alone. Running them here means the page
//! cannot show a call that does not exist or does not do what the table says.

use std::time::Duration;

#[test]
fn hello_world_with_the_zmq_crate_alone() -> Result<(), zmq::Error> {
    // ANCHOR: setup
    let context = zmq::Context::new();
    // Socket to answer clients on.
    let responder = context.socket(zmq::REP)?;
    responder.set_maxmsgsize(1 << 20)?;
    responder.bind("tcp://127.0.0.1:*")?;
    // The endpoint libzmq really bound, with the port the OS chose: what
    // `lab::bind` prints after `bound`.
    let endpoint = responder.get_last_endpoint()?.unwrap_or_default();
    // ANCHOR_END: setup
    let requester = context.socket(zmq::REQ)?;
    requester.connect(&endpoint)?;
    requester.send("hello", 0)?;

    // ANCHOR: serve
    // Wait for a request. lab's waits poll one more item here: the pipe its
    // signal handler writes to, so that Ctrl-C ends the wait at once.
    let mut items = [responder.as_poll_item(zmq::POLLIN)];
    zmq::poll(&mut items, -1)?;
    // A whole message: every frame, each a Vec<u8>.
    let request = responder.recv_multipart(0)?;
    match &request[..] {
        [text] => println!("Received: {}", String::from_utf8_lossy(text)),
        frames => eprintln!("error: expected 1 frame, got {}", frames.len()),
    }
    // The work of the book's sleep(1), shortened (what the server does, not a wait
    // for the test).
    std::thread::sleep(Duration::from_millis(10));
    responder.send("world", 0)?;
    // ANCHOR_END: serve

    assert_eq!(request, [b"hello".to_vec()]);
    assert_eq!(requester.recv_bytes(0)?, b"world");
    Ok(())
}

#[test]
fn a_message_of_three_frames_is_received_whole_or_frame_by_frame() -> Result<(), zmq::Error> {
    let context = zmq::Context::new();
    let pull = context.socket(zmq::PULL)?;
    pull.bind("inproc://three-frames")?;
    let push = context.socket(zmq::PUSH)?;
    push.connect("inproc://three-frames")?;
    push.send_multipart(["a", "b", "c"], 0)?;
    push.send_multipart(["a", "b", "c"], 0)?;

    // Whole: `recv_multipart`, what `lab::recv_message` does.
    let whole = pull.recv_multipart(0)?;
    assert_eq!(whole, [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);

    // Frame by frame, as the book's C does with `zmq_msg_recv` and
    // `ZMQ_RCVMORE`: a program that stops after the first frame takes one
    // message for three.
    let mut frames = vec![pull.recv_bytes(0)?];
    while pull.get_rcvmore()? {
        frames.push(pull.recv_bytes(0)?);
    }
    assert_eq!(frames, whole);
    Ok(())
}
