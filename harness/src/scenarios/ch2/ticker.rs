//! Chapter 2, the stock ticker: publish-subscribe, filtering by prefix, the
//! prefix problem and the delimiter fix, late joiners, two binds.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::scenarios::book_ports::BookPorts;
use crate::scenarios::ch1::expect_interrupted;
use crate::scenarios::monitor::Monitor;
use crate::scenarios::peer::{bound_socket, peer_socket, retrying, zmq_failure};
use crate::scenarios::{serve, unique_ipc_endpoint, STOP_WITHIN};
use crate::{ensure, Bins, Failure, Finished, Result, Running, Stream, PATIENCE};

/// The subscriber's first line (the book's).
pub(super) const COLLECTING: &str = "Collecting stock information from the server.";

/// How fast the publisher publishes in these checks: fast enough that a
/// subscriber's 100 updates take a fraction of a second, slow enough not to
/// spin a core.
const TEST_RATE: &str = "10000";

/// Starts a publisher on a free port, publishing for ever at [`TEST_RATE`]
/// with `args`, and returns it with its endpoint.
pub(super) fn start_publisher(bins: &Bins, args: &[&str]) -> Result<(Running, String)> {
    let mut all = vec!["--rate", TEST_RATE];
    all.extend_from_slice(args);
    serve(bins, "ticker-publisher", &all)
}

/// Runs a subscriber on `endpoint` for `count` updates with `args` (filters,
/// options) and returns how it ended.
fn run_subscriber(bins: &Bins, endpoint: &str, count: u64, args: &[&str]) -> Result<Finished> {
    let count = count.to_string();
    let mut all = vec!["--connect", endpoint, "--count", &count];
    all.extend_from_slice(args);
    bins.run("ticker-subscriber", &all, PATIENCE)?
        .expect_success()
}

/// The updates a subscriber printed: its stdout without its header and its
/// closing count.
fn updates(subscriber: &Finished) -> Vec<&str> {
    subscriber
        .stdout
        .iter()
        .map(String::as_str)
        .filter(|line| {
            *line != COLLECTING
                && !line.starts_with("received ")
                && !line.starts_with("no update within")
        })
        .collect()
}

/// The first word of each update (`Company1` of `Company1 575`, `Company1|`
/// of `Company1| 575`), as a set.
fn first_words(subscriber: &Finished) -> BTreeSet<&str> {
    updates(subscriber)
        .iter()
        .map(|update| update.split(' ').next().unwrap_or_default())
        .collect()
}

/// Fails unless the subscriber printed exactly `count` updates and then
/// `received <count> updates`.
fn expect_updates(subscriber: &Finished, count: usize) -> Result<()> {
    let got = updates(subscriber).len();
    let summary = format!("received {count} updates");
    ensure(
        got == count && subscriber.stdout.last() == Some(&summary),
        || {
            format!(
                "expected {count} updates and {summary:?}, got {got}: {:?}",
                subscriber.stdout
            )
        },
    )
}

/// Fails unless the first words of the subscriber's updates are `expected`.
fn expect_first_words(subscriber: &Finished, expected: &[&str]) -> Result<()> {
    let got = first_words(subscriber);
    let expected: BTreeSet<&str> = expected.iter().copied().collect();
    ensure(got == expected, || {
        format!(
            "expected updates from {expected:?}, got from {got:?}: {:?}",
            subscriber.stdout
        )
    })
}

