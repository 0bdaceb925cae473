//! The connect screen: provider, base URL, credentials; checked before use; optionally
//! remembered (with the risk stated); several remembered connections to pick from.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wa_groups::Client;
use wa_groups::model::ListGroupsOptions;
use wa_groups::provider::ProviderKind;
use wa_groups::provider::waha::{Engine, Waha};
use wa_groups::provider::wavy::Wavy;

use crate::context::{Connection, use_connection};
use crate::logic::describe;
use crate::reuse::PanelTransport;
use crate::storage::{self, SavedConnection};
use crate::ui::ErrorText;

/// Where the panel was served from: the sandbox serves both, so that is the usual server.
fn default_base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_else(|| "http://127.0.0.1:3000".into())
}

/// Builds a client and proves the credentials work with a one-group listing.
async fn connect(saved: SavedConnection) -> wa_groups::Result<Connection> {
    // The panel's transport from the start, so the check has its time limit too.
    let transport = PanelTransport::default();
    let client = match saved.provider {
        ProviderKind::Waha => Client::new(
            Waha::new(&saved.session, &saved.api_key)?.with_engine(saved.engine),
            transport,
            &saved.base_url,
        )?,
        ProviderKind::Wavy => Client::new(
            Wavy::new(&saved.user_name, &saved.token)?,
            transport,
            &saved.base_url,
        )?,
    };
    client
        .list_groups(&ListGroupsOptions {
            limit: Some(1),
            ..Default::default()
        })
        .await?;
    Ok(Connection {
        client: Rc::new(client),
        saved,
        cannot_delete: Rc::default(),
    })
}

