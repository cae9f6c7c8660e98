//! Program output on a page is a generated transcript, never typed by hand.
//!
//! The rule, on the markdown sources:
//!
//! - a ```` ```console ```` or ```` ```text ```` block holds exactly one line,
//!   `{{#include transcripts/<file>.txt}}` (or `figures/<file>.txt`, a
//!   benchmark's output), naming a file that exists: `cargo run -p harness --
//!   transcripts` writes those from real runs, and the harness's tests compare
//!   them with fresh ones;
//! - a ```` ```sh ```` block is for commands to type and holds nothing else:
//!   each line runs `cargo`, `valgrind` or `sudo` (after `NAME=value`
//!   settings), or continues the line before it (`\`);
//! - no other block (a listing's `rust`) is checked here;
//! - every file in `transcripts/` is included by some page.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::{files_ending_in, read_page};

/// The fence languages that show program output.
const OUTPUT_BLOCKS: &[&str] = &["console", "text"];

/// The commands an `sh` block may run.
const COMMANDS: &[&str] = &["cargo", "valgrind", "sudo"];

/// A fenced block of a page: its language, its first line's number, its lines.
struct Block {
    language: String,
    line: usize,
    body: Vec<String>,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match open.take() {
            Some(block) if trimmed.trim_end() == "```" => found.push(block),
            Some(mut block) => {
                block.body.push(trimmed.to_string());
                open = Some(block);
            }
            None => {
                if let Some(language) = trimmed.strip_prefix("```") {
                    open = Some(Block {
                        language: language.trim().to_string(),
                        line: number + 1,
                        body: Vec::new(),
                    });
                }
            }
        }
    }
    found
}

/// The file `{{#include <path>}}` names, when `line` is exactly that.
fn included(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix("{{#include ")?
        .strip_suffix("}}")
        .map(str::trim)
}

/// Is `line` of an `sh` block a command (or the rest of one)?
fn is_command(line: &str, continued: bool) -> bool {
    if continued || line.trim().is_empty() {
        return true;
    }
    let mut words = line.split_whitespace().skip_while(|word| {
        word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
    });
    words.next().is_some_and(|word| COMMANDS.contains(&word))
}

/// Every block of the pages below `src` that shows program output without
/// including a transcript, and every transcript no page includes.
pub fn problems(src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut used: BTreeSet<PathBuf> = BTreeSet::new();
    let mut pages = files_ending_in(src, "md");
    pages.sort();
    for page in &pages {
        let (text, shown) = read_page(src, page);
        let dir = page.parent().unwrap_or(src);
        for block in blocks(&text) {
            let at = format!("{shown}:{}", block.line);
            if OUTPUT_BLOCKS.contains(&block.language.as_str()) {
                match output_block_problem(src, dir, &block) {
                    Ok(file) => {
                        used.insert(file);
                    }
                    Err(why) => problems.push(format!("{at}: {why}")),
                }
            } else if block.language == "sh" {
                let mut continued = false;
                for line in &block.body {
                    if !is_command(line, continued) {
                        problems.push(format!(
                            "{at}: an `sh` block holds commands only, and {line:?} is not one \
                             (program output goes in a ```console block that includes its \
                             transcript)"
                        ));
                    }
                    continued = line.trim_end().ends_with('\\');
                }
            }
        }
    }
    let mut transcripts = files_ending_in(&src.join("transcripts"), "txt");
    transcripts.sort();
    for file in transcripts {
        if !used.contains(&crate::normalize(&file)) {
            let (_, shown) = read_page(src, &file);
            problems.push(format!("{shown} is included by no page"));
        }
    }
    problems
}

/// The transcript an output block includes, or why it is not one.
fn output_block_problem(src: &Path, dir: &Path, block: &Block) -> Result<PathBuf, String> {
    let lines: Vec<&String> = block
        .body
        .iter()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let hand_typed = || {
        format!(
            "a ```{} block shows program output typed by hand; it must be one \
             {{{{#include transcripts/<file>.txt}}}} (`cargo run -p harness -- transcripts` \
             writes the files)",
            block.language
        )
    };
    let [line] = lines.as_slice() else {
        return Err(hand_typed());
    };
    let file = included(line).ok_or_else(hand_typed)?;
    let path = crate::normalize(&dir.join(file));
    let generated = ["transcripts", "figures"]
        .iter()
        .any(|kind| path.parent() == Some(crate::normalize(&src.join(kind)).as_path()));
    if !generated {
        return Err(format!(
            "includes {file}, which is not in transcripts/ or figures/: only generated \
             output may be shown"
        ));
    }
    if !path.is_file() {
        return Err(format!("includes {file}, which does not exist"));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_their_settings_are_commands() {
        assert!(is_command("cargo run --bin version", false));
        assert!(is_command(
            "HARNESS_WORKERS=2 cargo run -p harness -- demo pipeline",
            false
        ));
        assert!(is_command("      --rcvhwm 10", true));
        assert!(!is_command("ZeroMQ version 4.3.4", false));
        assert!(!is_command("bound tcp://0.0.0.0:4040", false));
    }

    #[test]
    fn fenced_blocks_are_found_with_their_languages() {
        let text = "a\n```console\n{{#include x.txt}}\n```\n  ```sh\n  cargo test\n  ```\n";
        let found = blocks(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].language, "console");
        assert_eq!(found[0].line, 2);
        assert_eq!(included(&found[0].body[0]), Some("x.txt"));
        assert_eq!(found[1].body, ["cargo test"]);
    }
}
