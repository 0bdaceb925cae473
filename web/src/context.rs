//! What every page shares, set up once by the shell ([`crate::app::App`]): the connection
//! (and so the client) and the toasts. Pages import it from here, not from the shell.

use std::rc::Rc;

use leptos::prelude::*;
use wa_groups::Client;

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

thread_local! {
    /// The app's one connection signal. Kept here rather than in reactive context so that
    /// event handlers and async tasks, which run without a reactive owner, can reach it.
    static CONNECTION: std::cell::Cell<Option<ConnectionSignal>> = const { std::cell::Cell::new(None) };
}

/// Sets up the shared context (the toasts, and no connection yet); returns the connection.
pub fn provide() -> ConnectionSignal {
    Toasts::provide();
    let connection: ConnectionSignal = RwSignal::new_local(None);
    CONNECTION.with(|c| c.set(Some(connection)));
    connection
}

pub fn use_connection() -> ConnectionSignal {
    CONNECTION
        .with(std::cell::Cell::get)
        .expect("App creates the connection before any page")
}

/// The connected client; pages below `RequireConnection` may rely on it.
pub fn client() -> Rc<Client<PanelTransport>> {
    use_connection()
        .with_untracked(|c| c.as_ref().map(|c| c.client.clone()))
        .expect("rendered under RequireConnection")
}
