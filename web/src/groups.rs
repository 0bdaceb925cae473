//! The groups screen: search, sort and page the account's groups; create one; join by
//! invite link with a preview (WAHA); refresh (WAHA); leave several at once.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use wa_groups::model::{
    Group, GroupId, ListGroupsOptions, NewGroup, Participant, SortBy, SortOrder,
};
use wa_groups::provider::ProviderKind;

use crate::context::client;
use crate::logic::{
    creation_outcome, describe, describe_change, empty_text, filter_groups, groups_summary,
    isolate, list_href, load_account, page_count, page_of, short_account, sole_admin,
    sole_admin_groups_warning, split_entries, subject_limit,
};
use crate::reuse::{in_background, warm};
use crate::toast::Toasts;
use crate::ui::{ConfirmDialog, ErrorText, denied, rich};

/// Rows a page shows: long accounts stay smooth because only one page is in the DOM.
pub const PER_PAGE: usize = 50;

/// Groups a background request asks WAHA for while the whole account loads: decoding one
/// answer costs the main thread about 2-4 ms, and [`in_background`] hands over at most one
/// a frame, never while the page scrolls.
const CHUNK: usize = 250;

/// The order the screen opens with.
const FIRST_SORT: (SortBy, SortOrder) = (SortBy::Subject, SortOrder::Asc);

/// Starts reading the first page the screen opens with (WAHA; Wavy's listing takes a
/// request per group), for a link to the screen when it is pressed.
pub fn warm_first_page() {
    let client = client();
    if client.provider() == ProviderKind::Waha {
        warm(&client, async |c| {
            c.list_groups(&options(FIRST_SORT, PER_PAGE, 0)).await
        });
    }
}

/// The listing options the screen uses: the current sort, without members (the list shows
/// member counts, not members: leave them out of the transfer).
fn options(sort: (SortBy, SortOrder), limit: usize, offset: usize) -> ListGroupsOptions {
    ListGroupsOptions {
        limit: Some(limit as u32),
        offset: Some(offset as u32),
        sort_by: Some(sort.0),
        sort_order: Some(sort.1),
        participants: Some(false),
    }
}

/// One page of groups, as loaded first.
#[derive(Clone)]
struct Listing {
    groups: Arc<Vec<Group>>,
    /// How many groups the account has, once known.
    total: Option<usize>,
    /// Whether `groups` holds the whole account (searched, sorted and paged here).
    complete: bool,
}

/// The whole account, loaded behind the first page for search, the count and the later
/// pages.
#[derive(Clone, PartialEq)]
enum Everything {
    /// Still loading; the count, when WAHA has said it.
    Loading(Option<usize>),
    Ready {
        groups: Arc<Vec<Group>>,
        /// The count WAHA gave, when the server kept answering groups already read (it
        /// ignores `offset`) and fewer than that loaded.
        short_of: Option<usize>,
    },
    Failed(String),
}

/// The first page at once, then the rest of the account in the background into
/// `everything`, so search, the count and the later pages cover every group.
///
/// WAHA sorts and cuts the first page server-side; the rest comes in chunks. Wavy lists
/// ids and needs one request per group's details: sorted by subject, every group's details
/// are needed for the first page already, so the whole account is the first answer; by id,
/// the first page's details come first and the rest's behind them.
async fn load(
    provider: ProviderKind,
    sort: (SortBy, SortOrder),
    everything: RwSignal<Everything>,
    generation: StoredValue<u32>,
) -> wa_groups::Result<Listing> {
    let client = client();
    // A newer load (another sort, a reload) or leaving the page ends this one.
    let Some(mine) = generation.try_update_value(|g| {
        *g += 1;
        *g
    }) else {
        return Err(wa_groups::Error::Aborted);
    };
    everything.try_set(Everything::Loading(None));
    // Evolution lists every group in one answer (it has no paging): take it whole.
    if provider == ProviderKind::Evolution
        || (provider == ProviderKind::Wavy && sort.0 == SortBy::Subject)
    {
        let all = client.list_groups(&whole_account(sort)).await?;
        return Ok(Listing {
            total: Some(all.len()),
            groups: Arc::new(all),
            complete: true,
        });
    }
    let first = client.list_groups(&options(sort, PER_PAGE, 0)).await?;
    if first.len() < PER_PAGE {
        // The first page is the whole account.
        return Ok(Listing {
            total: Some(first.len()),
            groups: Arc::new(first),
            complete: true,
        });
    }
    let first = Arc::new(first);
    let current = move || generation.try_get_value() == Some(mine);
    match provider {
        ProviderKind::Waha => spawn_local(load_rest(first.clone(), sort, everything, current)),
        ProviderKind::Wavy | ProviderKind::Evolution => {
            spawn_local(load_rest_wavy(sort, everything, current))
        }
    }
    Ok(Listing {
        groups: first,
        total: None,
        complete: false,
    })
}

