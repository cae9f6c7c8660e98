//! The figures of every round, their medians, and the Rust/C table.

use std::fmt::Write;

use crate::bench::{Kind, Side, Transport};

/// Every figure measured for one transport and message size.
#[derive(Debug, Clone)]
pub struct Row {
    /// The transport.
    pub transport: Transport,
    /// Bytes per message.
    pub size: u64,
    /// msg/s of the C tools, one per round.
    pub c_throughput: Vec<f64>,
    /// msg/s of the Rust tools, one per round.
    pub rust_throughput: Vec<f64>,
    /// µs of the C tools, one per round.
    pub c_latency: Vec<f64>,
    /// µs of the Rust tools, one per round.
    pub rust_latency: Vec<f64>,
}

impl Row {
    /// An empty row.
    pub fn new(transport: Transport, size: u64) -> Row {
        Row {
            transport,
            size,
            c_throughput: Vec::new(),
            rust_throughput: Vec::new(),
            c_latency: Vec::new(),
            rust_latency: Vec::new(),
        }
    }

    /// Where a figure of `side` and `kind` goes.
    pub fn figures(&mut self, side: Side, kind: Kind) -> &mut Vec<f64> {
        match (side, kind) {
            (Side::C, Kind::Throughput) => &mut self.c_throughput,
            (Side::Rust, Kind::Throughput) => &mut self.rust_throughput,
            (Side::C, Kind::Latency) => &mut self.c_latency,
            (Side::Rust, Kind::Latency) => &mut self.rust_latency,
        }
    }

    /// Median Rust throughput over median C throughput (higher is better).
    pub fn throughput_ratio(&self) -> Option<f64> {
        ratio(&self.rust_throughput, &self.c_throughput)
    }

    /// Median Rust latency over median C latency (lower is better).
    pub fn latency_ratio(&self) -> Option<f64> {
        ratio(&self.rust_latency, &self.c_latency)
    }
}

/// The median of `figures`; `None` when there are none.
pub fn median(figures: &[f64]) -> Option<f64> {
    let mut sorted = figures.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[middle]),
        _ => Some((sorted[middle - 1] + sorted[middle]) / 2.0),
    }
}

fn ratio(rust: &[f64], c: &[f64]) -> Option<f64> {
    Some(median(rust)? / median(c)?)
}

/// The table: per transport and size, the medians of both sides and the
/// Rust/C ratio, for throughput and latency.
pub fn render(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<9} {:>6} | {:>10} {:>10} {:>7} | {:>9} {:>9} {:>7}",
        "transport", "size", "C msg/s", "Rust msg/s", "Rust/C", "C us", "Rust us", "Rust/C"
    );
    let _ = writeln!(out, "{}", "-".repeat(80));
    for row in rows {
        let _ = writeln!(
            out,
            "{:<9} {:>6} | {:>10} {:>10} {:>7} | {:>9} {:>9} {:>7}",
            row.transport.to_string(),
            format!("{} B", row.size),
            figure(median(&row.c_throughput), 0),
            figure(median(&row.rust_throughput), 0),
            figure(row.throughput_ratio(), 2),
            figure(median(&row.c_latency), 2),
            figure(median(&row.rust_latency), 2),
            figure(row.latency_ratio(), 2),
        );
    }
    out
}

/// Every round's figures of one row, for the reader who wants to see the
/// noise behind a median.
pub fn render_rounds(row: &Row) -> String {
    let list = |figures: &[f64], decimals| {
        figures
            .iter()
            .map(|x| figure(Some(*x), decimals))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "{} {} B, every round:\n  C    msg/s: {}\n  Rust msg/s: {}\n  C    us:    {}\n  Rust us:    {}\n",
        row.transport,
        row.size,
        list(&row.c_throughput, 0),
        list(&row.rust_throughput, 0),
        list(&row.c_latency, 2),
        list(&row.rust_latency, 2),
    )
}

fn figure(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_string(), |x| format!("{x:.decimals$}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn ratios_are_rust_over_c_of_the_medians() {
        let mut row = Row::new(Transport::Tcp, 64);
        row.c_throughput = vec![4e6, 1e6, 4.2e6];
        row.rust_throughput = vec![3.8e6, 3.9e6, 9e6];
        row.c_latency = vec![50.0, 60.0, 40.0];
        row.rust_latency = vec![55.0];
        assert_eq!(row.throughput_ratio(), Some(3.9e6 / 4e6));
        assert_eq!(row.latency_ratio(), Some(1.1));
    }

    #[test]
    fn table_shows_missing_figures_as_dashes() {
        let mut row = Row::new(Transport::Inproc, 1);
        row.c_throughput = vec![2e6];
        row.rust_throughput = vec![1e6];
        let table = render(&[row]);
        let line = table.lines().nth(2).unwrap();
        assert!(line.starts_with("inproc"), "{line}");
        assert!(line.contains("2000000"), "{line}");
        assert!(line.contains("0.50"), "{line}");
        assert!(line.trim_end().ends_with('-'), "{line}");
    }
}
