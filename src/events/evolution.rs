//! Evolution API webhooks: the envelope `{event, instance, data, date_time, sender, …}` and
//! the group events it forwards (research `evolution-and-meta-groups.md` §2.4):
//! `groups.upsert` (Baileys `GroupMetadata[]`: groups the account created or joined),
//! `group-participants.update` (`{id, author, participants, action}`, participants as JID
//! strings or as Baileys 7 objects `{id, phoneNumber?, lid?, admin?}` — both occur) and
//! group messages in `messages.upsert` (`data.key.remoteJid` ends in `@g.us`). `groups.update`
//! is never delivered by Evolution 2.3.x; it is read anyway, should a later one send it.

use super::json::{field, group, group_id, group_id_of, participants, text, unix_seconds, user};
use super::{EventKind, InboundEvent, RecipientType, ReplyTo};
use crate::json::{Json, Kind};
use crate::model::UserId;

/// One envelope into its events (one per group for `groups.upsert`).
pub(super) fn parse(value: &Json<'_>) -> Vec<InboundEvent> {
    let name = value.get("event").and_then(|e| e.string());
    let data = value.get("data");
    let data = data.as_ref();
    let mut events = match name.as_deref() {
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
        event.event.clone_from(&name);
        if event.timestamp.is_none() {
            event.timestamp = sent_at;
        }
    }
    events
}

/// `groups.upsert` / `groups.update`: a list of (partial) `GroupMetadata`, or one.
fn groups(data: Option<&Json<'_>>, kind: EventKind) -> Vec<InboundEvent> {
    let list = match data {
        Some(list) if list.kind() == Kind::Array => list.items().unwrap_or_default(),
        Some(one) => vec![*one],
        None => Vec::new(),
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
fn participants_changed(data: Option<&Json<'_>>) -> InboundEvent {
    let mut event = InboundEvent::new(EventKind::ParticipantsChanged);
    event.group_id = group_id(field(data, "id"));
    if event.group_id.is_none() {
        return InboundEvent::new(EventKind::Unknown);
    }
    event.action = text(field(data, "action")).map(|a| a.to_ascii_lowercase());
    event.from = user(field(data, "authorPn")).or_else(|| user(field(data, "author")));
    event.participants = participants(field(data, "participants"), event.action.as_deref());
    event
}

/// `messages.upsert`: `{key: {remoteJid, fromMe, id, participant?, participantAlt?},
/// pushName, message: {conversation}, messageType, messageTimestamp}`. Only group messages
/// are ours: anything else (a direct chat, a status, a broadcast) stays `unknown`.
fn message(data: Option<&Json<'_>>) -> InboundEvent {
    let key = field(data, "key");
    let key = key.as_ref();
    let Some(chat) = text(field(key, "remoteJid")).filter(|c| c.ends_with("@g.us")) else {
        return direct_message(data, key);
    };
    let mut event = InboundEvent::new(EventKind::GroupMessage);
    event.group_id = group_id_of(chat.clone());
    if event.group_id.is_none() {
        return InboundEvent::new(EventKind::Unknown);
    }
    // Baileys 7 puts the phone twin of a `@lid` sender in `participantAlt`.
    let sender = user(field(key, "participant"));
    let alt = user(field(key, "participantAlt"));
    event.from = match (sender, alt) {
        (Some(s), Some(a)) if s.phone().is_none() && a.phone().is_some() => Some(a),
        (s, a) => s.or(a),
    };
    event.reply_to = Some(ReplyTo::new(chat, RecipientType::Group));
    event.text = message_text(data);
    event.timestamp = unix_seconds(field(data, "messageTimestamp"));
    event
}

/// A message in a person's chat (`…@s.whatsapp.net`, `…@lid`), answered to that person.
fn direct_message(data: Option<&Json<'_>>, key: Option<&Json<'_>>) -> InboundEvent {
    let chat = text(field(key, "remoteJid"));
    let person = chat
        .as_deref()
        .filter(|c| c.ends_with("@s.whatsapp.net") || c.ends_with("@lid") || c.ends_with("@c.us"));
    let Some(person) = person else {
        return InboundEvent::new(EventKind::Unknown);
    };
    let mut event = InboundEvent::new(EventKind::DirectMessage);
    event.from = Some(UserId::from_provider(person));
    event.reply_to = Some(ReplyTo::new(person, RecipientType::Individual));
    event.text = message_text(data);
    event.timestamp = unix_seconds(field(data, "messageTimestamp"));
    event
}

/// The text Evolution normalises into `message.conversation` (extended text included).
fn message_text(data: Option<&Json<'_>>) -> Option<String> {
    let message = field(data, "message")?;
    text(message.get("conversation")).or_else(|| {
        text(
            message
                .get("extendedTextMessage")
                .and_then(|m| m.get("text")),
        )
    })
}