/// The listing options for every group of the account, in the current sort.
fn whole_account(sort: (SortBy, SortOrder)) -> ListGroupsOptions {
    ListGroupsOptions {
        limit: None,
        offset: None,
        ..options(sort, 0, 0)
    }
}

/// Wavy: every group's details behind the first page (one listing of the ids, then a
/// request per group), published once, while `current()` holds.
async fn load_rest_wavy(
    sort: (SortBy, SortOrder),
    everything: RwSignal<Everything>,
    current: impl Fn() -> bool + 'static,
) {
    let client = in_background(&client());
    let outcome = client.list_groups(&whole_account(sort)).await;
    if !current() {
        return;
    }
    everything.try_set(match outcome {
        Ok(groups) => Everything::Ready {
            groups: Arc::new(groups),
            short_of: None,
        },
        Err(e) => Everything::Failed(describe(&e)),
    });
}

/// Loads the groups after `first` in chunks (the count first), one request at a time, and
/// publishes the whole account once, while `current()` holds. [`load_account`] decides
/// when to stop, so a server that ignores `limit`/`offset` is not read forever.
async fn load_rest(
    first: Arc<Vec<Group>>,
    sort: (SortBy, SortOrder),
    everything: RwSignal<Everything>,
    current: impl Fn() -> bool + 'static,
) {
    let client = in_background(&client());
    let outcome = async {
        let count = client.count_groups().await? as usize;
        if !current() {
            return Ok(None);
        }
        everything.try_set(Everything::Loading(Some(count)));
        let account = load_account(&first, count, CHUNK, async |offset| {
            let chunk = client.list_groups(&options(sort, CHUNK, offset)).await?;
            Ok(current().then_some(chunk))
        })
        .await?;
        Ok(account.map(|account| (account, count)))
    }
    .await;
    if !current() {
        return;
    }
    everything.try_set(match outcome {
        Ok(Some((account, count))) => Everything::Ready {
            short_of: (account.repeated && account.groups.len() < count).then_some(count),
            groups: Arc::new(account.groups),
        },
        Ok(None) => return,
        Err(e) => Everything::Failed(describe(&e)),
    });
}

/// A sort as the sort menu and the URL name it.
fn sort_to_value(sort: (SortBy, SortOrder)) -> &'static str {
    match sort {
        (SortBy::Subject, SortOrder::Asc) => "subject-asc",
        (SortBy::Subject, SortOrder::Desc) => "subject-desc",
        (SortBy::Id, SortOrder::Asc) => "id-asc",
        (SortBy::Id, SortOrder::Desc) => "id-desc",
    }
}

