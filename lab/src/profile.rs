//! Heap profiling with dhat — this project's answer to the book's Valgrind section.
//!
//! Every example's global allocator is `dhat::Alloc`. With the environment
//! variable [`PROFILE_ENV`] set to a file name, [`crate::run`] starts dhat's heap
//! profiler before the example runs and writes the profile to that file when it
//! ends (also after Ctrl-C). The harness reads the file and prints a Valgrind-style
//! summary; the file also opens in DHAT's viewer (`dh_view.html`).
//!
//! What dhat cannot see: memory that libzmq's C++ code allocates with `malloc`
//! and `new` (its queues, pipes and I/O threads) never passes through Rust's
//! allocator. For that, measure the process's resident memory instead.

/// The environment variable that turns heap profiling on: the file to write.
pub const PROFILE_ENV: &str = "ZMQ_BOOK_DHAT";

/// A running profiler; the profile is written when it is dropped.
pub struct Profiling(#[allow(dead_code)] dhat::Profiler);

// ANCHOR: start
/// Starts dhat's heap profiler if [`PROFILE_ENV`] names a file.
pub fn start_if_requested() -> Option<Profiling> {
    let file = std::env::var_os(PROFILE_ENV).filter(|file| !file.is_empty())?;
    let profiler = dhat::Profiler::builder()
        .file_name(file)
        // Every frame from the allocation down to `main`, however deep: the
        // harness tells leaks from runtime statics by them. Only dhat's own
        // frames and the ones every stack shares below `main` go: resolving
        // those (the C library's) took most of the time a profile took to write.
        .trim_backtraces(Some(usize::MAX))
        .build();
    Some(Profiling(profiler))
}
// ANCHOR_END: start
