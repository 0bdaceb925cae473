//! `cargo xtask setup`: installs what is missing, at pinned versions, from the registries
//! only (crates.io, npm, Debian). Each step checks first and skips what is already right.

use std::path::{Path, PathBuf};
use std::process::Command;

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
    // Chromium (apt) and the npm packages mostly download and unpack while the cargo
    // installs below mostly compile: they run beside them, their output interleaved.
    let browser = chromium()?;
    let beside = std::thread::spawn(move || {
        if let Some(mut apt) = browser {
            exec(&mut apt)?;
        }
        node_modules()
    });
    let tools = (|| {
        cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &bindgen, false)?;
        cargo_tool("wasm-pack", "wasm-pack", WASM_PACK, true)?;
        cargo_tool("trunk", "trunk", TRUNK, true)?;
        cargo_fuzz()
    })();
    let beside = beside
        .join()
        .unwrap_or_else(|_| Err("setup: the Chromium and npm installs panicked".into()));
    tools?;
    beside?;
    wasm_opt_for_shells()?;
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
    build_as_a_tool(&mut install);
    exec(&mut install)
}

/// The tools share one build folder, so the dependencies they have in common (clap, serde,
/// tokio, the HTTP stack…) are compiled once rather than once per tool, and it stays
/// between runs, so a version bump rebuilds only what changed. They are built as tools:
/// their own release profiles ask for LTO and one codegen unit, which makes the binary a
/// little faster and the build several times slower, for programs that run for seconds.
fn build_as_a_tool(install: &mut Command) {
    install
        .env("CARGO_TARGET_DIR", tools_build_dir())
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false");
}

/// Where the tools are built: `tools/` in the target folder (`CARGO_TARGET_DIR` if set).
fn tools_build_dir() -> PathBuf {
    crate::test::target_dir().join("tools")
}

pub fn cargo_fuzz() -> Result<(), String> {
    cargo_tool("cargo-fuzz", "cargo-fuzz", CARGO_FUZZ, true)
}

fn is_root() -> bool {
    output_of("id", &["-u"]).as_deref() == Some("0")
}

/// The apt command that installs Chromium and ChromeDriver, or `None` when both are there;
/// an error (saying what to run) when they are missing and we are not root.
fn chromium() -> Result<Option<Command>, String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        eprintln!("setup: chromium + chromedriver ✓");
        return Ok(None);
    }
    const APT: &str = "apt-get update && apt-get install -y chromium chromium-driver";
    if !is_root() {
        return Err(format!(
            "Chromium and ChromeDriver are missing and installing them needs root. Run:\n\n    sudo sh -c '{APT}'\n\nthen run this command again."
        ));
    }
    let mut apt = cmd("sh");
    apt.args(["-c", APT])
        .env("DEBIAN_FRONTEND", "noninteractive");
    Ok(Some(apt))
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

/// What npm binaryen 132's `wasm-opt --version` says (Trunk.toml's `wasm_opt` pins it too).
pub const WASM_OPT_VERSION: &str = "version_132";

/// What setup does about `$CARGO_HOME/bin/wasm-opt`.
#[derive(Debug, PartialEq, Eq)]
enum WasmOptLink {
    /// Nothing there: link it to the pinned one.
    Create,
    /// Already the pinned version (our link, another clone's, or the user's own): keep it.
    Keep,
    /// A link an earlier setup made to an npm binaryen that is gone or another version:
    /// point it at this clone's.
    Replace,
    /// Someone else's wasm-opt at another version: never overwritten, only reported.
    Foreign,
}

/// `existing` is what `read_link` says of `$CARGO_HOME/bin/wasm-opt` (`None`: not a link),
/// `present` whether anything is there, `version` what it printed for `--version`.
fn wasm_opt_plan(present: bool, existing: Option<&Path>, version: Option<&str>) -> WasmOptLink {
    if !present {
        return WasmOptLink::Create;
    }
    if version.is_some_and(|v| v.contains(WASM_OPT_VERSION)) {
        return WasmOptLink::Keep;
    }
    let ours =
        existing.is_some_and(|target| target.ends_with("node_modules/binaryen/bin/wasm-opt"));
    if ours {
        WasmOptLink::Replace
    } else {
        WasmOptLink::Foreign
    }
}

/// Cargo's bin folder: on a Rust user's PATH, where `cargo install` puts trunk and wasm-pack.
fn cargo_bin() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(|home| PathBuf::from(home).join("bin"))
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo/bin")))
}