#[component]
pub fn Connect() -> impl IntoView {
    let connection = use_connection();
    let start = storage::current();
    let initial = start.clone().unwrap_or(SavedConnection {
        provider: ProviderKind::Waha,
        base_url: default_base_url(),
        session: "default".into(),
        api_key: String::new(),
        engine: None,
        user_name: String::new(),
        token: String::new(),
    });
    let provider = RwSignal::new(initial.provider);
    let base_url = RwSignal::new(initial.base_url.clone());
    let session = RwSignal::new(initial.session.clone());
    let api_key = RwSignal::new(initial.api_key.clone());
    let engine = RwSignal::new(initial.engine);
    let user_name = RwSignal::new(initial.user_name.clone());
    let token = RwSignal::new(initial.token.clone());
    let remember = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let remembered = RwSignal::new(storage::remembered());

    let attempt = move |saved: SavedConnection, keep: bool| {
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match connect(saved.clone()).await {
                Ok(c) => {
                    storage::set_current(&saved);
                    if keep {
                        storage::remember(&saved);
                    }
                    connection.set(Some(c));
                }
                Err(e) => {
                    error.set(Some(describe(&e)));
                    pending.set(false);
                }
            }
        });
    };
    let typed = move || SavedConnection {
        provider: provider.get_untracked(),
        base_url: base_url.get_untracked(),
        session: session.get_untracked(),
        api_key: api_key.get_untracked(),
        engine: engine.get_untracked(),
        user_name: user_name.get_untracked(),
        token: token.get_untracked(),
    };
    let submit = move || attempt(typed(), remember.get_untracked());
    // Checks the credentials without connecting (nothing is stored).
    let tested = RwSignal::new(None::<String>);
    let test = move |_| {
        pending.set(true);
        error.set(None);
        tested.set(None);
        spawn_local(async move {
            match connect(typed()).await {
                Ok(c) => match c.client.count_groups().await {
                    Ok(n) => tested.set(Some(format!(
                        "Connection works: the account has {n} group{}.",
                        if n == 1 { "" } else { "s" }
                    ))),
                    Err(_) => tested.set(Some("Connection works.".into())),
                },
                Err(e) => error.set(Some(describe(&e))),
            }
            pending.set(false);
        });
    };
    // Reconnect silently after a reload when the tab still holds a connection.
    if let Some(saved) = start {
        attempt(saved, false);
    }
    let use_saved = move |saved: SavedConnection| {
        provider.set(saved.provider);
        base_url.set(saved.base_url.clone());
        session.set(saved.session.clone());
        api_key.set(saved.api_key.clone());
        engine.set(saved.engine);
        user_name.set(saved.user_name.clone());
        token.set(saved.token.clone());
        attempt(saved, false);
    };
    let is_waha = move || provider.get() == ProviderKind::Waha;

    view! {
        <section class="card connect">
            <crate::ui::PageHeading title="Connect".to_owned() />
            <form on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <fieldset class="providers">
                    <legend>"Provider"</legend>
                    <label class="inline">
                        <input type="radio" name="provider" data-testid="provider-waha"
                            prop:checked=is_waha on:change=move |_| provider.set(ProviderKind::Waha) />
                        "WAHA"
                    </label>
                    <label class="inline">
                        <input type="radio" name="provider" data-testid="provider-wavy"
                            prop:checked=move || !is_waha() on:change=move |_| provider.set(ProviderKind::Wavy) />
                        "Wavy"
                    </label>
                </fieldset>
                <label>"Base URL"
                    <input type="url" required data-testid="base-url" bind:value=base_url />
                </label>
                <Show when=is_waha fallback=move || view! {
                    <label>"User name"
                        <input type="text" required autocomplete="username" data-testid="user-name" bind:value=user_name />
                    </label>
                    <label>"Authentication token"
                        <input type="password" required autocomplete="off" data-testid="token" bind:value=token />
                    </label>
                }>
                    <label>"API key"
                        <input type="password" autocomplete="off" data-testid="api-key" bind:value=api_key />
                    </label>
                    <label>"Session"
                        <input type="text" required data-testid="session" bind:value=session />
                    </label>
                    <label>"Engine of the session"
                        <select data-testid="engine" aria-describedby="engine-hint"
                            prop:value=move || engine.get().map_or("", Engine::as_str)
                            on:change=move |ev| engine.set(match event_target_value(&ev).as_str() {
                                "WEBJS" => Some(Engine::Webjs),
                                "NOWEB" => Some(Engine::Noweb),
                                "GOWS" => Some(Engine::Gows),
                                _ => None,
                            })>
                            <option value="">"Not sure"</option>
                            <option value="WEBJS">"WEBJS"</option>
                            <option value="NOWEB">"NOWEB"</option>
                            <option value="GOWS">"GOWS"</option>
                        </select>
                    </label>
                    <p class="hint" id="engine-hint">"WAHA's engines differ: only WEBJS can delete groups. Name it and the panel offers only what works."</p>
                </Show>
                <label class="inline">
                    <input type="checkbox" data-testid="remember" bind:checked=remember />
                    "Remember this connection on this device"
                </label>
                <p class="hint">
                    "Without it, credentials stay in this tab's session storage and are forgotten when you sign out or close the tab. "
                    "Remembered credentials are kept in this browser's local storage, readable by anyone who uses this browser profile; do not use it on a shared computer."
                </p>
                <div class="row start">
                    <button type="submit" data-testid="connect" disabled=move || pending.get()>
                        {move || if pending.get() { "Connecting…" } else { "Connect" }}
                    </button>
                    <button type="button" class="secondary" data-testid="test-connection" disabled=move || pending.get() on:click=test>
                        "Test connection"
                    </button>
                </div>
                <Show when=move || tested.with(Option::is_some)>
                    <p class="ok" role="status" data-testid="connection-ok">{move || tested.get()}</p>
                </Show>
                <ErrorText error=error testid="connect-error" />
            </form>
            <Show when=move || remembered.with(|r| !r.is_empty())>
                <h3>"Remembered connections"</h3>
                <ul class="saved" data-testid="remembered">
                    <For each=move || remembered.get() key=|c| c.label() let:saved>
                        {
                            let label = saved.label();
                            let forget_label = label.clone();
                            view! {
                                <li>
                                    <span><bdi>{label}</bdi></span>
                                    <button class="secondary" on:click=move |_| use_saved(saved.clone())>"Use"</button>
                                    <button class="secondary" on:click=move |_| {
                                        storage::forget(&forget_label);
                                        remembered.set(storage::remembered());
                                    }>"Forget"</button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
    }
}
