//! Chapter 4: high-water marks, the lazy pirate, heartbeats and the suicidal
//! snail.
//!
//! One module per lesson; this one holds the [`SCENARIOS`] table.

pub mod heartbeat;
pub mod hwm;
pub mod lifecycle;
pub mod limits;
pub mod pirate;
pub mod snail;

use crate::scenarios::ch4::lessons;
use crate::scenarios::Scenario;

/// The reliability checks, by name.
pub const SCENARIOS: &[Scenario] = &[
    // The high-water mark: PUB drops, PUSH blocks, memory stays bounded.
    (
        "pub_at_its_hwm_drops_for_a_slow_subscriber",
        hwm::pub_at_its_hwm_drops_for_a_slow_subscriber,
    ),
    (
        "push_at_its_hwm_blocks_instead_of_dropping",
        hwm::push_at_its_hwm_blocks_instead_of_dropping,
    ),
    (
        "rcvhwm_adds_to_what_a_push_can_send_before_blocking",
        hwm::rcvhwm_adds_to_what_a_push_can_send_before_blocking,
    ),
    (
        "push_loses_nothing_to_a_slow_subscriber",
        hwm::push_loses_nothing_to_a_slow_subscriber,
    ),
    (
        "linger_holds_the_exit_while_messages_are_queued",
        hwm::linger_holds_the_exit_while_messages_are_queued,
    ),
    (
        "small_hwm_bounds_the_publishers_memory",
        hwm::small_hwm_bounds_the_publishers_memory,
    ),
    (
        "hwm_publisher_counts_and_paces_its_messages",
        hwm::publisher_counts_and_paces_its_messages,
    ),
    (
        "slow_subscriber_stops_after_its_count",
        hwm::subscriber_stops_after_its_count,
    ),
    (
        "slow_subscriber_reports_bad_messages_and_goes_on",
        hwm::subscriber_reports_bad_messages_and_goes_on,
    ),
    (
        "hwm_publisher_counts_only_real_subscriptions",
        hwm::publisher_counts_only_real_subscriptions,
    ),
    // What libzmq's sockets do at the mark, with the harness's own sockets.
    (
        "router_at_its_hwm_drops_what_it_cannot_queue",
        lessons::router_at_its_hwm_drops_what_it_cannot_queue,
    ),
    (
        "rep_at_its_hwm_drops_replies_instead_of_blocking",
        lessons::rep_at_its_hwm_drops_replies_instead_of_blocking,
    ),
    (
        "router_mandatory_refuses_an_unknown_peer_and_a_full_one",
        lessons::router_mandatory_refuses_an_unknown_peer_and_a_full_one,
    ),
    (
        "pub_drops_only_for_the_subscriber_that_does_not_read",
        lessons::pub_drops_only_for_the_subscriber_that_does_not_read,
    ),
    (
        "default_hwm_is_1000_each_way",
        lessons::default_hwm_is_1000_each_way,
    ),
    // Nothing is resent: retrying is the application's work.
    (
        "a_task_lost_with_its_worker_is_never_resent",
        lessons::a_task_lost_with_its_worker_is_never_resent,
    ),
    // The lazy pirate: retries on a fresh socket.
    (
        "pirate_recovers_from_a_crashed_and_restarted_server",
        pirate::client_recovers_from_a_crashed_and_restarted_server,
    ),
    (
        "pirate_survives_an_overloaded_server",
        pirate::client_survives_an_overloaded_server,
    ),
    (
        "pirate_gives_up_after_its_retries",
        pirate::client_gives_up_after_its_retries,
    ),
    (
        "pirate_timeout_decides_whether_a_slow_server_is_dead",
        pirate::timeout_decides_whether_a_slow_server_is_dead,
    ),
    (
        "pirate_server_echoes_bad_requests_and_goes_on",
        pirate::server_echoes_bad_requests_and_goes_on,
    ),
    (
        "pirate_client_rejects_wrong_replies_and_retries",
        pirate::client_rejects_wrong_replies_and_retries,
    ),
    // Heartbeating.
    (
        "killed_worker_expires_after_its_missed_beats",
        heartbeat::killed_worker_expires_after_its_missed_beats,
    ),
    (
        "heartbeat_worker_finds_a_restarted_server",
        heartbeat::worker_finds_a_restarted_server,
    ),
    (
        "heartbeat_worker_backs_off_up_to_its_maximum",
        heartbeat::worker_backs_off_up_to_its_maximum,
    ),
    (
        "heartbeat_server_reports_bad_beats_and_goes_on",
        heartbeat::server_reports_bad_beats_and_goes_on,
    ),
    (
        "heartbeat_worker_reports_bad_beats_and_goes_on",
        heartbeat::worker_reports_bad_beats_and_goes_on,
    ),
    // The suicidal snail.
    (
        "slow_snail_aborts_with_status_3",
        snail::slow_subscriber_aborts_with_status_3,
    ),
    (
        "fast_snail_receives_its_count_and_exits_0",
        snail::fast_subscriber_receives_its_count_and_exits_0,
    ),
    (
        "snail_publisher_counts_and_paces_its_messages",
        snail::publisher_counts_and_paces_its_messages,
    ),
    (
        "snail_subscriber_reports_bad_times_and_goes_on",
        snail::subscriber_reports_bad_times_and_goes_on,
    ),
    (
        "snail_waiting_for_a_message_is_not_lag",
        snail::waiting_for_a_message_is_not_lag,
    ),
    (
        "multicast_endpoints_are_refused_by_this_build",
        snail::multicast_endpoints_are_refused_by_this_build,
    ),
    // --max-msg-size on every receiving socket.
    (
        "pirate_server_refuses_oversized_requests",
        limits::pirate_server_refuses_oversized_requests,
    ),
    (
        "pirate_client_refuses_oversized_replies",
        limits::pirate_client_refuses_oversized_replies,
    ),
    (
        "heartbeat_server_refuses_oversized_messages",
        limits::heartbeat_server_refuses_oversized_messages,
    ),
    (
        "heartbeat_worker_refuses_oversized_messages",
        limits::heartbeat_worker_refuses_oversized_messages,
    ),
    (
        "slow_subscriber_refuses_oversized_messages",
        limits::slow_subscriber_refuses_oversized_messages,
    ),
    (
        "snail_subscriber_refuses_oversized_messages",
        limits::snail_subscriber_refuses_oversized_messages,
    ),
    (
        "hwm_publisher_refuses_oversized_subscriptions",
        limits::hwm_publisher_refuses_oversized_subscriptions,
    ),
    // Ending cleanly.
    ("reliability_programs_stop_on_sigint", |bins| {
        lifecycle::programs_stop_while_blocked(bins, libc::SIGINT)
    }),
    ("reliability_programs_stop_on_sigterm", |bins| {
        lifecycle::programs_stop_while_blocked(bins, libc::SIGTERM)
    }),
    (
        "reliability_no_heap_lost_after_bounded_runs",
        lifecycle::no_heap_lost_after_bounded_runs,
    ),
    (
        "reliability_no_heap_lost_after_sigint",
        lifecycle::no_heap_lost_after_sigint,
    ),
    (
        "reliability_defaults_talk_on_port_4040",
        lifecycle::defaults_talk_on_port_4040,
    ),
];
