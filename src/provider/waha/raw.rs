//! WAHA's engine-raw JSON (WEBJS, NOWEB, GOWS) and its normalisation into the model.
//!
//! One permissive struct per concept covers all three engines' spellings (serde aliases), so
//! a response is decoded in a single pass with no intermediate `Value`, whatever the engine.
//! These types never leave this module.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, ErrorCode, Result};
use crate::http::HttpResponse;
use crate::model::{
    Group, GroupId, GroupSettings, JoinRequest, Participant, ParticipantChange, ParticipantResult,
    RefusalReason, Role, UserId,
};
use crate::provider::lenient;
use crate::provider::{Member, Reported, accounted, align_results, reasons_for};

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

/// A participant as any engine (or WAHA's own `participants/v2`) spells it, in a group's
/// members or in the answer to a change.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::provider) struct RawParticipant {
    /// WEBJS/NOWEB/v2 `id`; GOWS `JID`; NOWEB change results `jid`.
    #[serde(alias = "JID", alias = "jid")]
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
    phone_number: Option<Jid>,
    /// NOWEB `lid` (on a member listed by phone); GOWS `LID`.
    #[serde(alias = "LID")]
    lid: Option<Jid>,
    /// NOWEB change results: the raw node, whose `attrs.phone_number` is the phone of a
    /// member the result names by LID (REFERENCE A3; research §3).
    content: Option<RawNode>,
    /// The per-person outcome of a change: GOWS `Error` (0 = applied), NOWEB `status`
    /// (`"200"`), WEBJS/WPP `code` or `statusCode`. Absent in a group's member list.
    #[serde(
        alias = "Error",
        alias = "status",
        alias = "code",
        alias = "statusCode",
        deserialize_with = "lenient::number"
    )]
    outcome: Option<u16>,
    /// WEBJS: it sent this person an invite itself, their privacy refusing the add.
    #[serde(rename = "isInviteV4Sent", deserialize_with = "loose_bool")]
    invite_sent: Option<bool>,
    /// WEBJS/WPP's message for this person.
    #[serde(deserialize_with = "lenient::text")]
    message: Option<String>,
    /// Evolution's `name`, filled from its contacts database (no WAHA engine lists one).
    #[serde(deserialize_with = "lenient::text")]
    name: Option<String>,
}

/// Baileys' raw result node: only the twin ids in its attributes are read.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RawNode {
    attrs: RawNodeAttrs,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawNodeAttrs {
    jid: Option<Jid>,
    phone_number: Option<Jid>,
    lid: Option<Jid>,
}

/// A boolean, or `None` for anything else (an engine's odd value must not fail the answer).
fn loose_bool<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    struct LooseBool;
    impl<'de> de::Visitor<'de> for LooseBool {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a boolean")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    deserializer.deserialize_any(LooseBool)
}

