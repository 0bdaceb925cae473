//! WAHA's engine-raw JSON (WEBJS, NOWEB, GOWS) and its normalisation into the model.
//!
//! One permissive struct per concept covers all three engines' spellings: each field is read
//! under every name an engine gives it (`read::field` with the names in order of
//! preference), straight from the parsed answer, whatever the engine. These types never
//! leave the providers.

use crate::error::{Error, ErrorCode, Result};
use crate::http::HttpResponse;
use crate::json::read::{self, Bad, Read, boolean, field, list, object, string};
use crate::json::{Doc, Json, Kind};
use crate::model::{
    Group, GroupId, GroupSettings, JoinRequest, Participant, ParticipantChange, ParticipantResult,
    RefusalReason, Role, UserId,
};
use crate::provider::{Member, Reported, accounted, align_results, reasons_for};

/// An id that WEBJS spells as `{server, user, _serialized}` and the other engines as a string.
#[derive(Debug, Default)]
pub(super) struct Jid(pub String);

/// Reads a [`Jid`]: a string, or an object with `_serialized` or both `user` and `server`
/// (each a string when present).
pub(super) fn jid(v: &Json<'_>) -> Read<Jid> {
    if let Some(s) = v.string() {
        return Ok(Jid(s));
    }
    if !v.is_object() {
        return Err(Bad::expected(
            "a WhatsApp id, as a string or as {server, user, _serialized}",
            v.kind(),
        ));
    }
    let serialized = field(v, &["_serialized"], string)?;
    let user = field(v, &["user"], string)?;
    let server = field(v, &["server"], string)?;
    match (serialized, user, server) {
        (Some(s), _, _) => Ok(Jid(s)),
        (None, Some(u), Some(s)) => Ok(Jid(format!("{u}@{s}"))),
        _ => Err(Bad::missing("_serialized")),
    }
}

/// A whole number in `T`'s range under the first of `keys` present; anything else is `None`
/// (one engine's odd value must not fail the answer).
fn number_at<T: TryFrom<u64>>(v: &Json<'_>, keys: &[&'static str]) -> Option<T> {
    v.any(keys).and_then(|n| n.whole())
}

/// A non-blank string under `key`; anything else is `None`.
fn text_at(v: &Json<'_>, key: &'static str) -> Option<String> {
    v.get(key).and_then(|t| t.text_value())
}

/// A participant as any engine (or WAHA's own `participants/v2`) spells it, in a group's
/// members or in the answer to a change.
#[derive(Debug, Default)]
pub(in crate::provider) struct RawParticipant {
    /// WEBJS/NOWEB/v2 `id`; GOWS `JID`; NOWEB change results `jid`.
    id: Option<Jid>,
    /// WEBJS `isAdmin`; GOWS `IsAdmin`.
    is_admin: bool,
    /// WEBJS `isSuperAdmin`; GOWS `IsSuperAdmin`.
    is_super_admin: bool,
    /// NOWEB `admin`: `null`, `"admin"` or `"superadmin"`.
    admin: Option<String>,
    /// v2 `role`: `left|participant|admin|superadmin`.
    role: Option<String>,
    /// NOWEB `phoneNumber`; GOWS `PhoneNumber`; v2 `pn`.
    phone_number: Option<Jid>,
    /// NOWEB `lid` (on a member listed by phone); GOWS `LID`.
    lid: Option<Jid>,
    /// NOWEB change results: the raw node, whose `attrs.phone_number` is the phone of a
    /// member the result names by LID (REFERENCE A3; research §3).
    content: Option<RawNode>,
    /// The per-person outcome of a change: GOWS `Error` (0 = applied), NOWEB `status`
    /// (`"200"`), WEBJS/WPP `code` or `statusCode`. Absent in a group's member list.
    outcome: Option<u16>,
    /// WEBJS: it sent this person an invite itself, their privacy refusing the add.
    invite_sent: Option<bool>,
    /// WEBJS/WPP's message for this person.
    message: Option<String>,
    /// Evolution's `name`, filled from its contacts database (no WAHA engine lists one).
    name: Option<String>,
}

/// Baileys' raw result node: only the twin ids in its attributes are read.
#[derive(Debug, Default)]
pub(super) struct RawNode {
    jid: Option<Jid>,
    phone_number: Option<Jid>,
    lid: Option<Jid>,
}

