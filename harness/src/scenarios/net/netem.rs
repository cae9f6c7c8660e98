//! A slow link, with netem: where the kernel has it (this repository's CI
//! machine has not; the scenario is then skipped, saying so).

use std::time::Duration;

use crate::net::Network;
use crate::{ensure, Bins, Result, Stream, PATIENCE};

/// The lazy pirate's timeout is its guess at "dead": a link that delays
/// every packet of the server's host by 200 ms makes a server that answers
/// at once look dead to a client waiting 100 ms — it gives up after its
/// retries (exit 1) — and once the delay is gone the same client, run
/// again, gets its reply.
pub fn pirate_gives_up_on_a_link_slower_than_its_timeout(bins: &Bins) -> Result<()> {
    let network = Network::new(2)?;
    let (server_host, client_host) = (network.host(1), network.host(2));
    let (_server, endpoint) = network.serve(bins, server_host, "lazy-pirate-server", &[])?;
    let client = || {
        let args = [
            "--connect",
            &endpoint,
            "--count",
            "1",
            "--timeout-ms",
            "100",
            "--retries",
            "1",
        ];
        network.spawn(bins, client_host, "lazy-pirate-client", &args)
    };
    network.delay(server_host, Duration::from_millis(200))?;
    let slow = client()?.wait_exit(PATIENCE)?.expect_code(1)?;
    ensure(
        slow.lines_after(Stream::Stdout, "Received: ").is_empty(),
        || format!("a reply came through the slow link: {:?}", slow.stdout),
    )?;
    network.clear_netem(server_host)?;
    let fast = client()?.wait_exit(PATIENCE)?.expect_success()?;
    ensure(
        fast.lines_after(Stream::Stdout, "Received: ") == ["1"],
        || format!("no reply on the plain link: {:?}", fast.stdout),
    )
}
