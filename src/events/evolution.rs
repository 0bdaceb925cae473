//! Evolution API webhooks: the envelope `{event, instance, data, date_time, sender, …}` and
//! the group events it forwards (research `evolution-and-meta-groups.md` §2.4):
//! `groups.upsert` (Baileys `GroupMetadata[]`: groups the account created or joined),
//! `group-participants.update` (`{id, author, participants, action}`, participants as JID
//! strings or as Baileys 7 objects `{id, phoneNumber?, lid?, admin?}` — both occur) and
//! group messages in `messages.upsert` (`data.key.remoteJid` ends in `@g.us`). `groups.update`
//! is never delivered by Evolution 2.3.x; it is read anyway, should a later one send it.

use serde_json::Value;

use super::json::{group, group_id, participants, text, unix_seconds, user};
use super::{EventKind, InboundEvent, RecipientType, ReplyTo};

/// One envelope into its events (one per group for `groups.upsert`).
pub(super) fn parse(value: &Value) -> Vec<InboundEvent> {
    let name = value.get("event").and_then(Value::as_str);
    let data = value.get("data").unwrap_or(&Value::Null);
    let mut events = match name {
        Some("groups.upsert") => groups(data, EventKind::GroupJoined),
        Some("groups.update") => groups(data, EventKind::GroupUpdated),
        Some("group-participants.update") => vec![participants_changed(data)],
        Some("messages.upsert") => vec![message(data)],
        _ => Vec::new(),
    };
    if events.is_empty() {
        events.push(InboundEvent::new(EventKind::Unknown));
    }
    let sent_at = unix_seconds(value.get("date_time"));
    for event in &mut events {
        event.event = name.map(str::to_owned);
        if event.timestamp.is_none() {
            event.timestamp = sent_at;
        }
    }
    events
}

/// `groups.upsert` / `groups.update`: a list of (partial) `GroupMetadata`, or one.
fn groups(data: &Value, kind: EventKind) -> Vec<InboundEvent> {
    let list = match data {
        Value::Array(list) => list.as_slice(),
        other => std::slice::from_ref(other),
    };
    list.iter()
        .filter_map(|raw| {
            let id = group_id(raw.get("id"))?;
            let mut event = InboundEvent::new(kind);
            event.group = group(raw);
            event.from = user(raw.get("authorPn")).or_else(|| user(raw.get("author")));
            event.group_id = Some(id);
            Some(event)
        })
        .collect()
}

/// `group-participants.update`: `{id, author, authorPn?, participants, action}`.
fn participants_changed(data: &Value) -> InboundEvent {
    let mut event = InboundEvent::new(EventKind::ParticipantsChanged);
    event.group_id = group_id(data.get("id"));
    if event.group_id.is_none() {
        return InboundEvent::new(EventKind::Unknown);
    }
    event.action = text(data.get("action")).map(|a| a.to_ascii_lowercase());
    event.from = user(data.get("authorPn")).or_else(|| user(data.get("author")));
    event.participants = participants(data.get("participants"), event.action.as_deref());
    event
}

/// `messages.upsert`: `{key: {remoteJid, fromMe, id, participant?, participantAlt?},
/// pushName, message: {conversation}, messageType, messageTimestamp}`. Only group messages
/// are ours: anything else (a direct chat, a status, a broadcast) stays `unknown`.
fn message(data: &Value) -> InboundEvent {
    let key = data.get("key").unwrap_or(&Value::Null);
    let Some(chat) = text(key.get("remoteJid")).filter(|c| c.ends_with("@g.us")) else {
        return direct_message(data, key);
    };
    let mut event = InboundEvent::new(EventKind::GroupMessage);
    event.group_id = group_id(Some(&Value::String(chat.clone())));
    if event.group_id.is_none() {
        return InboundEvent::new(EventKind::Unknown);
    }
    // Baileys 7 puts the phone twin of a `@lid` sender in `participantAlt`.
    let sender = user(key.get("participant"));
    let alt = user(key.get("participantAlt"));
    event.from = match (sender, alt) {
        (Some(s), Some(a)) if s.phone().is_none() && a.phone().is_some() => Some(a),
        (s, a) => s.or(a),
    };
    event.reply_to = Some(ReplyTo::new(chat, RecipientType::Group));
    event.text = message_text(data);
    event.timestamp = unix_seconds(data.get("messageTimestamp"));
    event
}

/// A message in a person's chat (`…@s.whatsapp.net`, `…@lid`), answered to that person.
fn direct_message(data: &Value, key: &Value) -> InboundEvent {
    let chat = text(key.get("remoteJid"));
    let person = chat
        .as_deref()
        .filter(|c| c.ends_with("@s.whatsapp.net") || c.ends_with("@lid") || c.ends_with("@c.us"));
    let Some(person) = person else {
        return InboundEvent::new(EventKind::Unknown);
    };
    let mut event = InboundEvent::new(EventKind::DirectMessage);
    event.from = user(Some(&Value::String(person.to_owned())));
    event.reply_to = Some(ReplyTo::new(person, RecipientType::Individual));
    event.text = message_text(data);
    event.timestamp = unix_seconds(data.get("messageTimestamp"));
    event
}

/// The text Evolution normalises into `message.conversation` (extended text included).
fn message_text(data: &Value) -> Option<String> {
    let message = data.get("message")?;
    text(message.get("conversation")).or_else(|| {
        text(
            message
                .get("extendedTextMessage")
                .and_then(|m| m.get("text")),
        )
    })
}
