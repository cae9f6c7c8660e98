//! Hints, one at a time: how many of an exercise's hints were shown is kept
//! in a small file, so each `harness lab hint` (or failed `harness lab
//! check`) shows the next.

use std::fs;
use std::path::{Path, PathBuf};

use super::Exercise;

/// The hints already shown, per exercise, kept in a directory.
#[derive(Debug, Clone)]
pub struct Hints {
    dir: PathBuf,
}

impl Hints {
    /// The environment variable naming the directory (default: `lab-hints`
    /// in this workspace's target directory).
    pub const DIR_ENV: &'static str = "HARNESS_LAB_HINTS";

    /// Hints kept in `dir`.
    pub fn in_dir(dir: impl Into<PathBuf>) -> Hints {
        Hints { dir: dir.into() }
    }

    /// Hints kept where [`Hints::DIR_ENV`] says, or in this workspace's
    /// target directory: one student per clone of the workspace.
    pub fn default_place() -> Hints {
        match std::env::var_os(Hints::DIR_ENV).filter(|dir| !dir.is_empty()) {
            Some(dir) => Hints::in_dir(dir),
            None => Hints::in_dir(super::student::workspace_root().join("target/lab-hints")),
        }
    }

    /// The next hint of `exercise`, numbered from 1, with how many there
    /// are, and records it as shown. After the last, they start again.
    pub fn next(&self, exercise: &Exercise) -> Option<(usize, usize, &'static str)> {
        let total = exercise.hints.len();
        if total == 0 {
            return None;
        }
        let file = self.file(exercise);
        let shown: usize = fs::read_to_string(&file)
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(0);
        let index = shown % total;
        let _ = fs::create_dir_all(&self.dir);
        let _ = fs::write(&file, (index + 1).to_string());
        Some((index + 1, total, exercise.hints[index]))
    }

    fn file(&self, exercise: &Exercise) -> PathBuf {
        Path::new(&self.dir).join(exercise.name)
    }
}
