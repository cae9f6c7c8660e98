//! Chapter 4, first half: the request-reply broker, the multithreaded
//! server, and pub-sub envelopes.
//!
//! One module per topic ([`rr`], [`threads`], [`envelopes`]) and one for what
//! every program of the three must do ([`common`]: `--help`, signals in each
//! blocking state, the heap). This module holds the [`SCENARIOS`] table.

pub mod common;
pub mod envelopes;
pub mod rr;
pub mod threads;

use crate::scenarios::Scenario;

/// The broker, threads and envelopes checks, by name.
pub const SCENARIOS: &[Scenario] = &[
    // The request-reply broker.
    (
        "one_req_shares_requests_among_two_servers",
        rr::one_req_shares_requests_among_two_servers,
    ),
    (
        "three_clients_get_their_own_replies_through_two_workers",
        rr::three_clients_get_their_own_replies_through_two_workers,
    ),
    (
        "broker_proxy_mode_serves_the_same_load",
        rr::broker_proxy_mode_serves_the_same_load,
    ),
    ("brokers_stop_under_load", rr::brokers_stop_under_load),
    (
        "request_waits_in_the_broker_until_a_worker_comes",
        rr::request_waits_in_the_broker_until_a_worker_comes,
    ),
    (
        "worker_that_joins_later_gets_work_too",
        rr::worker_that_joins_later_gets_work_too,
    ),
    (
        "verbose_broker_shows_each_envelope",
        rr::verbose_broker_shows_each_envelope,
    ),
    (
        "malformed_envelopes_are_dropped_and_the_broker_goes_on",
        rr::malformed_envelopes_are_dropped_and_the_broker_goes_on,
    ),
    (
        "malformed_replies_from_the_backend_are_dropped",
        rr::malformed_replies_from_the_backend_are_dropped,
    ),
    (
        "proxy_mode_forwards_anything_and_survives",
        rr::proxy_mode_forwards_anything_and_survives,
    ),
    (
        "worker_survives_multiframe_and_non_utf8_requests",
        rr::worker_survives_multiframe_and_non_utf8_requests,
    ),
    (
        "oversized_messages_never_reach_a_limited_worker_or_client",
        rr::oversized_messages_never_reach_a_limited_worker_or_client,
    ),
    (
        "client_reports_a_reply_that_is_not_its_own",
        rr::client_reports_a_reply_that_is_not_its_own,
    ),
    (
        "worker_delay_ms_delays_each_reply",
        rr::worker_delay_ms_delays_each_reply,
    ),
    (
        "rr_defaults_use_ports_5559_and_5560",
        rr::rr_defaults_use_ports_5559_and_5560,
    ),
    // The multithreaded server.
    (
        "mt_server_threads_serve_in_parallel",
        threads::mt_server_threads_serve_in_parallel,
    ),
    (
        "mt_server_stops_after_count_requests_with_nothing_lost",
        threads::mt_server_stops_after_count_requests_with_nothing_lost,
    ),
    (
        "mt_server_survives_malformed_requests",
        threads::mt_server_survives_malformed_requests,
    ),
    (
        "mt_server_default_serves_hello_client_on_port_4040",
        threads::mt_server_default_serves_hello_client_on_port_4040,
    ),
    // Pub-sub envelopes.
    (
        "envelope_subscriber_gets_only_its_key",
        envelopes::envelope_subscriber_gets_only_its_key,
    ),
    (
        "key_company1_also_matches_company10",
        envelopes::key_company1_also_matches_company10,
    ),
    (
        "exact_key_drops_longer_keys",
        envelopes::exact_key_drops_longer_keys,
    ),
    (
        "a_body_that_starts_with_the_key_matches_nothing",
        crate::scenarios::ch4::lessons::a_body_that_starts_with_the_key_matches_nothing,
    ),
    (
        "envelope_publisher_count_and_interval",
        envelopes::envelope_publisher_count_and_interval,
    ),
    (
        "bad_envelopes_are_reported_and_skipped",
        envelopes::bad_envelopes_are_reported_and_skipped,
    ),
    (
        "oversized_messages_and_subscriptions_are_refused",
        envelopes::oversized_messages_and_subscriptions_are_refused,
    ),
    (
        "envelope_defaults_talk_on_port_4040",
        envelopes::envelope_defaults_talk_on_port_4040,
    ),
    // Every program.
    (
        "ch4_broker_help_names_the_book_defaults",
        common::help_names_the_book_defaults,
    ),
    (
        "ch4_broker_usage_errors_exit_2",
        common::usage_errors_exit_2,
    ),
    ("ch4_broker_programs_stop_on_sigint", |bins| {
        common::programs_stop_while_blocked(bins, libc::SIGINT)
    }),
    ("ch4_broker_programs_stop_on_sigterm", |bins| {
        common::programs_stop_while_blocked(bins, libc::SIGTERM)
    }),
    (
        "ch4_broker_no_heap_lost_after_bounded_runs",
        common::no_heap_lost_after_bounded_runs,
    ),
    (
        "ch4_broker_no_heap_lost_after_sigint",
        common::no_heap_lost_after_sigint,
    ),
];