/// The book's first pair: no filter means the empty prefix, which matches
/// everything. Each update carries a whole company name and a random price
/// below 1000 (the printed publisher sent neither: it cut every update to the
/// first name's length and priced with `count % 2`).
pub fn subscriber_without_filter_receives_every_company(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = start_publisher(bins, &[])?;
    let subscriber = run_subscriber(bins, &endpoint, 100, &[])?;
    expect_updates(&subscriber, 100)?;
    expect_first_words(&subscriber, &["Company1", "Company2"])?;
    let prices: Vec<u32> = updates(&subscriber)
        .iter()
        .map(|update| {
            let price = update.split(' ').nth(1).and_then(|p| p.parse().ok());
            price.ok_or_else(|| Failure::new(format!("no price in {update:?}")))
        })
        .collect::<Result<_>>()?;
    let distinct: BTreeSet<u32> = prices.iter().copied().collect();
    ensure(prices.iter().all(|price| *price < 1000), || {
        format!("a price outside 0..1000: {prices:?}")
    })?;
    ensure(distinct.len() >= 10, || {
        format!("prices are not random: {prices:?}")
    })
}

/// The book's second subscriber: the filter `Company1` (as argument) and two
/// companies whose names are not prefixes of each other: only `Company1`.
pub fn filter_company1_receives_only_company1(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = start_publisher(bins, &[])?;
    let subscriber = run_subscriber(bins, &endpoint, 50, &["Company1"])?;
    expect_updates(&subscriber, 50)?;
    expect_first_words(&subscriber, &["Company1"])
}

/// The prefix problem: subscriptions match by prefix, so `Company1` also
/// receives `Company10` and `Company101`.
pub fn prefix_filter_also_matches_company10(bins: &Bins) -> Result<()> {
    let companies = "Company1,Company10,Company101";
    let (_publisher, endpoint) = start_publisher(bins, &["--companies", companies])?;
    let subscriber = run_subscriber(bins, &endpoint, 100, &["Company1"])?;
    expect_updates(&subscriber, 100)?;
    expect_first_words(&subscriber, &["Company1", "Company10", "Company101"])
}

/// The book's fix: the publisher puts `|` after the name, the subscriber
/// subscribes to `Company1|`, and only `Company1` matches. (The printed
/// publisher cut the delimiter off, so its fix could not work.)
pub fn delimiter_filter_matches_company1_only(bins: &Bins) -> Result<()> {
    let companies = "Company1,Company10,Company101";
    let (_publisher, endpoint) =
        start_publisher(bins, &["--companies", companies, "--delimiter", "|"])?;
    let subscriber = run_subscriber(bins, &endpoint, 100, &["--delimiter", "|", "Company1"])?;
    expect_updates(&subscriber, 100)?;
    expect_first_words(&subscriber, &["Company1|"])?;
    // The same filter written out by hand works the same.
    let by_hand = run_subscriber(bins, &endpoint, 20, &["Company1|"])?;
    expect_first_words(&by_hand, &["Company1|"])
}

/// The "very common error": a SUB socket that never subscribes receives
/// nothing, while a subscribed one on the same publisher receives plenty. The
/// unsubscribed one runs from before the subscribed one starts until after it
/// is done, then is stopped with Ctrl-C — no timing involved.
pub fn subscriber_without_subscription_receives_nothing(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = start_publisher(bins, &[])?;
    let mut deaf = bins.spawn(
        "ticker-subscriber",
        &["--connect", &endpoint, "--no-subscribe", "--count", "1"],
    )?;
    deaf.wait_stdout(COLLECTING, PATIENCE)?;
    let listening = run_subscriber(bins, &endpoint, 50, &[])?;
    expect_updates(&listening, 50)?;
    let deaf = deaf
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_updates(&deaf, 0)
}

/// A publisher keeps nothing for subscribers that are not there: one that
/// connects after the publisher has sent updates #0..#20 never sees them.
pub fn late_joiner_misses_first_messages(bins: &Bins) -> Result<()> {
    let (mut publisher, endpoint) = serve(
        bins,
        "ticker-publisher",
        &["--rate", "2000", "--numbered", "--verbose"],
    )?;
    publisher.wait_line_where(Stream::Stdout, PATIENCE, |line| {
        line.starts_with("Sending... ") && line.ends_with(" #20")
    })?;
    let late = run_subscriber(bins, &endpoint, 5, &[])?;
    let numbers = update_numbers(&updates(&late))?;
    ensure(
        numbers.len() == 5 && numbers.iter().all(|n| *n > 20),
        || format!("the late subscriber got updates sent before it existed: {numbers:?}"),
    )?;
    ensure(numbers.windows(2).all(|pair| pair[0] < pair[1]), || {
        format!("update numbers do not increase: {numbers:?}")
    })
}

