//! A group's membership timeline (gateway mode): who joined, left, was promoted or demoted,
//! and when, from the gateway's event history, kept up to date by the live stream. In the
//! direct mode there is no history to read, and it shows nothing.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::activity::LiveEvent;
use crate::context;
use crate::events::LiveRow;
use crate::gateway::{load_history, start_live};

/// The membership changes of one group of the current gateway connection, newest first.
#[component]
pub fn GroupTimeline(
    /// The group's id, as the provider spells it (the group page's `id`).
    #[prop(into)]
    group_id: Signal<String>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    // Read the history for this group (again when the group or the connection changes).
    Effect::new(move |_| {
        let (Some(connection), id) = (context::gateway_connection(), group_id.get()) else {
            return;
        };
        start_live();
        spawn_local(async move {
            let result = load_history(Some(connection), Some(id)).await;
            error.try_set(result.err());
            loaded.try_set(true);
        });
    });
    let entries = move || {
        let connection = context::gateway_connection();
        let id = group_id.get();
        context::events().with(|events| {
            events
                .iter()
                .filter(|e| {
                    e.is_membership()
                        && e.group_id.as_deref() == Some(id.as_str())
                        && Some(&e.connection) == connection.as_ref()
                })
                .cloned()
                .collect::<Vec<LiveEvent>>()
        })
    };
    view! {
        <Show when=move || context::gateway_connection().is_some()>
            <section class="card" data-testid="timeline" aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">"Membership history"</h2>
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="timeline-error">{e}</p> })}
                <Show when=move || loaded.get() && entries().is_empty() && error.with(Option::is_none)>
                    <p class="muted" data-testid="timeline-empty">"No one has joined, left, been promoted or demoted since the gateway started listening."</p>
                </Show>
                <table class="groups" data-testid="timeline-list">
                    <thead><tr><th scope="col">"When"</th><th scope="col">"What happened"</th></tr></thead>
                    <tbody aria-live="polite">
                        {move || entries().into_iter().map(|event| view! { <LiveRow event=event testid="timeline-entry" with_group=false /> }).collect_view()}
                    </tbody>
                </table>
            </section>
        </Show>
    }
}
