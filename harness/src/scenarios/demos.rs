//! The demos, run as a reader runs them — `harness demo <lesson>`, the
//! harness's own binary — and checked for what their narration promises: the
//! lesson's key lines are on screen and every program ends as announced —
//! and what it printed says what its transcript in the walkthrough says.
//!
//! They come first in the list of scenarios: the longest take a few seconds
//! of narrated pauses, so they start at once and the rest run beside them.

use std::ffi::OsStr;

use crate::scenarios::Scenario;
use crate::transcripts;
use crate::{ensure, Bins, Finished, Result, Running, PATIENCE};

/// The demos, the longest first.
pub const SCENARIOS: &[Scenario] = &[
    ("hwm_shows_drops_then_waits_then_memory", hwm),
    ("poller_shows_both_sockets_then_the_nul_filter", poller),
    ("heartbeat_shows_expiry_and_reconnection", heartbeat),
    ("pipeline_runs_the_chosen_number_of_workers", pipeline),
    (
        "multipart_shows_five_frames_then_the_stuck_reply",
        multipart,
    ),
    ("ticker_shows_the_four_steps", ticker),
    ("multi_poller_reads_all_three_pushers", multi_poller),
    ("snail_aborts_then_keeps_up", snail),
    ("zloop_shows_messages_and_ticks", zloop),
    ("lazy_pirate_recovers_after_the_crash", lazy_pirate),
    ("interrupt_stops_both_programs_cleanly", interrupt),
    ("hello_shows_both_programs_labelled_and_stops_them", hello),
    ("kv_answers_in_the_order_asked", kv),
    ("envelopes_shows_the_key_then_the_prefix", envelopes),
    ("mt_server_serves_five_clients_at_once", mt_server),
    ("broker_gives_every_client_its_own_replies", broker),
    ("context_limits_shows_the_refusal", context_limits),
];

/// Runs `harness demo <lesson>` as its transcript does (with the
/// transcript's settings, and those that only shorten its pauses), and
/// `env` too, to its end (exit 0), and compares what it printed with the
/// transcript (see [`crate::transcripts::compare`]).
fn demo(bins: &Bins, lesson: &str, env: &[(&str, &str)]) -> Result<Finished> {
    let transcript = transcripts::of_demo(lesson)?;
    let mut command = bins.command("harness", &["demo", lesson]);
    let settings = transcript
        .demo_env(true)
        .into_iter()
        .chain(env.iter().copied());
    command.envs(settings.map(|(key, value)| (OsStr::new(key), value)));
    let running = Running::spawn(&format!("harness demo {lesson}"), command)?;
    let finished = running.wait_exit(PATIENCE)?.expect_success()?;
    transcript.check(&finished.stdout)?;
    Ok(finished)
}

/// Every one of `shown` is part of some line of the demo's output.
fn expect_shown(demo: &Finished, shown: &[impl AsRef<str>]) -> Result<()> {
    for text in shown {
        let text = text.as_ref();
        ensure(demo.stdout.iter().any(|line| line.contains(text)), || {
            format!(
                "{}: never showed {text:?}:\n{}",
                demo.name,
                demo.stdout.join("\n")
            )
        })?;
    }
    Ok(())
}

/// No line of the demo's output, after the first that contains `from`,
/// contains `never`.
fn expect_not_shown_after(demo: &Finished, from: &str, never: &str) -> Result<()> {
    let start = demo.stdout.iter().position(|line| line.contains(from));
    let rest = start.map_or(&[][..], |start| &demo.stdout[start..]);
    ensure(
        start.is_some() && !rest.iter().any(|line| line.contains(never)),
        || {
            format!(
                "{}: after {from:?}, showed {never:?}:\n{}",
                demo.name,
                demo.stdout.join("\n")
            )
        },
    )
}

fn hello(bins: &Bins) -> Result<()> {
    // The book's one second of work per request is shortened (the
    // transcript's check settings): the scenario checks what the demo
    // shows, not its rhythm.
    let demo = demo(bins, "hello", &[])?;
    expect_shown(
        &demo,
        &[
            "[hello-client] Received: world - 2",
            "[hello-server] Received: hello",
            "[hello-server] (stderr) interrupted",
            "hello-server exited: exit status: 0",
        ],
    )
}

fn ticker(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "ticker", &[])?;
    expect_shown(
        &demo,
        &[
            "--- subscribe to everything",
            "--- subscribe to the prefix Company1",
            "--- the prefix problem",
            "[ticker-subscriber] received 8 updates",
            "--- the delimiter fix",
            "[ticker-subscriber] Company1| ",
            "ticker-publisher exited: exit status: 0",
        ],
    )
}

fn pipeline(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "pipeline", &[])?;
    expect_shown(
        &demo,
        &[
            "Waiting for 2 workers...",
            "Workers connected: 2 of 2",
            "task-worker-2] Worker starting...",
            "[      task-sink] Total elapsed time: ",
            "[      task-sink] Failed tasks: 0",
            "task-worker-2 exited: exit status: 0",
        ],
    )?;
    expect_not_shown_after(&demo, "Waiting for 2 workers", "task-worker-3")
}