/// The ` #<n>` of each update (`--numbered`).
fn update_numbers(updates: &[&str]) -> Result<Vec<u64>> {
    updates
        .iter()
        .map(|update| {
            let number = update.rsplit_once(" #").and_then(|(_, n)| n.parse().ok());
            number.ok_or_else(|| Failure::new(format!("no number in {update:?}")))
        })
        .collect()
}

/// `--rate` paces the updates: 11 updates at 20 a second span at least half
/// of their 500 ms, and at least twice as long as at 1000 a second (10 ms:
/// the ideal ratio is 50), between the kernel's stamps of the first and last
/// `Sending...` lines. Both bounds hold on a loaded machine — a sleep is never
/// shorter, and the fast run has a quarter of a second to spare — so the
/// scenario runs beside the others. `--numbered` numbers the updates 0, 1, 2,
/// … in order, and `--count` ends the run after exactly that many.
pub fn rate_paces_the_updates_and_numbered_counts_them(bins: &Bins) -> Result<()> {
    let slow = paced_span(bins, 20)?;
    let fast = paced_span(bins, 1000)?;
    ensure(
        slow >= Duration::from_millis(250) && slow >= 2 * fast,
        || format!("11 updates took {slow:?} at --rate 20 and {fast:?} at --rate 1000"),
    )
}

/// How long a publisher at `rate` took from its first to its 31st update.
fn paced_span(bins: &Bins, rate: u32) -> Result<Duration> {
    const UPDATES: u64 = 11;
    let (mut publisher, _) = serve(
        bins,
        "ticker-publisher",
        &[
            "--rate",
            &rate.to_string(),
            "--count",
            &UPDATES.to_string(),
            "--numbered",
            "--verbose",
        ],
    )?;
    let last = format!(" #{}", UPDATES - 1);
    publisher.wait_line_where(Stream::Stdout, PATIENCE, |line| {
        line.starts_with("Sending... ") && line.ends_with(&last)
    })?;
    let sent: Vec<(usize, &str)> = publisher
        .lines(Stream::Stdout)
        .iter()
        .enumerate()
        .filter_map(|(index, line)| Some((index, line.strip_prefix("Sending... ")?)))
        .collect();
    let texts: Vec<&str> = sent.iter().map(|(_, text)| *text).collect();
    let numbers = update_numbers(&texts)?;
    ensure(numbers == (0..UPDATES).collect::<Vec<_>>(), || {
        format!("expected updates #0..#{}: {numbers:?}", UPDATES - 1)
    })?;
    let times = publisher.line_times(Stream::Stdout);
    let span = times[sent[sent.len() - 1].0] - times[sent[0].0];
    // --count: exactly that many, then the publisher exits.
    let publisher = publisher.wait_exit(PATIENCE)?.expect_success()?;
    let all = publisher.lines_after(Stream::Stdout, "Sending... ");
    ensure(all.len() as u64 == UPDATES, || {
        format!("--count {UPDATES}, but {} updates were sent", all.len())
    })?;
    Ok(span)
}

