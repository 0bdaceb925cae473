//! `cargo xtask dev`: the panel from `trunk serve` (it rebuilds on every change in the
//! workspace), next to a sandbox with the demo groups on a free port, which the sandbox's
//! CORS lets a loopback page use. The sandbox stops when trunk does (Ctrl-C stops both: the
//! terminal signals the whole process group). Trunk's live-reload script is inline, which
//! the Content-Security-Policy in index.html (no inline script) forbids, so trunk runs with
//! `--no-autoreload` and the panel is built with its `dev` feature, which listens on
//! Trunk's WebSocket itself (web/src/live_reload.rs).

use std::process::Command;

use crate::process::{Server, cmd, exec};
use crate::setup;
use crate::test::sandbox_binary;

/// Where `trunk serve` listens unless `--port` says otherwise (Trunk's own default).
const DEFAULT_PORT: u16 = 8080;

/// `[--port N]`: trunk's port.
pub fn parse_args(args: &[String]) -> Result<u16, String> {
    match args {
        [] => Ok(DEFAULT_PORT),
        [flag, port] if flag == "--port" => port
            .parse()
            .map_err(|_| format!("--port {port}: not a port number")),
        _ => Err("usage: cargo xtask dev [--port N]".into()),
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let port = parse_args(args)?;
    setup::run_all()?;
    exec(cmd("cargo").args(["build", "-p", "wa-groups-sandbox"]))?;
    // Not --static: trunk serves the panel; the sandbox answers CORS, so the panel on
    // trunk's origin talks to it directly.
    let sandbox = Server::start(
        "wa-groups-sandbox",
        Command::new(sandbox_binary("debug"))
            .current_dir(crate::root())
            .args(["--addr", "127.0.0.1:0", "--seed-demo"]),
    )?;
    eprintln!(
        "
cargo xtask dev: the panel on http://127.0.0.1:{port} once trunk has built it (it rebuilds on
every change). Connect it to the sandbox:

  Base URL  {sandbox}
  API key   sandbox, session `default` (WAHA); Wavy: user name and token `sandbox`

The page reloads by itself after every rebuild (a failed build is shown in the browser's
console). Ctrl-C stops trunk and the sandbox.
",
        sandbox = sandbox.url
    );
    let result = exec(
        cmd("trunk").args([
            "serve",
            "--port",
            &port.to_string(),
            "--no-autoreload",
            "--features",
            "dev",
            // Not dist/: that is the release build the tests, the demo and the size check read.
            "--dist",
            &crate::test::target_dir()
                .join("dev-dist")
                .display()
                .to_string(),
        ]),
    );
    drop(sandbox);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_is_trunks_default_or_the_one_given() {
        assert_eq!(parse_args(&[]), Ok(8080));
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(parse_args(&args(&["--port", "9000"])), Ok(9000));
        assert!(parse_args(&args(&["--port", "x"])).is_err());
        assert!(parse_args(&args(&["--open"])).is_err());
    }
}
