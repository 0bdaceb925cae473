//! `cargo xtask bench`: builds what the benchmarks need, runs the gateway's benchmark
//! (`gateway/benches/gateway.rs`, against release builds of the gateway and the sandbox),
//! starts two release sandboxes (one serving the bench page, one the panel) and runs
//! `bench/run.mjs`, which writes BENCHMARKS.md and BENCHMARKS.json. `--gateway-only` runs
//! the gateway's benchmark alone and replaces its part of the report. Nothing here judges a
//! time; the numbers are for people.

use crate::files::{copy, copy_dir};
use crate::process::{Sandbox, cmd, exec};
use crate::root;
use crate::setup;
use crate::test::{build_panel, build_servers_release, release_binary, sandbox_binary};

/// Where the gateway's benchmark writes its figures, for `bench/run.mjs`.
const GATEWAY_FIGURES: &str = "target/bench-gateway.json";

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
    let known = ["--quick", "--no-panel", "--gateway-only"];
    if let Some(other) = args.iter().find(|a| !known.contains(&a.as_str())) {
        return Err(format!(
            "unknown bench option `{other}` (--quick, --no-panel, --gateway-only)"
        ));
    }
    if gateway_only {
        // The gateway's figures alone, merged into BENCHMARKS.json; the rest is kept.
        gateway_bench(quick)?;
        return exec(cmd("node").args(["bench/run.mjs", "--merge-gateway", GATEWAY_FIGURES]));
    }
    setup::run_all()?;
    // First, while nothing else runs: the gateway's latency and memory.
    gateway_bench(quick)?;
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