impl RawNode {
    /// `{attrs: {jid?, phone_number?, lid?, …}, …}`; anything else in it is not read.
    fn read(v: &Json<'_>) -> Read<RawNode> {
        object(v)?;
        let Some(attrs) = v.get("attrs") else {
            return Ok(RawNode::default());
        };
        object(&attrs).map_err(|bad| bad.at_key("attrs"))?;
        let id = |key| field(&attrs, &[key], jid).map_err(|bad| bad.at_key("attrs"));
        Ok(RawNode {
            jid: id("jid")?,
            phone_number: id("phone_number")?,
            lid: id("lid")?,
        })
    }
}

impl RawParticipant {
    /// One participant object, in any engine's spelling. A field of the wrong type (an id
    /// that is a number, a role flag that is a string) is an error; the outcome, the
    /// invite flag and the texts are read leniently instead.
    pub(in crate::provider) fn read(v: &Json<'_>) -> Read<RawParticipant> {
        if !v.is_object() {
            return Err(Bad::expected("a participant (an object)", v.kind()));
        }
        Ok(RawParticipant {
            id: field(v, &["id", "JID", "jid"], jid)?,
            is_admin: field(v, &["isAdmin", "IsAdmin"], boolean)?.unwrap_or(false),
            is_super_admin: field(v, &["isSuperAdmin", "IsSuperAdmin"], boolean)?.unwrap_or(false),
            admin: field(v, &["admin"], string)?,
            role: field(v, &["role"], string)?,
            phone_number: field(v, &["phoneNumber", "PhoneNumber", "pn"], jid)?,
            lid: field(v, &["lid", "LID"], jid)?,
            content: field(v, &["content"], RawNode::read)?,
            outcome: number_at(v, &["outcome", "Error", "status", "code", "statusCode"]),
            invite_sent: v.get("isInviteV4Sent").and_then(|b| b.boolean()),
            message: text_at(v, "message"),
            name: text_at(v, "name"),
        })
    }

