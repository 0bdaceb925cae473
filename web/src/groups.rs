//! The groups screen: search, sort and page the account's groups; create one; join by
//! invite link with a preview (WAHA); refresh (WAHA); leave several at once.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use wa_groups::model::{Group, GroupId, ListGroupsOptions, NewGroup, SortBy, SortOrder};
use wa_groups::provider::ProviderKind;

use crate::app::client;
use crate::logic::{describe, filter_groups, page_count, page_of, split_entries, subject_limit};
use crate::toast::Toasts;
use crate::ui::{ConfirmDialog, ErrorText};

/// Rows a page shows: long accounts stay smooth because only one page is in the DOM.
pub const PER_PAGE: usize = 50;

/// One page of groups and the total, as loaded.
#[derive(Clone)]
struct Listing {
    groups: Vec<Group>,
    total: usize,
    /// Whether `groups` holds the whole account (WAHA) or one page (Wavy).
    complete: bool,
}

/// WAHA lists whole groups in one call: load all and search, sort, page here. Wavy lists
/// ids and needs one request per group: fetch the details of the current page only.
async fn load(
    provider: ProviderKind,
    sort: (SortBy, SortOrder),
    page: usize,
) -> wa_groups::Result<Listing> {
    let client = client();
    // The list shows member counts, not members: leave them out of the transfer.
    let options = |limit: Option<u32>, offset: Option<u32>| ListGroupsOptions {
        limit,
        offset,
        sort_by: Some(sort.0),
        sort_order: Some(sort.1),
        participants: Some(false),
    };
    match provider {
        ProviderKind::Waha => {
            let groups = client.list_groups(&options(None, None)).await?;
            Ok(Listing {
                total: groups.len(),
                groups,
                complete: true,
            })
        }
        ProviderKind::Wavy => {
            let total = client.count_groups().await? as usize;
            let offset = (page * PER_PAGE) as u32;
            let groups = client
                .list_groups(&options(Some(PER_PAGE as u32), Some(offset)))
                .await?;
            Ok(Listing {
                groups,
                total,
                complete: false,
            })
        }
    }
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let provider = client().provider();
    let caps = client().capabilities();
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new((SortBy::Subject, SortOrder::Asc));
    let page = RwSignal::new(0usize);
    let version = RwSignal::new(0u32);
    let selected = RwSignal::new(BTreeSet::<GroupId>::new());
    let listing = LocalResource::new(move || {
        version.track();
        let sort = sort.get();
        // WAHA pages locally, so only Wavy reloads on a page change.
        let page = if provider == ProviderKind::Wavy {
            page.get()
        } else {
            0
        };
        load(provider, sort, page)
    });
    let reload = move || version.update(|v| *v += 1);

    let sort_value = move || match sort.get() {
        (SortBy::Subject, SortOrder::Asc) => "subject-asc",
        (SortBy::Subject, SortOrder::Desc) => "subject-desc",
        (SortBy::Id, SortOrder::Asc) => "id-asc",
        (SortBy::Id, SortOrder::Desc) => "id-desc",
    };
    let set_sort = move |value: String| {
        sort.set(match value.as_str() {
            "subject-desc" => (SortBy::Subject, SortOrder::Desc),
            "id-asc" => (SortBy::Id, SortOrder::Asc),
            "id-desc" => (SortBy::Id, SortOrder::Desc),
            _ => (SortBy::Subject, SortOrder::Asc),
        });
        page.set(0);
    };

    view! {
        <CreateGroup on_created=move |_| reload() />
        <Show when=move || caps.join_group>
            <JoinByLink on_joined=move |_| reload() />
        </Show>
        <section class="card">
            <div class="row">
                <h2>"Groups"</h2>
                <div class="row">
                    <Show when=move || caps.refresh_groups>
                        <RefreshButton on_done=move |_| reload() />
                    </Show>
                    <button class="secondary" data-testid="reload" on:click=move |_| reload()>"Reload"</button>
                </div>
            </div>
            <div class="toolbar">
                <label class="grow">"Search"
                    <input type="search" placeholder="Subject or id" data-testid="search"
                        bind:value=query on:input=move |_| page.set(0) />
                </label>
                <label>"Sort"
                    <select data-testid="sort" prop:value=sort_value on:change=move |ev| set_sort(event_target_value(&ev))>
                        <option value="subject-asc">"Subject A–Z"</option>
                        <option value="subject-desc">"Subject Z–A"</option>
                        <option value="id-asc">"Id ascending"</option>
                        <option value="id-desc">"Id descending"</option>
                    </select>
                </label>
            </div>
            <Suspense fallback=|| view! { <p class="muted" data-testid="groups-loading">"Loading groups…"</p> }>
                {move || listing.get().map(|result| match result {
                    Ok(listing) => view! {
                        <GroupTable listing=listing query=query page=page selected=selected />
                    }.into_any(),
                    Err(e) => view! {
                        <p class="error" role="alert" data-testid="groups-error">{describe(&e)}</p>
                    }.into_any(),
                })}
            </Suspense>
            <BulkLeave selected=selected on_done=move |_| reload() />
        </section>
    }
}

