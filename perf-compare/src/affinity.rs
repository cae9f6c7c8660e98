//! `--pin`: which CPUs the next spawned tool may run on.
//!
//! A child inherits the CPU affinity of the thread that spawns it, so the
//! benchmark sets its own before starting each side of a pair: the local tool
//! (its application thread and its libzmq I/O thread) on one CPU, the remote
//! tool on another. The scheduler then cannot move the four busy threads of a
//! pair around two CPUs from one run to the next — the main source of noise
//! in unpinned runs, whose throughput jumps between two levels.
#![allow(unsafe_code)]

use std::io;

/// The CPUs this thread may run on, as the kernel reports them.
pub fn current() -> io::Result<Vec<usize>> {
    // SAFETY: an all-zero `cpu_set_t` is a valid empty set; the kernel writes
    // at most `size_of::<cpu_set_t>()` bytes into it; CPU_ISSET only reads it
    // for indices below CPU_SETSIZE.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Err(io::Error::last_os_error());
        }
        let all = usize::try_from(libc::CPU_SETSIZE).unwrap_or(0);
        Ok((0..all).filter(|&cpu| libc::CPU_ISSET(cpu, &set)).collect())
    }
}

/// Lets this thread (and the processes it spawns from now on) run on `cpus`
/// only.
pub fn set(cpus: &[usize]) -> io::Result<()> {
    // SAFETY: as in `current`; CPU_SET writes only within the set for indices
    // below CPU_SETSIZE (larger ones are skipped), and sched_setaffinity only
    // reads the set.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        let all = usize::try_from(libc::CPU_SETSIZE).unwrap_or(0);
        for &cpu in cpus.iter().filter(|&&cpu| cpu < all) {
            libc::CPU_SET(cpu, &mut set);
        }
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinning_to_one_allowed_cpu_and_back() {
        let all = current().unwrap();
        assert!(!all.is_empty());
        set(&all[..1]).unwrap();
        assert_eq!(current().unwrap(), all[..1]);
        set(&all).unwrap();
        assert_eq!(current().unwrap(), all);
    }
}
