//! A network lab on one machine: hosts that are Linux network namespaces,
//! each with its own network stack and address, plugged into a switch, so
//! that the failures a process kill cannot show can be made on purpose — a
//! host cut off by its link going down (a partition, a pulled cable), then
//! plugged in again; and, where the kernel has netem, a slow or lossy link.
//!
//! ```text
//!   h1 (198.18.0.1) ─eth0──p1─┐
//!   h2 (198.18.0.2) ─eth0──p2─┤ br0   (the switch: a namespace of its own)
//!   h3 (198.18.0.3) ─eth0──p3─┘
//! ```
//!
//! Each host is a namespace with one veth link, `eth0`, whose other end is
//! a port of a bridge in the switch's namespace. Addresses are in
//! 198.18.0.0/15, the range set aside for network tests (RFC 2544), and
//! nothing else: no IPv6 address is generated, no host has a route beyond
//! its /24, and no link leaves the lab's namespaces, so nothing can route
//! to or from the machine's real network.
//!
//! A partition takes a host's switch port down: the host keeps its address
//! and its sockets, its peers keep theirs, and every packet either way is
//! dropped without a word — no FIN, no RST, no ICMP. That is the silence a
//! dead process's kernel never leaves: it closes the connections at once.
//!
//! Needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN) and iproute2's `ip`:
//! [`available`] says whether this machine allows it, and why not.
//! Everything is removed when the [`Network`] is dropped, on Ctrl-C, and,
//! for a harness killed outright, by the next one (see [`namespaces`]).

mod ip;
pub mod namespaces;

use std::ffi::OsStr;
use std::net::Ipv4Addr;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use crate::{Bins, Failure, Result, Running};
use ip::{ip, ip_in, output, run};

/// The lab's addresses: 198.18.0.0/15, set aside for network tests.
pub const LAB_RANGE: (Ipv4Addr, u8) = (Ipv4Addr::new(198, 18, 0, 0), 15);

/// True if `address` is in [`LAB_RANGE`].
pub fn in_lab_range(address: Ipv4Addr) -> bool {
    let (base, prefix) = LAB_RANGE;
    let mask = u32::MAX << (32 - u32::from(prefix));
    u32::from(address) & mask == u32::from(base) & mask
}

/// Whether this machine can run the lab: `Err` says why not (not root, no
/// `ip`, no namespaces). Found out once, by making and removing a namespace.
pub fn available() -> std::result::Result<(), String> {
    static ANSWER: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    ANSWER
        .get_or_init(|| probe(|_| Ok(())).map_err(|failure| failure.to_string()))
        .clone()
}

/// Whether the kernel has netem, for [`Network::delay`] and
/// [`Network::loss`]: `Err` says why not. (This machine's kernel has
/// namespaces and veth but no netem: `tc` answers "Specified qdisc kind is
/// unknown".)
pub fn netem_available() -> std::result::Result<(), String> {
    static ANSWER: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    ANSWER
        .get_or_init(|| {
            available()?;
            probe(|namespace| {
                run(
                    "tc",
                    &[
                        "-n", namespace, "qdisc", "add", "dev", "lo", "root", "netem", "delay",
                        "1ms",
                    ],
                )
            })
            .map_err(|failure| format!("no netem in this kernel: {failure}"))
        })
        .clone()
}

/// Makes a namespace, runs `test` in it, removes it.
fn probe(test: impl FnOnce(&str) -> Result<()>) -> Result<()> {
    ip(&["-V"]).map_err(|f| f.context("iproute2's `ip` is needed"))?;
    if !privileged() {
        return Err(Failure::new(format!(
            "needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN, to make network \
             namespaces (running as uid {})",
            effective_uid()
        )));
    }
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = namespaces::name(&format!("probe{}", NEXT.fetch_add(1, Ordering::Relaxed)));
    namespaces::create(&name)?;
    let outcome = test(&name);
    namespaces::remove(&name);
    outcome
}

/// True if this process runs as root (effective uid 0).
pub fn running_as_root() -> bool {
    effective_uid() == 0
}

/// CAP_NET_ADMIN (12) and CAP_SYS_ADMIN (21) are in the effective set.
fn privileged() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let effective = status
        .lines()
        .find_map(|line| line.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .unwrap_or(0);
    let wanted = (1 << 12) | (1 << 21);
    effective & wanted == wanted
}

