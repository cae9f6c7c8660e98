//! The chart of `perf-compare broker`: mt-server's speed-up over its fewest
//! worker threads, one line per amount of work, against the ideal straight
//! line, as an SVG file the walkthrough includes.

use std::path::Path;

use harness::{Failure, Result};
use plotters::prelude::*;

/// Draws `series` — (milliseconds of work, [(threads, requests/s)], fewest
/// threads first) — into the SVG file `path`, as speed-ups over each series'
/// first point.
pub fn scaling_svg(path: &Path, series: &[(u64, Vec<(f64, f64)>)]) -> Result<()> {
    draw(path, series).map_err(|e| Failure::new(format!("cannot draw {}: {e}", path.display())))
}

/// Each point's rate divided by the first point's.
fn speedups(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let base = points.first().map_or(1.0, |&(_, rate)| rate);
    points.iter().map(|&(x, rate)| (x, rate / base)).collect()
}

fn draw(
    path: &Path,
    series: &[(u64, Vec<(f64, f64)>)],
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let points = series.iter().flat_map(|(_, points)| points.iter());
    let (min_x, max_x) = points.fold((f64::MAX, 1.0f64), |(lo, hi), &(x, _)| {
        (lo.min(x), hi.max(x))
    });
    let min_x = min_x.min(max_x);
    let ideal = max_x / min_x;
    let canvas = SVGBackend::new(path, (720, 440)).into_drawing_area();
    canvas.fill(&WHITE)?;
    // The chart, and below it the run it came from.
    let (root, footer) = canvas.split_vertically(420);
    footer.draw(&Text::new(
        harness::transcripts::stamp::stamp(),
        (12, 2),
        ("sans-serif", 12).into_font().color(&RGBColor(90, 90, 90)),
    ))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "mt-server: speed-up with more worker threads",
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.5f64..max_x + 0.5, 0f64..ideal * 1.1)?;
    chart
        .configure_mesh()
        .x_desc("worker threads (--workers)")
        .y_desc(format!("requests per second / those with {min_x:.0}"))
        .x_labels(max_x as usize)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}x"))
        .light_line_style(TRANSPARENT)
        .draw()?;
    let grey = RGBColor(150, 150, 150);
    chart
        .draw_series(LineSeries::new(
            [(min_x, 1.0), (max_x, ideal)],
            grey.stroke_width(1),
        ))?
        .label("ideal: as many times the threads")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], grey.stroke_width(1)));
    let colours = [BLUE, RED, GREEN, MAGENTA];
    for (index, (delay, points)) in series.iter().enumerate() {
        let colour = colours[index % colours.len()];
        let points = speedups(points);
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
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    canvas.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speedups_are_relative_to_the_first_point() {
        let points = [(1.0, 800.0), (2.0, 1600.0), (8.0, 4000.0)];
        assert_eq!(speedups(&points), [(1.0, 1.0), (2.0, 2.0), (8.0, 5.0)]);
    }
}
