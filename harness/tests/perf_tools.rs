//! The performance tools (`local-lat`/`remote-lat`, `local-thr`/`remote-thr`,
//! `inproc-lat`, `inproc-thr`): they pair over tcp, ipc and inproc, report
//! in libzmq's format, allocate nothing per message and fail cleanly. Each test
//! is a scenario of `harness::scenarios::perf`. How fast they are is the
//! benchmark's job (`cargo run --release -p perf-compare`), not a test's.

use harness::scenarios::{perf, unique_ipc_endpoint, ANY_PORT};
use harness::{Bins, Result};

fn bins() -> &'static Bins {
    Bins::workspace()
}

#[test]
fn thr_pair_measures_over_tcp() -> Result<()> {
    perf::thr_pair_measures_over_tcp(bins())
}

#[test]
fn thr_pair_measures_over_ipc() -> Result<()> {
    perf::thr_pair_measures_over_ipc(bins())
}

#[test]
fn inproc_thr_measures_between_threads() -> Result<()> {
    perf::inproc_thr_measures_between_threads(bins())
}

#[test]
fn lat_pair_measures_over_tcp() -> Result<()> {
    perf::lat_pair_measures(bins(), ANY_PORT)
}

#[test]
fn lat_pair_measures_over_ipc() -> Result<()> {
    perf::lat_pair_measures(bins(), &unique_ipc_endpoint("perf-lat"))
}

#[test]
fn inproc_lat_measures_between_threads() -> Result<()> {
    perf::inproc_lat_measures_between_threads(bins())
}

#[test]
fn thr_pair_allocates_nothing_per_message() -> Result<()> {
    perf::thr_pair_allocates_nothing_per_message(bins())
}

#[test]
fn lat_pair_allocates_nothing_per_message() -> Result<()> {
    perf::lat_pair_allocates_nothing_per_message(bins())
}

#[test]
fn inproc_tools_allocate_nothing_per_message() -> Result<()> {
    perf::inproc_tools_allocate_nothing_per_message(bins())
}

#[test]
fn message_of_wrong_size_is_reported() -> Result<()> {
    perf::message_of_wrong_size_is_reported(bins())
}

#[test]
fn waiting_local_tools_stop_on_sigint() -> Result<()> {
    perf::waiting_local_tools_stop_on_sigint(bins())
}

#[test]
fn bad_arguments_are_refused() -> Result<()> {
    perf::bad_arguments_are_refused(bins())
}
