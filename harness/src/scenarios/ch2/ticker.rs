//! Chapter 2, the stock ticker: publish-subscribe, filtering by prefix, the
//! prefix problem and the delimiter fix, late joiners, two binds.

use std::collections::BTreeSet;

use crate::scenarios::book_ports::BookPorts;
use crate::scenarios::peer::{bound_socket, retrying, zmq_failure};
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
    let numbers: Vec<u64> = updates(&late)
        .iter()
        .map(|update| {
            let number = update.rsplit_once(" #").and_then(|(_, n)| n.parse().ok());
            number.ok_or_else(|| Failure::new(format!("no number in {update:?}")))
        })
        .collect::<Result<_>>()?;
    ensure(
        numbers.len() == 5 && numbers.iter().all(|n| *n > 20),
        || format!("the late subscriber got updates sent before it existed: {numbers:?}"),
    )
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