/// The sort a menu or URL value names (the first sort for anything else).
fn sort_from_value(value: &str) -> (SortBy, SortOrder) {
    match value {
        "subject-desc" => (SortBy::Subject, SortOrder::Desc),
        "id-asc" => (SortBy::Id, SortOrder::Asc),
        "id-desc" => (SortBy::Id, SortOrder::Desc),
        _ => FIRST_SORT,
    }
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let provider = client().provider();
    let caps = client().capabilities();
    // The search, page and sort live in the URL (`?q=&page=&sort=`): Back from a group and
    // a bookmark bring them back. Read once here; every change replaces the URL.
    let url = use_query_map().get_untracked();
    let query = RwSignal::new(url.get("q").unwrap_or_default());
    let sort = RwSignal::new(sort_from_value(&url.get("sort").unwrap_or_default()));
    let page = RwSignal::new(
        url.get("page")
            .and_then(|p| p.parse::<usize>().ok())
            .map_or(0, |p| p.saturating_sub(1)),
    );
    let navigate = use_navigate();
    Effect::new(move |_| {
        let href = list_href(&query.get(), page.get(), sort_to_value(sort.get()));
        let location = window().location();
        let now = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        if now != href {
            navigate(
                &href,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });
    let version = RwSignal::new(0u32);
    let selected = Selection {
        ids: RwSignal::new(BTreeMap::new()),
        cleared: RwSignal::new(0),
    };
    let everything = RwSignal::new(Everything::Loading(None));
    let generation = StoredValue::new(0u32);
    let listing = LocalResource::new(move || {
        version.track();
        let sort = sort.get();
        // Pages are cut here once the whole account is loaded: a page change reads nothing.
        load(provider, sort, everything, generation)
    });
    let reload = move || version.update(|v| *v += 1);

    let sort_value = move || sort_to_value(sort.get());
    let set_sort = move |value: String| {
        sort.set(sort_from_value(&value));
        page.set(0);
    };

    view! {
        <CreateGroup on_created=move |_| reload()
            on_check=move |subject: String| { query.set(subject); page.set(0); reload(); } />
        <Show when=move || caps.join_group>
            <JoinByLink on_joined=move |_| reload() on_check=move |_| reload() />
        </Show>
        <crate::safety::SafetySettings />
        <section class="card">
            <div class="row">
                <crate::ui::PageHeading title="Groups".to_owned() />
                <div class="row">
                    <Show when=move || caps.refresh_groups>
                        <RefreshButton on_done=move |_| reload() />
                    </Show>
                    <button class="secondary" data-testid="reload" on:click=move |_| reload()>"Reload"</button>
                </div>
            </div>
            <div class="toolbar">
                <label class="grow">"Search"
                    <input type="search" dir="auto" placeholder="Subject or id" data-testid="search"
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
                        <GroupTable listing=listing everything=everything query=query page=page selected=selected />
                    }.into_any(),
                    Err(e) => view! {
                        <p class="error" role="alert" data-testid="groups-error">{rich(&describe(&e))}</p>
                    }.into_any(),
                })}
            </Suspense>
            <BulkLeave selected=selected on_done=move |_| reload() />
        </section>
    }
}

/// The groups ticked for leaving. A checkbox is drawn checked or not once and then only the
/// person changes it (no reactive property a row); clearing draws the rows again.
#[derive(Clone, Copy)]
struct Selection {
    /// The groups ticked, with their subjects (a confirmation names them).
    ids: RwSignal<BTreeMap<GroupId, String>>,
    /// Bumped by [`Selection::clear`].
    cleared: RwSignal<u32>,
}

impl Selection {
    fn clear(self) {
        self.ids.set(BTreeMap::new());
        self.cleared.update(|n| *n += 1);
    }
}

/// What the table works from: the groups matching the search, as far as they are known.
#[derive(Clone)]
struct Rows {
    hits: Arc<Vec<Group>>,
    /// How many groups the account has, once known.
    total: Option<usize>,
    /// `hits` is the whole account, searched: page it here.
    complete: bool,
    /// `hits` is only the first page of an account that is still loading (WAHA).
    partial: bool,
}

impl PartialEq for Rows {
    fn eq(&self, other: &Rows) -> bool {
        Arc::ptr_eq(&self.hits, &other.hits)
            && (self.total, self.complete, self.partial)
                == (other.total, other.complete, other.partial)
    }
}

/// What the table area shows.
#[derive(Clone, Copy, PartialEq)]
enum Shown {
    Table,
    Empty,
    /// The search or page needs the whole account, which is still loading.
    Waiting,
    /// ... which could not be loaded.
    Failed,
}

