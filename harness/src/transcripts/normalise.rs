//! What differs by nature from one run to the next, masked visibly in the
//! transcript files: OS-chosen ports, process ids in paths, measured times,
//! throughput and memory figures, random prices and workloads, libzmq's
//! random routing ids, heap addresses and the directory a profile went to.
//!
//! Each mask is one pattern for one kind of value, written as narrowly as
//! the value's context allows, so that a figure the lesson fixes (the
//! backoff's `reconnecting in 400 ms`, a `--timeout-ms 2000`, a `0 missing`)
//! stays in the file as it was printed.

use std::sync::OnceLock;

use regex::{Captures, Regex};

/// A mask: what it hides, its pattern, and the text that replaces each match
/// (`$1`… name the pattern's groups, kept as printed).
struct Mask {
    pattern: Regex,
    with: Replacement,
}

enum Replacement {
    Text(&'static str),
    /// A port: masked when the OS chose it (Linux's ephemeral range), kept
    /// when a program was given it (the book's 4040, the perf tools' 5555).
    Port,
}

/// The lowest port Linux hands out for `:*` (net.ipv4.ip_local_port_range).
const EPHEMERAL_PORTS: u32 = 32768;

/// The masks, in the order they apply.
const MASKS: &[(&str, &str)] = &[
    // `unique_ipc_endpoint`'s paths: the harness's pid and a counter.
    (r"-\d+-\d+\.ipc\b", "-<pid>-<n>.ipc"),
    // Where `leak-check` wrote the profile: the directory it ran in.
    (r"profile: \S*/dhat-", "profile: <dir>/dhat-"),
    // Code addresses in dhat's stacks (the executable is loaded anywhere).
    (r"0x[0-9a-f]{6,}", "<address>"),
    // Measured times.
    (r"(published \d+ messages in )\d+ ms", "$1<n> ms"),
    (r"(all five served in )\d+ ms", "$1<n> ms"),
    (r"(Total elapsed time: )\d+ msec", "$1<n> msec"),
    // How long cargo took to build a lab's crate, and a lab check's
    // scenarios to run.
    (r"(target\(s\) in )[\d.]+(?:m [\d.]+)?s$", "$1<n>s"),
    (r"^((?:PASS|FAIL)  \S+ )\(\d+\.\d s\)$", "$1(<n> s)"),
    // The sum of random workloads.
    (r"(Total expected cost: )\d+ msec", "$1<n> msec"),
    // The snail's clock readings and how late each came.
    (r"received \d+: \d+ ms late", "received <time>: <n> ms late"),
    // How many messages came before a timer fired.
    (r"tick: \d+ messages", "tick: <n> messages"),
    // What a PUB dropped at its high-water mark (a run that lost nothing,
    // `0 missing in 0 gaps`, is the PUSH's lesson and stays).
    (
        r"received \d+ messages, [1-9]\d* missing in \d+ gaps",
        "received <n> messages, <n> missing in <n> gaps",
    ),
    // Memory figures: resident memory, and the heap a run used, which
    // depends on timing (a reply that is already there when the client
    // polls costs one allocation fewer). What is lost and what the runtime
    // keeps are the lessons, and stay.
    (r"\d+ KiB\b", "<n> KiB"),
    (
        r"((?:total|peak) heap usage: +)\d+ bytes in \d+ blocks",
        "$1<n> bytes in <n> blocks",
    ),
    // The perf tools' figures.
    (r"(mean throughput: )[\d.]+ \[", "$1<n> ["),
    (r"(average latency: )[\d.]+ \[us\]", "$1<n> [us]"),
    // Random prices, at the end of a stock update.
    (r"(Company\d+\|?) \d+$", "$1 <price>"),
    // A worker's random workload and its square root.
    (r"\] \d+\.\d: \d+\.\d$", "] <workload>: <root>"),
    // libzmq's routing ids for peers that set none: a zero byte and a
    // 32-bit counter that starts at a random value.
    (
        r#""\\x00(?:\\x[0-9a-f]{2}|\\.|[^"\\]){4}""#,
        "\"<routing id>\"",
    ),
];

fn masks() -> &'static [Mask] {
    static MASKS_COMPILED: OnceLock<Vec<Mask>> = OnceLock::new();
    MASKS_COMPILED.get_or_init(|| {
        let port = Mask {
            pattern: Regex::new(r"(tcp://[0-9.]+):(\d+)").unwrap_or_else(|e| panic!("{e}")),
            with: Replacement::Port,
        };
        std::iter::once(port)
            .chain(MASKS.iter().map(|&(pattern, with)| Mask {
                pattern: Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")),
                with: Replacement::Text(with),
            }))
            .collect()
    })
}

