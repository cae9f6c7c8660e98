//! The pipeline's messages, as text frames:
//!
//! - ventilator → worker: a task, the workload in milliseconds (`57`);
//! - ventilator → sink: the batch start, `-1` (as printed in the book);
//! - worker → sink: a result, `<value> <sqrt>` (`57.0 7.54983443527075`), or
//!   `failed` for a task the worker could not do, so the sink's count completes.

use std::fmt;
use std::time::Duration;

use crate::newton::newton_sqrt;

/// The message that tells the sink a batch has started (the book's `-1`).
pub const BATCH_START: &str = "-1";

/// Why a task could not be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadTask {
    /// The bytes are not UTF-8 text.
    NotUtf8,
    /// The text is not a number (`NaN` included).
    NotANumber,
    /// A negative number: no real square root.
    Negative,
    /// Infinite, or so large it does not fit in an `f64` (`1e999`).
    NotFinite,
}

impl fmt::Display for BadTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BadTask::NotUtf8 => "not UTF-8",
            BadTask::NotANumber => "not a number",
            BadTask::Negative => "negative",
            BadTask::NotFinite => "not finite (infinite, or too large for a double)",
        })
    }
}

// ANCHOR: parse_task
/// Reads a task: a finite, non-negative decimal number (surrounding spaces
/// allowed, as C's `atof` skips them).
pub fn parse_task(bytes: &[u8]) -> Result<f64, BadTask> {
    // Book errata (ch2-atof-reads-past): the listing's atof reads past the task (no NUL); a slice
    // has a length.
    // Book errata (ch2-atof-accepts-anything): the listing's atof reads garbage as 0; a task must
    // be a number >= 0.
    let text = std::str::from_utf8(bytes).map_err(|_| BadTask::NotUtf8)?;
    let value: f64 = text.trim().parse().map_err(|_| BadTask::NotANumber)?;
    if value.is_nan() {
        Err(BadTask::NotANumber)
    } else if value.is_infinite() {
        Err(BadTask::NotFinite)
    } else if value < 0.0 {
        Err(BadTask::Negative)
    } else {
        Ok(value)
    }
}

/// A task's value and its square root (Newton's), or why the task is bad.
pub fn solve(task: &[u8]) -> Result<(f64, f64), BadTask> {
    let value = parse_task(task)?;
    // `parse_task` passes only finite non-negative numbers, which have a root.
    let root = newton_sqrt(value).ok_or(BadTask::NotFinite)?;
    Ok((value, root))
}
// ANCHOR_END: parse_task

/// How long a worker "works" on task `value`: that many milliseconds, at most
/// `cap` (so one hostile task cannot stall a worker).
pub fn work_time(value: f64, cap: Duration) -> Duration {
    let cap_ms = cap.as_secs_f64() * 1000.0;
    Duration::from_secs_f64(value.clamp(0.0, cap_ms) / 1000.0)
}

/// What a worker sends the sink for one task.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TaskResult {
    /// The task's value and its square root.
    Done {
        /// The workload the task carried.
        value: f64,
        /// Its square root, by Newton's method: the double nearest the true
        /// root, as `f64::sqrt` gives it.
        root: f64,
    },
    /// The task was bad; the worker said why on its stderr.
    Failed,
}

const FAILED: &str = "failed";

impl fmt::Display for TaskResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // `{:?}` of an f64 is the shortest text that reads back the same,
            // with an exponent for huge and tiny numbers (`1e300`).
            TaskResult::Done { value, root } => write!(f, "{value:?} {root:?}"),
            TaskResult::Failed => f.write_str(FAILED),
        }
    }
}

/// What the sink can receive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SinkMessage {
    /// The ventilator's batch start.
    BatchStart,
    /// A worker's result.
    Result(TaskResult),
}

