//! The demos of chapter 4's broker, threads and envelopes.

use crate::demo::{Lesson, Stage};
use crate::scenarios::{serve, ANY_PORT};
use crate::{Bins, Result, Running, PATIENCE};

/// The demos of chapter 4's broker, threads and envelopes.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        name: "broker",
        about: "chapter 4: a ROUTER/DEALER broker between 3 clients and 2 workers, every envelope shown",
        programs: &["rr-broker", "rr-worker", "rr-client"],
        run: broker,
    },
    Lesson {
        name: "mt-server",
        about: "chapter 4: a server with 5 worker threads on inproc serves 5 hello-clients at once",
        programs: &["mt-server", "hello-client"],
        run: mt_server,
    },
    Lesson {
        name: "envelopes",
        about: "chapter 4: [key, body] messages; the key Company10, then the prefix Company1",
        programs: &["envelope-publisher", "envelope-subscriber"],
        run: envelopes,
    },
];

/// A verbose broker, two workers and three clients of three requests: each
/// request and reply is shown with its envelope of identities.
pub fn broker(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let args = ["--frontend", ANY_PORT, "--backend", ANY_PORT, "--verbose"];
    let mut broker = bins.spawn("rr-broker", &args)?;
    let frontend = broker.bound_endpoint(PATIENCE)?;
    let backend = broker.bound_endpoint(PATIENCE)?;
    stage.enter(broker);
    for id in ["w1", "w2"] {
        let command = bins.command("rr-worker", &["--connect", &backend, "--id", id]);
        let mut worker = Running::spawn(&format!("rr-worker-{id}"), command)?;
        worker.wait_stdout("ready", PATIENCE)?;
        stage.enter(worker);
    }
    stage.narrate("three clients, three requests each; the broker shows every envelope");
    for id in ["c1", "c2", "c3"] {
        let args = ["--connect", &frontend, "--id", id, "--count", "3"];
        let command = bins.command("rr-client", &args);
        stage.enter(Running::spawn(&format!("rr-client-{id}"), command)?);
    }
    for id in ["c1", "c2", "c3"] {
        stage.until_exit(&format!("rr-client-{id}"), PATIENCE)?;
    }
    stage.narrate("done; Ctrl-C (SIGINT) to the workers and the broker");
    for name in ["rr-worker-w1", "rr-worker-w2", "rr-broker"] {
        stage.stop(name, libc::SIGINT)?;
    }
    Ok(())
}

/// The threaded server with its 5 worker threads (200 ms a request) and 5
/// hello-clients at once: they are all served in about 200 ms, not 1 s.
pub fn mt_server(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let (server, endpoint) = serve(bins, "mt-server", &["--delay-ms", "200"])?;
    stage.enter(server);
    stage.narrate("five hello-clients at once, one request each; 5 threads work 200 ms each");
    let started = std::time::Instant::now();
    for n in 1..=5 {
        let command = bins.command("hello-client", &["--connect", &endpoint, "--count", "1"]);
        stage.enter(Running::spawn(&format!("hello-client-{n}"), command)?);
    }
    for n in 1..=5 {
        stage.until_exit(&format!("hello-client-{n}"), PATIENCE)?;
    }
    stage.narrate(&format!(
        "all five served in {} ms; Ctrl-C stops the proxy and every thread",
        started.elapsed().as_millis()
    ));
    stage.stop("mt-server", libc::SIGINT)
}

/// The book's envelope publisher, a subscriber to `Company10`, then one to
/// the prefix `Company1`, which also gets `Company10`.
pub fn envelopes(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let (publisher, endpoint) = serve(bins, "envelope-publisher", &["--interval-ms", "100"])?;
    stage.enter(publisher);
    for (what, key) in [
        (
            "subscribe to the key Company10: only its bodies",
            "Company10",
        ),
        (
            "subscribe to Company1: a prefix of Company10 too, so both arrive",
            "Company1",
        ),
    ] {
        stage.narrate(what);
        let args = ["--connect", &endpoint, "--key", key, "--count", "4"];
        let name = format!("envelope-subscriber-{key}");
        let command = bins.command("envelope-subscriber", &args);
        stage.enter(Running::spawn(&name, command)?);
        stage.until_exit(&name, PATIENCE)?;
    }
    stage.stop("envelope-publisher", libc::SIGINT)
}
