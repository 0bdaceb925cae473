//! The audit (`/audit`, gateway admins): every change made through the gateway, newest
//! first — when, who, what, and how the provider answered — optionally for one group.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::activity::{AuditRow, operation_label, result_label};
use crate::connect::Connect;
use crate::context::{self, Mode};
use crate::gateway::{audit, iso_time_ms, local_time_ms};
use crate::logic::with_detail;

#[component]
pub fn AuditPage() -> impl IntoView {
    move || match (context::mode().get(), context::me().with(Option::is_some)) {
        (Mode::Gateway, false) => view! { <Connect /> }.into_any(),
        (Mode::Gateway, true) if context::is_admin() => view! { <AuditTable /> }.into_any(),
        (mode, _) => {
            let why = match mode {
                Mode::Gateway => "Only the gateway's admins can read the audit.",
                Mode::Probing => "Loading…",
                Mode::Direct => {
                    "The audit is kept by a wa-groups gateway; this panel is connected straight to the provider, so there is none."
                }
            };
            view! {
                <section class="card">
                    <crate::ui::PageHeading title="Audit".to_owned() />
                    <p class="muted" data-testid="audit-unavailable">{why}</p>
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn AuditTable() -> impl IntoView {
    let query = use_query_map();
    // The group filter lives in the address (`/audit?group=…`), so it can be shared.
    let group = Memo::new(move |_| {
        query
            .with(|q| q.get("group"))
            .filter(|g| !g.trim().is_empty())
    });
    let typed = RwSignal::new(group.get_untracked().unwrap_or_default());
    let version = RwSignal::new(0u32);
    let rows = RwSignal::new(None::<Result<Vec<AuditRow>, String>>);
    Effect::new(move |_| {
        version.track();
        let group = group.get();
        rows.set(None);
        leptos::task::spawn_local(async move {
            rows.try_set(Some(audit(group).await));
        });
    });
    let navigate = use_navigate();
    let apply = move || {
        let text = typed.get_untracked();
        let text = text.trim();
        let href = if text.is_empty() {
            "/audit".to_owned()
        } else {
            format!(
                "/audit?group={}",
                String::from(js_sys::encode_uri_component(text))
            )
        };
        navigate(&href, Default::default());
    };
    view! {
        <section class="card">
            <crate::ui::PageHeading title="Audit".to_owned() />
            <p class="hint">"Every change made through the gateway, newest first: who made it, and how the provider answered."</p>
            <form class="toolbar" on:submit=move |ev| { ev.prevent_default(); apply(); }>
                <label class="grow">"Group id (optional)"
                    <input type="text" class="mono" data-testid="audit-group" bind:value=typed />
                </label>
                <button type="submit" data-testid="audit-filter">"Filter"</button>
                <button type="button" class="secondary" data-testid="audit-refresh"
                    on:click=move |_| version.update(|v| *v += 1)>"Refresh"</button>
            </form>
            {move || match rows.get() {
                None => view! { <p class="muted" data-testid="audit-loading">"Loading the audit…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert" data-testid="audit-error">{e}</p> }.into_any(),
                Some(Ok(rows)) if rows.is_empty() => view! {
                    <p class="muted" data-testid="audit-empty">"No change recorded yet."</p>
                }.into_any(),
                Some(Ok(rows)) => view! {
                    <div>
                        <table class="groups" data-testid="audit-table">
                            <thead><tr>
                                <th scope="col">"When, who"</th>
                                <th scope="col">"Operation"</th>
                                <th scope="col">"Result"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! { <AuditLine row=row /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn AuditLine(row: AuditRow) -> impl IntoView {
    let ok = (200..300).contains(&row.status);
    let operation = row.operation.clone();
    view! {
        <tr data-testid="audit-row" data-operation=operation>
            <td>
                <time datetime=iso_time_ms(row.at_ms)>{local_time_ms(row.at_ms)}</time><br />
                <bdi>{row.user}</bdi>
            </td>
            // What was done in words; the operation, method and path one click away.
            <td>{crate::ui::rich(&with_detail(
                &operation_label(&row.operation),
                &format!("{} · {} {} {}", row.operation, row.method, row.connection, row.path),
            ))}</td>
            <td class=if ok { "" } else { "error" }>{format!(
                "{} · {} · {}\u{a0}ms",
                result_label(row.status),
                row.status,
                row.duration_ms
            )}</td>
        </tr>
    }
}
