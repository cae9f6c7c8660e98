//! Chapter 3, zfile: the client saves a reply in `zfile::saved::save`'s format,
//! in a directory it makes one level deep — and says why it will not make two.

use std::path::Path;

use crate::scenarios::ch1::{expect_interrupted, expect_lines};
use crate::scenarios::ch3::czmq::{expect_stderr_containing, send_frames, Scratch};
use crate::scenarios::peer::{bound_socket, retrying};
use crate::scenarios::{serve, unique_ipc_endpoint, STOP_WITHIN};
use crate::{ensure, Bins, Failure, Result, Running, PATIENCE};

/// The message saved in `file`, loaded back with the lesson's own
/// `zfile::saved::load`.
fn load(file: &Path) -> Result<Vec<Vec<u8>>> {
    let opened = std::fs::File::open(file)
        .map_err(|e| Failure::new(format!("cannot open {}: {e}", file.display())))?;
    let message = ch3_poll_multipart_czmq::zfile::saved::load(opened)
        .map_err(|e| Failure::new(format!("{}: {e}", file.display())))?;
    Ok(message.iter().map(<[u8]>::to_vec).collect())
}

/// Against the echo-less `interrupt-server`: the client makes the new
/// directory `--dir`, saves the `world` reply as `--out` there, and the file
/// loads back as the one frame `world`.
pub fn zfile_client_saves_a_reply_that_loads_back(bins: &Bins) -> Result<()> {
    let scratch = Scratch::new("zfile-saves")?;
    let dir = scratch.path().join("test");
    let (server, endpoint) = serve(bins, "interrupt-server", &["--count", "1"])?;
    let dir_arg = dir.to_string_lossy().into_owned();
    let client = bins
        .run(
            "zfile-client",
            &[
                "--connect",
                &endpoint,
                "--dir",
                &dir_arg,
                "--out",
                "reply.zmsg",
            ],
            PATIENCE,
        )?
        .expect_success()?;
    let file = dir.join("reply.zmsg");
    expect_lines(&client, "Received: ", &[r#""world""#])?;
    expect_lines(
        &client,
        "Saved ",
        &[&format!("1 frame to {}", file.display())],
    )?;
    let loaded = load(&file)?;
    ensure(loaded == [b"world".to_vec()], || {
        format!("the file loads as {loaded:?}")
    })?;
    let server = server.wait_exit(PATIENCE)?.expect_success()?;
    expect_lines(&server, "Received: ", &["Hello"])
}

/// A reply of three frames (one empty) is saved whole and loads back whole.
pub fn zfile_client_saves_every_frame_of_a_reply(bins: &Bins) -> Result<()> {
    let scratch = Scratch::new("zfile-frames")?;
    let dir_arg = scratch.path().to_string_lossy().into_owned();
    let context = zmq::Context::new();
    let (replier, endpoint) = bound_socket(&context, zmq::REP)?;
    let client = bins.spawn("zfile-client", &["--connect", &endpoint, "--dir", &dir_arg])?;
    let request = retrying(|| replier.recv_multipart(0))?;
    ensure(request == [b"Hello".to_vec()], || {
        format!("the client sent {request:?}")
    })?;
    send_frames(&replier, &[b"a", b"", b"\xff"])?;
    client.wait_exit(PATIENCE)?.expect_success()?;
    // The default --out: server.txt.
    let loaded = load(&scratch.path().join("server.txt"))?;
    ensure(loaded == [b"a".to_vec(), vec![], vec![0xff]], || {
        format!("the file loads as {loaded:?}")
    })
}

/// With no `--dir` and no `--out`, the book's file: `server.txt` in the
/// current directory.
pub fn zfile_client_defaults_to_server_txt_here(bins: &Bins) -> Result<()> {
    let scratch = Scratch::new("zfile-default")?;
    let (_server, endpoint) = serve(bins, "interrupt-server", &["--count", "1"])?;
    let mut command = bins.command("zfile-client", &["--connect", &endpoint]);
    command.current_dir(scratch.path());
    Running::spawn("zfile-client", command)?
        .wait_exit(PATIENCE)?
        .expect_success()?;
    let loaded = load(&scratch.path().join("server.txt"))?;
    ensure(loaded == [b"world".to_vec()], || {
        format!("server.txt loads as {loaded:?}")
    })
}

/// `--dir a/b/c` with `a` missing: `create_dir` makes one level only (the
/// book's `zfile_mkdir` lesson) — exit 1, the reason on stderr, nothing made,
/// and no server needed to find out.
pub fn zfile_client_explains_that_create_dir_makes_one_level(bins: &Bins) -> Result<()> {
    let scratch = Scratch::new("zfile-nested")?;
    let nested = scratch.path().join("a").join("b").join("c");
    let nested_arg = nested.to_string_lossy().into_owned();
    let nobody = unique_ipc_endpoint("nobody");
    let client = bins
        .run(
            "zfile-client",
            &["--connect", &nobody, "--dir", &nested_arg],
            PATIENCE,
        )?
        .expect_code(1)?;
    expect_stderr_containing(&client, "create_dir makes one level only")?;
    expect_stderr_containing(&client, &format!("cannot create directory {nested_arg}"))?;
    ensure(!scratch.path().join("a").exists(), || {
        "a directory was made".into()
    })
}

/// Waiting for a reply nobody sends, the client stops on a signal.
pub fn zfile_client_stops_while_waiting_for_a_reply(bins: &Bins, signal: i32) -> Result<()> {
    let scratch = Scratch::new("zfile-stop")?;
    let dir_arg = scratch.path().to_string_lossy().into_owned();
    let nobody = unique_ipc_endpoint("nobody");
    let mut client = bins.spawn("zfile-client", &["--connect", &nobody, "--dir", &dir_arg])?;
    client.wait_stdout("Starting client...", PATIENCE)?;
    let client = client.stop_with(signal, STOP_WITHIN)?.expect_success()?;
    expect_interrupted(&client)?;
    ensure(!scratch.path().join("server.txt").exists(), || {
        "a file was saved with no reply".into()
    })
}

/// A file that cannot be created (its `--out` names a missing directory) is
/// an error that names it, exit 1 — the listing writes through `fopen`'s
/// unchecked result.
pub fn zfile_client_reports_a_file_it_cannot_create(bins: &Bins) -> Result<()> {
    let scratch = Scratch::new("zfile-cannot")?;
    let dir_arg = scratch.path().to_string_lossy().into_owned();
    let (_server, endpoint) = serve(bins, "interrupt-server", &["--count", "1"])?;
    let client = bins
        .run(
            "zfile-client",
            &[
                "--connect",
                &endpoint,
                "--dir",
                &dir_arg,
                "--out",
                "missing/server.txt",
            ],
            PATIENCE,
        )?
        .expect_code(1)?;
    let path = scratch.path().join("missing/server.txt");
    expect_stderr_containing(&client, &format!("error: cannot create {}", path.display()))
}
