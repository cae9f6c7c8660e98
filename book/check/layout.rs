//! Does every page fit a 1280-pixel-wide browser window? Judged from the built
//! HTML, without a browser, so `cargo test` can say no.
//!
//! The limits come from screenshots and measurements of the built book in
//! Chromium (headless, window 1280 × 2400, mdBook 0.5's default theme and
//! fonts), with a script that read each element's width:
//!
//! - The sidebar takes 300 px; the page's column is `--content-max-width`,
//!   which `css/layout.css` sets to [`CONTENT_WIDTH_PX`].
//! - Code, in tables as in listings, is 14 px Source Code Pro: exactly 8.4 px a
//!   character (100 characters measured 840 px). An inline code span adds
//!   4.2 px of padding at each end (`std::thread::sleep(duration)` measured
//!   243.6 px); a listing block adds 20 px, so 100 characters — rustfmt's line
//!   limit — need 860 px.
//! - Prose is 16 px Open Sans: a 102-character sentence measured 748 px, about
//!   7.3 px a character with its spaces, 8.1 px a letter without them; `W` and
//!   `m` measure 14.8 px, `i` 4. Bold text (table headers) is 7.6 % wider.
//! - A table cell has 20 px of padding on each side and a 1 px border.
//!
//! A table cannot be narrower than the sum of its columns' widest unbreakable
//! runs of text — a word, or a whole code span, which `css/layout.css` keeps on
//! one line in a table (`white-space: nowrap`): when that sum
//! exceeds the column, the browser cuts the table and scrolls it sideways —
//! the old five-column errata tables needed 1075 and 1138 px, mostly for test
//! names in code spans. Short of that, a column squeezed narrower than about a
//! dozen letters wraps one word a line (the errata's "Book section" column did,
//! at 57 px), so every column that holds more than that is given
//! [`READABLE_COLUMN_PX`].
//!
//! Against Chromium's own widths (a table set to `width: 1px` shrinks to its
//! narrowest) the estimate comes within a tenth, erring towards "too
//! wide": chapter 1's table of calls estimates at 804 px (Chromium: 804), the
//! performance page's tools at 601 (560), its eight-column figures at 799 (803
//! with no cell wrapped), chapter 2's programs at 591 (544). The old errata
//! tables, which Chromium could not fit in less than 1075 and 1138 px even
//! breaking their code at spaces, estimate at 1424 and 1621 now that a code
//! span in a table stays whole.

/// The width of the page's column, in CSS pixels: `--content-max-width` in
/// `css/layout.css`.
pub const CONTENT_WIDTH_PX: f64 = 860.0;

/// A character of code (14 px Source Code Pro), in pixels.
pub const CODE_CHAR_PX: f64 = 8.4;

/// The padding at each end of an inline code span (0.3 em of 14 px).
pub const CODE_PADDING_PX: f64 = 4.2;

/// A letter of prose (16 px Open Sans, measured 8.05 px on average), rounded
/// up so the estimate errs towards too wide.
pub const PROSE_CHAR_PX: f64 = 8.2;

/// How much wider bold text is (measured: 804.7 px against 747.7 px).
pub const BOLD_FACTOR: f64 = 1.076;

/// A table cell's padding (20 px a side) and one border.
pub const CELL_CHROME_PX: f64 = 41.0;

/// The narrowest a column of prose can be and still read as prose: about a
/// dozen letters, two short words a line.
pub const READABLE_COLUMN_PX: f64 = 96.0;

/// The longest code line that fits in a listing block: (860 − 20) / 8.4.
pub const CODE_LINE_CHARS: usize = 100;

