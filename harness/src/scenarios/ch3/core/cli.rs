//! Chapter 3's core programs as a user first meets them: `--help`, and the
//! book's ports when run with no endpoint options.

use crate::scenarios::book_ports::BookPorts;
use crate::{ensure, Bins, Result, PATIENCE};

/// Every program's `--help` names the book's chapter 3 section it ports, and
/// shows the book's defaults.
pub fn help_names_the_book_section_and_defaults(bins: &Bins) -> Result<()> {
    let programs: [(&str, &str, &[&str]); 8] = [
        (
            "context-limits",
            "Setting I/O threads and limiting the number of sockets",
            &[
                "--io-threads",
                "[default: 8]",
                "[default: 512]",
                "--libzmq-default",
            ],
        ),
        (
            "poller",
            "Working with multiple sockets",
            &[
                "tcp://localhost:4040",
                "tcp://localhost:5050",
                "Company1",
                "--book-nul",
            ],
        ),
        (
            "multi-poller",
            "Working with multiple sockets",
            &[
                "tcp://localhost:4040",
                "tcp://localhost:4041",
                "tcp://localhost:4042",
            ],
        ),
        (
            "pusher",
            "Working with multiple sockets",
            &["tcp://*:4040", "--connect", "--label", "--interval-ms"],
        ),
        (
            "multipart-server",
            "Working with multi-part messages",
            &["tcp://*:4040", "[default: 1000]", "--broken-last-frame"],
        ),
        (
            "multipart-client",
            "Working with multi-part messages",
            &["tcp://localhost:4040", "--timeout-ms"],
        ),
        (
            "interrupt-server",
            "How to handle interruptions",
            &["tcp://*:5050", "--echo", "--count"],
        ),
        (
            "interrupt-client",
            "How to handle interruptions",
            &["tcp://localhost:5050", "[default: 1000]", "--count"],
        ),
    ];
    for (name, section, shown) in programs {
        let help = bins.run(name, &["--help"], PATIENCE)?.expect_success()?;
        let text = help.stdout.join("\n");
        let wanted = format!("chapter 3, \"{section}\"");
        for expected in std::iter::once(wanted.as_str()).chain(shown.iter().copied()) {
            ensure(text.contains(expected), || {
                format!("{name} --help does not show {expected:?}:\n{text}")
            })?;
        }
        if name != "context-limits" && name != "pusher" {
            ensure(text.contains("--max-msg-size"), || {
                format!("{name} receives but has no --max-msg-size:\n{text}")
            })?;
        }
    }
    Ok(())
}

/// With no endpoint options the programs use the book's ports: the
/// multipart pair 4040, the interrupt pair 5050, the poller's ventilator
/// 4040 (where a default pusher binds). Holds the [`BookPorts`] lock.
pub fn book_defaults_use_ports_4040_and_5050(bins: &Bins) -> Result<()> {
    let _ports = BookPorts::lock()?;
    for (server, server_args, client, client_args, port) in [
        (
            "multipart-server",
            &["--count", "1", "--delay-ms", "0"][..],
            "multipart-client",
            &[][..],
            4040,
        ),
        (
            "interrupt-server",
            &["--count", "1"][..],
            "interrupt-client",
            &["--count", "1", "--interval-ms", "0"][..],
            5050,
        ),
        (
            "pusher",
            &["--count", "1"][..],
            "poller",
            &["--count", "1"][..],
            4040,
        ),
    ] {
        let mut running = bins.spawn(server, server_args)?;
        let endpoint = running.bound_endpoint(PATIENCE)?;
        let expected = format!("tcp://0.0.0.0:{port}");
        ensure(endpoint == expected, || {
            format!("{server} bound {endpoint}, not the book's {expected}")
        })?;
        let finished = bins.run(client, client_args, PATIENCE)?.expect_success()?;
        ensure(
            finished
                .stdout
                .iter()
                .any(|l| l.starts_with("Received: ") || l.starts_with("task: ")),
            || format!("{client} received nothing: {:?}", finished.stdout),
        )?;
        running.wait_exit(PATIENCE)?.expect_success()?;
    }
    Ok(())
}
