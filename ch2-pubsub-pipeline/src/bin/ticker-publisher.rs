//! Stock ticker publisher: the PUB half of the book's publish-subscribe example
//! (chapter 2, "The publish-subscribe pattern" and "Filtering out messages").
//!
//! - PUB socket, binds `tcp://*:4040` (`--bind`, repeatable).
//! - Publishes `<company> <price>`, a random pick of `--companies` and a random
//!   price in 0..1000, for ever (`--count`), as fast as it can (`--rate`).
//!
//! A publisher does not know or care who listens: with no subscriber its
//! updates are simply dropped, and a subscriber that connects late misses what
//! was sent before.

use std::process::ExitCode;

use ch2_pubsub_pipeline::ticker::{random_price, update_text, Pace};
use clap::Parser;
use lab::discard_pending_if_interrupted;
use lab::Context;
use rand::seq::IndexedRandom;

fn main() -> ExitCode {
    let args = Args::parse();
    // Book errata (ch2-endless-loops): the listing loops for ever and dies on Ctrl-C; lab::run
    // stops it cleanly.
    lab::run(|| serve(&args))
}

fn serve(args: &Args) -> lab::Result<()> {
    // ANCHOR: socket
    let context = zmq::Context::new();
    // Socket to publish updates on, to every subscriber at once.
    let publisher = context.socket(zmq::PUB).context("cannot create socket")?;
    // Book errata (ch2-no-size-limit): no listing limits what it receives; subscriptions come in
    // here too.
    args.limit.apply(&publisher)?;
    for endpoint in &args.bind {
        // lab::bind = publisher.bind(endpoint), then print "bound <the endpoint the OS gave>".
        lab::bind(&publisher, endpoint)?;
    }
    // ANCHOR_END: socket
    println!("Starting server...");
    let outcome = publish(args, &publisher);
    discard_pending_if_interrupted(outcome, &[&publisher])
}

fn publish(args: &Args, publisher: &zmq::Socket) -> lab::Result<()> {
    // ANCHOR: loop
    let mut rng = rand::rng();
    let pace = Pace::new(args.rate);
    let mut sent = 0;
    while args.count == 0 || sent < args.count {
        let wait = pace.wait_before(sent);
        if !wait.is_zero() {
            lab::sleep(wait)?;
        }
        // Book errata (ch2-nothing-random, ch2-count-undeclared): the listings "randomise" with
        // `count % 2` and never declare `count`; these are random picks.
        let company = args.companies.choose(&mut rng).map_or("", String::as_str);
        let price = random_price(&mut rng);
        let number = args.numbered.then_some(sent);
        let update = update_text(company, &args.delimiter, price, number);
        lab::send(publisher, &update, 0)?;
        // Book errata (ch2-sample-outputs): the text shows "Sending... <update>" lines no listing
        // prints.
        if args.verbose {
            println!("Sending... {update}");
        }
        sent += 1;
    }
    // ANCHOR_END: loop
    Ok(())
}

/// Publishes random stock prices of random companies: the stock ticker server
/// of the book's chapter 2, "The publish-subscribe pattern".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Endpoint to bind the PUB socket to; repeat to bind several.
    #[arg(long, default_value = "tcp://*:4040")]
    bind: Vec<String>,
    /// The companies to pick from, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "Company1,Company2")]
    companies: Vec<String>,
    /// Put this right after the company name (`|` gives `Company1| 575`), so
    /// subscribers can filter on the whole name.
    #[arg(long, default_value = "")]
    delimiter: String,
    /// Updates to publish (0 = for ever, as the book does).
    #[arg(long, default_value_t = 0)]
    count: u64,
    /// Updates per second (0 = as fast as possible, as the book does).
    #[arg(long, default_value_t = 0)]
    rate: u32,
    /// Append ` #<n>` to each update, counting from 0, to see which ones a
    /// subscriber missed.
    #[arg(long)]
    numbered: bool,
    /// Print `Sending... <update>` for every update.
    #[arg(long)]
    verbose: bool,
    /// Subscriptions come in over the PUB socket too: they are limited like any
    /// message a program receives.
    #[command(flatten)]
    limit: lab::MessageLimit,
}
