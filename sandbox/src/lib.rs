//! The wa-groups sandbox: an in-memory emulation of the WAHA, Wavy and Evolution group APIs,
//! faithful to the real routes, status codes, raw response shapes and error bodies, so that
//! tests, benchmarks and the demo run on loopback with no account and no network.
//!
//! Routes: WAHA under `/api/…`, Wavy under `/v1/whatsapp/…`, Evolution under `/group/…` and
//! `/message/…`, the control API under
//! `/_sandbox/…`, and the panel at `/` when a static folder is given.

mod access;
mod control;
pub mod evolution;
pub mod faults;
mod state;
mod time;
pub mod waha;
mod wavy;
mod webhook;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeader;

pub use state::World;

/// How the sandbox is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The WAHA `X-Api-Key` accepted.
    pub api_key: String,
    /// The Wavy `userName` accepted.
    pub wavy_user: String,
    /// The Wavy `authenticationToken` accepted.
    pub wavy_token: String,
    /// A folder to serve at `/` (the built panel), with `index.html` for unknown paths.
    pub static_dir: Option<PathBuf>,
    /// Whether to start with demo groups.
    pub seed_demo: bool,
    /// The engine of the WAHA session `default` (`webjs`, `noweb`, `gows` always use theirs).
    pub engine: waha::Engine,
    /// The Evolution API `apikey` accepted (the server's global key).
    pub evolution_key: String,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            api_key: "sandbox".into(),
            wavy_user: "sandbox".into(),
            wavy_token: "sandbox".into(),
            static_dir: None,
            seed_demo: false,
            engine: waha::Engine::Webjs,
            evolution_key: "sandbox".into(),
        }
    }
}

/// Shared state of one sandbox.
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    pub(crate) config: Arc<Config>,
    world: Arc<Mutex<World>>,
    faults: Arc<Mutex<faults::Faults>>,
}

impl AppState {
    /// The world, locked. A panic elsewhere while it was held poisons the lock; the state
    /// is still whole (every change is made in one step under the lock), so every route
    /// recovers it rather than failing every later request.
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The injected faults and counters, locked (recovering a poisoned lock likewise).
    pub(crate) fn faults(&self) -> MutexGuard<'_, faults::Faults> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Listens on `addr` with a deep accept queue. `TcpListener::bind` asks for 128 (the
/// standard library's backlog), so 200 clients connecting at once overflow it and a quarter
/// of them wait a second for their SYN to be retransmitted; load tests and benchmarks would
/// measure that instead of the sandbox.
pub fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// The files of `dir` (the built panel), with `index.html` for unknown paths so the panel's
/// own routes (`/groups/…`) load it. A release build writes `X.br` and `X.gz` beside each
/// file (`cargo xtask compress`); they are sent as they are to a browser that accepts them,
/// so what a person downloads is the size the budget measures, and every answer says it
/// varies by `Accept-Encoding` (tower-http does not).
fn panel_files(dir: &Path) -> SetResponseHeader<ServeDir<ServeFile>, HeaderValue> {
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    SetResponseHeader::appending(
        files,
        header::VARY,
        HeaderValue::from_static("accept-encoding"),
    )
}

/// The sandbox's whole HTTP application.
pub fn app(config: Config) -> Router {
    app_and_world(config).0
}

/// The application and a handle on its world, for tests that need to reach behind the
/// HTTP interface (e.g. to poison its lock).
#[doc(hidden)]
pub fn app_and_world(config: Config) -> (Router, Arc<Mutex<World>>) {
    let mut world = World::default();
    if config.seed_demo {
        world.seed_demo();
    }
    let world = Arc::new(Mutex::new(world));
    let config = Arc::new(config);
    let state = AppState {
        config: config.clone(),
        world: world.clone(),
        faults: Arc::default(),
    };
    // Faults apply to the providers' routes only, ahead of their own auth (as a gateway's
    // rate limit would), never to the control API or the panel.
    let providers = Router::new()
        .nest("/api", waha::routes(state.clone()))
        .nest("/v1/whatsapp", wavy::routes(state.clone()))
        .nest("/group", evolution::group_routes(state.clone()))
        .nest("/message", evolution::message_routes(state.clone()))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ));
    let mut router = providers
        .nest("/_sandbox", control::routes())
        .with_state(state);
    if let Some(dir) = &config.static_dir {
        router = router.fallback_service(panel_files(dir));
    }
    // The last layer runs first: every answer gets its `Date`, then foreign origins are
    // refused before CORS or any route sees them.
    let router = router
        .layer(access::cors(config.clone()))
        .layer(axum::middleware::from_fn_with_state(
            config,
            access::refuse_foreign_origins,
        ))
        .layer(axum::middleware::from_fn(access::date));
    (router, world)
}
