//! Running commands: with the project's tools first on PATH, echoed, with clear failures.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::root;

/// A command rooted in the workspace, with `node_modules/.bin` (npm binaryen's wasm-opt)
/// and cargo's bin folder ahead of everything else on PATH.
pub fn cmd(program: &str) -> Command {
    let mut command = Command::new(program);
    // `cargo run` gave xtask the manifest variables of its own package; cargo records them
    // as inputs of some build scripts (ring's), so passing them on would make a `cargo
    // build` from xtask and one from a plain shell rebuild each other's work.
    command
        .current_dir(root())
        .env("PATH", tool_path())
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_MANIFEST_PATH");
    command
}

pub fn tool_path() -> String {
    let mut parts = vec![root().join("node_modules/.bin").display().to_string()];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        parts.push(Path::new(&home).join("bin").display().to_string());
    } else if let Some(home) = std::env::var_os("HOME") {
        parts.push(Path::new(&home).join(".cargo/bin").display().to_string());
    }
    parts.push(std::env::var("PATH").unwrap_or_default());
    parts.join(":")
}

fn describe(command: &Command) -> String {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs `command`, inheriting output; an error names the command and its exit status.
pub fn exec(command: &mut Command) -> Result<(), String> {
    let line = describe(command);
    eprintln!("$ {line}");
    let status = command
        .status()
        .map_err(|e| format!("cannot start `{line}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// Runs `command`, echoing its output live and also returning it (stdout + stderr) for
/// parsing. `Err` carries the output too when the command fails.
pub fn exec_captured(command: &mut Command) -> (bool, String) {
    let line = describe(command);
    eprintln!("$ {line}");
    let mut child = match command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return (false, format!("cannot start `{line}`: {e}")),
    };
    let stderr = child.stderr.take().expect("piped stderr");
    let err_thread = std::thread::spawn(move || {
        let mut out = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            out.push_str(&line);
            out.push('\n');
        }
        out
    });
    let mut output = String::new();
    for line in BufReader::new(child.stdout.take().expect("piped stdout"))
        .lines()
        .map_while(Result::ok)
    {
        println!("{line}");
        output.push_str(&line);
        output.push('\n');
    }
    output.push_str(&err_thread.join().unwrap_or_default());
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    (ok, output)
}

/// Runs `command` with its output captured and not shown (stdout, then stderr): for a layer
/// that runs beside others, whose output is printed once they are done.
pub fn exec_held_back(command: &mut Command) -> (bool, String) {
    match command.output() {
        Ok(out) => {
            let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&out.stderr));
            (out.status.success(), text)
        }
        Err(e) => (false, format!("cannot start `{}`: {e}", describe(command))),
    }
}

/// The trimmed stdout of `program args…`, if it ran and succeeded.
pub fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = cmd(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A running server, stopped when dropped (so a failing run never leaves it behind).
pub struct Server {
    name: &'static str,
    child: Child,
    /// Kept open so the server never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
    pub url: String,
}

impl Server {
    /// Starts `command` and waits for its ready line, `{name} listening on {url}`.
    pub fn start(name: &'static str, command: &mut Command) -> Result<Server, String> {
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stdout = BufReader::new(stdout);
        let mut first = String::new();
        stdout
            .read_line(&mut first)
            .map_err(|e| format!("reading {name}'s ready line: {e}"))?;
        let url = first
            .trim()
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(" listening on "))
            .map(str::to_owned);
        match url {
            Some(url) => {
                eprintln!("{name}: {url}");
                Ok(Server {
                    name,
                    child,
                    _stdout: stdout,
                    url,
                })
            }
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("{name} did not start (said {first:?})"))
            }
        }
    }

    /// Blocks until one of `servers` exits; its name. The others stop when dropped.
    pub fn wait_any(servers: &mut [Server]) -> &'static str {
        loop {
            for server in servers.iter_mut() {
                if !matches!(server.child.try_wait(), Ok(None)) {
                    return server.name;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running sandbox on a free loopback port, stopped when dropped.
pub struct Sandbox(Server);

impl std::ops::Deref for Sandbox {
    type Target = Server;
    fn deref(&self) -> &Server {
        &self.0
    }
}

impl Sandbox {
    /// Starts the built sandbox on a free loopback port and waits for its ready line.
    pub fn start(binary: &Path, extra: &[&str]) -> Result<Sandbox, String> {
        Server::start(
            "wa-groups-sandbox",
            Command::new(binary)
                .args(["--addr", "127.0.0.1:0"])
                .args(extra),
        )
        .map(Sandbox)
    }
}
