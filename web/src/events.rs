//! The events screen: paste a webhook or MO payload and see how it is classified, with the
//! WAHA HMAC check.

use leptos::prelude::*;
use wa_groups::events::{parse_inbound, verify_webhook};
use wa_groups::provider::ProviderKind;

#[component]
pub fn EventsPage() -> impl IntoView {
    let provider = RwSignal::new(ProviderKind::Wavy);
    let payload = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let signature = RwSignal::new(String::new());
    let parsed = move || {
        let text = payload.get();
        if text.trim().is_empty() {
            return None;
        }
        Some(match parse_inbound(provider.get(), text.as_bytes()) {
            Ok(events) => Ok(events),
            Err(e) => Err(e.to_string()),
        })
    };
    let hmac = move || {
        let (key, sig) = (secret.get(), signature.get());
        (!key.is_empty() && !sig.trim().is_empty())
            .then(|| verify_webhook(key.as_bytes(), payload.get().as_bytes(), &sig))
    };
    view! {
        <section class="card">
            <crate::ui::PageHeading title="Events".to_owned() />
            <h2>"Classify an inbound payload"</h2>
            <label>"Provider"
                <select data-testid="event-provider" on:change=move |ev| provider.set(
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
            {move || parsed().map(|r| match r {
                Ok(events) => view! {
                    <ul class="events" data-testid="event-results">
                        {events.into_iter().map(|e| {
                            let json = serde_json::to_string_pretty(&e).unwrap_or_default();
                            let kind = serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                            view! { <li><strong data-testid="event-kind">{kind}</strong><pre class="mono">{json}</pre></li> }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="event-error">{e}</p> }.into_any(),
            })}
        </section>
    }
}
