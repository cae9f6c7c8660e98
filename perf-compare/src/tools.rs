//! Building both sets of tools against one libzmq: the Rust tools with
//! `cargo build --release`, then libzmq's own C perf programs with the C++
//! compiler, from the sources the `zeromq-src` crate ships, linked to the very
//! static `libzmq.a` that cargo build just linked into the Rust tools.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use harness::{Bins, Failure, Result};

/// The six tools, by their Rust names; the C ones are spelled with `_`.
pub const TOOLS: [&str; 6] = [
    "local-lat",
    "remote-lat",
    "local-thr",
    "remote-thr",
    "inproc-lat",
    "inproc-thr",
];

/// Where both sets of tools are, and what they were built from.
pub struct Tools {
    /// The Rust tools (`target/release`).
    pub rust: Bins,
    /// The C tools (`target/perf-compare/c`).
    pub c: Bins,
    /// The static libzmq both link.
    pub libzmq: PathBuf,
    /// The C++ compiler's name and version.
    pub compiler: String,
}

/// The name of `tool` in the C set: `local-lat` is `local_lat`.
pub fn c_name(tool: &str) -> String {
    tool.replace('-', "_")
}

/// Builds the Rust tools in release, then the C tools against the same libzmq.
pub fn build() -> Result<Tools> {
    let compiler = find_compiler()?;
    let built = build_rust_tools(&["ch1-hello"], TOOLS[0])?;
    let out_dir = built
        .zmq_out_dir
        .ok_or_else(|| Failure::new("cargo did not report zmq-sys's build (its out dir)"))?;
    let sources = built
        .zeromq_src
        .ok_or_else(|| Failure::new("cargo did not report the zeromq-src crate"))?
        .join("vendor/perf");
    let libzmq = out_dir.join("lib/libzmq.a");
    let c_dir = target_dir().join("perf-compare/c");
    std::fs::create_dir_all(&c_dir)
        .map_err(|e| Failure::new(format!("cannot create {}: {e}", c_dir.display())))?;
    for tool in TOOLS {
        let name = c_name(tool);
        compile_c_tool(
            &compiler.program,
            &sources.join(format!("{name}.cpp")),
            &out_dir,
            &libzmq,
            &c_dir.join(&name),
        )?;
    }
    Ok(Tools {
        rust: Bins::in_dir(built.bins_dir),
        c: Bins::in_dir(c_dir),
        libzmq,
        compiler: compiler.version,
    })
}

/// The C++ compiler: the program and its version line.
pub struct Compiler {
    /// The program (`$CXX` or `g++`).
    pub program: OsString,
    /// Its `--version` first line.
    pub version: String,
}

/// `$CXX`, or `g++`: the compiler zmq-sys already needed to build libzmq.
pub fn find_compiler() -> Result<Compiler> {
    let program = std::env::var_os("CXX").unwrap_or_else(|| "g++".into());
    let output = Command::new(&program)
        .arg("--version")
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => Ok(Compiler {
            version: String::from_utf8_lossy(&output.stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
            program,
        }),
        _ => Err(Failure::new(format!(
            "cannot run the C++ compiler `{}`, which builds libzmq's C perf tools. \
             Install one — Debian/Ubuntu: `sudo apt-get install g++`; Fedora: \
             `sudo dnf install gcc-c++`; macOS: `xcode-select --install` — or name \
             yours in CXX (no cmake needed)",
            program.to_string_lossy()
        ))),
    }
}

/// What `cargo build --message-format=json` told about the build.
#[derive(Default)]
pub struct RustBuild {
    /// Where the binaries are (`target/release`).
    pub bins_dir: PathBuf,
    /// zmq-sys's out dir: `lib/libzmq.a`, `platform.hpp`.
    pub zmq_out_dir: Option<PathBuf>,
    /// The `zeromq-src` crate: libzmq's sources, `vendor/include/zmq.h`.
    pub zeromq_src: Option<PathBuf>,
}

/// `cargo build --release -p <package>… --bins`, reading cargo's messages for
/// the directory of the binary `marker`, zmq-sys's out dir (its
/// `lib/libzmq.a`, its `platform.hpp`) and where the `zeromq-src` crate
/// (libzmq's sources) is.
pub fn build_rust_tools(packages: &[&str], marker: &str) -> Result<RustBuild> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let selected: Vec<String> = packages.iter().map(|p| format!("-p {p}")).collect();
    let selected = selected.join(" ");
    eprintln!("building the Rust tools: cargo build --release {selected} --bins");
    let mut command = Command::new(cargo);
    command.args(["build", "--release"]);
    for package in packages {
        command.args(["-p", package]);
    }
    let output = command
        .arg("--bins")
        .args(["--message-format=json", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", target_dir())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Failure::new(format!("cannot run cargo: {e}")))?;
    if !output.status.success() {
        return Err(Failure::new(format!(
            "cargo build --release {selected} failed ({}); see its errors above",
            output.status
        )));
    }
    let mut built = RustBuild::default();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let text = |key: &str| message[key].as_str().unwrap_or_default().to_string();
        let package = text("package_id");
        match message["reason"].as_str() {
            Some("build-script-executed") if package.contains("zmq-sys") => {
                built.zmq_out_dir = Some(PathBuf::from(text("out_dir")));
            }
            Some("compiler-artifact") if package.contains("zeromq-src") => {
                built.zeromq_src = Path::new(&text("manifest_path"))
                    .parent()
                    .map(Path::to_path_buf);
            }
            Some("compiler-artifact") if message["target"]["name"] == marker => {
                if let Some(dir) = Path::new(&text("executable")).parent() {
                    built.bins_dir = dir.to_path_buf();
                }
            }
            _ => {}
        }
    }
    Ok(built)
}

/// Compiles one of libzmq's perf programs (unless it is newer than its source
/// and the library). `out_dir` holds the `platform.hpp` the inproc tools
/// include; `zmq.h` comes from the source's own `../include`.
fn compile_c_tool(
    compiler: &OsString,
    source: &Path,
    out_dir: &Path,
    libzmq: &Path,
    binary: &Path,
) -> Result<()> {
    compile_c_program(compiler, source, &[out_dir], libzmq, binary)
}

/// Compiles `source` with `-O3` against `libzmq`, with the header
/// directories `includes`, into `binary` (unless it is newer than both).
pub fn compile_c_program(
    compiler: &OsString,
    source: &Path,
    includes: &[&Path],
    libzmq: &Path,
    binary: &Path,
) -> Result<()> {
    if is_newer(binary, &[source, libzmq]) {
        return Ok(());
    }
    eprintln!("compiling {}", source.display());
    let mut command = Command::new(compiler);
    command.args(["-O3", "-DNDEBUG", "-pthread"]);
    for include in includes {
        command.arg("-I").arg(include);
    }
    let status = command
        .arg(source)
        .arg("-o")
        .arg(binary)
        .arg(libzmq)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| Failure::new(format!("cannot run the C++ compiler: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "cannot compile {} ({status}); see the compiler's errors above",
            source.display()
        )))
    }
}

fn is_newer(file: &Path, than: &[&Path]) -> bool {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match modified(file) {
        Some(built) => than
            .iter()
            .all(|source| modified(source).is_some_and(|source| source <= built)),
        None => false,
    }
}

/// The workspace's target directory: this program runs from
/// `target/<profile>/`.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}
