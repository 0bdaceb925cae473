//! Running commands: with the project's tools first on PATH, echoed, with clear failures.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::root;

/// A command rooted in the workspace, with `node_modules/.bin` (npm binaryen's wasm-opt)
/// and cargo's bin folder ahead of everything else on PATH.
pub fn cmd(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", tool_path());
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

/// A running sandbox, stopped when dropped (so a failing test run never leaves it behind).
pub struct Sandbox {
    child: Child,
    /// Kept open so the sandbox never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
    pub url: String,
}

impl Sandbox {
    /// Starts the built sandbox on a free loopback port and waits for its ready line.
    pub fn start(binary: &Path, extra: &[&str]) -> Result<Sandbox, String> {
        let mut child = Command::new(binary)
            .args(["--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the sandbox {}: {e}", binary.display()))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stdout = BufReader::new(stdout);
        let mut first = String::new();
        stdout
            .read_line(&mut first)
            .map_err(|e| format!("reading the sandbox's ready line: {e}"))?;
        let url = first
            .trim()
            .strip_prefix("wa-groups-sandbox listening on ")
            .map(str::to_owned);
        match url {
            Some(url) => {
                eprintln!("sandbox: {url}");
                Ok(Sandbox {
                    child,
                    _stdout: stdout,
                    url,
                })
            }
            None => {
                let _ = child.kill();
                Err(format!("the sandbox did not start (said {first:?})"))
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