fn effective_uid() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(u32::MAX)
}

/// A host of the lab: a network namespace with one link, `eth0`.
#[derive(Debug, Clone)]
pub struct Host {
    number: u8,
    namespace: String,
}

impl Host {
    /// The host's address, `198.18.0.<n>` for host `n`.
    pub fn address(&self) -> Ipv4Addr {
        Ipv4Addr::new(198, 18, 0, self.number)
    }

    /// `tcp://<address>:*`: where a server on this host binds, a port the
    /// OS picks (read back from its `bound` line).
    pub fn any_port(&self) -> String {
        format!("tcp://{}:*", self.address())
    }

    /// The host's name in this lab, `h<n>`.
    pub fn name(&self) -> String {
        format!("h{}", self.number)
    }

    /// The network namespace that is this host.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The switch's port this host is plugged into.
    fn port(&self) -> String {
        format!("p{}", self.number)
    }
}

/// Hosts on one switch. Dropping it removes them all (see the module).
pub struct Network {
    switch: String,
    hosts: Vec<Host>,
}

impl Network {
    /// `hosts` hosts, `h1`…, addressed `198.18.0.1`…, all on one switch and
    /// all plugged in.
    pub fn new(hosts: u8) -> Result<Network> {
        available().map_err(Failure::new)?;
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let mut network = Network {
            switch: namespaces::name(&format!("{id}-sw")),
            hosts: Vec::new(),
        };
        namespaces::create(&network.switch)?;
        ip_in(
            &network.switch,
            &[
                "link add br0 type bridge".into(),
                // No IPv6 link-local address: the lab has only its own.
                "link set br0 addrgenmode none".into(),
                "link set br0 up".into(),
            ],
        )?;
        for number in 1..=hosts {
            let host = Host {
                number,
                namespace: namespaces::name(&format!("{id}-h{number}")),
            };
            namespaces::create(&host.namespace)?;
            network.hosts.push(host.clone());
            network.plug_in(&host)?;
        }
        Ok(network)
    }

    /// Makes `host`'s link: `eth0` in the host, its peer a port of the
    /// switch, made in place in the two namespaces (never in the machine's
    /// own, so no name collides and nothing touches the real network).
    fn plug_in(&self, host: &Host) -> Result<()> {
        let address = host.address();
        if !in_lab_range(address) {
            return Err(Failure::new(format!(
                "{address} is outside the lab's range"
            )));
        }
        let port = host.port();
        ip(&[
            "-n",
            &self.switch,
            "link",
            "add",
            &port,
            "type",
            "veth",
            "peer",
            "name",
            "eth0",
            "netns",
            &host.namespace,
        ])?;
        ip_in(
            &self.switch,
            &[
                format!("link set {port} addrgenmode none"),
                format!("link set {port} master br0"),
                format!("link set {port} up"),
            ],
        )?;
        ip_in(
            &host.namespace,
            &[
                "link set eth0 addrgenmode none".into(),
                format!("addr add {address}/24 dev eth0"),
                "link set eth0 up".into(),
                "link set lo up".into(),
            ],
        )
    }

    /// Host `n` (from 1).
    pub fn host(&self, n: u8) -> &Host {
        &self.hosts[usize::from(n) - 1]
    }

    /// The hosts, `h1` first.
    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    /// Every namespace of the lab: the switch's, then the hosts'.
    pub fn namespaces(&self) -> Vec<&str> {
        let hosts = self.hosts.iter().map(Host::namespace);
        std::iter::once(self.switch.as_str()).chain(hosts).collect()
    }

    /// What `ip -n <namespace> -o <what…>` prints (`addr show`, `route
    /// show table all`…): for looking at the lab, one line per item.
    pub fn show(&self, namespace: &str, what: &[&str]) -> Result<String> {
        let mut args = vec!["-n", namespace, "-o"];
        args.extend_from_slice(what);
        output("ip", &args)
    }

    /// What `program args…` prints when run on `host` (`ss -tno`, say).
    pub fn output_on(&self, host: &Host, program: &str, args: &[&str]) -> Result<String> {
        let mut all = vec!["netns", "exec", &host.namespace, program];
        all.extend_from_slice(args);
        output("ip", &all)
    }

