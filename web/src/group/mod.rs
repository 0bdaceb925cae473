//! The group page (`/groups/:id`, bookmarkable): everything about one group.

mod icon;
mod invite;
pub(crate) mod members_io;
mod mention;
mod participants;
mod settings;
pub mod timeline;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use wa_groups::ErrorCode;
use wa_groups::model::{Group, GroupId, Participant};

use crate::context::{client, use_connection};
use crate::logic::{
    bidi_warning, cannot_delete_reason, describe, describe_change, describe_send, is_uncertain,
    isolate, sole_admin, sole_admin_warning, subject_limit,
};
use crate::toast::Toasts;
use crate::ui::{ConfirmDialog, ErrorText, denied, local_time, rich};

/// Bumped after every change, so the group is read again (state shown is the server's).
#[derive(Clone, Copy)]
pub struct Reload(RwSignal<u32>);

impl Reload {
    pub fn now(self) {
        self.0.update(|v| *v += 1);
    }
}

#[component]
pub fn GroupPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let version = RwSignal::new(0u32);
    provide_context(Reload(version));
    // Outcomes of the last participant change outlive the re-read that follows it.
    provide_context(participants::LastResults(RwSignal::new(Vec::new())));
    let group = LocalResource::new(move || {
        version.track();
        let id = id.get();
        async move {
            let id = GroupId::new("groupId", id)?;
            client().get_group(&id).await
        }
    });
    // The group on screen: drawn once, then each read after a change updates only what
    // changed in it, so the members' page, filter, scroll and focus stay where they were.
    let shown = RwSignal::new(None::<Group>);
    // Another group (a new id in the address) starts afresh.
    Effect::new(move |previous: Option<String>| {
        let now = id.get();
        if previous.is_some_and(|p| p != now) {
            shown.set(None);
        }
        now
    });
    Effect::new(move |_| {
        if let Some(Ok(g)) = group.get() {
            shown.set(Some(g));
        }
    });
    let failed = move || group.get().and_then(Result::err);
    view! {
        // Pressing the link starts reading the list's first page.
        <p>
            <leptos_router::components::A href="/" on:pointerdown=|_| crate::groups::warm_first_page()>
                "← All groups"
            </leptos_router::components::A>
        </p>
        {move || failed().map(|e| view! {
            <p class="card error" role="alert" data-testid="group-error">{rich(&describe(&e))}</p>
        })}
        <Show when=move || shown.with(Option::is_some) fallback=move || {
            failed().is_none().then(|| view! { <p class="card muted" data-testid="group-loading">"Loading the group…"</p> })
        }>
            <GroupView group=Memo::new(move |_| shown.get().expect("shown")) />
        </Show>
        <timeline::GroupTimeline group_id=id />
    }
}

#[component]
fn GroupView(group: Memo<Group>) -> impl IntoView {
    let caps = client().capabilities();
    let id = group.with_untracked(|g| g.id.clone());
    let subject = Signal::derive(move || group.with(|g| g.subject.clone()));
    let members = Signal::derive(move || group.with(|g| g.participants.clone()));
    let created =
        move || group.with(|g| g.created_at.map(|t| format!("Created {}", local_time(t))));
    view! {
        <section class="card">
            <Subject id=id.clone() subject=subject />
            <crate::ui::WriteDenied />
            <p class="mono muted" data-testid="group-id">{id.to_string()}</p>
            {move || created().map(|c| view! { <p class="muted" data-testid="group-created">{c}</p> })}
            {caps.description.then(|| view! {
                <Description id=id.clone()
                    description=Signal::derive(move || group.with(|g| g.description.clone().unwrap_or_default())) />
            })}
        </section>
        <icon::IconCard id=id.clone() />
        {caps.settings.then(|| view! { <settings::SettingsCard id=id.clone() /> })}
        <invite::InviteCard id=id.clone() />
        <participants::ParticipantsCard id=id.clone() subject=subject participants=members />
        <members_io::MembersIoCard id=id.clone() subject=subject />
        {caps.join_requests.then(|| view! { <participants::JoinRequestsCard id=id.clone() /> })}
        <SendText id=id.clone() />
        <DangerZone id=id.clone() subject=subject members=members />
    }
}