#[component]
fn GroupTable(
    listing: Listing,
    query: RwSignal<String>,
    page: RwSignal<usize>,
    selected: RwSignal<BTreeSet<GroupId>>,
) -> impl IntoView {
    let listing = StoredValue::new(listing);
    let rows = Memo::new(move |_| {
        listing.with_value(|l| {
            let q = query.get();
            let hits: Vec<Group> = filter_groups(&l.groups, &q).into_iter().cloned().collect();
            let (total, complete) = (l.total, l.complete);
            (hits, total, complete)
        })
    });
    let pages = move || {
        rows.with(|(hits, total, complete)| {
            if *complete {
                page_count(hits.len(), PER_PAGE)
            } else {
                page_count(*total, PER_PAGE)
            }
        })
    };
    let visible = move || {
        rows.with(|(hits, _, complete)| {
            if *complete {
                page_of(hits, page.get(), PER_PAGE).to_vec()
            } else {
                hits.clone()
            }
        })
    };
    let summary = move || {
        rows.with(|(hits, total, complete)| {
            if *complete && hits.len() != *total {
                format!("{} of {} groups match", hits.len(), total)
            } else {
                format!("{total} group{}", if *total == 1 { "" } else { "s" })
            }
        })
    };
    let toggle = move |id: GroupId, on: bool| {
        selected.update(|s| {
            if on {
                s.insert(id);
            } else {
                s.remove(&id);
            }
        })
    };
    view! {
        <p class="muted" data-testid="groups-count">{summary}</p>
        <Show
            when=move || !visible().is_empty()
            fallback=|| view! { <p class="muted" data-testid="groups-empty">"No groups here. Create one above."</p> }
        >
            <table class="groups" data-testid="groups">
                <thead><tr>
                    <th scope="col"><span class="sr-only">"Select"</span></th>
                    <th scope="col">"Subject"</th><th scope="col">"Members"</th><th scope="col" class="id-col">"Id"</th>
                </tr></thead>
                <tbody>
                    <For each=visible key=|g| g.id.clone() let:g>
                        {
                            let id = g.id.clone();
                            let id_for_check = id.clone();
                            let href = format!("/groups/{}", g.id);
                            let label = format!("Select {}", g.subject);
                            view! {
                                <tr data-testid="group-row">
                                    <td><input type="checkbox" aria-label=label data-testid="group-select"
                                        prop:checked=move || selected.with(|s| s.contains(&id_for_check))
                                        on:change=move |ev| toggle(id.clone(), event_target_checked(&ev)) /></td>
                                    <td class="subject"><A href=href>{g.subject.clone()}</A></td>
                                    <td>{g.size.map_or_else(|| "—".to_owned(), |n| n.to_string())}</td>
                                    <td class="mono id-col">{g.id.to_string()}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </Show>
        <nav class="pager" aria-label="Pages">
            <button class="secondary" data-testid="prev-page" disabled=move || page.get() == 0
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
            <span data-testid="page-label">{move || format!("Page {} of {}", page.get() + 1, pages())}</span>
            <button class="secondary" data-testid="next-page" disabled={move || page.get() + 1 >= pages()}
                on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
        </nav>
    }
}

#[component]
fn CreateGroup(#[prop(into)] on_created: Callback<Group>) -> impl IntoView {
    let provider = client().provider();
    let caps = client().capabilities();
    let limit = subject_limit(provider);
    let subject = RwSignal::new(String::new());
    let participants = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let create = Action::new_local(move |input: &NewGroup| {
        let input = input.clone();
        async move { client().create_group(&input).await }
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
                    participants: split_entries(&participants.get_untracked()),
                });
            }>
                <label>"Subject"
                    <input type="text" required data-testid="subject" bind:value=subject aria-describedby="subject-count" />
                </label>
                <span id="subject-count" data-testid="subject-count" class={move || if chars() > limit { "counter over" } else { "counter" }}>
                    {move || format!("{}/{limit}", chars())}
                </span>
                <Show when=move || caps.create_with_participants fallback=|| view! {
                    <p class="hint">"This provider creates a group with you alone; invite members with the group's invite link."</p>
                }>
                    <label>"Participants (phone numbers, one per line or comma-separated; optional)"
                        <textarea rows="2" data-testid="participants" bind:value=participants></textarea>
                    </label>
                </Show>
                <button type="submit" data-testid="create" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Creating…" } else { "Create group" }}
                </button>
                <ErrorText error=error testid="create-error" />
            </form>
        </section>
    }
}

