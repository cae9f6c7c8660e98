//! Errors an example reports to its user.

use std::fmt;

/// Why an example stopped before finishing its work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// SIGINT or SIGTERM arrived: a clean, successful stop.
    Interrupted,
    /// Something outside the program failed; the text says what and why, e.g.
    /// `cannot bind tcp://*:4040: Address already in use`.
    Failed(String),
}

/// The result of anything an example does that can fail at run time.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A failure described by `what` (no cause attached).
    pub fn failed(what: impl fmt::Display) -> Error {
        Error::Failed(what.to_string())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Interrupted => f.write_str("interrupted"),
            Error::Failed(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Error {}

impl From<zmq::Error> for Error {
    fn from(error: zmq::Error) -> Error {
        if is_interruption(error) {
            Error::Interrupted
        } else {
            Error::Failed(error.to_string())
        }
    }
}

/// A blocking libzmq call returns `EINTR` when our signal handler ran while it
/// waited; after an interrupt, a closed context makes further calls return
/// `ETERM`. Both mean "stop now", not "something broke".
fn is_interruption(error: zmq::Error) -> bool {
    matches!(error, zmq::Error::EINTR | zmq::Error::ETERM) && crate::interrupted()
}

/// Attaches the sentence that says what was being attempted to a low-level error:
/// `socket.bind(ep).context(format!("cannot bind {ep}"))?` reports
/// `error: cannot bind tcp://*:4040: Address already in use`.
pub trait Context<T> {
    /// Replaces the error with `<what>: <the error's own message>`.
    fn context(self, what: impl fmt::Display) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, zmq::Error> {
    fn context(self, what: impl fmt::Display) -> Result<T> {
        self.map_err(|error| match Error::from(error) {
            Error::Interrupted => Error::Interrupted,
            Error::Failed(why) => Error::Failed(format!("{what}: {why}")),
        })
    }
}

impl<T> Context<T> for std::result::Result<T, std::io::Error> {
    fn context(self, what: impl fmt::Display) -> Result<T> {
        self.map_err(|error| {
            if error.kind() == std::io::ErrorKind::Interrupted && crate::interrupted() {
                Error::Interrupted
            } else {
                Error::Failed(format!("{what}: {error}"))
            }
        })
    }
}

impl<T> Context<T> for Result<T> {
    fn context(self, what: impl fmt::Display) -> Result<T> {
        self.map_err(|error| match error {
            Error::Interrupted => Error::Interrupted,
            Error::Failed(why) => Error::Failed(format!("{what}: {why}")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_prefixes_what_failed_to_why() {
        let failed: std::result::Result<(), zmq::Error> = Err(zmq::Error::EADDRINUSE);
        assert_eq!(
            failed.context("cannot bind tcp://*:4040"),
            Err(Error::Failed(
                "cannot bind tcp://*:4040: Address already in use".into()
            ))
        );
    }

    #[test]
    fn eintr_without_a_signal_is_a_failure_not_an_interrupt() {
        // No signal was caught in this test process, so EINTR is unexpected.
        assert!(matches!(Error::from(zmq::Error::EINTR), Error::Failed(_)));
    }
}
