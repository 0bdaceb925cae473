//! Small shared pieces: an inline error, a confirmation dialog, a role badge.

use leptos::prelude::*;
use wa_groups::model::Role;
use wasm_bindgen::JsCast;

use crate::logic::{is_uncertain_text, isolated_pieces, role_label, split_detail, unix_ms};

/// `text` drawn with each piece marked by [`crate::logic::isolate`] in a `<bdi>`: a name
/// keeps its own direction and its bidi controls stay inside it. Its technical detail
/// ([`crate::logic::with_detail`]) is one click away, in a "Technical detail" disclosure.
pub fn rich(text: &str) -> AnyView {
    let (said, detail) = split_detail(text);
    let said = isolated_pieces(said)
        .into_iter()
        .map(|(isolated, piece)| {
            let piece = piece.to_owned();
            if isolated {
                view! { <bdi>{piece}</bdi> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view();
    let detail = detail.map(|detail| {
        let detail = detail.to_owned();
        view! {
            <details class="detail" data-testid="technical-detail">
                <summary>"Technical detail"</summary>
                <code>{detail}</code>
            </details>
        }
    });
    view! { {said}{detail} }.into_any()
}

/// A provider's timestamp as a local date and time, as the person's browser writes them.
pub fn local_time(time: u64) -> String {
    let language = window()
        .navigator()
        .language()
        .unwrap_or_else(|| "en".to_owned());
    let date = js_sys::Date::new(&unix_ms(time).into());
    date.to_locale_string(&language, &wasm_bindgen::JsValue::UNDEFINED)
        .into()
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

thread_local! {
    /// Set when the person moved to another page: the new page's heading takes focus.
    static FOCUS_HEADING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Asks the next [`PageHeading`] drawn to take focus (after a navigation).
pub fn focus_next_heading() {
    FOCUS_HEADING.with(|f| f.set(true));
}

/// The page's one `h1`; it names the page in the tab's title ("Book club — wa-groups") and
/// takes focus when the person navigated here, so a screen reader starts at the new page.
#[component]
pub fn PageHeading(
    /// The page's name (user text is isolated in the heading).
    #[prop(into)]
    title: Signal<String>,
    #[prop(optional, into)] testid: Option<String>,
) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H1>::new();
    Effect::new(move |_| {
        document().set_title(&format!("{} — wa-groups", title.get()));
    });
    Effect::new(move |_| {
        if let Some(h) = heading.get()
            && FOCUS_HEADING.with(|f| f.replace(false))
        {
            // Without scrolling to it: the router has put the new page at the top already,
            // and scrolling into view would force a layout of the half-drawn page here
            // (about 5–10 ms on a 1,024-member group) before its rows are in.
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = h.focus_with_options(&options);
        }
    });
    view! {
        <h1 tabindex="-1" node_ref=heading data-testid=testid><bdi>{move || title.get()}</bdi></h1>
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

/// A modal confirmation that names what it acts on: the platform's `<dialog>` opened with
/// `showModal()`, so the page behind it is inert. It opens with focus on "Cancel" (a double
/// Enter does not confirm), Tab and Shift+Tab stay inside it, Escape or "Cancel" closes it,
/// and on closing focus returns to what had it before (the button that opened it).
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
    let dialog_ref = NodeRef::<leptos::html::Dialog>::new();
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    // What had focus when the dialog opened, given it back on close.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        if open.get() {
            if opener.with_value(Option::is_none) {
                let active = document()
                    .active_element()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                opener.set_value(active);
            }
            if let (Some(dialog), Some(cancel)) = (dialog_ref.get(), cancel_ref.get()) {
                if !dialog.open() {
                    let _ = dialog.show_modal();
                }
                let _ = cancel.focus();
            }
        } else if let Some(back) = opener.try_update_value(Option::take).flatten()
            && back.is_connected()
        {
            let _ = back.focus();
        }
    });
    // Tab and Shift+Tab cycle between the two buttons; Escape cancels.
    let on_keydown = move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            open.set(false);
        }
        "Tab" => {
            let (Some(first), Some(last)) = (cancel_ref.get(), confirm_ref.get()) else {
                return;
            };
            let active = document().active_element();
            let at = |b: &web_sys::HtmlButtonElement| active.as_ref() == Some(b.unchecked_ref());
            if ev.shift_key() && (at(&first) || active.is_none()) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && at(&last) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    };
    let items = move || items.map(|i| i.get()).unwrap_or_default();
    let warning = move || warning.and_then(|w| w.get());
    view! {
        <Show when=move || open.get()>
            <dialog
                class="dialog"
                node_ref=dialog_ref
                aria-labelledby="dialog-title"
                data-testid="confirm-dialog"
                on:keydown=on_keydown
                // The platform's Escape: closed here, through the signal.
                on:cancel=move |ev: web_sys::Event| { ev.prevent_default(); open.set(false); }
                // A click on the backdrop (outside the box) cancels.
                on:click=move |ev| {
                    let target = ev.target();
                    if dialog_ref.get().is_some_and(|d| target.as_ref() == Some(d.unchecked_ref())) {
                        open.set(false);
                    }
                }
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
                    <button class="secondary" node_ref=cancel_ref data-testid="confirm-cancel" on:click=move |_| open.set(false)>"Cancel"</button>
                    <button
                        class="danger"
                        node_ref=confirm_ref
                        data-testid="confirm-ok"
                        on:click=move |_| { open.set(false); on_confirm.run(()); }
                    >{confirm_label.clone()}</button>
                </div>
            </dialog>
        </Show>
    }
}

/// Once per screen, at its top, as visible text: why the controls that change something are
/// disabled (a gateway viewer); nothing for someone who may write. (Not an
/// `aria-describedby` on each control: a disabled button is not focused, and each costs
/// the panel's size.)
#[component]
pub fn WriteDenied() -> impl IntoView {
    move || {
        crate::context::write_denied().map(|why| {
            view! {
                <p class="hint" data-testid="write-denied">
                    {format!("{why}: the buttons that change something are disabled.")}
                </p>
            }
        })
    }
}

/// Whether the person may not change anything (reactive): for a write control's `disabled`.
pub fn denied() -> bool {
    crate::context::write_denied().is_some()
}
