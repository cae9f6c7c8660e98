//! Chapter 2's exercises: the stock ticker and the pipeline.

use crate::lab::{Exercise, Graded};

/// Chapter 2's exercises.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "ticker-update-length",
        program: "ticker-publisher",
        section: "ch2 Publish-subscribe",
        task: "send whole updates",
        statement: "\
The stock ticker publishes `<company> <price>` updates, a company at random
from `--companies` and a price at random in 0..1000. A subscriber filters
them by prefix, so an update must be the whole text: with `--companies
Company1,Company10,Company101` a subscriber to `Company1` sees all three names
(the prefix problem the chapter goes on to solve), each with its price.

The starter keeps the printed listing's defect: the size of every message is
the length of the first company's name, whatever the update.",
        errata: &["The message is as long as the first company's name"],
        graded: &[
            Graded {
                scenario: "ch2::subscriber_without_filter_receives_every_company",
                expects: "a subscriber with no filter gets 100 updates of Company1 \
                          and Company2, each with a price below 1000, and the \
                          prices vary",
            },
            Graded {
                scenario: "ch2::prefix_filter_also_matches_company10",
                expects: "with Company1, Company10 and Company101, a subscriber to \
                          `Company1` gets updates of all three names",
            },
        ],
        hints: &[
            "Run ticker-subscriber against it: which part of the update never \
             arrives?",
            "The message sent is a slice of the update: how long is the slice, \
             and what is it the length of?",
            "Send the whole update, `update.as_bytes()` (errata, chapter 2: \"The \
             message is as long as the first company's name\").",
        ],
        starter: include_str!("../../../../labs/src/bin/ticker-update-length.rs"),
    },
    Exercise {
        name: "ventilator-sends-tasks",
        program: "task-ventilator",
        section: "ch2 Pipeline",
        task: "send the tasks",
        statement: "\
The ventilator deals a batch of tasks to the workers: it tells the sink that
the batch starts, then sends `--tasks` workloads (random numbers of
milliseconds) on its PUSH socket, which hands them to the connected workers
in turn, and prints the total expected cost. Every task must reach a worker,
and every result the sink.

The starter keeps the printed listing's defect: it computes each workload,
adds it to the total, and never sends it.",
        errata: &["The tasks are never sent"],
        graded: &[
            Graded {
                scenario: "ch2::every_task_reaches_the_sink_once_with_1_worker",
                expects: "24 tasks with one worker: the worker does all 24, the \
                          sink collects 24 results, one per task, and none failed",
            },
            Graded {
                scenario: "ch2::every_task_reaches_the_sink_once_with_2_workers",
                expects: "24 tasks, two workers: each does 12, the sink collects \
                          all 24",
            },
        ],
        hints: &[
            "Start a sink and a worker by hand: does the worker print anything \
             once the ventilator is done?",
            "The loop computes `workload`, but which socket does it go out on?",
            "Send each workload on the tasks' socket, `sender`, as decimal text \
             (errata, chapter 2: \"The tasks are never sent\").",
        ],
        starter: include_str!("../../../../labs/src/bin/ventilator-sends-tasks.rs"),
    },
    Exercise {
        name: "worker-result-socket",
        program: "task-worker",
        section: "ch2 Pipeline",
        task: "send the results to the sink",
        statement: "\
A worker pulls tasks from the ventilator on a PULL socket, computes each
one's square root, works the task's milliseconds, and pushes the result to
the sink on its PUSH socket. The sink counts the results: every task must
come back as one.

The starter keeps the printed listing's defect: it sends each result on the
socket it receives on, and does not look at what the send returned.",
        errata: &["The result goes out on the wrong socket"],
        graded: &[Graded {
            scenario: "ch2::every_task_reaches_the_sink_once_with_1_worker",
            expects: "24 tasks with this one worker: the worker prints all 24, \
                      the sink collects 24 results, one per task",
        }],
        hints: &[
            "The worker prints every task, and the sink never gets a result: \
             where do the results go?",
            "A PULL socket cannot send: libzmq refuses (`ENOTSUP`), and the \
             starter ignores the error.",
            "Send the result on `sender`, the PUSH socket connected to the sink, \
             with `lab::send` so that a failure is reported (errata, chapter 2: \
             \"The result goes out on the wrong socket\").",
        ],
        starter: include_str!("../../../../labs/src/bin/worker-result-socket.rs"),
    },
    Exercise {
        name: "sink-progress-marks",
        program: "task-sink",
        section: "ch2 Pipeline",
        task: "mark every tenth result",
        statement: "\
The sink waits for the batch start, then collects `--tasks` results. Its
progress line has one mark per result: `.` for each, `:` for every tenth (the
10th, the 20th, …), so 25 results print `.........:.........:.....`; then
the elapsed time and the number of failed tasks.

The starter keeps the printed listing's defect: its test for \"every tenth\"
is true for the first ten results only, and prints a sentence with no line
end each time.",
        errata: &["\"10 Tasks have been processed\", ten times, then never"],
        graded: &[Graded {
            scenario: "ch2::sink_counts_results_and_marks_every_tenth",
            expects: "25 results (two of them `failed`) and one message that is \
                      no result: the sink prints `.........:.........:.....`, \
                      `Failed tasks: 2`, and reports the bad message on stderr",
        }],
        hints: &[
            "Count: for which values of `tally.received` is `received / 10 == 0`?",
            "\"Every tenth\" is `received % 10 == 0`; print `:` then, `.` otherwise \
             (errata, chapter 2: \"10 Tasks have been processed\", ten times, then \
             never).",
        ],
        starter: include_str!("../../../../labs/src/bin/sink-progress-marks.rs"),
    },
];
