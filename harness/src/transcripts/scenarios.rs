//! The transcripts' own checks: each hand-run program's transcript against a
//! fresh run (the demos' are checked by their `demos::` scenarios), and the
//! registry against the book: every demo has a transcript, every transcript
//! a page that includes it, every file in `book/src/transcripts/` an entry.

use std::collections::BTreeSet;

use crate::scenarios::Scenario;
use crate::transcripts::{
    figures, lab_session, named, shown_path, transcripts_dir, Source, TRANSCRIPTS,
};
use crate::{demo, ensure, Bins, Failure, Result};

/// The scenarios, run as `transcripts::<name>`.
pub const SCENARIOS: &[Scenario] = &[
    ("version_says_what_its_page_shows", |bins| {
        fresh_run_matches(bins, "version.txt")
    }),
    ("harness_help_says_what_its_page_shows", |bins| {
        fresh_run_matches(bins, "harness-help.txt")
    }),
    (
        "leak_check_heap_leak_demo_says_what_its_page_shows",
        |bins| fresh_run_matches(bins, "leak-check-heap-leak-demo.txt"),
    ),
    ("leak_check_hello_client_says_what_its_page_shows", |bins| {
        fresh_run_matches(bins, "leak-check-hello-client.txt")
    }),
    (
        "context_limits_set_after_says_what_its_page_shows",
        |bins| fresh_run_matches(bins, "context-limits-set-after.txt"),
    ),
    ("context_limits_peers_says_what_its_page_shows", |bins| {
        fresh_run_matches(bins, "context-limits-peers.txt")
    }),
    ("lab_list_says_what_its_page_shows", |bins| {
        lab_session::fresh_step_matches(bins, "lab-list.txt")
    }),
    ("lab_start_says_what_its_page_shows", |bins| {
        lab_session::fresh_step_matches(bins, "lab-start.txt")
    }),
    ("lab_check_starter_says_what_its_page_shows", |bins| {
        lab_session::fresh_step_matches(bins, "lab-check-starter.txt")
    }),
    ("lab_hint_says_what_its_page_shows", |bins| {
        lab_session::fresh_step_matches(bins, "lab-hint.txt")
    }),
    ("lab_check_fixed_says_what_its_page_shows", |bins| {
        lab_session::fresh_step_matches(bins, "lab-check-fixed.txt")
    }),
    ("lab_grade_says_what_its_page_shows", |bins| {
        lab_session::fresh_step_matches(bins, "lab-grade.txt")
    }),
    ("lab_grade_csv_says_what_its_page_shows", |bins| {
        lab_session::fresh_step_matches(bins, "lab-grade-csv.txt")
    }),
    ("zmsg_client_says_what_its_page_shows", |bins| {
        fresh_run_matches(bins, "zmsg-client.txt")
    }),
    ("kv_list_client_says_what_its_page_shows", |bins| {
        fresh_run_matches(bins, "kv-list-client.txt")
    }),
    ("local_thr_says_what_its_page_shows", |bins| {
        fresh_run_matches(bins, "local-thr.txt")
    }),
    ("remote_lat_says_what_its_page_shows", |bins| {
        fresh_run_matches(bins, "remote-lat.txt")
    }),
    ("inproc_lat_says_what_its_page_shows", |bins| {
        fresh_run_matches(bins, "inproc-lat.txt")
    }),
    (
        "every_transcript_is_registered_checked_and_included",
        |_| every_transcript_is_registered_checked_and_included(),
    ),
    ("every_figure_exists_is_stamped_and_included", |_| {
        figures::every_figure_exists_is_stamped_and_included()
    }),
];

/// Reruns the transcript `file` and compares.
fn fresh_run_matches(bins: &Bins, file: &str) -> Result<()> {
    let transcript = named(file)?;
    let output = transcript.run(bins, true)?;
    transcript.check(&output)
}

/// The page `page` (below `book/src/`), as text.
pub fn page_text(page: &str) -> Result<String> {
    let path = crate::transcripts::workspace_root()
        .join("book/src")
        .join(page);
    std::fs::read_to_string(&path)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", shown_path(&path))))
}

/// How a page includes the transcript `file`.
pub fn include_of(file: &str) -> String {
    format!("{{{{#include transcripts/{file}}}}}")
}

/// Every demo has a transcript; every transcript's page includes it and has
/// a scenario that compares it with a fresh run; every file in the
/// transcripts directory is a registered transcript (a file made by hand,
/// however included, is not one).
fn every_transcript_is_registered_checked_and_included() -> Result<()> {
    for lesson in demo::lessons() {
        crate::transcripts::of_demo(lesson.name)?;
    }
    let mut files = BTreeSet::new();
    for transcript in TRANSCRIPTS {
        ensure(files.insert(transcript.file), || {
            format!("{} is registered twice", transcript.file)
        })?;
        let page = page_text(transcript.page)?;
        ensure(page.contains(&include_of(transcript.file)), || {
            format!(
                "book/src/{} does not include its transcript: no `{}`",
                transcript.page,
                include_of(transcript.file)
            )
        })?;
        if !matches!(transcript.source, Source::Demo { .. }) {
            let checked = SCENARIOS.iter().any(|(name, _)| {
                *name
                    == format!(
                        "{}_says_what_its_page_shows",
                        scenario_stem(transcript.file)
                    )
            });
            ensure(checked, || {
                format!(
                    "{} has no scenario that compares it with a fresh run",
                    transcript.file
                )
            })?;
        }
    }
    let dir = transcripts_dir();
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| Failure::new(format!("cannot list {}: {e}", shown_path(&dir))))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        ensure(files.contains(name.as_str()), || {
            format!(
                "{}/{name} is not a registered transcript (harness/src/transcripts/table.rs): \
                 a page may only show program output that `transcripts` writes",
                shown_path(&dir)
            )
        })?;
    }
    Ok(())
}

/// `zmsg-client.txt` → `zmsg_client`: what the name of the file's scenario
/// starts with (`zmsg_client_says_what_its_page_shows`).
fn scenario_stem(file: &str) -> String {
    file.trim_end_matches(".txt").replace('-', "_")
}
