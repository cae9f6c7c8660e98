//! Chapter 2: publish-subscribe (the stock ticker), the pipeline, the context's
//! lifecycle, and the leak demo.
//!
//! One module per topic; this one holds the chapter's [`SCENARIOS`] table and
//! the helpers the topics share.

pub mod heap;
pub mod lifecycle;
pub mod pipeline;
pub mod task_bytes;
pub mod ticker;

use crate::scenarios::peer::bound_socket;
use crate::scenarios::{whole_messages, Scenario};
use crate::{ensure, Bins, Finished, Result, Running};

/// Chapter 2's checks, by name.
pub const SCENARIOS: &[Scenario] = &[
    // A message is all of its frames (see `whole_messages`).
    (
        "ticker_subscriber_counts_a_multiframe_update_once",
        whole_messages::ticker_subscriber_counts_a_multiframe_update_once,
    ),
    (
        "task_worker_sends_one_result_per_message",
        whole_messages::task_worker_sends_one_result_per_message,
    ),
    (
        "task_sink_counts_no_bad_message_as_a_result",
        whole_messages::task_sink_counts_no_bad_message_as_a_result,
    ),
    // Publish-subscribe: filtering, the prefix problem and its fix.
    (
        "subscriber_without_filter_receives_every_company",
        ticker::subscriber_without_filter_receives_every_company,
    ),
    (
        "filter_company1_receives_only_company1",
        ticker::filter_company1_receives_only_company1,
    ),
    (
        "prefix_filter_also_matches_company10",
        ticker::prefix_filter_also_matches_company10,
    ),
    (
        "delimiter_filter_matches_company1_only",
        ticker::delimiter_filter_matches_company1_only,
    ),
    (
        "subscriber_without_subscription_receives_nothing",
        ticker::subscriber_without_subscription_receives_nothing,
    ),
    (
        "late_joiner_misses_first_messages",
        ticker::late_joiner_misses_first_messages,
    ),
    (
        "rate_paces_the_updates_and_numbered_counts_them",
        ticker::rate_paces_the_updates_and_numbered_counts_them,
    ),
    (
        "subscriber_gives_up_after_timeout_ms",
        ticker::subscriber_gives_up_after_timeout_ms,
    ),
    (
        "subscriber_hears_every_connect_endpoint",
        ticker::subscriber_hears_every_connect_endpoint,
    ),
    (
        "prices_stay_below_1000_at_full_speed",
        ticker::prices_stay_below_1000_at_full_speed,
    ),
    (
        "publisher_refuses_a_subscription_over_its_max_msg_size",
        ticker::publisher_refuses_a_subscription_over_its_max_msg_size,
    ),
    (
        "subscriber_refuses_an_update_over_its_max_msg_size",
        ticker::subscriber_refuses_an_update_over_its_max_msg_size,
    ),
    (
        "publisher_binds_tcp_and_ipc_at_once",
        ticker::publisher_binds_tcp_and_ipc_at_once,
    ),
    (
        "non_utf8_update_is_printed_lossily",
        ticker::non_utf8_update_is_printed_lossily,
    ),
    (
        "ticker_defaults_talk_on_port_4040",
        ticker::ticker_defaults_talk_on_port_4040,
    ),
    // The pipeline: divide and conquer.
    ("every_task_reaches_the_sink_once_with_1_worker", |bins| {
        pipeline::every_task_reaches_the_sink_once(bins, 1)
    }),
    ("every_task_reaches_the_sink_once_with_2_workers", |bins| {
        pipeline::every_task_reaches_the_sink_once(bins, 2)
    }),
    ("every_task_reaches_the_sink_once_with_4_workers", |bins| {
        pipeline::every_task_reaches_the_sink_once(bins, 4)
    }),
    (
        "four_workers_finish_faster_than_one",
        pipeline::four_workers_finish_faster_than_one,
    ),
    (
        "worker_reports_bad_tasks_and_keeps_going",
        pipeline::worker_reports_bad_tasks_and_keeps_going,
    ),
    (
        "sink_counts_results_and_marks_every_tenth",
        pipeline::sink_counts_results_and_marks_every_tenth,
    ),
    (
        "sink_clock_starts_at_the_batch_start",
        pipeline::sink_clock_starts_at_the_batch_start,
    ),
    (
        "sink_refuses_a_result_over_its_max_msg_size",
        pipeline::sink_refuses_a_result_over_its_max_msg_size,
    ),
    (
        "ventilator_counts_only_workers_still_connected",
        pipeline::ventilator_counts_only_workers_still_connected,
    ),
    (
        "worker_max_work_ms_caps_a_huge_task",
        pipeline::worker_max_work_ms_caps_a_huge_task,
    ),
    (
        "worker_refuses_a_task_over_its_max_msg_size",
        pipeline::worker_refuses_a_task_over_its_max_msg_size,
    ),
    (
        "ventilator_draws_workloads_from_1_to_100",
        task_bytes::ventilator_draws_workloads_from_1_to_100,
    ),
    (
        "a_short_task_after_a_long_one_is_done_as_itself",
        task_bytes::a_short_task_after_a_long_one_is_done_as_itself,
    ),
    (
        "worker_result_line_is_seen_before_the_next_task",
        task_bytes::worker_result_line_is_seen_before_the_next_task,
    ),
    (
        "ch2_programs_bind_where_bind_says",
        pipeline::ch2_programs_bind_where_bind_says,
    ),
    (
        "pipeline_defaults_use_ports_4040_and_5050",
        pipeline::pipeline_defaults_use_ports_4040_and_5050,
    ),
    // The context's lifecycle: lingering messages, signals, ports in use.
    (
        "pending_message_keeps_the_process_until_delivered",
        lifecycle::pending_message_keeps_the_process_until_delivered,
    ),
    (
        "linger_zero_drops_pending_message_and_exits",
        lifecycle::linger_zero_drops_pending_message_and_exits,
    ),
    ("waiting_to_deliver_stops_on_sigint", |bins| {
        lifecycle::waiting_to_deliver_stops_on_signal(bins, libc::SIGINT)
    }),
    ("waiting_to_deliver_stops_on_sigterm", |bins| {
        lifecycle::waiting_to_deliver_stops_on_signal(bins, libc::SIGTERM)
    }),
    ("publisher_at_full_speed_stops_on_sigint", |bins| {
        lifecycle::publisher_at_full_speed_stops_on_signal(bins, libc::SIGINT)
    }),
    ("publisher_at_full_speed_stops_on_sigterm", |bins| {
        lifecycle::publisher_at_full_speed_stops_on_signal(bins, libc::SIGTERM)
    }),
    ("ch2_programs_stop_on_sigint", |bins| {
        lifecycle::programs_stop_while_blocked(bins, libc::SIGINT)
    }),
    ("ch2_programs_stop_on_sigterm", |bins| {
        lifecycle::programs_stop_while_blocked(bins, libc::SIGTERM)
    }),
    (
        "ch2_programs_stop_on_sigint_in_their_other_blocking_states",
        |bins| lifecycle::programs_stop_in_their_other_blocking_states(bins, libc::SIGINT),
    ),
    (
        "ch2_programs_stop_on_sigterm_in_their_other_blocking_states",
        |bins| lifecycle::programs_stop_in_their_other_blocking_states(bins, libc::SIGTERM),
    ),
    (
        "ch2_port_in_use_is_reported",
        lifecycle::port_in_use_is_reported,
    ),
    // The heap.
    (
        "heap_leak_demo_loses_exactly_its_leak",
        heap::heap_leak_demo_loses_exactly_its_leak,
    ),
    (
        "ch2_no_heap_lost_after_bounded_runs",
        heap::no_heap_lost_after_bounded_runs,
    ),
    (
        "ch2_no_heap_lost_after_sigint",
        heap::no_heap_lost_after_sigint,
    ),
];

/// Fails unless `finished` printed exactly `line` on stdout.
fn expect_line(finished: &Finished, line: &str) -> Result<()> {
    ensure(
        finished.stdout.iter().any(|printed| printed == line),
        || {
            format!(
                "{}: no line {line:?} on stdout: {:?}",
                finished.name, finished.stdout
            )
        },
    )
}

/// A `task-worker` between the harness's own ends of the pipeline: tasks
/// come from the returned PUSH socket, results go to the returned PULL
/// socket; `extra` options are added after `--ventilator` and `--sink`.
pub fn worker_between_harness_ends(
    bins: &Bins,
    context: &zmq::Context,
    extra: &[&str],
) -> Result<(zmq::Socket, zmq::Socket, Running)> {
    let (ventilator, tasks) = bound_socket(context, zmq::PUSH)?;
    let (sink, results) = bound_socket(context, zmq::PULL)?;
    let mut args = vec!["--ventilator", &tasks, "--sink", &results];
    args.extend_from_slice(extra);
    let worker = bins.spawn("task-worker", &args)?;
    Ok((ventilator, sink, worker))
}
