//! The errata pages and the sources' `// Book errata (<id>): …` markers,
//! checked against each other, one row at a time.
//!
//! Every `####` entry of an errata page is a *row* with an id, given as an
//! mdBook heading attribute (`#### The title {#ch3-poller-nul}`), so a marker
//! can name the row it fixes and a reader can follow it to the page. The rules:
//!
//! - every row has an id (`ch<N>-…`, lowercase, digits, hyphens), unique
//!   across the pages, and exactly one of **Proved by** or **Why no test:**;
//! - every file a row's **Where** names exists and holds a marker naming that
//!   row;
//! - every marker in the workspace's sources names rows that exist, and each
//!   of them names the marker's file under **Where** (or a folder, ending in
//!   `/`, that holds it). A marker that names no row is an error.
//!
//! So a row cannot lean on another row's marker, and a marker cannot outlive,
//! precede or wander from its row.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The text that starts a marker, after the comment's `//` (or `//!`).
pub const MARKER: &str = "Book errata";

/// One `####` entry of an errata page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The id of its heading attribute, if it has one.
    pub id: Option<String>,
    /// The heading, without its attribute.
    pub title: String,
    /// The files (`….rs`) and folders (`…/`) its **Where** names.
    pub places: Vec<String>,
    /// How many **Proved by** items it has.
    pub proofs: usize,
    /// How many **Why no test:** items it has.
    pub reasons: usize,
}

/// One marker: where it is, and the row ids it names (empty: none named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The file, relative to the workspace.
    pub file: String,
    /// Its line, from 1.
    pub line: usize,
    /// The row ids it names.
    pub ids: Vec<String>,
}

/// The rows of one errata page, in order.
pub fn rows(page: &str) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    // Whether the last row is still open: a `###` (or higher) heading ends it.
    let mut open = false;
    let mut in_where = false;
    for line in page.lines() {
        if let Some(heading) = line.strip_prefix("#### ") {
            rows.push(row_from_heading(heading));
            (open, in_where) = (true, false);
            continue;
        }
        if line.starts_with('#') {
            (open, in_where) = (false, false);
            continue;
        }
        let Some(row) = rows.last_mut().filter(|_| open) else {
            continue;
        };
        if line.starts_with("- **Where:**") {
            in_where = true;
        } else if !(in_where && line.starts_with("  ") && !line.trim_start().starts_with("- ")) {
            in_where = false;
        }
        if in_where {
            row.places.extend(
                line.split('`')
                    .skip(1)
                    .step_by(2)
                    .filter(|place| place.ends_with(".rs") || place.ends_with('/'))
                    .map(str::to_string),
            );
        }
        let item = line.trim_start();
        if item.starts_with("- **Proved by:**") {
            row.proofs += 1;
        }
        if item.starts_with("- **Why no test:**") {
            row.reasons += 1;
        }
    }
    rows
}

fn row_from_heading(heading: &str) -> Row {
    let heading = heading.trim_end();
    let (title, id) = match heading.rsplit_once("{#") {
        Some((title, attribute)) if attribute.ends_with('}') => (
            title.trim_end(),
            Some(attribute.trim_end_matches('}').trim().to_string()),
        ),
        _ => (heading, None),
    };
    Row {
        id,
        title: title.to_string(),
        places: Vec::new(),
        proofs: 0,
        reasons: 0,
    }
}

/// A row id is `ch<digits>-` and then lowercase letters, digits and hyphens.
fn is_row_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("ch") else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let Some(name) = rest[digits..].strip_prefix('-') else {
        return false;
    };
    digits > 0
        && !name.is_empty()
        && !name.ends_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The markers of one source file (shown as `file`).
