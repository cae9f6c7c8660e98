//! Every test an erratum names as its proof must exist: a rename or a deleted
//! test must not leave the errata pointing at nothing.
//!
//! A name counts as existing when some Rust file of the workspace defines a
//! function of that name (`fn name`, a `#[test]` or a scenario's function) or
//! lists it as a string (`"name"`: the scenario tables name their entries so).

use std::collections::HashSet;
use std::fs;
use std::path::Path;

/// The names under a `**Proved by:**` line of the errata pages below `src`
/// that no Rust file of `workspace` defines, as `page: name`.
pub fn unknown_proofs(workspace: &Path, src: &Path) -> Vec<String> {
    let known = defined_names(workspace);
    let mut pages = super::files_ending_in(&src.join("errata"), "md");
    pages.sort();
    let mut problems = Vec::new();
    for page in pages {
        let (text, shown) = super::read_page(src, &page);
        for name in proof_names(&text) {
            if !known.contains(&name) {
                problems.push(format!(
                    "{shown}: proved by `{name}`, which no test defines"
                ));
            }
        }
    }
    problems
}

/// The test names an errata page gives as proofs: the `code` spans that look
/// like Rust identifiers in the bullets (or on the line) of each
/// `**Proved by:**`.
pub fn proof_names(page: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_proofs = false;
    for line in page.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("- **Proved by:**") || trimmed.starts_with("**Proved by:**") {
            in_proofs = true;
        } else if !(in_proofs && line.starts_with("  ")) {
            in_proofs = false;
            continue;
        }
        names.extend(code_spans(line).filter(|span| is_test_name(span)));
    }
    names
}

fn code_spans(line: &str) -> impl Iterator<Item = String> + '_ {
    line.split('`').skip(1).step_by(2).map(str::to_string)
}

/// A snake_case identifier with at least one underscore: a test's name, not a
/// program (`hello-server`) or an option (`--count`).
fn is_test_name(span: &str) -> bool {
    span.contains('_')
        && span
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Every function name and every quoted identifier in the workspace's Rust
/// files (outside `target/` and hidden folders).
fn defined_names(workspace: &Path) -> HashSet<String> {
    let mut names = HashSet::new();
    for file in rust_files(workspace) {
        let text = fs::read_to_string(&file).unwrap_or_default();
        for piece in text.split("fn ").skip(1) {
            names.insert(identifier_at_start(piece));
        }
        for quoted in text.split('"').skip(1).step_by(2) {
            if is_test_name(quoted) {
                names.insert(quoted.to_string());
            }
        }
    }
    names
}

fn identifier_at_start(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_are_read_from_the_bullets_and_the_line() {
        let page = "- **Fix:** use `set_linger`\n- **Proved by:**\n  - `first_test`\n  \
                    - `second_test`, by `hello-server`\n- **Where:** `a_file`\n\
                    **Proved by:** `inline_test`\n";
        assert_eq!(
            proof_names(page),
            ["first_test", "second_test", "inline_test"]
        );
    }
}
