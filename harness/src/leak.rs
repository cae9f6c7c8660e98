//! A Valgrind-style leak summary from a dhat heap profile.
//!
//! Valgrind sorts the blocks still allocated when a program exits into "still
//! reachable" (a global still points at them: the runtime's own buffers) and
//! "definitely lost" (nothing does: a leak). dhat records no pointers, only the
//! stack that allocated each block, so the summary sorts by stack instead: a
//! block allocated under one of [`RUNTIME_STATICS`] — std's stdout buffer,
//! signal-hook's handler registry, thread-locals, and the like, which live as long
//! as the process by design — is still reachable; any other block still live at
//! exit is definitely lost.
//!
//! What dhat cannot see: libzmq's own allocations (C++ `new`/`malloc`) bypass
//! Rust's allocator entirely. A leak of zmq messages or sockets that are never
//! closed shows up only in the process's resident memory.

use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::{Failure, Result};

/// Stack-frame fragments of allocations that belong to process-lifetime statics
/// of the runtime, not to the example: what Valgrind would call still reachable.
pub const RUNTIME_STATICS: &[&str] = &[
    // std's stdout/stderr buffers, created on the first print.
    "std::io::stdio",
    // The signal handler table, installed once by the lab runtime, and the
    // self-pipe it writes to.
    "signal_hook_registry",
    "lab::interrupt::install",
    // Thread-local storage and the main thread's handle.
    "std::thread::local",
    "std::sys::thread_local",
    "std::thread::current",
];

/// Bytes and blocks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amount {
    /// Bytes.
    pub bytes: u64,
    /// Blocks (allocations).
    pub blocks: u64,
}

impl Amount {
    fn add(&mut self, bytes: u64, blocks: u64) {
        self.bytes += bytes;
        self.blocks += blocks;
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes in {} blocks", self.bytes, self.blocks)
    }
}

/// What a heap profile says, in Valgrind's terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeapSummary {
    /// Everything allocated over the run.
    pub total: Amount,
    /// Live at the moment the heap was largest.
    pub peak: Amount,
    /// Live at exit, allocated under a runtime static.
    pub still_reachable: Amount,
    /// Live at exit, allocated anywhere else: leaked.
    pub definitely_lost: Amount,
    /// The allocating stack (innermost frame first) of each lost group of blocks.
    pub lost_stacks: Vec<(Amount, Vec<String>)>,
}

impl HeapSummary {
    /// Reads a profile written by dhat (the file named by `ZMQ_BOOK_DHAT`).
    pub fn from_file(file: &Path) -> Result<HeapSummary> {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::new(format!("cannot read {}: {e}", file.display())))?;
        HeapSummary::from_json(&text)
    }

    /// Parses a dhat profile (dhat's JSON format, version 2).
    pub fn from_json(text: &str) -> Result<HeapSummary> {
        let json: Value = serde_json::from_str(text)
            .map_err(|e| Failure::new(format!("not a dhat profile: {e}")))?;
        let frames: Vec<&str> = json["ftbl"]
            .as_array()
            .ok_or_else(|| Failure::new("dhat profile has no frame table"))?
            .iter()
            .map(|frame| frame.as_str().unwrap_or(""))
            .collect();
        let points = json["pps"]
            .as_array()
            .ok_or_else(|| Failure::new("dhat profile has no program points"))?;
        let mut summary = HeapSummary::default();
        for point in points {
            let number = |key: &str| point[key].as_u64().unwrap_or(0);
            summary.total.add(number("tb"), number("tbk"));
            summary.peak.add(number("gb"), number("gbk"));
            let (bytes, blocks) = (number("eb"), number("ebk"));
            if blocks == 0 {
                continue;
            }
            let stack: Vec<String> = point["fs"]
                .as_array()
                .map(|indices| {
                    indices
                        .iter()
                        .filter_map(|i| frames.get(usize::try_from(i.as_u64()?).ok()?))
                        .map(|frame| frame.to_string())
                        .collect()
                })
                .unwrap_or_default();
            if is_runtime_static(&stack) {
                summary.still_reachable.add(bytes, blocks);
            } else {
                summary.definitely_lost.add(bytes, blocks);
                summary.lost_stacks.push((Amount { bytes, blocks }, stack));
            }
        }
        Ok(summary)
    }
}

