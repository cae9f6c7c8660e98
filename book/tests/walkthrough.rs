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
fn every_erratum_fixed_in_code_is_marked_there() {
    let problems =
        book::errata_marker_problems(&book::workspace_root(), &book::book_root().join("src"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_test_an_erratum_names_exists() {
    let problems =
        book::proofs::unknown_proofs(&book::workspace_root(), &book::book_root().join("src"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn each_errata_row_is_held_to_its_own_markers() -> std::io::Result<()> {
    let root = book::workspace_root()
        .join("target")
        .join(format!("book-markers-{}", std::process::id()));
    let (src, code) = (root.join("src/errata"), root.join("ch9-demo/src"));
    std::fs::create_dir_all(&src)?;
    std::fs::create_dir_all(&code)?;
    let page = "### Section\n\n#### Fixed twice {#ch9-fixed}\n\n- **Fix:** done\n\
                - **Where:** `ch9-demo/src/fixed.rs`,\n  `ch9-demo/src/gone.rs`\n\
                - **Proved by:**\n  - `a_test`\n\n\
                #### Leans on the other row's marker {#ch9-leans}\n\n\
                - **Where:** `ch9-demo/src/fixed.rs`\n- **Why no test:** none can.\n\n\
                #### No id\n\n- **Proved by:** `a_test`\n\n\
                #### Both {#ch9-both}\n\n- **Proved by:** `a_test`\n- **Why no test:** both.\n\n\
                #### Again {#ch9-fixed}\n\n- **Proved by:** `a_test`\n";
    std::fs::write(src.join("ch9.md"), page)?;
    std::fs::write(
        code.join("fixed.rs"),
        "// Book errata (ch9-fixed): the fix.\nfn main() {}\n",
    )?;
    std::fs::write(
        code.join("stray.rs"),
        "// Book errata: not named.\n// Book errata (ch9-nowhere): no such row.\n\
         // Book errata (ch9-fixed): not this file.\n",
    )?;
    let problems = book::errata_marker_problems(&root, &root.join("src"));
    let _ = std::fs::remove_dir_all(&root);
    let text = problems.join("\n");
    let expected = [
        "\"No id\" has no id",
        "\"Both\" needs exactly one **Proved by:** or **Why no test:** item, and has 2",
        "\"Again\" has the id ch9-fixed, which a row of errata/ch9.md has already",
        "ch9-fixed names ch9-demo/src/gone.rs, which does not exist",
        "ch9-leans names ch9-demo/src/fixed.rs, which has no `// Book errata (ch9-leans)",
        "stray.rs:1: a `// Book errata` comment that names no row",
        "stray.rs:2: names the erratum ch9-nowhere, which no row has",
        "stray.rs:3: names the erratum ch9-fixed, whose **Where** in errata/ch9.md does not name",
    ];
    for sentence in expected {
        assert!(text.contains(sentence), "missing {sentence:?} in:\n{text}");
    }
    assert_eq!(problems.len(), expected.len(), "{text}");
    Ok(())
}

#[test]
fn every_line_of_program_output_is_an_included_transcript() {
    let problems = book::transcript_problems(&book::book_root().join("src"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn hand_typed_output_and_stray_transcripts_are_caught() -> std::io::Result<()> {
    let src = book::workspace_root()
        .join("target")
        .join(format!("book-transcripts-{}", std::process::id()))
        .join("src");
    std::fs::create_dir_all(src.join("transcripts"))?;
    std::fs::create_dir_all(src.join("errata"))?;
    std::fs::write(
        src.join("transcripts/run.txt"),
        "$ cargo run --bin version\n",
    )?;
    std::fs::write(
        src.join("transcripts/unused.txt"),
        "$ cargo run --bin version\n",
    )?;
    std::fs::write(src.join("elsewhere.txt"), "ZeroMQ version 4.3.4\n")?;
    let page = "# Page\n\n```console\n{{#include transcripts/run.txt}}\n```\n\n\
                ```console\n$ cargo run --bin version\nZeroMQ version 4.3.4\n```\n\n\
                ```text\n{{#include elsewhere.txt}}\n```\n\n\
                ```text\n{{#include transcripts/gone.txt}}\n```\n\n\
                ```sh\nHARNESS_WORKERS=2 cargo run -p harness -- demo pipeline\nbound tcp://*:4040\n```\n";
    std::fs::write(src.join("page.md"), page)?;
    // A page in a subdirectory includes with `../`.
    std::fs::write(
        src.join("errata/sub.md"),
        "```text\n{{#include ../transcripts/run.txt}}\n```\n",
    )?;
    let problems = book::transcript_problems(&src);
    let _ = std::fs::remove_dir_all(src.parent().unwrap_or(&src));
    let text = problems.join("\n");
    let expected = [
        "page.md:7: a ```console block shows program output typed by hand",
        "page.md:12: includes elsewhere.txt, which is not in transcripts/ or figures/",
        "page.md:16: includes transcripts/gone.txt, which does not exist",
        "page.md:20: an `sh` block holds commands only, and \"bound tcp://*:4040\" is not one",
        "transcripts/unused.txt is included by no page",
    ];
    for sentence in expected {
        assert!(text.contains(sentence), "missing {sentence:?} in:\n{text}");
    }
    assert_eq!(problems.len(), expected.len(), "{text}");
    Ok(())
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

/// Builds a one-page book from `page` (markdown) and returns its problems.
fn problems_of_page(name: &str, page: &str) -> std::io::Result<Vec<String>> {
    let root = book::workspace_root()
        .join("target")
        .join(format!("book-{name}-{}", std::process::id()));
    let src = root.join("src");
    std::fs::create_dir_all(&src)?;
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"layout\"\n")?;
    std::fs::write(src.join("SUMMARY.md"), "[Page](page.md)\n")?;
    std::fs::write(src.join("page.md"), page)?;
    let out = root.join("out");
    let built = book::build(&root, &out);
    let problems = book::problems(&out);
    let _ = std::fs::remove_dir_all(&root);
    built.map_err(std::io::Error::other)?;
    Ok(problems)
}

#[test]
fn the_old_five_column_errata_tables_are_caught_as_too_wide() {
    // The errata as they were: five columns, test names in code spans. At a
    // 1280-pixel window the last column was cut off and scrolled sideways.
    let old = include_str!("fixtures/errata-as-tables.md");
    let problems = problems_of_page("old-errata", old).unwrap();
    let too_wide: Vec<_> = problems
        .iter()
        .filter(|problem| problem.contains("wider than the 860 px column"))
        .collect();
    assert_eq!(too_wide.len(), 2, "{problems:#?}");
    assert!(
        too_wide[0].contains("`oversized_request_is_refused_and_server_keeps_serving`"),
        "{too_wide:#?}"
    );
}

#[test]
fn a_code_line_longer_than_the_column_is_caught() {
    let line = format!("let x = \"{}\";", "y".repeat(95));
    let page = format!("# Page\n\n```rust\n{line}\n```\n");
    let problems = problems_of_page("long-line", &page).unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("code line of 106 characters"),
        "{problems:#?}"
    );
}

#[test]
fn the_checked_column_width_is_the_one_the_book_declares() {
    let css = std::fs::read_to_string(book::book_root().join("css/layout.css")).unwrap();
    assert_eq!(
        book::layout::declared_content_width(&css),
        Some(book::layout::CONTENT_WIDTH_PX)
    );
    let config = std::fs::read_to_string(book::book_root().join("book.toml")).unwrap();
    assert!(
        config.contains("additional-css = [\"css/layout.css\"]"),
        "{config}"
    );
}