/// `line` with every value that differs by nature from run to run masked.
pub fn normalise(line: &str) -> String {
    let mut line = line.trim_end().to_string();
    for mask in masks() {
        line = match &mask.with {
            Replacement::Text(with) => mask.pattern.replace_all(&line, *with).into_owned(),
            Replacement::Port => mask
                .pattern
                .replace_all(&line, |caps: &Captures| {
                    let port: u32 = caps[2].parse().unwrap_or(0);
                    if port >= EPHEMERAL_PORTS {
                        format!("{}:<port>", &caps[1])
                    } else {
                        caps[0].to_string()
                    }
                })
                .into_owned(),
        };
    }
    line
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn os_chosen_ports_are_masked_and_given_ones_kept() {
        assert_eq!(
            normalise("[hello-server] bound tcp://127.0.0.1:35921"),
            "[hello-server] bound tcp://127.0.0.1:<port>"
        );
        assert_eq!(
            normalise("bound tcp://0.0.0.0:4040"),
            "bound tcp://0.0.0.0:4040"
        );
        assert_eq!(
            normalise("bound tcp://127.0.0.1:5555"),
            "bound tcp://127.0.0.1:5555"
        );
    }

    #[test]
    fn measured_figures_are_masked_and_the_lessons_figures_kept() {
        assert_eq!(
            normalise("[hwm-publisher] published 500 messages in 95 ms"),
            "[hwm-publisher] published 500 messages in <n> ms"
        );
        assert_eq!(
            normalise("received 274 messages, 226 missing in 20 gaps"),
            "received <n> messages, <n> missing in <n> gaps"
        );
        assert_eq!(
            normalise("received 500 messages, 0 missing in 0 gaps"),
            "received 500 messages, 0 missing in 0 gaps"
        );
        assert_eq!(
            normalise("server expired; reconnecting in 400 ms"),
            "server expired; reconnecting in 400 ms"
        );
        assert_eq!(
            normalise("mean throughput: 1504.812 [Mb/s]"),
            "mean throughput: <n> [Mb/s]"
        );
        assert_eq!(
            normalise("    total heap usage: 7261 bytes in 47 blocks"),
            "    total heap usage: <n> bytes in <n> blocks"
        );
        assert_eq!(
            normalise("    definitely lost:  4 bytes in 1 blocks"),
            "    definitely lost:  4 bytes in 1 blocks"
        );
    }

    #[test]
    fn a_lab_checks_build_and_scenario_times_are_masked() {
        assert_eq!(
            normalise("    Finished `dev` profile [unoptimized + debuginfo] target(s) in 25.81s"),
            "    Finished `dev` profile [unoptimized + debuginfo] target(s) in <n>s"
        );
        assert_eq!(
            normalise("PASS  ch1::three_requests_get_three_worlds (0.1 s)"),
            "PASS  ch1::three_requests_get_three_worlds (<n> s)"
        );
        assert_eq!(
            normalise("waiting for \"x\": hello-server: no such line on Stdout within 5s"),
            "waiting for \"x\": hello-server: no such line on Stdout within 5s"
        );
    }

    #[test]
    fn random_values_are_masked() {
        assert_eq!(
            normalise("[ticker-subscriber] Company1| 575"),
            "[ticker-subscriber] Company1| <price>"
        );
        assert_eq!(
            normalise("[  task-worker-2] 20.0: 4.5"),
            "[  task-worker-2] <workload>: <root>"
        );
        assert_eq!(
            normalise(r#"[rr-broker] request 3 frames: "\x00k\x8bEg" "" "hello c1 0""#),
            r#"[rr-broker] request 3 frames: "<routing id>" "" "hello c1 0""#
        );
        assert_eq!(
            normalise(
                "[lazy-pirate-server-1] bound ipc:///tmp/zmq-book-lazy-pirate-demo-10343-0.ipc"
            ),
            "[lazy-pirate-server-1] bound ipc:///tmp/zmq-book-lazy-pirate-demo-<pid>-<n>.ipc"
        );
    }
}
