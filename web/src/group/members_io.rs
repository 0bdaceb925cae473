//! Members in and out: each member's number (or "number hidden") and name, "Export
//! members" as one CSV file (a group, or the groups ticked on the list), and "Import": a
//! CSV of `phone,action` → a preview with each row's validation → a paced bulk job with a
//! progress bar → a result per row, downloadable.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use wa_groups::bulk::{BulkItem, BulkOptions};
use wa_groups::members::{ImportRow, ParsedMembers, members_to_csv, parse_members_csv};
use wa_groups::model::{GroupId, Participant, UserId};
use wasm_bindgen::{JsCast, JsValue};

use crate::context::client;
use crate::logic::{describe, written_phone};
use crate::toast::Toasts;
use crate::ui::{denied, rich};

/// How a member's number is shown: as people write it, or "number hidden" for a member
/// listed by privacy id whose number WhatsApp does not show (never guessed).
pub fn number_shown(p: &Participant) -> String {
    match &p.phone {
        Some(phone) => written_phone(phone),
        None if p.id.is_lid() => "number hidden".to_owned(),
        None => p.id.to_string(),
    }
}

/// Numbers behind privacy ids, resolved once per member list: members listed by LID
/// without a number are looked up (the client remembers what it found and missed), and
/// the list is drawn again with what was found.
pub fn with_numbers(participants: Signal<Vec<Participant>>) -> Signal<Vec<Participant>> {
    let found = RwSignal::new(HashMap::<UserId, String>::new());
    Effect::new(move |_| {
        let lids: Vec<String> = participants.with(|all| {
            all.iter()
                .filter(|p| p.phone.is_none() && p.id.is_lid())
                .map(|p| p.id.to_string())
                .collect()
        });
        if lids.is_empty() {
            return;
        }
        spawn_local(async move {
            // A failed lookup leaves the numbers unknown ("number hidden" is not claimed
            // for them: the id is shown instead, see `number_shown`).
            if let Ok(pairs) = client().resolve_phones(&lids).await {
                found.try_update(|f| {
                    for (id, phone) in pairs {
                        if let Some(phone) = phone {
                            f.insert(UserId::from_provider(&id), phone);
                        }
                    }
                });
            }
        });
    });
    Signal::derive(move || {
        let mut all = participants.get();
        found.with(|f| {
            if !f.is_empty() {
                for p in all.iter_mut().filter(|p| p.phone.is_none()) {
                    p.phone = f.get(&p.id).cloned();
                }
            }
        });
        all
    })
}

/// Names of the members on screen, asked for a page at a time and kept for the page's
/// life (a 1,024-member group would otherwise cost 1,024 contact requests at once).
#[derive(Clone, Copy)]
pub struct Names(RwSignal<HashMap<UserId, Option<String>>>);

impl Names {
    /// An empty book.
    pub fn new() -> Names {
        Names(RwSignal::new(HashMap::new()))
    }

    /// Asks for the names of `ids` not asked for yet.
    pub fn want(self, ids: Vec<UserId>) {
        let missing: Vec<UserId> = self.0.with_untracked(|known| {
            let mut seen = HashSet::new();
            ids.into_iter()
                .filter(|id| !known.contains_key(id) && seen.insert(id.clone()))
                .collect()
        });
        if missing.is_empty() {
            return;
        }
        // Marked as asked at once, so a redraw does not ask again.
        self.0.update(|known| {
            for id in &missing {
                known.insert(id.clone(), None);
            }
        });
        // Asked once the browser is idle, after the frame that shows the rows: up to 50
        // lookups (one `fetch` each) started in the render's own task delayed that frame by
        // 5-7 ms on a 1,024-member group.
        spawn_local(async move {
            crate::reuse::idle().await;
            if let Ok(names) = client().names_of(&missing).await {
                self.0.try_update(|known| {
                    for (id, name) in missing.into_iter().zip(names) {
                        known.insert(id, name);
                    }
                });
            }
        });
    }

    /// The name of `id`, once known.
    pub fn of(self, id: &UserId) -> Option<String> {
        self.0.with(|known| known.get(id).cloned().flatten())
    }
}

/// A member's cell: the number (or "number hidden"), the name beside it where known, and
/// for a hidden number the privacy id it is known by.
#[component]
pub fn MemberCell(participant: Participant, names: Names) -> impl IntoView {
    let hidden = participant.phone.is_none() && participant.id.is_lid();
    let number = number_shown(&participant);
    let id = participant.id.clone();
    let name = move || names.of(&id);
    let lid = hidden.then(|| participant.id.to_string());
    view! {
        <span class:muted=hidden data-testid="member-number">{number}</span>
        {move || name().map(|n| view! { " " <span class="member-name" data-testid="member-name">{rich(&n)}</span> })}
        {lid.map(|l| view! { " " <span class="mono muted small">{l}</span> })}
    }
}

