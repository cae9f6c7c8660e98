//! Chapter 2, the heap: the book's Valgrind check with dhat, after bounded
//! runs and after Ctrl-C, and the leak demo's deliberate leak found exactly.

use crate::scenarios::ch1::expect_no_heap_lost;
use crate::scenarios::ch2::expect_line;
use crate::scenarios::ch2::lifecycle::blocked_programs;
use crate::scenarios::ch2::ticker::start_publisher;
use crate::scenarios::{serve_profiled, ANY_PORT};
use crate::{ensure, Amount, Bins, Failure, Result, PATIENCE};

/// Ctrl-C stops every long-running program of the chapter while it blocks
/// (as in [`super::lifecycle::programs_stop_while_blocked`]), under heap
/// profiling: nothing the programs allocated is lost.
pub fn no_heap_lost_after_sigint(bins: &Bins) -> Result<()> {
    let mut programs = blocked_programs(bins, true)?;
    // All at once: writing a profile takes a while.
    for program in &mut programs {
        program.interrupt()?;
    }
    for program in programs {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_success()?)?;
    }
    Ok(())
}

/// The book's Valgrind check, with dhat: after a bounded run, no program of
/// the chapter leaves a block it allocated behind.
pub fn no_heap_lost_after_bounded_runs(bins: &Bins) -> Result<()> {
    // A bounded publisher publishes to nobody; the subscriber gets its updates
    // from an unbounded one (it might join a bounded one too late).
    let publisher =
        bins.spawn_profiled("ticker-publisher", &["--bind", ANY_PORT, "--count", "2000"])?;
    let (_unbounded, ticker) = start_publisher(bins, &[])?;
    let subscriber =
        bins.spawn_profiled("ticker-subscriber", &["--connect", &ticker, "--count", "5"])?;
    let (sink, sink_endpoint) = serve_profiled(bins, "task-sink", &["--tasks", "4"])?;
    let (ventilator, tasks_endpoint) = serve_profiled(
        bins,
        "task-ventilator",
        &[
            "--sink",
            &sink_endpoint,
            "--no-wait",
            "--workers",
            "1",
            "--tasks",
            "4",
        ],
    )?;
    let worker = bins.spawn_profiled(
        "task-worker",
        &[
            "--ventilator",
            &tasks_endpoint,
            "--sink",
            &sink_endpoint,
            "--count",
            "4",
            "--max-work-ms",
            "1",
        ],
    )?;
    let demo = bins.spawn_profiled("heap-leak-demo", &["--no-leak"])?;
    // All at once: writing a profile takes a while.
    for program in [subscriber, publisher, worker, ventilator, sink, demo] {
        expect_no_heap_lost(program.wait_exit(PATIENCE)?.expect_success()?)?;
    }
    Ok(())
}

/// The leak check finds the demo's leak, exactly: 4 bytes in 1 block (the
/// book's `malloc(4)`), or as many bytes as asked; none with `--no-leak`.
pub fn heap_leak_demo_loses_exactly_its_leak(bins: &Bins) -> Result<()> {
    for (args, bytes) in [(&[][..], 4), (&["--bytes", "1000"][..], 1000)] {
        let demo = bins.spawn_profiled("heap-leak-demo", args)?;
        let demo = demo.wait_exit(PATIENCE)?.expect_success()?;
        expect_line(&demo, &format!("leaking {bytes} bytes"))?;
        let heap = demo
            .heap
            .ok_or_else(|| Failure::new("heap-leak-demo ran without a profile"))?;
        ensure(heap.definitely_lost == Amount { bytes, blocks: 1 }, || {
            format!("expected {bytes} bytes in 1 block definitely lost:\n{heap}")
        })?;
        ensure(
            heap.lost_stacks
                .iter()
                .any(|(_, stack)| stack.iter().any(|frame| frame.contains("heap_leak_demo"))),
            || format!("the lost block's stack does not name the demo:\n{heap}"),
        )?;
    }
    let demo = bins.spawn_profiled("heap-leak-demo", &["--no-leak"])?;
    let demo = demo.wait_exit(PATIENCE)?.expect_success()?;
    expect_line(&demo, "freeing 4 bytes")?;
    expect_no_heap_lost(demo)
}
