//! The exercises, chapter by chapter: one table per chapter.

mod ch1;
mod ch2;
mod ch3;
mod ch4;

use super::Exercise;
use crate::{Failure, Result};

/// Every exercise, in the book's order.
pub fn exercises() -> Vec<Exercise> {
    [
        ch1::EXERCISES,
        ch2::EXERCISES,
        ch3::EXERCISES,
        ch4::EXERCISES,
    ]
    .concat()
}

/// The exercise called `name`.
pub fn exercise(name: &str) -> Result<Exercise> {
    exercises()
        .into_iter()
        .find(|exercise| exercise.name == name)
        .ok_or_else(|| {
            Failure::new(format!(
                "no exercise called {name:?} (`harness lab list` shows them)"
            ))
        })
}
