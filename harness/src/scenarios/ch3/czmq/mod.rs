//! Chapter 3's CZMQ programs in Rust: the reactor (zloop), whole messages
//! (zmsg), files (zfile), and the key-value server with its clients (zhash,
//! zlist). One module per lesson; this one holds the [`SCENARIOS`] table and
//! the helpers the lessons share.

pub mod kv;
pub mod lifecycle;
pub mod zfile;
pub mod zloop;
pub mod zmsg;

use std::path::{Path, PathBuf};

use crate::scenarios::peer::retrying;
use crate::scenarios::Scenario;
use crate::{ensure, Failure, Finished, Result};

/// The CZMQ programs' checks, by name.
pub const SCENARIOS: &[Scenario] = &[
    // zloop: a reactor's reader and timer.
    (
        "zloop_server_prints_each_message_until_count",
        zloop::zloop_server_prints_each_message_until_count,
    ),
    (
        "zloop_timer_reports_messages_since_the_last_tick",
        zloop::zloop_timer_reports_messages_since_the_last_tick,
    ),
    (
        "zloop_timer_ms_sets_the_tick_interval",
        zloop::zloop_timer_ms_sets_the_tick_interval,
    ),
    (
        "zloop_timer_runs_once_as_the_book_sets_it",
        zloop::zloop_timer_runs_once_as_the_book_sets_it,
    ),
    (
        "zloop_server_survives_multiframe_empty_and_non_utf8_messages",
        zloop::zloop_server_survives_multiframe_empty_and_non_utf8_messages,
    ),
    (
        "zloop_server_refuses_a_message_over_max_msg_size",
        zloop::zloop_server_refuses_a_message_over_max_msg_size,
    ),
    (
        "zloop_client_interval_paces_the_pushes",
        zloop::zloop_client_interval_paces_the_pushes,
    ),
    ("zloop_server_stops_on_sigint_inside_its_reactor", |bins| {
        zloop::zloop_server_stops_inside_its_reactor(bins, libc::SIGINT)
    }),
    ("zloop_server_stops_on_sigterm_inside_its_reactor", |bins| {
        zloop::zloop_server_stops_inside_its_reactor(bins, libc::SIGTERM)
    }),
    // zmsg: a message built frame by frame travels whole.
    (
        "zmsg_client_prints_the_five_frames_of_hello",
        zmsg::zmsg_client_prints_the_five_frames_of_hello,
    ),
    (
        "zmsg_reply_is_exactly_h_e_l_l_o",
        zmsg::zmsg_reply_is_exactly_h_e_l_l_o,
    ),
    (
        "zmsg_server_survives_multiframe_empty_and_non_utf8_requests",
        zmsg::zmsg_server_survives_multiframe_empty_and_non_utf8_requests,
    ),
    (
        "zmsg_client_prints_any_reply_whole",
        zmsg::zmsg_client_prints_any_reply_whole,
    ),
    (
        "zmsg_server_refuses_a_request_over_max_msg_size",
        zmsg::zmsg_server_refuses_a_request_over_max_msg_size,
    ),
    // zfile: save a reply; create_dir makes one level.
    (
        "zfile_client_saves_a_reply_that_loads_back",
        zfile::zfile_client_saves_a_reply_that_loads_back,
    ),
    (
        "zfile_client_saves_every_frame_of_a_reply",
        zfile::zfile_client_saves_every_frame_of_a_reply,
    ),
    (
        "zfile_client_defaults_to_server_txt_here",
        zfile::zfile_client_defaults_to_server_txt_here,
    ),
    (
        "zfile_client_explains_that_create_dir_makes_one_level",
        zfile::zfile_client_explains_that_create_dir_makes_one_level,
    ),
    (
        "zfile_client_reports_a_file_it_cannot_create",
        zfile::zfile_client_reports_a_file_it_cannot_create,
    ),
    ("zfile_client_stops_on_sigint_while_waiting", |bins| {
        zfile::zfile_client_stops_while_waiting_for_a_reply(bins, libc::SIGINT)
    }),
    // zhash and zlist: the key-value server and its clients.
    (
        "kv_server_answers_the_book_table",
        kv::kv_server_answers_the_book_table,
    ),
    (
        "kv_unknown_and_non_utf8_keys_are_not_found",
        kv::kv_unknown_and_non_utf8_keys_are_not_found,
    ),
    (
        "kv_server_entry_adds_and_replaces_keys",
        kv::kv_server_entry_adds_and_replaces_keys,
    ),
    (
        "kv_server_survives_multiframe_empty_and_oversized_requests",
        kv::kv_server_survives_multiframe_empty_and_oversized_requests,
    ),
    (
        "kv_client_asks_its_key_count_times",
        kv::kv_client_asks_its_key_count_times,
    ),
    (
        "kv_client_interval_spaces_the_requests",
        kv::kv_client_interval_spaces_the_requests,
    ),
    (
        "kv_list_client_prints_replies_in_the_order_asked",
        kv::kv_list_client_prints_replies_in_the_order_asked,
    ),
    (
        "kv_clients_survive_multiframe_empty_and_non_utf8_replies",
        kv::kv_clients_survive_multiframe_empty_and_non_utf8_replies,
    ),
    (
        "czmq_clients_refuse_a_reply_over_max_msg_size",
        kv::czmq_clients_refuse_a_reply_over_max_msg_size,
    ),
    // The programs as programs.
    (
        "czmq_programs_stop_on_sigint_in_every_blocking_state",
        |bins| lifecycle::czmq_programs_stop_in_every_blocking_state(bins, libc::SIGINT),
    ),
    (
        "czmq_programs_stop_on_sigterm_in_every_blocking_state",
        |bins| lifecycle::czmq_programs_stop_in_every_blocking_state(bins, libc::SIGTERM),
    ),
    (
        "czmq_no_heap_lost_after_bounded_runs",
        lifecycle::czmq_no_heap_lost_after_bounded_runs,
    ),
    (
        "czmq_no_heap_lost_after_sigint",
        lifecycle::czmq_no_heap_lost_after_sigint,
    ),
    (
        "czmq_book_defaults_talk_on_port_5050",
        lifecycle::czmq_book_defaults_talk_on_port_5050,
    ),
    (
        "czmq_help_names_the_book_section_and_defaults",
        lifecycle::czmq_help_names_the_book_section_and_defaults,
    ),
    (
        "czmq_usage_errors_exit_2",
        lifecycle::czmq_usage_errors_exit_2,
    ),
    (
        "czmq_port_in_use_is_reported",
        lifecycle::czmq_port_in_use_is_reported,
    ),
    (
        "reactor_bench_compares_the_two_loops",
        lifecycle::reactor_bench_compares_the_two_loops,
    ),
];

/// Sends `frames` as one message from a harness socket.
fn send_frames(socket: &zmq::Socket, frames: &[&[u8]]) -> Result<()> {
    retrying(|| socket.send_multipart(frames.iter().copied(), 0))
}

/// Fails unless a line of `finished`'s stderr contains `text`.
fn expect_stderr_containing(finished: &Finished, text: &str) -> Result<()> {
    ensure(finished.stderr.iter().any(|l| l.contains(text)), || {
        format!(
            "{}: no {text:?} on stderr: {:?}",
            finished.name, finished.stderr
        )
    })
}

/// A fresh directory of the test's own in the temporary directory, removed
/// with everything in it when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(stem: &str) -> Result<Scratch> {
        let path = crate::process::unique_temp_file(stem, "d");
        std::fs::create_dir(&path)
            .map_err(|e| Failure::new(format!("cannot create {}: {e}", path.display())))?;
        Ok(Scratch(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
