//! Lenient readers over a [`Json`] view, shared by the providers' event parsers.
//!
//! Webhook payloads vary by engine and version, and a handler must never fail on one: every
//! reader here returns `None` for anything it does not understand.

use crate::json::Json;
use crate::model::{Group, GroupId, Participant, Role, UserId};

/// `value[key]`, when there is a `value` (a payload part that may be missing).
pub(super) fn field<'a>(value: Option<&Json<'a>>, key: &'static str) -> Option<Json<'a>> {
    value?.get(key)
}

/// A non-empty string, or a whole number spelled as one (Wavy sends phone numbers either
/// way).
pub(super) fn text(value: Option<Json<'_>>) -> Option<String> {
    value?.id_text()
}

/// A WhatsApp id: a string, or WEBJS's `{_serialized}` / `{user, server}` object.
pub(super) fn jid(value: Option<Json<'_>>) -> Option<String> {
    let value = value?;
    if !value.is_object() {
        return text(Some(value));
    }
    text(value.get("_serialized")).or_else(|| {
        let user = text(value.get("user"))?;
        let server = text(value.get("server"))?;
        Some(format!("{user}@{server}"))
    })
}

/// A user id, normalised as everywhere in the crate (`@s.whatsapp.net` ⇒ `@c.us`).
pub(super) fn user(value: Option<Json<'_>>) -> Option<UserId> {
    jid(value).map(|id| UserId::from_provider(&id))
}

/// A group id.
pub(super) fn group_id(value: Option<Json<'_>>) -> Option<GroupId> {
    GroupId::new("groupId", jid(value)?).ok()
}

/// A group id already read as text (a chat id known to end in `@g.us`).
pub(super) fn group_id_of(id: String) -> Option<GroupId> {
    GroupId::new("groupId", id).ok()
}

/// 9999-12-31T23:59:59Z.
const LAST_SECOND_OF_9999: f64 = 253_402_300_799.0;

/// Unix seconds from a number or numeric string; values ≥ 10¹² are milliseconds (NOWEB and
/// GOWS stamp WAHA payloads with `Date.now()`). Zero, negative, non-finite and past the
/// year 9999 are unknown.
pub(super) fn unix_seconds(value: Option<Json<'_>>) -> Option<u64> {
    let value = value?;
    let raw = match value.number() {
        Some(n) => n,
        None => value.string()?.trim().parse::<f64>().ok()?,
    };
    if !raw.is_finite() || raw < 1.0 {
        return None;
    }
    let seconds = if raw >= 1e12 { raw / 1000.0 } else { raw };
    (seconds < LAST_SECOND_OF_9999).then_some(seconds as u64)
}

/// A role as the payload spells it: v2 `role`, NOWEB `admin`, WEBJS `isAdmin`/`isSuperAdmin`.
fn reported_role(entry: &Json<'_>) -> Role {
    let named = |key| entry.get(key).and_then(|v| v.string());
    let flag = |key| entry.get(key).and_then(|v| v.boolean()).unwrap_or(false);
    match (named("role").as_deref(), named("admin").as_deref()) {
        (Some("superadmin"), _) | (_, Some("superadmin")) => Role::Superadmin,
        (Some("admin"), _) | (_, Some("admin")) => Role::Admin,
        _ if flag("isSuperAdmin") => Role::Superadmin,
        _ if flag("isAdmin") => Role::Admin,
        _ => Role::Member,
    }
}

/// A participant: an id string, or `{id, pn?, role?}` (v2) and the engines' spellings.
/// `action` corrects the role where the change implies it: engines disagree on the role they
/// report for a demotion, so the `type` is trusted, not the role.
pub(super) fn participant(value: &Json<'_>, action: Option<&str>) -> Option<Participant> {
    let (id, role, phone) = if value.is_object() {
        (
            user(value.any(&["id", "JID"]))?,
            reported_role(value),
            user(value.any(&["pn", "phoneNumber"])),
        )
    } else {
        (user(Some(*value))?, Role::Member, None)
    };
    let role = match action {
        Some("promote") if role == Role::Member => Role::Admin,
        Some("demote") => Role::Member,
        _ => role,
    };
    let mut participant = Participant::new(id, role);
    if let Some(phone) = phone.as_ref().and_then(UserId::phone) {
        participant.phone = Some(phone.to_owned());
    }
    Some(participant)
}

/// A list of participants; anything that is not one is skipped.
pub(super) fn participants(value: Option<Json<'_>>, action: Option<&str>) -> Vec<Participant> {
    value
        .and_then(|v| v.items())
        .map(|list| {
            list.iter()
                .filter(|p| {
                    p.get("role").and_then(|r| r.string()).as_deref() != Some("left")
                        || action.is_some()
                })
                .filter_map(|p| participant(p, action))
                .collect()
        })
        .unwrap_or_default()
}

/// A group: WAHA's v2 `GroupInfo` (`description`) or a NOWEB `GroupMetadata` (`desc`,
/// `owner`, `creation`). `None` without an id.
pub(super) fn group(value: &Json<'_>) -> Option<Group> {
    if !value.is_object() {
        return None;
    }
    let id = group_id(value.get("id"))?;
    let subject = text(value.get("subject"))
        .or_else(|| text(value.get("name")))
        .unwrap_or_default();
    let mut group = Group::new(id, subject);
    group.description = text(value.get("description")).or_else(|| text(value.get("desc")));
    group.creator = user(value.get("ownerPn")).or_else(|| user(value.get("owner")));
    group.created_at = unix_seconds(value.get("creation"));
    group.participants = participants(value.get("participants"), None);
    Some(group)
}
