//! WAHA webhooks: the envelope `{event, session, me?, timestamp?, payload, …}` and the
//! payloads of the group and message events (`REFERENCE.md` A6).

use super::json::{
    field, group, group_id, group_id_of, jid, participants, text, unix_seconds, user,
};
use super::{EventKind, InboundEvent, RecipientType, ReplyTo};
use crate::json::{Json, Kind};
use crate::model::{Participant, Role, UserId};

/// An event's payload, which may be missing or not an object: then it has no fields.
struct Fields<'a>(Option<Json<'a>>);

impl<'a> Fields<'a> {
    fn get(&self, key: &'static str) -> Option<Json<'a>> {
        field(self.0.as_ref(), key)
    }
}

/// One envelope into its events (one, except NOWEB's `group.join` list).
pub(super) fn parse(envelope: &Json<'_>) -> Vec<InboundEvent> {
    if !envelope.is_object() {
        return vec![InboundEvent::new(EventKind::Unknown)];
    }
    let name = envelope.get("event").and_then(|e| e.string());
    let payload = envelope.get("payload");
    let list = payload
        .as_ref()
        .filter(|p| p.kind() == Kind::Array)
        .and_then(|p| p.items());
    let fields = &Fields(payload);
    let me = jid(envelope.get("me").and_then(|me| me.get("id")));
    let mut events = match (name.as_deref(), list) {
        (Some("group.v2.join"), _) => vec![group_info(EventKind::GroupJoined, fields)],
        (Some("group.v2.leave"), _) => vec![group_info(EventKind::GroupLeft, fields)],
        (Some("group.v2.update"), _) => vec![group_info(EventKind::GroupUpdated, fields)],
        (Some("group.v2.participants"), _) => vec![participants_changed(fields)],
        (Some("group.v2.participants.join-request"), _) => vec![join_request(fields)],
        (Some("group.join"), Some(list)) => noweb_groups_joined(&list),
        (Some("group.join"), None) => vec![notification(fields, "join", me.as_deref())],
        (Some("group.leave"), _) => vec![notification(fields, "leave", me.as_deref())],
        (Some("message" | "message.any"), _) => vec![message(fields)],
        _ => vec![InboundEvent::new(EventKind::Unknown)],
    };
    for event in &mut events {
        event.event.clone_from(&name);
        if event.timestamp.is_none() {
            // [26.8] envelopes carry their own timestamp (ms).
            event.timestamp = unix_seconds(envelope.get("timestamp"));
        }
    }
    if events.is_empty() {
        let mut unknown = InboundEvent::new(EventKind::Unknown);
        unknown.event = name;
        events.push(unknown);
    }
    events
}

/// An event whose kind is only as good as its group id: without one it is `unknown`.
fn in_group(mut event: InboundEvent) -> InboundEvent {
    if event.group_id.is_none() {
        event.kind = EventKind::Unknown;
    }
    event
}

/// `group.v2.join` / `leave` / `update`: `{timestamp, group: GroupInfo | {id} | Partial}`.
fn group_info(kind: EventKind, fields: &Fields<'_>) -> InboundEvent {
    let mut event = InboundEvent::new(kind);
    let raw_group = fields.get("group");
    event.group_id = group_id(field(raw_group.as_ref(), "id"));
    event.timestamp = unix_seconds(fields.get("timestamp"));
    if kind != EventKind::GroupLeft {
        // `leave` carries only the id; a `Group` with an empty subject would say nothing more.
        event.group = raw_group.as_ref().and_then(group);
    }
    in_group(event)
}

/// `group.v2.participants`: `{group:{id}, type, timestamp, participants:[{id, pn?, role}]}`.
fn participants_changed(fields: &Fields<'_>) -> InboundEvent {
    let mut event = InboundEvent::new(EventKind::ParticipantsChanged);
    event.group_id = group_id(fields.get("group").and_then(|g| g.get("id")));
    event.action = text(fields.get("type")).map(|t| t.to_ascii_lowercase());
    event.participants = participants(fields.get("participants"), event.action.as_deref());
    event.timestamp = unix_seconds(fields.get("timestamp"));
    in_group(event)
}

/// `group.v2.participants.join-request`:
/// `{group:{id}, action, requesterId, requesterPn?, requestMethod?, timestamp}`.
fn join_request(fields: &Fields<'_>) -> InboundEvent {
    let mut event = InboundEvent::new(EventKind::JoinRequest);
    event.group_id = group_id(fields.get("group").and_then(|g| g.get("id")));
    event.action = text(fields.get("action"));
    event.from = user(fields.get("requesterId"));
    if let Some(requester) = &event.from {
        let mut member = Participant::new(requester.clone(), Role::Member);
        if let Some(pn) = user(fields.get("requesterPn")) {
            member.phone = pn.phone().map(str::to_owned).or(member.phone);
        }
        event.participants = vec![member];
    }
    event.timestamp = unix_seconds(fields.get("timestamp"));
    in_group(event)
}

/// NOWEB's deprecated `group.join`: a list of Baileys `GroupMetadata`, the groups the
/// account was added to.
fn noweb_groups_joined(list: &[Json<'_>]) -> Vec<InboundEvent> {
    list.iter()
        .filter_map(group)
        .map(|group| {
            let mut event = InboundEvent::new(EventKind::GroupJoined);
            event.group_id = Some(group.id.clone());
            event.group = Some(group);
            event
        })
        .collect()
}

/// WEBJS's deprecated `group.join` / `group.leave`: a whatsapp-web.js `GroupNotification`
/// `{id:{remote}, type, timestamp, chatId, author, recipientIds}`. It reports anyone joining
/// or leaving; when the account itself is among them (`me` in the envelope), or it created
/// the group, it is the account that joined or left.
fn notification(fields: &Fields<'_>, action: &str, me: Option<&str>) -> InboundEvent {
    let recipients = participants(fields.get("recipientIds"), Some(action));
    let is_me = me.is_some_and(|me| {
        let me = UserId::from_provider(me);
        recipients.iter().any(|p| p.id == me)
    });
    let created = text(fields.get("type")).as_deref() == Some("create");
    let kind = match action {
        "join" if is_me || created => EventKind::GroupJoined,
        "leave" if is_me => EventKind::GroupLeft,
        _ => EventKind::ParticipantsChanged,
    };
    let mut event = InboundEvent::new(kind);
    event.group_id = group_id(fields.get("chatId"))
        .or_else(|| group_id(fields.get("id").and_then(|id| id.get("remote"))));
    event.from = user(fields.get("author"));
    event.action = Some(action.to_owned());
    event.participants = recipients;
    event.timestamp = unix_seconds(fields.get("timestamp"));
    in_group(event)
}

fn is_group_chat(id: &str) -> bool {
    id.ends_with("@g.us")
}

/// `message` / `message.any`: `{id, timestamp, from, fromMe, to, participant?, body, …}`.
///
/// The chat is `from`, or `to` for the account's own messages; a chat ending in `@g.us` is a
/// group. Status updates (`status@broadcast`), broadcast lists and channels are neither a
/// group nor a person and stay `unknown`, so an auto-reply never answers them.
fn message(fields: &Fields<'_>) -> InboundEvent {
    let from = jid(fields.get("from"));
    let to = jid(fields.get("to"));
    let from_me = fields.get("fromMe").and_then(|f| f.boolean()) == Some(true);
    let chat = if from_me { to.clone() } else { from.clone() };
    // Engines disagree on which side of an own group message holds the group: check both.
    let group_chat = [&chat, &from, &to]
        .into_iter()
        .flatten()
        .find(|id| is_group_chat(id))
        .cloned();
    let mut event = match (group_chat, chat) {
        (Some(group), _) => {
            let mut event = InboundEvent::new(EventKind::GroupMessage);
            event.group_id = group_id_of(group.clone());
            event.from = user(fields.get("participant"))
                .or_else(|| user(fields.get("author")))
                .or_else(|| from.filter(|f| !is_group_chat(f)).map(|f| user_of(&f)));
            event.reply_to = Some(ReplyTo::new(group, RecipientType::Group));
            event
        }
        (None, Some(chat)) if is_person_chat(&chat) => {
            let mut event = InboundEvent::new(EventKind::DirectMessage);
            event.from = from.map(|f| user_of(&f));
            event.reply_to = Some(ReplyTo::new(chat, RecipientType::Individual));
            event
        }
        _ => InboundEvent::new(EventKind::Unknown),
    };
    if event.kind != EventKind::Unknown {
        event.text = fields
            .get("body")
            .and_then(|body| body.string())
            .filter(|body| !body.is_empty());
        event.timestamp = unix_seconds(fields.get("timestamp"));
    }
    event
}

fn user_of(id: &str) -> UserId {
    UserId::from_provider(id)
}

/// A person's chat: a phone id, its Baileys spelling, or a privacy id.
fn is_person_chat(id: &str) -> bool {
    ["@c.us", "@s.whatsapp.net", "@lid"]
        .iter()
        .any(|server| id.ends_with(server))
}