#[component]
fn JoinByLink(#[prop(into)] on_joined: Callback<GroupId>) -> impl IntoView {
    let link = RwSignal::new(String::new());
    let preview = RwSignal::new(None::<Group>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let do_preview = move || {
        busy.set(true);
        error.set(None);
        preview.set(None);
        let code = link.get_untracked();
        spawn_local(async move {
            match client().get_join_info(&code).await {
                Ok(group) => preview.set(Some(group)),
                Err(e) => error.set(Some(describe(&e))),
            }
            busy.set(false);
        });
    };
    let do_join = move |_| {
        busy.set(true);
        let code = link.get_untracked();
        spawn_local(async move {
            match client().join_group(&code).await {
                Ok(id) => {
                    Toasts::get().success("Joined the group");
                    link.set(String::new());
                    preview.set(None);
                    on_joined.run(id);
                }
                Err(e) => error.set(Some(describe(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card">
            <h2>"Join by invite link"</h2>
            <form on:submit=move |ev| { ev.prevent_default(); do_preview(); }>
                <label>"Invite link or code"
                    <input type="text" required placeholder="https://chat.whatsapp.com/…" data-testid="join-link" bind:value=link />
                </label>
                <button type="submit" class="secondary" data-testid="join-preview" disabled=move || busy.get()>"Preview"</button>
            </form>
            {move || preview.get().map(|g| view! {
                <div class="preview" data-testid="join-info">
                    <p><strong>{g.subject.clone()}</strong>" · "{format!("{} members", g.size.unwrap_or(g.participants.len() as u32))}</p>
                    <button data-testid="join" disabled=move || busy.get() on:click=do_join>"Join this group"</button>
                </div>
            })}
            <ErrorText error=error testid="join-error" />
        </section>
    }
}

#[component]
fn RefreshButton(#[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let refresh = move |_| {
        busy.set(true);
        spawn_local(async move {
            match client().refresh_groups().await {
                Ok(()) => {
                    Toasts::get().success("Groups refreshed from WhatsApp");
                    on_done.run(());
                }
                Err(e) => Toasts::get().success(describe(&e)),
            }
            busy.set(false);
        });
    };
    view! {
        <button class="secondary" data-testid="refresh" disabled=move || busy.get() on:click=refresh>
            {move || if busy.get() { "Refreshing…" } else { "Refresh from WhatsApp" }}
        </button>
    }
}

/// Leaves every selected group, after a confirmation that counts them; reports each failure.
#[component]
fn BulkLeave(
    selected: RwSignal<BTreeSet<GroupId>>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failures = RwSignal::new(Vec::<String>::new());
    let count = move || selected.with(BTreeSet::len);
    let leave = move |_| {
        let ids: Vec<GroupId> = selected.get_untracked().into_iter().collect();
        busy.set(true);
        failures.set(Vec::new());
        spawn_local(async move {
            let mut failed = Vec::new();
            for id in &ids {
                if let Err(e) = client().leave_group(id).await {
                    failed.push(format!("{id}: {}", describe(&e)));
                }
            }
            let left = ids.len() - failed.len();
            Toasts::get().success(format!(
                "Left {left} group{}",
                if left == 1 { "" } else { "s" }
            ));
            selected.set(BTreeSet::new());
            failures.set(failed);
            busy.set(false);
            on_done.run(());
        });
    };
    view! {
        <Show when=move || { count() > 0 }>
            <div class="row bulk">
                <span data-testid="selected-count">{move || format!("{} selected", count())}</span>
                <button class="danger" data-testid="leave-selected" disabled=move || busy.get()
                    on:click=move |_| open.set(true)>"Leave selected"</button>
            </div>
        </Show>
        <Show when=move || failures.with(|f| !f.is_empty())>
            <ul class="error" role="alert" data-testid="leave-failures">
                <For each=move || failures.get() key=|f| f.clone() let:f><li>{f}</li></For>
            </ul>
        </Show>
        <ConfirmDialog
            open=open
            title=Signal::derive(move || format!("Leave {} group{}? You will stop receiving their messages.", count(), if count() == 1 { "" } else { "s" }))
            confirm_label="Leave"
            on_confirm=leave
        />
    }
}