/// `--timeout-ms`: a subscriber with no publisher gives up after that long,
/// says so and exits 0 having received nothing.
pub fn subscriber_gives_up_after_timeout_ms(bins: &Bins) -> Result<()> {
    let nobody = unique_ipc_endpoint("no-publisher");
    let subscriber = bins.run(
        "ticker-subscriber",
        &["--connect", &nobody, "--timeout-ms", "200"],
        PATIENCE,
    )?;
    let subscriber = subscriber.expect_success()?;
    expect_updates(&subscriber, 0)?;
    ensure(
        subscriber
            .stdout
            .iter()
            .any(|line| line == "no update within 200 ms")
            && subscriber.elapsed >= Duration::from_millis(200),
        || {
            format!(
                "expected `no update within 200 ms` after 200 ms, got {:?} after {:?}",
                subscriber.stdout, subscriber.elapsed
            )
        },
    )
}

/// `--connect` repeated: one subscriber hears two publishers at once.
pub fn subscriber_hears_every_connect_endpoint(bins: &Bins) -> Result<()> {
    // The publishers are the harness's own XPUB sockets: each sees the
    // subscription arrive, so each update is sent once the subscriber is
    // connected to it (two running publishers raced: one could fill the
    // count before the other's connection was up).
    let context = zmq::Context::new();
    let (alpha, first) = bound_socket(&context, zmq::XPUB)?;
    let (beta, second) = bound_socket(&context, zmq::XPUB)?;
    let subscriber = bins.spawn(
        "ticker-subscriber",
        &["--connect", &first, "--connect", &second, "--count", "2"],
    )?;
    for publisher in [&alpha, &beta] {
        retrying(|| publisher.recv_bytes(0))?;
    }
    retrying(|| alpha.send("Alpha 1", 0))?;
    retrying(|| beta.send("Beta 2", 0))?;
    let subscriber = subscriber.wait_exit(PATIENCE)?.expect_success()?;
    expect_updates(&subscriber, 2)?;
    expect_first_words(&subscriber, &["Alpha", "Beta"])
}

/// Prices are random in 0..1000: 20000 updates at full speed (the book's
/// default rate), read by the harness's own subscriber, all parse below
/// 1000 — a publisher that could draw 1000 would show it with a
/// probability of 1 - e^-20 — and spread over most of the range.
pub fn prices_stay_below_1000_at_full_speed(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = serve(bins, "ticker-publisher", &[])?;
    let context = zmq::Context::new();
    let subscriber = peer_socket(&context, zmq::SUB)?;
    subscriber.set_subscribe(b"").map_err(zmq_failure)?;
    subscriber.connect(&endpoint).map_err(zmq_failure)?;
    let mut prices = BTreeSet::new();
    for _ in 0..20_000 {
        let update = retrying(|| subscriber.recv_bytes(0))?;
        let update = String::from_utf8_lossy(&update);
        let price = update.split(' ').nth(1).and_then(|p| p.parse::<u32>().ok());
        match price {
            Some(price) if price < 1000 => prices.insert(price),
            _ => return Err(Failure::new(format!("bad price in {update:?}"))),
        };
    }
    ensure(prices.len() > 900, || {
        format!("only {} distinct prices in 20000 updates", prices.len())
    })
}

/// `--max-msg-size` limits what a publisher receives — its subscriptions: a
/// subscription longer than the limit gets the subscriber's connection
/// dropped.
pub fn publisher_refuses_a_subscription_over_its_max_msg_size(bins: &Bins) -> Result<()> {
    let (_publisher, endpoint) = start_publisher(bins, &["--max-msg-size", "1000"])?;
    let context = zmq::Context::new();
    let subscriber = peer_socket(&context, zmq::SUB)?;
    let connection = Monitor::start(&context, &subscriber)?;
    subscriber
        .set_subscribe(&[b'C'; 2000])
        .map_err(zmq_failure)?;
    subscriber.connect(&endpoint).map_err(zmq_failure)?;
    connection.wait_dropped()
}

