//! Claims of chapter 3's prose, tried on the libzmq these examples link
//! (see the "The text says / In fact" rows of the chapter's errata).

/// A message is not of a fixed length: each one is exactly as long as its
/// sender made it, from zero bytes up, and messages of different lengths
/// follow each other on one socket (row `ch3-text-fixed-length-message`).
#[test]
fn a_message_is_as_long_as_its_sender_made_it() {
    let context = zmq::Context::new();
    let pull = context.socket(zmq::PULL).expect("a PULL socket");
    pull.bind("inproc://lengths").expect("bind");
    let push = context.socket(zmq::PUSH).expect("a PUSH socket");
    push.connect("inproc://lengths").expect("connect");
    let lengths = [0, 1, 5, 70_000, 2];
    for length in lengths {
        push.send(vec![b'x'; length], 0).expect("send");
    }
    for length in lengths {
        let message = pull.recv_bytes(0).expect("receive");
        assert_eq!(message.len(), length, "a message of {length} bytes");
    }
}

/// The zloop server's socket is a PULL: it can only receive, and libzmq
/// refuses a send on it with `ENOTSUP` — the server cannot send anything
/// back (row `ch3-text-zloop-sends-back`). (`DONTWAIT`: a socket that could
/// send but had no peer would say `EAGAIN`, not wait.)
#[test]
fn a_pull_socket_cannot_send() {
    let context = zmq::Context::new();
    let pull = context.socket(zmq::PULL).expect("a PULL socket");
    pull.bind("inproc://pull-only").expect("bind");
    assert_eq!(pull.send("hello", zmq::DONTWAIT), Err(zmq::Error::ENOTSUP));
}

/// inproc names belong to one context: two contexts can each bind the same
/// name, and neither sees the other's; within one context the name is taken.
/// So a thread that made a context of its own could not reach its parent
/// over inproc — why the examples share one context between threads (row
/// `ch3-text-zthread-own-context`).
#[test]
fn inproc_names_belong_to_one_context() {
    let parent = zmq::Context::new();
    let bound = parent.socket(zmq::PULL).expect("a PULL socket");
    bound.bind("inproc://parent").expect("the parent binds");

    let own = zmq::Context::new();
    let elsewhere = own.socket(zmq::PULL).expect("a PULL socket");
    assert_eq!(
        elsewhere.bind("inproc://parent"),
        Ok(()),
        "another context shares the parent's inproc names"
    );

    let again = parent.socket(zmq::PULL).expect("a PULL socket");
    assert_eq!(again.bind("inproc://parent"), Err(zmq::Error::EADDRINUSE));
}

/// The libzmq these examples link has no OpenPGM: it reports no `pgm`
/// capability, and a PUB socket refuses an `epgm://` endpoint with
/// `EPROTONOSUPPORT` (row `ch3-text-openpgm-bundled`).
#[test]
fn this_libzmq_has_no_multicast_transport() {
    assert_eq!(zmq::has("pgm"), Some(false));
    let context = zmq::Context::new();
    let publisher = context.socket(zmq::PUB).expect("a PUB socket");
    assert_eq!(
        publisher.bind("epgm://127.0.0.1;239.192.1.1:5555"),
        Err(zmq::Error::EPROTONOSUPPORT)
    );
}
