//! Chapter 1's demo.

use crate::demo::{Lesson, Stage};
use crate::scenarios::{serve, ANY_PORT};
use crate::{Bins, Result, PATIENCE};

/// Chapter 1's demos.
pub const LESSONS: &[Lesson] = &[Lesson {
    name: "hello",
    about: "chapter 1: a REP server answers three requests from a REQ client",
    programs: &["hello-server", "hello-client"],
    run: hello,
}];

/// The environment variable that sets the hello server's work per request in
/// the demo, in milliseconds: the book's 1000 when unset.
pub const DELAY_ENV: &str = "HARNESS_DELAY_MS";

/// Chapter 1: `hello-server` (with the book's one-second work, or
/// [`DELAY_ENV`]) and a `hello-client` that sends three requests; then Ctrl-C
/// for the server.
pub fn hello(bins: &Bins) -> Result<()> {
    let mut stage = Stage::default();
    let delay = delay_ms()?;
    let (server, endpoint) = serve(bins, "hello-server", &["--delay-ms", &delay])?;
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

/// The server's work per request from [`DELAY_ENV`]: 0 to 10000 ms, 1000 when
/// unset.
fn delay_ms() -> Result<String> {
    match std::env::var(DELAY_ENV) {
        Err(_) => Ok("1000".to_string()),
        Ok(text) => match text.parse::<u32>() {
            Ok(ms) if ms <= 10_000 => Ok(ms.to_string()),
            _ => Err(crate::Failure::new(format!(
                "{DELAY_ENV}={text:?}: expected milliseconds, 0 to 10000"
            ))),
        },
    }
}