/// The subject, edited in place: Enter saves, Escape cancels.
#[component]
fn Subject(id: GroupId, subject: Signal<String>) -> impl IntoView {
    let reload = expect_context::<Reload>();
    let limit = subject_limit(client().provider());
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(subject.get_untracked());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(id);
    let rename_ref = NodeRef::<leptos::html::Button>::new();
    // Back from editing (saved or cancelled): focus returns to "Rename".
    Effect::new(move |was_editing: Option<bool>| {
        let now = editing.get();
        if was_editing == Some(true)
            && !now
            && let Some(button) = rename_ref.get()
        {
            let _ = button.focus();
        }
        now
    });
    let save = move || {
        busy.set(true);
        error.set(None);
        let text = draft.get_untracked();
        spawn_local(async move {
            match client().set_subject(&id.get_value(), &text).await {
                Ok(()) => {
                    Toasts::get().success("Subject saved");
                    editing.set(false);
                    reload.now();
                }
                Err(e) => error.set(Some(describe_change(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        <Show when=move || editing.get() fallback=move || view! {
            <div class="row">
                <crate::ui::PageHeading title=subject testid="group-subject" />
                <button class="secondary" data-testid="rename" node_ref=rename_ref
                    disabled=denied
                    on:click=move |_| { draft.set(subject.get_untracked()); editing.set(true); }>"Rename"</button>
            </div>
        }>
            <form class="inline-edit" on:submit=move |ev| { ev.prevent_default(); save(); }
                on:keydown=move |ev| if ev.key() == "Escape" { editing.set(false) }>
                <label>"Subject"
                    <input type="text" dir="auto" data-testid="subject-input" bind:value=draft autofocus />
                </label>
                <span class="counter">{move || format!("{}/{limit}", draft.with(|d| d.trim().chars().count()))}</span>
                <div class="row">
                    <button type="submit" data-testid="subject-save" disabled=move || busy.get()>"Save"</button>
                    <button type="button" class="secondary" on:click=move |_| editing.set(false)>"Cancel"</button>
                </div>
            </form>
        </Show>
        <ErrorText error=error testid="subject-error"
            on_check=move |_| { editing.set(false); reload.now(); } />
    }
}

#[component]
fn Description(id: GroupId, description: Signal<String>) -> impl IntoView {
    let reload = expect_context::<Reload>();
    let draft = RwSignal::new(description.get_untracked());
    // The server's description, once read back, is what the box shows.
    Effect::new(move |_| draft.set(description.get()));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(id);
    let save = move |_| {
        busy.set(true);
        error.set(None);
        let text = draft.get_untracked();
        spawn_local(async move {
            match client().set_description(&id.get_value(), &text).await {
                Ok(()) => {
                    Toasts::get().success("Description saved");
                    reload.now();
                }
                Err(e) => error.set(Some(describe_change(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        <label>"Description"
            <textarea rows="3" dir="auto" data-testid="description" bind:value=draft></textarea>
        </label>
        <button class="secondary" data-testid="description-save" disabled=move || busy.get() || denied()
            on:click=save>"Save description"</button>
        <ErrorText error=error testid="description-error" on_check=move |_| reload.now() />
    }
}

/// Sends a text. A send that got no answer may have reached the group, and the panel cannot
/// read messages back: it says so, keeps the text, and asks before sending it again.
#[component]
fn SendText(id: GroupId) -> impl IntoView {
    let id = StoredValue::new(id);
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The last send of this text got no answer: it may have been delivered.
    let maybe_sent = RwSignal::new(false);
    let again_open = RwSignal::new(false);
    let everyone = RwSignal::new(false);
    let provider = client().provider();
    let send = move || {
        busy.set(true);
        error.set(None);
        let message = text.get_untracked();
        let options = mention::send_options(everyone.get_untracked());
        spawn_local(async move {
            match client()
                .send_text_with(&id.get_value(), &message, &options)
                .await
            {
                Ok(_) => {
                    Toasts::get().success("Message sent to the group");
                    text.try_set(String::new());
                    // Mentioning everyone is chosen for one message, not for the next.
                    everyone.try_set(false);
                    maybe_sent.try_set(false);
                }
                Err(e) => {
                    maybe_sent.try_set(is_uncertain(&e));
                    error.try_set(Some(describe_send(&e)));
                }
            }
            busy.try_set(false);
        });
    };
    let submit = move || {
        if maybe_sent.get_untracked() {
            again_open.set(true);
        } else {
            send();
        }
    };
    view! {
        <section class="card">
            <h2>"Send a message to the group"</h2>
            <form on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <label>"Message"
                    <textarea rows="2" required dir="auto" data-testid="message" bind:value=text
                        on:input=move |_| maybe_sent.set(false)></textarea>
                </label>
                <mention::MentionEveryone everyone=everyone provider=provider />
                <button type="submit" data-testid="send" disabled=move || busy.get() || denied()>
                    {move || if busy.get() { "Sending…" } else if maybe_sent.get() { "Send again…" } else { "Send" }}
                </button>
                <ErrorText error=error testid="send-error" />
            </form>
            <ConfirmDialog open=again_open
                title=Signal::derive(|| "This message may already have reached the group. Send it again?".to_owned())
                confirm_label="Send again" on_confirm=move |_| send() />
        </section>
    }
}

/// Leave and delete, each behind a confirmation that names the group. Leaving warns when
/// the group has a single admin; deleting is offered only where the provider can do it.
#[component]
fn DangerZone(
    id: GroupId,
    subject: Signal<String>,
    members: Signal<Vec<Participant>>,
) -> impl IntoView {
    let caps = client().capabilities();
    let connection = use_connection().get_untracked();
    let engine = connection
        .as_ref()
        .and_then(|c| c.saved.engine)
        .map(|e| e.as_str());
    let learned = connection.is_some_and(|c| c.cannot_delete.get());
    let navigate = use_navigate();
    let id = StoredValue::new(id);
    let leave_open = RwSignal::new(false);
    let delete_open = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let reload = expect_context::<Reload>();
    // What is under way ("Leaving…"), so a slow server shows it is waiting.
    let busy = RwSignal::new(None::<&'static str>);
    // Why deleting is not offered: known up front (the provider, the engine named when
    // connecting), or learned when the server refused it (an engine not named).
    let provider = client().provider();
    let cannot_delete = RwSignal::new(
        (!caps.delete_group || learned).then(|| cannot_delete_reason(provider, engine)),
    );
    let leave_title = Signal::derive(move || {
        let name = isolate(&subject.get());
        format!("Leave “{name}”? You will stop receiving its messages.")
    });
    let delete_title = Signal::derive(move || {
        let name = isolate(&subject.get());
        format!("Delete “{name}” for everyone? This cannot be undone.")
    });
    let leave_warning = Signal::derive(move || {
        let subject = subject.get();
        members.with(|members| {
            [
                sole_admin(members).map(|admin| sole_admin_warning(admin, None)),
                bidi_warning(&subject),
            ]
            .into_iter()
            .flatten()
            .reduce(|a, b| format!("{a} {b}"))
        })
    });
    let delete_warning = Signal::derive(move || bidi_warning(&subject.get()));
    let nav = navigate.clone();
    let leave = move |_| {
        let nav = nav.clone();
        busy.set(Some("Leaving…"));
        error.set(None);
        spawn_local(async move {
            match client().leave_group(&id.get_value()).await {
                Ok(()) => {
                    Toasts::get().success("You left the group");
                    nav("/", Default::default());
                }
                Err(e) => {
                    error.try_set(Some(describe_change(&e)));
                }
            }
            busy.try_set(None);
        });
    };
    let delete = move |_| {
        let nav = navigate.clone();
        busy.set(Some("Deleting…"));
        error.set(None);
        spawn_local(async move {
            match client().delete_group(&id.get_value()).await {
                Ok(()) => {
                    Toasts::get().success("Group deleted");
                    nav("/", Default::default());
                }
                Err(e) if e.code() == ErrorCode::Unsupported => {
                    // Nothing was deleted. Not offered again on this connection.
                    use_connection().with_untracked(|c| {
                        if let Some(c) = c {
                            c.cannot_delete.set(true);
                        }
                    });
                    cannot_delete.try_set(Some(cannot_delete_reason(provider, engine)));
                    error.try_set(Some(format!(
                        "Nothing was deleted: {}",
                        cannot_delete_reason(provider, engine)
                    )));
                }
                Err(e) => {
                    error.try_set(Some(describe_change(&e)));
                }
            }
            busy.try_set(None);
        });
    };
    view! {
        <section class="card danger-zone">
            <h2>"Leave or delete"</h2>
            <div class="row">
                <button class="danger" data-testid="leave" disabled=move || busy.get().is_some() || denied()
                    on:click=move |_| leave_open.set(true)>"Leave group"</button>
                <button class="danger" data-testid="delete"
                    disabled=move || busy.get().is_some() || cannot_delete.with(Option::is_some) || denied()
                    aria-describedby=move || cannot_delete.with(Option::is_some).then_some("cannot-delete")
                    on:click=move |_| delete_open.set(true)>"Delete group"</button>
            </div>
            {move || cannot_delete.get().map(|why| view! {
                <p class="hint" id="cannot-delete" data-testid="cannot-delete">{why}</p>
            })}
            {move || busy.get().map(|doing| view! { <p class="muted" role="status">{doing}</p> })}
            <ErrorText error=error testid="danger-error" on_check=move |_| reload.now() />
            <ConfirmDialog open=leave_open title=leave_title confirm_label="Leave"
                warning=leave_warning on_confirm=leave />
            <ConfirmDialog open=delete_open title=delete_title confirm_label="Delete"
                warning=delete_warning on_confirm=delete />
        </section>
    }
}