/// Everything on `html` (one built page) that would not fit the column, one
/// sentence each.
pub fn layout_problems(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (number, table) in blocks(html, "<table", "</table>").iter().enumerate() {
        let estimate = TableWidth::of(table);
        if estimate.px > CONTENT_WIDTH_PX {
            problems.push(format!(
                "table {} ({} columns, first header {:?}) needs about {:.0} px, wider than the \
                 {CONTENT_WIDTH_PX} px column{}",
                number + 1,
                estimate.columns,
                estimate.first_header,
                estimate.px,
                estimate
                    .widest_run
                    .as_ref()
                    .map(|run| format!("; its longest unbreakable text is {run}"))
                    .unwrap_or_default()
            ));
        }
    }
    for block in blocks(html, "<pre", "</pre>") {
        let text = decode(&strip_tags(&block));
        for line in text.lines() {
            let length = line.chars().count();
            if length > CODE_LINE_CHARS {
                problems.push(format!(
                    "a code line of {length} characters is wider than the column \
                     ({CODE_LINE_CHARS} fit): {:?}",
                    line.trim()
                ));
            }
        }
    }
    problems
}

/// What a table needs, as estimated.
#[derive(Debug)]
pub struct TableWidth {
    /// The narrowest width at which every column still reads, in pixels.
    pub px: f64,
    /// How many columns the table has.
    pub columns: usize,
    /// The first header cell's text, to name the table in a message.
    pub first_header: String,
    /// The longest unbreakable run of text of any cell, and its width, when it
    /// is wider than a readable column (a code span, typically).
    pub widest_run: Option<String>,
}

impl TableWidth {
    /// Estimates the table whose HTML (from `<table` to `</table>`) is `table`.
    pub fn of(table: &str) -> TableWidth {
        let mut needs: Vec<f64> = Vec::new();
        let mut first_header = String::new();
        let mut widest: Option<(f64, String, bool)> = None;
        for row in blocks(table, "<tr", "</tr>") {
            let cells = cells(&row);
            for (column, (cell, header)) in cells.iter().enumerate() {
                if *header && first_header.is_empty() {
                    first_header = decode(&strip_tags(cell)).trim().to_string();
                }
                let runs = runs(cell, *header);
                let natural: f64 = runs.iter().map(|run| run.px).sum::<f64>()
                    + SPACE_PX * runs.len().saturating_sub(1) as f64;
                let longest = runs
                    .iter()
                    .max_by(|a, b| a.px.total_cmp(&b.px))
                    .map_or(0.0, |run| run.px);
                if let Some(run) = runs.iter().max_by(|a, b| a.px.total_cmp(&b.px)) {
                    if widest.as_ref().is_none_or(|(px, _, _)| run.px > *px) {
                        widest = Some((run.px, run.text.clone(), run.code));
                    }
                }
                let need = longest.max(natural.min(READABLE_COLUMN_PX));
                if needs.len() <= column {
                    needs.resize(column + 1, 0.0);
                }
                needs[column] = needs[column].max(need);
            }
        }
        let px = needs.iter().map(|need| need + CELL_CHROME_PX).sum::<f64>() + 1.0;
        TableWidth {
            px,
            columns: needs.len(),
            first_header,
            widest_run: widest.filter(|(px, _, _)| *px > READABLE_COLUMN_PX).map(
                |(px, text, code)| {
                    let shown = if code { format!("`{text}`") } else { text };
                    format!("{shown} ({px:.0} px)")
                },
            ),
        }
    }
}

/// A space of prose, in pixels (16 px Open Sans).
const SPACE_PX: f64 = 4.2;

/// A run of text that the browser will not break: a word, or a code span.
#[derive(Debug)]
struct Run {
    text: String,
    px: f64,
    /// Whether any of it is code.
    code: bool,
}

