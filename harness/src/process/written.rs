//! When a line was written, as the kernel stamped it.

use std::ops::Sub;
use std::time::{Duration, SystemTime};

/// When a line was written: the kernel's timestamp of the `write()` that
/// carried its first byte, on the system clock (`CLOCK_REALTIME`), so
/// comparable across processes. Subtracting two gives the time between them
/// (zero if the second is not later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WriteTime(SystemTime);

impl WriteTime {
    /// The system clock now, comparable with the stamps.
    pub fn now() -> WriteTime {
        WriteTime(SystemTime::now())
    }

    /// The time as a [`SystemTime`].
    pub fn system_time(self) -> SystemTime {
        self.0
    }
}

impl From<SystemTime> for WriteTime {
    fn from(time: SystemTime) -> WriteTime {
        WriteTime(time)
    }
}

impl Sub for WriteTime {
    type Output = Duration;

    fn sub(self, earlier: WriteTime) -> Duration {
        self.0.duration_since(earlier.0).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_between_two_writes_is_never_negative() {
        let first = WriteTime::from(SystemTime::UNIX_EPOCH + Duration::from_secs(5));
        let second = WriteTime::from(SystemTime::UNIX_EPOCH + Duration::from_secs(7));
        assert_eq!(second - first, Duration::from_secs(2));
        assert_eq!(first - second, Duration::ZERO);
        assert!(first < second);
    }
}
