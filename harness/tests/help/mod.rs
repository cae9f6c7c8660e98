//! Reading a program's `--help` the way a user does: each option with the
//! default it shows, compared whole — so `[default: 10]` is not found inside
//! `[default: 1048576]`, a changed default fails, and an option added without
//! a line in the test's table fails too.

use std::collections::BTreeMap;

use assert_cmd::Command;
use harness::Bins;

/// An option's long name (`--count`) and its `[default: …]`, if it shows one
/// (`None` for a flag such as `--no-wait`).
pub type Options = BTreeMap<String, Option<String>>;

/// `program --help`, which must succeed.
// A helper of tests: a failed unwrap here is a failed test, as in a #[test].
#[allow(clippy::unwrap_used)]
pub fn help_of(name: &str) -> String {
    let output = Command::new(Bins::workspace().path(name))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success(), "{name} --help failed: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Every option `help` lists, with the default it shows. An option's text
/// may wrap onto the lines after it (clap's long layout); its default is the
/// `[default: …]` at the end of that text.
pub fn options_of(help: &str) -> Options {
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut in_options = false;
    for line in help.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            in_options = line.starts_with("Options:");
            continue;
        }
        if !in_options {
            continue;
        }
        let name = trimmed
            .split_whitespace()
            .find(|word| word.starts_with("--"))
            .filter(|_| trimmed.starts_with('-'));
        match name {
            Some(name) => entries.push((name.trim_end_matches(',').to_string(), line.into())),
            None => {
                if let Some((_, text)) = entries.last_mut() {
                    text.push(' ');
                    text.push_str(trimmed);
                }
            }
        }
    }
    entries
        .into_iter()
        .map(|(name, text)| {
            let default = text
                .trim_end()
                .strip_suffix(']')
                .and_then(|text| text.rsplit_once("[default: "))
                .map(|(_, default)| default.to_string());
            (name, default)
        })
        .collect()
}

/// The options a program should list: `expected` (long name and default),
/// plus `--help` and `--version`, which every example has.
pub fn expected(options: &[(&str, Option<&str>)]) -> Options {
    options
        .iter()
        .chain(&[("--help", None), ("--version", None)])
        .map(|(name, default)| (name.to_string(), default.map(str::to_string)))
        .collect()
}

/// Fails unless `name --help` names `section` (e.g. `chapter 1, "Hello
/// world"`) and lists exactly `options` with exactly those defaults.
pub fn assert_help(name: &str, section: &str, options: &[(&str, Option<&str>)]) {
    let help = help_of(name);
    assert!(help.contains(section), "{name}: no {section:?} in\n{help}");
    assert_eq!(
        options_of(&help),
        expected(options),
        "{name}: options or defaults differ from the book's\n{help}"
    );
}

#[test]
fn options_and_whole_defaults_are_read_from_both_layouts() {
    let short = "About\n\nOptions:\n      --count <COUNT>  Requests [default: 10]\n      \
                 --max-msg-size <BYTES>  Largest [default: 1048576]\n      --verbose  \
                 Print\n  -h, --help  Print help\n";
    let options = options_of(short);
    assert_eq!(options["--count"].as_deref(), Some("10"));
    assert_eq!(options["--max-msg-size"].as_deref(), Some("1048576"));
    assert_eq!(options["--verbose"], None);
    assert_eq!(options["--help"], None);
    let long = "About\n\nUsage: x\n\nArguments:\n  [FILTERS]...  with --no-subscribe\n\n\
                Options:\n      --linger-ms <LINGER_MS>\n          How long [default: -1]\n\n      \
                --no-wait\n          Start at once\n";
    let options = options_of(long);
    assert_eq!(options.len(), 2, "{options:?}");
    assert_eq!(options["--linger-ms"].as_deref(), Some("-1"));
    assert_eq!(options["--no-wait"], None);
}
