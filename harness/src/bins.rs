//! Where the example binaries are, and starting them.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::process::{Finished, Running};
use crate::{Failure, Result};

/// A directory of example binaries: this workspace's own build
/// ([`Bins::workspace`]), or any other build of the same programs — a student's —
/// ([`Bins::in_dir`]). Every scenario takes one, so the same checks run on both.
#[derive(Debug, Clone)]
pub struct Bins {
    dir: PathBuf,
    /// The only programs these may start, when built for a few
    /// ([`Bins::workspace_programs`]); `None`: any.
    only: Option<Vec<String>>,
    /// Programs started from another path than `dir`'s ([`Bins::with_program`]).
    overrides: Vec<Override>,
    /// The longest any wait on a program these start may take
    /// ([`Bins::with_patience`]); `None`: what each wait asks.
    patience: Option<Duration>,
}

/// One program of [`Bins::with_program`]: its name, where it is, and how many
/// times it was started.
#[derive(Debug, Clone)]
struct Override {
    name: String,
    path: PathBuf,
    started: Arc<AtomicUsize>,
}

impl Bins {
    /// Binaries in `dir`, used as they are. A relative `dir` is taken from
    /// the current directory now, so that it still names the same place for
    /// a program started in another directory.
    pub fn in_dir(dir: impl Into<PathBuf>) -> Bins {
        let dir = dir.into();
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        Bins {
            dir,
            only: None,
            overrides: Vec::new(),
            patience: None,
        }
    }

    /// This workspace's binaries, in the target directory of the running test or
    /// harness, with the same profile. The first call in a process runs
    /// `cargo build --workspace --bins` (plus `--tests` in a test) so they are
    /// never stale: cargo builds a package's binaries for its own tests only,
    /// and these live in other packages. Panics if the build fails (the test then shows cargo's errors).
    ///
    /// A harness started by the harness or its tests (a demo, a leak check)
    /// finds [`Bins::BUILT_ENV`] set by [`Bins::command`] and uses those
    /// binaries as they are: they were just built, and a second build from
    /// the `harness` binary, outside `cargo test`, would resolve features
    /// anew and rebuild much of the tree.
    pub fn workspace() -> &'static Bins {
        static BINS: OnceLock<Bins> = OnceLock::new();
        BINS.get_or_init(|| {
            if let Some(dir) = std::env::var_os(Bins::BUILT_ENV).filter(|dir| !dir.is_empty()) {
                return Bins::in_dir(dir);
            }
            match build_workspace_bins(&[]) {
                Ok(bins) => bins,
                Err(failure) => panic!("{failure}"),
            }
        })
    }

    /// This workspace's binaries `programs`, and no others: the first command
    /// a reader types (`harness demo hello`) builds the two programs it
    /// shows, not all of them. Built with `cargo build --bin …` unless
    /// [`Bins::BUILT_ENV`] names binaries built already. Starting any other
    /// program fails, naming it, so a lesson's list of programs cannot fall
    /// behind what it runs.
    pub fn workspace_programs(programs: &[&str]) -> Result<Bins> {
        let bins = match std::env::var_os(Bins::BUILT_ENV).filter(|dir| !dir.is_empty()) {
            Some(dir) => Bins::in_dir(dir),
            None => build_workspace_bins(programs)?,
        };
        Ok(bins.only(programs))
    }

    /// The same directory, restricted to `programs`.
    pub fn only(mut self, programs: &[&str]) -> Bins {
        self.only = Some(programs.iter().map(|name| name.to_string()).collect());
        self
    }

    /// The same binaries, except that `name` is started from `path`: a
    /// student's build of one program, checked by every scenario with the
    /// other programs from this directory. Starting any other program is
    /// unchanged; [`Bins::overridden_starts`] says whether the scenario started
    /// this one at all.
    pub fn with_program(mut self, name: &str, path: impl Into<PathBuf>) -> Bins {
        let path = path.into();
        let path = std::path::absolute(&path).unwrap_or(path);
        self.overrides.retain(|other| other.name != name);
        self.overrides.push(Override {
            name: name.to_string(),
            path,
            started: Arc::new(AtomicUsize::new(0)),
        });
        self
    }

    /// How many times the programs of [`Bins::with_program`] were started
    /// (through this value or any clone of it).
    pub fn overridden_starts(&self) -> usize {
        self.overrides
            .iter()
            .map(|program| program.started.load(Ordering::SeqCst))
            .sum()
    }

    /// The same binaries, with every wait on a program they start (a line,
    /// an exit) cut to at most `patience`: a lab check of a program that
    /// hangs fails in seconds instead of the scenarios' generous
    /// [`crate::PATIENCE`].
    pub fn with_patience(mut self, patience: Duration) -> Bins {
        self.patience = Some(patience);
        self
    }

    /// The environment variable that hands a started harness the directory
    /// of binaries already built (see [`Bins::workspace`]).
    pub const BUILT_ENV: &'static str = "HARNESS_BINS_BUILT";

    /// The directory the binaries are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of the binary `name`. In a restricted set
    /// ([`Bins::workspace_programs`]) a program outside it has a path that
    /// does not exist and says why, so starting it fails with that reason.
    pub fn path(&self, name: &str) -> PathBuf {
        if let Some(program) = self.overrides.iter().find(|program| program.name == name) {
            return program.path.clone();
        }
        match &self.only {
            Some(only) if !only.iter().any(|listed| listed == name) => self
                .dir
                .join(format!("{name}--not-among-the-programs-built")),
            _ => self.dir.join(name),
        }
    }

    /// A command for the binary `name` with `args`, and [`Bins::BUILT_ENV`]
    /// naming these binaries (the examples ignore it; a harness uses them).
    pub fn command<S: AsRef<OsStr>>(&self, name: &str, args: &[S]) -> Command {
        let mut command = Command::new(self.path(name));
        command.args(args).env(Bins::BUILT_ENV, &self.dir);
        if let Some(program) = self.overrides.iter().find(|program| program.name == name) {
            program.started.fetch_add(1, Ordering::SeqCst);
        }
        command
    }

    /// Starts `name` with `args`; see [`Running`].
    pub fn spawn<S: AsRef<OsStr>>(&self, name: &str, args: &[S]) -> Result<Running> {
        let running = Running::spawn(name, self.command(name, args))?;
        Ok(self.limit(running))
    }

    /// Starts `name` with `args` under dhat heap profiling; the profile is read by
    /// [`Running::wait_exit`] into [`Finished::heap`].
    pub fn spawn_profiled<S: AsRef<OsStr>>(&self, name: &str, args: &[S]) -> Result<Running> {
        let running = Running::spawn_profiled(name, self.command(name, args))?;
        Ok(self.limit(running))
    }

    fn limit(&self, mut running: Running) -> Running {
        if let Some(patience) = self.patience {
            running.cap_waits(patience);
        }
        running
    }

    /// Runs `name` with `args` to completion, with no input, within `timeout`.
    pub fn run<S: AsRef<OsStr>>(
        &self,
        name: &str,
        args: &[S],
        timeout: Duration,
    ) -> Result<Finished> {
        self.spawn(name, args)?.wait_exit(timeout)
    }
}

