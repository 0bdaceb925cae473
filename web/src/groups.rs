//! The groups screen: create a group, and the list of the account's groups.

use leptos::prelude::*;
use wa_groups::model::{Group, ListGroupsOptions, NewGroup};
use wa_groups::provider::waha::SUBJECT_MAX_CHARS;

use crate::app::SharedClient;
use crate::connect::describe;
use crate::toast::Toasts;

/// Splits what a person typed into participant entries (commas, semicolons or new lines).
fn split_participants(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
pub fn Groups(client: SharedClient) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let list_client = client.clone();
    let groups = LocalResource::new(move || {
        version.track();
        let client = list_client.clone();
        async move { client.list_groups(&ListGroupsOptions::default()).await }
    });
    view! {
        <CreateGroup client=client on_created=move |_| version.update(|v| *v += 1) />
        <section class="card">
            <div class="row">
                <h2>"Groups"</h2>
                <button class="secondary" data-testid="reload" on:click=move |_| groups.refetch()>"Reload"</button>
            </div>
            <Suspense fallback=|| view! { <p class="muted" data-testid="groups-loading">"Loading groups…"</p> }>
                {move || groups.get().map(|result| match result {
                    Ok(list) => view! { <GroupTable groups=list /> }.into_any(),
                    Err(e) => view! {
                        <p class="error" role="alert" data-testid="groups-error">{describe(&e)}</p>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn GroupTable(groups: Vec<Group>) -> impl IntoView {
    if groups.is_empty() {
        return view! { <p class="muted" data-testid="groups-empty">"No groups yet. Create one above."</p> }.into_any();
    }
    let count = groups.len();
    view! {
        <p class="muted" data-testid="groups-count">{format!("{count} group{}", if count == 1 { "" } else { "s" })}</p>
        <table class="groups" data-testid="groups">
            <thead><tr><th scope="col">"Subject"</th><th scope="col">"Members"</th><th scope="col">"Id"</th></tr></thead>
            <tbody>
                {groups.into_iter().map(|g| view! {
                    <tr data-testid="group-row">
                        <td class="subject">{g.subject}</td>
                        <td>{g.participants.len()}</td>
                        <td class="mono">{g.id.to_string()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn CreateGroup(client: SharedClient, #[prop(into)] on_created: Callback<Group>) -> impl IntoView {
    let subject = RwSignal::new(String::new());
    let participants = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let create = Action::new_local(move |input: &NewGroup| {
        let client = client.clone();
        let input = input.clone();
        async move { client.create_group(&input).await }
    });
    Effect::new(move |_| {
        if let Some(result) = create.value().get() {
            match result {
                Ok(group) => {
                    Toasts::get().success(format!("Created “{}”", group.subject));
                    subject.set(String::new());
                    participants.set(String::new());
                    error.set(None);
                    on_created.run(group);
                }
                // Keep what was typed so the person can fix it and resubmit.
                Err(e) => error.set(Some(describe(&e))),
            }
        }
    });
    let chars = move || subject.with(|s| s.trim().chars().count());
    view! {
        <section class="card">
            <h2>"Create a group"</h2>
            <form on:submit=move |ev| {
                ev.prevent_default();
                error.set(None);
                create.dispatch(NewGroup {
                    subject: subject.get_untracked(),
                    participants: split_participants(&participants.get_untracked()),
                });
            }>
                <label>"Subject"
                    <input type="text" data-testid="subject" bind:value=subject aria-describedby="subject-count" />
                </label>
                <span id="subject-count" class={move || if chars() > SUBJECT_MAX_CHARS { "counter over" } else { "counter" }}>
                    {move || format!("{}/{SUBJECT_MAX_CHARS}", chars())}
                </span>
                <label>"Participants (phone numbers, one per line or comma-separated; optional)"
                    <textarea rows="2" data-testid="participants" bind:value=participants></textarea>
                </label>
                <button type="submit" data-testid="create" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Creating…" } else { "Create group" }}
                </button>
                <Show when=move || error.with(Option::is_some)>
                    <p class="error" role="alert" data-testid="create-error">{move || error.get()}</p>
                </Show>
            </form>
        </section>
    }
}
