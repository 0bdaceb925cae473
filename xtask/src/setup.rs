//! `cargo xtask setup`: installs what is missing, at pinned versions, from the registries
//! only (crates.io, npm, Debian). Each step checks first and skips what is already right.

use std::path::Path;

use crate::process::{cmd, exec, output_of};
use crate::root;

/// wasm-pack and trunk are pinned; wasm-bindgen-cli follows Cargo.lock.
pub const WASM_PACK: &str = "0.15.1";
/// trunk 0.22 needs a newer rustc than the machine's; 0.21.14 is verified offline.
pub const TRUNK: &str = "0.21.14";
/// cargo-fuzz builds the fuzz targets (`cargo xtask fuzz`, and the smoke pass in `test`).
pub const CARGO_FUZZ: &str = "0.13.2";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn run_all() -> Result<(), String> {
    wasm_target()?;
    let bindgen = lockfile_version("wasm-bindgen")?;
    // Without --locked: wasm-bindgen-cli's lockfile pins a webpki-roots the registry lacks.
    cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &bindgen, false)?;
    cargo_tool("wasm-pack", "wasm-pack", WASM_PACK, true)?;
    cargo_tool("trunk", "trunk", TRUNK, true)?;
    cargo_fuzz()?;
    chromium()?;
    node_modules()?;
    eprintln!("setup: everything is installed");
    Ok(())
}

fn wasm_target() -> Result<(), String> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        eprintln!("setup: wasm32-unknown-unknown target ✓");
        return Ok(());
    }
    exec(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The workspace's version (`[workspace.package] version` in Cargo.toml).
pub fn manifest_version() -> Result<String, String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml"))
        .map_err(|e| format!("reading Cargo.toml: {e}"))?;
    let section = manifest
        .split("[workspace.package]")
        .nth(1)
        .ok_or("Cargo.toml has no [workspace.package]")?;
    section
        .lines()
        .find_map(|l| {
            let value = l.trim().strip_prefix("version")?.trim().strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .ok_or_else(|| "[workspace.package] has no version".to_owned())
}

/// The version of `package` in Cargo.lock.
pub fn lockfile_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("malformed Cargo.lock")? + start;
    Ok(lock[start..end].to_owned())
}

/// Installs `krate` at `version` with cargo unless `binary --version` already reports it.
fn cargo_tool(binary: &str, krate: &str, version: &str, locked: bool) -> Result<(), String> {
    let current = output_of(binary, &["--version"]).unwrap_or_default();
    if current.split_whitespace().any(|word| word == version) {
        eprintln!("setup: {binary} {version} ✓");
        return Ok(());
    }
    eprintln!(
        "setup: installing {krate} {version} (found: {}) — a few minutes on a fresh machine",
        if current.is_empty() { "none" } else { &current }
    );
    let mut install = cmd("cargo");
    install.args(["install", krate, "--version", version, "--force"]);
    if locked {
        install.arg("--locked");
    }
    exec(&mut install)
}

pub fn cargo_fuzz() -> Result<(), String> {
    cargo_tool("cargo-fuzz", "cargo-fuzz", CARGO_FUZZ, true)
}

fn is_root() -> bool {
    output_of("id", &["-u"]).as_deref() == Some("0")
}

fn chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        eprintln!("setup: chromium + chromedriver ✓");
        return Ok(());
    }
    const APT: &str = "apt-get update && apt-get install -y chromium chromium-driver";
    if !is_root() {
        return Err(format!(
            "Chromium and ChromeDriver are missing and installing them needs root. Run:\n\n    sudo sh -c '{APT}'\n\nthen run this command again."
        ));
    }
    exec(
        cmd("sh")
            .args(["-c", APT])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn node_modules() -> Result<(), String> {
    let node = output_of("node", &["--version"]).ok_or(
        "Node.js ≥ 20 is needed (for the npm package's tests and the panel's browser tests)",
    )?;
    let major: u32 = node
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        return Err(format!("Node.js ≥ 20 is needed; found {node}"));
    }
    let root = root();
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|e| format!("package-lock.json: {e}"))?;
    // After a successful `npm ci` we keep a copy of the lockfile it installed from; an equal
    // copy means node_modules is exactly what the lockfile asks for.
    let stamp = root.join("node_modules/.xtask-installed-lock.json");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice())
        && root.join("node_modules/.bin/wasm-opt").exists()
    {
        eprintln!("setup: npm dev dependencies ✓");
        return Ok(());
    }
    exec(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, &lock).map_err(|e| format!("writing {}: {e}", stamp.display()))
}
