//! The shell: routes, header and the toast area. What the pages share (the connection,
//! the toasts) is in [`crate::context`].

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::audit::AuditPage;
use crate::connect::Connect;
use crate::context::{self, Mode, use_connection};
use crate::events::EventsPage;
use crate::group::GroupPage;
use crate::groups::GroupsPage;
use crate::storage;
use crate::toast::ToastArea;

#[component]
pub fn App() -> impl IntoView {
    let connection = context::provide();
    crate::gateway::start();
    let through_gateway = move || context::mode().get() == Mode::Gateway;
    let sign_out = move |_| {
        if through_gateway() {
            leptos::task::spawn_local(crate::gateway::sign_out());
        } else {
            storage::sign_out();
            connection.set(None);
        }
    };
    // Through a gateway: back to its list of connections (still signed in).
    let switch = move |_| {
        storage::sign_out();
        connection.set(None);
    };
    let signed_in = move || context::me().with(Option::is_some);
    view! {
        <Router>
            <a class="skip" href="#main" data-testid="skip-link" on:click=|ev| {
                ev.prevent_default();
                if let Some(main) = document().get_element_by_id("main") {
                    let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            }>"Skip to content"</a>
            <NavigationFocus />
            <header class="top">
                <A href="/" attr:class="brand">"wa-groups"</A>
                <nav aria-label="Main">
                    <A href="/" attr:data-testid="nav-groups">"Groups"</A>
                    <A href="/events" attr:data-testid="nav-events">"Events"</A>
                    <Show when=context::is_admin>
                        <A href="/audit" attr:data-testid="nav-audit">"Audit"</A>
                    </Show>
                </nav>
                <Show when=move || signed_in() && connection.with(Option::is_none)>
                    <span class="who" data-testid="gateway-user-label">
                        <bdi>{move || context::me().with(|m| m.as_ref().map(|m| format!("{} ({})", m.user, m.role)))}</bdi>
                    </span>
                </Show>
                <Show when=move || connection.with(Option::is_some)>
                    <span class="who" data-testid="connection-label">
                        <bdi>{move || connection.with(|c| c.as_ref().map(|c| c.saved.label()))}</bdi>
                        {move || context::me().with(|m| m.as_ref().map(|m| format!(" · {} ({})", m.user, m.role)))}
                    </span>
                    <Show when=signed_in>
                        <button class="secondary" data-testid="switch-connection" on:click=switch>"Connections"</button>
                    </Show>
                </Show>
                <Show when=move || connection.with(Option::is_some) || signed_in()>
                    <button class="secondary" data-testid="sign-out" on:click=sign_out>"Sign out"</button>
                </Show>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <p class="card">"Page not found."</p> }>
                    <Route path=path!("/") view=|| view! { <RequireConnection><GroupsPage /></RequireConnection> } />
                    <Route path=path!("/groups/:id") view=|| view! { <RequireConnection><GroupPage /></RequireConnection> } />
                    <Route path=path!("/events") view=EventsPage />
                    <Route path=path!("/audit") view=AuditPage />
                </Routes>
            </main>
            <ToastArea />
        </Router>
    }
}

/// After a move to another page (not the first load, not a change of the list's search),
/// the new page's heading takes focus.
#[component]
fn NavigationFocus() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let now = location.pathname.get();
        if previous.is_some_and(|p| p != now) {
            crate::ui::focus_next_heading();
        }
        now
    });
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