    /// Every id this entry names the person by (twins included), normalised.
    pub(super) fn ids(&self) -> Vec<UserId> {
        let attrs = self.content.as_ref();
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

impl RawParticipants {
    /// A list of participants, or a map from id to the outcome for that person.
    pub(super) fn read(v: &Json<'_>) -> Read<RawParticipants> {
        if v.kind() == Kind::Array {
            return Ok(RawParticipants {
                list: list(v, RawParticipant::read)?,
                outcomes_only: false,
            });
        }
        let Some(entries) = read::entries(v) else {
            return Err(Bad::expected(
                "a list of participants or a map of participant results",
                v.kind(),
            ));
        };
        let mut list = Vec::with_capacity(entries.len());
        for (id, value) in entries {
            let outcome = match value {
                Some(value) => RawParticipant::read(&value),
                None => Err(Bad::expected("a participant (an object)", Kind::Null)),
            };
            let mut outcome = outcome.map_err(|bad| bad.at_key(&id))?;
            // Keyed by the id as requested; an entry without a code is not taken as
            // applied (`into_reported`).
            outcome.id = Some(Jid(id));
            list.push(outcome);
        }
        Ok(RawParticipants {
            list,
            outcomes_only: true,
        })
    }
}

/// A group as any engine spells it: WEBJS `GroupChat` (with `groupMetadata`) or its
/// `createGroup` result (`title`, `gid`), NOWEB `GroupMetadata`, GOWS `GroupInfo`.
#[derive(Debug, Default)]
pub(in crate::provider) struct RawGroup {
    /// WEBJS `id` object; NOWEB `id`; GOWS `JID`.
    id: Option<Jid>,
    /// WEBJS create result's group id.
    gid: Option<Jid>,
    /// WEBJS: the metadata of a `GroupChat`, in NOWEB's spelling.
    metadata: Option<Box<RawGroup>>,
    /// NOWEB/WEBJS metadata `subject`; GOWS `Name`.
    subject: Option<String>,
    /// WEBJS chat `name`; the create result's `title`.
    name: Option<String>,
    /// NOWEB/WEBJS `desc`; GOWS `Topic`.
    desc: Option<String>,
    /// NOWEB/WEBJS `owner`; GOWS `OwnerJID`.
    owner: Option<Jid>,
    /// NOWEB `ownerPn`; GOWS `OwnerPN`.
    owner_pn: Option<Jid>,
    /// NOWEB/WEBJS `creation`, Unix seconds.
    creation: Option<u64>,
    /// GOWS `GroupCreated`, RFC 3339.
    group_created: Option<String>,
    /// Every engine's participants.
    participants: Option<RawParticipants>,
    /// WEBJS metadata and NOWEB `size` (GOWS has none).
    size: Option<u32>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

impl RawGroup {
    /// One group object, in any engine's spelling. An id, text or member list of the wrong
    /// type is an error; `creation` and `size` are read leniently.
    pub(in crate::provider) fn read(v: &Json<'_>) -> Read<RawGroup> {
        if !v.is_object() {
            return Err(Bad::expected("a group (an object)", v.kind()));
        }
        Ok(RawGroup {
            id: field(v, &["id", "JID"], jid)?,
            gid: field(v, &["gid"], jid)?,
            metadata: field(v, &["groupMetadata"], |m| RawGroup::read(m).map(Box::new))?,
            subject: field(v, &["subject", "Name"], string)?,
            name: field(v, &["name", "title"], string)?,
            desc: field(v, &["desc", "Topic"], string)?,
            owner: field(v, &["owner", "OwnerJID"], jid)?,
            owner_pn: field(v, &["ownerPn", "OwnerPN"], jid)?,
            creation: number_at(v, &["creation"]),
            group_created: field(v, &["GroupCreated"], string)?,
            participants: field(v, &["participants", "Participants"], RawParticipants::read)?,
            size: number_at(v, &["size"]),
        })
    }

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
pub(super) fn group_list(v: &Json<'_>) -> Read<Vec<RawGroup>> {
    if v.kind() == Kind::Array {
        return list(v, RawGroup::read);
    }
    let Some(entries) = read::entries(v) else {
        return Err(Bad::expected(
            "a list of groups or a map of groups keyed by id",
            v.kind(),
        ));
    };
    entries
        .into_iter()
        .map(|(id, group)| {
            match group {
                Some(group) => RawGroup::read(&group),
                None => Err(Bad::expected("a group (an object)", Kind::Null)),
            }
            .map_err(|bad| bad.at_key(&id))
        })
        .collect()
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
#[derive(Debug, Default)]
pub(in crate::provider) struct RawSettings {
    metadata: Option<Box<RawSettings>>,
    /// WEBJS/NOWEB `restrict`; GOWS `IsLocked`.
    restrict: Option<bool>,
    /// WEBJS/NOWEB `announce`; GOWS `IsAnnounce`.
    announce: Option<bool>,
    /// NOWEB `memberAddMode` (bool); WEBJS/GOWS a mode string (`all_member_add`).
    members_can_add: Option<bool>,
    /// WEBJS `membershipApprovalMode`; NOWEB `joinApprovalMode`; GOWS `IsJoinApprovalRequired`.
    approval: Option<bool>,
}

impl RawSettings {
    /// The settings of one group object (a WEBJS `GroupChat` holds them in its
    /// `groupMetadata`). A flag of the wrong type is an error; the add mode is read as a
    /// boolean or a non-empty mode string, anything else as unknown.
    pub(in crate::provider) fn read(v: &Json<'_>) -> Read<RawSettings> {
        if !v.is_object() {
            return Err(Bad::expected("a group (an object)", v.kind()));
        }
        let members_can_add = v.any(&["memberAddMode", "MemberAddMode"]).and_then(|mode| {
            mode.boolean().or_else(|| {
                mode.string()
                    .filter(|m| !m.is_empty())
                    .map(|m| m == "all_member_add")
            })
        });
        Ok(RawSettings {
            metadata: field(v, &["groupMetadata"], |m| {
                RawSettings::read(m).map(Box::new)
            })?,
            restrict: field(v, &["restrict", "IsLocked"], boolean)?,
            announce: field(v, &["announce", "IsAnnounce"], boolean)?,
            members_can_add,
            approval: field(
                v,
                &[
                    "membershipApprovalMode",
                    "joinApprovalMode",
                    "IsJoinApprovalRequired",
                ],
                boolean,
            )?,
        })
    }

    pub(in crate::provider) fn into_settings(self) -> GroupSettings {
        if let Some(meta) = self.metadata {
            return meta.into_settings();
        }
        GroupSettings {
            info_admin_only: self.restrict,
            messages_admin_only: self.announce,
            members_can_add: self.members_can_add,
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
    let Ok(doc) = Doc::parse(&resp.body) else {
        return Err(unexpected("no outcome per participant"));
    };
    let root = doc.root();
    // An array of entries, or a map of id → outcome: the same reader as a group's members.
    match RawParticipants::read(&root) {
        Ok(p) if p.list.is_empty() && !p.outcomes_only => Ok(ChangeAnswer::Unverified),
        Ok(p) if p.list.is_empty() => Err(unexpected("no outcome per participant")),
        Ok(p) => Ok(ChangeAnswer::PerPerson(
            p.list
                .into_iter()
                .map(RawParticipant::into_reported)
                .collect(),
        )),
        // WEBJS's `{"status":200}` (a number or a string, and nothing else).
        Err(_) if bare_status(&root) == Some(200) => Ok(ChangeAnswer::Unverified),
        Err(_) => Err(unexpected("no outcome per participant")),
    }
}

/// The status of an object whose only field is `status`.
fn bare_status(v: &Json<'_>) -> Option<u16> {
    let keys = v.keys()?;
    if keys.iter().any(|key| key != "status") {
        return None;
    }
    number_at(v, &["status"])
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
    read::decode(resp, "join requests", |v| list(v, join_request))
}

fn join_request(v: &Json<'_>) -> Read<JoinRequest> {
    let requester = read::required(v, "requesterId", string)?;
    let mut request = JoinRequest::new(UserId::from_provider(&requester));
    if let Some(pn) = field(v, &["requesterPn"], string)? {
        let pn = UserId::from_provider(&pn);
        request.phone = pn.phone().map(str::to_owned).or(request.phone);
    }
    request.method = field(v, &["requestMethod"], string)?;
    // Seconds per the DTO; some engines send milliseconds.
    request.requested_at = number_at::<u64>(v, &["timestamp"])
        .map(|t| if t >= 1_000_000_000_000 { t / 1000 } else { t });
    Ok(request)
}

/// Approve/reject results: `[{requesterId, success, error?}]`, where `requesterId` may be
/// `null` (REFERENCE A2 `GroupJoinRequestResult`): such an entry names nobody and is paired
/// by position (see [`align_results`]). An entry without `success` did not succeed.
pub(super) fn join_request_results(resp: &HttpResponse) -> Result<Vec<Reported>> {
    read::decode(resp, "join request results", |v| {
        list(v, join_request_result)
    })
}

fn join_request_result(v: &Json<'_>) -> Read<Reported> {
    object(v)?;
    let requester = field(v, &["requesterId"], string)?;
    let ok = field(v, &["success"], boolean)? == Some(true);
    let error = number_at::<u16>(v, &["error"]);
    Ok(Reported {
        ids: requester
            .filter(|id| !id.trim().is_empty())
            .map(|id| UserId::from_provider(id.trim()))
            .into_iter()
            .collect(),
        ok,
        status: error.filter(|_| !ok),
        message: (!ok).then(|| match error {
            Some(code) => format!("WhatsApp did not apply this request (error {code})"),
            None => "WhatsApp did not apply this request".to_owned(),
        }),
        reason: None,
        invited: false,
    })
}

/// The message id of a `sendText` response: WEBJS `id._serialized`, GOWS `id`, NOWEB
/// `key` (built as WAHA does: `true_<remoteJid>_<id>`). `None` when the answer is not one
/// of these (an `id` that is no id, a `key` without both strings).
pub(super) fn message_id(body: &[u8]) -> Option<String> {
    let doc = Doc::parse(body).ok()?;
    let sent = doc.root();
    if !sent.is_object() {
        return None;
    }
    let id = match sent.get("id") {
        Some(id) => Some(jid(&id).ok()?.0),
        None => None,
    };
    let key = match sent.get("key") {
        Some(key) => {
            let part = |name| key.get(name).and_then(|v| v.string());
            Some(format!("true_{}_{}", part("remoteJid")?, part("id")?))
        }
        None => None,
    };
    id.or(key)
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

    fn read_jid(text: &str) -> Read<Jid> {
        jid(&Doc::parse(text.as_bytes()).unwrap().root())
    }

    #[test]
    fn jid_reads_both_spellings() {
        let a = read_jid(r#""1@g.us""#).unwrap();
        let b = read_jid(r#"{"server":"g.us","user":"1","_serialized":"1@g.us"}"#).unwrap();
        let c = read_jid(r#"{"server":"g.us","user":"1"}"#).unwrap();
        assert_eq!(
            (a.0.as_str(), b.0.as_str(), c.0.as_str()),
            ("1@g.us", "1@g.us", "1@g.us")
        );
    }

    #[test]
    fn jid_refuses_what_is_no_id() {
        for (text, why) in [
            ("5511988880000", "expected a WhatsApp id"),
            ("true", "expected a WhatsApp id"),
            (r#"{"user":"1"}"#, "missing field `_serialized`"),
            (
                r#"{"_serialized":1}"#,
                "_serialized: expected a string, found a number",
            ),
            (
                r#"{"_serialized":"1@c.us","user":2}"#,
                "user: expected a string",
            ),
        ] {
            let bad = read_jid(text).unwrap_err().to_string();
            assert!(bad.contains(why), "{text}: {bad}");
        }
    }
}
