//! The JS API: `#[wasm_bindgen]` exports only. Everything here converts between JS values
//! and the Rust API; no provider logic lives here.

mod cache;
mod client;
mod error;
mod events;
mod evolution;
mod members;
mod read;
mod safety;
