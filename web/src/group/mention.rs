//! "Mention everyone" on the send form: the message mentions every member (WAHA's
//! `mentions: ["all"]`), offered where the provider can mention and disabled with the
//! reason where it cannot (Wavy).

use leptos::prelude::*;
use wa_groups::model::{Mentions, SendOptions};
use wa_groups::provider::ProviderKind;

/// Why the provider cannot mention anyone, or `None` when it can.
pub fn cannot_mention_reason(provider: ProviderKind) -> Option<&'static str> {
    match provider {
        ProviderKind::Waha | ProviderKind::Evolution => None,
        ProviderKind::Wavy => Some("Wavy cannot mention people: its messages go without mentions."),
    }
}

/// The send options for the box's state: everyone mentioned, or nobody.
pub fn send_options(everyone: bool) -> SendOptions {
    SendOptions {
        mentions: everyone.then_some(Mentions::All),
    }
}

/// The checkbox, bound to `everyone`; disabled with the reason where the provider cannot
/// mention.
#[component]
pub fn MentionEveryone(
    /// Whether the message is to mention everyone.
    everyone: RwSignal<bool>,
    /// The connection's provider.
    provider: ProviderKind,
) -> impl IntoView {
    let reason = cannot_mention_reason(provider);
    view! {
        <label class="inline">
            <input type="checkbox" data-testid="mention-all" bind:checked=everyone
                disabled=reason.is_some()
                aria-describedby=reason.map(|_| "cannot-mention") />
            "Mention everyone"
        </label>
        {reason.map(|why| view! { <p class="hint" id="cannot-mention" data-testid="cannot-mention">{why}</p> })}
    }
}

/// Run by `wasm-pack test web` (the group page exists only in the browser build).
#[cfg(test)]
mod tests {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::*;

    fn mount(provider: ProviderKind, everyone: RwSignal<bool>) -> web_sys::HtmlElement {
        let document = web_sys::window().unwrap().document().unwrap();
        let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&root).unwrap();
        let handle = leptos::mount::mount_to(root.clone(), move || {
            view! { <MentionEveryone everyone=everyone provider=provider /> }
        });
        handle.forget();
        root
    }

    fn find(root: &web_sys::HtmlElement, testid: &str) -> Option<web_sys::HtmlElement> {
        root.query_selector(&format!("[data-testid={testid}]"))
            .unwrap()
            .map(JsCast::unchecked_into)
    }

    #[wasm_bindgen_test]
    fn only_wavy_cannot_mention_and_says_why() {
        assert_eq!(cannot_mention_reason(ProviderKind::Waha), None);
        assert!(
            cannot_mention_reason(ProviderKind::Wavy)
                .is_some_and(|r| r.starts_with("Wavy cannot mention"))
        );
    }

    #[wasm_bindgen_test]
    fn the_box_mentions_everyone_or_nobody() {
        assert_eq!(send_options(true).mentions, Some(Mentions::All));
        assert_eq!(send_options(false).mentions, None);
    }

    #[wasm_bindgen_test]
    async fn on_waha_the_box_is_offered_and_ticking_it_chooses_everyone() {
        let everyone = RwSignal::new(false);
        let root = mount(ProviderKind::Waha, everyone);
        let input: web_sys::HtmlInputElement = find(&root, "mention-all").unwrap().unchecked_into();
        assert!(!input.disabled());
        assert!(find(&root, "cannot-mention").is_none());
        input.click();
        leptos::task::tick().await;
        assert!(everyone.get_untracked());
    }

    #[wasm_bindgen_test]
    async fn on_wavy_the_box_is_disabled_with_the_reason() {
        let root = mount(ProviderKind::Wavy, RwSignal::new(false));
        let input: web_sys::HtmlInputElement = find(&root, "mention-all").unwrap().unchecked_into();
        assert!(input.disabled());
        assert_eq!(
            input.get_attribute("aria-describedby").as_deref(),
            Some("cannot-mention")
        );
        let reason = find(&root, "cannot-mention").expect("the reason");
        assert!(
            reason
                .text_content()
                .unwrap()
                .contains("Wavy cannot mention")
        );
    }
}
