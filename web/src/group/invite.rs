//! The invite link: shown on demand, copied, drawn as a QR code, and revoked.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qrcode::QrCode;
use qrcode::render::svg;
use wa_groups::model::GroupId;

use crate::context::client;
use crate::logic::{describe, describe_change, is_safe_link};
use crate::toast::Toasts;
use crate::ui::{ConfirmDialog, ErrorText, denied};

/// The link as an SVG QR code (generated from the link's bytes; no text of it is markup).
fn qr_svg(link: &str) -> Option<String> {
    let code = QrCode::new(link.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color>()
            .min_dimensions(180, 180)
            .quiet_zone(true)
            .build(),
    )
}

#[component]
pub fn InviteCard(id: GroupId) -> impl IntoView {
    let id = StoredValue::new(id);
    let link = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirm = RwSignal::new(false);
    let show = move || {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match client().get_invite_link(&id.get_value()).await {
                Ok(l) => link.set(Some(l)),
                Err(e) => error.set(Some(describe(&e))),
            }
            busy.set(false);
        });
    };
    let revoke = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let client = client();
            let result = match client.revoke_invite_link(&id.get_value()).await {
                Ok(Some(new)) => Ok(new),
                // Providers that return nothing: read the new link.
                Ok(None) => client.get_invite_link(&id.get_value()).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(new) => {
                    link.set(Some(new));
                    Toasts::get().success("Invite link revoked; the old one no longer works");
                }
                Err(e) => {
                    error.try_set(Some(describe_change(&e)));
                }
            }
            busy.set(false);
        });
    };
    let copy = move |_| {
        if let (Some(text), Some(window)) = (link.get_untracked(), web_sys::window()) {
            let promise = window.navigator().clipboard().write_text(&text);
            spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => Toasts::get().success("Invite link copied"),
                    Err(_) => {
                        Toasts::get().success("Could not copy; select the link and copy it by hand")
                    }
                }
            });
        }
    };
    view! {
        <section class="card">
            <h2>"Invite link"</h2>
            {move || match link.get() {
                None => view! {
                    <button class="secondary" data-testid="show-invite" disabled=move || busy.get() on:click=move |_| show()>"Show invite link"</button>
                }.into_any(),
                Some(l) => {
                    let shown = if is_safe_link(&l) {
                        view! { <a href=l.clone() target="_blank" rel="noopener noreferrer" data-testid="invite-link">{l.clone()}</a> }.into_any()
                    } else {
                        view! { <span class="mono" data-testid="invite-link">{l.clone()}</span> }.into_any()
                    };
                    let qr = qr_svg(&l).unwrap_or_default();
                    view! {
                        <p class="mono">{shown}</p>
                        <div class="qr" data-testid="invite-qr" role="img" aria-label="QR code of the invite link" inner_html=qr></div>
                        <div class="row">
                            <button class="secondary" data-testid="copy-invite" on:click=copy>"Copy"</button>
                            <button class="danger" data-testid="revoke-invite" disabled=move || busy.get() || denied() on:click=move |_| confirm.set(true)>"Revoke"</button>
                        </div>
                    }.into_any()
                }
            }}
            <ErrorText error=error testid="invite-error" on_check=move |_| show() />
            <ConfirmDialog open=confirm title=Signal::derive(|| "Revoke the invite link? Anyone holding the old link can no longer join.".to_owned())
                confirm_label="Revoke" on_confirm=revoke />
        </section>
    }
}
