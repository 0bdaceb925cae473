//! Inbound events: what a provider POSTs to your webhook, read into one neutral
//! [`InboundEvent`] shape, and the check of WAHA's webhook signature.
//!
//! Everything here is pure: give it the raw body you received, get events back.
//!
//! - **Wavy** delivers MOs (messages from users) in batches, `{"total":N,"data":[…]}`. An MO
//!   whose `message.waGroupId` is set was sent **in a group**: it must be answered in the
//!   group (`replyTo.recipientType == "group"`), never as a direct message, which Wavy may
//!   bill as an HSM.
//! - **WAHA** POSTs one envelope `{event, session, payload, …}` per event: the `group.v2.*`
//!   events, the deprecated `group.join` / `group.leave`, and `message` / `message.any`.
//!   Verify `X-Webhook-Hmac` with [`verify_webhook`] on the raw bytes *before* parsing.
//!
//! ```
//! use wa_groups::events::{EventKind, RecipientType, parse_inbound};
//! use wa_groups::provider::ProviderKind;
//!
//! let body = br#"{"total":1,"data":[{"source":"5419900000000","origin":"5419900000000",
//!   "message":{"type":"TEXT","messageText":"Hello","waGroupId":"5519900000000-1553784379"}}]}"#;
//! let events = parse_inbound(ProviderKind::Wavy, body)?;
//! assert_eq!(events[0].kind, EventKind::GroupMessage);
//! let reply = events[0].reply_to.as_ref().unwrap();
//! assert_eq!(reply.destination, "5519900000000-1553784379");
//! assert_eq!(reply.recipient_type, RecipientType::Group);
//! # Ok::<(), wa_groups::Error>(())
//! ```

mod evolution;
mod json;
mod waha;
mod wavy;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_evolution;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha512;

use crate::error::{Error, Result};
use crate::json::Doc;
use crate::model::{Group, GroupId, Participant, UserId};
use crate::provider::ProviderKind;

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// What an inbound event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum EventKind {
    /// A message sent in a group (answer it in the group).
    GroupMessage,
    /// A message sent directly to the account.
    DirectMessage,
    /// The account joined a group, or was added to one.
    GroupJoined,
    /// The account left a group, or was removed from one.
    GroupLeft,
    /// Members joined, left, were promoted or demoted (see [`InboundEvent::action`]).
    ParticipantsChanged,
    /// A group's subject, description or settings changed.
    GroupUpdated,
    /// Someone asked to join a group that needs approval (see [`InboundEvent::action`]).
    JoinRequest,
    /// Anything else: valid JSON this crate does not interpret (see [`InboundEvent::event`]).
    Unknown,
}

/// Whether a reply goes to a group or to one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum RecipientType {
    /// The destination is a group id.
    Group,
    /// The destination is one person.
    Individual,
}

/// Where to send an answer to a message: Wavy's `destinations[]` entry, or WAHA's `chatId`
/// (the destination) with its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReplyTo {
    /// The group id or the person's id / phone number, as the provider spells it.
    pub destination: String,
    /// Whether `destination` is a group.
    pub recipient_type: RecipientType,
}

impl ReplyTo {
    /// A reply to `destination`.
    ///
    /// ```
    /// use wa_groups::events::{RecipientType, ReplyTo};
    /// let to = ReplyTo::new("5519900000000-1553784379", RecipientType::Group);
    /// assert_eq!(to.destination, "5519900000000-1553784379");
    /// ```
    pub fn new(destination: impl Into<String>, recipient_type: RecipientType) -> ReplyTo {
        ReplyTo {
            destination: destination.into(),
            recipient_type,
        }
    }
}

/// One event a provider delivered to a webhook, provider-neutral.
///
/// Only `kind` is always present; every other field is set when the payload carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InboundEvent {
    /// What the event is about.
    pub kind: EventKind,
    /// The group concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub group_id: Option<GroupId>,
    /// Who acted: a message's sender, a join request's requester, whoever added or removed
    /// members (deprecated WAHA `group.join`/`group.leave`). Wavy senders are bare numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub from: Option<UserId>,
    /// A message's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub text: Option<String>,
    /// For `participantsChanged`: `join`, `leave`, `promote` or `demote`; for `joinRequest`:
    /// `created`, `rejected` or `revoked`. A value WAHA adds later is passed on as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub action: Option<String>,
    /// The members concerned (`participantsChanged`, `joinRequest`: the requester, with the
    /// phone number when the payload has it). A role is the one *after* the change:
    /// `promote` ⇒ admin, `demote` ⇒ member, whatever role the engine reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub participants: Vec<Participant>,
    /// The group as the payload describes it (`groupJoined`; `groupUpdated`, where it holds
    /// only what changed: an empty `subject` there means "not changed").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub group: Option<Group>,
    /// When it happened, in Unix seconds (millisecond timestamps are converted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub timestamp: Option<u64>,
    /// WAHA's event name as sent (`group.v2.participants`, `message`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub event: Option<String>,
    /// Where to answer a message (`groupMessage`, `directMessage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub reply_to: Option<ReplyTo>,
}

