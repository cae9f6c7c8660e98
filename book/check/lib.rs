//! Builds the walkthrough with mdBook (as a library, so `cargo` is all a reader
//! needs) and checks what was built.
//!
//! mdBook reports a missing `{{#include}}` file or anchor in its log and still
//! succeeds, leaving the directive in the page. So the check reads the HTML: no
//! directive may survive, every relative link must reach a file, and every
//! `#fragment` an element with that id. Every page must also fit a 1280-pixel
//! browser window: no table wider than the column, no code line that scrolls
//! (see [`layout`]). The last checks keep the walkthrough complete and honest:
//! every example program's source must be included by some page, every
//! erratum fixed in code must be marked there with its own row's id
//! (`// Book errata (<id>): …`, see [`errata`]), and every test an erratum
//! names as its proof must exist (see [`proofs`]), and every line of program
//! output a page shows must be a generated transcript (see [`transcripts`]).

pub mod anchors;
pub mod errata;
pub mod layout;
pub mod proofs;
pub mod transcripts;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The walkthrough's root (where `book.toml` is).
pub fn book_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The workspace's root.
pub fn workspace_root() -> PathBuf {
    book_root().join("..")
}

/// Builds the book from `root` into `out` (replacing what was there).
pub fn build(root: &Path, out: &Path) -> Result<(), String> {
    let mut book = mdbook_driver::MDBook::load(root)
        .map_err(|e| format!("cannot load the book at {}: {e:#}", root.display()))?;
    book.config.build.build_dir = out.to_path_buf();
    // A page missing from disk is an error, not an empty page to create.
    book.config.build.create_missing = false;
    book.with_preprocessor(anchors::HideAnchorLines);
    book.build()
        .map_err(|e| format!("cannot build the book: {e:#}"))
}

/// Everything wrong with the built book in `out`, one sentence each.
pub fn problems(out: &Path) -> Vec<String> {
    let pages: Vec<PathBuf> = html_files(out).iter().map(|page| normalize(page)).collect();
    let out = normalize(out);
    let out = out.as_path();
    let mut ids: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let mut texts = Vec::new();
    for page in &pages {
        let text = fs::read_to_string(page).unwrap_or_default();
        ids.insert(page.clone(), attribute_values(&text, "id"));
        texts.push((page.clone(), text));
    }
    let mut problems = Vec::new();
    for (page, text) in &texts {
        let shown = page.strip_prefix(out).unwrap_or(page).display().to_string();
        for directive in ["{{#include", "{{#rustdoc_include", "{{#playground"] {
            if text.contains(directive) {
                problems.push(format!(
                    "{shown}: unresolved {directive}…}}}} (missing file or anchor?)"
                ));
            }
        }
        for tag in ["// ANCHOR:", "// ANCHOR_END:"] {
            if text.contains(tag) {
                problems.push(format!(
                    "{shown}: a listing shows its `{tag}` lines (see anchors.rs)"
                ));
            }
        }
        for link in attribute_values(text, "href") {
            if let Some(problem) = broken_link(page, &link, &ids) {
                problems.push(format!("{shown}: {problem}"));
            }
        }
        // print.html repeats every page, index.html the first one: their
        // problems are already reported.
        if page
            .file_name()
            .is_some_and(|name| name != "print.html" && name != "index.html")
        {
            for problem in layout::layout_problems(text) {
                problems.push(format!("{shown}: {problem}"));
            }
        }
    }
    problems
}

fn broken_link(page: &Path, link: &str, ids: &HashMap<PathBuf, Vec<String>>) -> Option<String> {
    if link.contains("://") || link.starts_with("mailto:") || link.starts_with("javascript:") {
        return None;
    }
    let (file, fragment) = match link.split_once('#') {
        Some((file, fragment)) => (file, Some(fragment)),
        None => (link, None),
    };
    let file = file.split('?').next().unwrap_or_default();
    let target = if file.is_empty() {
        page.to_path_buf()
    } else {
        let joined = page.parent().unwrap_or(Path::new(".")).join(file);
        normalize(&joined)
    };
    if !target.exists() {
        return Some(format!("link to missing {link}"));
    }
    let fragment = fragment.filter(|fragment| !fragment.is_empty())?;
    let known = ids.get(&target)?;
    if known.iter().any(|id| id == fragment) {
        None
    } else {
        Some(format!("link to missing anchor {link}"))
    }
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                normal.pop();
            }
            std::path::Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}

fn attribute_values(html: &str, attribute: &str) -> Vec<String> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    files_ending_in(dir, "html")
}

/// Every file below `dir` whose extension is `extension`.
/// A page's text (empty if unreadable) and its path below `src`, as the
/// checks name it.
pub(crate) fn read_page(src: &Path, page: &Path) -> (String, String) {
    let text = fs::read_to_string(page).unwrap_or_default();
    let shown = page.strip_prefix(src).unwrap_or(page).display().to_string();
    (text, shown)
}

pub(crate) fn files_ending_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_ending_in(&path, extension));
        } else if path.extension().is_some_and(|ext| ext == extension) {
            found.push(path);
        }
    }
    found
}

/// The errata rows and the sources' `// Book errata (<id>): …` markers,
/// checked against each other (see [`errata`]).
pub fn errata_marker_problems(workspace: &Path, src: &Path) -> Vec<String> {
    errata::problems(workspace, src)
}

/// Blocks of program output that are not included transcripts, and
/// transcripts no page includes (see [`transcripts`]).
pub fn transcript_problems(src: &Path) -> Vec<String> {
    transcripts::problems(src)
}

/// Example sources (`ch*/src/bin/*.rs`) that no page of `src` includes.
pub fn examples_not_included(workspace: &Path, src: &Path) -> Vec<String> {
    let mut pages = String::new();
    for page in files_ending_in(src, "md") {
        pages.push_str(&fs::read_to_string(page).unwrap_or_default());
    }
    let mut missing = Vec::new();
    let Ok(crates) = fs::read_dir(workspace) else {
        return missing;
    };
    let mut crates: Vec<_> = crates.flatten().map(|entry| entry.path()).collect();
    crates.sort();
    for krate in crates {
        let name = krate
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if !name.starts_with("ch") {
            continue;
        }
        let Ok(bins) = fs::read_dir(krate.join("src/bin")) else {
            continue;
        };
        let mut bins: Vec<_> = bins.flatten().map(|entry| entry.path()).collect();
        bins.sort();
        for bin in bins
            .iter()
            .filter(|bin| bin.extension().is_some_and(|ext| ext == "rs"))
        {
            let file = bin.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let relative = format!("{name}/src/bin/{file}");
            if !pages.contains(&relative) {
                missing.push(relative);
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_attribute_values() {
        let html = r#"<a href="a.html#x">A</a> <h2 id="x">X</h2> <a href="b.html?q&amp;r">"#;
        assert_eq!(attribute_values(html, "href"), ["a.html#x", "b.html?q&r"]);
        assert_eq!(attribute_values(html, "id"), ["x"]);
    }

    #[test]
    fn normalizes_parent_directories() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }
}
