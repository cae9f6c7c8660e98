//! Which run a figure came from: when, and on what machine.

use std::time::{SystemTime, UNIX_EPOCH};

/// `run on 2026-11-25 16:29 UTC, 2 CPUs (AMD EPYC 7B13), Linux 6.18.0, load
/// average 1.52` — the line a generated figure carries.
pub fn stamp() -> String {
    format!("run on {} UTC, {}", utc_now(), machine())
}

/// The same on two lines, for a text figure whose lines must fit a listing:
/// `run on 2026-11-25 16:29 UTC` and `on 2 CPUs (…), Linux …, load average …`.
pub fn stamp_lines() -> String {
    format!("run on {} UTC\non {}", utc_now(), machine())
}

/// The time now, `YYYY-MM-DD HH:MM`, in UTC.
pub fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    utc(seconds)
}

/// `seconds` since the Unix epoch as `YYYY-MM-DD HH:MM`, in UTC.
pub fn utc(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let (hour, minute) = ((seconds % 86_400) / 3600, (seconds % 3600) / 60);
    // Howard Hinnant's days-to-civil: the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
}

/// `2 CPUs (AMD EPYC 7B13), Linux 6.18.0, load average 1.52`.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_string())
        .unwrap_or_else(|| "unknown CPU".to_string());
    let kernel = read("/proc/sys/kernel/osrelease").trim().to_string();
    let load = read("/proc/loadavg")
        .split_whitespace()
        .next()
        .unwrap_or("?")
        .to_string();
    format!("{cpus} CPUs ({model}), Linux {kernel}, load average {load}")
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn dates_are_the_calendar_s() {
        assert_eq!(utc(0), "1970-01-01 00:00");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00");
        assert_eq!(utc(1_798_216_140), "2026-12-25 16:29");
    }
}
