//! Capturing a child's output: one thread per child reads both of its
//! streams as they come (so the child never blocks on a full buffer), cuts
//! them into lines stamped with the time each was written, and answers
//! [`Output::sync`]: "everything written so far is in".

use std::io::{self, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use super::seqpacket::{self, Received};
use super::Stream;

/// What the reader thread reports.
#[derive(Debug)]
pub(crate) enum Event {
    /// A whole line (without its line end), and when its first byte was
    /// written.
    Line(Stream, SystemTime, String),
    /// The stream ended: the child (and anyone it passed the stream on to)
    /// closed it, and every line is reported.
    Closed(Stream),
    /// Every record queued before sync request `n` was sent is reported.
    Synced(u64),
}

/// The harness's side of a child's output.
pub(crate) struct Output {
    events: Receiver<Event>,
    /// Sync requests to the reader thread; dropping it stops the thread.
    requests: UnixStream,
    last_request: u64,
}

/// The child's ends of its two streams, to pass as its stdout and stderr.
pub(crate) struct ChildEnds {
    /// Becomes the child's stdout.
    pub(crate) stdout: OwnedFd,
    /// Becomes the child's stderr.
    pub(crate) stderr: OwnedFd,
}

impl Output {
    /// Opens the two streams and starts the thread that reads them.
    pub(crate) fn open() -> io::Result<(Output, ChildEnds)> {
        let (stdout, child_stdout) = seqpacket::output_pair()?;
        let (stderr, child_stderr) = seqpacket::output_pair()?;
        let (requests, thread_requests) = UnixStream::pair()?;
        thread_requests.set_nonblocking(true)?;
        let (sender, events) = mpsc::channel();
        let reader = Reader {
            streams: [
                Some(Source::new(Stream::Stdout, stdout)),
                Some(Source::new(Stream::Stderr, stderr)),
            ],
            // Grown to fit the longest record.
            buffer: vec![0; 8192],
            requests: thread_requests,
            request_bytes: Vec::new(),
            sender,
        };
        thread::Builder::new()
            .name("harness-output".into())
            .spawn(move || reader.run())?;
        let output = Output {
            events,
            requests,
            last_request: 0,
        };
        let ends = ChildEnds {
            stdout: child_stdout,
            stderr: child_stderr,
        };
        Ok((output, ends))
    }

    /// The next event, waiting at most `timeout`.
    pub(crate) fn next(&self, timeout: Duration) -> std::result::Result<Event, RecvTimeoutError> {
        self.events.recv_timeout(timeout)
    }

    /// Asks the reader for every record queued by now and hands each event
    /// that comes to `record`, until the reader says it has reported them
    /// all (or `patience` runs out, or the reader is gone). Every line whose
    /// `write()` returned before this call is then handed over.
    pub(crate) fn sync(&mut self, patience: Duration, mut record: impl FnMut(Event)) {
        self.last_request += 1;
        let request = self.last_request;
        if self.requests.write_all(&request.to_le_bytes()).is_err() {
            return;
        }
        let deadline = Instant::now() + patience;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(Event::Synced(done)) if done >= request => return,
                Ok(event) => record(event),
                Err(_) => return,
            }
        }
    }
}

/// One stream being read: its end, and the line it is in the middle of.
struct Source {
    stream: Stream,
    end: OwnedFd,
    partial: Vec<u8>,
    /// When the first byte of `partial` was written.
    partial_since: Option<SystemTime>,
}

impl Source {
    fn new(stream: Stream, end: OwnedFd) -> Source {
        Source {
            stream,
            end,
            partial: Vec::new(),
            partial_since: None,
        }
    }

    /// Adds a record written at `time`, and returns the lines it completes,
    /// each with the time of the record that carried its first byte.
    fn add(&mut self, bytes: &[u8], time: SystemTime) -> Vec<(SystemTime, String)> {
        let mut lines = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let since = *self.partial_since.get_or_insert(time);
            match rest.iter().position(|byte| *byte == b'\n') {
                Some(end) => {
                    self.partial.extend_from_slice(&rest[..end]);
                    lines.push((since, take_line(&mut self.partial)));
                    self.partial_since = None;
                    rest = &rest[end + 1..];
                }
                None => {
                    self.partial.extend_from_slice(rest);
                    rest = &[];
                }
            }
        }
        lines
    }

    /// The last line, if the stream ended in the middle of one.
    fn finish(&mut self) -> Option<(SystemTime, String)> {
        let since = self.partial_since.take()?;
        Some((since, take_line(&mut self.partial)))
    }
}

