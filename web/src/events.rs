//! The events screen. Served by a gateway: the live events of the current connection, newest
//! first, with the stream's state. Always: paste a webhook or MO payload and see how it is
//! classified, with the WAHA HMAC check; the provider is the connection's, and a payload
//! of the other provider's shape is named as such (issue 12, item 17).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wa_groups::events::{parse_inbound, verify_webhook};
use wa_groups::provider::ProviderKind;

use crate::activity::{LiveEvent, event_label, payload_mismatch, payload_unreadable};
use crate::context::{self, LiveState, Mode, use_connection};
use crate::gateway::{iso_time_ms, load_history, local_time_ms, start_live};
use crate::logic::with_detail;

#[component]
pub fn EventsPage() -> impl IntoView {
    let through_gateway = move || context::mode().get() == Mode::Gateway;
    view! {
        <Show when=through_gateway fallback=|| view! { <Classify heading=true /> }>
            <section class="card">
                <crate::ui::PageHeading title="Events".to_owned() />
                <LiveEvents />
            </section>
            <Classify heading=false />
        </Show>
    }
}

/// The live events of the current connection (all connections before one is chosen).
#[component]
fn LiveEvents() -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if context::me().with(Option::is_none) {
            return;
        }
        let connection = context::gateway_connection();
        start_live();
        spawn_local(async move {
            error.try_set(load_history(connection, None).await.err());
        });
    });
    let shown = move || {
        let connection = context::gateway_connection();
        context::events().with(|events| {
            events
                .iter()
                .filter(|e| connection.as_ref().is_none_or(|c| *c == e.connection))
                .take(200)
                .cloned()
                .collect::<Vec<LiveEvent>>()
        })
    };
    let state = move || match context::live().get() {
        LiveState::Live => ("ok", "Live"),
        LiveState::Connecting => ("muted", "Connecting…"),
        LiveState::Reconnecting => ("warning", "Reconnecting…"),
        LiveState::Off => ("muted", "Not connected"),
    };
    view! {
        <Show when=move || context::me().with(Option::is_some) fallback=|| view! {
            <p class="muted">"Sign in to see the events the gateway receives. "<a href="/">"Sign in"</a></p>
        }>
            <div class="row">
                <h2>"Live events"</h2>
                <p class=move || state().0 role="status" data-testid="live-state">{move || state().1}</p>
            </div>
            <p class="hint">
                {move || match context::gateway_connection() {
                    Some(name) => format!("What the providers report for “{name}”, newest first, as it happens."),
                    None => "What the providers report for every connection, newest first, as it happens.".to_owned(),
                }}
            </p>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="live-error">{e}</p> })}
            <Show when=move || shown().is_empty()>
                <p class="muted" data-testid="live-empty">"No event yet."</p>
            </Show>
            <Show when=move || !shown().is_empty()>
                <table class="groups" data-testid="live-events">
                    <thead><tr><th scope="col">"When"</th><th scope="col">"What happened"</th><th scope="col">"Group"</th></tr></thead>
                    <tbody>
                        {move || shown().into_iter().map(|event| view! { <LiveRow event=event testid="live-event" with_group=true /> }).collect_view()}
                    </tbody>
                </table>
            </Show>
        </Show>
    }
}

/// One event as a table row: when, what, who (and which group, with a link to it).
#[component]
pub fn LiveRow(event: LiveEvent, testid: &'static str, with_group: bool) -> impl IntoView {
    let group = event.group_id.clone().filter(|_| with_group).map(|id| {
        let href = format!(
            "/groups/{}",
            String::from(js_sys::encode_uri_component(&id))
        );
        let label = event.group_label().unwrap_or_default();
        view! { <a href=href><bdi>{label}</bdi></a> }
    });
    view! {
        <tr data-testid=testid>
            <td><time datetime=iso_time_ms(event.at_ms)>{local_time_ms(event.at_ms)}</time></td>
            <td><bdi>{event.sentence()}</bdi></td>
            {with_group.then(|| view! { <td class="subject">{group}</td> })}
        </tr>
    }
}

