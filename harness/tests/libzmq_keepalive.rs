//! Our libzmq passes `ZMQ_TCP_KEEPALIVE*` on to the kernel.
//!
//! libzmq applies these options only where its build defines
//! `ZMQ_HAVE_SO_KEEPALIVE`, `ZMQ_HAVE_TCP_KEEPIDLE`, `ZMQ_HAVE_TCP_KEEPINTVL`
//! and `ZMQ_HAVE_TCP_KEEPCNT`; elsewhere `zmq_setsockopt` accepts them and
//! nothing happens. The vendored build (the zeromq-src crate) defines none
//! of them, so the workspace's `.cargo/config.toml` adds them to `CXXFLAGS`.
//! These tests read the options back from the connection's own file
//! descriptor with `getsockopt`, so they fail whenever that stops being true
//! (a `CXXFLAGS` of your own in the environment replaces the workspace's).

/// A DEALER asked for keepalive probes after 7 s idle, every 3 s, 2 of them,
/// has a TCP connection with exactly those settings.
#[test]
fn tcp_keepalive_options_reach_the_connection() {
    let settings = connection_keepalive(|dealer| {
        dealer.set_tcp_keepalive(1)?;
        dealer.set_tcp_keepalive_idle(7)?;
        dealer.set_tcp_keepalive_intvl(3)?;
        dealer.set_tcp_keepalive_cnt(2)
    });
    assert_eq!(
        settings,
        Keepalive {
            on: 1,
            idle: 7,
            interval: 3,
            count: 2
        },
        "libzmq ignored ZMQ_TCP_KEEPALIVE*: was it built without the \
         ZMQ_HAVE_SO_KEEPALIVE/TCP_KEEP* defines of .cargo/config.toml? \
         (a CXXFLAGS of your own replaces them)"
    );
}

/// Without the options the connection has no keepalive: the kernel's
/// default, which the test above is measured against.
#[test]
fn without_the_options_the_connection_has_no_keepalive() {
    let settings = connection_keepalive(|_| Ok(()));
    assert_eq!(settings.on, 0, "keepalive was on: {settings:?}");
}

/// The keepalive settings of a DEALER's connection to a ROUTER over
/// loopback, after `configure` set the DEALER's options. (A test's helper:
/// a failed `expect` is the test failing.)
#[allow(clippy::expect_used)]
fn connection_keepalive(configure: impl Fn(&zmq::Socket) -> zmq::Result<()>) -> Keepalive {
    let context = zmq::Context::new();
    let router = context.socket(zmq::ROUTER).expect("router");
    router.bind("tcp://127.0.0.1:*").expect("bind");
    let endpoint = router
        .get_last_endpoint()
        .expect("endpoint")
        .expect("utf-8");
    let port: u16 = endpoint
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    let dealer = context.socket(zmq::DEALER).expect("dealer");
    configure(&dealer).expect("set the options");
    dealer.connect(&endpoint).expect("connect");
    // One message through: the connection exists, options applied.
    dealer.send("ping", 0).expect("send");
    router.set_rcvtimeo(20_000).expect("rcvtimeo");
    router.recv_multipart(0).expect("the DEALER's message");
    let fd = connected_to(port).expect("no socket of this process is connected to the ROUTER");
    Keepalive {
        on: option(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE),
        idle: option(fd, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE),
        interval: option(fd, libc::IPPROTO_TCP, libc::TCP_KEEPINTVL),
        count: option(fd, libc::IPPROTO_TCP, libc::TCP_KEEPCNT),
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Keepalive {
    on: i32,
    idle: i32,
    interval: i32,
    count: i32,
}

/// The file descriptor of this process's TCP socket whose peer is port
/// `port` on loopback: the DEALER's end of the connection.
fn connected_to(port: u16) -> Option<i32> {
    let entries = std::fs::read_dir("/proc/self/fd").ok()?;
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .find(|&fd| peer_port(fd) == Some(port))
}

/// The peer's port of `fd`, if it is a connected IPv4 socket.
fn peer_port(fd: i32) -> Option<u16> {
    // SAFETY: getpeername writes at most `length` bytes into `address`, a
    // sockaddr_in on this stack; a descriptor that is not a socket (or is
    // closed meanwhile) only makes it fail.
    #[allow(unsafe_code)]
    unsafe {
        let mut address: libc::sockaddr_in = std::mem::zeroed();
        let mut length = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        let answer = libc::getpeername(
            fd,
            std::ptr::addr_of_mut!(address).cast::<libc::sockaddr>(),
            &mut length,
        );
        let ipv4 = address.sin_family == libc::AF_INET as libc::sa_family_t;
        (answer == 0 && ipv4).then(|| u16::from_be(address.sin_port))
    }
}

/// An integer socket option of `fd` (-1 if it cannot be read).
fn option(fd: i32, level: i32, name: i32) -> i32 {
    let mut value: libc::c_int = -1;
    let mut length = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `length` bytes into `value`, an int
    // on this stack.
    #[allow(unsafe_code)]
    let answer = unsafe {
        libc::getsockopt(
            fd,
            level,
            name,
            std::ptr::addr_of_mut!(value).cast::<libc::c_void>(),
            &mut length,
        )
    };
    if answer == 0 {
        value
    } else {
        -1
    }
}
