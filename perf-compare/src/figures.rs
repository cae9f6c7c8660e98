//! The walkthrough's performance tables, as files its pages include
//! (`--markdown FILE`, `broker --markdown FILE --scaling-table FILE`): the
//! medians in the pages' format, under a line saying which run they came
//! from (`harness::transcripts::stamp`) and with what workload.
//! `cargo run -p harness -- transcripts --figures` runs them.

use std::fmt::Write;
use std::path::Path;

use harness::{Failure, Result};

use crate::table::{median, Row};

/// `7158606.4` → `7 158 606`: whole numbers with thin groups, as the pages
/// print them.
pub fn grouped(value: f64) -> String {
    if !value.is_finite() {
        return "-".to_string();
    }
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(' ');
        }
        out.push(digit);
    }
    if value < 0.0 {
        out.insert(0, '-');
    }
    out
}

fn decimals(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |x| format!("{x:.2}"))
}

/// The stamp line over a table: the run, and what was measured.
fn stamp(what: &str) -> String {
    format!("*{what}; {}.*\n\n", harness::transcripts::stamp::stamp())
}

/// The Rust/C table of the perf tools, in markdown.
pub fn compare_markdown(rows: &[Row], what: &str) -> String {
    let mut out = stamp(what);
    out.push_str(
        "| transport | size | C msg/s | Rust msg/s | Rust/C | C µs | Rust µs | Rust/C |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    for row in rows {
        let size = if row.size >= 1024 && row.size % 1024 == 0 {
            format!("{} KiB", row.size / 1024)
        } else {
            format!("{} B", row.size)
        };
        let _ = writeln!(
            out,
            "| {} | {size} | {} | {} | {} | {} | {} | {} |",
            row.transport,
            median(&row.c_throughput).map_or_else(|| "-".to_string(), grouped),
            median(&row.rust_throughput).map_or_else(|| "-".to_string(), grouped),
            decimals(row.throughput_ratio()),
            decimals(median(&row.c_latency)),
            decimals(median(&row.rust_latency)),
            decimals(row.latency_ratio()),
        );
    }
    out
}

/// The brokers' table, in markdown: (name, median requests/s), C first.
pub fn broker_markdown(medians: &[(&str, f64)], what: &str) -> String {
    let mut out = stamp(what);
    out.push_str("| broker | requests/s | ratio to C |\n|---|---|---|\n");
    let c = medians.first().map_or(f64::NAN, |(_, rate)| *rate);
    for (name, rate) in medians {
        let _ = writeln!(out, "| {name} | {} | {:.2} |", grouped(*rate), rate / c);
    }
    out
}

/// mt-server's requests per second by threads (rows) and work (columns),
/// as text: `series` is (ms of work, [(threads, requests/s)]).
pub fn scaling_text(series: &[(u64, Vec<(f64, f64)>)], what: &str) -> String {
    let mut out = format!("{what}\n{}\n\n", harness::transcripts::stamp::stamp_lines());
    out.push_str("threads");
    for (delay, _) in series {
        let _ = write!(out, "  {:>13}", format!("{delay} ms of work"));
    }
    out.push('\n');
    let threads: Vec<f64> = series
        .first()
        .map(|(_, points)| points.iter().map(|(x, _)| *x).collect())
        .unwrap_or_default();
    for (row, count) in threads.iter().enumerate() {
        let _ = write!(out, "{count:<7}");
        for (_, points) in series {
            let rate = points.get(row).map_or(f64::NAN, |(_, rate)| *rate);
            let _ = write!(out, "  {:>13}", grouped(rate));
        }
        out.push('\n');
    }
    out
}

/// Writes `text` to `path`.
pub fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::new(format!("cannot make {}: {e}", dir.display())))?;
    }
    std::fs::write(path, text)
        .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display())))?;
    println!("wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::Transport;

    #[test]
    fn figures_are_grouped_by_thousands() {
        assert_eq!(grouped(7_158_606.4), "7 158 606");
        assert_eq!(grouped(863.0), "863");
        assert_eq!(grouped(1692.0), "1 692");
        assert_eq!(grouped(f64::NAN), "-");
    }

    #[test]
    fn the_tables_are_stamped_and_shaped_as_the_pages_show_them() {
        let mut row = Row::new(Transport::Tcp, 1024);
        row.c_throughput = vec![708_660.0];
        row.rust_throughput = vec![668_478.0];
        let table = compare_markdown(&[row], "11 rounds");
        assert!(table.starts_with("*11 rounds; run on "), "{table}");
        assert!(
            table.contains("| tcp | 1 KiB | 708 660 | 668 478 | 0.94 | - | - | - |"),
            "{table}"
        );
        let scaling = scaling_text(&[(0, vec![(1.0, 22_569.0)]), (1, vec![(1.0, 863.0)])], "x");
        assert!(
            scaling.contains("1               22 569            863"),
            "{scaling}"
        );
    }
}