    /// A command that runs the example `name` with `args` on `host`:
    /// `ip netns exec <host> <binary> args…` (`ip` enters the namespace and
    /// execs the binary, so the process is the program itself, and the
    /// harness's spawn guard — kill on drop, `PR_SET_PDEATHSIG` — applies).
    pub fn command<S: AsRef<OsStr>>(
        &self,
        bins: &Bins,
        host: &Host,
        name: &str,
        args: &[S],
    ) -> Command {
        let mut command = Command::new("ip");
        command
            .args(["netns", "exec", &host.namespace])
            .arg(bins.path(name))
            .args(args)
            .env(Bins::BUILT_ENV, bins.dir());
        command
    }

    /// Starts the example `name` with `args` on `host`, labelled
    /// `<name>@<host>`.
    pub fn spawn<S: AsRef<OsStr>>(
        &self,
        bins: &Bins,
        host: &Host,
        name: &str,
        args: &[S],
    ) -> Result<Running> {
        let label = format!("{name}@{}", host.name());
        self.spawn_as(&label, bins, host, name, args)
    }

    /// The same, labelled `label` (in failures, on a demo's stage).
    pub fn spawn_as<S: AsRef<OsStr>>(
        &self,
        label: &str,
        bins: &Bins,
        host: &Host,
        name: &str,
        args: &[S],
    ) -> Result<Running> {
        Running::spawn(label, self.command(bins, host, name, args))
    }

    /// Starts a server `name` on `host`, bound to `--bind tcp://<host>:*`
    /// and `args`, and returns it with the endpoint it bound.
    pub fn serve(
        &self,
        bins: &Bins,
        host: &Host,
        name: &str,
        args: &[&str],
    ) -> Result<(Running, String)> {
        let mut all = vec!["--bind".to_string(), host.any_port()];
        all.extend(args.iter().map(|arg| arg.to_string()));
        let mut server = self.spawn(bins, host, name, &all)?;
        let endpoint = server.bound_endpoint(crate::PATIENCE)?;
        Ok((server, endpoint))
    }

    /// Cuts `host` off: its switch port goes down, and every packet to or
    /// from it is dropped, silently. Its programs go on running.
    pub fn partition(&self, host: &Host) -> Result<()> {
        ip_in(&self.switch, &[format!("link set {} down", host.port())])
    }

    /// Plugs `host` in again after [`Network::partition`].
    pub fn heal(&self, host: &Host) -> Result<()> {
        ip_in(&self.switch, &[format!("link set {} up", host.port())])
    }

    /// Delays every packet `host` sends by `delay` (netem); `Err` where the
    /// kernel has no netem ([`netem_available`]).
    pub fn delay(&self, host: &Host, delay: Duration) -> Result<()> {
        let delay = format!("{}us", delay.as_micros());
        self.netem(host, &["delay", &delay])
    }

    /// Drops `percent` % of the packets `host` sends (netem).
    pub fn loss(&self, host: &Host, percent: u8) -> Result<()> {
        let loss = format!("{percent}%");
        self.netem(host, &["loss", &loss])
    }

    /// Back to a plain link after [`Network::delay`] or [`Network::loss`].
    pub fn clear_netem(&self, host: &Host) -> Result<()> {
        netem_available().map_err(Failure::new)?;
        run(
            "tc",
            &["-n", &host.namespace, "qdisc", "del", "dev", "eth0", "root"],
        )
    }

    fn netem(&self, host: &Host, what: &[&str]) -> Result<()> {
        netem_available().map_err(Failure::new)?;
        let mut args = vec![
            "-n",
            &host.namespace,
            "qdisc",
            "replace",
            "dev",
            "eth0",
            "root",
            "netem",
        ];
        args.extend_from_slice(what);
        run("tc", &args)
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        for host in &self.hosts {
            namespaces::remove(&host.namespace);
        }
        namespaces::remove(&self.switch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lab_range_is_198_18_slash_15() {
        assert!(in_lab_range(Ipv4Addr::new(198, 18, 0, 1)));
        assert!(in_lab_range(Ipv4Addr::new(198, 19, 255, 254)));
        assert!(!in_lab_range(Ipv4Addr::new(198, 20, 0, 1)));
        assert!(!in_lab_range(Ipv4Addr::new(198, 17, 255, 255)));
        assert!(!in_lab_range(Ipv4Addr::new(127, 0, 0, 1)));
    }
}
