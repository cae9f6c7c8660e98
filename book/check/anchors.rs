//! Whole-file listings without their `// ANCHOR:` lines.
//!
//! A page that includes part of a source by anchor (`{{#include f.rs:loop}}`)
//! gets only that part; one that includes the whole file (`{{#include f.rs}}`)
//! gets every line of it, the anchors' own marker lines too, which teach a
//! reader nothing. This preprocessor runs after mdBook's own `links` and
//! removes those lines from every code block of every page.

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// The preprocessor: see the module's documentation.
pub struct HideAnchorLines;

impl Preprocessor for HideAnchorLines {
    fn name(&self) -> &str {
        "hide-anchor-lines"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        book.for_each_chapter_mut(|chapter| {
            chapter.content = without_anchor_lines(&chapter.content)
        });
        Ok(book)
    }
}

/// `page` with the anchor lines of its fenced code blocks removed.
pub fn without_anchor_lines(page: &str) -> String {
    let mut kept = Vec::new();
    let mut in_code = false;
    for line in page.split('\n') {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if in_code && is_anchor_line(line) {
            continue;
        }
        kept.push(line);
    }
    kept.join("\n")
}

/// `// ANCHOR: name` or `// ANCHOR_END: name`, alone on its line.
fn is_anchor_line(line: &str) -> bool {
    let Some(comment) = line.trim().strip_prefix("//") else {
        return false;
    };
    let comment = comment.trim_start();
    ["ANCHOR:", "ANCHOR_END:"].iter().any(|tag| {
        comment.strip_prefix(tag).is_some_and(|name| {
            let name = name.trim();
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_lines_go_from_code_blocks_only() {
        let page = "// ANCHOR: prose stays\n```rust\nfn a() {\n    // ANCHOR: loop\n    \
                    loop {}\n    // ANCHOR_END: loop\n}\n// an ANCHOR: in a comment stays\n```\n";
        assert_eq!(
            without_anchor_lines(page),
            "// ANCHOR: prose stays\n```rust\nfn a() {\n    loop {}\n}\n\
             // an ANCHOR: in a comment stays\n```\n"
        );
    }
}
