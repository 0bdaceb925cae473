//! The security settings: one checkbox each, saved at once and read back.
//!
//! What a box shows always ends on the server's value: a setting has one save in flight at
//! a time (a click while it saves is ignored, and the box says it is saving), and after
//! each save the setting is read again and the box set to what the server holds, even when
//! that is not what was asked for.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wa_groups::model::{GroupId, GroupSettings};

use crate::context::client;
use crate::logic::{describe, describe_change};
use crate::toast::Toasts;
use crate::ui::{ErrorText, denied};

/// One setting: how it reads, its field in [`GroupSettings`].
#[derive(Clone, Copy)]
struct Setting {
    label: &'static str,
    testid: &'static str,
    get: fn(&GroupSettings) -> Option<bool>,
    set: fn(&mut GroupSettings, Option<bool>),
}

const SETTINGS: [Setting; 4] = [
    Setting {
        label: "Only admins edit the subject, description and icon",
        testid: "setting-info-admin-only",
        get: |s| s.info_admin_only,
        set: |s, v| s.info_admin_only = v,
    },
    Setting {
        label: "Only admins send messages",
        testid: "setting-messages-admin-only",
        get: |s| s.messages_admin_only,
        set: |s, v| s.messages_admin_only = v,
    },
    Setting {
        label: "Members may add members",
        testid: "setting-members-can-add",
        get: |s| s.members_can_add,
        set: |s, v| s.members_can_add = v,
    },
    Setting {
        label: "New members need an admin's approval",
        testid: "setting-approval-required",
        get: |s| s.approval_required,
        set: |s, v| s.approval_required = v,
    },
];

#[component]
pub fn SettingsCard(id: GroupId) -> impl IntoView {
    let id = StoredValue::new(id);
    // Only what the provider can change (Evolution: the two "admins only" settings).
    let caps = client().capabilities();
    let offered: Vec<Setting> = SETTINGS
        .into_iter()
        .filter(|s| match s.testid {
            "setting-members-can-add" => caps.settings_members_can_add,
            "setting-approval-required" => caps.settings_approval,
            _ => true,
        })
        .collect();
    let missing = (offered.len() < SETTINGS.len()).then(|| {
        format!(
            "{} cannot change who may add members or require an admin's approval to join.",
            crate::activity::provider_label(client().provider())
        )
    });
    // The server's values as last read, each setting from its own latest read: a read
    // sent before another setting's save must not undo what that save's read-back showed.
    let values = RwSignal::new(None::<GroupSettings>);
    let load_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match client().get_settings(&id.get_value()).await {
                Ok(s) => {
                    values.try_set(Some(s));
                }
                Err(e) => {
                    load_error.try_set(Some(describe(&e)));
                }
            }
        });
    };
    load();

    let toggle = move |setting: Setting| {
        let saving = RwSignal::new(false);
        let input = NodeRef::<Input>::new();
        // Every read sets the box, even to the value it had: the person may have changed
        // the box since. Not while this setting saves; its own read-back comes after.
        Effect::new(move |_| {
            let server = values.with(|v| v.as_ref().and_then(setting.get));
            if saving.get() {
                return;
            }
            if let Some(el) = input.get() {
                el.set_checked(server.unwrap_or(false));
            }
        });
        // Bumped by each save: only the latest save's read-back is applied.
        let generation = StoredValue::new(0u32);
        let save = move |wanted: bool| {
            saving.set(true);
            error.set(None);
            generation.update_value(|g| *g += 1);
            let mine = generation.get_value();
            spawn_local(async move {
                let client = client();
                let group = id.get_value();
                let mut patch = GroupSettings::default();
                (setting.set)(&mut patch, Some(wanted));
                let saved = client.update_settings(&group, &patch).await;
                if let Err(e) = &saved {
                    // Said at once; the read-back below then shows what the server holds.
                    error.try_set(Some(describe_change(e)));
                    saving.try_set(false);
                }
                // Whatever the answer, show what the server holds now.
                let now = client.get_settings(&group).await;
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                let held = now.as_ref().ok().and_then(setting.get);
                if now.is_ok() {
                    values.try_update(|v| {
                        (setting.set)(v.get_or_insert_with(Default::default), held)
                    });
                }
                match (saved, now) {
                    (Ok(()), Ok(_)) if held == Some(wanted) => {
                        Toasts::get().success("Setting saved")
                    }
                    (Ok(()), Ok(_)) => Toasts::get().failure(format!(
                        "“{}” was not changed: the server still has it {}",
                        setting.label,
                        if held == Some(true) { "on" } else { "off" }
                    )),
                    (Ok(()), Err(e)) => {
                        error.try_set(Some(format!(
                            "Saved, but the setting could not be read back: {}",
                            describe(&e)
                        )));
                    }
                    (Err(_), _) => {}
                }
                saving.try_set(false);
            });
        };
        view! {
            <label class="inline">
                <input type="checkbox" node_ref=input data-testid=setting.testid
                    disabled=denied
                    aria-disabled=move || if saving.get() { "true" } else { "false" }
                    // One save at a time: a click while saving leaves the box as it is.
                    on:click=move |ev| if saving.get_untracked() { ev.prevent_default() }
                    on:change=move |ev| save(event_target_checked(&ev)) />
                {setting.label}
                <Show when=move || saving.get()>
                    <span class="muted" data-testid="setting-saving">" Saving…"</span>
                </Show>
            </label>
        }
    };
    view! {
        <section class="card">
            <h2>"Settings"</h2>
            // The page does not wait for the settings to show the group; the boxes are
            // drawn once and then only set, so a re-read keeps them (and focus) in place.
            <Show when=move || values.with(Option::is_some) fallback=move || view! {
                {move || match load_error.get() {
                    None => view! { <p class="muted">"Loading the settings…"</p> }.into_any(),
                    Some(why) => view! {
                        <p class="error" role="alert" data-testid="settings-load-error">{crate::ui::rich(&why)}</p>
                        <button class="secondary" on:click=move |_| load()>"Try again"</button>
                    }.into_any(),
                }}
            }>
                {offered.iter().copied().map(toggle).collect_view()}
                {missing.clone().map(|why| view! { <p class="hint" data-testid="settings-unavailable">{why}</p> })}
            </Show>
            <ErrorText error=error testid="settings-error" on_check=move |_| load() />
        </section>
    }
}
