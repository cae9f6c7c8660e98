//! Chapter 2's demos: the stock ticker's four steps, and the pipeline with a
//! chosen number of workers (`HARNESS_WORKERS`, default 4).

use crate::demo::{Lesson, Stage};
use crate::scenarios::serve;
use crate::{Bins, Failure, Result, Running, PATIENCE};

/// Chapter 2's demos.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        name: "ticker",
        about: "chapter 2: a stock ticker over PUB/SUB: everything, a filter, the prefix problem, the delimiter fix",
        programs: &["ticker-publisher", "ticker-subscriber"],
        run: ticker,
    },
    Lesson {
        name: "pipeline",
        about: "chapter 2: ventilator, workers (HARNESS_WORKERS, default 4) and sink share out 20 square roots",
        programs: &["task-sink", "task-ventilator", "task-worker"],
        run: pipeline,
    },
];

/// The tasks in the pipeline demo's batch.
pub const TASKS: u32 = 20;

/// The environment variable that sets the pipeline demo's number of workers.
pub const WORKERS_ENV: &str = "HARNESS_WORKERS";

/// The four steps of the book's ticker, each a publisher (20 updates a second)
/// and a subscriber that prints a few updates and exits.
pub fn ticker(bins: &Bins) -> Result<()> {
    let three = "Company1,Company10,Company101";
    let steps: [(&str, &[&str], &[&str]); 4] = [
        (
            "subscribe to everything (no filter: the empty prefix)",
            &["--verbose"],
            &["--count", "5"],
        ),
        (
            "subscribe to the prefix Company1",
            &[],
            &["Company1", "--count", "5"],
        ),
        (
            "the prefix problem: Company1 also matches Company10 and Company101",
            &["--companies", three],
            &["Company1", "--count", "8"],
        ),
        (
            "the delimiter fix: updates read `Company1| 575`, the subscription is `Company1|`",
            &["--companies", three, "--delimiter", "|"],
            &["Company1", "--delimiter", "|", "--count", "5"],
        ),
    ];
    for (what, publisher_args, subscriber_args) in steps {
        let mut stage = Stage::default();
        let mut args = vec!["--rate", "20"];
        args.extend_from_slice(publisher_args);
        let (publisher, endpoint) = serve(bins, "ticker-publisher", &args)?;
        stage.enter(publisher);
        stage.narrate(what);
        let mut args = vec!["--connect", &endpoint];
        args.extend_from_slice(subscriber_args);
        stage.enter(bins.spawn("ticker-subscriber", &args)?);
        stage.until_exit("ticker-subscriber", PATIENCE)?;
        stage.stop("ticker-publisher", libc::SIGINT)?;
    }
    Ok(())
}

/// The pipeline: a sink, `HARNESS_WORKERS` workers (each labelled with its
/// number), and a ventilator that waits until they are all connected, then
/// sends a batch of [`TASKS`] (the book's 100 would fill the screen with
/// workers' lines, and the sink's progress line would not fit it).
pub fn pipeline(bins: &Bins) -> Result<()> {
    let workers = workers_wanted()?;
    let mut stage = Stage::default();
    let tasks = TASKS.to_string();
    let (sink, sink_endpoint) = serve(bins, "task-sink", &["--tasks", &tasks])?;
    stage.enter(sink);
    let count = workers.to_string();
    let (ventilator, tasks_endpoint) = serve(
        bins,
        "task-ventilator",
        &[
            "--sink",
            &sink_endpoint,
            "--no-wait",
            "--workers",
            &count,
            "--tasks",
            &tasks,
        ],
    )?;
    stage.enter(ventilator);
    stage.narrate(&format!(
        "starting {workers} workers ({WORKERS_ENV} to change)"
    ));
    for n in 1..=workers {
        let args = ["--ventilator", &tasks_endpoint, "--sink", &sink_endpoint];
        let command = bins.command("task-worker", &args);
        stage.enter(Running::spawn(&format!("task-worker-{n}"), command)?);
    }
    stage.until_exit("task-sink", PATIENCE)?;
    stage.finish("task-ventilator", PATIENCE)?;
    stage.narrate("the batch is done; Ctrl-C (SIGINT) to the workers");
    for n in 1..=workers {
        stage.stop(&format!("task-worker-{n}"), libc::SIGINT)?;
    }
    Ok(())
}

/// The number of workers from [`WORKERS_ENV`]: 1 to 16, 4 when unset.
fn workers_wanted() -> Result<usize> {
    match std::env::var(WORKERS_ENV) {
        Err(_) => Ok(4),
        Ok(text) => text
            .parse()
            .ok()
            .filter(|n| (1..=16).contains(n))
            .ok_or_else(|| {
                Failure::new(format!(
                    "{WORKERS_ENV}={text:?}: expected a number of workers, 1 to 16"
                ))
            }),
    }
}
