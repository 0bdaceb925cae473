//! `wa-groups-gateway`: serves the wa-groups panel in front of real provider accounts.
//!
//! It keeps the provider keys on the server, forwards only the group routes the core uses
//! (`/c/{connection}/…`), signs users in with roles, and records every forwarded write.
//! `main.rs` parses the command line and calls [`app`]; tests build the same router and
//! drive it over real HTTP on port 0.

#![deny(missing_docs)]

#[allow(missing_docs)]
pub mod allow;
#[allow(missing_docs)]
pub mod audit;
#[allow(missing_docs)]
pub mod auth;
#[allow(missing_docs)]
pub mod config;
#[allow(missing_docs)]
pub mod error;
#[allow(missing_docs)]
pub mod events;
#[allow(missing_docs)]
pub mod forward;
#[allow(missing_docs)]
pub mod hooks;
#[allow(missing_docs)]
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{any, get, post};

pub use config::{Connection, Credentials, Provider, Upstream};
pub use store::{Role, Store};

/// What can be tuned besides the connections.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long a session lasts after sign-in.
    pub session_ttl: Duration,
    /// The longest wait for the upstream's whole answer (then 504).
    pub upstream_timeout: Duration,
    /// The longest wait to connect to the upstream (then 502).
    pub connect_timeout: Duration,
    /// The panel's files (`--static`), served at `/` with `index.html` for unknown paths.
    pub static_dir: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            session_ttl: Duration::from_secs(12 * 3600),
            upstream_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            static_dir: None,
        }
    }
}

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The contents of [`AppState`].
pub struct Inner {
    /// The connections, by name.
    pub connections: Vec<Connection>,
    /// Users, sessions, audit.
    pub store: Store,
    /// Tunables.
    pub options: Options,
    /// Failed sign-ins per user name.
    pub limiter: auth::Limiter,
    /// The upstream HTTP client.
    pub upstream: forward::UpstreamClient,
    /// A hash checked when the user does not exist, so both failures take as long.
    pub dummy_hash: String,
    /// Every upstream secret, for redaction.
    pub secrets: Vec<String>,
    /// The newest stored event's id: wakes the event streams.
    pub events: tokio::sync::watch::Sender<i64>,
    /// Set on shutdown: the event streams end, so a graceful shutdown does not wait on them.
    pub closing: std::sync::atomic::AtomicBool,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// The state for `connections`, over an opened `store`.
    pub fn new(connections: Vec<Connection>, store: Store, options: Options) -> AppState {
        let secrets = connections
            .iter()
            .flat_map(|c| {
                let mut s: Vec<String> = c
                    .credentials
                    .secrets()
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                s.extend(c.webhook_secret.clone());
                s
            })
            .filter(|s| !s.is_empty())
            .collect();
        AppState(Arc::new(Inner {
            upstream: forward::UpstreamClient::new(options.connect_timeout),
            connections,
            store,
            limiter: auth::Limiter::default(),
            dummy_hash: auth::dummy_hash(),
            options,
            secrets,
            events: tokio::sync::watch::Sender::new(0),
            closing: std::sync::atomic::AtomicBool::new(false),
        }))
    }

    /// Ends every open event stream (before a graceful shutdown).
    pub fn close_streams(&self) {
        self.closing
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.events.send_modify(|_| {});
    }

    /// The connection named `name`.
    pub fn connection(&self, name: &str) -> Option<&Connection> {
        self.connections.iter().find(|c| c.name == name)
    }
}

/// The gateway's whole HTTP application.
pub fn app(state: AppState) -> Router {
    let static_dir = state.options.static_dir.clone();
    let router = Router::new()
        .route("/_gateway/login", post(auth::login))
        .route("/_gateway/logout", post(auth::logout))
        .route("/_gateway/me", get(auth::me))
        .route("/_gateway/audit", get(audit::list))
        .route("/_gateway/events", get(events::stream))
        .route("/_gateway/events/history", get(events::history))
        .route("/_gateway/hooks/{connection}", post(hooks::waha))
        .route(
            "/_gateway/hooks/{connection}/{token}",
            post(hooks::with_token),
        )
        .route(
            "/_gateway/hooks/{connection}/{token}/{event}",
            post(hooks::with_token_and_event),
        )
        .route("/_gateway", any(forward::unknown))
        .route("/_gateway/{*rest}", any(forward::unknown))
        .route("/c", any(forward::unknown))
        .route("/c/{*rest}", any(forward::forward));
    let router = match static_dir {
        Some(dir) => router.fallback_service(panel_files(&dir)),
        None => router.fallback(forward::unknown),
    };
    router.with_state(state)
}

/// The panel's files: a file's `.br`/`.gz` sibling (a release build writes them) when the
/// browser accepts it, with the file's own `Content-Type`; `index.html`, compressed
/// likewise, for unknown non-API paths (the panel's own routes); and `Vary:
/// Accept-Encoding` on every answer, which tower-http does not add, so a cache in front
/// never hands brotli to a client that cannot read it.
fn panel_files(
    dir: &std::path::Path,
) -> tower_http::set_header::SetResponseHeader<
    tower_http::services::ServeDir<tower_http::services::ServeFile>,
    axum::http::HeaderValue,
> {
    use tower_http::services::{ServeDir, ServeFile};
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    tower_http::set_header::SetResponseHeader::appending(
        files,
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("accept-encoding"),
    )
}

/// Listens on `addr` (port 0 picks a free port).
pub async fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