/// Frames of the profiler and the allocator sit on top of every stack; the
/// summary skips them to show where the program itself allocated.
const ALLOCATOR_FRAMES: &[&str] = &[
    "[root]",
    "dhat::",
    "(dhat-",
    "src/backtrace/",
    "backtrace::",
    "alloc::",
    "__rust_alloc",
    "__rustc::",
    "core::",
];

fn is_program_frame(frame: &str) -> bool {
    !ALLOCATOR_FRAMES.iter().any(|skip| frame.contains(skip))
}

fn is_runtime_static(stack: &[String]) -> bool {
    stack
        .iter()
        .any(|frame| RUNTIME_STATICS.iter().any(|known| frame.contains(known)))
}

impl fmt::Display for HeapSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "HEAP SUMMARY:")?;
        writeln!(f, "    total heap usage: {}", self.total)?;
        writeln!(f, "    peak heap usage:  {}", self.peak)?;
        writeln!(f, "LEAK SUMMARY:")?;
        writeln!(f, "    definitely lost:  {}", self.definitely_lost)?;
        writeln!(
            f,
            "    still reachable:  {} (runtime statics)",
            self.still_reachable
        )?;
        for (amount, stack) in &self.lost_stacks {
            writeln!(f, "  {amount} definitely lost, allocated at:")?;
            // Up to the program's `main`, as Valgrind shows it: the frames
            // below are the runtime's start-up, the same for every leak.
            let frames = stack.iter().filter(|frame| is_program_frame(frame));
            for frame in frames.take(12) {
                writeln!(f, "      {frame}")?;
                if frame.contains("::main (") {
                    break;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(points: &str) -> String {
        format!(
            r#"{{"dhatFileVersion":2,"mode":"rust-heap","te":1,"pps":[{points}],
            "ftbl":["[root]","0x1: std::io::stdio::stdout (stdio.rs:1:1)","0x2: demo::main (main.rs:3:5)"]}}"#
        )
    }

    #[test]
    fn a_block_from_program_code_live_at_exit_is_definitely_lost() {
        let summary = HeapSummary::from_json(&profile(
            r#"{"tb":8,"tbk":2,"gb":8,"gbk":2,"eb":4,"ebk":1,"fs":[2,0]}"#,
        ))
        .unwrap();
        assert_eq!(
            summary.definitely_lost,
            Amount {
                bytes: 4,
                blocks: 1
            }
        );
        assert_eq!(summary.still_reachable, Amount::default());
        assert_eq!(
            summary.total,
            Amount {
                bytes: 8,
                blocks: 2
            }
        );
        assert!(summary.to_string().contains("demo::main"));
    }

    #[test]
    fn stdout_buffer_live_at_exit_is_still_reachable() {
        let summary = HeapSummary::from_json(&profile(
            r#"{"tb":1024,"tbk":1,"gb":1024,"gbk":1,"eb":1024,"ebk":1,"fs":[1,2,0]},
               {"tb":5,"tbk":1,"gb":5,"gbk":1,"eb":0,"ebk":0,"fs":[2,0]}"#,
        ))
        .unwrap();
        assert_eq!(summary.definitely_lost, Amount::default());
        assert_eq!(
            summary.still_reachable,
            Amount {
                bytes: 1024,
                blocks: 1
            }
        );
        assert_eq!(
            summary.peak,
            Amount {
                bytes: 1029,
                blocks: 2
            }
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_clean_bill() {
        assert!(HeapSummary::from_json("{}").is_err());
        assert!(HeapSummary::from_json("not json").is_err());
    }
}
