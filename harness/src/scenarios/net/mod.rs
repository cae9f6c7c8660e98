//! The network lab's scenarios (`net::…`): programs on separate hosts (see
//! [`crate::net`]), and the failures a process kill cannot show — a host cut
//! off, alive and silent, its connections left open.
//!
//! They need root (network namespaces); on a machine that does not allow
//! them they are reported skipped, with the reason ([`TABLES`]). The
//! scenarios of `link-watch` on loopback and of the lab's own hygiene need
//! nothing special and always run.

pub mod broker;
pub mod detectors;
pub mod heartbeat;
pub mod hygiene;
pub mod link_watch;
pub mod netem;
pub mod req;

use crate::net::{available, netem_available};
use crate::scenarios::{Requirement, Scenario};

/// The tables, each with what it needs of the machine.
pub const TABLES: &[(&[Scenario], Option<Requirement>)] = &[
    (SCENARIOS, Some(available)),
    (NETEM_SCENARIOS, Some(netem_available)),
    (LOCAL_SCENARIOS, None),
];

/// On hosts of the lab: need root.
pub const SCENARIOS: &[Scenario] = &[
    // The longest first: it waits for the kernel's keepalive, in seconds.
    (
        "tcp_keepalive_notices_last_zmtp_and_app_heartbeats_first",
        detectors::tcp_keepalive_notices_last_zmtp_and_app_heartbeats_first,
    ),
    (
        "partitioned_worker_expires_though_alive_then_rejoins",
        heartbeat::partitioned_worker_expires_though_alive_then_rejoins,
    ),
    (
        "pirate_retries_through_a_partition_with_every_reply_its_own",
        req::pirate_retries_through_a_partition_with_every_reply_its_own,
    ),
    (
        "plain_req_still_waits_after_the_pirate_gave_up",
        req::plain_req_still_waits_after_the_pirate_gave_up,
    ),
    (
        "broker_queues_half_the_requests_to_a_partitioned_worker",
        broker::broker_queues_half_the_requests_to_a_partitioned_worker,
    ),
    (
        "kill_closes_the_connection_partition_leaves_it_open",
        detectors::kill_closes_the_connection_partition_leaves_it_open,
    ),
    (
        "partition_demo_shows_kill_then_partition",
        hygiene::partition_demo_shows_kill_then_partition,
    ),
    (
        "ctrl_c_on_the_demo_leaves_no_namespace",
        hygiene::ctrl_c_on_the_demo_leaves_no_namespace,
    ),
    (
        "hosts_have_only_lab_addresses_and_routes",
        hygiene::hosts_have_only_lab_addresses_and_routes,
    ),
    (
        "dropped_network_leaves_no_namespace",
        hygiene::dropped_network_leaves_no_namespace,
    ),
    (
        "sweep_removes_namespaces_of_ended_processes",
        hygiene::sweep_removes_namespaces_of_ended_processes,
    ),
];

/// Need netem too (delay, loss): skipped where the kernel has none.
pub const NETEM_SCENARIOS: &[Scenario] = &[(
    "pirate_gives_up_on_a_link_slower_than_its_timeout",
    netem::pirate_gives_up_on_a_link_slower_than_its_timeout,
)];

/// On loopback: need nothing.
pub const LOCAL_SCENARIOS: &[Scenario] = &[
    (
        "link_watch_reports_a_killed_peer_at_once",
        link_watch::reports_a_killed_peer_at_once,
    ),
    (
        "link_watch_reports_messages_and_refuses_oversized_ones",
        link_watch::reports_messages_and_refuses_oversized_ones,
    ),
    ("link_watch_stops_on_sigint", |bins| {
        link_watch::stops_while_blocked(bins, libc::SIGINT)
    }),
    ("link_watch_stops_on_sigterm", |bins| {
        link_watch::stops_while_blocked(bins, libc::SIGTERM)
    }),
    (
        "link_watch_no_heap_lost_after_its_count",
        link_watch::no_heap_lost_after_its_count,
    ),
    (
        "unprivileged_runs_skip_the_lab_with_a_reason",
        hygiene::unprivileged_runs_skip_the_lab_with_a_reason,
    ),
];
