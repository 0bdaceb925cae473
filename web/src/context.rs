//! What every page shares, set up once by the shell ([`crate::app::App`]): the connection
//! (and so the client), the toasts, and, when a gateway serves the panel, who is signed in
//! and the live events. Pages import it from here, not from the shell.

use std::rc::Rc;

use leptos::prelude::*;
use wa_groups::Client;

use crate::activity::{LiveEvent, Me};
use crate::reuse::PanelTransport;
use crate::storage::SavedConnection;
use crate::toast::Toasts;

/// A connected client and how it was made.
#[derive(Clone)]
pub struct Connection {
    pub client: Rc<Client<PanelTransport>>,
    pub saved: SavedConnection,
    /// The server refused to delete a group as something it cannot do (a WAHA engine
    /// other than WEBJS, not named when connecting): not offered again.
    pub cannot_delete: Rc<std::cell::Cell<bool>>,
}

/// The connection, shared through context (`None` until the person connects).
pub type ConnectionSignal = RwSignal<Option<Connection>, LocalStorage>;

/// How the panel reaches the providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Finding out whether a gateway serves the panel (`GET /_gateway/me`).
    Probing,
    /// Straight to a WAHA or Wavy server, with credentials typed in the panel.
    Direct,
    /// Through the gateway that served the panel: sign in, then pick a connection.
    Gateway,
}

/// The state of the live event stream (gateway mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveState {
    Off,
    Connecting,
    Live,
    Reconnecting,
}

/// Everything shared, each a signal (so `Copy`).
#[derive(Clone, Copy)]
struct Shared {
    connection: ConnectionSignal,
    mode: RwSignal<Mode>,
    me: RwSignal<Option<Me>>,
    /// Why the person is at the sign-in form again (their session ended).
    notice: RwSignal<Option<String>>,
    /// Events seen so far (stream and history), newest first, each id once.
    events: RwSignal<Vec<LiveEvent>>,
    live: RwSignal<LiveState>,
}

thread_local! {
    /// The app's shared signals. Kept here rather than in reactive context so that event
    /// handlers and async tasks, which run without a reactive owner, can reach them.
    static SHARED: std::cell::Cell<Option<Shared>> = const { std::cell::Cell::new(None) };
}

fn shared() -> Shared {
    SHARED
        .with(std::cell::Cell::get)
        .expect("App creates the shared state before any page")
}

/// Sets up the shared context (the toasts, and no connection yet); returns the connection.
pub fn provide() -> ConnectionSignal {
    Toasts::provide();
    let connection: ConnectionSignal = RwSignal::new_local(None);
    SHARED.with(|c| {
        c.set(Some(Shared {
            connection,
            mode: RwSignal::new(Mode::Probing),
            me: RwSignal::new(None),
            notice: RwSignal::new(None),
            events: RwSignal::new(Vec::new()),
            live: RwSignal::new(LiveState::Off),
        }))
    });
    connection
}

pub fn use_connection() -> ConnectionSignal {
    shared().connection
}

/// The connected client; pages below `RequireConnection` may rely on it.
pub fn client() -> Rc<Client<PanelTransport>> {
    use_connection()
        .with_untracked(|c| c.as_ref().map(|c| c.client.clone()))
        .expect("rendered under RequireConnection")
}

/// Direct, or through a gateway (reactive).
pub fn mode() -> RwSignal<Mode> {
    shared().mode
}

/// The user signed in to the gateway (`None` in direct mode or before signing in).
pub fn me() -> RwSignal<Option<Me>> {
    shared().me
}

/// Why the sign-in form is shown again, if it is because a session ended.
pub fn notice() -> RwSignal<Option<String>> {
    shared().notice
}

/// Whether the person may change anything, and if not, why: `Some("Your role (viewer)
/// can only read")` for a gateway viewer; `None` for an admin and in direct mode, where
/// the provider decides. Reactive: use it in `disabled=move || …` and beside the control.
pub fn write_denied() -> Option<&'static str> {
    shared()
        .me
        .with(|me| me.as_ref().and_then(Me::write_denied))
}

/// Whether the signed-in gateway user is an admin (the audit is theirs). Reactive.
pub fn is_admin() -> bool {
    shared().me.with(|me| me.as_ref().is_some_and(Me::is_admin))
}

/// The gateway connection in use (its name), when connected through a gateway. Reactive.
pub fn gateway_connection() -> Option<String> {
    shared()
        .connection
        .with(|c| c.as_ref().and_then(|c| c.saved.gateway.clone()))
}

/// [`gateway_connection`], read without tracking (in tasks and handlers).
pub fn gateway_connection_untracked() -> Option<String> {
    shared()
        .connection
        .with_untracked(|c| c.as_ref().and_then(|c| c.saved.gateway.clone()))
}

/// The live events seen so far, newest first (gateway mode).
pub fn events() -> RwSignal<Vec<LiveEvent>> {
    shared().events
}

/// The live stream's state (gateway mode).
pub fn live() -> RwSignal<LiveState> {
    shared().live
}
