//! `cargo xtask <task>`: setup, test, demo. Run `cargo xtask help` for the list.

mod bench;
mod compress;
mod demo;
mod dev;
mod files;
mod fuzz;
mod layers;
mod pkg;
mod process;
mod setup;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

pub const HELP: &str = "\
cargo xtask <task>

  setup   install what is missing, at pinned versions (idempotent)
  pkg     the npm package in pkg/: a Node build and a browser build behind an exports map
  test    [--only LAYER[,LAYER…]]  setup, then every test layer: native, browser, Node,
          panel end to end; the summary gives each layer's wall time and ends with
          `N passed, N failed`. --only runs just the named layers, building only what
          they need (CI runs everything):
            fmt              cargo fmt --check (workspace, fuzz/, bench/decode/)
            clippy           clippy -D warnings: native, wasm32, fuzz/
            doc              cargo doc -D warnings: native, wasm32
            native           cargo test --workspace
            fuzz             cargo fuzz build, then a smoke pass of every target
            browser          the core in headless Chromium: window, worker, conformance
            faults           the core's fault suite in Chromium (operation x fault)
            panel-component  the panel's wasm-bindgen-test tests in Chromium
            tsc              the npm package's TypeScript types (tsc --noEmit)
            node             Node tests of the npm package
            consumers        the packed package installed: import, require, tsc, Vite
            e2e              the panel end to end in Chromium, direct and via the gateway
            sizes            the built .wasm files within size-budget.json
  demo    [--port N]  setup, build the panel, start the sandbox (demo groups) and the
          gateway in front of it on http://127.0.0.1:3000 (a WAHA and a Wavy connection,
          webhooks wired, a demo admin); prints the sign-in and a curl that makes a member join
  dev     [--port N]  the panel from `trunk serve` on http://127.0.0.1:N (default 8080),
          rebuilt on every change, next to a sandbox with the demo groups on a free port
          (its URL printed, to connect the panel to); Ctrl-C stops both
  bench   [--quick] [--only decode]  wa-groups vs the floor and openapi-fetch in headless
          Chromium, the panel's render times, sizes, the decoding candidates (issue 15);
          writes BENCHMARKS.md and BENCHMARKS.json. --only decode runs the decoding
          candidates alone (bench/decode) and replaces just their part of the report
  fuzz    [--runs N] [target…]  every response parser and parse_inbound, N executions
          each (default 1,000,000); per-parser counts to artifacts/fuzz.json
  sizes   raw / gzip / brotli sizes of the built .wasm files, against size-budget.json
  compress [DIR]  write X.br (brotli 11) and X.gz (gzip -9) beside every compressible
          file of DIR, which the sandbox and the gateway serve as they are; without DIR,
          Trunk's post_build hook: the staging folder of a release build
";

/// The workspace root (the parent of xtask/): the one `cargo run` (`cargo xtask`) names
/// when it starts this binary, else the one it was compiled in. Two clones that share a
/// target folder share this binary (cargo finds it fresh), so the path compiled in can be
/// the other clone's — or a deleted one's.
pub fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.ends_with("xtask") && dir.join("Cargo.toml").is_file())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run_all(),
        Some("test") => test::run(&args[1..]),
        Some("demo") => demo::run(&args[1..]),
        Some("dev") => dev::run(&args[1..]),
        Some("pkg") => setup::run_all().and_then(|()| pkg::build()),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz::long(&args[1..]),
        Some("sizes") => test::print_sizes(),
        Some("compress") => compress::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
