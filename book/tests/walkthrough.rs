//! The walkthrough builds, and what was built is whole: no include left
//! unresolved, no broken link or anchor, every example's source included.

use std::path::PathBuf;

fn built_book() -> PathBuf {
    let out = book::workspace_root()
        .join("target")
        .join(format!("book-test-{}", std::process::id()));
    if let Err(why) = book::build(&book::book_root(), &out) {
        panic!("{why}");
    }
    out
}

#[test]
fn book_builds_with_every_include_link_and_anchor_resolved() {
    let out = built_book();
    let problems = book::problems(&out);
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        problems.is_empty(),
        "broken walkthrough:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_example_source_is_included_in_the_walkthrough() {
    let missing =
        book::examples_not_included(&book::workspace_root(), &book::book_root().join("src"));
    assert!(missing.is_empty(), "not included by any page: {missing:?}");
}

#[test]
fn a_missing_include_is_caught() {
    // The check itself can fail: a page with a dangling include and a dead link.
    let root = book::workspace_root()
        .join("target")
        .join(format!("book-broken-{}", std::process::id()));
    let src = root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"broken\"\n").unwrap();
    std::fs::write(src.join("SUMMARY.md"), "[Page](page.md)\n").unwrap();
    std::fs::write(
        src.join("page.md"),
        "# Page\n\n```rust\n{{#include ../../nowhere.rs:anchor}}\n```\n\n[dead](gone.md) [lost](page.md#nope)\n",
    )
    .unwrap();
    let out = root.join("out");
    book::build(&root, &out).unwrap();
    let problems = book::problems(&out);
    let _ = std::fs::remove_dir_all(&root);
    let text = problems.join("\n");
    assert!(text.contains("unresolved {{#include"), "{text}");
    assert!(text.contains("missing gone.html"), "{text}");
    assert!(
        text.contains("missing anchor") && text.contains("#nope"),
        "{text}"
    );
}