/// Saves `csv` as a file download: a Blob (with a BOM so spreadsheets read UTF-8) behind
/// an `<a download>`, clicked, then released.
fn download(file_name: &str, csv: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(&format!("\u{feff}{csv}")));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.set_attribute("data-testid", "csv-download")?;
    document().body().ok_or("no body")?.append_child(&a)?;
    a.click();
    a.remove();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// A file name from a group's subject: letters, digits and `-` only.
fn file_name(stem: &str) -> String {
    let clean: String = stem
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let clean = clean.trim_matches('-');
    format!(
        "{}-members.csv",
        if clean.is_empty() { "group" } else { clean }
    )
}

/// "Export members": one CSV file of every membership of `groups`, numbers resolved.
#[component]
pub fn ExportMembers(
    /// The groups to export (the page's group, or the groups ticked on the list).
    #[prop(into)]
    groups: Signal<Vec<GroupId>>,
    /// What the file is named after.
    #[prop(into)]
    stem: Signal<String>,
    /// The button's words.
    label: &'static str,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let export = move |_| {
        let ids = groups.get_untracked();
        if ids.is_empty() {
            return;
        }
        let name = file_name(&stem.get_untracked());
        busy.set(true);
        error.set(None);
        status.set(Some(format!(
            "Exporting the members of {} group{}…",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        )));
        spawn_local(async move {
            match client().export_members(&ids).await {
                Ok(rows) => {
                    let hidden = rows.iter().filter(|r| r.phone.is_none()).count();
                    match download(&name, &members_to_csv(&rows)) {
                        Ok(()) => {
                            let mut said = format!("Exported {} rows to {name}", rows.len());
                            if hidden > 0 {
                                said.push_str(&format!(" ({hidden} with the number hidden)"));
                            }
                            Toasts::get().success(said.clone());
                            status.try_set(Some(said));
                        }
                        Err(_) => {
                            status.try_set(None);
                            error.try_set(Some("The file could not be saved.".into()));
                        }
                    }
                }
                Err(e) => {
                    status.try_set(None);
                    error.try_set(Some(describe(&e)));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <button class="secondary" data-testid="export-members" disabled=move || busy.get() || groups.with(Vec::is_empty)
            on:click=export>{label}</button>
        <span class="muted" role="status" data-testid="export-status">{move || status.get()}</span>
        {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="export-error">{rich(&e)}</p> })}
    }
}

/// The state of one import row after the job.
#[derive(Clone, PartialEq)]
struct Outcome {
    ok: bool,
    why: String,
}

/// "Import": a CSV of `phone,action` for this group, previewed, then run as a paced bulk
/// job with a progress bar; the result of each row can be downloaded.
#[component]
pub fn ImportMembers(id: GroupId) -> impl IntoView {
    let id = StoredValue::new(id);
    let parsed = RwSignal::new(None::<ParsedMembers>);
    let error = RwSignal::new(None::<String>);
    let progress = RwSignal::new((0usize, 0usize));
    let running = RwSignal::new(false);
    let outcomes = RwSignal::new(Vec::<Outcome>::new());
    let reload = use_context::<super::Reload>();

    let choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        error.set(None);
        outcomes.set(Vec::new());
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => {
                    let text = text.as_string().unwrap_or_default();
                    parsed.try_set(Some(parse_members_csv(&text)));
                }
                Err(_) => {
                    error.try_set(Some("The file could not be read.".into()));
                }
            }
        });
    };
    let rows = move || parsed.with(|p| p.as_ref().map(|p| p.rows.clone()).unwrap_or_default());
    let run = move |_| {
        let rows: Vec<ImportRow> = rows();
        if rows.is_empty() {
            return;
        }
        let group = id.get_value();
        let items: Vec<BulkItem> = rows
            .iter()
            .map(|r| BulkItem {
                group: group.clone(),
                change: r.action.change(),
                participant: r.phone.clone(),
            })
            .collect();
        running.set(true);
        progress.set((0, items.len()));
        outcomes.set(Vec::new());
        spawn_local(async move {
            // Paced: a few requests at a time and at most two a second, so a long list does
            // not look like a burst to WhatsApp.
            let options = BulkOptions {
                concurrency: 2,
                requests_per_second: Some(2.0),
                ..BulkOptions::default()
            };
            let report = client()
                .bulk_change_participants(&items, options, |done, total| {
                    progress.try_set((done, total));
                })
                .await;
            let lines: Vec<Outcome> = report
                .outcomes
                .iter()
                .map(|o| Outcome {
                    ok: o.ok,
                    why: if o.ok {
                        "done".to_owned()
                    } else {
                        o.message
                            .clone()
                            .unwrap_or_else(|| "not applied".to_owned())
                    },
                })
                .collect();
            let failed = report.failed;
            let summary = format!("Import: {} done, {failed} not applied", report.succeeded);
            if failed == 0 {
                Toasts::get().success(summary);
            } else {
                Toasts::get().failure(summary);
            }
            outcomes.try_set(lines);
            running.try_set(false);
            if let Some(reload) = reload {
                reload.now();
            }
        });
    };
    let save_results = move |_| {
        let rows = rows();
        let done = outcomes.get_untracked();
        let mut csv = String::from("line,phone,action,result,reason\r\n");
        for (row, outcome) in rows.iter().zip(&done) {
            let reason = outcome.why.replace('"', "\"\"");
            csv.push_str(&format!(
                "{},{},{},{},\"{}{reason}\"\r\n",
                row.line,
                row.phone,
                row.action.as_str(),
                if outcome.ok { "ok" } else { "failed" },
                // A reason is our own text, but neutralise it like any cell.
                if reason.starts_with(['=', '+', '-', '@']) {
                    "'"
                } else {
                    ""
                },
            ));
        }
        if let Some(errors) = parsed.with_untracked(|p| p.as_ref().map(|p| p.errors.clone())) {
            for e in errors {
                csv.push_str(&format!(
                    ",,,refused,\"line {}: {}\"\r\n",
                    e.line,
                    e.reason.replace('"', "\"\"")
                ));
            }
        }
        if download("import-results.csv", &csv).is_err() {
            error.set(Some("The file could not be saved.".into()));
        }
    };
    view! {
        <div class="import" data-testid="import-members">
            <label>"Import members: a CSV of phone,action (add, remove, promote or demote)"
                <input type="file" accept=".csv,text/csv,text/plain" data-testid="import-file" on:change=choose />
            </label>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="import-error">{rich(&e)}</p> })}
            {move || parsed.get().map(|p| {
                let ready = p.rows.len();
                let bad = p.errors.len();
                view! {
                    <p data-testid="import-summary">{format!("{ready} row{} ready, {bad} refused", if ready == 1 { "" } else { "s" })}</p>
                    <div class="table-scroll">
                    <table class="import-preview" data-testid="import-preview">
                        <caption class="sr-only">"Rows to import, with their validation"</caption>
                        <thead><tr><th scope="col">"Line"</th><th scope="col">"Phone"</th><th scope="col">"Action"</th><th scope="col">"Status"</th></tr></thead>
                        <tbody>
                            {p.rows.iter().enumerate().map(|(i, r)| {
                                let status = move || outcomes.with(|o| o.get(i).cloned());
                                view! {
                                    <tr data-testid="import-row">
                                        <td>{r.line}</td>
                                        <td class="mono">{written_phone(&r.phone)}</td>
                                        <td>{r.action.as_str()}</td>
                                        <td data-testid="import-status">{move || match status() {
                                            None => "ready".to_owned(),
                                            Some(o) if o.ok => "✓ done".to_owned(),
                                            Some(o) => format!("✗ {}", o.why),
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                            {p.errors.iter().map(|e| view! {
                                <tr class="failed" data-testid="import-bad-row">
                                    <td>{e.line}</td>
                                    <td colspan="2"></td>
                                    <td>{format!("✗ line {}: {}", e.line, e.reason)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }
            })}
            <Show when=move || { parsed.with(|p| p.as_ref().is_some_and(|p| !p.rows.is_empty())) }>
                <button data-testid="import-run" disabled=move || running.get() || denied() on:click=run>
                    {move || format!("Run import ({} rows)", parsed.with(|p| p.as_ref().map_or(0, |p| p.rows.len())))}
                </button>
            </Show>
            <Show when=move || { running.get() || progress.with(|p| p.1 > 0) }>
                <label>"Import progress"
                    <progress data-testid="import-progress" max=move || progress.get().1.max(1) value=move || progress.get().0></progress>
                </label>
                <span role="status" data-testid="import-progress-text">{move || {
                    let (done, total) = progress.get();
                    format!("{done} of {total}")
                }}</span>
            </Show>
            <Show when=move || { !running.get() && outcomes.with(|o| !o.is_empty()) }>
                <button class="secondary" data-testid="import-results-download" on:click=save_results>"Download results"</button>
            </Show>
        </div>
    }
}

/// The group page's "Members in and out" card: export and import.
#[component]
pub fn MembersIoCard(id: GroupId, subject: Signal<String>) -> impl IntoView {
    let caps = client().capabilities();
    let group = id.clone();
    view! {
        <section class="card" data-testid="members-io">
            <h2>"Export and import members"</h2>
            <div class="row">
                <ExportMembers groups=Signal::derive(move || vec![group.clone()]) stem=subject label="Export members" />
            </div>
            {(caps.add_participants || caps.remove_participants).then(|| view! { <ImportMembers id=id.clone() /> })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wa_groups::model::Role;

    #[test]
    fn a_hidden_number_says_so_and_a_known_one_is_written_as_people_do() {
        let hidden = Participant::new(UserId::from_provider("123456789@lid"), Role::Member);
        assert_eq!(number_shown(&hidden), "number hidden");
        let mut resolved = hidden.clone();
        resolved.phone = Some("5511999990001".into());
        assert_eq!(number_shown(&resolved), "+55 11 99999-0001");
    }

    #[test]
    fn file_names_keep_letters_and_digits() {
        assert_eq!(
            file_name("Book club / 2026"),
            "Book-club---2026-members.csv"
        );
        assert_eq!(file_name("///"), "group-members.csv");
    }
}
