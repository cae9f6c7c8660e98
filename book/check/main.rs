//! Builds the walkthrough into `target/book` and checks it (see the `book`
//! library). Open `target/book/index.html` afterwards.

use std::process::ExitCode;

fn main() -> ExitCode {
    let out = book::book_root()
        .parent()
        .map_or_else(book::workspace_root, |root| root.to_path_buf())
        .join("target/book");
    if let Err(why) = book::build(&book::book_root(), &out) {
        eprintln!("error: {why}");
        return ExitCode::FAILURE;
    }
    let mut problems = book::problems(&out);
    problems.extend(
        book::examples_not_included(&book::workspace_root(), &book::book_root().join("src"))
            .into_iter()
            .map(|file| format!("{file} is not included by any page")),
    );
    problems.extend(book::errata_marker_problems(
        &book::workspace_root(),
        &book::book_root().join("src"),
    ));
    problems.extend(book::transcript_problems(&book::book_root().join("src")));
    for problem in &problems {
        eprintln!("error: {problem}");
    }
    if problems.is_empty() {
        println!("built {}", out.join("index.html").display());
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
