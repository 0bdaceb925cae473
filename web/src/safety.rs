//! The safety budget in the panel: on by default ([`crate::safety_words`]), kept in
//! localStorage per account, shown next to add, create and join, with a small settings
//! form. The core enforces it: past it, nothing is sent.

use std::rc::Rc;

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use wa_groups::Client;
use wa_groups::safety::{BudgetKind, BudgetStore, Safety};

use crate::context::{client, use_connection};
use crate::reuse::PanelTransport;
use crate::safety_words::{PanelSafety, budget_words, large_add_question, parse_limit};
use crate::storage::SavedConnection;

const SETTINGS: &str = "wa-groups.safety-settings";

/// The budget's counts in localStorage, as raw strings.
struct LocalStore;

impl BudgetStore for LocalStore {
    fn get(&self, key: &str) -> wa_groups::Result<Option<String>> {
        Ok(LocalStorage::raw().get_item(key).ok().flatten())
    }
    fn set(&self, key: &str, value: &str) -> wa_groups::Result<()> {
        // A full or forbidden storage keeps the budget for this page only: never an add
        // that fails for it.
        let _ = LocalStorage::raw().set_item(key, value);
        Ok(())
    }
}

thread_local! {
    /// Bumped whenever the budget may have changed, so what shows it reads it again.
    static VERSION: RwSignal<u32> = RwSignal::new(0);
}

fn version() -> RwSignal<u32> {
    VERSION.with(|v| *v)
}

/// Tells what shows the budget to read it again (after an add, create or join).
pub fn changed() {
    version().update(|v| *v += 1);
}

/// The settings as saved (the defaults when never saved).
pub fn settings() -> PanelSafety {
    LocalStorage::get(SETTINGS).unwrap_or_default()
}

/// The account a connection's budget is counted for.
fn account(saved: &SavedConnection) -> String {
    match (&saved.gateway, saved.provider) {
        (Some(name), _) => format!("{name} {}", saved.session),
        (None, wa_groups::provider::ProviderKind::Waha) => saved.session.clone(),
        (None, wa_groups::provider::ProviderKind::Wavy) => saved.user_name.clone(),
        (None, wa_groups::provider::ProviderKind::Evolution) => saved.instance.clone(),
    }
}

/// `client` with the budget of the saved settings (none when they turn it off).
pub fn attach(client: Client<PanelTransport>, saved: &SavedConnection) -> Client<PanelTransport> {
    let Some(limits) = settings().limits() else {
        return client;
    };
    let key = Safety::account_key(client.provider(), client.base_url(), &account(saved));
    client.with_safety(Safety::new(limits, Rc::new(LocalStore), key))
}

/// Saves `settings` and gives the connected client the new budget.
fn apply(new: PanelSafety) {
    let _ = LocalStorage::set(SETTINGS, new);
    use_connection().update(|connection| {
        if let Some(c) = connection {
            let fresh = c.client.with_transport(c.client.transport().clone());
            let fresh = match new.limits() {
                Some(_) => attach(fresh, &c.saved),
                // `with_transport` keeps the old budget; a client without one is built anew.
                None => without_budget(&c.client),
            };
            c.client = Rc::new(fresh);
        }
    });
    changed();
}

/// The same client with no budget.
fn without_budget(old: &Client<PanelTransport>) -> Client<PanelTransport> {
    // No way to take a budget off a client: an unlimited one counts nothing.
    let key = Safety::account_key(old.provider(), old.base_url(), "off");
    old.with_transport(old.transport().clone())
        .with_safety(Safety::new(Default::default(), Rc::new(LocalStore), key))
}

/// Before adding `n` people: asks when it is a large add; `true` to go ahead.
pub fn confirm_large_add(n: usize) -> bool {
    if n <= crate::safety_words::LARGE_ADD {
        return true;
    }
    let left = client()
        .safety_budget()
        .ok()
        .flatten()
        .and_then(|b| b.adds)
        .map(|l| l.left);
    window()
        .confirm_with_message(&large_add_question(n, left))
        .unwrap_or(false)
}

/// "38 adds left today" for `kind`; nothing when the budget is off.
#[component]
pub fn BudgetNote(kind: BudgetKind) -> impl IntoView {
    let text = move || {
        version().track();
        let budget = client().safety_budget().ok().flatten()?;
        let line = match kind {
            BudgetKind::Adds => budget.adds,
            BudgetKind::Creates => budget.creates,
            BudgetKind::Joins => budget.joins,
        }?;
        let at = line.refills_at.map(|ms| {
            js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64))
                .to_locale_time_string("default")
                .as_string()
                .unwrap_or_default()
        });
        Some(budget_words(kind.as_str(), &line, at.as_deref()))
    };
    let testid = format!("budget-{}", kind.as_str());
    view! {
        {move || text().map(|t| view! { <p class="hint" data-testid=testid.clone() aria-live="polite">{t}</p> })}
    }
}

/// The budget's settings: on or off, and the three limits.
#[component]
pub fn SafetySettings() -> impl IntoView {
    let now = settings();
    let on = RwSignal::new(now.on);
    let adds = RwSignal::new(now.adds.to_string());
    let creates = RwSignal::new(now.creates.to_string());
    let joins = RwSignal::new(now.joins.to_string());
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = || -> Result<PanelSafety, String> {
            Ok(PanelSafety {
                on: on.get_untracked(),
                adds: parse_limit("Adds per day", &adds.get_untracked())?,
                creates: parse_limit("Creates per day", &creates.get_untracked())?,
                joins: parse_limit("Joins per day", &joins.get_untracked())?,
            })
        };
        match read() {
            Ok(new) => {
                error.set(None);
                apply(new);
                crate::toast::Toasts::get().success("Safety limits saved");
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <details class="card" data-testid="safety-settings">
            <summary>"Safety limits (adds, creates, joins per 24 hours)"</summary>
            <p class="hint">"WhatsApp restricts or bans accounts that add, create or join too much; past these limits the panel sends nothing."</p>
            <form on:submit=save>
                <label class="inline"><input type="checkbox" data-testid="safety-on" bind:checked=on />"Limit adds, creates and joins"</label>
                <label>"Adds per day"<input type="number" min="0" max="10000" data-testid="safety-adds" bind:value=adds /></label>
                <label>"Creates per day"<input type="number" min="0" max="10000" data-testid="safety-creates" bind:value=creates /></label>
                <label>"Joins per day"<input type="number" min="0" max="10000" data-testid="safety-joins" bind:value=joins /></label>
                <button type="submit" class="secondary" data-testid="safety-save">"Save limits"</button>
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="safety-error">{e}</p> })}
            </form>
        </details>
    }
}
