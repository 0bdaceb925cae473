//! `cargo xtask test`: every layer, one summary line.

use std::path::PathBuf;
use std::process::Command;

use crate::process::{Sandbox, cmd, exec, exec_captured};
use crate::setup::{self, CHROMEDRIVER};
use crate::{fuzz, root};

/// wasm-bindgen-test gives a whole test binary 20 s by default; the fault suite waits out
/// real `Retry-After`s and timeouts, so every browser binary gets this long (seconds).
const BROWSER_TIMEOUT_S: &str = "600";

/// Pass/fail counts of one layer.
#[derive(Debug, Default)]
struct Layer {
    name: &'static str,
    passed: u32,
    failed: u32,
}

/// Sums the `test result: … N passed; M failed` lines of cargo and wasm-bindgen-test.
fn cargo_counts(output: &str) -> (u32, u32) {
    let mut totals = (0, 0);
    for line in output
        .lines()
        .filter(|l| l.trim_start().starts_with("test result:"))
    {
        totals.0 += count_before(line, " passed");
        totals.1 += count_before(line, " failed");
    }
    totals
}

/// The number just before `label` in `line` (`"3 passed"` → 3).
fn count_before(line: &str, label: &str) -> u32 {
    line.find(label)
        .and_then(|end| line[..end].rsplit([' ', ';', '.']).next()?.parse().ok())
        .unwrap_or(0)
}

/// `node --test --test-reporter=tap` ends with `# pass N` and `# fail N`.
fn tap_counts(output: &str) -> (u32, u32) {
    let find = |prefix: &str| {
        output
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix(prefix)?.trim().parse().ok())
            .unwrap_or(0)
    };
    (find("# pass "), find("# fail "))
}

/// Runs one layer: a failure that produced no counts (a build error, say) counts as one.
fn layer(name: &'static str, command: &mut Command, counts: fn(&str) -> (u32, u32)) -> Layer {
    eprintln!("\n=== {name} ===");
    let (ok, output) = exec_captured(command);
    let (passed, mut failed) = counts(&output);
    if !ok && failed == 0 {
        failed = 1;
    }
    if ok && passed == 0 {
        eprintln!("{name}: the command succeeded but ran no tests; counting that as a failure");
        failed += 1;
    }
    Layer {
        name,
        passed,
        failed,
    }
}

/// A step that is not a test suite (lint, build): it adds nothing to the passed count, and
/// one failure if it fails, so the summary counts tests while a broken build still fails.
fn step(name: &'static str, command: &mut Command) -> Layer {
    eprintln!("\n=== {name} ===");
    let ok = exec(command).map_err(|e| eprintln!("{e}")).is_ok();
    Layer {
        name,
        passed: 0,
        failed: u32::from(!ok),
    }
}

/// A single check that is a test in itself (the TypeScript type test): one passed or failed.
fn check(name: &'static str, command: &mut Command) -> Layer {
    let Layer { failed, .. } = step(name, command);
    Layer {
        name,
        passed: 1 - failed,
        failed,
    }
}

/// Forgets every group, fault and webhook of the shared sandbox, so each layer starts from
/// the same empty world (the fault suite alone leaves hundreds of groups behind, which made
/// the panel's Wavy search slow enough to time out).
fn reset_sandbox(url: &str) {
    let script = format!(
        "fetch('{url}/_sandbox/reset', {{ method: 'POST' }}).then((r) => process.exit(r.status === 204 ? 0 : 1), () => process.exit(1))"
    );
    match cmd("node").args(["-e", &script]).status() {
        Ok(status) if status.success() => {}
        _ => eprintln!("warning: could not reset the sandbox at {url}"),
    }
}

/// `wasm-pack test` of `crate_dir` in headless Chromium, against the sandbox at `url`.
fn wasm_pack_test(crate_dir: &str, url: &str) -> Command {
    let mut test = cmd("wasm-pack");
    test.args([
        "test",
        "--headless",
        "--chrome",
        "--chromedriver",
        CHROMEDRIVER,
        crate_dir,
    ])
    .env("WA_GROUPS_SANDBOX_URL", url)
    .env("WASM_BINDGEN_TEST_TIMEOUT", BROWSER_TIMEOUT_S);
    test
}

