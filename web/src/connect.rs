//! The connect screen. Served by a gateway: sign in, then pick one of its connections (no
//! provider credential is asked for or kept). Otherwise, the direct mode: provider, base
//! URL, credentials; checked before use; optionally remembered (with the risk stated);
//! several remembered connections to pick from.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wa_groups::Client;
use wa_groups::model::ListGroupsOptions;
use wa_groups::provider::ProviderKind;
use wa_groups::provider::evolution::Evolution;
use wa_groups::provider::waha::{Engine, Waha};
use wa_groups::provider::wavy::Wavy;

use crate::activity::{GatewayConnection, provider_label};
use crate::context::{self, Connection, Mode, use_connection};
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
    let transport = match saved.gateway {
        Some(_) => PanelTransport::through_gateway(),
        None => PanelTransport::default(),
    };
    // Through a gateway the provider needs no credential (the gateway adds its own); Wavy's
    // wants non-empty ones, so it gets placeholders the gateway drops.
    let (user_name, token) = match saved.gateway {
        Some(_) => ("gateway", "gateway"),
        None => (saved.user_name.as_str(), saved.token.as_str()),
    };
    let client = match saved.provider {
        ProviderKind::Waha => Client::new(
            Waha::new(&saved.session, &saved.api_key)?.with_engine(saved.engine),
            transport,
            &saved.base_url,
        )?,
        ProviderKind::Wavy => {
            Client::new(Wavy::new(user_name, token)?, transport, &saved.base_url)?
        }
        ProviderKind::Evolution => {
            // Through a gateway, a placeholder key the gateway replaces with its own.
            let key = match saved.gateway {
                Some(_) => "gateway",
                None => saved.api_key.as_str(),
            };
            Client::new(
                Evolution::new(&saved.instance, key)?,
                transport,
                &saved.base_url,
            )?
        }
    };
    let client = match crate::reuse::cache_policy() {
        Some(policy) => client.with_cache(policy),
        None => client,
    };
    let client = crate::safety::attach(client, &saved);
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

/// The connect screen of the panel's mode: the gateway's sign-in and choice of connection,
/// or the direct connect form.
#[component]
pub fn Connect() -> impl IntoView {
    move || match context::mode().get() {
        Mode::Probing => view! {
            <section class="card connect">
                <crate::ui::PageHeading title="Connect".to_owned() />
                <p class="muted" role="status" data-testid="probing">"Loading…"</p>
            </section>
        }
        .into_any(),
        Mode::Direct => view! { <DirectConnect /> }.into_any(),
        Mode::Gateway => {
            if context::me().with(Option::is_some) {
                view! { <ChooseConnection /> }.into_any()
            } else {
                view! { <SignIn /> }.into_any()
            }
        }
    }
}

/// The gateway's sign-in form. On failure it keeps what was typed and says why.
#[component]
fn SignIn() -> impl IntoView {
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move || {
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result =
                crate::gateway::sign_in(user.get_untracked(), password.get_untracked()).await;
            if let Err(why) = result {
                error.try_set(Some(why));
                pending.try_set(false);
            }
        });
    };
    view! {
        <section class="card connect">
            <crate::ui::PageHeading title="Sign in".to_owned() />
            {move || context::notice().get().map(|notice| view! {
                <p class="warning" role="status" data-testid="session-ended">{notice}</p>
            })}
            <p class="hint">"This panel is served by a wa-groups gateway, which keeps the providers' keys. Sign in with the account its administrator gave you."</p>
            <form data-testid="sign-in-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <label>"User name"
                    <input type="text" required autocomplete="username" data-testid="gateway-user" bind:value=user />
                </label>
                <label>"Password"
                    <input type="password" required autocomplete="current-password" data-testid="gateway-password" bind:value=password />
                </label>
                <div class="row start">
                    <button type="submit" data-testid="sign-in" disabled=move || pending.get()>
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </div>
                <ErrorText error=error testid="sign-in-error" />
            </form>
        </section>
    }
}

