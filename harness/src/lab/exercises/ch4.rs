//! Chapter 4's exercises: threads, high-water marks, retries, slow
//! subscribers.

use crate::lab::{Exercise, Graded};

/// Chapter 4's exercises.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "mt-server-relay",
        program: "mt-server",
        section: "ch4 Multithreading",
        task: "relay clients to workers",
        statement: "\
The multithreaded server is a broker in one process: a ROUTER socket for the
clients (chapter 1's hello-client), a DEALER socket on `inproc://workers`,
and a pool of worker threads, each with its own REP socket connected there.
The main thread must relay messages between the two sockets, both ways,
until Ctrl-C or `--count` requests; the workers then stop and are joined.

The starter keeps the printed listing's defect: it binds both sockets,
starts the workers, and never connects the two sockets to each other.",
        errata: &["The two sockets are never connected"],
        graded: &[
            Graded {
                scenario: "ch4::mt_server_default_serves_hello_client_on_port_4040",
                expects: "on the book's port 4040 with `--count 10`, the server \
                          serves hello-client's ten requests, `world` each, and \
                          exits 0",
            },
            Graded {
                scenario: "ch4::mt_server_threads_serve_in_parallel",
                expects: "ten requests at once, 100 ms of work each, get ten \
                          `world` replies; ten worker threads serve them several \
                          times faster than one",
            },
        ],
        hints: &[
            "The clients' requests reach the ROUTER socket: what takes them from \
             there to the DEALER, where the workers are?",
            "Relay both ways: a message readable on one socket is sent, whole, \
             on the other (a poll on both, or libzmq's `zmq_proxy`); \
             `ch4_advanced::broker::relay` does it.",
            "Relay until `--count` replies or Ctrl-C, then stop and join the \
             workers (errata, chapter 4: \"The two sockets are never \
             connected\").",
        ],
        starter: include_str!("../../../../labs/src/bin/mt-server-relay.rs"),
    },
    Exercise {
        name: "hwm-before-bind",
        program: "hwm-publisher",
        section: "ch4 High watermark",
        task: "set the mark before the bind",
        statement: "\
The high-water mark publisher sends numbered messages as fast as it can
through a socket whose send high-water mark is `--sndhwm` (10): at the mark,
a PUB drops messages for a slow subscriber and a PUSH waits, so the
publisher's memory stays small however slow its peers are.

The starter keeps the printed listing's defect: the mark is set after the
bind.",
        errata: &["The mark is set after the bind"],
        graded: &[
            Graded {
                scenario: "ch4::small_hwm_bounds_the_publishers_memory",
                expects: "against a subscriber that never reads, the publisher \
                          with `--sndhwm 10` uses far less memory than with no \
                          limit",
            },
            Graded {
                scenario: "ch4::push_at_its_hwm_blocks_instead_of_dropping",
                expects: "as a PUSH with `--sndhwm 10` against a peer that never \
                          reads, a send blocks after a few dozen messages",
            },
        ],
        hints: &[
            "A small mark and no mark at all give the same memory: the mark set \
             is not the mark in force.",
            "libzmq gives the connections a bind accepts the options the socket \
             had when it bound.",
            "Set `ZMQ_SNDHWM` before `lab::bind` (errata, chapter 4: \"The mark \
             is set after the bind\").",
        ],
        starter: include_str!("../../../../labs/src/bin/hwm-before-bind.rs"),
    },
    Exercise {
        name: "pirate-fresh-socket",
        program: "lazy-pirate-client",
        section: "ch4 Reliability",
        task: "retry on a new socket",
        statement: "\
The lazy pirate client sends numbered requests and waits `--timeout-ms` for
each echo. When none comes, the server may have crashed: the client tries
again, up to `--retries` times, then gives up (exit 1). Every request must
get exactly its own reply, across a server that crashes and is restarted.

The starter keeps the text's advice: after a timeout, it simply sends the
request again on the same socket.",
        errata: &["\"Simply retry sending\" is refused by a REQ socket"],
        graded: &[Graded {
            scenario: "ch4::pirate_recovers_from_a_crashed_and_restarted_server",
            expects: "the server crashes at request 4 and a new one starts: the \
                      client sends request 4 again, gets it through, and receives \
                      the replies 1 to 6, each once",
        }],
        hints: &[
            "Read the client's error after the first timeout: what does a REQ \
             socket that has sent a request accept next?",
            "A REQ socket waiting for a reply refuses a second send (`EFSM`); \
             throw it away (with `ZMQ_LINGER` 0, so the lost request goes with \
             it) and send again on a new one (errata, chapter 4: \"Simply retry \
             sending\" is refused by a REQ socket).",
        ],
        starter: include_str!("../../../../labs/src/bin/pirate-fresh-socket.rs"),
    },
    Exercise {
        name: "snail-aborts",
        program: "snail-subscriber",
        section: "ch4 Slow subscribers",
        task: "abort with exit status 3",
        statement: "\
The suicidal snail receives timestamps, works `--work-ms` on each, and
checks how late each message is. Once one is more than `--max-lag-ms` late,
it prints `Subscriber is too slow. Aborting.` and ends with exit status 3,
printing nothing after it: a subscriber that cannot keep up must not go on
working on stale data.

The starter keeps the printed listing's defect: it prints the sentence and
carries on.",
        errata: &["\"Aborting\", and carrying on"],
        graded: &[Graded {
            scenario: "ch4::slow_snail_aborts_with_status_3",
            expects: "60 ms of work per message, time every 20 ms, at most 80 ms \
                      of lag: within 10 messages the subscriber prints `Subscriber \
                      is too slow. Aborting.` as its last line and exits 3",
        }],
        hints: &[
            "After `Aborting.`, what does the loop do?",
            "Leave the loop there, and make the exit status 3 (`TOO_SLOW_EXIT`): \
             `lab::run` gives 0 or 1, so `main` must return `ExitCode::from(3)` \
             itself (errata, chapter 4: \"Aborting\", and carrying on).",
        ],
        starter: include_str!("../../../../labs/src/bin/snail-aborts.rs"),
    },
];
