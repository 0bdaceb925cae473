//! `cargo xtask fuzz`: the cargo-fuzz targets in `fuzz/`, long runs with per-parser counts;
//! and the short smoke pass that `cargo xtask test` runs.
//!
//! The targets build on the stable toolchain with `--sanitizer none` (the crate has no
//! `unsafe`; address sanitizer needs nightly), in cargo-fuzz's default mode: optimised, with
//! debug assertions and overflow checks.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::process::{cmd, exec};
use crate::root;

/// The targets and, for the response targets, the operations each runs one by one in a
/// long run (`WA_FUZZ_OPERATION`), so every parser gets its own budget.
pub const TARGETS: [&str; 5] = [
    "waha_responses",
    "wavy_responses",
    "evolution_responses",
    "parse_inbound",
    "headers",
];

/// Operations of the response targets (the names in `fuzz/src/lib.rs`).
const OPERATIONS: [&str; 24] = [
    "createGroup",
    "listGroups",
    "listGroups(no participants)",
    "countGroups",
    "getGroup",
    "deleteGroup",
    "leaveGroup",
    "refreshGroups",
    "setSubject",
    "setDescription",
    "getInviteLink",
    "revokeInviteLink",
    "joinGroup",
    "getJoinInfo",
    "listParticipants",
    "changeParticipants",
    "getSettings",
    "setSetting",
    "listJoinRequests",
    "answerJoinRequests",
    "setIcon",
    "getIcon",
    "removeIcon",
    "sendText",
];

/// Executions per target in the smoke pass of `cargo xtask test`.
pub const SMOKE_RUNS: u64 = 30_000;

fn fuzz_dir() -> PathBuf {
    root().join("fuzz")
}

fn binary(target: &str) -> PathBuf {
    fuzz_dir()
        .join("target/x86_64-unknown-linux-gnu/release")
        .join(target)
}

/// `cargo fuzz build` for every target.
pub fn build() -> Command {
    let mut build = cmd("cargo");
    // Always into fuzz/target, where the runs look for the binaries, whatever
    // CARGO_TARGET_DIR the caller set (CI may set one for the workspace).
    build
        .current_dir(fuzz_dir())
        .env("CARGO_TARGET_DIR", fuzz_dir().join("target"))
        .args(["fuzz", "build", "--sanitizer", "none"]);
    build
}

/// Seeds each target's corpus with the recorded provider responses (the parser tests'
/// fixtures), one input per operation and status, so fuzzing starts from real shapes.
pub fn seed() -> Result<(), String> {
    let fixtures: Vec<(String, Vec<u8>)> =
        ["src/provider/waha/fixtures", "src/provider/wavy/fixtures"]
            .iter()
            .flat_map(|dir| std::fs::read_dir(root().join(dir)).into_iter().flatten())
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                Some((name, std::fs::read(e.path()).ok()?))
            })
            .collect();
    if fixtures.is_empty() {
        return Err("no fixtures found to seed the fuzz corpus".into());
    }
    let inbound: Vec<(String, Vec<u8>)> = std::fs::read_dir(root().join("src/events/fixtures"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Some((name, std::fs::read(e.path()).ok()?))
        })
        .collect();
    for target in ["waha_responses", "wavy_responses", "evolution_responses"] {
        let dir = corpus(target);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for (name, body) in &fixtures {
            for op in 0..OPERATIONS.len() as u8 {
                // Status index 0 (200); engines in the two high bits; no Retry-After.
                for engine in [0u8, 1, 2, 3] {
                    let mut input = vec![op, engine << 6, 0];
                    input.extend_from_slice(body);
                    write_seed(&dir, &format!("{name}-{op}-{engine}"), &input)?;
                }
            }
        }
    }
    let dir = corpus("parse_inbound");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, body) in fixtures.iter().chain(&inbound) {
        for provider in [0u8, 1, 2] {
            let mut input = vec![provider];
            input.extend_from_slice(body);
            write_seed(&dir, &format!("{name}-{provider}"), &input)?;
        }
    }
    let dir = corpus("headers");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (i, value) in [
        "1",
        "120",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
    ]
    .iter()
    .enumerate()
    {
        write_seed(&dir, &format!("seed-{i}"), value.as_bytes())?;
    }
    Ok(())
}

fn write_seed(dir: &Path, name: &str, input: &[u8]) -> Result<(), String> {
    let path = dir.join(format!("seed-{name}"));
    std::fs::write(&path, input).map_err(|e| format!("{}: {e}", path.display()))
}

fn corpus(target: &str) -> PathBuf {
    fuzz_dir().join("corpus").join(target)
}

/// The smoke pass of `cargo xtask test`: each target, [`SMOKE_RUNS`] executions from the
/// seeded corpus. Returns (targets clean, targets failed).
pub fn smoke() -> (u32, u32) {
    if let Err(e) = seed() {
        eprintln!("{e}");
        return (0, 1);
    }
    let (mut passed, mut failed) = (0, 0);
    for target in TARGETS {
        match run_target(target, SMOKE_RUNS, None) {
            Ok(run) if run.ok && run.executions >= SMOKE_RUNS => {
                passed += 1;
                eprintln!("ok   {target}: {} executions, 0 crashes", run.executions);
                if let Some(line) = run.per_parser {
                    eprintln!("     per parser: {line}");
                }
            }
            Ok(run) => {
                failed += 1;
                eprintln!("FAIL {target}: {} executions\n{}", run.executions, run.tail);
            }
            Err(e) => {
                failed += 1;
                eprintln!("FAIL {target}: {e}");
            }
        }
    }
    (passed, failed)
}

