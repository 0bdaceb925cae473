//! Live reload for `cargo xtask dev` (the `dev` feature; never in a release build). Trunk's
//! own reload script is inline, which the panel's Content-Security-Policy forbids, so
//! `trunk serve --no-autoreload --features dev` builds this instead: it listens on Trunk's
//! WebSocket (`/.well-known/trunk/ws`, same origin, which `connect-src 'self'` allows) and
//! does what Trunk's script does — reloads after a rebuild, shows a failed build in the
//! console, and reloads once Trunk is back after a restart.

/// What a message from Trunk asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    /// A rebuild finished: load it.
    Reload,
    /// The build failed; the reason is Trunk's text.
    BuildFailed(String),
    /// Anything else (a message type this version does not know).
    Ignore,
}

/// Reads one of Trunk's messages (`{"type":"reload"}`,
/// `{"type":"buildFailure","data":{"reason":"…"}}`).
pub fn action(message: &str) -> Action {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(message) else {
        return Action::Ignore;
    };
    match value["type"].as_str() {
        Some("reload") => Action::Reload,
        Some("buildFailure") => Action::BuildFailed(
            value["data"]["reason"]
                .as_str()
                .unwrap_or("(no reason given)")
                .to_owned(),
        ),
        _ => Action::Ignore,
    }
}

/// Trunk's WebSocket URL for a page at `protocol//host` (`https:` → `wss:`).
pub fn socket_url(protocol: &str, host: &str) -> String {
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{host}/.well-known/trunk/ws")
}

/// Connects, and keeps connecting every second while Trunk is away; a connection made after
/// one was lost reloads the page (Trunk rebuilt on its restart).
#[cfg(all(target_arch = "wasm32", feature = "dev"))]
pub fn start() {
    connect(false);
}

#[cfg(all(target_arch = "wasm32", feature = "dev"))]
fn connect(reconnecting: bool) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let url = socket_url(
        &location.protocol().unwrap_or_default(),
        &location.host().unwrap_or_default(),
    );
    let Ok(socket) = web_sys::WebSocket::new(&url) else {
        return;
    };
    if reconnecting {
        let on_open = Closure::<dyn FnMut()>::new(move || {
            let _ = web_sys::window().map(|w| w.location().reload());
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
    }
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            match event.data().as_string().map(|text| action(&text)) {
                Some(Action::Reload) => {
                    let _ = web_sys::window().map(|w| w.location().reload());
                }
                Some(Action::BuildFailed(reason)) => {
                    web_sys::console::error_2(&"Build failed:".into(), &reason.into());
                }
                _ => {}
            }
        });
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_close = Closure::<dyn FnMut()>::new(move || {
        let retry = Closure::<dyn FnMut()>::once(move || connect(true));
        let _ = web_sys::window().map(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                retry.as_ref().unchecked_ref(),
                1_000,
            )
        });
        retry.forget();
    });
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    on_close.forget();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_messages_become_actions() {
        assert_eq!(action(r#"{"type":"reload"}"#), Action::Reload);
        assert_eq!(
            action(r#"{"type":"buildFailure","data":{"reason":"error[E0308]"}}"#),
            Action::BuildFailed("error[E0308]".into())
        );
        assert_eq!(
            action(r#"{"type":"buildFailure"}"#),
            Action::BuildFailed("(no reason given)".into())
        );
        assert_eq!(action(r#"{"type":"hmr"}"#), Action::Ignore);
        assert_eq!(action("not json"), Action::Ignore);
    }

    #[test]
    fn the_socket_is_on_the_page_origin() {
        assert_eq!(
            socket_url("http:", "127.0.0.1:8080"),
            "ws://127.0.0.1:8080/.well-known/trunk/ws"
        );
        assert_eq!(
            socket_url("https:", "panel.example"),
            "wss://panel.example/.well-known/trunk/ws"
        );
    }
}
