//! The JS API: `#[wasm_bindgen]` exports only. Everything here converts between JS values
//! and the Rust API; no provider logic lives here.

mod client;
mod error;
mod events;
mod read;
mod safety;