/// The gateway's connections to choose from; the one this tab used is chosen again.
#[component]
fn ChooseConnection() -> impl IntoView {
    let connection = use_connection();
    let pending = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let choose = move |chosen: GatewayConnection| {
        let saved = SavedConnection {
            provider: chosen.provider,
            base_url: format!("{}/c/{}", crate::gateway::origin(), chosen.name),
            session: chosen.session.clone().unwrap_or_else(|| "default".into()),
            api_key: String::new(),
            engine: None,
            user_name: String::new(),
            token: String::new(),
            instance: chosen.session.clone().unwrap_or_default(),
            gateway: Some(chosen.name.clone()),
        };
        pending.set(Some(chosen.name));
        error.set(None);
        spawn_local(async move {
            match connect(saved.clone()).await {
                Ok(c) => {
                    storage::set_current(&saved);
                    connection.set(Some(c));
                    let _ = crate::gateway::load_history(saved.gateway, None).await;
                }
                Err(e) => {
                    error.try_set(Some(describe(&e)));
                    pending.try_set(None);
                }
            }
        });
    };
    let me = context::me();
    let connections = move || {
        me.with(|m| {
            m.as_ref()
                .map(|m| m.connections.clone())
                .unwrap_or_default()
        })
    };
    // After a reload, the connection this tab was using.
    if let Some(saved) = storage::current().and_then(|s| s.gateway)
        && let Some(again) = connections().into_iter().find(|c| c.name == saved)
    {
        choose(again);
    }
    view! {
        <section class="card connect">
            <crate::ui::PageHeading title="Choose a connection".to_owned() />
            <p class="hint">
                {move || me.with(|m| m.as_ref().map(|m| format!("Signed in as {} ({}).", m.user, m.role)))}
                " Each connection is a provider account the gateway manages for you."
            </p>
            {move || context::write_denied().map(|why| view! {
                <p class="hint" data-testid="write-denied">{format!("{why}: you can look at groups, members and events, not change them.")}</p>
            })}
            <Show when=move || connections().is_empty()>
                <p class="muted" data-testid="no-connections">"The gateway serves no connection yet."</p>
            </Show>
            <ul class="saved" data-testid="connections">
                {move || connections().into_iter().map(|choice| {
                    let name = choice.name.clone();
                    let testid = format!("choose-{name}");
                    let busy_name = name.clone();
                    let detail = match (&choice.session, choice.provider) {
                        (Some(session), ProviderKind::Waha) => format!("{} · session {session}", provider_label(choice.provider)),
                        (Some(instance), ProviderKind::Evolution) => format!("{} · instance {instance}", provider_label(choice.provider)),
                        _ => provider_label(choice.provider).to_owned(),
                    };
                    view! {
                        <li data-testid="connection-choice">
                            <span><strong><bdi>{name}</bdi></strong>" · "{detail}</span>
                            <button data-testid=testid disabled=move || pending.with(Option::is_some)
                                on:click=move |_| choose(choice.clone())>
                                {move || if pending.with(|p| p.as_deref() == Some(busy_name.as_str())) { "Opening…" } else { "Open" }}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ErrorText error=error testid="connect-error" />
        </section>
    }
}

/// The direct mode: straight to a WAHA or Wavy server, with its credentials.
#[component]
fn DirectConnect() -> impl IntoView {
    let connection = use_connection();
    let start = storage::current().filter(|s| s.gateway.is_none());
    let initial = start.clone().unwrap_or(SavedConnection {
        provider: ProviderKind::Waha,
        base_url: default_base_url(),
        session: "default".into(),
        api_key: String::new(),
        engine: None,
        user_name: String::new(),
        token: String::new(),
        instance: String::new(),
        gateway: None,
    });
    let provider = RwSignal::new(initial.provider);
    let base_url = RwSignal::new(initial.base_url.clone());
    let session = RwSignal::new(initial.session.clone());
    let api_key = RwSignal::new(initial.api_key.clone());
    let engine = RwSignal::new(initial.engine);
    let user_name = RwSignal::new(initial.user_name.clone());
    let token = RwSignal::new(initial.token.clone());
    let instance = RwSignal::new(initial.instance.clone());
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
        instance: instance.get_untracked(),
        gateway: None,
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
        instance.set(saved.instance.clone());
        attempt(saved, false);
    };
    let is_waha = move || provider.get() == ProviderKind::Waha;
    let is_evolution = move || provider.get() == ProviderKind::Evolution;

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
                            prop:checked=move || provider.get() == ProviderKind::Wavy on:change=move |_| provider.set(ProviderKind::Wavy) />
                        "Wavy"
                    </label>
                    <label class="inline">
                        <input type="radio" name="provider" data-testid="provider-evolution"
                            prop:checked=is_evolution on:change=move |_| provider.set(ProviderKind::Evolution) />
                        "Evolution API"
                    </label>
                </fieldset>
                <label>"Base URL"
                    <input type="url" required data-testid="base-url" bind:value=base_url />
                </label>
                <Show when=is_evolution>
                    <label>"API key"
                        <input type="password" required autocomplete="off" data-testid="evolution-key" bind:value=api_key />
                    </label>
                    <label>"Instance"
                        <input type="text" required data-testid="instance" bind:value=instance />
                    </label>
                    <p class="hint">"Evolution API cannot delete groups, remove a group's icon, answer join requests or change who may add members; the panel offers only what works."</p>
                </Show>
                <Show when=move || provider.get() == ProviderKind::Wavy>
                    <label>"User name"
                        <input type="text" required autocomplete="username" data-testid="user-name" bind:value=user_name />
                    </label>
                    <label>"Authentication token"
                        <input type="password" required autocomplete="off" data-testid="token" bind:value=token />
                    </label>
                </Show>
                <Show when=is_waha>
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
