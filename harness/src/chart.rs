//! Charts the walkthrough shows, drawn from real runs (`harness chart
//! <name>`), as SVG files committed with the book.
//!
//! - `hwm`: the resident memory of `hwm-publisher` over time against a
//!   subscriber that never reads, with the book's mark of 10 and with none
//!   (`book/src/hwm-memory.svg`).

use std::path::Path;
use std::time::Duration;

use plotters::prelude::*;

use crate::scenarios::ch4::reliability::hwm::{
    publisher_memory, Memory, MEMORY_COUNT, MEMORY_SIZE,
};
use crate::{Bins, Failure, Result};

/// The charts `harness chart` can draw, and the file each goes to by
/// default (relative to the workspace root).
pub const CHARTS: &[(&str, &str)] = &[("hwm", "book/src/hwm-memory.svg")];

/// Runs the high-water-mark memory scenario twice (`--sndhwm 10` and 0),
/// sampling every millisecond, and draws both curves into `path`. Returns
/// the two runs.
pub fn hwm(bins: &Bins, path: &Path) -> Result<(Memory, Memory)> {
    let every = Duration::from_millis(1);
    let small = publisher_memory(bins, 10, every)?;
    let unlimited = publisher_memory(bins, 0, every)?;
    draw_hwm(path, &small, &unlimited)
        .map_err(|e| Failure::new(format!("cannot draw {}: {e}", path.display())))?;
    Ok((small, unlimited))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn curve(run: &Memory) -> Vec<(f64, f64)> {
    run.samples
        .iter()
        .map(|(at, kib)| (at.as_secs_f64() * 1000.0, mib(*kib)))
        .collect()
}

fn draw_hwm(
    path: &Path,
    small: &Memory,
    unlimited: &Memory,
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let runs = [
        (small, "--sndhwm 10 (the book's)", BLUE),
        (unlimited, "--sndhwm 0 (no limit)", RED),
    ];
    let end_ms = runs
        .iter()
        .filter_map(|(run, _, _)| run.samples.last())
        .map(|(at, _)| at.as_secs_f64() * 1000.0)
        .fold(1.0f64, f64::max);
    let top = runs
        .iter()
        .map(|(run, _, _)| mib(run.peak_kib))
        .fold(1.0f64, f64::max);
    let canvas = SVGBackend::new(path, (720, 440)).into_drawing_area();
    canvas.fill(&WHITE)?;
    // The chart, and below it the run it came from.
    let (root, footer) = canvas.split_vertically(420);
    footer.draw(&Text::new(
        crate::transcripts::stamp::stamp(),
        (12, 2),
        ("sans-serif", 12).into_font().color(&RGBColor(90, 90, 90)),
    ))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "hwm-publisher: resident memory, {MEMORY_COUNT} messages of {MEMORY_SIZE} bytes, nobody reading"
            ),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..end_ms * 1.05, 0f64..top * 1.15)?;
    chart
        .configure_mesh()
        .x_desc("milliseconds since the publisher started")
        .y_desc("resident memory (MiB)")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .light_line_style(TRANSPARENT)
        .draw()?;
    for (run, label, colour) in runs {
        chart
            .draw_series(LineSeries::new(curve(run), colour.stroke_width(2)))?
            .label(format!("{label}: peak {:.1} MiB", mib(run.peak_kib)))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    canvas.present()?;
    Ok(())
}
