//! Wavy's response bodies, private to this provider, and their conversion to the model.
//!
//! Every group route answers `{"groups":[…]}` with one entry per group; the fields of an
//! entry depend on the route, so one lenient struct reads them all.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::http::HttpResponse;
use crate::model::{Group, GroupId, Icon, Participant, Role, UserId};

/// `{"groups":[…]}`; a missing or `null` list is read as empty.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawGroups {
    groups: Option<Vec<RawGroup>>,
}

/// One entry of `groups`: `{id, creation_time}` (create), `{id}` (list), the full group
/// (get), or `{link}` (invite).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawGroup {
    id: Option<String>,
    subject: Option<String>,
    creation_time: Option<u64>,
    creator: Option<String>,
    admins: Vec<String>,
    participants: Vec<String>,
    link: Option<String>,
}

impl RawGroups {
    /// Reads a 2xx body; `what` names the response in a decode error.
    pub(super) fn read(resp: &HttpResponse, what: &str) -> Result<Vec<RawGroup>> {
        let raw: Option<RawGroups> = resp.json(what)?;
        Ok(raw.unwrap_or_default().groups.unwrap_or_default())
    }
}

impl RawGroup {
    /// Whether this entry is the group `id`.
    pub(super) fn has_id(&self, id: &GroupId) -> bool {
        self.id.as_deref() == Some(id.as_str())
    }

    fn group_id(&self, what: &str) -> Result<GroupId> {
        let id = self.id.as_deref().unwrap_or_default();
        GroupId::new("id", id).map_err(|_| Error::Decode(format!("{what}: a group has no id")))
    }

    /// The group a create returned: its id and creation time. Wavy does not say who the
    /// account is, so the creator and the participants stay unknown.
    pub(super) fn into_created(self, subject: String) -> Result<Group> {
        let mut group = Group::new(self.group_id("created group")?, subject);
        group.created_at = self.creation_time;
        Ok(group)
    }

    /// The id of a listed group.
    pub(super) fn into_id(self) -> Result<GroupId> {
        self.group_id("group list")
    }

    /// The invite link, when the entry has a non-empty one.
    pub(super) fn into_link(self) -> Option<String> {
        self.link
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
    }

    /// The full group; `requested` stands in for a missing id.
    pub(super) fn into_group(self, requested: &GroupId) -> Result<Group> {
        let id = match self.id.as_deref() {
            Some(id) if !id.trim().is_empty() => self.group_id("group")?,
            _ => requested.clone(),
        };
        let mut group = Group::new(id, self.subject.unwrap_or_default());
        group.created_at = self.creation_time;
        let creator = self
            .creator
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(user_from_wa_id);
        let admins: Vec<UserId> = self.admins.iter().map(|a| user_from_wa_id(a)).collect();
        for raw in &self.participants {
            let id = user_from_wa_id(raw);
            if id.as_str().is_empty() || group.participants.iter().any(|p| p.id == id) {
                continue;
            }
            let role = if creator.as_ref() == Some(&id) {
                Role::Superadmin
            } else if admins.contains(&id) {
                Role::Admin
            } else {
                Role::Member
            };
            group.participants.push(Participant::new(id, role));
        }
        group.creator = creator;
        group.size = u32::try_from(group.participants.len()).ok();
        Ok(group)
    }
}

/// A Wavy participant (`5519900000000`, digits only) as a user id (`5519900000000@c.us`).
/// An id that already names its server is kept as the provider spelled it.
pub(super) fn user_from_wa_id(raw: &str) -> UserId {
    let raw = raw.trim();
    if raw.is_empty() || raw.contains('@') {
        UserId::from_provider(raw)
    } else {
        UserId::from_provider(&format!("{}@c.us", raw.trim_start_matches('+')))
    }
}

/// `GET …/icon`: `{"type":"URL","mimeType","fileName","extraData":{…},"data":"https://…"}`.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawIcon {
    mime_type: Option<String>,
    data: Option<String>,
}

impl RawIcon {
    /// The icon, or `None` when the body carries no URL.
    pub(super) fn into_icon(self) -> Option<Icon> {
        let url = self
            .data
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())?;
        let mime = self.mime_type.filter(|m| !m.trim().is_empty());
        Some(Icon::new(url, mime))
    }
}

/// The message id in a `/send` answer, which the documentation leaves unspecified:
/// `[{"id":…}]`, `{"id":…}`, or nothing at all.
pub(super) fn message_id(body: &[u8]) -> Result<Option<String>> {
    #[derive(Deserialize)]
    struct WithId {
        #[serde(default)]
        id: Option<serde_json::Value>,
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Sent {
        Many(Vec<WithId>),
        One(WithId),
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let sent: Option<Sent> =
        serde_json::from_slice(body).map_err(|e| Error::Decode(format!("sent message: {e}")))?;
    let id = match sent {
        Some(Sent::Many(list)) => list.into_iter().next().and_then(|m| m.id),
        Some(Sent::One(one)) => one.id,
        None => None,
    };
    Ok(match id {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s),
        Some(serde_json::Value::Number(n)) => crate::http::integer_text(&n),
        _ => None,
    })
}
