//! The kernel side of the harness's output capture: a `socketpair(AF_UNIX,
//! SOCK_SEQPACKET)` per output stream instead of a pipe, so that every
//! `write()` of the child is one record that Linux stamps with the time it
//! was written (`SO_TIMESTAMPNS` on the harness's end), not the time the
//! harness got round to reading it.
//!
//! Why that makes a demo causal: Linux stamps a record in the sender's
//! `sendmsg` (here the child's `write`), under the receiving socket's lock,
//! before the record is queued and before the `write` returns. So if a
//! program prints a line and then sends a message, and another program
//! prints a line after receiving it, the first line's stamp is earlier — on
//! one clock (`CLOCK_REALTIME`) for every process. (Checked before this was
//! written: records written by two processes playing ping-pong, read 300 ms
//! later, carry their write times, in causal order; with the option set
//! only after the writes, Linux stamps them when read instead — so it is set
//! before the child starts.)
//!
//! Linux only: `SOCK_SEQPACKET` for `AF_UNIX` and `SO_TIMESTAMPNS` are Linux's.
//! One `write()` larger than the socket's send buffer (at least 400 KiB; the
//! harness asks for more) fails with `EMSGSIZE` in the child, where a pipe
//! would have split it.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How big a send buffer the harness asks for on the child's end: the kernel
/// caps it (at twice `net.core.wmem_max`), and one record can be no bigger.
const WANTED_SEND_BUFFER: libc::c_int = 4 << 20;

/// One output channel: the harness's end, timestamps on, and the child's end,
/// to become its stdout or stderr. Both are close-on-exec, so no other child
/// started meanwhile inherits them (which would keep the channel open).
pub(crate) fn output_pair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds: [libc::c_int; 2] = [-1, -1];
    // SAFETY: socketpair writes two descriptors into the array we own, and
    // only on success, which is when we take ownership of them.
    #[allow(unsafe_code)]
    let made = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if made != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are owned by no one else.
    #[allow(unsafe_code)]
    let (ours, theirs) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // Before the child exists: Linux stamps a record when it is sent only if
    // the receiver already asks for stamps (otherwise when it is read).
    set_option(ours.as_raw_fd(), libc::SO_TIMESTAMPNS, 1)?;
    // Best effort: a bigger buffer lets bigger single writes through.
    let _ = set_option(theirs.as_raw_fd(), libc::SO_SNDBUF, WANTED_SEND_BUFFER);
    Ok((ours, theirs))
}

fn set_option(fd: libc::c_int, option: libc::c_int, value: libc::c_int) -> io::Result<()> {
    // SAFETY: setsockopt only reads the int we pass, for the size we give.
    #[allow(unsafe_code)]
    let set = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            option,
            (&raw const value).cast(),
            socklen_of::<libc::c_int>(),
        )
    };
    if set == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn socklen_of<T>() -> libc::socklen_t {
    libc::socklen_t::try_from(size_of::<T>()).unwrap_or(libc::socklen_t::MAX)
}

/// What one non-blocking receive found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Received {
    /// A record of this many bytes (at the start of the buffer), written at
    /// this time.
    Record(usize, SystemTime),
    /// Nothing queued now.
    Nothing,
    /// The child's end is closed (by every process that had it) and every
    /// record has been read.
    End,
}

/// Takes the next record from the harness's end `ours` into `buffer`
/// (grown to fit it) without waiting.
pub(crate) fn receive(ours: BorrowedFd<'_>, buffer: &mut Vec<u8>) -> io::Result<Received> {
    // First its length, leaving it queued: with MSG_TRUNC, the kernel gives
    // a record's real length even when it does not fit (and would drop the
    // rest if it were taken).
    let Some((length, _)) = receive_into(ours, buffer, libc::MSG_PEEK | libc::MSG_TRUNC)? else {
        return Ok(Received::Nothing);
    };
    if length > buffer.len() {
        buffer.resize(length, 0);
    }
    // Only this thread reads `ours`: the record peeked at is the one taken.
    let Some((received, stamp)) = receive_into(ours, buffer, 0)? else {
        return Ok(Received::Nothing);
    };
    match stamp {
        // End of file comes with no control message; a record (even an empty
        // one) always has its stamp, since stamps were on before the child
        // could write.
        None if received == 0 => Ok(Received::End),
        None => Ok(Received::Record(received, SystemTime::now())),
        Some(time) => Ok(Received::Record(received, time)),
    }
}

/// One `recvmsg` into `buffer` with `flags` (and never waiting): the length
/// it returns and the record's stamp, or `None` when nothing is queued.
fn receive_into(
    ours: BorrowedFd<'_>,
    buffer: &mut [u8],
    flags: libc::c_int,
) -> io::Result<Option<(usize, Option<SystemTime>)>> {
    // Room for one control message carrying a timespec, aligned for cmsghdr.
    let mut control = [0u64; 8];
    let mut iov = libc::iovec {
        iov_base: buffer.as_mut_ptr().cast(),
        iov_len: buffer.len(),
    };
    // SAFETY: msghdr is plain data: all zeroes is a valid (empty) value.
    #[allow(unsafe_code)]
    let mut message: libc::msghdr = unsafe { std::mem::zeroed() };
    message.msg_iov = &raw mut iov;
    message.msg_iovlen = 1;
    message.msg_control = control.as_mut_ptr().cast();
    message.msg_controllen = size_of_val(&control) as _;
    loop {
        // SAFETY: the message points at `buffer` and `control`, both ours and
        // alive for the call, with their true lengths.
        #[allow(unsafe_code)]
        let received = unsafe {
            libc::recvmsg(
                ours.as_raw_fd(),
                &raw mut message,
                flags | libc::MSG_DONTWAIT,
            )
        };
        if received >= 0 {
            return Ok(Some((received.unsigned_abs(), timestamp(&message))));
        }
        let error = io::Error::last_os_error();
        match error.kind() {
            io::ErrorKind::Interrupted => continue,
            io::ErrorKind::WouldBlock => return Ok(None),
            _ => return Err(error),
        }
    }
}