impl RawParticipant {
    /// Every id this entry names the person by (twins included), normalised.
    pub(super) fn ids(&self) -> Vec<UserId> {
        let attrs = self.content.as_ref().map(|c| &c.attrs);
        let mut ids: Vec<UserId> = Vec::with_capacity(3);
        let candidates = [
            self.id.as_ref(),
            self.phone_number.as_ref(),
            self.lid.as_ref(),
            attrs.and_then(|a| a.jid.as_ref()),
            attrs.and_then(|a| a.phone_number.as_ref()),
            attrs.and_then(|a| a.lid.as_ref()),
        ];
        for jid in candidates.into_iter().flatten() {
            if jid.0.trim().is_empty() {
                continue;
            }
            let id = UserId::from_provider(jid.0.trim());
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Whether this entry's change outcome says it applied (0 or 200); `None` when the
    /// entry carries no outcome at all (a member list).
    fn applied(&self) -> Option<bool> {
        self.outcome.map(|code| matches!(code, 0 | 200))
    }

    /// This entry as the outcome of a change; an entry without an outcome did not say the
    /// change applied, so it is not taken as success.
    pub(in crate::provider) fn into_reported(self) -> Reported {
        let ok = self.applied() == Some(true);
        let status = self.outcome.filter(|code| !matches!(code, 0 | 200));
        Reported {
            ids: self.ids(),
            ok,
            status,
            message: self.message,
            reason: (!ok).then(|| RefusalReason::from_add_code(status)),
            invited: !ok && self.invite_sent == Some(true),
        }
    }

    /// The member this entry describes; `None` for someone who left, or an entry whose
    /// change outcome says they were not added.
    pub(in crate::provider) fn into_participant(self) -> Option<Participant> {
        if self.applied() == Some(false) {
            return None;
        }
        let role = self.role()?;
        let phone = self
            .phone_number
            .as_ref()
            .map(|pn| UserId::from_provider(pn.0.trim()))
            .and_then(|pn| pn.phone().map(str::to_owned));
        let lid = self
            .lid
            .as_ref()
            .map(|lid| UserId::from_provider(lid.0.trim()))
            .filter(UserId::is_lid);
        let mut participant = Participant::new(UserId::from_provider(&self.id?.0), role);
        if let Some(phone) = phone {
            participant.phone = Some(phone);
        }
        if participant.lid.is_none() {
            participant.lid = lid;
        }
        participant.name = self.name;
        Some(participant)
    }

    /// The role, or `None` for someone who left (v2 `role: "left"`).
    fn role(&self) -> Option<Role> {
        Some(match (self.admin.as_deref(), self.role.as_deref()) {
            (Some("superadmin"), _) | (_, Some("superadmin")) => Role::Superadmin,
            (Some("admin"), _) | (_, Some("admin")) => Role::Admin,
            (_, Some("left")) => return None,
            _ if self.is_super_admin => Role::Superadmin,
            _ if self.is_admin => Role::Admin,
            _ => Role::Member,
        })
    }

    /// The member as a read-back of the group shows them: every id, and the role.
    pub(in crate::provider) fn into_member(self) -> Option<Member> {
        if self.applied() == Some(false) {
            return None;
        }
        let role = self.role()?;
        let ids = self.ids();
        (!ids.is_empty()).then_some(Member { ids, role })
    }
}

/// The participants of a group: a list (every engine's metadata), or WEBJS's create result,
/// a map from id to `{statusCode, message, …}` that lists only the people the create tried
/// to add — not the creator, and not the group's members.
#[derive(Debug, Default)]
pub(super) struct RawParticipants {
    list: Vec<RawParticipant>,
    /// The map form: outcomes of the adds, not the group's members.
    outcomes_only: bool,
}

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
                let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(p) = seq.next_element()? {
                    list.push(p);
                }
                Ok(RawParticipants {
                    list,
                    outcomes_only: false,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut list = Vec::new();
                while let Some((id, mut outcome)) = map.next_entry::<String, RawParticipant>()? {
                    // Keyed by the id as requested; an entry without a code is not
                    // taken as applied (`into_reported`).
                    outcome.id = Some(Jid(id));
                    list.push(outcome);
                }
                Ok(RawParticipants {
                    list,
                    outcomes_only: true,
                })
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A group as any engine spells it: WEBJS `GroupChat` (with `groupMetadata`) or its
/// `createGroup` result (`title`, `gid`), NOWEB `GroupMetadata`, GOWS `GroupInfo`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::provider) struct RawGroup {
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
    #[serde(deserialize_with = "lenient::number")]
    creation: Option<u64>,
    /// GOWS `GroupCreated`, RFC 3339.
    #[serde(rename = "GroupCreated")]
    group_created: Option<String>,
    /// Every engine's participants.
    #[serde(alias = "Participants")]
    participants: Option<RawParticipants>,
    /// WEBJS metadata and NOWEB `size` (GOWS has none).
    #[serde(deserialize_with = "lenient::number")]
    size: Option<u32>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

impl RawGroup {
    /// The outcome of a create for each of the `requested` first members: WEBJS reports
    /// one per person, GOWS marks a refused add with its `Error`, and NOWEB lists who is
    /// in the new group — anyone not accounted for was not added.
    pub(in crate::provider) fn added(&self, requested: &[UserId]) -> Vec<ParticipantResult> {
        let source = self.metadata.as_deref().unwrap_or(self);
        let reported: Vec<Reported> = source
            .participants
            .as_ref()
            .map(|p| {
                p.list
                    .iter()
                    .map(|entry| {
                        let status = entry.outcome.filter(|code| !matches!(code, 0 | 200));
                        Reported {
                            ids: entry.ids(),
                            // In a member list, being listed without an outcome is being in.
                            ok: entry.applied().unwrap_or(!p.outcomes_only),
                            status,
                            message: entry.message.clone(),
                            reason: Some(RefusalReason::from_add_code(status)),
                            invited: entry.invite_sent == Some(true)
                                && entry.applied() == Some(false),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut added = reasons_for(ParticipantChange::Add, align_results(requested, &reported));
        for (result, entry) in added.iter_mut().zip(accounted(requested, &reported)) {
            if entry.is_none() {
                result.message = Some("was not added: not a member of the new group".into());
            }
        }
        added
    }

    /// Normalises into the model; `None` when the object carries no group id.
    pub(in crate::provider) fn into_group(self) -> Option<Group> {
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
        let participants = self.participants.unwrap_or_default();
        if !participants.outcomes_only {
            group.participants = participants
                .list
                .into_iter()
                .filter_map(RawParticipant::into_participant)
                .collect();
        }
        // GOWS reports no size; its member list, when included, counts them. WEBJS's
        // create answer lists only the people it tried to add: it says nothing of the size.
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
pub(in crate::provider) struct RawSettings {
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
    pub(in crate::provider) fn into_settings(self) -> GroupSettings {
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

/// What WAHA answered to add/remove/promote/demote.
#[derive(Debug)]
pub(in crate::provider) enum ChangeAnswer {
    /// One entry per person: GOWS an array of participants with `Error`, NOWEB
    /// `[{status:"200", jid, content}]`, WEBJS (and WPP) add a map `id → {code, message}`.
    PerPerson(Vec<Reported>),
    /// A success that says nothing per person: WEBJS's `{"status":200}` for
    /// remove/promote/demote (sent even when WhatsApp refused), `true`, or an empty body
    /// (an older WAHA). Only a read of the group can tell what happened.
    Unverified,
}

/// Reads a 2xx answer to a participant change (REFERENCE A3; research §3). Only the
/// shapes above are accepted: anything else is a `decode` error, never "all applied".
/// WEBJS's refusal — HTTP 200 with the text `AddParticipantsError: You have no admin
/// rights…` — is `forbidden`; its other `…Error: …` texts are `server` errors.
pub(in crate::provider) fn participant_results(resp: &HttpResponse) -> Result<ChangeAnswer> {
    let text = String::from_utf8_lossy(&resp.body);
    let text = text.trim();
    if text.is_empty() {
        return Ok(ChangeAnswer::Unverified);
    }
    if !matches!(text.as_bytes()[0], b'{' | b'[') {
        return refusal(resp.status, text.trim_matches('"'));
    }
    // An array of entries, or a map of id → outcome: the same reader as a group's members.
    match serde_json::from_slice::<RawParticipants>(&resp.body) {
        Ok(p) if p.list.is_empty() && !p.outcomes_only => Ok(ChangeAnswer::Unverified),
        Ok(p) if p.list.is_empty() => Err(unexpected("no outcome per participant")),
        Ok(p) => Ok(ChangeAnswer::PerPerson(
            p.list
                .into_iter()
                .map(RawParticipant::into_reported)
                .collect(),
        )),
        // WEBJS's `{"status":200}` (a number or a string, and nothing else).
        Err(_) => match serde_json::from_slice::<BareStatus>(&resp.body) {
            Ok(BareStatus { status: Some(200) }) => Ok(ChangeAnswer::Unverified),
            _ => Err(unexpected("no outcome per participant")),
        },
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BareStatus {
    #[serde(deserialize_with = "lenient::number")]
    status: Option<u16>,
}

fn unexpected(what: &str) -> Error {
    Error::Decode(format!("participant results: unexpected answer ({what})"))
}

/// A 2xx answer that is text, not JSON: WEBJS returns its library's error as a string
/// (research §3). `true` is a bare success; `false` and missing admin rights are refusals.
fn refusal(status: u16, text: &str) -> Result<ChangeAnswer> {
    let lower = text.to_ascii_lowercase();
    let excerpt: String = text.chars().take(300).collect();
    let (code, message) = if text == "true" {
        return Ok(ChangeAnswer::Unverified);
    } else if text == "false" || lower.contains("admin rights") || lower.contains("not-authorized")
    {
        (
            ErrorCode::Forbidden,
            if text == "false" {
                "WhatsApp refused the change (is the account an admin of the group?)".to_owned()
            } else {
                excerpt
            },
        )
    } else if text
        .split_once(':')
        .is_some_and(|(name, _)| name.ends_with("Error") && !name.contains(char::is_whitespace))
    {
        (ErrorCode::Server, excerpt)
    } else {
        return Err(unexpected("text"));
    };
    Err(Error::Status {
        code,
        status,
        message,
        retry_after_ms: None,
    })
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
        #[serde(default, deserialize_with = "lenient::number")]
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

/// Approve/reject results: `[{requesterId, success, error?}]`, where `requesterId` may be
/// `null` (REFERENCE A2 `GroupJoinRequestResult`): such an entry names nobody and is paired
/// by position (see [`align_results`]). An entry without `success` did not succeed.
pub(super) fn join_request_results(resp: &HttpResponse) -> Result<Vec<Reported>> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Raw {
        #[serde(default)]
        requester_id: Option<String>,
        #[serde(default)]
        success: Option<bool>,
        #[serde(default, deserialize_with = "lenient::number")]
        error: Option<u16>,
    }
    let raw: Vec<Raw> = resp.json("join request results")?;
    Ok(raw
        .into_iter()
        .map(|r| {
            let ok = r.success == Some(true);
            Reported {
                ids: r
                    .requester_id
                    .filter(|id| !id.trim().is_empty())
                    .map(|id| UserId::from_provider(id.trim()))
                    .into_iter()
                    .collect(),
                ok,
                status: r.error.filter(|_| !ok),
                message: (!ok).then(|| match r.error {
                    Some(code) => format!("WhatsApp did not apply this request (error {code})"),
                    None => "WhatsApp did not apply this request".to_owned(),
                }),
                reason: None,
                invited: false,
            }
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
