//! `cargo xtask bench`: builds what the benchmarks need, runs the gateway's benchmark
//! (`gateway/benches/gateway.rs`, against release builds of the gateway and the sandbox),
//! starts two release sandboxes (one serving the bench page, one the panel) and runs
//! `bench/run.mjs`, which writes BENCHMARKS.md and BENCHMARKS.json. `--gateway-only` runs
//! the gateway's benchmark alone and replaces its part of the report. `--only decode` runs
//! the decoding candidates of issue 15 alone (bench/decode: each built, sized and timed in
//! Chromium) and replaces their part of the report; a full run measures them first. Nothing
//! here judges a time; the numbers are for people.

use crate::files::{copy, copy_dir};
use crate::process::{Sandbox, cmd, exec};
use crate::root;
use crate::setup;
use crate::test::{build_panel, build_servers_release, release_binary, sandbox_binary, target_dir};

/// Where the gateway's benchmark writes its figures, for `bench/run.mjs`.
const GATEWAY_FIGURES: &str = "target/bench-gateway.json";

/// Where the decoding candidates' figures go (bench/decode/run.mjs), for `bench/run.mjs`.
const DECODE_FIGURES: &str = "target/bench-decode.json";

/// The decoding candidates of issue 15, one cargo feature of bench/decode each: `baseline`
/// is the floor their own cost is taken over, `normalise` the part they all share.
const DECODE_CANDIDATES: [&str; 9] = [
    "baseline",
    "normalise",
    "serde_json",
    "swb",
    "miniserde",
    "reflect",
    "reflect_json",
    "reflect_idx",
    "reflect_sniff",
];

/// Builds each decoding candidate (bench/decode, its own workspace) as the core is shipped —
/// release, wasm-bindgen `--target web`, `wasm-opt -Oz` — plus a copy optimised with its
/// names kept, for `twiggy`, and a build with `split` (a second export that skips the
/// hand-over to JS), for timing the halves apart; then bench/decode/run.mjs sizes and times
/// them all in one Chromium and writes [`DECODE_FIGURES`].
fn decode_bench(quick: bool) -> Result<(), String> {
    let root = root();
    // Its own target folder: its features must never be unified with the workspace's.
    let target = target_dir().join("bench-decode");
    let site = root.join("target/bench-decode-site");
    let _ = std::fs::remove_dir_all(&site);
    for name in DECODE_CANDIDATES {
        let shipped = decode_build(&target, &site, name, name)?;
        exec(
            cmd("wasm-opt")
                .args(["-Oz", "-g"])
                .arg(&shipped)
                .arg("-o")
                .arg(site.join(name).join(format!("{name}_named.wasm"))),
        )?;
        exec(
            cmd("wasm-opt")
                .arg("-Oz")
                .arg(&shipped)
                .arg("-o")
                .arg(&shipped),
        )?;
        if !matches!(name, "baseline" | "normalise") {
            let split = format!("{name}_split");
            let wasm = decode_build(&target, &site, &format!("{name},split"), &split)?;
            exec(cmd("wasm-opt").arg("-Oz").arg(&wasm).arg("-o").arg(&wasm))?;
        }
    }
    let mut runner = cmd("node");
    runner
        .arg("bench/decode/run.mjs")
        .arg("--site")
        .arg(&site)
        .args(["--out", DECODE_FIGURES]);
    if quick {
        runner.arg("--quick");
    }
    exec(&mut runner)
}

/// bench/decode built in release with `features`, then wasm-bindgen `--target web` into
/// `site/out` as `out.js` + `out_bg.wasm`; the path of that `.wasm`.
fn decode_build(
    target: &std::path::Path,
    site: &std::path::Path,
    features: &str,
    out: &str,
) -> Result<std::path::PathBuf, String> {
    exec(
        cmd("cargo")
            .args(["build", "--release", "--target", "wasm32-unknown-unknown"])
            .arg("--manifest-path")
            .arg(root().join("bench/decode/Cargo.toml"))
            .arg("--target-dir")
            .arg(target)
            .args(["--no-default-features", "--features", features]),
    )?;
    let dir = site.join(out);
    exec(
        cmd("wasm-bindgen")
            .args(["--target", "web", "--out-name", out, "--out-dir"])
            .arg(&dir)
            .arg(target.join("wasm32-unknown-unknown/release/decode_bench.wasm")),
    )?;
    Ok(dir.join(format!("{out}_bg.wasm")))
}

