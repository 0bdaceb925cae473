//! The shell: routes, the connection every page uses, header and toasts.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use wa_groups::Client;

use crate::connect::Connect;
use crate::events::EventsPage;
use crate::group::GroupPage;
use crate::groups::GroupsPage;
use crate::reuse::PanelTransport;
use crate::storage::{self, SavedConnection};
use crate::toast::{ToastArea, Toasts};

/// A connected client and how it was made.
#[derive(Clone)]
pub struct Connection {
    pub client: Rc<Client<PanelTransport>>,
    pub saved: SavedConnection,
}

/// The connection, shared through context (`None` until the person connects).
pub type ConnectionSignal = RwSignal<Option<Connection>, LocalStorage>;

thread_local! {
    /// The app's one connection signal. Kept here rather than in reactive context so that
    /// event handlers and async tasks, which run without a reactive owner, can reach it.
    static CONNECTION: std::cell::Cell<Option<ConnectionSignal>> = const { std::cell::Cell::new(None) };
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

#[component]
pub fn App() -> impl IntoView {
    Toasts::provide();
    let connection: ConnectionSignal = RwSignal::new_local(None);
    CONNECTION.with(|c| c.set(Some(connection)));
    let sign_out = move |_| {
        storage::sign_out();
        connection.set(None);
    };
    view! {
        <Router>
            <header class="top">
                <A href="/" attr:class="brand">"wa-groups"</A>
                <nav aria-label="Main">
                    <A href="/" attr:data-testid="nav-groups">"Groups"</A>
                    <A href="/events" attr:data-testid="nav-events">"Events"</A>
                </nav>
                <Show when=move || connection.with(Option::is_some)>
                    <span class="who" data-testid="connection-label">
                        {move || connection.with(|c| c.as_ref().map(|c| c.saved.label()))}
                    </span>
                    <button class="secondary" data-testid="sign-out" on:click=sign_out>"Sign out"</button>
                </Show>
            </header>
            <main>
                <Routes fallback=|| view! { <p class="card">"Page not found."</p> }>
                    <Route path=path!("/") view=|| view! { <RequireConnection><GroupsPage /></RequireConnection> } />
                    <Route path=path!("/groups/:id") view=|| view! { <RequireConnection><GroupPage /></RequireConnection> } />
                    <Route path=path!("/events") view=EventsPage />
                </Routes>
            </main>
            <ToastArea />
        </Router>
    }
}

/// Shows `children` once connected, the connect form until then.
#[component]
fn RequireConnection(children: ChildrenFn) -> impl IntoView {
    let connection = use_connection();
    move || {
        if connection.with(Option::is_some) {
            children().into_any()
        } else {
            view! { <Connect /> }.into_any()
        }
    }
}