/// Paste a payload, see how it is read.
#[component]
fn Classify(
    /// Whether it carries the page's heading (when it is all the page shows).
    heading: bool,
) -> impl IntoView {
    let connected = use_connection().with_untracked(|c| c.as_ref().map(|c| c.saved.provider));
    // The current connection's provider; Wavy when there is none.
    let provider = RwSignal::new(connected.unwrap_or(ProviderKind::Wavy));
    let payload = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let signature = RwSignal::new(String::new());
    let mismatch = move || {
        let chosen = provider.get();
        payload.with(|text| payload_mismatch(text, chosen, connected == Some(chosen)))
    };
    let parsed = move || {
        let text = payload.get();
        if text.trim().is_empty() || mismatch().is_some() {
            return None;
        }
        Some(match parse_inbound(provider.get(), text.as_bytes()) {
            Ok(events) => Ok(events),
            Err(e) => Err(with_detail(
                &payload_unreadable(provider.get()),
                &e.to_string(),
            )),
        })
    };
    let hmac = move || {
        let (key, sig) = (secret.get(), signature.get());
        (!key.is_empty() && !sig.trim().is_empty())
            .then(|| verify_webhook(key.as_bytes(), payload.get().as_bytes(), &sig))
    };
    view! {
        <section class="card">
            {heading.then(|| view! { <crate::ui::PageHeading title="Events".to_owned() /> })}
            <h2>"Classify an inbound payload"</h2>
            <label>"Provider"
                <select data-testid="event-provider"
                    prop:value=move || if provider.get() == ProviderKind::Waha { "waha" } else { "wavy" }
                    on:change=move |ev| provider.set(
                    if event_target_value(&ev) == "waha" { ProviderKind::Waha } else { ProviderKind::Wavy })>
                    <option value="wavy">"Wavy (MO)"</option>
                    <option value="waha">"WAHA (webhook)"</option>
                </select>
            </label>
            <label>"Payload (the raw body)"
                <textarea rows="8" class="mono" data-testid="event-payload" bind:value=payload></textarea>
            </label>
            <div class="toolbar">
                <label class="grow">"HMAC secret (WAHA)"
                    <input type="password" autocomplete="off" data-testid="event-secret" bind:value=secret />
                </label>
                <label class="grow">"X-Webhook-Hmac"
                    <input type="text" class="mono" data-testid="event-signature" bind:value=signature />
                </label>
            </div>
            {move || hmac().map(|ok| view! {
                <p class=if ok { "ok" } else { "error" } data-testid="event-hmac">
                    {if ok { "Signature valid: the body is what WAHA signed." } else { "Signature INVALID: do not trust this body." }}
                </p>
            })}
            {move || mismatch().map(|said| view! {
                <p class="error" role="alert" data-testid="event-mismatch">{said}</p>
            })}
            {move || parsed().map(|r| match r {
                Ok(events) => view! {
                    <ul class="events" data-testid="event-results">
                        {events.into_iter().map(|e| {
                            // In words, and how the panel reads it (kind, fields) one click away.
                            // Read back from its text: one serializer for the event, not two.
                            let json = serde_json::to_string_pretty(&e).unwrap_or_default();
                            let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
                            let kind = value["kind"].as_str().unwrap_or_default().to_owned();
                            let label = event_label(&kind, value["action"].as_str());
                            let mut numbered = value;
                            numbered["id"] = 0.into();
                            let sentence = LiveEvent::from_json(&numbered).map(|e| e.sentence());
                            view! {
                                <li>
                                    <strong data-testid="event-kind" data-kind=kind.clone()>{label}</strong>
                                    {sentence.map(|s| view! { " — "<bdi>{s}</bdi> })}
                                    {crate::ui::rich(&with_detail("", &format!("{kind}\n{json}")))}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="event-error">{crate::ui::rich(&e)}</p> }.into_any(),
            })}
        </section>
    }
}
