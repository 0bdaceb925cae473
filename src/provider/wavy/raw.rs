//! Wavy's response bodies, private to this provider, and their conversion to the model.
//!
//! Every group route answers `{"groups":[…]}` with one entry per group; the fields of an
//! entry depend on the route, so one lenient reader reads them all. The answers are read
//! field by field from the parsed document ([`crate::json`]).

use crate::error::{Error, Result};
use crate::http::HttpResponse;
use crate::json::read::{document, expected, string_field};
use crate::json::{Doc, Json, Kind};
use crate::model::{Group, GroupId, Icon, Participant, Role, UserId};

/// A body that is an object, or `null` (`None`); anything else is a decode error.
fn object_or_null<'a>(body: Json<'a>, what: &str) -> Result<Option<Json<'a>>> {
    match body.kind() {
        Kind::Object => Ok(Some(body)),
        Kind::Null => Ok(None),
        _ => Err(expected(what, "an object", &body)),
    }
}

/// `entry[key]`: a list of phone numbers (strings, or whole numbers); missing or `null` is
/// empty, anything else a decode error.
fn numbers_field(entry: &Json<'_>, key: &'static str, what: &str) -> Result<Vec<String>> {
    let Some(list) = entry.get(key) else {
        return Ok(Vec::new());
    };
    let wanted = || format!("`{key}` as a list of phone numbers");
    let items = list
        .items()
        .ok_or_else(|| expected(what, &wanted(), &list))?;
    items
        .iter()
        .map(|item| {
            item.string()
                .or_else(|| item.id_text())
                .ok_or_else(|| expected(what, &wanted(), item))
        })
        .collect()
}

/// The entries of `{"groups":[…]}`; a `null` body, or a missing or `null` list, is empty.
pub(super) struct RawGroups;

/// One entry of `groups`: `{id, creation_time}` (create), `{id}` (list), the full group
/// (get), or `{link}` (invite).
#[derive(Default)]
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
        let doc = document(resp, what)?;
        let Some(body) = object_or_null(doc.root(), what)? else {
            return Ok(Vec::new());
        };
        let Some(list) = body.get("groups") else {
            return Ok(Vec::new());
        };
        list.items()
            .ok_or_else(|| expected(what, "`groups` as a list", &list))?
            .iter()
            .map(|entry| RawGroup::read(entry, what))
            .collect()
    }
}

impl RawGroup {
    fn read(entry: &Json<'_>, what: &str) -> Result<RawGroup> {
        if !entry.is_object() {
            return Err(expected(what, "each group as an object", entry));
        }
        Ok(RawGroup {
            id: string_field(entry, "id", what)?,
            // Descriptive fields of an odd type are read as absent.
            subject: entry.get("subject").and_then(|s| s.string()),
            creation_time: entry.get("creation_time").and_then(|t| t.whole()),
            creator: entry.get("creator").and_then(|c| c.id_text()),
            admins: numbers_field(entry, "admins", what)?,
            participants: numbers_field(entry, "participants", what)?,
            link: entry.get("link").and_then(|l| l.string()),
        })
    }

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

/// `GET …/icon`: `{"type":"URL","mimeType","fileName","extraData":{…},"data":"https://…"}`,
/// or `None` when the body is blank, `null` or carries no URL.
pub(super) fn icon(resp: &HttpResponse) -> Result<Option<Icon>> {
    const WHAT: &str = "group icon";
    if resp.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let doc = document(resp, WHAT)?;
    let Some(body) = object_or_null(doc.root(), WHAT)? else {
        return Ok(None);
    };
    let url = string_field(&body, "data", WHAT)?
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());
    let Some(url) = url else {
        return Ok(None);
    };
    let mime = string_field(&body, "mimeType", WHAT)?.filter(|m| !m.trim().is_empty());
    Ok(Some(Icon::new(url, mime)))
}

/// The message id in a `/send` answer, which the documentation leaves unspecified:
/// `[{"id":…}]`, `{"id":…}`, or nothing at all. An id is a string or a whole number.
pub(super) fn message_id(body: &[u8]) -> Result<Option<String>> {
    const WHAT: &str = "sent message";
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let doc = Doc::parse(body).map_err(|e| Error::Decode(format!("{WHAT}: {e}")))?;
    let root = doc.root();
    let sent = match root.items() {
        Some(list) => list.into_iter().next(),
        None => object_or_null(root, WHAT)?,
    };
    Ok(sent.and_then(|s| s.get("id")).and_then(|id| id.id_text()))
}
