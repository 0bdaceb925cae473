//! Small shared pieces: an inline error, a confirmation dialog, a role badge.

use leptos::prelude::*;
use wa_groups::model::Role;

use crate::logic::{is_uncertain_text, isolated_pieces, role_label};

/// `text` drawn with each piece marked by [`crate::logic::isolate`] in a `<bdi>`: a name
/// keeps its own direction and its bidi controls stay inside it.
pub fn rich(text: &str) -> AnyView {
    isolated_pieces(text)
        .into_iter()
        .map(|(isolated, piece)| {
            let piece = piece.to_owned();
            if isolated {
                view! { <bdi>{piece}</bdi> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
        .into_any()
}

/// An inline error that says what failed; nothing when `error` is `None`. When it says
/// that a change may or may not have been made ([`crate::logic::describe_change`]) and
/// `on_check` is
/// given, it offers to read the server's state again (not to repeat the change).
#[component]
pub fn ErrorText(
    error: RwSignal<Option<String>>,
    #[prop(into)] testid: String,
    #[prop(optional, into)] on_check: Option<Callback<()>>,
) -> impl IntoView {
    let uncertain = move || error.with(|e| e.as_deref().is_some_and(is_uncertain_text));
    view! {
        <Show when=move || error.with(Option::is_some)>
            <div class="error" role="alert" data-testid=testid.clone()>
                <p class="error">{move || error.get().map(|e| rich(&e))}</p>
                {move || on_check.filter(|_| uncertain()).map(|check| view! {
                    <button type="button" class="secondary" data-testid="check-now"
                        on:click=move |_| { error.set(None); check.run(()); }>"Check now"</button>
                })}
            </div>
        </Show>
    }
}

/// A role as a coloured badge.
#[component]
pub fn RoleBadge(role: Role) -> impl IntoView {
    let class = match role {
        Role::Superadmin => "badge owner",
        Role::Admin => "badge admin",
        Role::Member => "badge",
    };
    view! { <span class=class>{role_label(role)}</span> }
}

/// A modal confirmation that names what it acts on. Escape or "Cancel" closes it; the
/// confirm button has focus so Enter confirms deliberately only after reading.
#[component]
pub fn ConfirmDialog(
    /// Whether the dialog is open.
    open: RwSignal<bool>,
    /// The question, naming the group (names marked with [`crate::logic::isolate`]).
    #[prop(into)]
    title: Signal<String>,
    /// The confirm button's label.
    #[prop(into)]
    confirm_label: String,
    /// Runs on confirm.
    #[prop(into)]
    on_confirm: Callback<()>,
    /// Everyone or everything it acts on, one line each (each line isolated).
    #[prop(optional, into)]
    items: Option<Signal<Vec<String>>>,
    /// A warning under the question (marked names isolated).
    #[prop(optional, into)]
    warning: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let (true, Some(button)) = (open.get(), confirm_ref.get()) {
            let _ = button.focus();
        }
    });
    let items = move || items.map(|i| i.get()).unwrap_or_default();
    let warning = move || warning.and_then(|w| w.get());
    view! {
        <Show when=move || open.get()>
            <div class="backdrop" on:click=move |_| open.set(false)></div>
            <div
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="dialog-title"
                data-testid="confirm-dialog"
                on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }
            >
                <h2 id="dialog-title">{move || rich(&title.get())}</h2>
                <Show when=move || !items().is_empty()>
                    <ul class="confirm-items" data-testid="confirm-items">
                        {move || items().into_iter().map(|item| view! { <li><bdi>{item}</bdi></li> }).collect_view()}
                    </ul>
                </Show>
                {move || warning().map(|w| view! {
                    <p class="warning" role="note" data-testid="confirm-warning">{rich(&w)}</p>
                })}
                <div class="row">
                    <button class="secondary" data-testid="confirm-cancel" on:click=move |_| open.set(false)>"Cancel"</button>
                    <button
                        class="danger"
                        node_ref=confirm_ref
                        data-testid="confirm-ok"
                        on:click=move |_| { open.set(false); on_confirm.run(()); }
                    >{confirm_label.clone()}</button>
                </div>
            </div>
        </Show>
    }
}