/// Builds `programs` (all of the workspace's binaries when empty) in the
/// target directory and profile of the running executable.
fn build_workspace_bins(programs: &[&str]) -> Result<Bins> {
    let exe = std::env::current_exe().map_err(|e| Failure::new(format!("no current exe: {e}")))?;
    // A test runs from target/<profile>/deps/, the harness from target/<profile>/.
    let mut dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    let in_a_test = dir.ends_with("deps");
    if in_a_test {
        dir.pop();
    }
    let profile = dir
        .file_name()
        .and_then(OsStr::to_str)
        .unwrap_or("debug")
        .to_string();
    let target = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let mut build = Command::new(cargo);
    build
        .args(["build", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        .stdin(Stdio::null());
    if programs.is_empty() {
        build.args(["--workspace", "--bins"]);
    }
    for program in programs {
        build.args(["--bin", program]);
    }
    if in_a_test {
        // Under `cargo test` the binaries are built already, with the test
        // build's features (dev-dependencies count); building without the
        // test targets would resolve features anew and rebuild much of the
        // tree, libzmq included. With them, this build has nothing to do.
        build.arg("--tests");
    }
    match profile.as_str() {
        "debug" => {}
        "release" => {
            build.arg("--release");
        }
        other => {
            build.args(["--profile", other]);
        }
    }
    let status = build
        .status()
        .map_err(|e| Failure::new(format!("cannot run cargo: {e}")))?;
    if !status.success() {
        return Err(Failure::new(format!(
            "cargo build of the examples failed ({status}); see its errors above"
        )));
    }
    Ok(Bins::in_dir(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restricted_set_starts_only_the_programs_it_lists() {
        let dir = std::env::temp_dir();
        let bins = Bins::in_dir(&dir).only(&["listed"]);
        assert_eq!(bins.path("listed"), dir.join("listed"));
        let refused = bins.spawn("unlisted", &[] as &[&str]).err();
        let why = refused
            .map(|failure| failure.to_string())
            .unwrap_or_default();
        assert!(
            why.contains("cannot start unlisted") && why.contains("not-among-the-programs-built"),
            "{why}"
        );
    }

    #[test]
    fn an_override_starts_its_own_path_and_counts_its_starts() {
        let dir = std::env::temp_dir();
        let bins = Bins::in_dir(&dir).with_program("student", "/bin/true");
        assert_eq!(bins.path("student"), PathBuf::from("/bin/true"));
        assert_eq!(bins.path("other"), dir.join("other"));
        assert_eq!(bins.overridden_starts(), 0);
        // A scenario gets a clone: its starts count in the original.
        let given = bins.clone();
        let finished = given.run("student", &[] as &[&str], crate::PATIENCE);
        assert!(finished.is_ok_and(|done| done.code() == Some(0)));
        assert_eq!(bins.overridden_starts(), 1);
    }

    #[test]
    fn patience_cuts_every_wait_on_the_programs_started() -> Result<()> {
        let bins = Bins::in_dir(std::env::temp_dir())
            .with_program("sleeper", "/bin/sleep")
            .with_patience(Duration::from_millis(100));
        let mut sleeper = bins.spawn("sleeper", &["30"])?;
        let waited = sleeper.wait_stdout("never", crate::PATIENCE).err();
        let why = waited
            .map(|failure| failure.to_string())
            .unwrap_or_default();
        assert!(why.contains("within 100ms"), "{why}");
        // The wait gave up while the program still ran, not at its end.
        assert!(!sleeper.has_exited());
        let exited = sleeper.wait_exit(crate::PATIENCE).err();
        let why = exited
            .map(|failure| failure.to_string())
            .unwrap_or_default();
        assert!(why.contains("did not exit within 100ms"), "{why}");
        Ok(())
    }
}