/// The unbreakable runs of a cell's HTML, with their widths.
fn runs(cell: &str, header: bool) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut current = Run {
        text: String::new(),
        px: 0.0,
        code: false,
    };
    let (mut code, mut bold) = (0usize, usize::from(header));
    let mut rest = cell;
    while !rest.is_empty() {
        if let Some(tag_end) = rest.strip_prefix('<').and_then(|tag| tag.find('>')) {
            let tag = &rest[1..=tag_end];
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or_default();
            let closing = tag.starts_with('/');
            let depth = match name {
                "code" => Some(&mut code),
                "strong" | "b" | "th" => Some(&mut bold),
                _ => None,
            };
            if let Some(depth) = depth {
                if closing {
                    *depth = depth.saturating_sub(1);
                } else {
                    *depth += 1;
                }
            }
            if name == "code" {
                // A code span's padding sticks to the runs at its two ends.
                current.px += CODE_PADDING_PX;
            }
            if name == "br" {
                end_run(&mut runs, &mut current);
            }
            rest = &rest[tag_end + 2..];
            continue;
        }
        let text_end = rest.find('<').unwrap_or(rest.len());
        for character in decode(&rest[..text_end]).chars() {
            // A code span in a table does not break, even at a space
            // (`css/layout.css`); prose breaks at spaces.
            if character.is_whitespace() && code == 0 {
                end_run(&mut runs, &mut current);
                continue;
            }
            let px = if code > 0 {
                CODE_CHAR_PX
            } else if bold > 0 {
                PROSE_CHAR_PX * BOLD_FACTOR
            } else {
                PROSE_CHAR_PX
            };
            current.text.push(character);
            current.px += px;
            current.code |= code > 0;
        }
        rest = &rest[text_end..];
    }
    end_run(&mut runs, &mut current);
    runs
}

fn end_run(runs: &mut Vec<Run>, current: &mut Run) {
    if !current.text.is_empty() {
        runs.push(std::mem::replace(
            current,
            Run {
                text: String::new(),
                px: 0.0,
                code: false,
            },
        ));
    }
}

/// The cells of a row's HTML: each cell's inner HTML, and whether it is a
/// header cell.
fn cells(row: &str) -> Vec<(String, bool)> {
    let mut cells = Vec::new();
    let mut rest = row;
    loop {
        let th = rest.find("<th");
        let td = rest.find("<td");
        let (start, header) = match (th, td) {
            (Some(th), Some(td)) if th < td => (th, true),
            (_, Some(td)) => (td, false),
            (Some(th), None) => (th, true),
            (None, None) => break,
        };
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let close = if header { "</th>" } else { "</td>" };
        let inner = &after[open_end + 1..];
        let end = inner.find(close).unwrap_or(inner.len());
        // `<thead>` also starts with `<th`: step over it, it is not a cell.
        let tag = &after[..open_end];
        if tag.len() > 3 && !tag[3..].starts_with(char::is_whitespace) {
            rest = inner;
            continue;
        }
        cells.push((inner[..end].to_string(), header));
        rest = &inner[end..];
    }
    cells
}

/// Every piece of `html` from `open` (a tag's start, e.g. `<table`) to the
/// matching `close`, both included. Tables and `pre` blocks do not nest here.
fn blocks(html: &str, open: &str, close: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        let after = &rest[start..];
        let end = after
            .find(close)
            .map_or(after.len(), |end| end + close.len());
        found.push(after[..end].to_string());
        rest = &after[end..];
    }
    found
}

/// `html` without its tags.
fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for character in html.chars() {
        match character {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(character),
            _ => {}
        }
    }
    text
}