/// The outcome of one libFuzzer run.
pub struct Run {
    /// `stat::number_of_executed_units`.
    pub executions: u64,
    /// Whether libFuzzer exited cleanly (no crash, leak, timeout or out-of-memory).
    pub ok: bool,
    /// The per-parser line the response targets print at exit, if any.
    pub per_parser: Option<String>,
    /// libFuzzer's last lines, shown when it failed.
    pub tail: String,
}

/// Runs `target` for `runs` executions over its corpus (optionally on one operation).
pub fn run_target(target: &str, runs: u64, operation: Option<&str>) -> Result<Run, String> {
    let artifacts = fuzz_dir().join("artifacts").join(target);
    std::fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    let mut command = Command::new(binary(target));
    command
        .current_dir(fuzz_dir())
        .arg(corpus(target))
        .arg(format!("-runs={runs}"))
        .arg("-print_final_stats=1")
        .arg("-timeout=10")
        .arg("-rss_limit_mb=2048")
        .arg(format!("-artifact_prefix={}/", artifacts.display()));
    match operation {
        Some(op) => command.env("WA_FUZZ_OPERATION", op),
        None => command.env_remove("WA_FUZZ_OPERATION"),
    };
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e} (build first)", binary(target).display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let executions = stderr
        .lines()
        .find_map(|l| {
            l.strip_prefix("stat::number_of_executed_units:")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0);
    let per_parser = stderr
        .lines()
        .find(|l| l.contains(" per parser: "))
        .map(|l| l.split_once(": ").map_or(l, |(_, rest)| rest).to_owned());
    let lines: Vec<&str> = stderr.lines().collect();
    let tail = lines[lines.len().saturating_sub(30)..].join("\n");
    Ok(Run {
        executions,
        ok: output.status.success(),
        per_parser,
        tail,
    })
}

/// `cargo xtask fuzz [--runs N] [target…]`: every parser gets `N` executions (default one
/// million), each response parser on its own; prints a table and exits non-zero on a crash.
pub fn long(args: &[String]) -> Result<(), String> {
    let mut runs: u64 = 1_000_000;
    let mut targets: Vec<&str> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--runs" {
            runs = rest
                .next()
                .and_then(|n| n.replace('_', "").parse().ok())
                .ok_or("--runs takes a number")?;
        } else if let Some(t) = TARGETS.iter().find(|t| **t == arg.as_str()) {
            targets.push(t);
        } else {
            return Err(format!(
                "unknown target `{arg}`; targets: {}",
                TARGETS.join(", ")
            ));
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    crate::setup::cargo_fuzz()?;
    exec(&mut build())?;
    seed()?;
    let mut failures = 0;
    let mut rows: Vec<(String, String, u64, bool, f64)> = Vec::new();
    for target in targets {
        let operations: Vec<Option<&str>> = if target.ends_with("_responses") {
            OPERATIONS.iter().map(|op| Some(*op)).collect()
        } else {
            vec![None]
        };
        for operation in operations {
            let started = Instant::now();
            let run = run_target(target, runs, operation)?;
            let seconds = started.elapsed().as_secs_f64();
            let label = operation.unwrap_or("(all)").to_owned();
            // A provider without the operation parses nothing: report that, not a count.
            let parsed = match (&run.per_parser, operation) {
                (Some(line), Some(op)) => line.contains(&format!("{op}=")),
                _ => true,
            };
            eprintln!(
                "{target:<16} {label:<28} {:>10} execs {:>6.0} s  {}",
                run.executions,
                seconds,
                match (run.ok, parsed) {
                    (false, _) => "CRASH",
                    (true, false) => "not offered by this provider",
                    (true, true) => "0 crashes",
                }
            );
            if !run.ok {
                failures += 1;
                eprintln!("{}", run.tail);
            }
            if parsed {
                rows.push((target.to_owned(), label, run.executions, run.ok, seconds));
            }
        }
    }
    let json: Vec<String> = rows
        .iter()
        .map(|(t, op, n, ok, s)| {
            format!(
                "{{\"target\":\"{t}\",\"parser\":\"{op}\",\"executions\":{n},\"crashes\":{},\"seconds\":{s:.1}}}",
                u8::from(!ok)
            )
        })
        .collect();
    let out = root().join("artifacts/fuzz.json");
    let _ = std::fs::create_dir_all(root().join("artifacts"));
    std::fs::write(&out, format!("[\n{}\n]\n", json.join(",\n")))
        .map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("\nwritten to {}", out.display());
    if failures == 0 {
        Ok(())
    } else {
        Err(format!(
            "{failures} fuzz run(s) crashed; inputs are in fuzz/artifacts/"
        ))
    }
}
