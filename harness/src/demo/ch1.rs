//! Chapter 1's demo.

use crate::demo::{Lesson, Stage};
use crate::scenarios::{serve, ANY_PORT};
use crate::{Bins, Result, PATIENCE};

/// Chapter 1's demos.
pub const LESSONS: &[Lesson] = &[(
    "hello",
    "chapter 1: a REP server answers three requests from a REQ client",
    hello,
)];

/// Chapter 1: `hello-server` (with the book's one-second work) and a
/// `hello-client` that sends three requests; then Ctrl-C for the server.
pub fn hello(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let (server, endpoint) = serve(bins, "hello-server", &[])?;
    stage.enter(server);
    stage.narrate(&format!(
        "hello-server bound {endpoint} (asked for {ANY_PORT})"
    ));
    let client = bins.spawn("hello-client", &["--connect", &endpoint, "--count", "3"])?;
    stage.enter(client);
    stage.until_exit("hello-client", PATIENCE)?;
    stage.narrate("the client is done; Ctrl-C (SIGINT) to the server");
    stage.stop("hello-server", libc::SIGINT)
}