/// Release builds of the sandbox and the gateway, then the gateway's benchmark (its
/// client compiled with the `bench` profile) against them, each server its own process.
fn gateway_bench(quick: bool) -> Result<(), String> {
    build_servers_release()?;
    let out = root().join(GATEWAY_FIGURES);
    // target/ is not there when cargo builds elsewhere (CARGO_TARGET_DIR).
    if let Some(folder) = out.parent() {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    let mut bench = cmd("cargo");
    bench
        .args([
            "bench",
            "-p",
            "wa-groups-gateway",
            "--bench",
            "gateway",
            "--",
        ])
        .arg("--gateway")
        .arg(release_binary("wa-groups-gateway"))
        .arg("--sandbox")
        .arg(release_binary("wa-groups-sandbox"))
        .arg("--out")
        .arg(&out);
    if quick {
        bench.arg("--quick");
    }
    exec(&mut bench)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    // While developing the core: skip the panel build and timings; the report is untouched.
    let no_panel = args.iter().any(|a| a == "--no-panel");
    let gateway_only = args.iter().any(|a| a == "--gateway-only");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .map(|i| args.get(i + 1).map(String::as_str));
    let known = ["--quick", "--no-panel", "--gateway-only", "--only"];
    if let Some(other) = args
        .iter()
        .enumerate()
        .find(|&(i, a)| !known.contains(&a.as_str()) && (i == 0 || args[i - 1] != "--only"))
        .map(|(_, a)| a)
    {
        return Err(format!(
            "unknown bench option `{other}` (--quick, --no-panel, --gateway-only, --only decode)"
        ));
    }
    match only {
        None => {}
        Some(Some("decode")) => {
            // The decoding candidates alone, merged into BENCHMARKS.json; the rest is kept.
            decode_bench(quick)?;
            return exec(cmd("node").args(["bench/run.mjs", "--merge-decode", DECODE_FIGURES]));
        }
        Some(other) => {
            return Err(format!(
                "`--only {}`: the part that runs alone is `decode`",
                other.unwrap_or("")
            ));
        }
    }
    if gateway_only {
        // The gateway's figures alone, merged into BENCHMARKS.json; the rest is kept.
        gateway_bench(quick)?;
        return exec(cmd("node").args(["bench/run.mjs", "--merge-gateway", GATEWAY_FIGURES]));
    }
    setup::run_all()?;
    // First, while nothing else runs: the gateway's latency and memory, then the decoding
    // candidates.
    gateway_bench(quick)?;
    decode_bench(quick)?;
    let root = root();
    let site = root.join("target/bench-site");
    let _ = std::fs::remove_dir_all(&site);
    std::fs::create_dir_all(&site).map_err(|e| format!("{}: {e}", site.display()))?;

    // The core exactly as the npm package ships it to browsers (pkg/web).
    crate::pkg::build()?;
    copy_dir(&root.join("pkg/web"), &site.join("pkg"))?;
    // The peer's types, generated from WAHA's published OpenAPI file (version 2024.9.2,
    // kept in bench/ as WAHA publishes it; see bench/README.md).
    let spec = root.join("bench/waha-openapi-2024.9.2.json");
    if !spec.exists() {
        return Err(format!("{} is missing", spec.display()));
    }
    let fixed = site.join("waha-openapi.json");
    exec(cmd("node").arg("bench/spec.mjs").arg(&spec).arg(&fixed))?;
    exec(
        cmd("node_modules/.bin/openapi-typescript")
            .arg(&fixed)
            .arg("-o")
            .arg(site.join("waha-api.ts")),
    )?;
    copy(&root.join("bench/bench.ts"), &site.join("bench.ts"))?;
    copy(&root.join("bench/index.html"), &site.join("index.html"))?;
    let peer = root.join("node_modules/openapi-fetch/dist");
    copy(&peer.join("index.mjs"), &site.join("openapi-fetch.js"))?;
    copy(&peer.join("index.d.mts"), &site.join("openapi-fetch.d.ts"))?;
    exec(cmd("node_modules/.bin/tsc").args(["-p", "bench/tsconfig.json"]))?;

    if !no_panel {
        exec(&mut build_panel())?;
    }
    exec(cmd("cargo").args(["build", "--release", "-p", "wa-groups-sandbox"]))?;
    let sandbox = sandbox_binary("release");
    let core = Sandbox::start(&sandbox, &["--static", &site.display().to_string()])?;
    let mut runner = cmd("node");
    runner.args(["bench/run.mjs", "--core", &core.url]);
    runner.args(["--gateway", GATEWAY_FIGURES]);
    runner.args(["--decode", DECODE_FIGURES]);
    let panel = if no_panel {
        runner.arg("--no-panel");
        None
    } else {
        let dist = root.join("dist").display().to_string();
        let panel = Sandbox::start(&sandbox, &["--static", &dist])?;
        runner.args(["--panel", &panel.url]);
        Some(panel)
    };
    if quick {
        runner.arg("--quick");
    }
    let result = exec(&mut runner);
    drop((core, panel));
    result?;
    Ok(())
}