#[component]
fn GroupTable(
    listing: Listing,
    everything: RwSignal<Everything>,
    query: RwSignal<String>,
    page: RwSignal<usize>,
    selected: Selection,
) -> impl IntoView {
    let rows = Memo::new(move |_| {
        let q = query.get();
        let (groups, total, complete, partial) = if listing.complete {
            (listing.groups.clone(), listing.total, true, false)
        } else {
            match everything.get() {
                Everything::Ready { groups, .. } => {
                    (groups.clone(), Some(groups.len()), true, false)
                }
                Everything::Loading(count) if listing.total.is_none() => {
                    (listing.groups.clone(), count, false, true)
                }
                _ => (
                    listing.groups.clone(),
                    listing.total,
                    false,
                    listing.total.is_none(),
                ),
            }
        };
        // The whole account is searched once it is here; the first page alone is never
        // searched (the table waits), so a search never misses a group not loaded yet.
        let hits = if (complete || !partial) && !q.trim().is_empty() {
            Arc::new(filter_groups(&groups, &q).into_iter().cloned().collect())
        } else {
            groups
        };
        Rows {
            hits,
            total,
            complete,
            partial,
        }
    });
    let failed = move || {
        everything.with(|e| match e {
            Everything::Failed(why) => Some(why.clone()),
            _ => None,
        })
    };
    let short_of = move || {
        everything.with(|e| match e {
            Everything::Ready {
                groups,
                short_of: Some(count),
            } if !listing.complete => Some(short_account(groups.len(), *count)),
            _ => None,
        })
    };
    let pages = move || {
        rows.with(|r| {
            if r.complete {
                Some(page_count(r.hits.len(), PER_PAGE))
            } else {
                r.total.map(|t| page_count(t, PER_PAGE))
            }
        })
    };
    // Until the whole account is here, only the first page without a search is known.
    let waiting = move || {
        rows.with(|r| r.partial) && (page.get() > 0 || !query.with(|q| q.trim().is_empty()))
    };
    let visible = move || {
        if waiting() {
            return Vec::new();
        }
        let drawing = selected.cleared.get();
        rows.with(|r| {
            let shown = if r.complete {
                page_of(&r.hits, page.get(), PER_PAGE)
            } else {
                &r.hits[..]
            };
            shown
                .iter()
                .map(|g| (drawing, g.clone()))
                .collect::<Vec<_>>()
        })
    };
    let shown = Memo::new(move |_| {
        if waiting() {
            if failed().is_some() {
                Shown::Failed
            } else {
                Shown::Waiting
            }
        } else if rows.with(|r| {
            if r.complete {
                page_of(&r.hits, page.get(), PER_PAGE).is_empty()
            } else {
                r.hits.is_empty()
            }
        }) {
            Shown::Empty
        } else {
            Shown::Table
        }
    });
    let summary = move || {
        rows.with(|r| {
            let searched = r.complete && !query.with(|q| q.trim().is_empty());
            groups_summary(r.total, searched.then_some(r.hits.len()))
        })
    };
    let toggle = move |id: GroupId, subject: String, on: bool| {
        selected.ids.update(|s| {
            if on {
                s.insert(id, subject);
            } else {
                s.remove(&id);
            }
        })
    };
    let table = move || {
        view! {
            <table class="groups" data-testid="groups">
                <thead><tr>
                    <th scope="col"><span class="sr-only">"Select"</span></th>
                    <th scope="col">"Subject"</th><th scope="col">"Members"</th><th scope="col" class="id-col">"Id"</th>
                </tr></thead>
                <tbody>
                    <For each=visible key=|(drawing, g)| (*drawing, g.id.clone()) let:row>
                        {
                            let g = row.1;
                            let id = g.id.clone();
                            let checked = selected.ids.with_untracked(|s| s.contains_key(&id));
                            let subject = g.subject.clone();
                            let id_to_warm = id.clone();
                            // Pressing the link starts reading the group its page shows.
                            let warm_group = move |_| {
                                let id = id_to_warm.clone();
                                warm(&client(), async move |c| c.get_group(&id).await);
                            };
                            let href = format!("/groups/{}", g.id);
                            let label = format!("Select {}", isolate(&g.subject));
                            view! {
                                <tr data-testid="group-row">
                                    <td><input type="checkbox" aria-label=label data-testid="group-select" checked=checked
                                        on:change=move |ev| toggle(id.clone(), subject.clone(), event_target_checked(&ev)) /></td>
                                    <td class="subject"><A href=href on:pointerdown=warm_group><bdi>{g.subject.clone()}</bdi></A></td>
                                    <td>{g.size.map_or_else(|| "—".to_owned(), |n| n.to_string())}</td>
                                    <td class="mono id-col">{g.id.to_string()}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        }
    };
    view! {
        <p class="muted" data-testid="groups-count">{summary}</p>
        {move || short_of().map(|note| view! {
            <p class="error" role="status" data-testid="groups-incomplete">{rich(&note)}</p>
        })}
        {move || match shown.get() {
            Shown::Table => table().into_any(),
            Shown::Empty => view! {
                <p class="muted" data-testid="groups-empty">
                    {move || rich(&empty_text(&query.get(), rows.with(|r| r.total), page.get()))}
                </p>
            }.into_any(),
            Shown::Waiting => view! {
                <p class="muted" data-testid="groups-loading">"Loading all groups…"</p>
            }.into_any(),
            Shown::Failed => view! {
                <p class="error" role="alert" data-testid="groups-error">
                    {move || rich(&format!("Could not load all groups: {}", failed().unwrap_or_default()))}
                </p>
            }.into_any(),
        }}
        <nav class="pager" aria-label="Pages">
            <button class="secondary" data-testid="prev-page" disabled=move || page.get() == 0
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
            <span data-testid="page-label">{move || match pages() {
                Some(n) => format!("Page {} of {n}", page.get() + 1),
                None => format!("Page {} of …", page.get() + 1),
            }}</span>
            <button class="secondary" data-testid="next-page" disabled={move || pages().is_some_and(|n| page.get() + 1 >= n)}
                on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
        </nav>
    }
}

#[component]
fn CreateGroup(
    #[prop(into)] on_created: Callback<Group>,
    /// Reads the list again, searching for this subject (after a create with no answer).
    #[prop(into)]
    on_check: Callback<String>,
) -> impl IntoView {
    let provider = client().provider();
    let caps = client().capabilities();
    let limit = subject_limit(provider);
    let subject = RwSignal::new(String::new());
    let participants = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // Who was asked for but not added to the group just created, and why.
    let not_added = RwSignal::new(None::<(String, Vec<String>)>);
    let create = Action::new_local(move |input: &NewGroup| {
        let input = input.clone();
        async move {
            let created = client().create_group(&input).await;
            crate::safety::changed();
            created
        }
    });
    Effect::new(move |_| {
        if let Some(result) = create.value().get() {
            match result {
                Ok(group) => {
                    let (all_added, summary, failed) =
                        creation_outcome(&group.subject, group.added.as_deref());
                    if all_added {
                        Toasts::get().success(summary);
                        not_added.set(None);
                    } else {
                        Toasts::get().failure(summary.clone());
                        not_added.set(Some((summary, failed)));
                    }
                    subject.set(String::new());
                    participants.set(String::new());
                    error.set(None);
                    on_created.run(group);
                }
                // Keep what was typed so the person can fix it and resubmit.
                Err(e) => error.set(Some(describe_change(&e))),
            }
        }
    });
    let chars = move || subject.with(|s| s.trim().chars().count());
    view! {
        <section class="card">
            <h2>"Create a group"</h2>
            <crate::ui::WriteDenied />
            <form on:submit=move |ev| {
                ev.prevent_default();
                error.set(None);
                not_added.set(None);
                create.dispatch(NewGroup {
                    subject: subject.get_untracked(),
                    participants: split_entries(&participants.get_untracked()),
                });
            }>
                <label>"Subject"
                    <input type="text" required dir="auto" data-testid="subject" bind:value=subject aria-describedby="subject-count" />
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
                <button type="submit" data-testid="create" disabled=move || create.pending().get() || denied()>
                    {move || if create.pending().get() { "Creating…" } else { "Create group" }}
                </button>
                <crate::safety::BudgetNote kind=wa_groups::safety::BudgetKind::Creates />
                <ErrorText error=error testid="create-error"
                    on_check=move |_| on_check.run(subject.get_untracked().trim().to_owned()) />
            </form>
            {move || not_added.get().map(|(summary, failed)| view! {
                <div class="error" role="alert" data-testid="create-not-added">
                    <p>{rich(&summary)}":"</p>
                    <ul>{failed.into_iter().map(|line| view! { <li>{rich(&line)}</li> }).collect_view()}</ul>
                    <button type="button" class="secondary" on:click=move |_| not_added.set(None)>"Dismiss"</button>
                </div>
            })}
        </section>
    }
}

#[component]
fn JoinByLink(
    #[prop(into)] on_joined: Callback<GroupId>,
    /// Reads the list again (after a join with no answer).
    #[prop(into)]
    on_check: Callback<()>,
) -> impl IntoView {
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
        error.set(None);
        let code = link.get_untracked();
        spawn_local(async move {
            let joined = client().join_group(&code).await;
            crate::safety::changed();
            match joined {
                Ok(id) => {
                    Toasts::get().success("Joined the group");
                    link.set(String::new());
                    preview.set(None);
                    on_joined.run(id);
                }
                Err(e) => error.set(Some(describe_change(&e))),
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
                    <p><strong><bdi>{g.subject.clone()}</bdi></strong>" · "{format!("{} members", g.size.unwrap_or(g.participants.len() as u32))}</p>
                    <button data-testid="join" disabled=move || busy.get() || denied() on:click=do_join>"Join this group"</button>
                </div>
            })}
            <crate::safety::BudgetNote kind=wa_groups::safety::BudgetKind::Joins />
            <ErrorText error=error testid="join-error" on_check=move |_| on_check.run(()) />
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
                // A failure looks like one, and stays until dismissed.
                Err(e) => Toasts::get().failure(format!(
                    "Could not refresh the groups from WhatsApp: {}",
                    describe(&e)
                )),
            }
            busy.set(false);
        });
    };
    view! {
        <button class="secondary" data-testid="refresh" disabled=move || busy.get() || denied()
            on:click=refresh>
            {move || if busy.get() { "Refreshing…" } else { "Refresh from WhatsApp" }}
        </button>
    }
}

