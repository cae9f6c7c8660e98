//! Claims of chapter 2's prose, tried on the libzmq these examples link
//! (see the "The text says / In fact" rows of the chapter's errata). The
//! publisher's side is an XPUB socket: a PUB that also shows the
//! subscriptions that reach it.

const PATIENCE_MS: i32 = 5000;

fn pair(context: &zmq::Context) -> zmq::Result<(zmq::Socket, zmq::Socket)> {
    let publisher = context.socket(zmq::XPUB)?;
    publisher.set_rcvtimeo(PATIENCE_MS)?;
    publisher.set_linger(0)?;
    publisher.bind("tcp://127.0.0.1:*")?;
    let endpoint = publisher
        .get_last_endpoint()?
        .unwrap_or_else(|_| String::from("tcp://127.0.0.1:0"));
    let subscriber = context.socket(zmq::SUB)?;
    subscriber.set_rcvtimeo(PATIENCE_MS)?;
    subscriber.connect(&endpoint)?;
    Ok((publisher, subscriber))
}

/// A SUB socket only receives: sending *on* it is `ENOTSUP`. Sending *to* it,
/// from a publisher, is the pattern (row `ch2-text-send-to-sub`).
#[test]
fn sending_on_a_sub_socket_is_not_supported() {
    let context = zmq::Context::new();
    let (publisher, subscriber) = pair(&context).unwrap();
    subscriber.set_subscribe(b"").expect("subscribe");
    assert_eq!(publisher.recv_bytes(0).expect("the subscription"), b"\x01");
    assert_eq!(subscriber.send("up", 0), Err(zmq::Error::ENOTSUP));
    publisher.send("down", 0).expect("publish");
    assert_eq!(subscriber.recv_bytes(0).expect("an update"), b"down");
}

/// The subscription travels to the publisher (`1` then the prefix), which is
/// what lets a PUB over tcp filter before sending (row
/// `ch2-text-subscriber-filters`).
#[test]
fn a_subscription_travels_to_the_publisher() {
    let context = zmq::Context::new();
    let (publisher, subscriber) = pair(&context).unwrap();
    subscriber.set_subscribe(b"Company1").expect("subscribe");
    assert_eq!(
        publisher.recv_bytes(0).expect("the subscription"),
        b"\x01Company1"
    );
}

/// `ZMQ_UNSUBSCRIBE` removes one subscription to its prefix: subscribed twice,
/// the prefix still matches after one unsubscribe, and only the second takes
/// it away (then the publisher hears of it); other prefixes stay (row
/// `ch2-text-unsubscribe`).
#[test]
fn unsubscribe_removes_one_subscription_not_a_message() {
    let context = zmq::Context::new();
    let (publisher, subscriber) = pair(&context).unwrap();
    for prefix in ["A", "A", "B"] {
        subscriber
            .set_subscribe(prefix.as_bytes())
            .expect("subscribe");
    }
    assert_eq!(publisher.recv_bytes(0).expect("A"), b"\x01A");
    assert_eq!(publisher.recv_bytes(0).expect("B"), b"\x01B");

    subscriber.set_unsubscribe(b"A").expect("unsubscribe");
    publisher.send("A1", 0).expect("publish");
    publisher.send("B1", 0).expect("publish");
    assert_eq!(subscriber.recv_bytes(0).expect("A1"), b"A1");
    assert_eq!(subscriber.recv_bytes(0).expect("B1"), b"B1");

    subscriber.set_unsubscribe(b"A").expect("unsubscribe");
    assert_eq!(publisher.recv_bytes(0).expect("the unsubscribe"), b"\x00A");
    publisher.send("A2", 0).expect("publish");
    publisher.send("B2", 0).expect("publish");
    assert_eq!(subscriber.recv_bytes(0).expect("B2"), b"B2");
}
