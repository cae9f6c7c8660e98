//! Chapter 1's exercises: the hello world pair.

use crate::lab::{Exercise, Graded};

/// Chapter 1's exercises.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "hello-server-received",
        program: "hello-server",
        section: "ch1 Hello world",
        task: "print the request received",
        statement: "\
The hello world server answers `world` to every request and logs each one as
`Received: <request>`. A log is only worth reading if it says what came: a
request of any other text, or of bytes that are not UTF-8, must show as it
is (bytes that are not UTF-8 as `\u{fffd}`).

The starter keeps the printed listing's defect: its log line is a constant,
so whatever a client sends, the server says it received `hello`.",
        errata: &["It prints `Received: hello` whatever arrived"],
        graded: &[
            Graded {
                scenario: "ch1::three_requests_get_three_worlds",
                expects: "three requests `hello` from hello-client: the server \
                          logs `Received: hello` three times and replies `world` \
                          to each",
            },
            Graded {
                scenario: "ch1::non_utf8_request_is_printed_lossily_and_served",
                expects: "a request of the bytes ff `hello` fe: the server logs \
                          `Received: \u{fffd}hello\u{fffd}` and still replies `world`",
            },
        ],
        hints: &[
            "Send the server something else than `hello` and read its log: the \
             `Received:` line does not depend on the request at all.",
            "The request is in `request`, a `lab::Frames`; `request.single()` \
             gives the bytes of a one-frame request.",
            "Print those bytes with `String::from_utf8_lossy`, which shows bytes \
             that are not UTF-8 as \u{fffd} instead of failing (errata, chapter 1: \
             \"It prints `Received: hello` whatever arrived\").",
        ],
        starter: include_str!("../../../../labs/src/bin/hello-server-received.rs"),
    },
    Exercise {
        name: "hello-client-reply",
        program: "hello-client",
        section: "ch1 Hello world",
        task: "print the reply received",
        statement: "\
The hello world client sends `hello` and prints `Received: <reply> - <n>` for
each reply. The server answers `world`: the line must show the reply, the
bytes that came back, not the request that went out.

The starter keeps the printed listing's defect: it prints the text it sent,
so its output says `hello` came back.",
        errata: &["It prints `Received: hello - <n>` for the reply"],
        graded: &[Graded {
            scenario: "ch1::three_requests_get_three_worlds",
            expects: "against hello-server, three requests: the client prints \
                      `Sending: hello - <n>` and `Received: world - <n>` for n = 0, \
                      1, 2",
        }],
        hints: &[
            "Compare the client's `Received:` lines with what the server sends \
             back (`world`).",
            "The reply is in `reply`; `reply.single()` gives its bytes: print \
             those (`String::from_utf8_lossy`), not a constant (errata, chapter \
             1: \"It prints `Received: hello - <n>` for the reply\").",
        ],
        starter: include_str!("../../../../labs/src/bin/hello-client-reply.rs"),
    },
];
