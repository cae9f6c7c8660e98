//! Chapter 2: the stock ticker (publish-subscribe), the pipeline (ventilator,
//! workers, sink), the context's lifecycle and the leak demo, as the
//! walkthrough tells them. Each test is a scenario of
//! `harness::scenarios::ch2`, run on this workspace's binaries.

use harness::scenarios::ch2;
use harness::{Bins, Result};

fn bins() -> &'static Bins {
    Bins::workspace()
}

// Publish-subscribe: filtering, the prefix problem and its fix.

#[test]
fn subscriber_without_filter_receives_every_company() -> Result<()> {
    ch2::subscriber_without_filter_receives_every_company(bins())
}

#[test]
fn filter_company1_receives_only_company1() -> Result<()> {
    ch2::filter_company1_receives_only_company1(bins())
}

#[test]
fn prefix_filter_also_matches_company10() -> Result<()> {
    ch2::prefix_filter_also_matches_company10(bins())
}

#[test]
fn delimiter_filter_matches_company1_only() -> Result<()> {
    ch2::delimiter_filter_matches_company1_only(bins())
}

#[test]
fn subscriber_without_subscription_receives_nothing() -> Result<()> {
    ch2::subscriber_without_subscription_receives_nothing(bins())
}

#[test]
fn late_joiner_misses_first_messages() -> Result<()> {
    ch2::late_joiner_misses_first_messages(bins())
}

#[test]
fn publisher_binds_tcp_and_ipc_at_once() -> Result<()> {
    ch2::publisher_binds_tcp_and_ipc_at_once(bins())
}

#[test]
fn non_utf8_update_is_printed_lossily() -> Result<()> {
    ch2::non_utf8_update_is_printed_lossily(bins())
}

// The pipeline: divide and conquer.

#[test]
fn every_task_reaches_the_sink_once_with_1_worker() -> Result<()> {
    ch2::every_task_reaches_the_sink_once(bins(), 1)
}

#[test]
fn every_task_reaches_the_sink_once_with_2_workers() -> Result<()> {
    ch2::every_task_reaches_the_sink_once(bins(), 2)
}

#[test]
fn every_task_reaches_the_sink_once_with_4_workers() -> Result<()> {
    ch2::every_task_reaches_the_sink_once(bins(), 4)
}

#[test]
fn four_workers_finish_faster_than_one() -> Result<()> {
    ch2::four_workers_finish_faster_than_one(bins())
}

#[test]
fn worker_reports_bad_tasks_and_keeps_going() -> Result<()> {
    ch2::worker_reports_bad_tasks_and_keeps_going(bins())
}

#[test]
fn sink_counts_results_and_marks_every_tenth() -> Result<()> {
    ch2::sink_counts_results_and_marks_every_tenth(bins())
}

// The context's lifecycle.

#[test]
fn pending_message_keeps_the_process_until_delivered() -> Result<()> {
    ch2::pending_message_keeps_the_process_until_delivered(bins())
}

#[test]
fn linger_zero_drops_pending_message_and_exits() -> Result<()> {
    ch2::linger_zero_drops_pending_message_and_exits(bins())
}

// Signals and the heap.

#[test]
fn ch2_programs_stop_on_sigint() -> Result<()> {
    ch2::programs_stop_while_blocked(bins(), libc::SIGINT)
}

#[test]
fn ch2_programs_stop_on_sigterm() -> Result<()> {
    ch2::programs_stop_while_blocked(bins(), libc::SIGTERM)
}

#[test]
fn ch2_port_in_use_is_reported() -> Result<()> {
    ch2::port_in_use_is_reported(bins())
}

#[test]
fn heap_leak_demo_loses_exactly_its_leak() -> Result<()> {
    ch2::heap_leak_demo_loses_exactly_its_leak(bins())
}

#[test]
fn ch2_no_heap_lost_after_bounded_runs() -> Result<()> {
    ch2::no_heap_lost_after_bounded_runs(bins())
}

#[test]
fn ch2_no_heap_lost_after_sigint() -> Result<()> {
    ch2::no_heap_lost_after_sigint(bins())
}

// The book's default ports: serialised with every other test that uses them,
// across test processes.

#[test]
#[serial_test::file_serial(book_ports)]
fn ticker_defaults_talk_on_port_4040() -> Result<()> {
    ch2::ticker_defaults_talk_on_port_4040(bins())
}

#[test]
#[serial_test::file_serial(book_ports)]
fn pipeline_defaults_use_ports_4040_and_5050() -> Result<()> {
    ch2::pipeline_defaults_use_ports_4040_and_5050(bins())
}
