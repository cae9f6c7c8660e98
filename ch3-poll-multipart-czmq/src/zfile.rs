//! The zfile lesson (the book's chapter 3, "zfile" and "zfile_mkdir"): CZMQ's
//! file helpers are `std::fs` — `zfile_mkdir` is [`std::fs::create_dir`],
//! `zfile_size` is `metadata().len()`, `zfile_delete` is `remove_file`,
//! `zfile_exists` is `Path::exists` — and a received message saved with
//! [`saved::save`] (CZMQ's `zmsg_save`), beside this file.
//!
//! The book's lesson of `zfile_mkdir`: it makes ONE directory.
//! `create_dir("test")` works; `create_dir("test2/test3")` fails when `test2`
//! does not exist. `create_dir_all` would make every missing level — and that
//! is what `zfile_mkdir` does in CZMQ 3 and 4 (the book describes CZMQ's first
//! `zfile`).

use std::fs::{self, File};
use std::io::{BufWriter, ErrorKind};
use std::path::Path;

use lab::{Context, Frames};

pub mod saved;

// ANCHOR: make_dir
/// Makes the directory `dir`, one level only, as the book says `zfile_mkdir`
/// does. A directory that already exists is fine. When `dir`'s parent is
/// missing the error explains the lesson: `create_dir` makes one level, not
/// the path.
///
/// ```
/// use ch3_poll_multipart_czmq::zfile::make_dir;
///
/// let base = std::env::temp_dir().join(format!("zfile-doc-{}", std::process::id()));
/// make_dir(&base).unwrap(); // one level: fine
/// make_dir(&base).unwrap(); // already there: fine too
/// let error = make_dir(&base.join("test2/test3")).unwrap_err().to_string();
/// assert!(error.contains("create_dir makes one level only"), "{error}");
/// std::fs::remove_dir(&base).unwrap();
/// ```
pub fn make_dir(dir: &Path) -> lab::Result<()> {
    // Book errata (ch3-zfile-mkdir-silent): the listing ignores what zfile_mkdir returns, so
    // its "Will not work" fails in silence; here the failure is the lesson.
    match fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(error) if error.kind() == ErrorKind::NotFound => {
            let parent = dir.parent().unwrap_or(Path::new(""));
            Err(lab::Error::failed(format!(
                "cannot create directory {}: its parent {} does not exist, and \
                 create_dir makes one level only (the book's zfile_mkdir lesson; \
                 create_dir_all would make every level)",
                dir.display(),
                parent.display()
            )))
        }
        Err(error) => Err(error).context(format_args!("cannot create directory {}", dir.display())),
    }
}

// ANCHOR_END: make_dir

/// Saves `message` to the file `path` (created or truncated) in the format of
/// [`saved::save`] — CZMQ's `zmsg_save`.
pub fn save_message(message: &Frames, path: &Path) -> lab::Result<()> {
    // Book errata (ch3-zfile-unchecked): the listing checks neither fopen nor zmsg_recv;
    // here a file that cannot be made is an error that says so.
    let file = File::create(path).context(format_args!("cannot create {}", path.display()))?;
    saved::save(message, BufWriter::new(file))
        .context(format_args!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A directory of this test's own, removed at the end.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let path = std::env::temp_dir().join(format!("zfile-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&path);
            fs::create_dir(&path).unwrap();
            Scratch(path)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn one_level_is_made_and_an_existing_directory_is_fine() {
        let scratch = Scratch::new("one-level");
        let test = scratch.0.join("test");
        make_dir(&test).unwrap();
        assert!(test.is_dir());
        make_dir(&test).unwrap();
    }

    #[test]
    fn two_missing_levels_are_refused_with_the_lesson() {
        let scratch = Scratch::new("two-levels");
        let nested = scratch.0.join("test2").join("test3");
        let error = make_dir(&nested).unwrap_err().to_string();
        assert!(error.contains("create_dir makes one level only"), "{error}");
        assert!(error.contains("test2 does not exist"), "{error}");
        assert!(!scratch.0.join("test2").exists());
    }

    #[test]
    fn a_file_in_the_way_is_an_error() {
        let scratch = Scratch::new("file-in-the-way");
        let file = scratch.0.join("taken");
        fs::write(&file, b"x").unwrap();
        let error = make_dir(&file).unwrap_err().to_string();
        assert!(error.starts_with("cannot create directory"), "{error}");
    }

    #[test]
    fn a_saved_message_loads_back_equal() {
        let scratch = Scratch::new("save");
        let path = scratch.0.join("server.txt");
        let message: Frames = ["world"].into_iter().collect();
        save_message(&message, &path).unwrap();
        let loaded = saved::load(File::open(&path).unwrap()).unwrap();
        assert_eq!(loaded, message);
    }
}
