//! The demos of chapter 3's core lessons: the context's limits, polling two
//! and three sockets, a multipart reply (and the text's broken one), and
//! stopping cleanly on a signal.

use crate::demo::{Lesson, Stage};
use crate::process::Running;
use crate::scenarios::serve;
use crate::{Bins, Result, PATIENCE};

/// The demos of chapter 3's core lessons.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        name: "context-limits",
        about: "chapter 3: 8 I/O threads and a limit of 512 sockets; the 513th is refused",
        programs: &["context-limits"],
        run: context_limits,
    },
    Lesson {
        name: "poller",
        about: "chapter 3: one poll over a PULL and a SUB socket; then the book's NUL subscription, which matches nothing",
        programs: &["ticker-publisher", "pusher", "poller"],
        run: poller,
    },
    Lesson {
        name: "multi-poller",
        about: "chapter 3: one poll over three PULL sockets, each fed by its own pusher",
        programs: &["pusher", "multi-poller"],
        run: multi_poller,
    },
    Lesson {
        name: "multipart",
        about: "chapter 3: `world` in five frames; then SNDMORE on the last frame, and the client gets nothing",
        programs: &["multipart-server", "multipart-client"],
        run: multipart,
    },
    Lesson {
        name: "interrupt",
        about: "chapter 3: a REQ/REP pair stopped cleanly, the client by Ctrl-C while it sleeps, the server by SIGTERM",
        programs: &["interrupt-server", "interrupt-client"],
        run: interrupt,
    },
];

/// The book's settings, and the refusal.
pub fn context_limits(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    stage.narrate(
        "a context with 8 I/O threads and ZMQ_MAX_SOCKETS 512, opening sockets until refused",
    );
    stage.enter(bins.spawn("context-limits", &[] as &[&str])?);
    stage.until_exit("context-limits", PATIENCE)
}

/// A publisher of two companies and a pusher of five tasks feed one poller;
/// then the same with the book's subscription (a NUL after `Company1`). Once
/// the pusher has sent its tasks and the poller has shown the last, Ctrl-C
/// stops the poller.
pub fn poller(bins: &Bins) -> Result<()> {
    for (what, extra) in [
        (
            "the poller receives tasks (PULL) and Company1 updates (SUB) in one loop",
            None,
        ),
        (
            "the book's subscription, `Company1` and its NUL: only the tasks arrive",
            Some("--book-nul"),
        ),
    ] {
        let mut stage = Stage::default();
        let (publisher, updates) = serve(
            bins,
            "ticker-publisher",
            &["--rate", "10", "--companies", "Company1,Company2"],
        )?;
        let (pusher, tasks) = serve(
            bins,
            "pusher",
            &["--label", "task", "--count", "5", "--interval-ms", "400"],
        )?;
        stage.enter(publisher);
        stage.enter(pusher);
        stage.narrate(what);
        let mut args = vec!["--ventilator", &tasks, "--publisher", &updates];
        args.extend(extra);
        stage.enter(bins.spawn("poller", &args)?);
        stage.until_exit("pusher", PATIENCE)?;
        // The last task may still be on its way: Ctrl-C once it is shown.
        stage.wait_stdout("poller", "task: task 4", PATIENCE)?;
        stage.narrate("the pusher is done; Ctrl-C (SIGINT) to the poller, blocked in its poll");
        stage.stop("poller", libc::SIGINT)?;
        stage.stop("ticker-publisher", libc::SIGINT)?;
    }
    Ok(())
}

/// Three pushers, each bound to its own port; the multi-poller connects a
/// PULL socket to each and names the socket every message came from.
pub fn multi_poller(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let mut endpoints = Vec::new();
    for (label, interval) in [("a", "300"), ("b", "500"), ("c", "700")] {
        let command = bins.command(
            "pusher",
            &[
                "--bind",
                crate::scenarios::ANY_PORT,
                "--label",
                label,
                "--count",
                "3",
                "--interval-ms",
                interval,
            ],
        );
        let mut pusher = Running::spawn(&format!("pusher-{label}"), command)?;
        endpoints.push(pusher.bound_endpoint(PATIENCE)?);
        stage.enter(pusher);
    }
    stage.narrate("the multi-poller: pull1 to pusher-a, pull2 to pusher-b, pull3 to pusher-c");
    let mut args = vec!["--count", "9"];
    for endpoint in &endpoints {
        args.extend(["--connect", endpoint.as_str()]);
    }
    stage.enter(bins.spawn("multi-poller", &args)?);
    stage.until_exit("multi-poller", PATIENCE)?;
    for label in ["a", "b", "c"] {
        stage.finish(&format!("pusher-{label}"), PATIENCE)?;
    }
    Ok(())
}

/// The five-frame reply, then the text's mistake: the last frame with
/// SNDMORE, so the reply never ends and the client times out.
pub fn multipart(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let (server, endpoint) = serve(
        bins,
        "multipart-server",
        &["--count", "1", "--delay-ms", "200"],
    )?;
    stage.enter(server);
    stage.narrate("the client sends hello; the reply is five frames, w o r l d");
    stage.enter(bins.spawn("multipart-client", &["--connect", &endpoint])?);
    stage.until_exit("multipart-client", PATIENCE)?;
    stage.finish("multipart-server", PATIENCE)?;

    let mut stage = Stage::default();
    let (server, endpoint) = serve(
        bins,
        "multipart-server",
        &["--delay-ms", "200", "--broken-last-frame"],
    )?;
    stage.enter(server);
    stage.narrate("--broken-last-frame: SNDMORE on the last frame too; the reply never ends");
    stage.enter(bins.spawn(
        "multipart-client",
        &["--connect", &endpoint, "--timeout-ms", "2000"],
    )?);
    stage.until_exit("multipart-client", PATIENCE)?;
    stage.narrate("the server's REP socket is stuck mid-reply; Ctrl-C (SIGINT) stops it");
    stage.stop("multipart-server", libc::SIGINT)
}

/// The interrupt pair: three rounds, then Ctrl-C to the client while it
/// sleeps between requests, and SIGTERM to the server while it waits.
pub fn interrupt(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let (server, endpoint) = serve(bins, "interrupt-server", &[])?;
    stage.enter(server);
    stage.narrate("the client sends hello every 500 ms");
    let mut client = bins.spawn(
        "interrupt-client",
        &["--connect", &endpoint, "--interval-ms", "500"],
    )?;
    for _ in 0..3 {
        client.wait_stdout("Received: world", PATIENCE)?;
    }
    stage.enter(client);
    stage.narrate("Ctrl-C (SIGINT) to the client, asleep between two requests: it stops at once");
    stage.stop("interrupt-client", libc::SIGINT)?;
    stage.narrate("SIGTERM (kill) to the server, blocked waiting for a request: it stops too");
    stage.stop("interrupt-server", libc::SIGTERM)
}
