//! Chapter 3: socket topology, polling, multipart messages, interrupts, and
//! CZMQ's helpers in Rust. Two tables: the core lessons and the CZMQ programs.

pub mod core;
pub mod czmq;

use std::time::Duration;

use crate::scenarios::{schedule, serve};
use crate::{ensure, Bins, Result, Stream, PATIENCE};

/// `--interval-ms` spaces a client's messages: against its `server`, the
/// `client` runs three times with no pause and three times 150 ms apart, and
/// the kernel's stamps of its three `marker` lines span at least one interval
/// (two in the program, less however late the first came) and more than
/// twice the unpaced span. It compares two timings, so it runs alone.
pub fn interval_spaces_lines(
    bins: &Bins,
    (server, client): (&str, &str),
    marker: &str,
) -> Result<()> {
    let _alone = schedule::alone();
    let (_server, endpoint) = serve(bins, server, &[])?;
    let mut spans = Vec::new();
    for interval in ["0", "150"] {
        let args = [
            "--connect",
            &endpoint,
            "--count",
            "3",
            "--interval-ms",
            interval,
        ];
        let mut running = bins.spawn(client, &args)?;
        for _ in 0..3 {
            running.wait_stdout(marker, PATIENCE)?;
        }
        let times = running.line_times(Stream::Stdout);
        let last = &times[times.len() - 3..];
        spans.push(last[2] - last[0]);
        running.wait_exit(PATIENCE)?.expect_success()?;
    }
    let (quick, paced) = (spans[0], spans[1]);
    ensure(paced >= Duration::from_millis(150), || {
        format!("{client}: 150 ms apart, three messages spanned {paced:?}")
    })?;
    ensure(quick * 2 < paced, || {
        format!("{client}: with no pause three spanned {quick:?}, paced {paced:?}")
    })
}
