//! Lenient readers over `serde_json::Value`, shared by the providers' event parsers.
//!
//! Webhook payloads vary by engine and version, and a handler must never fail on one: every
//! reader here returns `None` for anything it does not understand.

use serde_json::Value;

use crate::model::{Group, GroupId, Participant, Role, UserId};

/// A non-empty string, or a whole number spelled as one (Wavy sends phone numbers either
/// way).
pub(super) fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => crate::http::integer_text(n),
        _ => None,
    }
}

/// A WhatsApp id: a string, or WEBJS's `{_serialized}` / `{user, server}` object.
pub(super) fn jid(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Object(map) => text(map.get("_serialized")).or_else(|| {
            let user = text(map.get("user"))?;
            let server = text(map.get("server"))?;
            Some(format!("{user}@{server}"))
        }),
        other => text(Some(other)),
    }
}

/// A user id, normalised as everywhere in the crate (`@s.whatsapp.net` ⇒ `@c.us`).
pub(super) fn user(value: Option<&Value>) -> Option<UserId> {
    jid(value).map(|id| UserId::from_provider(&id))
}

/// A group id.
pub(super) fn group_id(value: Option<&Value>) -> Option<GroupId> {
    GroupId::new("groupId", jid(value)?).ok()
}

/// 9999-12-31T23:59:59Z.
const LAST_SECOND_OF_9999: f64 = 253_402_300_799.0;

/// Unix seconds from a number or numeric string; values ≥ 10¹² are milliseconds (NOWEB and
/// GOWS stamp WAHA payloads with `Date.now()`). Zero, negative, non-finite and past the
/// year 9999 are unknown.
pub(super) fn unix_seconds(value: Option<&Value>) -> Option<u64> {
    let raw = match value? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !raw.is_finite() || raw < 1.0 {
        return None;
    }
    let seconds = if raw >= 1e12 { raw / 1000.0 } else { raw };
    (seconds < LAST_SECOND_OF_9999).then_some(seconds as u64)
}

/// A role as the payload spells it: v2 `role`, NOWEB `admin`, WEBJS `isAdmin`/`isSuperAdmin`.
fn reported_role(map: &serde_json::Map<String, Value>) -> Role {
    let named = |key: &str| map.get(key).and_then(Value::as_str);
    let flag = |key: &str| map.get(key).and_then(Value::as_bool).unwrap_or(false);
    match (named("role"), named("admin")) {
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
pub(super) fn participant(value: &Value, action: Option<&str>) -> Option<Participant> {
    let (id, role, phone) = match value {
        Value::Object(map) => (
            user(map.get("id").or_else(|| map.get("JID")))?,
            reported_role(map),
            user(map.get("pn").or_else(|| map.get("phoneNumber"))),
        ),
        other => (user(Some(other))?, Role::Member, None),
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
pub(super) fn participants(value: Option<&Value>, action: Option<&str>) -> Vec<Participant> {
    value
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter(|p| {
                    p.get("role").and_then(Value::as_str) != Some("left") || action.is_some()
                })
                .filter_map(|p| participant(p, action))
                .collect()
        })
        .unwrap_or_default()
}

/// A group: WAHA's v2 `GroupInfo` (`description`) or a NOWEB `GroupMetadata` (`desc`,
/// `owner`, `creation`). `None` without an id.
pub(super) fn group(value: &Value) -> Option<Group> {
    let map = value.as_object()?;
    let id = group_id(map.get("id"))?;
    let subject = text(map.get("subject"))
        .or_else(|| text(map.get("name")))
        .unwrap_or_default();
    let mut group = Group::new(id, subject);
    group.description = text(map.get("description")).or_else(|| text(map.get("desc")));
    group.creator = user(map.get("ownerPn")).or_else(|| user(map.get("owner")));
    group.created_at = unix_seconds(map.get("creation"));
    group.participants = participants(map.get("participants"), None);
    Some(group)
}
