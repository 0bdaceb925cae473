//! WAHA's engine-raw group list (WEBJS, NOWEB, GOWS) and its normalisation into the neutral
//! [`Group`]: a copy of the group-list half of `src/provider/waha/raw.rs`, the same fields,
//! the same serde attributes (under `serde-derive`), the same rules in `into_group`. Each
//! candidate fills these structs its own way; the normalisation is shared, so the sizes
//! differ only by the decoding and the hand-over to JS.

use crate::neutral::{Group, Participant, Role, from_provider, is_lid, phone};

/// An id that WEBJS spells as `{server, user, _serialized}` and the other engines as a string.
#[derive(Debug, Default)]
pub struct Jid(pub String);

/// A participant as any engine spells it (see the original for each field's engines).
/// `content`, `outcome`'s twins, `invite_sent` and `message` are read by the core's change
/// results (`into_reported`), not by a group listing; decoded here as the core decodes them.
#[allow(dead_code)]
#[derive(Debug, Default)]
#[cfg_attr(feature = "serde-derive", derive(serde::Deserialize), serde(default))]
pub struct RawParticipant {
    /// WEBJS/NOWEB/v2 `id`; GOWS `JID`; NOWEB change results `jid`.
    #[cfg_attr(feature = "serde-derive", serde(alias = "JID", alias = "jid"))]
    pub id: Option<Jid>,
    /// WEBJS `isAdmin`; GOWS `IsAdmin`.
    #[cfg_attr(feature = "serde-derive", serde(rename = "isAdmin", alias = "IsAdmin"))]
    pub is_admin: bool,
    /// WEBJS `isSuperAdmin`; GOWS `IsSuperAdmin`.
    #[cfg_attr(
        feature = "serde-derive",
        serde(rename = "isSuperAdmin", alias = "IsSuperAdmin")
    )]
    pub is_super_admin: bool,
    /// NOWEB `admin`: `null`, `"admin"` or `"superadmin"`.
    pub admin: Option<String>,
    /// v2 `role`: `left|participant|admin|superadmin`.
    pub role: Option<String>,
    /// NOWEB `phoneNumber`; GOWS `PhoneNumber`; v2 `pn`.
    #[cfg_attr(
        feature = "serde-derive",
        serde(rename = "phoneNumber", alias = "PhoneNumber", alias = "pn")
    )]
    pub phone_number: Option<Jid>,
    /// NOWEB `lid`; GOWS `LID`.
    #[cfg_attr(feature = "serde-derive", serde(alias = "LID"))]
    pub lid: Option<Jid>,
    /// NOWEB change results: the raw node (`attrs.{jid, phone_number, lid}`).
    pub content: Option<RawNode>,
    /// GOWS `Error`, NOWEB `status`, WEBJS/WPP `code` or `statusCode`.
    #[cfg_attr(
        feature = "serde-derive",
        serde(
            alias = "Error",
            alias = "status",
            alias = "code",
            alias = "statusCode",
            deserialize_with = "crate::serde_de::number"
        )
    )]
    pub outcome: Option<u16>,
    /// WEBJS: it sent this person an invite itself.
    #[cfg_attr(
        feature = "serde-derive",
        serde(
            rename = "isInviteV4Sent",
            deserialize_with = "crate::serde_de::loose_bool"
        )
    )]
    pub invite_sent: Option<bool>,
    /// WEBJS/WPP's message for this person.
    #[cfg_attr(
        feature = "serde-derive",
        serde(deserialize_with = "crate::serde_de::text")
    )]
    pub message: Option<String>,
    /// Evolution's `name`.
    #[cfg_attr(
        feature = "serde-derive",
        serde(deserialize_with = "crate::serde_de::text")
    )]
    pub name: Option<String>,
}

/// Baileys' raw result node: only the twin ids in its attributes are read.
#[allow(dead_code)]
#[derive(Debug, Default)]
#[cfg_attr(feature = "serde-derive", derive(serde::Deserialize), serde(default))]
pub struct RawNode {
    pub attrs: RawNodeAttrs,
}

#[allow(dead_code)]
#[derive(Debug, Default)]
#[cfg_attr(feature = "serde-derive", derive(serde::Deserialize), serde(default))]
pub struct RawNodeAttrs {
    pub jid: Option<Jid>,
    pub phone_number: Option<Jid>,
    pub lid: Option<Jid>,
}

/// The participants of a group: a list, or WEBJS's create result (a map id → outcome).
#[derive(Debug, Default)]
pub struct RawParticipants {
    pub list: Vec<RawParticipant>,
    pub outcomes_only: bool,
}

