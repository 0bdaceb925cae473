//! Component tests in a real browser (wasm-bindgen-test): mount a component into a fresh
//! element, act on it as a person would, and assert on what is on screen.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::toast::{ToastArea, Toasts};
use crate::ui::ConfirmDialog;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

fn find(root: &web_sys::HtmlElement, testid: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(&format!("[data-testid={testid}]"))
        .unwrap()
        .map(|e| e.unchecked_into())
}

async fn settle() {
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn confirm_dialog_names_its_subject_confirms_once_and_escape_cancels() {
    let root = container();
    let open = RwSignal::new(false);
    let confirmed = RwSignal::new(0);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ConfirmDialog
                open=open
                title=Signal::derive(|| "Leave “Family”?".to_owned())
                confirm_label="Leave"
                on_confirm=move |_| confirmed.update(|n| *n += 1)
            />
        }
    });
    assert!(find(&root, "confirm-dialog").is_none(), "closed at first");

    open.set(true);
    settle().await;
    let dialog = find(&root, "confirm-dialog").expect("open");
    assert!(dialog.text_content().unwrap().contains("Leave “Family”?"));

    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let escape =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    dialog.dispatch_event(&escape).unwrap();
    settle().await;
    assert!(find(&root, "confirm-dialog").is_none(), "Escape closes");
    assert_eq!(confirmed.get_untracked(), 0, "Escape does not confirm");

    open.set(true);
    settle().await;
    find(&root, "confirm-ok").unwrap().click();
    settle().await;
    assert_eq!(confirmed.get_untracked(), 1);
    assert!(find(&root, "confirm-dialog").is_none(), "confirming closes");
}

#[wasm_bindgen_test]
async fn at_most_three_toasts_are_on_screen_newest_last() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || {
        Toasts::provide();
        view! { <ToastArea /> }
    });
    for n in 1..=5 {
        Toasts::get().success(format!("toast {n}"));
    }
    settle().await;
    let text = find(&root, "toasts").unwrap().text_content().unwrap();
    assert!(!text.contains("toast 2"), "{text}");
    assert!(
        text.contains("toast 3") && text.ends_with("toast 5"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn a_failure_stays_until_dismissed_and_successes_make_way_for_it() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || {
        Toasts::provide();
        view! { <ToastArea /> }
    });
    Toasts::get().failure("refresh failed");
    for n in 1..=3 {
        Toasts::get().success(format!("saved {n}"));
    }
    settle().await;
    let text = find(&root, "toasts").unwrap().text_content().unwrap();
    assert!(text.contains("refresh failed"), "{text}");
    assert!(
        !text.contains("saved 1"),
        "the oldest success made way: {text}"
    );
    assert!(text.contains("saved 3"), "{text}");
    find(&root, "toast-dismiss").unwrap().click();
    settle().await;
    assert!(find(&root, "toast-failure").is_none(), "dismissed");
}

#[wasm_bindgen_test]
async fn an_error_says_it_for_an_admin_and_keeps_the_detail_one_click_away() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || {
        Toasts::provide();
        view! { <ToastArea /> }
    });
    let err = wa_groups::Error::invalid("participants[1]", "`x` is not a phone number");
    Toasts::get().failure(crate::logic::describe(&err));
    settle().await;
    let toast = find(&root, "toast-failure").unwrap();
    let detail = find(&toast, "technical-detail").unwrap();
    assert!(!detail.has_attribute("open"), "closed until asked for");
    let said = toast.inner_text();
    assert!(
        said.contains("Number 2: “x” is not a phone number"),
        "{said}"
    );
    assert!(!said.contains("participants[1]"), "{said}");
    detail
        .query_selector("summary")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    assert!(detail.has_attribute("open"));
    assert!(toast.inner_text().contains("participants[1]"));
}

#[wasm_bindgen_test]
async fn background_answers_are_handed_over_a_frame_apart() {
    // Four hand-overs asked for at once: each resolves in its own idle period, at least a
    // frame (16.7 ms) after the one before, so no two background decodes share a frame.
    let stamps = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    for _ in 0..4 {
        let stamps = stamps.clone();
        leptos::task::spawn_local(async move {
            crate::reuse::one_idle_frame().await;
            stamps.borrow_mut().push(js_sys::Date::now());
        });
    }
    // Each waits at most IDLE_WAIT_MS (500 ms) for its idle period.
    for _ in 0..200 {
        if stamps.borrow().len() == 4 {
            break;
        }
        sleep(20).await;
    }
    let stamps = stamps.borrow();
    assert_eq!(stamps.len(), 4);
    for pair in stamps.windows(2) {
        assert!(pair[1] - pair[0] >= 16.0, "{stamps:?}");
    }
}

/// The core's own timer (a JS `setTimeout`), as the panel waits elsewhere.
async fn sleep(ms: u64) {
    use wa_groups::http::Transport;
    let _ = wa_groups::transport::FetchTransport::default()
        .sleep(ms)
        .await;
}

fn scroll_event() {
    let event = web_sys::Event::new("scroll").unwrap();
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .dispatch_event(&event)
        .unwrap();
}

#[wasm_bindgen_test]
async fn background_answers_wait_for_the_page_to_stop_scrolling_but_not_forever() {
    use crate::reuse::{MAX_HOLD_MS, QUIET_MS, one_idle_frame};
    // Settle any earlier hand-over and register the scroll listener.
    one_idle_frame().await;

    // One scroll: the answer waits until the page has been still for QUIET_MS.
    scroll_event();
    let scrolled = js_sys::Date::now();
    one_idle_frame().await;
    let waited = js_sys::Date::now() - scrolled;
    assert!(
        waited >= QUIET_MS - 1.0,
        "handed over {waited} ms after a scroll"
    );

    // Scrolling that goes on for 2 s: the answer is held back, for MAX_HOLD_MS at most.
    let scrolling = std::rc::Rc::new(std::cell::Cell::new(true));
    let on = scrolling.clone();
    leptos::task::spawn_local(async move {
        let started = js_sys::Date::now();
        while on.get() && js_sys::Date::now() - started < 2_000.0 {
            scroll_event();
            sleep(10).await;
        }
    });
    let asked = js_sys::Date::now();
    one_idle_frame().await;
    let held = js_sys::Date::now() - asked;
    scrolling.set(false);
    assert!(
        (MAX_HOLD_MS - 1.0..1_500.0).contains(&held),
        "held back {held} ms while the page kept scrolling"
    );
}