/// The `SCM_TIMESTAMPNS` control message of a received message, if any.
fn timestamp(message: &libc::msghdr) -> Option<SystemTime> {
    // SAFETY: the CMSG_* macros walk the control buffer the kernel filled,
    // within `msg_controllen`; the data of an SCM_TIMESTAMPNS message is a
    // timespec, read unaligned since the buffer promises no alignment.
    #[allow(unsafe_code)]
    unsafe {
        let mut header = libc::CMSG_FIRSTHDR(message);
        while !header.is_null() {
            if (*header).cmsg_level == libc::SOL_SOCKET
                && (*header).cmsg_type == libc::SCM_TIMESTAMPNS
            {
                let time: libc::timespec = std::ptr::read_unaligned(libc::CMSG_DATA(header).cast());
                let seconds = u64::try_from(time.tv_sec).ok()?;
                let nanos = u32::try_from(time.tv_nsec).ok()?;
                return UNIX_EPOCH.checked_add(Duration::new(seconds, nanos));
            }
            header = libc::CMSG_NXTHDR(message, header);
        }
    }
    None
}

/// Waits until one of `fds` is readable, has hung up or failed, and says
/// which; `None` entries are left out. With a `timeout`, waits at most that
/// long (then none is ready); retries when a signal interrupts it.
pub(crate) fn wait_readable<const N: usize>(
    fds: [Option<BorrowedFd<'_>>; N],
    timeout: Option<Duration>,
) -> io::Result<[bool; N]> {
    let mut polled = fds.map(|fd| libc::pollfd {
        // poll ignores negative descriptors.
        fd: fd.map_or(-1, |fd| fd.as_raw_fd()),
        events: libc::POLLIN,
        revents: 0,
    });
    // Whole milliseconds, rounded up; -1 waits for ever. (A retry after a
    // signal waits the whole timeout again: only the tests give one.)
    let milliseconds = timeout.map_or(-1, |timeout| {
        libc::c_int::try_from(timeout.as_nanos().div_ceil(1_000_000)).unwrap_or(libc::c_int::MAX)
    });
    loop {
        // SAFETY: poll reads and writes the array we own, of the length given.
        #[allow(unsafe_code)]
        let ready = unsafe { libc::poll(polled.as_mut_ptr(), N as libc::nfds_t, milliseconds) };
        if ready >= 0 {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    Ok(polled.map(|entry| entry.fd >= 0 && entry.revents != 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::fd::AsFd;

    /// Longer than any wait here takes.
    const BOUND: Duration = Duration::from_secs(10);

    /// The next record, or the end, once one is there — waiting for it, as
    /// the reader thread does, at most [`BOUND`].
    fn receive_waiting(ours: BorrowedFd<'_>, buffer: &mut Vec<u8>) -> Received {
        assert_eq!(wait_readable([Some(ours)], Some(BOUND)).unwrap(), [true]);
        receive(ours, buffer).unwrap()
    }

    /// The stamp is the write's: between the clock read just before and
    /// just after the write, not when the record is read.
    ///
    /// The end comes once every process that had the child's end closed it.
    /// Close-on-exec keeps it out of the programs other tests start, but a
    /// child forked while the pair is open holds a copy until its exec, so
    /// the end may come a moment after the writer's close: the test waits
    /// for each record and for the end, and never takes "nothing yet" for
    /// an answer.
    #[test]
    fn a_record_carries_the_time_it_was_written_and_the_end_comes_last() {
        let (ours, theirs) = output_pair().unwrap();
        // Smaller than a record: it grows.
        let mut buffer = vec![0; 2];
        let mut writer = std::fs::File::from(theirs);
        let mut written = Vec::new();
        for text in ["one\n", "two\nthr"] {
            let before = SystemTime::now();
            writer.write_all(text.as_bytes()).unwrap();
            written.push((before, SystemTime::now(), text));
        }
        drop(writer);
        for (before, after, text) in written {
            let received = receive_waiting(ours.as_fd(), &mut buffer);
            let Received::Record(length, time) = received else {
                panic!("expected {text:?}, got {received:?}");
            };
            assert_eq!(&buffer[..length], text.as_bytes());
            assert!(
                before <= time && time <= after,
                "{before:?} {time:?} {after:?}"
            );
        }
        assert_eq!(receive_waiting(ours.as_fd(), &mut buffer), Received::End);
    }

    #[test]
    fn nothing_queued_is_not_the_end() {
        let (ours, _theirs) = output_pair().unwrap();
        let mut buffer = vec![0; 16];
        assert_eq!(
            receive(ours.as_fd(), &mut buffer).unwrap(),
            Received::Nothing
        );
    }
}
