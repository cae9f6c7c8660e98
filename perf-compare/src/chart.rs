//! The chart of `perf-compare broker`: mt-server's requests per second by
//! worker threads, one line per amount of work, as an SVG file the
//! walkthrough includes.

use std::path::Path;

use harness::{Failure, Result};
use plotters::prelude::*;

/// Draws `series` — (milliseconds of work, [(threads, requests/s)]) — into
/// the SVG file `path`.
pub fn scaling_svg(path: &Path, series: &[(u64, Vec<(f64, f64)>)]) -> Result<()> {
    draw(path, series).map_err(|e| Failure::new(format!("cannot draw {}: {e}", path.display())))
}

fn draw(
    path: &Path,
    series: &[(u64, Vec<(f64, f64)>)],
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let points = series.iter().flat_map(|(_, points)| points.iter());
    let (max_x, max_y) = points.fold((1.0f64, 1.0f64), |(x, y), &(px, py)| (x.max(px), y.max(py)));
    let root = SVGBackend::new(path, (720, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "mt-server: requests per second by worker threads",
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(0.5f64..max_x + 0.5, 0f64..max_y * 1.15)?;
    chart
        .configure_mesh()
        .x_desc("worker threads (--workers)")
        .y_desc("requests per second")
        .x_labels(max_x as usize)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .light_line_style(TRANSPARENT)
        .draw()?;
    let colours = [BLUE, RED, GREEN, MAGENTA];
    for (index, (delay, points)) in series.iter().enumerate() {
        let colour = colours[index % colours.len()];
        chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                colour.stroke_width(2),
            ))?
            .label(format!("{delay} ms of work per request"))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
        chart.draw_series(
            points
                .iter()
                .map(|&point| Circle::new(point, 4, colour.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .position(SeriesLabelPosition::MiddleRight)
        .draw()?;
    root.present()?;
    Ok(())
}
