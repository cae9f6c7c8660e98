//! Chapter 3: socket topology, polling, multipart messages, interrupts, and
//! CZMQ's helpers in Rust. Two tables: the core lessons and the CZMQ programs.

pub mod core;
pub mod czmq;

use std::time::Duration;

use crate::scenarios::serve;
use crate::{ensure, Bins, Result, Stream, PATIENCE};

/// `--interval-ms` spaces a client's messages: against its `server`, the
/// `client` sends three 150 ms apart, and the kernel's stamps of its three
/// `marker` lines span at least one interval (two in the program, less however
/// late the first came) and less than two of the program's `default`
/// interval. A client that ignored the option would pause its default
/// between messages: 0 ms spans far less than 150 ms, 1 s spans at least 2 s.
/// A loaded machine only makes spans longer, so the upper bound leaves it
/// more than a second and a half; no other run is compared, so the scenario
/// runs beside the others.
pub fn interval_spaces_lines(
    bins: &Bins,
    (server, client): (&str, &str),
    marker: &str,
    default: Duration,
) -> Result<()> {
    const INTERVAL: Duration = Duration::from_millis(150);
    let (_server, endpoint) = serve(bins, server, &[])?;
    let interval = INTERVAL.as_millis().to_string();
    let args = [
        "--connect",
        &endpoint,
        "--count",
        "3",
        "--interval-ms",
        &interval,
    ];
    let mut running = bins.spawn(client, &args)?;
    for _ in 0..3 {
        running.wait_stdout(marker, PATIENCE)?;
    }
    let times = running.line_times(Stream::Stdout);
    let last = &times[times.len() - 3..];
    let span = last[2] - last[0];
    running.wait_exit(PATIENCE)?.expect_success()?;
    ensure(span >= INTERVAL, || {
        format!("{client}: {INTERVAL:?} apart, three messages spanned {span:?}")
    })?;
    ensure(default <= INTERVAL || span < default * 2, || {
        format!("{client}: {INTERVAL:?} apart, three spanned {span:?}, as if {default:?} apart")
    })
}
