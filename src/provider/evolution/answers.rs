//! Evolution's own answers (research `evolution-and-meta-groups.md` §2.2), read field by
//! field from the parsed document ([`crate::json`]), and the request bodies it takes.
//!
//! The Baileys shapes it passes through (groups, participants, settings) are read by the
//! WAHA provider's readers; these are the few shapes only Evolution has.

use crate::error::{Error, Result};
use crate::http::{Body, HttpRequest, HttpResponse};
use crate::json::read::{document, expected, string_field};
use crate::json::{Json, Out};

/// Reads a 2xx body that must be an object with `read`.
fn object<T>(
    resp: &HttpResponse,
    what: &str,
    read: impl FnOnce(&Json<'_>) -> Result<T>,
) -> Result<T> {
    let doc = document(resp, what)?;
    let body = doc.root();
    if !body.is_object() {
        return Err(expected(what, "an object", &body));
    }
    read(&body)
}

/// `GET /group/inviteCode`: `{inviteUrl, inviteCode}`, both optional here.
pub(super) fn invite(resp: &HttpResponse) -> Result<(Option<String>, Option<String>)> {
    const WHAT: &str = "invite link";
    object(resp, WHAT, |body| {
        Ok((
            string_field(body, "inviteUrl", WHAT)?,
            string_field(body, "inviteCode", WHAT)?,
        ))
    })
}

/// `POST /group/revokeInviteCode`: `{revoked, inviteCode}` (the new code, no URL).
pub(super) fn revoked_code(resp: &HttpResponse) -> Result<Option<String>> {
    const WHAT: &str = "revoked invite";
    object(resp, WHAT, |body| string_field(body, "inviteCode", WHAT))
}

/// `GET /group/acceptInviteCode`: `{accepted, groupJid}`.
pub(super) fn joined_group(resp: &HttpResponse) -> Result<Option<String>> {
    const WHAT: &str = "joined group";
    object(resp, WHAT, |body| string_field(body, "groupJid", WHAT))
}

/// `GET /group/findGroupInfos`'s `pictureUrl` (`null` without a picture).
pub(super) fn picture_url(resp: &HttpResponse) -> Result<Option<String>> {
    const WHAT: &str = "group picture";
    object(resp, WHAT, |body| string_field(body, "pictureUrl", WHAT))
}

/// `POST /message/sendText`'s message record: the id in `key.id`, when there is one.
pub(super) fn sent_message_id(resp: &HttpResponse) -> Result<Option<String>> {
    const WHAT: &str = "sent message";
    object(resp, WHAT, |body| match body.get("key") {
        None => Ok(None),
        Some(key) if key.is_object() => string_field(&key, "id", WHAT),
        Some(key) => Err(expected(WHAT, "`key` as an object", &key)),
    })
}

/// `POST /group/updateParticipant`'s 201 `{updateParticipants: [...]}`: the list as JSON
/// text, for the shared reader of participant changes.
pub(super) fn updated_participants(resp: &HttpResponse) -> Result<String> {
    const WHAT: &str = "participant results";
    object(resp, WHAT, |body| {
        body.get("updateParticipants")
            .map(|list| list.text())
            .ok_or_else(|| Error::Decode(format!("{WHAT}: missing field `updateParticipants`")))
    })
}

/// `req` with a JSON object body, its fields written by `fields`.
pub(super) fn with_body(
    mut req: HttpRequest,
    fields: impl FnOnce(&mut crate::json::Fields<'_>),
) -> HttpRequest {
    let mut out = Out::new();
    out.object(fields);
    req.body = Some(Body::Json(out.finish()));
    req
}