/// `text` with HTML's character references decoded (the ones mdBook writes).
fn decode(text: &str) -> String {
    let mut decoded = String::new();
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        let entity = &rest[amp..];
        let Some(semicolon) = entity.find(';').filter(|at| *at <= 10) else {
            decoded.push('&');
            rest = &entity[1..];
            continue;
        };
        let name = &entity[1..semicolon];
        let character = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match character {
            Some(character) => {
                decoded.push(character);
                rest = &entity[semicolon + 1..];
            }
            None => {
                decoded.push('&');
                rest = &entity[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

/// The value of `--content-max-width` in a style sheet, in pixels.
pub fn declared_content_width(css: &str) -> Option<f64> {
    let at = css.find("--content-max-width:")?;
    let value = css[at + "--content-max-width:".len()..].trim_start();
    value.split("px").next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> String {
        let mut html = String::from("<table><thead><tr>");
        for header in rows[0] {
            html.push_str(&format!("<th>{header}</th>"));
        }
        html.push_str("</tr></thead><tbody>");
        for row in &rows[1..] {
            html.push_str("<tr>");
            for cell in *row {
                html.push_str(&format!("<td>{cell}</td>"));
            }
            html.push_str("</tr>");
        }
        html.push_str("</tbody></table>");
        html
    }

    #[test]
    fn a_long_code_span_is_one_unbreakable_run() {
        let name = "every_task_reaches_the_sink_once_with_1_worker";
        let html = table(&[&["Test"], &[&format!("<code>{name}</code>, and more")]]);
        let width = TableWidth::of(&html);
        // The comma after the code span cannot go to the next line either.
        let run = name.len() as f64 * CODE_CHAR_PX + 2.0 * CODE_PADDING_PX + PROSE_CHAR_PX;
        let expected = run + CELL_CHROME_PX + 1.0;
        assert!((width.px - expected).abs() < 0.01, "{width:?}");
        assert!(width.widest_run.unwrap().contains(name));
    }

    #[test]
    fn a_code_span_with_spaces_does_not_break_in_a_table() {
        let html = table(&[
            &["Arguments"],
            &["<code>&lt;bind-to&gt; &lt;size&gt;</code> or"],
        ]);
        let width = TableWidth::of(&html);
        let span = "<bind-to> <size>".len() as f64 * CODE_CHAR_PX + 2.0 * CODE_PADDING_PX;
        assert!(
            (width.px - (span + CELL_CHROME_PX + 1.0)).abs() < 0.01,
            "{width:?}"
        );
    }

    #[test]
    fn prose_columns_get_a_readable_width_short_ones_their_own() {
        let html = table(&[
            &["size", "what"],
            &["1 KiB", "a long sentence that will wrap over several lines"],
        ]);
        let width = TableWidth::of(&html);
        let size = "1 KiB".len() as f64 * PROSE_CHAR_PX - PROSE_CHAR_PX + SPACE_PX;
        let header = "size".len() as f64 * PROSE_CHAR_PX * BOLD_FACTOR;
        let expected = size.max(header) + READABLE_COLUMN_PX + 2.0 * CELL_CHROME_PX + 1.0;
        assert!((width.px - expected).abs() < 0.01, "{width:?} {expected}");
        assert_eq!(width.columns, 2);
        assert_eq!(width.first_header, "size");
    }

    #[test]
    fn a_too_wide_table_and_a_too_long_code_line_are_reported() {
        let narrow = table(&[&["a", "b", "c"], &["<code>x</code>", "y", "z"]]);
        assert!(layout_problems(&narrow).is_empty());
        let name = "x".repeat(100);
        let wide = table(&[&["a", "b"], &[&format!("<code>{name}</code>"), "y"]]);
        let problems = layout_problems(&wide);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("wider than the 860 px column"),
            "{problems:?}"
        );
        let code = format!(
            "<pre><code class=\"language-rust\">{}\n</code></pre>",
            "y".repeat(101)
        );
        let problems = layout_problems(&code);
        assert!(
            problems[0].contains("code line of 101 characters"),
            "{problems:?}"
        );
        let fits = format!("<pre><code>{}&lt;\n</code></pre>", "y".repeat(99));
        assert!(layout_problems(&fits).is_empty());
    }

    #[test]
    fn entities_and_tags_are_read_as_text() {
        assert_eq!(
            decode("a &lt;b&gt; &amp; &#39;c&#x27; &bogus d"),
            "a <b> & 'c' &bogus d"
        );
        assert_eq!(
            strip_tags("<a href=\"x\">link</a> <code>c</code>"),
            "link c"
        );
    }

    #[test]
    fn reads_the_declared_column_width() {
        assert_eq!(
            declared_content_width(":root {\n    --content-max-width: 860px;\n}"),
            Some(860.0)
        );
        assert_eq!(declared_content_width("body {}"), None);
    }
}
