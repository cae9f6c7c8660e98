//! The demos of chapter 3's CZMQ programs: the reactor's reader and timer
//! (`zloop`), and the key-value server with its two clients (`kv`).

use crate::demo::{Lesson, Stage};
use crate::scenarios::serve;
use crate::{Bins, Result, PATIENCE};

/// The demos of chapter 3's CZMQ programs.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        name: "zloop",
        about: "chapter 3: a reactor prints each pushed message and, once after half a second, how many came",
        programs: &["zloop-server", "zloop-client"],
        run: zloop,
    },
    Lesson {
        name: "kv",
        about: "chapter 3: a key-value server (HashMap), a client asking one key, a list client (VecDeque)",
        programs: &["kv-server", "kv-client", "kv-list-client"],
        run: kv,
    },
];

/// A zloop server whose timer ticks once, after 500 ms (the book's timer
/// runs once), and a client whose timer pushes a `hello` every 150 ms; the
/// server stops by itself after 8 messages.
pub fn zloop(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let (server, endpoint) = serve(bins, "zloop-server", &["--timer-ms", "500", "--count", "8"])?;
    stage.enter(server);
    stage.narrate("a client pushes `hello` every 150 ms; the server's timer ticks once, at 500 ms");
    stage.enter(bins.spawn(
        "zloop-client",
        &[
            "--connect",
            &endpoint,
            "--count",
            "8",
            "--interval-ms",
            "150",
        ],
    )?);
    stage.until_exit("zloop-server", PATIENCE)?;
    stage.finish("zloop-client", PATIENCE)
}

/// A key-value server with one extra entry; a client asks `user_email` three
/// times; the list client asks two keys, then three of its own choosing.
pub fn kv(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let (server, endpoint) = serve(bins, "kv-server", &["--entry", "user_name=Ann"])?;
    stage.enter(server);
    stage.narrate("kv-client asks user_email three times, 300 ms apart");
    stage.enter(bins.spawn(
        "kv-client",
        &[
            "--connect",
            &endpoint,
            "--count",
            "3",
            "--interval-ms",
            "300",
        ],
    )?);
    stage.until_exit("kv-client", PATIENCE)?;
    stage.narrate("kv-list-client asks user_email then user_id, prints the replies in that order");
    stage.enter(bins.spawn("kv-list-client", &["--connect", &endpoint])?);
    stage.until_exit("kv-list-client", PATIENCE)?;
    stage.narrate("again with --key user_name --key nobody --key user_id");
    let keys = ["--key", "user_name", "--key", "nobody", "--key", "user_id"];
    let mut args = vec!["--connect", endpoint.as_str()];
    args.extend(keys);
    let command = bins.command("kv-list-client", &args);
    stage.enter(crate::Running::spawn("kv-list-client-2", command)?);
    stage.until_exit("kv-list-client-2", PATIENCE)?;
    stage.narrate("Ctrl-C (SIGINT) to the server");
    stage.stop("kv-server", libc::SIGINT)
}