/// How many of the selected groups a leave confirmation reads to find those with a single
/// admin (one request each, one at a time).
const ADMIN_CHECKS: usize = 20;

/// Leaves every selected group, after a confirmation that names them and warns about the
/// ones with a single admin; reports each failure.
#[component]
fn BulkLeave(selected: Selection, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failures = RwSignal::new(Vec::<String>::new());
    let count = move || selected.ids.with(BTreeMap::len);
    // The groups of the selection that have a single admin, found when the dialog opens.
    let admin_note = RwSignal::new(None::<String>);
    let checking = StoredValue::new(0u32);
    let ask = move |_| {
        open.set(true);
        admin_note.set(Some("Checking who administers them…".to_owned()));
        checking.update_value(|c| *c += 1);
        let mine = checking.get_value();
        let groups: Vec<(GroupId, String)> = selected.ids.get_untracked().into_iter().collect();
        spawn_local(async move {
            let client = client();
            let mut sole = Vec::new();
            let mut unchecked = groups.len().saturating_sub(ADMIN_CHECKS);
            for (id, subject) in groups.iter().take(ADMIN_CHECKS) {
                match client.get_group(id).await {
                    Ok(group) => {
                        if let Some(admin) = sole_admin(&group.participants) {
                            sole.push((subject.clone(), admin.clone()));
                        }
                    }
                    Err(_) => unchecked += 1,
                }
                if checking.try_get_value() != Some(mine) {
                    return;
                }
            }
            let sole: Vec<(String, &Participant)> =
                sole.iter().map(|(s, a)| (s.clone(), a)).collect();
            admin_note.try_set(sole_admin_groups_warning(&sole, unchecked));
        });
    };
    let leave = move |_| {
        let groups: Vec<(GroupId, String)> = selected.ids.get_untracked().into_iter().collect();
        busy.set(true);
        failures.set(Vec::new());
        spawn_local(async move {
            let mut failed = Vec::new();
            for (id, subject) in &groups {
                if let Err(e) = client().leave_group(id).await {
                    failed.push(format!("“{}”: {}", isolate(subject), describe_change(&e)));
                }
            }
            let left = groups.len() - failed.len();
            let summary = format!("Left {left} group{}", if left == 1 { "" } else { "s" });
            if failed.is_empty() {
                Toasts::get().success(summary);
            } else {
                Toasts::get().failure(format!("{summary}; {} not left, see why", failed.len()));
            }
            selected.clear();
            failures.set(failed);
            busy.set(false);
            on_done.run(());
        });
    };
    view! {
        <Show when=move || { count() > 0 }>
            <div class="row bulk">
                <span data-testid="selected-count">{move || format!("{} selected", count())}</span>
                <button class="danger" data-testid="leave-selected" disabled=move || busy.get() || denied()
                    on:click=ask>"Leave selected"</button>
                <crate::group::members_io::ExportMembers label="Export members of selected" stem="groups"
                    groups=Signal::derive(move || selected.ids.with(|s| s.keys().cloned().collect::<Vec<_>>())) />
            </div>
        </Show>
        <Show when=move || failures.with(|f| !f.is_empty())>
            <ul class="error" role="alert" data-testid="leave-failures">
                <For each=move || failures.get() key=|f| f.clone() let:f><li>{rich(&f)}</li></For>
            </ul>
        </Show>
        <ConfirmDialog
            open=open
            title=Signal::derive(move || format!("Leave {} group{}? You will stop receiving their messages.", count(), if count() == 1 { "" } else { "s" }))
            items=Signal::derive(move || selected.ids.with(|s| s.values().cloned().collect::<Vec<_>>()))
            warning=admin_note
            confirm_label="Leave"
            on_confirm=leave
        />
    }
}
