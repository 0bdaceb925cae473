//! WAHA's engine-raw JSON (WEBJS, NOWEB, GOWS) and its normalisation into the model.
//!
//! One permissive struct per concept covers all three engines' spellings (serde aliases), so
//! a response is decoded in a single pass with no intermediate `Value`, whatever the engine.
//! These types never leave this module.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, Result};
use crate::http::HttpResponse;
use crate::model::{
    Group, GroupId, GroupSettings, JoinRequest, Participant, ParticipantResult, Role, UserId,
};

/// An id that WEBJS spells as `{server, user, _serialized}` and the other engines as a string.
#[derive(Debug, Default)]
pub(super) struct Jid(pub String);

impl<'de> Deserialize<'de> for Jid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Jid, D::Error> {
        struct JidVisitor;
        impl<'de> Visitor<'de> for JidVisitor {
            type Value = Jid;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a WhatsApp id, as a string or as {server, user, _serialized}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Jid, E> {
                Ok(Jid(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Jid, E> {
                Ok(Jid(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Jid, A::Error> {
                let (mut serialized, mut user, mut server) = (None, None, None);
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match &*key {
                        "_serialized" => serialized = Some(map.next_value::<String>()?),
                        "user" => user = Some(map.next_value::<String>()?),
                        "server" => server = Some(map.next_value::<String>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                match (serialized, user, server) {
                    (Some(s), _, _) => Ok(Jid(s)),
                    (None, Some(u), Some(s)) => Ok(Jid(format!("{u}@{s}"))),
                    _ => Err(de::Error::missing_field("_serialized")),
                }
            }
        }
        deserializer.deserialize_any(JidVisitor)
    }
}

/// A participant as any engine (or WAHA's own `participants/v2`) spells it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RawParticipant {
    /// WEBJS/NOWEB/v2 `id`; GOWS `JID`.
    #[serde(alias = "JID")]
    id: Option<Jid>,
    /// WEBJS `isAdmin`; GOWS `IsAdmin`.
    #[serde(rename = "isAdmin", alias = "IsAdmin")]
    is_admin: bool,
    /// WEBJS `isSuperAdmin`; GOWS `IsSuperAdmin`.
    #[serde(rename = "isSuperAdmin", alias = "IsSuperAdmin")]
    is_super_admin: bool,
    /// NOWEB `admin`: `null`, `"admin"` or `"superadmin"`.
    admin: Option<String>,
    /// v2 `role`: `left|participant|admin|superadmin`.
    role: Option<String>,
    /// NOWEB `phoneNumber`; GOWS `PhoneNumber`; v2 `pn`.
    #[serde(rename = "phoneNumber", alias = "PhoneNumber", alias = "pn")]
    phone_number: Option<String>,
}

impl RawParticipant {
    pub(super) fn into_participant(self) -> Option<Participant> {
        let id = UserId::from_provider(&self.id?.0);
        let role = match (self.admin.as_deref(), self.role.as_deref()) {
            (Some("superadmin"), _) | (_, Some("superadmin")) => Role::Superadmin,
            (Some("admin"), _) | (_, Some("admin")) => Role::Admin,
            (_, Some("left")) => return None,
            _ if self.is_super_admin => Role::Superadmin,
            _ if self.is_admin => Role::Admin,
            _ => Role::Member,
        };
        let mut participant = Participant::new(id, role);
        if let Some(pn) = self.phone_number.filter(|pn| !pn.is_empty()) {
            let pn = UserId::from_provider(&pn);
            if let Some(phone) = pn.phone() {
                participant.phone = Some(phone.to_owned());
            }
        }
        Some(participant)
    }
}

/// The participants of a group: a list (every engine's metadata), or WEBJS's create result,
/// a map from id to `{statusCode, …}` where 200 means the member was added.
#[derive(Debug, Default)]
pub(super) struct RawParticipants(Vec<RawParticipant>);

impl<'de> Deserialize<'de> for RawParticipants {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawParticipants;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of participants or a map of participant results")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(RawParticipants::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(p) = seq.next_element()? {
                    out.push(p);
                }
                Ok(RawParticipants(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                #[derive(Deserialize)]
                struct AddResult {
                    #[serde(rename = "statusCode", alias = "code")]
                    status_code: Option<u16>,
                }
                let mut out = Vec::new();
                while let Some((id, result)) = map.next_entry::<String, AddResult>()? {
                    if result.status_code.unwrap_or(200) == 200 {
                        out.push(RawParticipant {
                            id: Some(Jid(id)),
                            ..RawParticipant::default()
                        });
                    }
                }
                Ok(RawParticipants(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A group as any engine spells it: WEBJS `GroupChat` (with `groupMetadata`) or its
/// `createGroup` result (`title`, `gid`), NOWEB `GroupMetadata`, GOWS `GroupInfo`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RawGroup {
    /// WEBJS `id` object; NOWEB `id`; GOWS `JID`.
    #[serde(alias = "JID")]
    id: Option<Jid>,
    /// WEBJS create result's group id.
    gid: Option<Jid>,
    /// WEBJS: the metadata of a `GroupChat`, in NOWEB's spelling.
    #[serde(rename = "groupMetadata")]
    metadata: Option<Box<RawGroup>>,
    /// NOWEB/WEBJS metadata `subject`; GOWS `Name`.
    #[serde(alias = "Name")]
    subject: Option<String>,
    /// WEBJS chat `name`; the create result's `title`.
    #[serde(alias = "title")]
    name: Option<String>,
    /// NOWEB/WEBJS `desc`; GOWS `Topic`.
    #[serde(alias = "Topic")]
    desc: Option<String>,
    /// NOWEB/WEBJS `owner`; GOWS `OwnerJID`.
    #[serde(alias = "OwnerJID")]
    owner: Option<Jid>,
    /// NOWEB `ownerPn`; GOWS `OwnerPN`.
    #[serde(rename = "ownerPn", alias = "OwnerPN")]
    owner_pn: Option<Jid>,
    /// NOWEB/WEBJS `creation`, Unix seconds.
    creation: Option<u64>,
    /// GOWS `GroupCreated`, RFC 3339.
    #[serde(rename = "GroupCreated")]
    group_created: Option<String>,
    /// Every engine's participants.
    #[serde(alias = "Participants")]
    participants: Option<RawParticipants>,
    /// WEBJS metadata and NOWEB `size` (GOWS has none).
    size: Option<u32>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

impl RawGroup {
    /// Normalises into the model; `None` when the object carries no group id.
    pub(super) fn into_group(self) -> Option<Group> {
        if let Some(mut meta) = self.metadata {
            // A WEBJS `GroupChat`: the metadata holds everything; the chat fills gaps.
            meta.id = meta.id.or(self.id);
            meta.subject = non_empty(meta.subject).or(self.name);
            return meta.into_group();
        }
        let id = self.id.or(self.gid)?.0;
        let id = GroupId::new("id", id).ok()?;
        let subject = non_empty(self.subject).or(self.name).unwrap_or_default();
        let mut group = Group::new(id, subject);
        group.description = non_empty(self.desc);
        group.creator = self
            .owner_pn
            .map(|j| j.0)
            .filter(|s| !s.is_empty())
            .or_else(|| self.owner.map(|j| j.0).filter(|s| !s.is_empty()))
            .map(|s| UserId::from_provider(&s));
        group.created_at = self
            .creation
            .filter(|&t| t > 0)
            .or_else(|| self.group_created.as_deref().and_then(rfc3339_to_unix));
        group.participants = self
            .participants
            .map(|p| {
                p.0.into_iter()
                    .filter_map(RawParticipant::into_participant)
                    .collect()
            })
            .unwrap_or_default();
        // GOWS reports no size; its member list, when included, counts them.
        group.size = self.size.or_else(|| {
            let listed = group.participants.len();
            (listed > 0).then(|| u32::try_from(listed).unwrap_or(u32::MAX))
        });
        Some(group)
    }
}

/// `GET /groups`: an array (WEBJS, GOWS) or an object keyed by group id (NOWEB).
#[derive(Debug, Default)]
pub(super) struct RawGroupList(pub Vec<RawGroup>);

impl<'de> Deserialize<'de> for RawGroupList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawGroupList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of groups or a map of groups keyed by id")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(g) = seq.next_element()? {
                    out.push(g);
                }
                Ok(RawGroupList(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((_, g)) = map.next_entry::<IgnoredAny, RawGroup>()? {
                    out.push(g);
                }
                Ok(RawGroupList(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Unix seconds of an RFC 3339 timestamp (`2026-09-16T17:55:06-03:00`); `None` when it is
/// malformed or before 1970 (GOWS spells "unknown" as `0001-01-01T00:00:00Z`).
fn rfc3339_to_unix(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Skip fractional seconds, then read the offset.
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        rest = frac.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let h: i64 = rest.get(1..3)?.parse().ok()?;
            let m: i64 = rest.get(4..6)?.parse().ok()?;
            sign * (h * 3600 + m * 60)
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    u64::try_from(secs).ok().filter(|&t| t > 0)
}

/// The security settings inside a group object, in every engine's spelling.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RawSettings {
    #[serde(rename = "groupMetadata")]
    metadata: Option<Box<RawSettings>>,
    /// WEBJS/NOWEB `restrict`; GOWS `IsLocked`.
    #[serde(alias = "IsLocked")]
    restrict: Option<bool>,
    /// WEBJS/NOWEB `announce`; GOWS `IsAnnounce`.
    #[serde(alias = "IsAnnounce")]
    announce: Option<bool>,
    /// NOWEB `memberAddMode` (bool); WEBJS/GOWS a mode string.
    #[serde(rename = "memberAddMode", alias = "MemberAddMode")]
    member_add_mode: Option<serde_json::Value>,
    /// WEBJS `membershipApprovalMode`; NOWEB `joinApprovalMode`; GOWS `IsJoinApprovalRequired`.
    #[serde(
        rename = "membershipApprovalMode",
        alias = "joinApprovalMode",
        alias = "IsJoinApprovalRequired"
    )]
    approval: Option<bool>,
}

impl RawSettings {
    pub(super) fn into_settings(self) -> GroupSettings {
        if let Some(meta) = self.metadata {
            return meta.into_settings();
        }
        let members_can_add = match self.member_add_mode {
            Some(serde_json::Value::Bool(b)) => Some(b),
            Some(serde_json::Value::String(mode)) if !mode.is_empty() => {
                Some(mode == "all_member_add")
            }
            _ => None,
        };
        GroupSettings {
            info_admin_only: self.restrict,
            messages_admin_only: self.announce,
            members_can_add,
            approval_required: self.approval,
        }
    }
}

/// Per-participant outcomes of add/remove/promote/demote, in each engine's shape:
/// GOWS an array of participants with `Error`, NOWEB `[{status:"200", jid}]`, WEBJS add a
/// map `id → {code, message}`, WEBJS remove/promote/demote `{"status":200}` (all applied).
pub(super) fn participant_results(body: &[u8]) -> Result<Vec<ParticipantResult>> {
    use serde_json::Value;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::Decode(format!("participant results: {e}")))?;
    let status_of = |v: Option<&Value>| -> Option<u16> {
        match v? {
            Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    };
    let result = |id: &str, status: Option<u16>, message: Option<&Value>| {
        let id = UserId::from_provider(id);
        match status {
            Some(0 | 200) | None => ParticipantResult::ok(id),
            Some(code) => ParticipantResult::failed(
                id,
                Some(code),
                message
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("WhatsApp answered {code} for this participant")),
            ),
        }
    };
    let mut out = Vec::new();
    match &value {
        Value::Array(items) => {
            for item in items {
                // GOWS addresses by LID; its `PhoneNumber` is the id the caller sent.
                let phone = item
                    .get("PhoneNumber")
                    .and_then(Value::as_str)
                    .filter(|p| !p.is_empty());
                let id = phone
                    .or_else(|| item.get("JID").and_then(Value::as_str))
                    .or_else(|| item.get("jid").and_then(Value::as_str))
                    .or_else(|| item.get("id").and_then(Value::as_str));
                if let Some(id) = id {
                    let status = status_of(item.get("Error").or_else(|| item.get("status")));
                    out.push(result(id, status, item.get("message")));
                }
            }
        }
        Value::Object(map) if map.values().all(Value::is_object) => {
            for (id, outcome) in map {
                let status = status_of(outcome.get("code").or_else(|| outcome.get("statusCode")));
                out.push(result(id, status, outcome.get("message")));
            }
        }
        // `{"status":200}` and anything else without per-participant detail.
        _ => {}
    }
    Ok(out)
}

/// `GET …/participants/join-requests`: `[{requesterId, requesterPn?, requestMethod?, timestamp}]`.
pub(super) fn join_requests(resp: &HttpResponse) -> Result<Vec<JoinRequest>> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Raw {
        requester_id: String,
        #[serde(default)]
        requester_pn: Option<String>,
        #[serde(default)]
        request_method: Option<String>,
        #[serde(default)]
        timestamp: Option<u64>,
    }
    let raw: Vec<Raw> = resp.json("join requests")?;
    Ok(raw
        .into_iter()
        .map(|r| {
            let mut request = JoinRequest::new(UserId::from_provider(&r.requester_id));
            if let Some(pn) = r.requester_pn.map(|pn| UserId::from_provider(&pn)) {
                request.phone = pn.phone().map(str::to_owned).or(request.phone);
            }
            request.method = r.request_method;
            // Seconds per the DTO; some engines send milliseconds.
            request.requested_at = r
                .timestamp
                .map(|t| if t >= 1_000_000_000_000 { t / 1000 } else { t });
            request
        })
        .collect())
}

/// Approve/reject results: `[{requesterId, success, error?}]`.
pub(super) fn join_request_results(resp: &HttpResponse) -> Result<Vec<ParticipantResult>> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Raw {
        requester_id: Option<String>,
        success: bool,
        #[serde(default)]
        error: Option<u16>,
    }
    let raw: Vec<Raw> = resp.json("join request results")?;
    Ok(raw
        .into_iter()
        .filter_map(|r| {
            let id = UserId::from_provider(&r.requester_id?);
            Some(if r.success {
                ParticipantResult::ok(id)
            } else {
                ParticipantResult::failed(id, r.error, "WhatsApp did not apply this request")
            })
        })
        .collect())
}

/// The message id of a `sendText` response: WEBJS `id._serialized`, GOWS `id`, NOWEB
/// `key` (built as WAHA does: `true_<remoteJid>_<id>`).
pub(super) fn message_id(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Key {
        #[serde(rename = "remoteJid")]
        remote_jid: String,
        id: String,
    }
    #[derive(Deserialize)]
    struct Sent {
        id: Option<Jid>,
        key: Option<Key>,
    }
    let sent: Sent = serde_json::from_slice(body).ok()?;
    sent.id
        .map(|j| j.0)
        .or_else(|| sent.key.map(|k| format!("true_{}_{}", k.remote_jid, k.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_reads_offsets_and_rejects_unknown() {
        assert_eq!(rfc3339_to_unix("1970-01-01T00:00:01Z"), Some(1));
        assert_eq!(
            rfc3339_to_unix("2026-09-16T17:55:06-03:00"),
            Some(1_789_592_106)
        );
        assert_eq!(
            rfc3339_to_unix("2026-09-16T20:55:06.123Z"),
            Some(1_789_592_106)
        );
        assert_eq!(rfc3339_to_unix("0001-01-01T00:00:00Z"), None);
        assert_eq!(rfc3339_to_unix("yesterday"), None);
        assert_eq!(rfc3339_to_unix("2026-13-16T17:55:06Z"), None);
    }

    #[test]
    fn jid_reads_both_spellings() {
        let a: Jid = serde_json::from_str(r#""1@g.us""#).unwrap();
        let b: Jid =
            serde_json::from_str(r#"{"server":"g.us","user":"1","_serialized":"1@g.us"}"#).unwrap();
        let c: Jid = serde_json::from_str(r#"{"server":"g.us","user":"1"}"#).unwrap();
        assert_eq!(
            (a.0.as_str(), b.0.as_str(), c.0.as_str()),
            ("1@g.us", "1@g.us", "1@g.us")
        );
    }
}
