//! `cargo xtask test`: every layer, one summary line.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::layers::{Build, parse_args};
use crate::process::{Sandbox, cmd, exec, exec_captured, exec_held_back};
use crate::setup::{self, CHROMEDRIVER};
use crate::{fuzz, root};

/// wasm-bindgen-test gives a whole test binary 20 s by default; the fault suite waits out
/// real `Retry-After`s and timeouts, so every browser binary gets this long (seconds).
const BROWSER_TIMEOUT_S: &str = "600";

/// Pass/fail counts and wall time of one layer (or of a step of it).
#[derive(Debug, Default)]
struct Layer {
    /// The `--only` name that runs it; empty for builds and setup.
    key: &'static str,
    name: &'static str,
    passed: u32,
    failed: u32,
    seconds: f64,
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
fn layer(
    key: &'static str,
    name: &'static str,
    command: &mut Command,
    counts: fn(&str) -> (u32, u32),
) -> Layer {
    eprintln!("\n=== {name} ===");
    let started = Instant::now();
    let (ok, output) = exec_captured(command);
    counted(key, name, ok, &output, counts, started.elapsed())
}

/// The layer a finished command makes: a failure that produced no counts (a build error,
/// say) counts as one, and so does a success that ran no tests.
fn counted(
    key: &'static str,
    name: &'static str,
    ok: bool,
    output: &str,
    counts: fn(&str) -> (u32, u32),
    took: Duration,
) -> Layer {
    let (passed, mut failed) = counts(output);
    if !ok && failed == 0 {
        failed = 1;
    }
    if ok && passed == 0 {
        eprintln!("{name}: the command succeeded but ran no tests; counting that as a failure");
        failed += 1;
    }
    Layer {
        key,
        name,
        passed,
        failed,
        seconds: took.as_secs_f64(),
    }
}

/// A step that is not a test suite (lint, build): it adds nothing to the passed count, and
/// one failure if it fails, so the summary counts tests while a broken build still fails.
fn step(key: &'static str, name: &'static str, command: &mut Command) -> Layer {
    eprintln!("\n=== {name} ===");
    let started = Instant::now();
    let ok = exec(command).map_err(|e| eprintln!("{e}")).is_ok();
    Layer {
        key,
        name,
        passed: 0,
        failed: u32::from(!ok),
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// A single check that is a test in itself (the TypeScript type test): one passed or failed.
fn check(key: &'static str, name: &'static str, command: &mut Command) -> Layer {
    let step = step(key, name, command);
    Layer {
        passed: 1 - step.failed,
        ..step
    }
}

/// A layer running beside the others in a thread, against a sandbox of its own, its
/// output held back until [`Beside::finish`].
struct Beside {
    key: &'static str,
    name: &'static str,
    counts: fn(&str) -> (u32, u32),
    run: std::thread::JoinHandle<(bool, String, Duration)>,
}

impl Beside {
    fn start(
        key: &'static str,
        name: &'static str,
        counts: fn(&str) -> (u32, u32),
        sandbox: Sandbox,
        command: impl FnOnce(&str) -> Command + Send + 'static,
    ) -> Beside {
        eprintln!("\n=== {name}: started beside the layers below ===");
        let run = std::thread::spawn(move || {
            let started = Instant::now();
            let (ok, output) = exec_held_back(&mut command(&sandbox.url));
            drop(sandbox);
            (ok, output, started.elapsed())
        });
        Beside {
            key,
            name,
            counts,
            run,
        }
    }

    /// Waits for it, prints its output and makes its layer.
    fn finish(self) -> Layer {
        let name = self.name;
        eprintln!("\n=== {name}: its output, held back while it ran beside the others ===");
        let (ok, output, took) = self.run.join().unwrap_or_else(|_| {
            (
                false,
                format!("{name}: its thread panicked"),
                Duration::ZERO,
            )
        });
        eprintln!("{output}");
        counted(self.key, name, ok, &output, self.counts, took)
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
    target_dir().join(profile).join(name)
}

/// The workspace's target folder, honouring `CARGO_TARGET_DIR`; an absolute path.
pub fn target_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    if target.is_absolute() {
        target
    } else {
        root().join(target)
    }
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

/// What the npm package is built from (`cargo xtask pkg`).
const PACKAGE_INPUTS: &[&str] = &[
    "src",
    "Cargo.toml",
    ".cargo/config.toml",
    "Cargo.lock",
    "npm",
    "LICENSE",
    "xtask/src/pkg.rs",
];

/// What the panel's release build is made from (Trunk, with the compress hook).
const PANEL_INPUTS: &[&str] = &[
    "src",
    "web",
    "Cargo.toml",
    ".cargo/config.toml",
    "Cargo.lock",
    "index.html",
    "Trunk.toml",
    "xtask/src/compress.rs",
];

/// The file in a build's output folder naming the fingerprint of the inputs it was built
/// from.
const BUILT_FROM: &str = ".built-from";

/// Runs `build` unless `out` holds `product` built from exactly `inputs` (by their
/// fingerprint, written in `out` after each successful build): a warm run whose sources did
/// not change reuses the release builds, whose `wasm-opt -Oz` is most of their time. A
/// clean clone (CI) always builds.
fn unless_unchanged(
    name: &'static str,
    out: &str,
    inputs: &[&str],
    product: &str,
    build: impl FnOnce() -> Layer,
) -> Layer {
    let root = root();
    let fingerprint = crate::files::fingerprint(&root, inputs);
    let stamp = root.join(out).join(BUILT_FROM);
    let built_from = std::fs::read_to_string(&stamp).unwrap_or_default();
    if built_from.trim() == fingerprint && root.join(product).is_file() {
        eprintln!("\n=== {name}: {out}/ was built from these sources ({fingerprint}) ===");
        return Layer {
            name,
            ..Layer::default()
        };
    }
    let layer = build();
    if layer.failed == 0 {
        // Fingerprinted before the build: a file changed during it makes the next run build.
        let _ = std::fs::write(&stamp, format!("{fingerprint}\n"));
    }
    layer
}

/// The panel's end-to-end test files that run beside the other layers, against a sandbox
/// (serving the panel) of their own: most of their time is waiting — `trust` waits out
/// the panel's real 20 s request time limit twice, `cache` opens 80 group pages — so they
/// cost little CPU next to the rest, which runs as the `e2e` layer itself.
const E2E_BESIDE: [&str; 2] = ["trust.test.mjs", "cache.test.mjs"];

/// The end-to-end test files: those of [`E2E_BESIDE`], or (`beside: false`) all the others.
fn e2e_files(beside: bool) -> Vec<String> {
    let dir = root().join("tests/e2e");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|name| name.ends_with(".test.mjs"))
                .filter(|name| E2E_BESIDE.contains(&name.as_str()) == beside)
                .map(|name| format!("tests/e2e/{name}"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// `node --test` over some of the panel's end-to-end files, against the sandbox at `url`.
fn e2e(files: &[String], url: &str) -> Command {
    let mut command = cmd("node");
    command
        .args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
        .args(files)
        .env("WA_GROUPS_SANDBOX_URL", url)
        .env(
            "WA_GROUPS_GATEWAY_BIN",
            binary("debug", "wa-groups-gateway"),
        )
        .env("WA_GROUPS_PANEL_DIST", root().join("dist"));
    command
}

pub fn build_panel() -> Command {
    let mut trunk = cmd("trunk");
    trunk.args(["build", "--release"]);
    trunk
}

pub fn run(args: &[String]) -> Result<(), String> {
    let only = parse_args(args)?;
    let started = Instant::now();
    setup::run_all()?;
    let mut layers = vec![Layer {
        name: "setup (tools at their pinned versions)",
        seconds: started.elapsed().as_secs_f64(),
        ..Layer::default()
    }];
    if only.has("fmt") {
        layers.push(step(
            "fmt",
            "format",
            cmd("cargo").args(["fmt", "--all", "--check"]),
        ));
        layers.push(step(
            "fmt",
            "format (fuzz)",
            cmd("cargo").args(["fmt", "--manifest-path", "fuzz/Cargo.toml", "--check"]),
        ));
        layers.push(step(
            "fmt",
            "format (bench/decode)",
            cmd("cargo").args([
                "fmt",
                "--manifest-path",
                "bench/decode/Cargo.toml",
                "--check",
            ]),
        ));
    }
    if only.has("clippy") {
        layers.push(step(
            "clippy",
            "clippy (native)",
            cmd("cargo").args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ));
        layers.push(step(
            "clippy",
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
        ));
        layers.push(step(
            "clippy",
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
        ));
    }
    if only.has("doc") {
        layers.push(step(
            "doc",
            "cargo doc (native, warnings are errors)",
            cmd("cargo")
                .args(["doc", "--no-deps", "-p", "wa-groups"])
                .env("RUSTDOCFLAGS", "-D warnings"),
        ));
        layers.push(step(
            "doc",
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
        ));
    }
    if only.has("native") {
        layers.push(layer(
            "native",
            "native tests",
            cmd("cargo").args(["test", "--workspace"]),
            cargo_counts,
        ));
    }
    if only.has("fuzz") {
        let fuzz_build = step(
            "fuzz",
            "fuzz targets build (cargo fuzz)",
            &mut fuzz::build(),
        );
        let fuzz_ok = fuzz_build.failed == 0;
        layers.push(fuzz_build);
        if fuzz_ok {
            eprintln!(
                "\n=== fuzz smoke ({} executions per target) ===",
                fuzz::SMOKE_RUNS
            );
            let smoke_started = Instant::now();
            let (passed, failed) = fuzz::smoke();
            layers.push(Layer {
                key: "fuzz",
                name: "fuzz smoke",
                passed,
                failed,
                seconds: smoke_started.elapsed().as_secs_f64(),
            });
        }
    }

    // Build what the chosen layers need, then start one sandbox (serving the panel when it
    // was built) for every layer that talks to one.
    let mut builds = Vec::new();
    for build in only.builds() {
        builds.push(match build {
            Build::Package => unless_unchanged(
                "npm package build (reused: its sources are unchanged)",
                "pkg",
                PACKAGE_INPUTS,
                "pkg/web/wa_groups_bg.wasm",
                || {
                    eprintln!("\n=== npm package build (pkg/node, pkg/web) ===");
                    let package_started = Instant::now();
                    Layer {
                        name: "npm package build",
                        failed: u32::from(
                            crate::pkg::build().map_err(|e| eprintln!("{e}")).is_err(),
                        ),
                        seconds: package_started.elapsed().as_secs_f64(),
                        ..Layer::default()
                    }
                },
            ),
            Build::Panel => unless_unchanged(
                "panel build (reused: its sources are unchanged)",
                "dist",
                PANEL_INPUTS,
                "dist/wa-groups-web_bg.wasm",
                || step("", "panel build", &mut build_panel()),
            ),
            // Selecting what `cargo test --workspace` selects: the core is a cdylib, whose
            // artifact cargo cannot keep apart per feature set, so a `-p` build here (other
            // features for the core and its dependencies) would make the next native layer
            // rebuild the core and everything on it (26 s a warm run).
            Build::Servers => step(
                "",
                "sandbox and gateway build (the native tests' selection)",
                cmd("cargo").args(["build", "--workspace", "--bins"]),
            ),
        });
    }
    let builds_ok = builds.iter().all(|l| l.failed == 0);
    layers.extend(builds);

    if builds_ok {
        let sandbox = if only.needs(Build::Servers) {
            let serve_panel: &[&str] = if only.needs(Build::Panel) {
                &["--static", "dist"]
            } else {
                &[]
            };
            Some(Sandbox::start(&sandbox_binary("debug"), serve_panel)?)
        } else {
            None
        };
        let url = sandbox.as_ref().map_or("", |s| s.url.as_str());
        // The fault suite mostly waits (real `Retry-After`s, timeouts, a hung server), and
        // so do some end-to-end files (E2E_BESIDE): they run beside the other layers rather
        // than before them, each against a sandbox of its own (the faults they inject reach
        // no other layer), their output held back until the others are done.
        let mut beside: Vec<Beside> = Vec::new();
        if only.has("faults") {
            let own = Sandbox::start(&sandbox_binary("debug"), &[])?;
            beside.push(Beside::start(
                "faults",
                "browser fault suite (core, every operation × fault)",
                cargo_counts,
                own,
                |url| {
                    let mut test = wasm_pack_test(".", url);
                    // --nocapture prints the fault × operation matrix.
                    test.args(["--test", "browser_faults", "--", "--nocapture"]);
                    test
                },
            ));
        }
        if only.has("e2e") {
            let own = Sandbox::start(&sandbox_binary("debug"), &["--static", "dist"])?;
            beside.push(Beside::start(
                "e2e",
                "panel end to end, the waiting files (trust, cache)",
                tap_counts,
                own,
                |url| e2e(&e2e_files(true), url),
            ));
        }
        if only.has("browser") {
            layers.push(layer(
                "browser",
                "browser tests (core, window + worker)",
                wasm_pack_test(".", url)
                    .args(["--test", "browser", "--test", "worker"])
                    .args(["--test", "browser_conformance"]),
                cargo_counts,
            ));
        }
        if only.has("panel-component") {
            layers.push(layer(
                "panel-component",
                "panel component tests (wasm-bindgen-test)",
                &mut wasm_pack_test("web", url),
                cargo_counts,
            ));
        }
        if only.has("tsc") {
            layers.push(check(
                "tsc",
                "TypeScript types (tsc --noEmit)",
                cmd("node_modules/.bin/tsc").args(["--noEmit", "-p", "tests/node/tsconfig.json"]),
            ));
        }
        if only.has("node") {
            reset_sandbox(url);
            layers.push(layer(
                "node",
                "Node tests (npm package)",
                cmd("node")
                    .args(["--test", "--test-reporter=tap", "tests/node/"])
                    .env("WA_GROUPS_SANDBOX_URL", url),
                tap_counts,
            ));
        }
        if only.has("consumers") {
            reset_sandbox(url);
            layers.push(layer(
                "consumers",
                "npm package consumers (packed, installed: import, require, tsc, plain page)",
                cmd("node")
                    .args(["--test", "--test-reporter=tap", "tests/consumers/run.mjs"])
                    .env("WA_GROUPS_SANDBOX_URL", url),
                tap_counts,
            ));
        }
        if only.has("e2e") {
            reset_sandbox(url);
            layers.push(layer(
                "e2e",
                "panel end to end (headless Chromium)",
                &mut e2e(&e2e_files(false), url),
                tap_counts,
            ));
        }
        drop(sandbox);
        for job in beside {
            layers.push(job.finish());
        }
        if only.has("sizes") {
            layers.push(layer(
                "sizes",
                "wasm sizes within size-budget.json",
                cmd("node").args(["xtask/sizes.mjs", "--check"]),
                tap_counts,
            ));
        }
    } else {
        eprintln!("\nskipping the browser, Node and end-to-end layers: a build failed");
    }

    let (lines, last) = summary(&layers, started.elapsed(), only.only.as_deref());
    for line in lines {
        eprintln!("{line}");
    }
    println!("{last}");
    let failed: u32 = layers.iter().map(|l| l.failed).sum();
    if failed == 0 && builds_ok {
        Ok(())
    } else {
        Err(format!("{failed} failed"))
    }
}

/// The summary: a header with the whole run's time, one line per layer or step (its wall
/// time, the `--only` name that reruns it, its counts), then the last line,
/// `N passed, N failed`, which CI reads.
fn summary(layers: &[Layer], total: Duration, only: Option<&str>) -> (Vec<String>, String) {
    let scope = only.map_or(String::new(), |list| format!(" of --only {list}"));
    let mut lines = vec![format!(
        "\n=== summary{scope}: {} s (`--only NAME` reruns a layer) ===",
        total.as_secs()
    )];
    for l in layers {
        let mark = if l.failed == 0 { "ok  " } else { "FAIL" };
        let counts = if l.passed == 0 && l.failed == 0 {
            String::new()
        } else {
            format!("{:>4} passed {:>3} failed", l.passed, l.failed)
        };
        lines.push(format!(
            "{mark} {:>6.1} s  {:<15}  {counts:<22}  {}",
            l.seconds, l.key, l.name
        ));
    }
    let passed: u32 = layers.iter().map(|l| l.passed).sum();
    let failed: u32 = layers.iter().map(|l| l.failed).sum();
    (lines, format!("{passed} passed, {failed} failed"))
}

/// Raw, gzip and brotli sizes of the `.wasm` files in size-budget.json, and their budgets.
pub fn print_sizes() -> Result<(), String> {
    exec(cmd("node").args(["xtask/sizes.mjs"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_end_to_end_shards_split_every_file_once() {
        let beside = e2e_files(true);
        let rest = e2e_files(false);
        assert_eq!(
            beside.len(),
            E2E_BESIDE.len(),
            "a name in E2E_BESIDE is stale"
        );
        assert!(rest.len() > 5, "{rest:?}");
        assert!(beside.iter().all(|f| !rest.contains(f)));
        let all = std::fs::read_dir(root().join("tests/e2e"))
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy().ends_with(".test.mjs")
            })
            .count();
        assert_eq!(beside.len() + rest.len(), all);
    }

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

    #[test]
    fn the_summary_gives_each_line_its_seconds_and_ends_with_the_counts() {
        let layers = [
            Layer {
                name: "setup (tools at their pinned versions)",
                seconds: 1.25,
                ..Layer::default()
            },
            Layer {
                key: "fmt",
                name: "format",
                seconds: 0.4,
                ..Layer::default()
            },
            Layer {
                key: "native",
                name: "native tests",
                passed: 250,
                failed: 0,
                seconds: 40.06,
            },
            Layer {
                key: "e2e",
                name: "panel end to end (headless Chromium)",
                passed: 70,
                failed: 2,
                seconds: 125.0,
            },
        ];
        let (lines, last) = summary(&layers, Duration::from_secs(167), None);
        assert_eq!(
            lines,
            [
                "\n=== summary: 167 s (`--only NAME` reruns a layer) ===",
                "ok      1.2 s                                           setup (tools at their pinned versions)",
                "ok      0.4 s  fmt                                      format",
                "ok     40.1 s  native            250 passed   0 failed  native tests",
                "FAIL  125.0 s  e2e                70 passed   2 failed  panel end to end (headless Chromium)",
            ]
        );
        assert_eq!(last, "320 passed, 2 failed");
        let (lines, _) = summary(&layers[..2], Duration::from_secs(3), Some("fmt"));
        assert!(
            lines[0].contains("summary of --only fmt: 3 s"),
            "{}",
            lines[0]
        );
    }
}