/// Reads a message arriving at the sink; `None` if it is neither a batch start
/// nor a result.
pub fn parse_sink_message(bytes: &[u8]) -> Option<SinkMessage> {
    let text = std::str::from_utf8(bytes).ok()?;
    if text == BATCH_START {
        return Some(SinkMessage::BatchStart);
    }
    if text == FAILED {
        return Some(SinkMessage::Result(TaskResult::Failed));
    }
    let (value, root) = text.split_once(' ')?;
    Some(SinkMessage::Result(TaskResult::Done {
        value: value.parse().ok()?,
        root: root.parse().ok()?,
    }))
}

// ANCHOR: progress
/// The mark the sink prints for its `received`-th result (counting from 1):
/// `:` for every tenth, `.` for the others.
pub fn progress_mark(received: u64) -> char {
    // Book errata (ch2-ten-tasks-message): `if (count / 10 == 0)` is true for the first ten results
    // only; "every tenth" is `count % 10 == 0`.
    if received % 10 == 0 {
        ':'
    } else {
        '.'
    }
}
// ANCHOR_END: progress

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_tasks_parse() {
        assert_eq!(parse_task(b"57"), Ok(57.0));
        assert_eq!(parse_task(b" 2.5\n"), Ok(2.5));
        assert_eq!(parse_task(b"0"), Ok(0.0));
        assert_eq!(parse_task(b"1e300"), Ok(1e300));
    }

    #[test]
    fn bad_tasks_say_why() {
        assert_eq!(parse_task(b"\xff57"), Err(BadTask::NotUtf8));
        assert_eq!(parse_task(b"fifty"), Err(BadTask::NotANumber));
        assert_eq!(parse_task(b""), Err(BadTask::NotANumber));
        assert_eq!(parse_task(b"NaN"), Err(BadTask::NotANumber));
        assert_eq!(parse_task(b"-4"), Err(BadTask::Negative));
        assert_eq!(parse_task(b"inf"), Err(BadTask::NotFinite));
        assert_eq!(parse_task(b"1e999"), Err(BadTask::NotFinite));
        assert_eq!(
            parse_task("9".repeat(400).as_bytes()),
            Err(BadTask::NotFinite)
        );
    }

    #[test]
    fn solve_gives_value_and_root() {
        // The root is exact: the worker once sent `16.0 4.000000000000051`.
        assert_eq!(solve(b"16"), Ok((16.0, 4.0)));
        assert_eq!(solve(b"57"), Ok((57.0, 57f64.sqrt())));
        assert_eq!(solve(b"1e300"), Ok((1e300, 1e150)));
        assert_eq!(solve(b"-16"), Err(BadTask::Negative));
    }

    #[test]
    fn work_time_is_the_value_in_ms_capped() {
        let cap = Duration::from_millis(1000);
        assert_eq!(work_time(57.0, cap), Duration::from_millis(57));
        assert_eq!(work_time(1e300, cap), cap);
        assert_eq!(work_time(0.0, cap), Duration::ZERO);
    }

    #[test]
    fn results_read_back_as_sent() {
        let done = TaskResult::Done {
            value: 57.0,
            root: 57f64.sqrt(),
        };
        for result in [done, TaskResult::Failed] {
            let text = result.to_string();
            assert_eq!(
                parse_sink_message(text.as_bytes()),
                Some(SinkMessage::Result(result))
            );
        }
        assert_eq!(done.to_string(), "57.0 7.54983443527075");
        let huge = TaskResult::Done {
            value: 1e300,
            root: 1e150,
        };
        assert_eq!(huge.to_string(), "1e300 1e150");
    }

    #[test]
    fn the_sink_tells_batch_start_from_results_and_noise() {
        assert_eq!(parse_sink_message(b"-1"), Some(SinkMessage::BatchStart));
        assert_eq!(parse_sink_message(b"T"), None);
        assert_eq!(parse_sink_message(b"1 x"), None);
        assert_eq!(parse_sink_message(b"\xff"), None);
    }

    #[test]
    fn every_tenth_mark_is_a_colon() {
        let marks: String = (1..=20).map(progress_mark).collect();
        assert_eq!(marks, ".........:.........:");
    }
}
