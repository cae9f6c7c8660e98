//! Chapter 3's core lessons: context limits, polling, multipart messages,
//! interrupts. One module per topic; this one holds the [`SCENARIOS`] table
//! and the helpers the topics share.

pub mod cli;
pub mod interrupt;
pub mod lessons;
pub mod lifecycle;
pub mod limits;
pub mod multipart;
pub mod poll;
pub mod topology;

use crate::scenarios::peer::{retrying, zmq_failure};
use crate::scenarios::Scenario;
use crate::{ensure, Result};

/// The core lessons' checks, by name.
pub const SCENARIOS: &[Scenario] = &[
    // What a user meets first.
    (
        "core_help_names_the_book_section_and_defaults",
        cli::help_names_the_book_section_and_defaults,
    ),
    (
        "core_book_defaults_use_ports_4040_and_5050",
        cli::book_defaults_use_ports_4040_and_5050,
    ),
    // Transports.
    (
        "inproc_connect_before_bind_is_delivered",
        topology::inproc_connect_before_bind_is_delivered,
    ),
    // The context's settings.
    (
        "context_refuses_the_socket_past_max_sockets",
        limits::context_refuses_the_socket_past_max_sockets,
    ),
    (
        "io_threads_option_starts_that_many_threads",
        limits::io_threads_option_starts_that_many_threads,
    ),
    (
        "book_defaults_open_512_sockets_on_8_io_threads",
        limits::book_defaults_open_512_sockets_on_8_io_threads,
    ),
    (
        "unset_limit_is_libzmqs_1023",
        limits::unset_limit_is_libzmqs_1023,
    ),
    (
        "open_file_limit_refuses_before_the_context_does",
        limits::open_file_limit_refuses_before_the_context_does,
    ),
    (
        "out_of_range_limits_are_usage_errors",
        limits::out_of_range_limits_are_usage_errors,
    ),
    (
        "context_options_set_after_the_first_socket_are_ignored",
        limits::options_set_after_the_first_socket_are_ignored,
    ),
    (
        "max_sockets_counts_no_connection_from_peers",
        limits::max_sockets_counts_no_connection_from_peers,
    ),
    // Polling.
    (
        "poller_subscribes_to_the_filter_without_a_nul",
        poll::poller_subscribes_to_the_filter_without_a_nul,
    ),
    (
        "book_nul_subscription_matches_no_real_update",
        poll::book_nul_subscription_matches_no_real_update,
    ),
    (
        "poller_receives_from_both_sockets",
        poll::poller_receives_from_both_sockets,
    ),
    (
        "poller_survives_multiframe_empty_and_non_utf8_messages",
        poll::poller_survives_multiframe_empty_and_non_utf8_messages,
    ),
    (
        "poller_refuses_a_message_over_max_msg_size",
        poll::poller_refuses_a_message_over_max_msg_size,
    ),
    (
        "multi_poller_names_the_source_of_each_message",
        poll::multi_poller_names_the_source_of_each_message,
    ),
    (
        "multi_poller_survives_multiframe_empty_and_non_utf8_messages",
        poll::multi_poller_survives_multiframe_empty_and_non_utf8_messages,
    ),
    (
        "pusher_sends_count_labelled_messages",
        poll::pusher_sends_count_labelled_messages,
    ),
    (
        "pusher_interval_spaces_the_messages",
        poll::pusher_interval_spaces_the_messages,
    ),
    ("pusher_waits_for_a_puller", poll::pusher_waits_for_a_puller),
    // Multipart messages.
    (
        "multipart_client_prints_five_frames_and_world",
        multipart::multipart_client_prints_five_frames_and_world,
    ),
    (
        "multipart_reply_arrives_whole_with_exact_frames",
        multipart::multipart_reply_arrives_whole_with_exact_frames,
    ),
    (
        "sndmore_on_the_last_frame_leaves_the_client_with_nothing",
        multipart::sndmore_on_the_last_frame_leaves_the_client_with_nothing,
    ),
    (
        "multipart_client_timeout_does_not_cut_a_reply",
        multipart::multipart_client_timeout_does_not_cut_a_reply,
    ),
    (
        "multipart_client_reports_a_reply_that_is_not_five_letters",
        multipart::multipart_client_reports_a_reply_that_is_not_five_letters,
    ),
    (
        "req_receiving_before_it_sends_fails_with_efsm",
        lessons::req_receiving_before_it_sends_fails_with_efsm,
    ),
    (
        "multipart_server_survives_multiframe_empty_and_non_utf8_requests",
        multipart::multipart_server_survives_multiframe_empty_and_non_utf8_requests,
    ),
    (
        "multipart_pair_refuses_messages_over_max_msg_size",
        multipart::multipart_pair_refuses_messages_over_max_msg_size,
    ),
    (
        "multipart_server_delay_is_the_work_time",
        multipart::multipart_server_delay_is_the_work_time,
    ),
    // Interrupts.
    (
        "interrupt_pair_exchanges_hello_and_world",
        interrupt::interrupt_pair_exchanges_hello_and_world,
    ),
    ("interrupt_client_stops_on_sigint_while_sleeping", |bins| {
        interrupt::interrupt_client_stops_while_sleeping(bins, libc::SIGINT)
    }),
    ("interrupt_client_stops_on_sigterm_while_sleeping", |bins| {
        interrupt::interrupt_client_stops_while_sleeping(bins, libc::SIGTERM)
    }),
    (
        "interrupt_client_stops_on_sigint_while_waiting_for_a_reply",
        |bins| interrupt::interrupt_client_stops_while_waiting_for_a_reply(bins, libc::SIGINT),
    ),
    (
        "interrupt_client_interval_spaces_the_requests",
        interrupt::interrupt_client_interval_spaces_the_requests,
    ),
    (
        "interrupt_server_echo_sends_each_request_back_whole",
        interrupt::interrupt_server_echo_sends_each_request_back_whole,
    ),
    (
        "interrupt_server_survives_multiframe_empty_and_non_utf8_requests",
        interrupt::interrupt_server_survives_multiframe_empty_and_non_utf8_requests,
    ),
    (
        "interrupt_client_survives_multiframe_empty_and_non_utf8_replies",
        interrupt::interrupt_client_survives_multiframe_empty_and_non_utf8_replies,
    ),
    (
        "interrupt_server_refuses_a_request_over_max_msg_size",
        interrupt::interrupt_server_refuses_a_request_over_max_msg_size,
    ),
    (
        "interrupt_client_refuses_a_reply_over_max_msg_size",
        interrupt::interrupt_client_refuses_a_reply_over_max_msg_size,
    ),
    // Every program, every blocking state, both signals; the heap.
    (
        "core_programs_stop_on_sigint_in_every_blocking_state",
        |bins| lifecycle::programs_stop_in_every_blocking_state(bins, libc::SIGINT),
    ),
    (
        "core_programs_stop_on_sigterm_in_every_blocking_state",
        |bins| lifecycle::programs_stop_in_every_blocking_state(bins, libc::SIGTERM),
    ),
    (
        "core_no_heap_lost_after_bounded_runs",
        lifecycle::no_heap_lost_after_bounded_runs,
    ),
    (
        "core_no_heap_lost_after_sigint",
        lifecycle::no_heap_lost_after_sigint,
    ),
];

