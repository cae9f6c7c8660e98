//! Lab starter `ticker-update-length` (`harness lab start ticker-update-length DIR`):
//! the book's stock ticker publisher (chapter 2, "The publish-subscribe
//! pattern"), ported as printed — it builds, binds and publishes, and
//! `harness lab check` shows what its subscribers get.
//!
//! - PUB socket, binds `tcp://*:4040` (`--bind`, repeatable).
//! - Publishes `<company> <price>`, a random pick of `--companies` and a random
//!   price in 0..1000, for ever (`--count`), as fast as it can (`--rate`).
//!
//! A publisher does not know or care who listens: with no subscriber its
//! updates are simply dropped, and a subscriber that connects late misses what
//! was sent before.

use std::process::ExitCode;

use ch2_pubsub_pipeline::ticker::{random_price, Pace};
use clap::Parser;
use lab::discard_pending_if_interrupted;
use lab::Context;
use rand::seq::IndexedRandom;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| serve(&args))
}

fn serve(args: &Args) -> lab::Result<()> {
    let context = zmq::Context::new();
    // Socket to publish updates on, to every subscriber at once.
    let publisher = context.socket(zmq::PUB).context("cannot create socket")?;
    args.limit.apply(&publisher)?;
    for endpoint in &args.bind {
        lab::bind(&publisher, endpoint)?;
    }
    println!("Starting server...");
    let outcome = publish(args, &publisher);
    discard_pending_if_interrupted(outcome, &[&publisher])
}

fn publish(args: &Args, publisher: &zmq::Socket) -> lab::Result<()> {
    let mut rng = rand::rng();
    let pace = Pace::new(args.rate);
    // The size of a message: the listing's `strlen(companies[0])`.
    let size = args.companies.first().map_or(0, String::len);
    let mut sent = 0;
    while args.count == 0 || sent < args.count {
        let wait = pace.wait_before(sent);
        if !wait.is_zero() {
            lab::sleep(wait)?;
        }
        let company = args.companies.choose(&mut rng).map_or("", String::as_str);
        let price = random_price(&mut rng);
        let mut update = format!("{company}{} {price}", args.delimiter);
        if args.numbered {
            update.push_str(&format!(" #{sent}"));
        }
        let bytes = &update.as_bytes()[..size.min(update.len())];
        lab::send(publisher, bytes, 0)?;
        if args.verbose {
            println!("Sending... {update}");
        }
        sent += 1;
    }
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
    #[command(flatten)]
    limit: lab::MessageLimit,
}
