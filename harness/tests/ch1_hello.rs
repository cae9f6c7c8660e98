//! Chapter 1: hello world over REQ/REP and the version check, as the walkthrough
//! tells it. Each test is a scenario of `harness::scenarios::ch1`, run on this
//! workspace's binaries.

use harness::scenarios::ch1;
use harness::{Bins, Result};

fn bins() -> &'static Bins {
    Bins::workspace()
}

#[test]
fn three_requests_get_three_worlds() -> Result<()> {
    ch1::three_requests_get_three_worlds(bins())
}

#[test]
fn client_started_before_server_still_completes() -> Result<()> {
    ch1::client_started_before_server_still_completes(bins())
}

#[test]
fn three_clients_each_get_their_own_replies() -> Result<()> {
    ch1::three_clients_each_get_their_own_replies(bins())
}

#[test]
fn server_stops_on_sigint_while_blocked() -> Result<()> {
    ch1::server_stops_while_blocked(bins(), libc::SIGINT)
}

#[test]
fn server_stops_on_sigterm_while_blocked() -> Result<()> {
    ch1::server_stops_while_blocked(bins(), libc::SIGTERM)
}

#[test]
fn client_stops_on_sigint_while_blocked() -> Result<()> {
    ch1::client_stops_while_blocked(bins(), libc::SIGINT)
}

#[test]
fn client_stops_on_sigterm_while_blocked() -> Result<()> {
    ch1::client_stops_while_blocked(bins(), libc::SIGTERM)
}

#[test]
fn port_in_use_is_reported() -> Result<()> {
    ch1::port_in_use_is_reported(bins())
}

#[test]
fn malformed_endpoints_are_reported() -> Result<()> {
    ch1::malformed_endpoints_are_reported(bins())
}

#[test]
fn non_utf8_request_is_printed_lossily_and_served() -> Result<()> {
    ch1::non_utf8_request_is_printed_lossily_and_served(bins())
}

#[test]
fn oversized_request_is_refused_and_server_keeps_serving() -> Result<()> {
    ch1::oversized_request_is_refused_and_server_keeps_serving(bins())
}

#[test]
fn version_reports_the_linked_libzmq() -> Result<()> {
    ch1::version_reports_the_linked_libzmq(bins())
}

#[test]
fn no_heap_lost_after_bounded_runs() -> Result<()> {
    ch1::no_heap_lost_after_bounded_runs(bins())
}

#[test]
fn no_heap_lost_after_sigint() -> Result<()> {
    ch1::no_heap_lost_after_sigint(bins())
}

/// The one test on a fixed port: serialised with every other test that uses the
/// book's ports, across test processes.
#[test]
#[serial_test::file_serial(book_ports)]
fn book_defaults_talk_on_port_4040() -> Result<()> {
    ch1::book_defaults_talk_on_port_4040(bins())
}