/// A subscriber's `--max-msg-size` limits the updates: one over it gets the
/// connection dropped (the harness's publisher sees it go) and is never
/// printed. (libzmq 4.3.4 takes a message over the limit for a protocol
/// error and does not reconnect: the subscriber waits on, and stops on
/// Ctrl-C.)
pub fn subscriber_refuses_an_update_over_its_max_msg_size(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (publisher, endpoint) = bound_socket(&context, zmq::XPUB)?;
    let connection = Monitor::start(&context, &publisher)?;
    let subscriber = bins.spawn(
        "ticker-subscriber",
        &[
            "--connect",
            &endpoint,
            "--count",
            "1",
            "--max-msg-size",
            "1000",
        ],
    )?;
    // A subscription arrives as 0x01 and the prefix (here empty).
    let subscription = retrying(|| publisher.recv_bytes(0))?;
    ensure(subscription == [1], || {
        format!("expected the empty subscription, got {subscription:?}")
    })?;
    let mut huge = b"Company1 ".to_vec();
    huge.resize(2000, b'9');
    retrying(|| publisher.send(&huge, 0))?;
    connection.wait_dropped()?;
    let subscriber = subscriber
        .stop_with(libc::SIGINT, STOP_WITHIN)?
        .expect_success()?;
    expect_interrupted(&subscriber)?;
    expect_updates(&subscriber, 0)
}

/// `--bind` twice, as the book's last publisher binds TCP and IPC: one
/// publisher, a subscriber on each endpoint, both served.
pub fn publisher_binds_tcp_and_ipc_at_once(bins: &Bins) -> Result<()> {
    let ipc = unique_ipc_endpoint("stock");
    let (mut publisher, tcp) = start_publisher(bins, &["--bind", &ipc])?;
    let second = publisher.bound_endpoint(PATIENCE)?;
    ensure(second == ipc, || {
        format!("second bind was {second}, not {ipc}")
    })?;
    for endpoint in [&tcp, &ipc] {
        expect_updates(&run_subscriber(bins, endpoint, 5, &[])?, 5)?;
    }
    Ok(())
}

/// An update that is not UTF-8 is printed with replacement characters, exactly
/// its own bytes (the printed subscriber read past the end of the buffer). The
/// publisher here is the harness's own XPUB socket, which receives each
/// subscription: once it has the subscriber's, what it sends is delivered.
pub fn non_utf8_update_is_printed_lossily(bins: &Bins) -> Result<()> {
    let context = zmq::Context::new();
    let (publisher, endpoint) = bound_socket(&context, zmq::XPUB)?;
    let subscriber = bins.spawn(
        "ticker-subscriber",
        &["--connect", &endpoint, "--count", "2"],
    )?;
    // A subscription arrives as 0x01 followed by the prefix (here empty).
    let subscription = retrying(|| publisher.recv_bytes(0))?;
    ensure(subscription == [1], || {
        format!("expected the empty subscription, got {subscription:?}")
    })?;
    for _ in 0..2 {
        publisher
            .send(&b"\xffCompany1 5\xfe"[..], 0)
            .map_err(zmq_failure)?;
    }
    let subscriber = subscriber.wait_exit(PATIENCE)?.expect_success()?;
    let expected = "\u{fffd}Company1 5\u{fffd}";
    ensure(updates(&subscriber) == [expected, expected], || {
        format!("expected {expected:?} twice: {:?}", subscriber.stdout)
    })
}

/// With no endpoint options the ticker talks on the book's port 4040 (holding
/// the [`BookPorts`] lock: the port is fixed).
pub fn ticker_defaults_talk_on_port_4040(bins: &Bins) -> Result<()> {
    let _ports = BookPorts::lock()?;
    let mut publisher = bins.spawn("ticker-publisher", &["--rate", TEST_RATE])?;
    let endpoint = publisher.bound_endpoint(PATIENCE)?;
    ensure(endpoint == "tcp://0.0.0.0:4040", || {
        format!("the publisher bound {endpoint}, not the book's tcp://*:4040")
    })?;
    let subscriber = bins.run("ticker-subscriber", &[] as &[&str], PATIENCE)?;
    expect_updates(&subscriber.expect_success()?, 10)
}