/// Trunk and wasm-pack run the first `wasm-opt` on PATH, and without one try to download
/// binaryen (which fails here). xtask puts node_modules/.bin first on its own PATH; for
/// `trunk build --release` and `wasm-pack build` typed in a shell, `$CARGO_HOME/bin/wasm-opt`
/// links to the pinned npm binaryen (its real path, so a clone whose node_modules is itself
/// a link still works). Idempotent; another wasm-opt already there is reported, never
/// overwritten.
#[cfg(unix)]
fn wasm_opt_for_shells() -> Result<(), String> {
    let pinned = root().join("node_modules/.bin/wasm-opt");
    let pinned = std::fs::canonicalize(&pinned)
        .map_err(|e| format!("{}: {e} (npm ci should have made it)", pinned.display()))?;
    let Some(bin) = cargo_bin() else {
        eprintln!("setup: neither CARGO_HOME nor HOME is set; wasm-opt left off your PATH");
        return Ok(());
    };
    let link = bin.join("wasm-opt");
    let present = std::fs::symlink_metadata(&link).is_ok();
    let existing = std::fs::read_link(&link).ok();
    let version = present
        .then(|| output_of(&link.display().to_string(), &["--version"]))
        .flatten();
    let make_link = || {
        std::os::unix::fs::symlink(&pinned, &link)
            .map_err(|e| format!("linking {} to {}: {e}", link.display(), pinned.display()))
    };
    match wasm_opt_plan(present, existing.as_deref(), version.as_deref()) {
        WasmOptLink::Keep => eprintln!("setup: wasm-opt {WASM_OPT_VERSION} in {} ✓", bin.display()),
        WasmOptLink::Create => {
            std::fs::create_dir_all(&bin).map_err(|e| format!("{}: {e}", bin.display()))?;
            make_link()?;
            eprintln!(
                "setup: linked {} to {} (npm binaryen {WASM_OPT_VERSION}), for trunk and wasm-pack in a shell",
                link.display(),
                pinned.display()
            );
        }
        WasmOptLink::Replace => {
            std::fs::remove_file(&link).map_err(|e| format!("{}: {e}", link.display()))?;
            make_link()?;
            eprintln!(
                "setup: {} pointed at {} ({}); it now links to {}",
                link.display(),
                existing.as_deref().unwrap_or(Path::new("?")).display(),
                version.as_deref().unwrap_or("does not run"),
                pinned.display()
            );
        }
        WasmOptLink::Foreign => eprintln!(
            "setup: warning: {} is another wasm-opt ({}), left as it is; trunk and wasm-pack run \
             from a shell will use it. To use the pinned one, remove it and run setup again, or \
             put {} first on PATH.",
            link.display(),
            version.as_deref().unwrap_or("it does not run"),
            root().join("node_modules/.bin").display()
        ),
    }
    first_on_path_warning(&link);
    Ok(())
}

#[cfg(not(unix))]
fn wasm_opt_for_shells() -> Result<(), String> {
    eprintln!(
        "setup: put {} on PATH for trunk and wasm-pack outside cargo xtask",
        root().join("node_modules/.bin").display()
    );
    Ok(())
}

/// Warns when the `wasm-opt` a shell would run is not the pinned one (another comes first
/// on PATH, or cargo's bin folder is not on it).
fn first_on_path_warning(link: &Path) {
    let path = std::env::var("PATH").unwrap_or_default();
    let first = std::env::split_paths(&path)
        .map(|dir| dir.join("wasm-opt"))
        .find(|candidate| candidate.exists());
    let pinned = first.as_ref().is_some_and(|first| {
        output_of(&first.display().to_string(), &["--version"])
            .is_some_and(|v| v.contains(WASM_OPT_VERSION))
    });
    if !pinned {
        eprintln!(
            "setup: warning: a shell finds {}, not {WASM_OPT_VERSION}; trunk and wasm-pack \
             outside cargo xtask need {} first on PATH",
            first.map_or("no wasm-opt".to_owned(), |f| f.display().to_string()),
            link.parent().unwrap_or(link).display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_are_built_in_one_folder_without_lto() {
        let mut install = Command::new("cargo");
        build_as_a_tool(&mut install);
        let env: std::collections::BTreeMap<_, _> = install
            .get_envs()
            .map(|(k, v)| (k.to_string_lossy().into_owned(), v.map(|v| v.to_owned())))
            .collect();
        assert_eq!(
            env["CARGO_TARGET_DIR"].as_deref(),
            Some(tools_build_dir().as_os_str())
        );
        assert!(tools_build_dir().ends_with("tools"));
        assert_eq!(
            env["CARGO_PROFILE_RELEASE_LTO"].as_deref(),
            Some(std::ffi::OsStr::new("false"))
        );
        assert_eq!(
            env["CARGO_PROFILE_RELEASE_CODEGEN_UNITS"].as_deref(),
            Some(std::ffi::OsStr::new("16"))
        );
    }

    #[test]
    fn wasm_opt_is_linked_kept_repointed_or_left_alone() {
        let ours = Path::new("/work/a/node_modules/binaryen/bin/wasm-opt");
        let pinned = Some("wasm-opt version 132 (version_132)");
        assert_eq!(wasm_opt_plan(false, None, None), WasmOptLink::Create);
        assert_eq!(wasm_opt_plan(true, Some(ours), pinned), WasmOptLink::Keep);
        // Someone's own wasm-opt at the pinned version is as good as ours.
        assert_eq!(wasm_opt_plan(true, None, pinned), WasmOptLink::Keep);
        // Our link to a clone that is gone (it no longer runs), or to another binaryen.
        assert_eq!(wasm_opt_plan(true, Some(ours), None), WasmOptLink::Replace);
        assert_eq!(
            wasm_opt_plan(true, Some(ours), Some("wasm-opt version 130 (version_130)")),
            WasmOptLink::Replace
        );
        // Debian's binaryen, or cargo install wasm-opt: reported, never overwritten.
        assert_eq!(
            wasm_opt_plan(true, None, Some("wasm-opt version 108")),
            WasmOptLink::Foreign
        );
        assert_eq!(
            wasm_opt_plan(true, Some(Path::new("/usr/bin/wasm-opt")), None),
            WasmOptLink::Foreign
        );
    }
}