/// A workspace binary as cargo builds it in `profile` (`debug`, `release`), honouring
/// `CARGO_TARGET_DIR`; an absolute path.
pub fn binary(profile: &str, name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let target = if target.is_absolute() {
        target
    } else {
        root().join(target)
    };
    target.join(profile).join(name)
}

pub fn sandbox_binary(profile: &str) -> PathBuf {
    binary(profile, "wa-groups-sandbox")
}

/// Release builds of the sandbox and the gateway (the demo and the benchmarks run these).
pub fn build_servers_release() -> Result<(), String> {
    exec(cmd("cargo").args([
        "build",
        "--release",
        "-p",
        "wa-groups-sandbox",
        "-p",
        "wa-groups-gateway",
    ]))
}

pub fn release_binary(name: &str) -> PathBuf {
    binary("release", name)
}

pub fn build_panel() -> Command {
    let mut trunk = cmd("trunk");
    trunk.args(["build", "--release"]);
    trunk
}

pub fn run() -> Result<(), String> {
    setup::run_all()?;
    let started = std::time::Instant::now();
    let mut layers = vec![
        step("format", cmd("cargo").args(["fmt", "--all", "--check"])),
        step(
            "format (fuzz)",
            cmd("cargo").args(["fmt", "--manifest-path", "fuzz/Cargo.toml", "--check"]),
        ),
        step(
            "clippy (native)",
            cmd("cargo").args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        step(
            "clippy (wasm)",
            cmd("cargo").args([
                "clippy",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "wa-groups",
                "-p",
                "wa-groups-web",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        step(
            "clippy (fuzz)",
            cmd("cargo").args([
                "clippy",
                "--manifest-path",
                "fuzz/Cargo.toml",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        step(
            "cargo doc (native, warnings are errors)",
            cmd("cargo")
                .args(["doc", "--no-deps", "-p", "wa-groups"])
                .env("RUSTDOCFLAGS", "-D warnings"),
        ),
        step(
            "cargo doc (wasm32, warnings are errors)",
            cmd("cargo")
                .args([
                    "doc",
                    "--no-deps",
                    "-p",
                    "wa-groups",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .env("RUSTDOCFLAGS", "-D warnings"),
        ),
        layer(
            "native tests",
            cmd("cargo").args(["test", "--workspace"]),
            cargo_counts,
        ),
    ];
    let fuzz_build = step("fuzz targets build (cargo fuzz)", &mut fuzz::build());
    let fuzz_ok = fuzz_build.failed == 0;
    layers.push(fuzz_build);
    if fuzz_ok {
        eprintln!(
            "\n=== fuzz smoke ({} executions per target) ===",
            fuzz::SMOKE_RUNS
        );
        let (passed, failed) = fuzz::smoke();
        layers.push(Layer {
            name: "fuzz smoke",
            passed,
            failed,
        });
    }

    // Build everything the other layers need, then start one sandbox serving the panel.
    eprintln!("\n=== npm package build (pkg/node, pkg/web) ===");
    let package = Layer {
        name: "npm package build",
        passed: 0,
        failed: u32::from(crate::pkg::build().map_err(|e| eprintln!("{e}")).is_err()),
    };
    let panel = step("panel build", &mut build_panel());
    let sandbox_built = step(
        "sandbox build",
        cmd("cargo").args(["build", "-p", "wa-groups-sandbox"]),
    );
    // The panel's end-to-end tests through the gateway start this binary themselves.
    let gateway_built = step(
        "gateway build",
        cmd("cargo").args(["build", "-p", "wa-groups-gateway"]),
    );
    let builds_ok = [&package, &panel, &sandbox_built, &gateway_built]
        .iter()
        .all(|l| l.failed == 0);
    layers.extend([package, panel, sandbox_built, gateway_built]);

    if builds_ok {
        let sandbox = Sandbox::start(&sandbox_binary("debug"), &["--static", "dist"])?;
        let url = sandbox.url.as_str();
        layers.push(layer(
            "browser tests (core, window + worker)",
            wasm_pack_test(".", url)
                .args(["--test", "browser", "--test", "worker"])
                .args(["--test", "browser_conformance"]),
            cargo_counts,
        ));
        reset_sandbox(url);
        layers.push(layer(
            "browser fault suite (core, every operation × fault)",
            // --nocapture prints the fault × operation matrix.
            wasm_pack_test(".", url).args(["--test", "browser_faults", "--", "--nocapture"]),
            cargo_counts,
        ));
        layers.push(layer(
            "panel component tests (wasm-bindgen-test)",
            &mut wasm_pack_test("web", url),
            cargo_counts,
        ));
        layers.push(check(
            "TypeScript types (tsc --noEmit)",
            cmd("node_modules/.bin/tsc").args(["--noEmit", "-p", "tests/node/tsconfig.json"]),
        ));
        reset_sandbox(url);
        layers.push(layer(
            "Node tests (npm package)",
            cmd("node")
                .args(["--test", "--test-reporter=tap", "tests/node/"])
                .env("WA_GROUPS_SANDBOX_URL", url),
            tap_counts,
        ));
        reset_sandbox(url);
        layers.push(layer(
            "npm package consumers (packed, installed: import, require, tsc, plain page)",
            cmd("node")
                .args(["--test", "--test-reporter=tap", "tests/consumers/run.mjs"])
                .env("WA_GROUPS_SANDBOX_URL", url),
            tap_counts,
        ));
        reset_sandbox(url);
        layers.push(layer(
            "panel end to end (headless Chromium)",
            cmd("node")
                .args([
                    "--test",
                    "--test-reporter=tap",
                    "--test-concurrency=1",
                    "tests/e2e/",
                ])
                .env("WA_GROUPS_SANDBOX_URL", url)
                .env(
                    "WA_GROUPS_GATEWAY_BIN",
                    binary("debug", "wa-groups-gateway"),
                )
                .env("WA_GROUPS_PANEL_DIST", root().join("dist")),
            tap_counts,
        ));
        drop(sandbox);
    } else {
        eprintln!("\nskipping the browser, Node and end-to-end layers: a build failed");
    }

    if builds_ok {
        layers.push(layer(
            "wasm sizes within size-budget.json",
            cmd("node").args(["xtask/sizes.mjs", "--check"]),
            tap_counts,
        ));
    }
    eprintln!("\n=== summary ({} s) ===", started.elapsed().as_secs());
    for l in &layers {
        let mark = if l.failed == 0 { "ok  " } else { "FAIL" };
        if l.passed == 0 && l.failed == 0 {
            eprintln!("{mark} {}", l.name);
        } else {
            eprintln!(
                "{mark} {:<40} {:>4} passed {:>3} failed",
                l.name, l.passed, l.failed
            );
        }
    }
    let passed: u32 = layers.iter().map(|l| l.passed).sum();
    let failed: u32 = layers.iter().map(|l| l.failed).sum();
    println!("{passed} passed, {failed} failed");
    if failed == 0 && builds_ok {
        Ok(())
    } else {
        Err(format!("{failed} failed"))
    }
}

/// Raw, gzip and brotli sizes of the `.wasm` files in size-budget.json, and their budgets.
pub fn print_sizes() -> Result<(), String> {
    exec(cmd("node").args(["xtask/sizes.mjs"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cargo_and_wasm_bindgen_test_summaries() {
        let out = "test result: ok. 38 passed; 0 failed; 0 ignored\n\
                   noise\n\
                   test result: FAILED. 2 passed; 1 failed; 0 ignored\n";
        assert_eq!(cargo_counts(out), (40, 1));
    }

    #[test]
    fn counts_node_tap_summaries() {
        let out = "ok 1 - a\nnot ok 2 - b\n# tests 2\n# pass 1\n# fail 1\n";
        assert_eq!(tap_counts(out), (1, 1));
    }
}
