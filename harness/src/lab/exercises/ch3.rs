//! Chapter 3's exercises: polling, multipart messages, interrupts, CZMQ.

use crate::lab::{Exercise, Graded};

/// Chapter 3's exercises.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "poller-subscription-nul",
        program: "poller",
        section: "ch3 Multiple sockets",
        task: "subscribe without the NUL",
        statement: "\
The poller waits on two sockets at once: a PULL socket for tasks and a SUB
socket for stock updates, subscribed to `--filter` (`Company1`). It prints
`task: …` or `ticker: …` for each message, whichever socket it came on.

The starter keeps the printed listing's defect: the subscription is the
filter as a C string, `strlen + 1` bytes, its terminating NUL included.",
        errata: &["The subscription includes the NUL"],
        graded: &[
            Graded {
                scenario: "ch3::poller_subscribes_to_the_filter_without_a_nul",
                expects: "the subscription that reaches the publisher is exactly \
                          the filter's bytes, `Company1`, nothing after it",
            },
            Graded {
                scenario: "ch3::poller_receives_from_both_sockets",
                expects: "with a pusher and a ticker-publisher, the poller prints \
                          tasks and `Company1` updates, and no `Company2` update",
            },
        ],
        hints: &[
            "The tasks arrive and no update ever does: which updates start with \
             the bytes the SUB socket subscribed to?",
            "A subscription is a prefix of bytes; no update contains a NUL.",
            "Subscribe to `args.filter.as_bytes()` (errata, chapter 3: \"The \
             subscription includes the NUL\").",
        ],
        starter: include_str!("../../../../labs/src/bin/poller-subscription-nul.rs"),
    },
    Exercise {
        name: "multipart-last-frame",
        program: "multipart-server",
        section: "ch3 Multipart",
        task: "no SNDMORE on the last frame",
        statement: "\
The multipart server answers each request with `world` in five frames, one
letter each. `SNDMORE` on a frame says that another frame of the same
message follows; the last frame goes without it, and that ends the message:
only then can the client receive it — all five frames at once — and the REP
socket take the next request.

The starter keeps the text's broken variant: `SNDMORE` on every frame, the
last one too.",
        errata: &[
            "The broken snippet",
            "One frame of the request, and `hello` whatever came",
            "Two bytes per letter",
        ],
        graded: &[
            Graded {
                scenario: "ch3::multipart_client_prints_five_frames_and_world",
                expects: "multipart-client sends `hello` and gets the five frames \
                          w o r l d, then prints `Joined: world`; the server \
                          prints `Received: hello`",
            },
            Graded {
                scenario: "ch3::multipart_reply_arrives_whole_with_exact_frames",
                expects: "three requests in a row, each answered by exactly five \
                          one-byte frames w o r l d, all there as soon as the first \
                          is, and no sixth",
            },
        ],
        hints: &[
            "The client waits for ever: a message is delivered only once it is \
             complete. Is this one ever complete?",
            "Once the reply has gone, the next receive fails: a REP socket in the \
             middle of a reply cannot take a request.",
            "Send `SNDMORE` on every frame but the last, and 0 on the last \
             (errata, chapter 3: \"The broken snippet\").",
        ],
        starter: include_str!("../../../../labs/src/bin/multipart-last-frame.rs"),
    },
    Exercise {
        name: "multipart-send-first",
        program: "multipart-client",
        section: "ch3 Multipart",
        task: "send before receiving",
        statement: "\
The multipart client sends `hello`, receives the whole reply, prints each
frame as `Received: <frame>` and then `Joined: world`. A reply that is not
the five frames w o r l d is an error (`error: …`, exit 1).

A REQ socket is strict: send, then receive, then send again. The starter
keeps the printed listing's defect: it receives without having sent
anything.",
        errata: &["The client never sends its request"],
        graded: &[
            Graded {
                scenario: "ch3::multipart_client_prints_five_frames_and_world",
                expects: "against multipart-server: the client sends `hello`, \
                          prints the five frames w o r l d and `Joined: world`, \
                          exits 0",
            },
            Graded {
                scenario: "ch3::multipart_client_reports_a_reply_that_is_not_five_letters",
                expects: "the client's request is `hello`; a reply of three frames, \
                          of one, of an empty one or of five wrong ones is each \
                          reported as `error: …`, exit 1",
            },
        ],
        hints: &[
            "Read the client's error: which state must a REQ socket be in before \
             it may receive?",
            "Send the request, `hello`, before waiting for the reply (errata, \
             chapter 3: \"The client never sends its request\").",
        ],
        starter: include_str!("../../../../labs/src/bin/multipart-send-first.rs"),
    },
    Exercise {
        name: "interrupt-client-sleep",
        program: "interrupt-client",
        section: "ch3 Interruptions",
        task: "stop on Ctrl-C while pausing",
        statement: "\
The interrupt client sends `hello`, prints the reply, pauses `--interval-ms`
(a second) and asks again. On Ctrl-C (SIGINT) or SIGTERM it must stop
cleanly from any state — sending, waiting for the reply, or pausing — print
`interrupted` and exit 0 within a second. It spends nearly all its time in
the pause.

The starter keeps the printed listing's defect: its pause is a plain sleep
that nothing wakes.",
        errata: &["A Ctrl-C during `sleep(1)` is lost"],
        graded: &[
            Graded {
                scenario: "ch3::interrupt_client_stops_on_sigint_while_sleeping",
                expects: "after its first reply, pausing a minute, the client gets \
                          SIGINT: it prints `interrupted` and exits 0 within a \
                          second, having sent one request",
            },
            Graded {
                scenario: "ch3::interrupt_client_stops_on_sigterm_while_sleeping",
                expects: "the same with SIGTERM",
            },
        ],
        hints: &[
            "The signal handler only sets a flag and wakes the waits of `lab`; \
             which wait of the loop is not one of them?",
            "`lab::sleep` is a sleep that a signal ends with \
             `Err(lab::Error::Interrupted)`; `?` then leaves the loop (errata, \
             chapter 3: \"A Ctrl-C during `sleep(1)` is lost\").",
        ],
        starter: include_str!("../../../../labs/src/bin/interrupt-client-sleep.rs"),
    },
    Exercise {
        name: "kv-list-order",
        program: "kv-list-client",
        section: "ch3 CZMQ zlist",
        task: "keep the replies' order",
        statement: "\
The list client asks the key-value server for `user_email`, then `user_id`
(or each `--key`, in order), keeps each reply in a list, then takes them out
and prints them on one line, in the order asked: `name@example.org 1234`.

The starter keeps the printed listing's defect: the way it adds a reply to
the list and the way it takes one out do not keep the order.",
        errata: &["The replies come out reversed"],
        graded: &[Graded {
            scenario: "ch3::kv_list_client_prints_replies_in_the_order_asked",
            expects: "asked `user_email` then `user_id`, the client prints \
                      `name@example.org 1234`; with `--key`s, the replies in the \
                      order given",
        }],
        hints: &[
            "Where does each reply go in the `VecDeque`, and from which end are \
             they taken?",
            "CZMQ's `zlist_push` puts an item at the front; the order asked needs \
             `push_back` with `pop_front` (errata, chapter 3: \"The replies come \
             out reversed\").",
        ],
        starter: include_str!("../../../../labs/src/bin/kv-list-order.rs"),
    },
];
