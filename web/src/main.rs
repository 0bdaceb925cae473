//! The wa-groups admin panel, a Leptos client-side app built by Trunk from the root
//! `index.html`. It uses the core crate directly (not through JS).

// Natively only its tests use it; the browser build uses all of it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod logic;
// What a gateway says, in words (pure; natively only its tests use it).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod activity;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod audit;
#[cfg(target_arch = "wasm32")]
mod connect;
#[cfg(target_arch = "wasm32")]
mod context;
#[cfg(target_arch = "wasm32")]
mod events;
#[cfg(target_arch = "wasm32")]
mod gateway;
#[cfg(target_arch = "wasm32")]
mod group;
#[cfg(target_arch = "wasm32")]
mod groups;
#[cfg(target_arch = "wasm32")]
mod reuse;
#[cfg(target_arch = "wasm32")]
mod safety;
// The safety budget in words (pure; natively only its tests use it).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod safety_words;
#[cfg(target_arch = "wasm32")]
mod storage;
#[cfg(target_arch = "wasm32")]
mod toast;
#[cfg(target_arch = "wasm32")]
mod ui;
// `cargo xtask dev`'s live reload (the `dev` feature); natively only its tests run.
#[cfg(any(feature = "dev", test))]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod live_reload;

#[cfg(all(test, target_arch = "wasm32"))]
mod component_tests;

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    #[cfg(feature = "dev")]
    live_reload::start();
    leptos::mount::mount_to_body(app::App);
}

/// The panel runs only in a browser; natively there is nothing to do.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("wa-groups-web is a browser app: build it with `trunk build` (see README.md)");
}