/// Sends `data` on the harness's `socket` (bound, one peer connected) and
/// waits until the peer drops the connection — as a program does with a
/// message over its `--max-msg-size`. A socket monitor reports the drop; a
/// limit that did nothing leaves the connection up and the wait runs out.
/// (libzmq 4.3.4 takes an oversized message as a protocol error: the
/// program's connecting socket does not connect again.)
///
/// Returns the monitor's socket: close `socket` before it. (libzmq sends
/// monitor events with a blocking send, from its I/O thread: with the
/// reader gone, the next event would block that thread for good.)
pub(super) fn send_until_dropped(
    context: &zmq::Context,
    socket: &zmq::Socket,
    data: &[u8],
) -> Result<zmq::Socket> {
    let endpoint = format!("inproc://dropped-{:p}", socket);
    let dropped = zmq::SocketEvent::DISCONNECTED.to_raw();
    socket
        .monitor(&endpoint, i32::from(dropped))
        .map_err(zmq_failure)?;
    let monitor = crate::scenarios::peer::peer_socket(context, zmq::PAIR)?;
    monitor.connect(&endpoint).map_err(zmq_failure)?;
    retrying(|| socket.send(data, 0))?;
    // An event is two frames: the event and its value, then the address.
    let event = retrying(|| monitor.recv_multipart(0))?;
    let kind = event.first().and_then(|e| e.get(..2));
    let kind = kind.map(|b| u16::from_le_bytes([b[0], b[1]]));
    ensure(kind == Some(dropped), || {
        format!("expected a disconnection, got the event {event:?}")
    })?;
    Ok(monitor)
}
