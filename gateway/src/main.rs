//! `wa-groups-gateway`: parses the command line, then either manages users or serves
//! [`wa_groups_gateway::app`].

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use wa_groups_gateway::{
    AppState, Options, Provider, Role, Store, app, auth, config, listen, now_ms,
};

/// Serves the wa-groups panel in front of WAHA / Wavy / Evolution API accounts, keeping their keys.
#[derive(Parser)]
#[command(name = "wa-groups-gateway", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The provider of the one connection (named `default`); its secrets come from the
    /// environment: WAHA_API_KEY, WAVY_USER_NAME and WAVY_AUTH_TOKEN, or EVOLUTION_API_KEY.
    #[arg(long, value_enum, conflicts_with = "config", requires = "upstream")]
    provider: Option<ProviderArg>,
    /// The provider's base URL, e.g. http://127.0.0.1:3000.
    #[arg(long, conflicts_with = "config", requires = "provider")]
    upstream: Option<String>,
    /// The WAHA session or the Evolution instance (default: `default`).
    #[arg(long, visible_alias = "instance", conflicts_with = "config")]
    session: Option<String>,
    /// A TOML file with several connections (see the README).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Where to listen; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The directory of the data file (users, sessions, audit).
    #[arg(long, global = true, default_value = "wa-groups-data")]
    data: PathBuf,
    /// The panel's built files, served at `/`.
    #[arg(long = "static")]
    static_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProviderArg {
    Waha,
    Wavy,
    Evolution,
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Viewer,
}

#[derive(Subcommand)]
enum Command {
    /// Manage the users who may sign in.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Add a user; the password is read from standard input.
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// List the users and their roles.
    List,
    /// Remove a user (and end their sessions).
    Remove { name: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::User { ref action }) => user_command(action, &cli.data),
        None => serve(cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wa-groups-gateway: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn user_command(action: &UserAction, data: &Path) -> Result<(), String> {
    let store = Store::open(data).map_err(|e| e.0)?;
    match action {
        UserAction::Add { name, role } => {
            let valid = !name.is_empty()
                && name.chars().count() <= 64
                && !name.chars().any(char::is_control);
            if !valid {
                return Err(
                    "a user name is 1-64 characters, none of them control characters".into(),
                );
            }
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
            let password = input.strip_suffix('\n').unwrap_or(&input);
            let password = password.strip_suffix('\r').unwrap_or(password);
            if password.chars().count() < 8 {
                return Err(
                    "the password (read from standard input) must have at least 8 characters"
                        .into(),
                );
            }
            let role = match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Viewer => Role::Viewer,
            };
            let hash = auth::hash_password(password)?;
            if !store
                .add_user(name, role, &hash, now_ms())
                .map_err(|e| e.0)?
            {
                return Err(format!("user `{name}` already exists"));
            }
            println!("added {name} ({})", role.as_str());
        }
        UserAction::List => {
            for user in store.users().map_err(|e| e.0)? {
                println!("{}\t{}", user.name, user.role.as_str());
            }
        }
        UserAction::Remove { name } => {
            if !store.remove_user(name).map_err(|e| e.0)? {
                return Err(format!("no user `{name}`"));
            }
            println!("removed {name}");
        }
    }
    Ok(())
}

fn serve(cli: Cli) -> Result<(), String> {
    let env = |name: &str| std::env::var(name).ok();
    let connections = match (&cli.config, cli.provider) {
        (Some(path), _) => config::from_file(path, &env)?,
        (None, Some(provider)) => {
            let provider = match provider {
                ProviderArg::Waha => Provider::Waha,
                ProviderArg::Wavy => Provider::Wavy,
                ProviderArg::Evolution => Provider::Evolution,
            };
            let upstream = cli.upstream.as_deref().unwrap_or_default();
            config::from_flags(provider, upstream, cli.session.as_deref(), &env)?
        }
        (None, None) => {
            return Err(
                "say what to serve: --provider waha|wavy|evolution --upstream URL, or --config FILE".into(),
            );
        }
    };
    let store = Store::open(&cli.data).map_err(|e| e.0)?;
    if store.user_count().map_err(|e| e.0)? == 0 {
        return Err(format!(
            "no user can sign in yet; create the first admin with:\n  wa-groups-gateway user add admin --role admin --data {} < password.txt",
            cli.data.display()
        ));
    }
    if let Some(dir) = &cli.static_dir
        && !dir.join("index.html").is_file()
    {
        return Err(format!("--static {}: no index.html there", dir.display()));
    }
    let options = Options {
        static_dir: cli.static_dir.clone(),
        ..Options::default()
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start: {e}"))?;
    runtime.block_on(async move {
        let listener = listen(cli.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", cli.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let state = AppState::new(connections, store, options);
        let router = app(state.clone());
        println!("wa-groups-gateway listening on http://{addr}");
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                state.close_streams();
            })
            .await
            .map_err(|e| format!("serving: {e}"))
    })
}
