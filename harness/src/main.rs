//! `harness`: the zmq-book-rs command line for humans — demos of each lesson,
//! every scenario against any build, and the heap-leak check.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use harness::{demo, scenarios, Bins, Result, PATIENCE};

/// Runs, checks and profiles the zmq-book-rs examples.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Starts a lesson's processes and shows their output, labelled by program.
    Demo {
        /// The lesson (`harness list` shows them all), e.g. `hello`.
        lesson: String,
    },
    /// Runs every scenario (or those whose name contains FILTER) and reports each.
    Check {
        /// Directory of the binaries to check (default: this workspace's, built
        /// first).
        #[arg(long)]
        bins: Option<PathBuf>,
        /// Only the scenarios whose name (`<chapter>::<scenario>`, as `harness
        /// list` shows them) contains this, e.g. `ch2::` or `sigint`.
        filter: Option<String>,
    },
    /// Runs one example under dhat and prints a Valgrind-style leak summary.
    ///
    /// Then it says where the profile is: open it in DHAT's viewer,
    /// dh_view.html.
    LeakCheck {
        /// The example to run, e.g. `hello-client`.
        program: String,
        /// Its arguments (after `--`), e.g. `-- --count 3`.
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Draws a chart of the walkthrough from a real run, as SVG.
    Chart {
        /// The chart: `hwm` (a publisher's memory with and without a
        /// high-water mark).
        #[arg(value_parser = ["hwm"])]
        chart: String,
        /// Where to write it (default: its place in book/src/).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Reruns the walkthrough's console transcripts, rewriting those that changed.
    ///
    /// Each demo and each program the pages show is run; a file in
    /// book/src/transcripts/ is rewritten only when the fresh output differs.
    Transcripts {
        /// Also rerun the benchmarks behind the performance tables and the
        /// charts (minutes; builds in release).
        #[arg(long)]
        figures: bool,
        /// Only the transcripts (and figures) whose file name contains this.
        filter: Option<String>,
    },
    /// Lists the demos and the scenarios.
    List,
    /// Course labs: exercises made of the book's bugs, checked and graded.
    Lab {
        #[command(subcommand)]
        command: harness::lab::cli::LabCommand,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Demo { lesson } => demo::run(&lesson).map(|()| ExitCode::SUCCESS),
        Command::Check { bins, filter } => {
            let bins = bins.map_or_else(|| Bins::workspace().clone(), Bins::in_dir);
            Ok(check(&bins, filter.as_deref()))
        }
        Command::LeakCheck { program, args } => {
            leak_check(&Bins::workspace_programs(&[&program])?, &program, &args)
        }
        Command::Chart { chart, out } => draw_chart(&chart, out),
        Command::Lab { command } => harness::lab::cli::run(command),
        Command::Transcripts { figures, filter } => {
            harness::transcripts::regenerate(filter.as_deref())?;
            if figures {
                harness::transcripts::figures::regenerate(filter.as_deref())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::List => {
            println!("demos:");
            let lessons = demo::lessons();
            let width = lessons.iter().map(|lesson| lesson.name.len()).max();
            let width = width.unwrap_or(0);
            for lesson in lessons {
                println!("  {:<width$}  {}", lesson.name, lesson.about);
            }
            println!("scenarios:");
            for scenario in scenarios::all() {
                println!("  {}", scenario.full_name());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(bins: &Bins, filter: Option<&str>) -> ExitCode {
    let mut failed = 0;
    let mut passed = 0;
    let mut skipped = 0;
    for scenario in scenarios::all() {
        let name = scenario.full_name();
        if filter.is_some_and(|filter| !name.contains(filter)) {
            continue;
        }
        if let Some(why) = scenario.unavailable() {
            skipped += 1;
            println!("skipped           {name} ({why})");
            continue;
        }
        let started = std::time::Instant::now();
        let outcome = (scenario.check)(bins);
        let took = started.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => {
                passed += 1;
                println!("ok      {took:6.2} s  {name}");
            }
            Err(failure) => {
                failed += 1;
                println!("FAILED  {took:6.2} s  {name}\n{failure}");
            }
        }
    }
    println!("{passed} passed, {failed} failed, {skipped} skipped");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn leak_check(bins: &Bins, program: &str, args: &[String]) -> Result<ExitCode> {
    let profile = std::env::current_dir()
        .unwrap_or_default()
        .join(format!("dhat-{program}.json"));
    // Ctrl-C in the terminal reaches the example too: let it stop cleanly and
    // write its profile, and stay alive to print the summary.
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGINT,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let mut running = bins.spawn_profiled(program, args)?;
    running.keep_profile_at(profile.clone());
    println!(
        "running {program} {} under dhat (Ctrl-C stops the harness and it)",
        args.join(" ")
    );
    let finished = running.wait_exit(PATIENCE * 30)?;
    for line in &finished.stdout {
        println!("[{program}] {line}");
    }
    for line in finished
        .stderr
        .iter()
        .filter(|line| !line.starts_with("dhat:"))
    {
        println!("[{program}] (stderr) {line}");
    }
    println!("{program} exited: {}", finished.status);
    if let Some(heap) = &finished.heap {
        print!("{heap}");
        println!(
            "profile: {} (open it in DHAT's viewer, dh_view.html)",
            profile.display()
        );
        if heap.definitely_lost.blocks > 0 {
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn draw_chart(chart: &str, out: Option<PathBuf>) -> Result<ExitCode> {
    let default = harness::chart::CHARTS
        .iter()
        .find(|(name, _)| *name == chart)
        .map(|(_, file)| workspace_root().join(file))
        .unwrap_or_default();
    let path = out.unwrap_or(default);
    let (small, unlimited) = harness::chart::hwm(Bins::workspace(), &path)?;
    println!(
        "peak resident memory: {} KiB with --sndhwm 10, {} KiB with no limit",
        small.peak_kib, unlimited.peak_kib
    );
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The workspace's root: the harness package's parent directory.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
