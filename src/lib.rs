//! # wa-groups
//!
//! WhatsApp group management for the browser: one provider-neutral model over the group
//! APIs of [WAHA](https://waha.devlike.pro/) and the Wavy Messaging WhatsApp Groups API.
//!
//! Providers are *sans-IO*: [`provider::waha::Waha`] and [`provider::wavy::Wavy`] turn an
//! operation into an [`http::HttpRequest`] and read the [`http::HttpResponse`] back into the
//! [`model`]. A [`Client`] pairs a provider with a [`http::Transport`] and has one async
//! method per operation. On wasm32 the crate ships `FetchTransport` (in the wasm32-only
//! `transport` module), which uses the global `fetch` (window, worker or Node ≥ 20), and
//! the shortcuts `Client::waha` and `Client::wavy` that use it. Elsewhere, bring any
//! transport: implementing [`http::Transport`] takes four methods.
//!
//! ## WAHA
//!
//! On wasm32, with the fetch transport:
//!
//! ```no_run
//! # #[cfg(target_arch = "wasm32")]
//! # async fn example() -> wa_groups::Result<()> {
//! use wa_groups::{Client, model::NewGroup};
//!
//! // base URL, API key (`X-Api-Key`), session
//! let client = Client::waha("http://127.0.0.1:3000", "sandbox", "default")?;
//! let group = client
//!     .create_group(&NewGroup { subject: "Team".into(), participants: vec!["5511988880000".into()] })
//!     .await?;
//! let all = client.list_groups(&Default::default()).await?;
//! assert!(all.iter().any(|g| g.id == group.id));
//! # Ok(())
//! # }
//! ```
//!
//! With any transport, from the provider itself (naming the engine is optional; it lets
//! operations the engine lacks fail before anything is sent):
//!
//! ```no_run
//! # async fn example<T: wa_groups::http::Transport>(transport: T) -> wa_groups::Result<()> {
//! use wa_groups::Client;
//! use wa_groups::model::{ListGroupsOptions, ParticipantChange};
//! use wa_groups::provider::waha::{Engine, Waha};
//!
//! let waha = Waha::new("default", "my-api-key")?.with_engine(Some(Engine::Noweb));
//! let client = Client::new(waha, transport, "https://waha.example.com")?;
//! let page = client
//!     .list_groups(&ListGroupsOptions { limit: Some(20), participants: Some(false), ..Default::default() })
//!     .await?;
//! for group in &page {
//!     println!("{} ({} members)", group.subject, group.size.unwrap_or_default());
//! }
//! let results = client
//!     .change_participants(&page[0].id, ParticipantChange::Promote, &["5511988880000".into()])
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! ## Wavy
//!
//! Wavy creates a group with its creator only (others join by the invite link), knows
//! members by phone number, and lists groups as bare ids, whose details the [`Client`]
//! fetches a few at a time. [`Client::capabilities`] says what a provider can do.
//!
//! ```no_run
//! # #[cfg(target_arch = "wasm32")]
//! # async fn example() -> wa_groups::Result<()> {
//! use wa_groups::{Client, model::NewGroup, provider::wavy::DEFAULT_BASE_URL};
//!
//! // base URL, user name, authentication token
//! let client = Client::wavy(DEFAULT_BASE_URL, "me@example.com", "token")?;
//! let group = client.create_group(&NewGroup { subject: "Team".into(), participants: vec![] }).await?;
//! let link = client.get_invite_link(&group.id).await?;
//! client.send_text(&group.id, &format!("Welcome! Invite others with {link}")).await?;
//! # Ok(())
//! # }
//! ```
//!
//! With any transport:
//!
//! ```no_run
//! # async fn example<T: wa_groups::http::Transport>(transport: T) -> wa_groups::Result<()> {
//! use wa_groups::Client;
//! use wa_groups::provider::wavy::{DEFAULT_BASE_URL, Wavy};
//!
//! let client = Client::new(Wavy::new("me@example.com", "token")?, transport, DEFAULT_BASE_URL)?;
//! let count = client.count_groups().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ## Errors
//!
//! Every failure is an [`Error`]; [`Error::code`] classifies it with a stable [`ErrorCode`]
//! whose string form ([`ErrorCode::as_str`]) is also what the JS API reports as `err.code`:
//!
//! | Code | `as_str` | Meaning |
//! |---|---|---|
//! | [`InvalidInput`](ErrorCode::InvalidInput) | `invalid_input` | An argument was rejected; nothing was sent (also HTTP 400, 413, 422). |
//! | [`Unauthorized`](ErrorCode::Unauthorized) | `unauthorized` | The provider rejected the credentials (401). |
//! | [`Forbidden`](ErrorCode::Forbidden) | `forbidden` | Valid credentials, not allowed to do this (403). |
//! | [`NotFound`](ErrorCode::NotFound) | `not_found` | No such session, group or resource (404, 410). |
//! | [`Conflict`](ErrorCode::Conflict) | `conflict` | The request conflicts with the current state (409; on WAHA also 422, the session is not WORKING). |
//! | [`RateLimited`](ErrorCode::RateLimited) | `rate_limited` | The provider is rate limiting (429, WAHA's `rate-overlimit`). |
//! | [`Unsupported`](ErrorCode::Unsupported) | `unsupported` | The provider cannot do this operation (also 501). |
//! | [`Server`](ErrorCode::Server) | `server` | The provider failed (5xx or another unexpected status). |
//! | [`Network`](ErrorCode::Network) | `network` | The request did not complete at the network level. |
//! | [`Timeout`](ErrorCode::Timeout) | `timeout` | The request took longer than its timeout. |
//! | [`Aborted`](ErrorCode::Aborted) | `aborted` | The caller aborted the request. |
//! | [`Decode`](ErrorCode::Decode) | `decode` | The response could not be understood. |
//!
//! [`Error::status`] and [`Error::retry_after_ms`] add the HTTP status and the wait the
//! provider asked for, when there was one.
//!
//! ```no_run
//! # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>, id: wa_groups::model::GroupId) {
//! use wa_groups::ErrorCode;
//!
//! match client.get_group(&id).await {
//!     Ok(group) => println!("{}", group.subject),
//!     Err(e) if e.code() == ErrorCode::NotFound => println!("no such group"),
//!     Err(e) if e.code() == ErrorCode::RateLimited => println!("retry in {:?} ms", e.retry_after_ms()),
//!     Err(e) => eprintln!("{e} ({})", e.code()),
//! }
//! # }
//! ```
//!
//! ## Retries and timeouts
//!
//! A [`Client`] retries what is safe to repeat, by [`retry::RetryPolicy::default`] twice:
//! `GET`, `PUT` and `DELETE` after a network failure, a timeout, 408, 409, 429, 500, 502,
//! 503, 504 or WAHA's `rate-overlimit`, and a non-idempotent `POST` or `PATCH` only after a
//! 429 (the server did not process it); 400, 401, 403, 404, 410, 422 and 501 never — WAHA's
//! 422 "session not WORKING" (a `conflict`) included. Waits are exponential with full jitter
//! (500 ms base, capped at 10 s), and a rate limit without `Retry-After` waits
//! [`retry::RATE_LIMITED_MIN_DELAY_MS`] (2 s) more; a `Retry-After` is honoured unless it
//! asks for more than the cap, which fails at once. In a browser, a cross-origin server must
//! list `Retry-After` and `Date` in `Access-Control-Expose-Headers` for them to be read.
//! [`Client::with_retry`] changes the policy ([`retry::RetryPolicy::none`] turns retrying
//! off); the policy is pure and takes its clock and randomness from the transport.
//!
//! Timeouts and cancellation belong to the transport: `FetchTransport` bounds each attempt
//! with `timeout_ms` (the body included; the call fails with [`ErrorCode::Timeout`]) and
//! takes an `AbortSignal` (the call fails with [`ErrorCode::Aborted`], a pending retry wait
//! included, its timer cleared); it never follows a redirect, which would carry the
//! credentials to another host (a 3xx fails with [`ErrorCode::Server`]).
//! [`Client::with_transport`] gives a single call its own. Bulk jobs ([`bulk`]) additionally
//! pause as a whole when rate limited and send the refused batch again.
//!
//! ## Modules
//!
//! - [`client`]: the [`Client`], one async method per operation.
//! - [`provider`]: the sans-IO [`provider::Provider`] trait and its two implementations,
//!   [`provider::waha`] and [`provider::wavy`], with what each can do
//!   ([`provider::Capabilities`]).
//! - [`model`]: the provider-neutral groups, participants, settings and options.
//! - [`http`]: the plain request and response values and the [`http::Transport`] trait.
//! - [`retry`]: the retry policy.
//! - [`bulk`]: participant changes across many groups, paced, with one outcome per item.
//! - [`events`]: reads what the providers POST to your webhooks (Wavy MOs, WAHA group and
//!   message events) and checks WAHA's signature; it is pure and needs no client.
//! - [`error`]: [`Error`], [`ErrorCode`] and [`Result`].
//! - `transport` (wasm32 only): `FetchTransport`, over the global `fetch`.
//!
//! With the `js` feature (on by default) the wasm32 build also exports the same operations
//! to JavaScript through `wasm-bindgen` (`GroupsClient`, `GroupsError`).
#![deny(missing_docs)]

pub mod adds;
pub mod bulk;
pub mod cache;
pub mod client;
pub mod directory;
pub mod error;
pub mod events;
pub mod http;
mod json;
pub mod members;
pub mod model;
mod pacing;
pub mod provider;
pub mod retry;
pub mod safety;

#[cfg(target_arch = "wasm32")]
pub mod transport;

#[cfg(all(target_arch = "wasm32", feature = "js"))]
mod js;

pub use client::Client;
pub use error::{Error, ErrorCode, Result};
