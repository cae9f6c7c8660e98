//! Every transcript the walkthrough shows, page by page: the only list.
//! A new demo needs an entry here (the `transcripts::` scenarios fail until
//! it has one, and until its page includes the file).

use crate::demo::ch1::DELAY_ENV;
use crate::demo::ch2::WORKERS_ENV;
use crate::demo::partition::INTERVAL_ENV;
use crate::transcripts::{Beside, Rule, Source, Transcript};

const fn demo(file: &'static str, page: &'static str, lesson: &'static str) -> Transcript {
    Transcript {
        file,
        page,
        source: Source::Demo {
            lesson,
            env: &[],
            check_env: &[],
        },
        rules: &[],
        root: false,
    }
}

const fn program(
    file: &'static str,
    page: &'static str,
    program: &'static str,
    args: &'static [&'static str],
) -> Transcript {
    Transcript {
        file,
        page,
        source: Source::Program {
            program,
            args,
            beside: None,
            release: false,
        },
        rules: &[],
        root: false,
    }
}

/// A step of the Labs page's session.
const fn lab(file: &'static str, args: &'static [&'static str]) -> Transcript {
    Transcript {
        source: Source::Lab { args },
        ..demo(file, "labs.md", "")
    }
}

const fn beside(program: &'static str, args: &'static [&'static str]) -> Option<Beside> {
    Some(Beside {
        program,
        args,
        after: false,
    })
}

/// Every transcript.
pub const TRANSCRIPTS: &[Transcript] = &[
    // Chapter 1.
    Transcript {
        source: Source::Demo {
            lesson: "hello",
            env: &[],
            // The server's second of work per request, shortened: the demo
            // never prints it.
            check_env: &[(DELAY_ENV, "50")],
        },
        ..demo("demo-hello.txt", "ch1-hello.md", "hello")
    },
    program("version.txt", "ch1-hello.md", "version", &[]),
    Transcript {
        source: Source::Harness {
            args: &["--help"],
            beside: None,
        },
        ..demo("harness-help.txt", "running-the-labs.md", "")
    },
    // Chapter 2.
    Transcript {
        rules: &[
            // How many updates go out before the subscriber joins is timing,
            // which company comes next is chance.
            Rule::Collapse {
                label: "ticker-publisher",
                pattern: r"^Sending\.\.\. Company\d+ <price>$",
            },
            Rule::Collapse {
                label: "ticker-subscriber",
                pattern: r"^Company\d+ <price>$",
            },
            Rule::Collapse {
                label: "ticker-subscriber",
                pattern: r"^Company1\| <price>$",
            },
        ],
        ..demo("demo-ticker.txt", "ch2-pubsub-pipeline.md", "ticker")
    },
    Transcript {
        source: Source::Demo {
            lesson: "pipeline",
            env: &[(WORKERS_ENV, "2")],
            check_env: &[],
        },
        // The workloads are random, and which worker pulls how many is
        // timing.
        rules: &[Rule::Collapse {
            label: "task-worker-",
            pattern: r"^<workload>: <root>$",
        }],
        ..demo("demo-pipeline.txt", "ch2-pubsub-pipeline.md", "pipeline")
    },
    Transcript {
        source: Source::Harness {
            args: &["leak-check", "heap-leak-demo"],
            beside: None,
        },
        ..demo(
            "leak-check-heap-leak-demo.txt",
            "ch2-pubsub-pipeline.md",
            "",
        )
    },
    // Chapter 3.
    demo(
        "demo-context-limits.txt",
        "ch3-poll-multipart-czmq.md",
        "context-limits",
    ),
    Transcript {
        // Tasks and updates arrive on two sockets at their own pace; how
        // many Company1 updates come between two tasks is chance.
        rules: &[
            Rule::Split {
                label: "poller",
                pattern: r"^(task|ticker):",
            },
            Rule::Collapse {
                label: "poller",
                pattern: r"^ticker: Company1 <price>$",
            },
        ],
        ..demo("demo-poller.txt", "ch3-poll-multipart-czmq.md", "poller")
    },
    Transcript {
        // Each socket's messages in order; the three pushers' paces cross.
        rules: &[Rule::Split {
            label: "multi-poller",
            pattern: r"^(pull\d):",
        }],
        ..demo(
            "demo-multi-poller.txt",
            "ch3-poll-multipart-czmq.md",
            "multi-poller",
        )
    },
    program(
        "context-limits-set-after.txt",
        "ch3-poll-multipart-czmq.md",
        "context-limits",
        &[
            "--io-threads",
            "4",
            "--max-sockets",
            "5",
            "--set-after-first-socket",
        ],
    ),
    program(
        "context-limits-peers.txt",
        "ch3-poll-multipart-czmq.md",
        "context-limits",
        &["--max-sockets", "2", "--io-threads", "1", "--peers", "100"],
    ),
    demo(
        "demo-multipart.txt",
        "ch3-poll-multipart-czmq.md",
        "multipart",
    ),
    Transcript {
        // A loaded machine can let one more round through before Ctrl-C.
        rules: &[
            Rule::Collapse {
                label: "interrupt-client",
                pattern: r"^Received: world$",
            },
            Rule::Collapse {
                label: "interrupt-server",
                pattern: r"^Received: hello$",
            },
        ],
        ..demo(
            "demo-interrupt.txt",
            "ch3-poll-multipart-czmq.md",
            "interrupt",
        )
    },
    Transcript {
        // When the timer fires among the messages is timing.
        rules: &[Rule::Split {
            label: "zloop-server",
            pattern: r"^(tick):",
        }],
        ..demo("demo-zloop.txt", "ch3-czmq.md", "zloop")
    },
    demo("demo-kv.txt", "ch3-czmq.md", "kv"),
    Transcript {
        source: Source::Program {
            program: "zmsg-client",
            args: &[],
            beside: beside("zmsg-server", &[]),
            release: false,
        },
        ..program("zmsg-client.txt", "ch3-czmq.md", "", &[])
    },
    Transcript {
        source: Source::Program {
            program: "kv-list-client",
            args: &[],
            beside: beside("kv-server", &[]),
            release: false,
        },
        ..program("kv-list-client.txt", "ch3-czmq.md", "", &[])
    },
    // Chapter 4.
    Transcript {
        // Three clients at once: each client's requests in order, served by
        // whichever worker the broker's DEALER picks.
        rules: &[
            Rule::Pool {
                label: "rr-worker-",
            },
            Rule::Split {
                label: "rr-",
                pattern: r"\b(c\d) \d",
            },
            Rule::Blur {
                pattern: r"\(w\d\)",
                with: "(w?)",
            },
        ],
        ..demo("demo-broker.txt", "ch4-advanced.md", "broker")
    },
    demo("demo-mt-server.txt", "ch4-advanced.md", "mt-server"),
    Transcript {
        // The prefix subscriber joins between the publisher's two messages
        // or before them.
        rules: &[Rule::Split {
            label: "envelope-subscriber-",
            pattern: r"^\[(Company\d+)\]",
        }],
        ..demo("demo-envelopes.txt", "ch4-advanced.md", "envelopes")
    },
    Transcript {
        // A PUB at its mark may drop the end marker too; the subscriber then
        // stops after a second of silence.
        rules: &[Rule::Blur {
            pattern: r"\] (?:end of the run: 500 messages were sent|no message for 1000 ms; stopping)$",
            with: "] (the end marker, or a second of silence)",
        }],
        ..demo("demo-hwm.txt", "ch4-reliability.md", "hwm")
    },
    demo("demo-lazy-pirate.txt", "ch4-reliability.md", "lazy-pirate"),
    demo("demo-heartbeat.txt", "ch4-reliability.md", "heartbeat"),
    Transcript {
        source: Source::Demo {
            lesson: "partition",
            env: &[],
            // Heartbeats every 100 ms instead of 200: the same story, twice
            // as fast, and a backoff that says so.
            check_env: &[(INTERVAL_ENV, "100")],
        },
        rules: &[
            Rule::Blur {
                pattern: r"reconnecting in \d+ ms$",
                with: "reconnecting in <the interval> ms",
            },
            // After the heal, TCP delivers what the worker's old connection
            // had queued, so h3's server may see it join, expire and join
            // again, and the worker retry once more, as the backoff and the
            // retransmissions fall; the ZMTP watcher reconnects before the
            // end or not. Each run of such lines counts as one; the scenario
            // itself holds each act's lines to its narration.
            Rule::Collapse {
                label: "server-h3",
                pattern: r"^worker h1 (?:joined|expired)$",
            },
            Rule::Collapse {
                label: "worker-to-h3",
                pattern: r"^(?:connected|server expired; reconnecting in .* ms)$",
            },
            Rule::Collapse {
                label: "zmtp-watch-to-h3",
                pattern: r"^(?:connected|disconnected)$",
            },
        ],
        root: true,
        ..demo("demo-partition.txt", "ch4-reliability.md", "partition")
    },
    Transcript {
        // How many late messages come before the snail gives up is timing.
        rules: &[Rule::Collapse {
            label: "snail-subscriber-",
            pattern: r"^received <time>: <n> ms late$",
        }],
        ..demo("demo-snail.txt", "ch4-reliability.md", "snail")
    },
    // Labs.
    lab("lab-list.txt", &["lab", "list"]),
    lab(
        "lab-start.txt",
        &["lab", "start", "hello-server-received", "/tmp/lab/hello"],
    ),
    lab(
        "lab-check-starter.txt",
        &["lab", "check", "hello-server-received", "/tmp/lab/hello"],
    ),
    lab("lab-hint.txt", &["lab", "hint", "hello-server-received"]),
    lab(
        "lab-check-fixed.txt",
        &["lab", "check", "hello-server-received", "/tmp/lab/hello"],
    ),
    lab(
        "lab-grade.txt",
        &["lab", "grade", "hello-server-received", "/tmp/lab/class"],
    ),
    lab(
        "lab-grade-csv.txt",
        &[
            "cut",
            "-d,",
            "-f1-5",
            "/tmp/lab/class/hello-server-received-grades.csv",
        ],
    ),
    // Heap profiling.
    Transcript {
        source: Source::Harness {
            args: &["leak-check", "hello-client", "--", "--count", "3"],
            beside: beside("hello-server", &["--delay-ms", "0"]),
        },
        ..demo("leak-check-hello-client.txt", "heap-profiling.md", "")
    },
    // Performance.
    Transcript {
        source: Source::Program {
            program: "local-thr",
            args: &["tcp://127.0.0.1:5555", "64", "1000000"],
            beside: Some(Beside {
                program: "remote-thr",
                args: &["tcp://127.0.0.1:5555", "64", "1000000"],
                after: true,
            }),
            release: true,
        },
        ..program("local-thr.txt", "performance.md", "", &[])
    },
    Transcript {
        source: Source::Program {
            program: "remote-lat",
            args: &["tcp://127.0.0.1:5556", "64", "10000"],
            beside: beside("local-lat", &["tcp://127.0.0.1:5556", "64", "10000"]),
            release: true,
        },
        ..program("remote-lat.txt", "performance.md", "", &[])
    },
    Transcript {
        source: Source::Program {
            program: "inproc-lat",
            args: &["64", "10000"],
            beside: None,
            release: true,
        },
        ..program("inproc-lat.txt", "performance.md", "", &[])
    },
];
