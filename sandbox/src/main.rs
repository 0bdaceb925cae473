//! `wa-groups-sandbox`: the emulator server. See the crate docs of `wa_groups_sandbox`.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use wa_groups_sandbox::{Config, app};

/// Emulates the WAHA, Wavy and Evolution API group APIs on loopback.
#[derive(Debug, Parser)]
#[command(name = "wa-groups-sandbox", version)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: String,
    /// The WAHA `X-Api-Key` the sandbox accepts.
    #[arg(long, default_value = "sandbox")]
    api_key: String,
    /// The Wavy `userName` the sandbox accepts.
    #[arg(long, default_value = "sandbox")]
    wavy_user: String,
    /// The Wavy `authenticationToken` the sandbox accepts.
    #[arg(long, default_value = "sandbox")]
    wavy_token: String,
    /// Serve the files of this folder (the built panel) at `/`.
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// Start with a few demo groups (WAHA session `default` and the Wavy account).
    #[arg(long)]
    seed_demo: bool,
    /// The Evolution API `apikey` the sandbox accepts.
    #[arg(long, default_value = "sandbox")]
    evolution_key: String,
    /// The WAHA engine whose response shapes the `default` session uses.
    #[arg(long, default_value = "WEBJS", value_parser = parse_engine)]
    engine: wa_groups_sandbox::waha::Engine,
}

fn parse_engine(name: &str) -> Result<wa_groups_sandbox::waha::Engine, String> {
    wa_groups_sandbox::waha::Engine::parse(name)
        .ok_or_else(|| format!("`{name}`: expected WEBJS, NOWEB or GOWS"))
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Some(dir) = args
        .static_dir
        .as_ref()
        .filter(|d| !d.join("index.html").is_file())
    {
        eprintln!(
            "wa-groups-sandbox: --static {}: no index.html there",
            dir.display()
        );
        std::process::exit(2);
    }
    let config = Config {
        api_key: args.api_key,
        wavy_user: args.wavy_user,
        wavy_token: args.wavy_token,
        static_dir: args.static_dir,
        seed_demo: args.seed_demo,
        engine: args.engine,
        evolution_key: args.evolution_key,
    };
    let bound = match tokio::net::lookup_host(&args.addr).await {
        Ok(mut addrs) => addrs
            .next()
            .ok_or_else(|| std::io::Error::other("the address resolves to nothing"))
            .and_then(wa_groups_sandbox::listen),
        Err(e) => Err(e),
    };
    let listener = match bound {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("wa-groups-sandbox: cannot listen on {}: {e}", args.addr);
            std::process::exit(1);
        }
    };
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    println!("wa-groups-sandbox listening on http://{addr}");
    let _ = std::io::stdout().flush();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app(config))
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("wa-groups-sandbox: {e}");
        std::process::exit(1);
    }
}
