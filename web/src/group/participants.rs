//! Members: a filterable, paged table with role badges and phone vs LID; multi-select
//! add / remove / promote / demote with a result per participant; join requests.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wa_groups::model::{GroupId, Participant, ParticipantChange};

use super::Reload;
use crate::context::client;
use crate::logic::{
    ResultLine, change_summary, describe, describe_change, failure_reason, filter_participants,
    id_kind, isolate, page_count, page_of, participant_key, participant_shown, person, result_line,
    selected_people, split_entries, written_phone,
};
use crate::toast::Toasts;
use crate::ui::{ConfirmDialog, ErrorText, RoleBadge, denied, rich};

/// The per-participant outcomes of the last change, checked against the group read back
/// after it, kept by the group page so they stay on screen when the group is drawn again.
#[derive(Clone, Copy)]
pub struct LastResults(pub RwSignal<Vec<ResultLine>>);

/// Rows per page: a 1,024-member group renders one page at a time, and a page about the
/// height of two screens renders and lays out quickly.
const PER_PAGE: usize = 50;

#[component]
pub fn ParticipantsCard(
    id: GroupId,
    /// The group's subject, for the confirmation.
    subject: Signal<String>,
    /// The members as last read: a new read updates the rows that changed and keeps the
    /// filter, page, scroll and focus.
    participants: Signal<Vec<Participant>>,
) -> impl IntoView {
    let caps = client().capabilities();
    let reload = expect_context::<Reload>();
    let id = StoredValue::new(id);
    // Numbers behind privacy ids filled in; names asked for the page on screen.
    let all = super::members_io::with_numbers(participants);
    let names = super::members_io::Names::new();
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let selected = RwSignal::new(BTreeSet::<String>::new());
    // Bumped when the selection is cleared: rows are drawn again, unchecked. A checkbox is
    // otherwise drawn checked or not once and then only the person changes it, which spares
    // each row a reactive property.
    let cleared = RwSignal::new(0u32);
    let to_add = RwSignal::new(String::new());
    let invite = RwSignal::new(false);
    let LastResults(results) = expect_context::<LastResults>();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let hits = Memo::new(move |_| {
        let q = query.get();
        all.with(|a| {
            filter_participants(a, &q)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let pages = move || hits.with(|h| page_count(h.len(), PER_PAGE));
    // Fewer members after a read (a removal): the page stays, unless it no longer exists.
    Effect::new(move |_| {
        let last = pages().saturating_sub(1);
        if page.get_untracked() > last {
            page.set(last);
        }
    });
    let results_ref = NodeRef::<leptos::html::Ul>::new();
    let visible = move || {
        let drawing = cleared.get();
        hits.with(|h| {
            page_of(h, page.get(), PER_PAGE)
                .iter()
                .map(|p| (drawing, p.clone()))
                .collect::<Vec<_>>()
        })
    };
    Effect::new(move |_| {
        names.want(hits.with(|h| {
            page_of(h, page.get(), PER_PAGE)
                .iter()
                .map(|p| p.id.clone())
                .collect()
        }))
    });

    let run = move |change: ParticipantChange, ids: Vec<String>| {
        if ids.is_empty()
            || (change == ParticipantChange::Add && !crate::safety::confirm_large_add(ids.len()))
        {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let client = client();
            let group = id.get_value();
            let before = all.get_untracked();
            let done = match change {
                ParticipantChange::Add => {
                    let options = wa_groups::adds::AddOptions {
                        invite_on_privacy: invite.get_untracked(),
                        invite_text: None,
                    };
                    client.add_participants(&group, &ids, &options).await
                }
                _ => client.change_participants(&group, change, &ids).await,
            };
            crate::safety::changed();
            match done {
                Ok(outcome) => {
                    // What is reported is what the group read back shows (the panel's
                    // transport keeps this answer for the re-read of the page that follows).
                    let after = client.get_group(&group).await.ok().map(|g| g.participants);
                    let lines: Vec<ResultLine> = outcome
                        .iter()
                        .map(|r| result_line(change, r, Some(&before), after.as_deref()))
                        .collect();
                    let done = lines.iter().filter(|l| l.ok).count();
                    let summary = change_summary(change, done, lines.len());
                    if done == lines.len() {
                        Toasts::get().success(summary);
                    } else {
                        Toasts::get().failure(summary);
                    }
                    results.set(lines);
                    selected.set(BTreeSet::new());
                    cleared.update(|n| *n += 1);
                    if change == ParticipantChange::Add {
                        to_add.set(String::new());
                    }
                    reload.now();
                    // The button pressed is disabled now (nothing is selected): focus goes
                    // to the results rather than falling to the top of the page.
                    request_animation_frame(move || {
                        let lost = document().active_element().is_none_or(|a| {
                            document().body().is_some_and(|b| *b == a)
                                || a.has_attribute("disabled")
                        });
                        if let (true, Some(list)) = (lost, results_ref.get_untracked()) {
                            let options = web_sys::FocusOptions::new();
                            options.set_prevent_scroll(true);
                            let _ = list.focus_with_options(&options);
                        }
                    });
                }
                // Keep the selection and the typed numbers so nothing is lost.
                Err(e) => {
                    error.try_set(Some(describe_change(&e)));
                }
            }
            busy.set(false);
        });
    };
    let act = move |change: ParticipantChange| {
        run(change, selected.get_untracked().into_iter().collect())
    };
    let count = move || selected.with(BTreeSet::len);
    // Selected members the table does not show (filtered out, or on another page): the
    // actions act on them too, so they are counted, named in the confirmation and can be
    // cleared.
    let hidden = move || {
        let shown: BTreeSet<String> = hits.with(|h| {
            page_of(h, page.get(), PER_PAGE)
                .iter()
                .map(participant_key)
                .collect()
        });
        selected.with(|s| s.iter().filter(|k| !shown.contains(*k)).count())
    };
    let clear = move |_| {
        selected.set(BTreeSet::new());
        cleared.update(|n| *n += 1);
    };
    let remove_open = RwSignal::new(false);
    let remove_title = Signal::derive(move || {
        let subject = isolate(&subject.get());
        let n = count();
        format!(
            "Remove {n} {} from “{subject}”? They will no longer be in the group.",
            if n == 1 { "person" } else { "people" }
        )
    });
    let remove_items =
        Signal::derive(move || selected.with(|s| all.with(|a| selected_people(s, a))));
    let remove_warning = Signal::derive(move || {
        let k = hidden();
        (k > 0).then(|| {
            format!(
                "{k} of them {} not shown in the table now (filtered out or on another page).",
                if k == 1 { "is" } else { "are" }
            )
        })
    });

    view! {
        <section class="card">
            <div class="row">
                <h2>{move || format!("Participants ({})", all.with(Vec::len))}</h2>
            </div>
            <Show when=move || caps.add_participants fallback=|| view! {
                <p class="hint">"This provider cannot add members directly; share the invite link instead."</p>
            }>
                <form on:submit=move |ev| { ev.prevent_default(); run(ParticipantChange::Add, split_entries(&to_add.get_untracked())); }>
                    <label>"Add members (phone numbers, one per line or comma-separated)"
                        <textarea rows="2" data-testid="add-participants" bind:value=to_add></textarea>
                    </label>
                    <label class="inline"><input type="checkbox" data-testid="invite-on-privacy" bind:checked=invite />
                        "Invite those whose privacy refuses adds (sends them the group's invite link)"</label>
                    <button type="submit" data-testid="add" disabled=move || busy.get() || denied()>"Add"</button>
                    <crate::safety::BudgetNote kind=wa_groups::safety::BudgetKind::Adds />
                </form>
            </Show>
            <label>"Filter"
                <input type="search" placeholder="Phone, id or role" data-testid="participant-filter"
                    bind:value=query on:input=move |_| page.set(0) />
            </label>
            <div class="row actions">
                <span data-testid="participants-selected">{move || match hidden() {
                    0 => format!("{} selected", count()),
                    k => format!("{} selected ({k} not shown)", count()),
                }}</span>
                <Show when=move || { count() > 0 }>
                    <button class="secondary" data-testid="clear-selection" on:click=clear>"Clear selection"</button>
                </Show>
                <button class="secondary" data-testid="promote" disabled=move || busy.get() || count() == 0 || denied()
                    on:click=move |_| act(ParticipantChange::Promote)>"Promote to admin"</button>
                <button class="secondary" data-testid="demote" disabled=move || busy.get() || count() == 0 || denied()
                    on:click=move |_| act(ParticipantChange::Demote)>"Demote to member"</button>
                <button class="danger" data-testid="remove" disabled=move || busy.get() || count() == 0 || denied()
                    on:click=move |_| remove_open.set(true)>"Remove"</button>
            </div>
            <ConfirmDialog open=remove_open title=remove_title confirm_label="Remove"
                items=remove_items warning=remove_warning
                on_confirm=move |_| act(ParticipantChange::Remove) />
            <table class="participants" data-testid="participants">
                <thead><tr>
                    <th scope="col"><span class="sr-only">"Select"</span></th>
                    <th scope="col">"Participant"</th><th scope="col">"Kind"</th><th scope="col">"Role"</th>
                </tr></thead>
                <tbody>
                    <For each=visible key=|(drawing, p)| (*drawing, p.id.clone(), p.role, p.phone.clone()) let:row>
                        {
                            let p = row.1;
                            let key = participant_key(&p);
                            let row_key = key.clone();
                            let checked = selected.with_untracked(|s| s.contains(&key));
                            let shown = participant_shown(&p);
                            let label = format!("Select {shown}");
                            view! {
                                <tr data-testid="participant-row" data-key=row_key>
                                    <td><input type="checkbox" aria-label=label data-testid="participant-select" checked=checked
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let key = key.clone();
                                            selected.update(|s| { if on { s.insert(key); } else { s.remove(&key); } });
                                        } /></td>
                                    <td class="mono"><super::members_io::MemberCell participant=p.clone() names=names /></td>
                                    <td>{id_kind(&p)}</td>
                                    <td><RoleBadge role=p.role /></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <nav class="pager" aria-label="Participant pages">
                <button class="secondary" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
                <span>{move || format!("Page {} of {}", page.get() + 1, pages())}</span>
                <button class="secondary" disabled={move || page.get() + 1 >= pages()} on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
            </nav>
            <Show when=move || results.with(|r| !r.is_empty())>
                <ul class="results" data-testid="participant-results" tabindex="-1" node_ref=results_ref>
                    <For each=move || results.get().into_iter().enumerate() key=|(i, line)| (*i, line.clone()) let:item>
                        <li class=if item.1.ok { "ok" } else { "failed" } data-testid="participant-result">
                            <span aria-hidden="true">{if item.1.ok { "✓ " } else { "✗ " }}</span>
                            {rich(&item.1.text)}
                        </li>
                    </For>
                </ul>
            </Show>
            <ErrorText error=error testid="participants-error" on_check=move |_| reload.now() />
        </section>
    }
}

#[component]
pub fn JoinRequestsCard(id: GroupId) -> impl IntoView {
    let reload = expect_context::<Reload>();
    let id = StoredValue::new(id);
    let version = RwSignal::new(0u32);
    let error = RwSignal::new(None::<String>);
    let requests = LocalResource::new(move || {
        version.track();
        let id = id.get_value();
        async move { client().list_join_requests(&id).await }
    });
    let answer = move |who: String, approve: bool| {
        error.set(None);
        spawn_local(async move {
            match client()
                .answer_join_requests(&id.get_value(), approve, &[who])
                .await
            {
                Ok(r) if r.iter().all(|r| r.ok) => {
                    Toasts::get().success(if approve {
                        "Request approved"
                    } else {
                        "Request rejected"
                    });
                }
                Ok(r) => error.set(Some(format!("Not applied: {}", failure_reason(&r[0])))),
                Err(e) => {
                    error.try_set(Some(describe_change(&e)));
                }
            }
            version.update(|v| *v += 1);
            reload.now();
        });
    };
    view! {
        <section class="card">
            <h2>"Join requests"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Loading requests…"</p> }>
                {move || requests.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="muted" data-testid="no-join-requests">"No pending requests."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="requests" data-testid="join-requests">
                            {list.into_iter().map(|req| {
                                let who = req.phone.clone().unwrap_or_else(|| req.id.to_string());
                                let shown = req.phone.as_deref().map_or_else(|| person(&req.id), written_phone);
                                let (a, b) = (who.clone(), who);
                                view! {
                                    <li data-testid="join-request">
                                        <span class="mono">{shown}</span>
                                        <button data-testid="approve" disabled=denied on:click=move |_| answer(a.clone(), true)>"Approve"</button>
                                        <button class="secondary" data-testid="reject" disabled=denied on:click=move |_| answer(b.clone(), false)>"Reject"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="error">{rich(&describe(&e))}</p> }.into_any(),
                })}
            </Suspense>
            <ErrorText error=error testid="join-requests-error" />
        </section>
    }
}
