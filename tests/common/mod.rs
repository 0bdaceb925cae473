//! Shared by the browser tests: the sandbox URL (set at compile time by `cargo xtask test`)
//! and unique names, since every test shares one sandbox.

#![allow(dead_code)]

use wa_groups::Client;
use wa_groups::transport::FetchTransport;

/// Where `cargo xtask test` started the sandbox.
pub const SANDBOX: &str = match option_env!("WA_GROUPS_SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:3000",
};

/// A subject no other test uses.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix} {:08x}",
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    )
}

pub fn waha() -> Client<FetchTransport> {
    Client::waha(SANDBOX, "sandbox", "default").expect("valid sandbox options")
}