/// The line in `bytes` (emptied), without a trailing `\r`, invalid UTF-8
/// replaced.
fn take_line(bytes: &mut Vec<u8>) -> String {
    let line = String::from_utf8_lossy(bytes);
    let line = line.trim_end_matches('\r').to_string();
    bytes.clear();
    line
}

/// The reader thread's state.
struct Reader {
    /// `None` once the stream ended.
    streams: [Option<Source>; 2],
    buffer: Vec<u8>,
    requests: UnixStream,
    request_bytes: Vec<u8>,
    sender: Sender<Event>,
}

impl Reader {
    /// Reads until the [`Output`] is dropped (or something fails).
    fn run(mut self) {
        loop {
            let [stdout, stderr] = &self.streams;
            let ready = seqpacket::wait_readable(
                [
                    Some(self.requests.as_fd()),
                    stdout.as_ref().map(|source| source.end.as_fd()),
                    stderr.as_ref().map(|source| source.end.as_fd()),
                ],
                None,
            );
            let Ok([requested, _, _]) = ready else {
                return;
            };
            // Whatever woke us, read everything queued: simpler, and a sync
            // needs it anyway.
            if self.drain().is_err() {
                return;
            }
            if requested {
                match self.take_requests() {
                    Ok(Some(request)) => {
                        // Drained after the request arrived, so after it was
                        // sent: every record queued before it is reported.
                        if self.drain().is_err() || self.send(Event::Synced(request)).is_err() {
                            return;
                        }
                    }
                    Ok(None) => {}
                    // The Output is gone: so is everyone who wanted the lines.
                    Err(_) => return,
                }
            }
        }
    }

    /// Reads every record queued on both streams and reports their lines.
    fn drain(&mut self) -> std::result::Result<(), ()> {
        for index in 0..self.streams.len() {
            while let Some(source) = self.streams[index].as_mut() {
                let received = seqpacket::receive(source.end.as_fd(), &mut self.buffer);
                let mut events = Vec::new();
                match received {
                    Ok(Received::Nothing) => break,
                    Ok(Received::Record(length, time)) => {
                        for (time, line) in source.add(&self.buffer[..length], time) {
                            events.push(Event::Line(source.stream, time, line));
                        }
                    }
                    // A failed stream is as good as ended.
                    Ok(Received::End) | Err(_) => {
                        if let Some((time, line)) = source.finish() {
                            events.push(Event::Line(source.stream, time, line));
                        }
                        events.push(Event::Closed(source.stream));
                        self.streams[index] = None;
                    }
                }
                for event in events {
                    self.send(event)?;
                }
            }
        }
        Ok(())
    }

    /// The latest complete sync request, if any came; an error when the
    /// requesting side closed.
    fn take_requests(&mut self) -> io::Result<Option<u64>> {
        let mut bytes = [0u8; 64];
        loop {
            match self.requests.read(&mut bytes) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(read) => self.request_bytes.extend_from_slice(&bytes[..read]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        let whole = self.request_bytes.len() / 8 * 8;
        let latest = self.request_bytes[..whole]
            .chunks_exact(8)
            .filter_map(|chunk| chunk.try_into().ok().map(u64::from_le_bytes))
            .max();
        self.request_bytes.drain(..whole);
        Ok(latest)
    }

    fn send(&self, event: Event) -> std::result::Result<(), ()> {
        self.sender.send(event).map_err(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn a_line_is_stamped_with_the_write_of_its_first_byte() {
        let (ours, _) = seqpacket::output_pair().unwrap();
        let mut source = Source::new(Stream::Stdout, ours);
        assert_eq!(source.add(b"one\ntw", at(1)), [(at(1), "one".to_string())]);
        assert_eq!(source.add(b"o", at(2)), []);
        assert_eq!(
            source.add(b"\r\nthree\nfo", at(3)),
            [(at(1), "two".to_string()), (at(3), "three".to_string())]
        );
        assert_eq!(source.finish(), Some((at(3), "fo".to_string())));
        assert_eq!(source.finish(), None);
    }
}
