//! Every example program of the four chapter crates reads top-down, as a
//! listing of the book does: a student who opens `src/bin/<program>.rs` sees
//! `fn main`, the sockets and (soon after) the loop on the first screen, and
//! the clap `Args` struct only at the end.
//!
//! For each `src/bin/*.rs` of the chapter crates this fails, naming the file
//! and the line, when:
//! - `fn main` is after line [`MAIN_BY`];
//! - the first socket creation is after line [`FIRST_SOCKET_BY`] (a program
//!   that creates none, such as `version`, has nothing to check); a socket
//!   creation is a line (not a comment) with one of [`SOCKET_CREATIONS`];
//! - `struct Args` is present and some `fn` of the file comes after it.
//!
//! Comment lines (`//`, `//!`, `///`) are not looked at, so a doc comment
//! that mentions `fn main` or `.socket(` counts for nothing.

use std::fs;
use std::path::{Path, PathBuf};

/// The chapter crates whose programs must read top-down.
const CRATES: &[&str] = &[
    "ch1-hello",
    "ch2-pubsub-pipeline",
    "ch3-poll-multipart-czmq",
    "ch4-advanced",
];

/// `fn main` is on this line or before.
const MAIN_BY: usize = 30;

/// The first socket creation is on this line or before: the first screen.
const FIRST_SOCKET_BY: usize = 50;

/// The calls that create a program's sockets: libzmq's `Context::socket`,
/// and the chapter 1 performance tools' helpers around it (`perf::socket`,
/// `perf::dial`, `BindTo::listen`, `ConnectTo::dial`, all in
/// `ch1-hello/src/perf.rs`). A library call added to make sockets for a
/// program belongs in this list.
const SOCKET_CREATIONS: &[&str] = &[
    ".socket(",
    "perf::socket(",
    "perf::dial(",
    ".listen(&context",
    ".dial(&context",
];

/// Words that may stand before `fn` in an item's declaration.
const FN_QUALIFIERS: &[&str] = &[
    "pub",
    "pub(crate)",
    "pub(super)",
    "const",
    "async",
    "unsafe",
    "extern",
    "\"C\"",
];

#[test]
fn every_program_has_main_sockets_first_and_args_last() {
    let mut violations = Vec::new();
    for program in programs() {
        let source = fs::read_to_string(&program)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", program.display()));
        violations.extend(shape_violations(&relative(&program), &source));
    }
    assert!(
        violations.is_empty(),
        "{} violation(s) of the top-down shape:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

/// What is wrong with the shape of one program's `source`, one line each,
/// `<file>:<line>: <what>`.
fn shape_violations(file: &str, source: &str) -> Vec<String> {
    let code: Vec<(usize, &str)> = source
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()))
        .filter(|(_, line)| !line.starts_with("//"))
        .collect();
    let mut violations = Vec::new();

    match code
        .iter()
        .find(|(_, line)| declares_fn(line, Some("main")))
    {
        Some(&(line, _)) if line > MAIN_BY => {
            violations.push(format!("{file}:{line}: `fn main` is after line {MAIN_BY}"))
        }
        Some(_) => {}
        None => violations.push(format!("{file}: no `fn main`")),
    }

    let first_socket = code.iter().find_map(|&(line, text)| {
        SOCKET_CREATIONS
            .iter()
            .find(|call| text.contains(*call))
            .map(|call| (line, call))
    });
    if let Some((line, call)) = first_socket {
        if line > FIRST_SOCKET_BY {
            violations.push(format!(
                "{file}:{line}: the first socket creation (`{call}`) is after line \
                 {FIRST_SOCKET_BY}"
            ));
        }
    }

    let args = code.iter().find(|(_, line)| declares_args(line));
    let last_fn = code.iter().rev().find(|(_, line)| declares_fn(line, None));
    if let (Some(&(args_line, _)), Some(&(fn_line, _))) = (args, last_fn) {
        if fn_line > args_line {
            violations.push(format!(
                "{file}:{args_line}: `struct Args` is before a `fn` (line {fn_line}): \
                 it goes after every `fn`"
            ));
        }
    }
    violations
}

/// Whether `line` declares a function (called `name`, if given).
fn declares_fn(line: &str, name: Option<&str>) -> bool {
    let mut words = line
        .split_whitespace()
        .skip_while(|word| FN_QUALIFIERS.contains(word));
    if words.next() != Some("fn") {
        return false;
    }
    let Some(rest) = words.next() else {
        return false;
    };
    let ident: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    match name {
        Some(name) => ident == name,
        None => !ident.is_empty(),
    }
}

/// Whether `line` declares the struct `Args`.
fn declares_args(line: &str) -> bool {
    let line = line.strip_prefix("pub ").unwrap_or(line);
    line.strip_prefix("struct Args").is_some_and(|rest| {
        rest.chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    })
}

/// Every `src/bin/*.rs` of the chapter crates, in a stable order.
fn programs() -> Vec<PathBuf> {
    let mut programs = Vec::new();
    for krate in CRATES {
        let bin = workspace().join(krate).join("src/bin");
        let entries = fs::read_dir(&bin)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", bin.display()));
        let before = programs.len();
        for entry in entries {
            let path = entry
                .unwrap_or_else(|error| panic!("cannot list {}: {error}", bin.display()))
                .path();
            if path.extension().is_some_and(|ext| ext == "rs") {
                programs.push(path);
            }
        }
        assert!(programs.len() > before, "no programs in {}", bin.display());
    }
    programs.sort();
    programs
}

/// The workspace's root: the harness crate's parent.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `path` relative to the workspace, for messages.
fn relative(path: &Path) -> String {
    path.strip_prefix(workspace())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The checks themselves, on small sources, so that a check that could not
/// fail would show here.
#[test]
fn the_shape_checks_catch_each_violation() {
    let good = "//! Doc with fn main and .socket( in it.\nuse x;\nfn main() {}\n\
                fn serve() { let s = context.socket(zmq::REP); }\n\
                #[derive(Parser)]\nstruct Args {}\n";
    assert_eq!(shape_violations("good.rs", good), Vec::<String>::new());

    let late_main = format!("{}fn main() {{}}\n", "\n".repeat(MAIN_BY));
    assert_eq!(
        shape_violations("late.rs", &late_main),
        [format!(
            "late.rs:{}: `fn main` is after line 30",
            MAIN_BY + 1
        )]
    );

    let late_socket = format!(
        "fn main() {{}}\n{}    let s = perf::socket(&context, zmq::REQ)?;\n",
        "\n".repeat(FIRST_SOCKET_BY - 1)
    );
    assert_eq!(
        shape_violations("sock.rs", &late_socket),
        [format!(
            "sock.rs:{}: the first socket creation (`perf::socket(`) is after line 50",
            FIRST_SOCKET_BY + 1
        )]
    );

    let args_first = "struct Args {}\nfn main() {}\npub(crate) fn helper() {}\n";
    assert_eq!(
        shape_violations("args.rs", args_first),
        ["args.rs:1: `struct Args` is before a `fn` (line 3): it goes after every `fn`"]
    );

    assert!(!declares_fn("let f: fn(u8) = g;", None));
    assert!(!declares_args("struct ArgsHelper {}"));
}