fn context_limits(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "context-limits", &[])?;
    expect_shown(
        &demo,
        &[
            "[context-limits] background threads started: 9 (8 I/O and the reaper)",
            "[context-limits] opened 512 sockets; the next one failed",
            "[context-limits] refused by the context's limit (ZMQ_MAX_SOCKETS 512)",
            "context-limits exited: exit status: 0",
        ],
    )
}

fn poller(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "poller", &[])?;
    expect_shown(
        &demo,
        &[
            "] task: task 4",
            "] ticker: Company1 ",
            "--- poller exited: exit status: 0",
        ],
    )?;
    // The book's subscription, with its NUL, matches no update.
    expect_not_shown_after(&demo, "the book's subscription", "] ticker: ")
}

fn multi_poller(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "multi-poller", &[])?;
    expect_shown(
        &demo,
        &[
            "] pull1: a 2",
            "] pull2: b 2",
            "] pull3: c 2",
            "--- multi-poller exited: exit status: 0",
        ],
    )
}

fn multipart(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "multipart", &[])?;
    expect_shown(
        &demo,
        &[
            "[multipart-client] Joined: world",
            "[multipart-client] (stderr) error: no reply within 2000 ms",
            "--- multipart-client exited: exit status: 1",
            "[multipart-server] (stderr) interrupted",
        ],
    )
}

fn interrupt(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "interrupt", &[])?;
    expect_shown(
        &demo,
        &[
            "[interrupt-client] Received: world",
            "[interrupt-client] (stderr) interrupted",
            "--- interrupt-client exited: exit status: 0",
            "[interrupt-server] (stderr) interrupted",
            "--- interrupt-server exited: exit status: 0",
        ],
    )
}

fn zloop(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "zloop", &[])?;
    expect_shown(
        &demo,
        &[
            "[zloop-client] Pushing hello",
            "[zloop-server] hello",
            "[zloop-server] tick: ",
            "--- zloop-server exited: exit status: 0",
        ],
    )
}

fn kv(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "kv", &[])?;
    expect_shown(
        &demo,
        &[
            "[kv-client] Received: name@example.org",
            "[kv-list-client] name@example.org 1234",
            "[kv-list-client-2] Ann Not Found 1234",
            "--- kv-server exited: exit status: 0",
        ],
    )
}

fn broker(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "broker", &[])?;
    // Every client gets each of its own three replies, from either worker.
    let mut replies = Vec::new();
    for client in 1..=3 {
        for request in 0..3 {
            replies.push(format!(
                "[rr-client-c{client}] Received: world c{client} {request} (w"
            ));
        }
    }
    expect_shown(&demo, &replies)?;
    expect_shown(
        &demo,
        &[
            "[   rr-broker] request 3 frames: ",
            "--- rr-broker exited: exit status: 0",
        ],
    )
}

fn mt_server(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "mt-server", &[])?;
    let replies: Vec<String> = (1..=5)
        .map(|client| format!("[hello-client-{client}] Received: world - 0"))
        .collect();
    let replies: Vec<&str> = replies.iter().map(String::as_str).collect();
    expect_shown(&demo, &replies)?;
    expect_shown(
        &demo,
        &[
            "--- all five served in ",
            "--- mt-server exited: exit status: 0",
        ],
    )
}

fn envelopes(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "envelopes", &[])?;
    expect_shown(
        &demo,
        &[
            "[envelope-subscriber-Company10] [Company10] Company message to receive.",
            "envelope-subscriber-Company1] [Company1] Company Message to be ignored.",
            "envelope-subscriber-Company1] [Company10] Company message to receive.",
            "--- envelope-publisher exited: exit status: 0",
        ],
    )?;
    // The exact key never lets the other company's bodies through.
    expect_not_shown_after(
        &demo,
        "subscribe to the key Company10",
        "[envelope-subscriber-Company10] [Company1] ",
    )
}

fn hwm(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "hwm", &[])?;
    expect_shown(
        &demo,
        &[
            "--- PUB with --sndhwm 10",
            "--- PUSH with --sndhwm 10",
            "[slow-subscriber] received 500 messages, 0 missing in 0 gaps",
            "--sndhwm 0  (no limit): ",
        ],
    )
}

fn lazy_pirate(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "lazy-pirate", &[])?;
    expect_shown(
        &demo,
        &[
            "[lazy-pirate-server-1] simulating a crash",
            "retry 1 of 3: new socket",
            "[lazy-pirate-server-2] Received: 4",
            "6 requests, 6 matching replies",
        ],
    )
}

fn heartbeat(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "heartbeat", &[])?;
    expect_shown(
        &demo,
        &[
            "[ heartbeat-server-1] worker w1 expired",
            "reconnecting in 400 ms",
            "[ heartbeat-server-2] worker w2 joined",
        ],
    )
}

fn snail(bins: &Bins) -> Result<()> {
    let demo = demo(bins, "snail", &[])?;
    expect_shown(
        &demo,
        &[
            "[snail-subscriber-slow] Subscriber is too slow. Aborting.",
            "snail-subscriber-slow exited: exit status: 3",
            "snail-subscriber-fast exited: exit status: 0",
        ],
    )
}