/// A group as any engine spells it.
#[derive(Debug, Default)]
#[cfg_attr(feature = "serde-derive", derive(serde::Deserialize), serde(default))]
pub struct RawGroup {
    /// WEBJS `id` object; NOWEB `id`; GOWS `JID`.
    #[cfg_attr(feature = "serde-derive", serde(alias = "JID"))]
    pub id: Option<Jid>,
    /// WEBJS create result's group id.
    pub gid: Option<Jid>,
    /// WEBJS: the metadata of a `GroupChat`, in NOWEB's spelling.
    #[cfg_attr(feature = "serde-derive", serde(rename = "groupMetadata"))]
    pub metadata: Option<Box<RawGroup>>,
    /// NOWEB/WEBJS metadata `subject`; GOWS `Name`.
    #[cfg_attr(feature = "serde-derive", serde(alias = "Name"))]
    pub subject: Option<String>,
    /// WEBJS chat `name`; the create result's `title`.
    #[cfg_attr(feature = "serde-derive", serde(alias = "title"))]
    pub name: Option<String>,
    /// NOWEB/WEBJS `desc`; GOWS `Topic`.
    #[cfg_attr(feature = "serde-derive", serde(alias = "Topic"))]
    pub desc: Option<String>,
    /// NOWEB/WEBJS `owner`; GOWS `OwnerJID`.
    #[cfg_attr(feature = "serde-derive", serde(alias = "OwnerJID"))]
    pub owner: Option<Jid>,
    /// NOWEB `ownerPn`; GOWS `OwnerPN`.
    #[cfg_attr(feature = "serde-derive", serde(rename = "ownerPn", alias = "OwnerPN"))]
    pub owner_pn: Option<Jid>,
    /// NOWEB/WEBJS `creation`, Unix seconds.
    #[cfg_attr(
        feature = "serde-derive",
        serde(deserialize_with = "crate::serde_de::number")
    )]
    pub creation: Option<u64>,
    /// GOWS `GroupCreated`, RFC 3339.
    #[cfg_attr(feature = "serde-derive", serde(rename = "GroupCreated"))]
    pub group_created: Option<String>,
    /// Every engine's participants.
    #[cfg_attr(feature = "serde-derive", serde(alias = "Participants"))]
    pub participants: Option<RawParticipants>,
    /// WEBJS metadata and NOWEB `size`.
    #[cfg_attr(
        feature = "serde-derive",
        serde(deserialize_with = "crate::serde_de::number")
    )]
    pub size: Option<u32>,
}

/// `GET /groups`: an array (WEBJS, GOWS) or an object keyed by group id (NOWEB).
#[derive(Debug, Default)]
pub struct RawGroupList(pub Vec<RawGroup>);

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

impl RawParticipant {
    fn applied(&self) -> Option<bool> {
        self.outcome.map(|code| matches!(code, 0 | 200))
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

    /// The member this entry describes; `None` for someone who left, or an entry whose
    /// change outcome says they were not added.
    pub fn into_participant(self) -> Option<Participant> {
        if self.applied() == Some(false) {
            return None;
        }
        let role = self.role()?;
        let phone = self
            .phone_number
            .as_ref()
            .map(|pn| from_provider(pn.0.trim()))
            .and_then(|pn| phone(&pn).map(str::to_owned));
        let lid = self
            .lid
            .as_ref()
            .map(|lid| from_provider(lid.0.trim()))
            .filter(|id| is_lid(id));
        let mut participant = Participant::new(from_provider(&self.id?.0), role);
        if let Some(phone) = phone {
            participant.phone = Some(phone);
        }
        if participant.lid.is_none() {
            participant.lid = lid;
        }
        participant.name = self.name;
        Some(participant)
    }
}

impl RawGroup {
    /// Normalises into the neutral model; `None` when the object carries no group id.
    pub fn into_group(self) -> Option<Group> {
        if let Some(mut meta) = self.metadata {
            // A WEBJS `GroupChat`: the metadata holds everything; the chat fills gaps.
            meta.id = meta.id.or(self.id);
            meta.subject = non_empty(meta.subject).or(self.name);
            return meta.into_group();
        }
        let id = self.id.or(self.gid)?.0;
        if id.trim().is_empty() {
            return None;
        }
        let subject = non_empty(self.subject).or(self.name).unwrap_or_default();
        let mut group = Group::new(id, subject);
        group.description = non_empty(self.desc);
        group.creator = self
            .owner_pn
            .map(|j| j.0)
            .filter(|s| !s.is_empty())
            .or_else(|| self.owner.map(|j| j.0).filter(|s| !s.is_empty()))
            .map(|s| from_provider(&s));
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
        group.size = self.size.or_else(|| {
            let listed = group.participants.len();
            (listed > 0).then(|| u32::try_from(listed).unwrap_or(u32::MAX))
        });
        Some(group)
    }
}

impl RawGroupList {
    pub fn into_groups(self) -> Vec<Group> {
        self.0
            .into_iter()
            .filter_map(RawGroup::into_group)
            .collect()
    }
}

/// Unix seconds of an RFC 3339 timestamp; `None` when malformed or before 1970.
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

/// A whole number in `T`'s range from a JSON number (already read as `f64` by JS, or as
/// a `u64`/`i64`/`f64` by a Rust parser) — the rule of `src/provider/lenient.rs`.
#[cfg_attr(feature = "normalise", allow(dead_code))]
pub fn whole_f64(v: f64) -> Option<u64> {
    let whole =
        v.is_finite() && v.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&v);
    whole.then_some(v as u64)
}
