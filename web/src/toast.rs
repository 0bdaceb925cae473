//! Toasts: short success messages that go by themselves, and failures that look like
//! failures and stay until dismissed. Errors of a form are also shown inline where they
//! happened.

use leptos::prelude::*;

use crate::ui::rich;

const TOAST_MS: u64 = 4000;

/// What a toast reports.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Success,
    Failure,
}

#[derive(Clone)]
struct Toast {
    id: u64,
    kind: Kind,
    text: String,
}

/// The toasts on screen, shared through context.
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
}

thread_local! {
    /// Reachable from event handlers and async tasks, which run without a reactive owner.
    static TOASTS: std::cell::Cell<Option<Toasts>> = const { std::cell::Cell::new(None) };
}

/// At most this many toasts on screen, so a burst never covers the page.
const MAX_SHOWN: usize = 3;

impl Toasts {
    pub fn provide() -> Toasts {
        let toasts = Toasts {
            items: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        };
        TOASTS.with(|t| t.set(Some(toasts)));
        toasts
    }

    pub fn get() -> Toasts {
        TOASTS
            .with(std::cell::Cell::get)
            .expect("App provides the toasts before any page")
    }

    fn push(self, kind: Kind, text: String) -> u64 {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.items.update(|items| {
            items.push(Toast { id, kind, text });
            while items.len() > MAX_SHOWN {
                // Successes make way first: a failure stays until it is dismissed.
                let oldest = items
                    .iter()
                    .position(|t| t.kind == Kind::Success)
                    .unwrap_or(0);
                items.remove(oldest);
            }
        });
        id
    }

    /// Shows `message` for a few seconds. Pieces of it marked with
    /// [`crate::logic::isolate`] are drawn isolated (`<bdi>`).
    pub fn success(self, message: impl Into<String>) {
        let id = self.push(Kind::Success, message.into());
        set_timeout(
            move || self.dismiss(id),
            std::time::Duration::from_millis(TOAST_MS),
        );
    }

    /// Shows `message` as a failure, until the person dismisses it.
    pub fn failure(self, message: impl Into<String>) {
        self.push(Kind::Failure, message.into());
    }

    fn dismiss(self, id: u64) {
        self.items.try_update(|items| items.retain(|t| t.id != id));
    }
}

/// The toast area: a polite live region, so screen readers announce each message;
/// failures are marked as such (and by more than colour: a warning sign and a border).
#[component]
pub fn ToastArea() -> impl IntoView {
    let toasts = Toasts::get();
    view! {
        <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
            <For each=move || toasts.items.get() key=|t| t.id let:toast>
                {match toast.kind {
                    Kind::Success => view! { <div class="toast">{rich(&toast.text)}</div> }.into_any(),
                    Kind::Failure => {
                        let id = toast.id;
                        view! {
                            <div class="toast failed" data-testid="toast-failure">
                                <span><span aria-hidden="true">"⚠ "</span><span class="sr-only">"Problem: "</span>{rich(&toast.text)}</span>
                                <button class="dismiss" data-testid="toast-dismiss"
                                    on:click=move |_| toasts.dismiss(id)>"Dismiss"</button>
                            </div>
                        }.into_any()
                    }
                }}
            </For>
        </div>
    }
}
