//! The book's fixed ports (4040, 5050): the few scenarios that check the
//! defaults take them, so they must not run at the same time as each other,
//! in this process or in any other test process.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::PathBuf;

use crate::{Failure, Result};

/// The lock on the book's ports, held until dropped.
///
/// It is an exclusive `flock` on `$TMPDIR/serial-test-book_ports`: the same
/// file and kind of lock as `#[serial_test::file_serial(book_ports)]`, so a
/// test anywhere in the workspace that uses the book's ports with that
/// attribute is serialised with these scenarios too.
#[derive(Debug)]
pub struct BookPorts {
    // Closing the file (dropping it) releases the lock.
    _file: File,
}

impl BookPorts {
    /// Waits until no other holder has the ports, then takes them.
    pub fn lock() -> Result<BookPorts> {
        let path = lock_path();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Failure::new(format!("cannot open {}: {e}", path.display())))?;
        loop {
            // SAFETY: flock on a descriptor this function owns (the file lives
            // on in the returned guard); no memory is involved.
            #[allow(unsafe_code)]
            let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
            if locked == 0 {
                return Ok(BookPorts { _file: file });
            }
            let error = std::io::Error::last_os_error();
            if error.kind() != std::io::ErrorKind::Interrupted {
                return Err(Failure::new(format!(
                    "cannot lock {}: {error}",
                    path.display()
                )));
            }
        }
    }
}

/// serial_test's lock file for the name `book_ports`.
fn lock_path() -> PathBuf {
    std::env::temp_dir().join("serial-test-book_ports")
}