pub fn markers(file: &str, source: &str) -> Vec<Marker> {
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let Some(comment) = line.trim_start().strip_prefix("//") else {
            continue;
        };
        let comment = comment.trim_start_matches(['/', '!']).trim_start();
        let Some(rest) = comment.strip_prefix(MARKER) else {
            continue;
        };
        let ids = rest
            .strip_prefix(" (")
            .and_then(|rest| rest.split_once("):"))
            .map(|(ids, _)| {
                ids.split(',')
                    .map(|id| id.trim().to_string())
                    .filter(|id| !id.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        found.push(Marker {
            file: file.to_string(),
            line: index + 1,
            ids,
        });
    }
    found
}

/// Everything wrong between the errata pages below `src` and the markers in
/// the Rust sources of `workspace`, one sentence each.
pub fn problems(workspace: &Path, src: &Path) -> Vec<String> {
    let mut pages = super::files_ending_in(&src.join("errata"), "md");
    pages.sort();
    let mut problems = Vec::new();
    // Row id → (page shown, row).
    let mut by_id: HashMap<String, (String, Row)> = HashMap::new();
    let mut all_rows = Vec::new();
    for page in &pages {
        let (text, shown) = super::read_page(src, page);
        for row in rows(&text) {
            problems.extend(row_problems(&shown, &row));
            if let Some(id) = &row.id {
                if let Some((other, _)) = by_id.get(id) {
                    problems.push(format!(
                        "{shown}: \"{}\" has the id {id}, which a row of {other} has already",
                        row.title
                    ));
                } else {
                    by_id.insert(id.clone(), (shown.clone(), row.clone()));
                }
            }
            all_rows.push((shown.clone(), row));
        }
    }
    let mut all_markers = Vec::new();
    for file in source_files(workspace) {
        let shown = relative(workspace, &file);
        let source = fs::read_to_string(&file).unwrap_or_default();
        all_markers.extend(markers(&shown, &source));
    }
    for (shown, row) in &all_rows {
        let Some(id) = &row.id else { continue };
        for place in row.places.iter().filter(|place| place.ends_with(".rs")) {
            if !workspace.join(place).is_file() {
                problems.push(format!("{shown}: {id} names {place}, which does not exist"));
            } else if !all_markers
                .iter()
                .any(|marker| &marker.file == place && marker.ids.contains(id))
            {
                problems.push(format!(
                    "{shown}: {id} names {place}, which has no `// {MARKER} ({id}): …` \
                     comment at the fix"
                ));
            }
        }
    }
    for marker in &all_markers {
        let at = format!("{}:{}", marker.file, marker.line);
        if marker.ids.is_empty() {
            problems.push(format!(
                "{at}: a `// {MARKER}` comment that names no row: write `// {MARKER} (<id>): …`"
            ));
        }
        for id in &marker.ids {
            match by_id.get(id) {
                None => problems.push(format!("{at}: names the erratum {id}, which no row has")),
                Some((shown, row)) if !row.names(&marker.file) => problems.push(format!(
                    "{at}: names the erratum {id}, whose **Where** in {shown} does not \
                     name {}",
                    marker.file
                )),
                Some(_) => {}
            }
        }
    }
    problems
}

impl Row {
    /// Whether its **Where** names `file`, itself or a folder that holds it.
    fn names(&self, file: &str) -> bool {
        self.places
            .iter()
            .any(|place| place == file || (place.ends_with('/') && file.starts_with(place)))
    }
}

fn row_problems(shown: &str, row: &Row) -> Vec<String> {
    let mut problems = Vec::new();
    let title = &row.title;
    match &row.id {
        None => problems.push(format!(
            "{shown}: \"{title}\" has no id: end its heading with `{{#ch<N>-…}}`"
        )),
        Some(id) if !is_row_id(id) => problems.push(format!(
            "{shown}: \"{title}\" has the id {id}: an id is ch<N>- then lowercase \
             letters, digits and hyphens"
        )),
        Some(_) => {}
    }
    if row.proofs + row.reasons != 1 {
        problems.push(format!(
            "{shown}: \"{title}\" needs exactly one **Proved by:** or **Why no test:** \
             item, and has {}",
            row.proofs + row.reasons
        ));
    }
    problems
}

/// The Rust files of the workspace that may hold markers: everything but
/// `target/`, hidden folders, and the walkthrough's own crate (whose checker
/// and tests spell the marker out).
fn source_files(workspace: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    collect_sources(workspace, workspace, &mut found);
    found.sort();
    found
}

fn collect_sources(workspace: &Path, dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let top_book = dir == workspace && name == "book";
        if name.starts_with('.') || name == "target" || top_book {
            continue;
        }
        if path.is_dir() {
            collect_sources(workspace, &path, found);
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
}

fn relative(workspace: &Path, file: &Path) -> String {
    file.strip_prefix(workspace)
        .unwrap_or(file)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_has_its_id_places_and_proof() {
        let page = "### Section\n\n#### A title `x` {#ch3-a-title}\n\n- **Fix:** `a.rs` is not a \
                    Where\n- **Where:** `x/a.rs`,\n  `x/b.rs`, every file of `x/bin/`\n\
                    - **Proved by:**\n  - `t`\n\n### The text says / In fact\n\n\
                    #### Claim {#ch3-claim}\n\n- **Why no test:** none can.\n";
        let rows = rows(page);
        assert_eq!(rows.len(), 2, "{rows:#?}");
        assert_eq!(rows[0].id.as_deref(), Some("ch3-a-title"));
        assert_eq!(rows[0].title, "A title `x`");
        assert_eq!(rows[0].places, ["x/a.rs", "x/b.rs", "x/bin/"]);
        assert_eq!((rows[0].proofs, rows[0].reasons), (1, 0));
        assert_eq!(rows[1].id.as_deref(), Some("ch3-claim"));
        assert_eq!((rows[1].proofs, rows[1].reasons), (0, 1));
        assert!(rows[1].places.is_empty());
    }

    #[test]
    fn a_marker_names_its_rows() {
        let source = "fn a() {}\n    // Book errata (ch1-one): fixed.\n//! Book errata (ch1-a, \
                      ch1-b): both.\n// Book errata: old style.\nlet s = \"// Book errata (x):\";\n";
        let found = markers("f.rs", source);
        let ids: Vec<_> = found.iter().map(|m| (m.line, m.ids.clone())).collect();
        assert_eq!(
            ids,
            [
                (2, vec!["ch1-one".to_string()]),
                (3, vec!["ch1-a".to_string(), "ch1-b".to_string()]),
                (4, vec![]),
            ]
        );
    }

    #[test]
    fn ids_are_checked_for_shape() {
        assert!(is_row_id("ch3-poller-nul"));
        assert!(is_row_id("ch12-x2"));
        for bad in [
            "poller",
            "ch-x",
            "ch3-",
            "ch3_x",
            "ch3-Poller",
            "ch3x",
            "ch3-x-",
        ] {
            assert!(!is_row_id(bad), "{bad}");
        }
    }
}
