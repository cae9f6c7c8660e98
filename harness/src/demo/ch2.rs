//! Chapter 2's demos: `ticker` and `pipeline` (to come with chapter 2).

use crate::demo::Lesson;

/// Chapter 2's demos.
pub const LESSONS: &[Lesson] = &[];
