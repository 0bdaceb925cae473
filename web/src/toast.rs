//! Transient success messages ("toasts"); errors are shown inline where they happened.

use leptos::prelude::*;

const TOAST_MS: u64 = 4000;

/// The toasts on screen, shared through context.
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<(u64, String)>>,
    next: StoredValue<u64>,
}

thread_local! {
    /// Reachable from event handlers and async tasks, which run without a reactive owner.
    static TOASTS: std::cell::Cell<Option<Toasts>> = const { std::cell::Cell::new(None) };
}

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

    /// Shows `message` for a few seconds.
    pub fn success(self, message: impl Into<String>) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        // At most three on screen, so a burst never covers the page.
        self.items.update(|items| {
            items.push((id, message.into()));
            if items.len() > 3 {
                items.remove(0);
            }
        });
        set_timeout(
            move || self.items.update(|items| items.retain(|(i, _)| *i != id)),
            std::time::Duration::from_millis(TOAST_MS),
        );
    }
}

/// The toast area: a polite live region, so screen readers announce each message.
#[component]
pub fn ToastArea() -> impl IntoView {
    let toasts = Toasts::get();
    view! {
        <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
            <For each=move || toasts.items.get() key=|(id, _)| *id let:item>
                <div class="toast">{item.1}</div>
            </For>
        </div>
    }
}
