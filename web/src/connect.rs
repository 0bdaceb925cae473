//! The connect screen: WAHA base URL, API key and session, checked before use.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wa_groups::Client;
use wa_groups::model::ListGroupsOptions;

use crate::app::SharedClient;
use crate::storage::{self, SavedConnection};

/// Where the panel was served from: the sandbox serves both, so that is the usual server.
fn default_base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_else(|| "http://127.0.0.1:3000".into())
}

/// Builds a client and proves the credentials work with a one-group listing.
async fn connect(saved: &SavedConnection) -> wa_groups::Result<SharedClient> {
    let client = Client::waha(&saved.base_url, &saved.api_key, &saved.session)?;
    client
        .list_groups(&ListGroupsOptions {
            limit: Some(1),
            ..Default::default()
        })
        .await?;
    Ok(Rc::new(client))
}

/// The connect form. Calls `on_connected` once the server accepted the credentials.
#[component]
pub fn Connect(#[prop(into)] on_connected: Callback<SharedClient>) -> impl IntoView {
    let saved = storage::load();
    let base_url = RwSignal::new(
        saved
            .as_ref()
            .map_or_else(default_base_url, |s| s.base_url.clone()),
    );
    let api_key = RwSignal::new(
        saved
            .as_ref()
            .map(|s| s.api_key.clone())
            .unwrap_or_default(),
    );
    let session = RwSignal::new(
        saved
            .as_ref()
            .map_or_else(|| "default".to_owned(), |s| s.session.clone()),
    );
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let submit = move || {
        let attempt = SavedConnection {
            base_url: base_url.get_untracked(),
            api_key: api_key.get_untracked(),
            session: session.get_untracked(),
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match connect(&attempt).await {
                Ok(client) => {
                    storage::save(&attempt);
                    on_connected.run(client);
                }
                Err(e) => {
                    error.set(Some(describe(&e)));
                    pending.set(false);
                }
            }
        });
    };

    // Reconnect silently after a reload when the tab still holds a connection.
    if saved.is_some() {
        submit();
    }

    view! {
        <section class="card connect">
            <h2>"Connect to WAHA"</h2>
            <form on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <label>"Base URL"
                    <input type="url" required data-testid="base-url" bind:value=base_url />
                </label>
                <label>"API key"
                    <input type="password" autocomplete="off" data-testid="api-key" bind:value=api_key />
                </label>
                <label>"Session"
                    <input type="text" required data-testid="session" bind:value=session />
                </label>
                <p class="hint">"The key is kept in this tab's session storage only, and forgotten when you sign out or close the tab."</p>
                <button type="submit" data-testid="connect" disabled=move || pending.get()>
                    {move || if pending.get() { "Connecting…" } else { "Connect" }}
                </button>
                <Show when=move || error.with(Option::is_some)>
                    <p class="error" role="alert" data-testid="connect-error">{move || error.get()}</p>
                </Show>
            </form>
        </section>
    }
}

/// A sentence for a person: what failed and what to do about it.
pub fn describe(err: &wa_groups::Error) -> String {
    use wa_groups::ErrorCode::*;
    let hint = match err.code() {
        Unauthorized => "Check the API key.",
        NotFound => "Check the session name and that the session is started.",
        Network => "Check the base URL and that the server is running.",
        InvalidInput => "Correct the field and try again.",
        RateLimited => "The server is rate limiting; wait a moment and try again.",
        _ => "Try again; if it persists, check the server's logs.",
    };
    format!("{err}. {hint}")
}
