//! The group icon: view, upload (file picker or drag and drop, type and size checked before
//! upload, with a preview), remove.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wa_groups::model::GroupId;
use wa_groups::provider::{ICON_MAX_BYTES, validate_icon};
use wasm_bindgen::JsCast;

use crate::context::{client, use_connection};
use crate::logic::{describe, describe_change, human_size, is_safe_link};
use crate::toast::Toasts;
use crate::ui::{ErrorText, denied, rich};

/// A file picked or dropped, read and checked.
#[derive(Clone)]
struct Picked {
    bytes: Vec<u8>,
    mime: String,
    preview_url: String,
}

async fn read(file: web_sys::File) -> Result<Picked, String> {
    let mime = file.type_();
    if file.size() as usize > ICON_MAX_BYTES {
        return Err(format!(
            "{} is {}; at most {} are accepted",
            file.name(),
            human_size(file.size() as usize),
            human_size(ICON_MAX_BYTES)
        ));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("could not read {}", file.name()))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    validate_icon(&bytes, &mime).map_err(|e| e.to_string())?;
    let preview_url = web_sys::Url::create_object_url_with_blob(&file).unwrap_or_default();
    Ok(Picked {
        bytes,
        mime,
        preview_url,
    })
}

#[component]
pub fn IconCard(id: GroupId) -> impl IntoView {
    let id = StoredValue::new(id);
    let can_remove = client().capabilities().remove_icon;
    let version = RwSignal::new(0u32);
    let picked = RwSignal::new(None::<Picked>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let dragging = RwSignal::new(false);
    let base_url = use_connection()
        .with_untracked(|c| c.as_ref().map(|c| c.saved.base_url.clone()))
        .unwrap_or_default();
    let icon = LocalResource::new(move || {
        version.track();
        let id = id.get_value();
        async move { client().get_icon(&id).await }
    });
    let pick = move |file: Option<web_sys::File>| {
        let Some(file) = file.filter(|_| !denied()) else {
            return;
        };
        error.set(None);
        spawn_local(async move {
            match read(file).await {
                Ok(p) => picked.set(Some(p)),
                Err(e) => {
                    picked.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    let upload = move |_| {
        let Some(p) = picked.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match client().set_icon(&id.get_value(), &p.bytes, &p.mime).await {
                Ok(()) => {
                    Toasts::get().success("Icon uploaded");
                    picked.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    error.try_set(Some(describe_change(&e)));
                }
            }
            busy.set(false);
        });
    };
    let remove = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match client().remove_icon(&id.get_value()).await {
                Ok(()) => {
                    Toasts::get().success("Icon removed");
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    error.try_set(Some(describe_change(&e)));
                }
            }
            busy.set(false);
        });
    };
    // Icon URLs are shown only from https: or from the server the panel is connected to.
    let showable =
        move |url: &str| is_safe_link(url) || (!base_url.is_empty() && url.starts_with(&base_url));
    view! {
        <section class="card">
            <h2>"Icon"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Loading the icon…"</p> }>
                {move || icon.get().map(|r| match r {
                    Ok(Some(i)) if showable(&i.url) => view! {
                        <img class="icon" src=i.url.clone() alt="The group's icon" data-testid="icon-current" />
                        {if can_remove {
                            view! { <button class="secondary" data-testid="icon-remove" disabled=move || busy.get() || denied() on:click=remove>"Remove icon"</button> }.into_any()
                        } else {
                            view! { <p class="hint" data-testid="icon-no-remove">{format!("{} cannot remove a group's icon; you can set another one.", crate::activity::provider_label(client().provider()))}</p> }.into_any()
                        }}
                    }.into_any(),
                    Ok(Some(_)) => view! { <p class="muted">"The icon is hosted somewhere the panel does not load images from."</p> }.into_any(),
                    Ok(None) => view! { <p class="muted" data-testid="icon-none">"No icon."</p> }.into_any(),
                    Err(e) => view! { <p class="error">{rich(&describe(&e))}</p> }.into_any(),
                })}
            </Suspense>
            <div
                class=move || if dragging.get() { "dropzone over" } else { "dropzone" }
                data-testid="icon-dropzone"
                on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    dragging.set(false);
                    pick(ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)));
                }
            >
                <label>"Choose a JPEG or PNG (up to 5 MB), or drop it here"
                    <input type="file" accept="image/jpeg,image/png" data-testid="icon-file"
                        disabled=denied
                        on:change=move |ev| {
                            let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
                            pick(input.and_then(|i| i.files()).and_then(|f| f.get(0)));
                        } />
                </label>
            </div>
            {move || picked.get().map(|p| view! {
                <div class="row">
                    <img class="icon" src=p.preview_url.clone() alt="Preview of the new icon" data-testid="icon-preview" />
                    <button data-testid="icon-upload" disabled=move || busy.get() || denied() on:click=upload>"Upload icon"</button>
                </div>
            })}
            <ErrorText error=error testid="icon-error" on_check=move |_| version.update(|v| *v += 1) />
        </section>
    }
}
