//! The shell: connection state, header, and which screen shows.

use std::rc::Rc;

use leptos::prelude::*;
use wa_groups::Client;
use wa_groups::transport::FetchTransport;

use crate::connect::Connect;
use crate::groups::Groups;
use crate::storage;
use crate::toast::{ToastArea, Toasts};

/// A connected client, shared by the screens.
pub type SharedClient = Rc<Client<FetchTransport>>;

#[component]
pub fn App() -> impl IntoView {
    Toasts::provide();
    let client: RwSignal<Option<SharedClient>, LocalStorage> = RwSignal::new_local(None);
    let sign_out = move |_| {
        storage::clear();
        client.set(None);
    };
    view! {
        <header class="top">
            <h1>"wa-groups"</h1>
            <Show when=move || client.with(Option::is_some)>
                <button class="secondary" data-testid="sign-out" on:click=sign_out>"Sign out"</button>
            </Show>
        </header>
        <main>
            {move || match client.get() {
                None => view! { <Connect on_connected=move |c| client.set(Some(c)) /> }.into_any(),
                Some(c) => view! { <Groups client=c /> }.into_any(),
            }}
        </main>
        <ToastArea />
    }
}