impl InboundEvent {
    /// An event of `kind` with nothing else known yet.
    ///
    /// ```
    /// use wa_groups::events::{EventKind, InboundEvent};
    /// let event = InboundEvent::new(EventKind::GroupLeft);
    /// assert!(event.group_id.is_none() && event.participants.is_empty());
    /// ```
    pub fn new(kind: EventKind) -> InboundEvent {
        InboundEvent {
            kind,
            group_id: None,
            from: None,
            text: None,
            action: None,
            participants: Vec::new(),
            group: None,
            timestamp: None,
            event: None,
            reply_to: None,
        }
    }
}

/// Reads the body a provider POSTed to a webhook into events.
///
/// A Wavy delivery is a batch and yields one event per MO (none for an empty batch); a WAHA
/// webhook yields one event (except a NOWEB `group.join`, whose payload is a list of
/// groups: one `groupJoined` per group).
///
/// Malformed JSON fails with [`Error::Decode`]. Valid JSON this crate does not recognise is
/// never an error: it becomes an event of kind [`EventKind::Unknown`] (with the WAHA event
/// name in `event`), so a webhook handler can acknowledge it and move on.
///
/// ```
/// use wa_groups::events::{EventKind, parse_inbound};
/// use wa_groups::provider::ProviderKind;
///
/// let body = br#"{"event":"group.v2.leave","session":"default","timestamp":1757000000123,
///   "payload":{"group":{"id":"120363000000000001@g.us"}}}"#;
/// let events = parse_inbound(ProviderKind::Waha, body)?;
/// assert_eq!(events[0].kind, EventKind::GroupLeft);
/// assert_eq!(events[0].group_id.as_ref().unwrap().as_str(), "120363000000000001@g.us");
/// assert_eq!(events[0].timestamp, Some(1_757_000_000));
///
/// // An event this crate does not interpret is `Unknown`, not an error.
/// let status = br#"{"event":"session.status","session":"default","payload":{"status":"WORKING"}}"#;
/// assert_eq!(parse_inbound(ProviderKind::Waha, status)?[0].kind, EventKind::Unknown);
/// assert!(parse_inbound(ProviderKind::Waha, b"not json").is_err());
/// # Ok::<(), wa_groups::Error>(())
/// ```
pub fn parse_inbound(provider: ProviderKind, payload: &[u8]) -> Result<Vec<InboundEvent>> {
    let doc = Doc::parse(payload)
        .map_err(|e| Error::Decode(format!("the inbound payload is not JSON: {e}")))?;
    let value = doc.root();
    Ok(match provider {
        ProviderKind::Waha => waha::parse(&value),
        ProviderKind::Wavy => wavy::parse(&value),
        ProviderKind::Evolution => evolution::parse(&value),
    })
}

/// Checks WAHA's `X-Webhook-Hmac` header: the hex HMAC-SHA512 of the raw request body under
/// the webhook's `hmac.key`.
///
/// Pass the body exactly as received (before any JSON parsing). Hex is accepted in either
/// case; a malformed or wrong-length signature is `false`, as is an empty secret (anyone can
/// compute that). The comparison takes constant time. For a sender that marks its signature
/// `X-Webhook-Hmac-Version: 2`, pass `"<X-Webhook-Timestamp>.<body>"` as the body.
///
/// ```
/// use wa_groups::events::verify_webhook;
///
/// let body = br#"{"event":"message","session":"default","engine":"WEBJS"}"#;
/// // The `X-Webhook-Hmac` header WAHA sent with it:
/// let signature = "208f8a55dde9e05519e898b10b89bf0d0b3b0fdf11fdbf09b6b90476301b98d8\
///                  097c462b2b17a6ce93b6b47a136cf2e78a33a63f6752c2c1631777076153fa89";
/// assert!(verify_webhook(b"my-secret-key", body, signature));
/// assert!(!verify_webhook(b"another-key", body, signature));
/// ```
pub fn verify_webhook(secret: &[u8], raw_body: &[u8], signature_hex: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    let Ok(signature) = hex::decode(signature_hex.trim()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha512>::new_from_slice(secret) else {
        return false;
    };
    mac.update(raw_body);
    mac.verify_slice(&signature).is_ok()
}
