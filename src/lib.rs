//! # wa-groups
//!
//! WhatsApp group management for the browser: one provider-neutral model over the group
//! APIs of [WAHA](https://waha.devlike.pro/) and the Wavy Messaging WhatsApp Groups API.
//!
//! Providers are *sans-IO*: [`provider::waha::Waha`] turns an operation into an
//! [`http::HttpRequest`] and reads the [`http::HttpResponse`] back into the [`model`]. A
//! [`Client`] pairs a provider with a [`http::Transport`]; on wasm the crate ships
//! `FetchTransport`, which uses the global `fetch` (window, worker or Node ≥ 20).
//!
//! [`events`] reads what the providers POST to your webhooks (Wavy MOs, WAHA group and
//! message events) and checks WAHA's signature; it is pure and needs no client.
//!
//! ```no_run
//! # #[cfg(target_arch = "wasm32")]
//! # async fn example() -> wa_groups::Result<()> {
//! use wa_groups::{Client, model::NewGroup};
//!
//! let client = Client::waha("http://127.0.0.1:3000", "sandbox", "default")?;
//! let group = client
//!     .create_group(&NewGroup { subject: "Team".into(), participants: vec!["5511988880000".into()] })
//!     .await?;
//! let all = client.list_groups(&Default::default()).await?;
//! assert!(all.iter().any(|g| g.id == group.id));
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

pub mod bulk;
pub mod client;
pub mod error;
pub mod events;
pub mod http;
pub mod model;
pub mod provider;
pub mod retry;

#[cfg(target_arch = "wasm32")]
pub mod transport;

#[cfg(all(target_arch = "wasm32", feature = "js"))]
mod js;

pub use client::Client;
pub use error::{Error, ErrorCode, Result};
