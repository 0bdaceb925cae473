//! The Wavy Messaging WhatsApp Groups API: requests, response bodies and error mapping.
//!
//! Routes and shapes follow `wavy-groups-api.md` and `REFERENCE.md` (part B). Wavy knows
//! members only by phone number (`waId`, digits), cannot add members (only invite them by
//! link) and lists groups as bare ids, whose details the [`Client`](crate::Client) fetches
//! one by one.

mod error;
mod raw;

use crate::error::{Error, ErrorCode, Result};
use crate::http::{Body, HttpRequest, HttpResponse, Method, path_segment};
use crate::json::Out;
use crate::model::{
    Group, GroupId, GroupListing, Icon, ListGroupsOptions, NewGroup, Participant,
    ParticipantChange, ParticipantResult, SentMessage, UserId,
};
use crate::provider::{
    Call, Capabilities, Provider, ProviderKind, validate_icon, validate_subject, validate_text,
};

pub(crate) use error::error_from;
use raw::RawGroups;

/// Where the Wavy Messaging API lives.
pub const DEFAULT_BASE_URL: &str = "https://api-messaging.wavy.global";
/// Wavy's limit on a group subject, in characters.
pub const SUBJECT_MAX_CHARS: usize = 25;

/// The base path of every Wavy WhatsApp route.
const BASE_PATH: &str = "/v1/whatsapp";

/// The Wavy provider for one account.
#[derive(Clone)]
pub struct Wavy {
    user_name: String,
    token: String,
}

impl std::fmt::Debug for Wavy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wavy")
            .field("user_name", &self.user_name)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// Checks a credential that travels as a header value.
fn header_value(field: &str, value: &str) -> Result<String> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    // A header value must be visible ASCII; anything else would fail inside `fetch`.
    if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(Error::invalid(field, "must be printable ASCII"));
    }
    Ok(value.to_owned())
}

impl Wavy {
    /// A provider for the account `user_name` (a user name or e-mail), authenticating with
    /// `authentication_token`; both travel as headers on every request.
    ///
    /// ```
    /// use wa_groups::provider::wavy::Wavy;
    /// let wavy = Wavy::new("me@example.com", "s3cret")?;
    /// assert!(!format!("{wavy:?}").contains("s3cret"));
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn new(user_name: &str, authentication_token: &str) -> Result<Wavy> {
        Ok(Wavy {
            user_name: header_value("userName", user_name)?,
            token: header_value("authenticationToken", authentication_token)?,
        })
    }

    /// A request under `/v1/whatsapp`, with the credentials.
    fn request(&self, method: Method, rest: &str) -> HttpRequest {
        HttpRequest::new(method, format!("{BASE_PATH}{rest}"))
            .header("userName", self.user_name.clone())
            .header("authenticationToken", self.token.clone())
    }

    /// A request under `/v1/whatsapp/groups/{id}`.
    fn group_request(&self, method: Method, id: &GroupId, rest: &str) -> Result<HttpRequest> {
        let segment = group_segment(id)?;
        Ok(self.request(method, &format!("/groups/{segment}{rest}")))
    }
}

/// Checks a Wavy group id (`5519900000000-1513616971`: the creator's number and the
/// creation time) and encodes it as a path segment.
fn group_segment(id: &GroupId) -> Result<String> {
    let raw = id.as_str();
    let valid = raw
        .split_once('-')
        .is_some_and(|(phone, time)| is_digits(phone) && is_digits(time));
    if !valid {
        return Err(Error::invalid(
            "groupId",
            format!(
                "`{raw}` is not a Wavy group id (digits-digits, e.g. 5519900000000-1513616971)"
            ),
        ));
    }
    path_segment("groupId", raw)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The phone numbers (`waIds`) of `participants`: Wavy knows members only by number, so a
/// privacy id (`…@lid`) cannot be named.
fn wa_ids(participants: &[UserId]) -> Result<Vec<String>> {
    if participants.is_empty() {
        return Err(Error::invalid("participants", "must not be empty"));
    }
    participants
        .iter()
        .enumerate()
        .map(|(i, id)| {
            id.phone().map(str::to_owned).ok_or_else(|| {
                Error::invalid(
                    format!("participants[{i}]"),
                    format!("`{id}` has no phone number; Wavy only knows members by number"),
                )
            })
        })
        .collect()
}

/// `req` with `body` (JSON text) as its body.
fn with_json(mut req: HttpRequest, body: String) -> HttpRequest {
    req.body = Some(Body::Json(body));
    req
}

/// `{"subject": …}`, the body of a create and of a subject change.
fn subject_body(subject: &str) -> String {
    let mut out = Out::new();
    out.object(|o| {
        o.field("subject", subject);
    });
    out.finish()
}

/// Passes a 2xx response through; turns anything else into the matching [`Error`].
fn success(resp: HttpResponse) -> Result<HttpResponse> {
    if resp.is_success() {
        Ok(resp)
    } else {
        Err(error_from(&resp))
    }
}

/// For routes that answer `null`, `{}` or nothing: any 2xx is done.
fn done(resp: HttpResponse) -> Result<()> {
    success(resp).map(drop)
}

/// A 2xx whose body is one of Wavy's documented bare successes (`null`, `{}` or nothing);
/// any other body is a `decode` error, so an unknown answer is never taken for success.
fn bare_success(resp: HttpResponse, what: &str) -> Result<()> {
    let resp = success(resp)?;
    let text = String::from_utf8_lossy(&resp.body);
    match text.trim() {
        "" | "null" | "{}" => Ok(()),
        // `{ }` spelled with spaces is still the empty object.
        _ => match crate::json::read::document(&resp, what)?.root().keys() {
            Some(keys) if keys.is_empty() => Ok(()),
            _ => Err(Error::Decode(format!(
                "{what}: unexpected answer `{}`",
                resp.text_excerpt()
            ))),
        },
    }
}

impl Provider for Wavy {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Wavy
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            paging: false,
            create_with_participants: false,
            description: false,
            delete_group: false,
            refresh_groups: false,
            join_group: false,
            join_info: false,
            // Members join only through the invite link.
            add_participants: false,
            remove_participants: true,
            promote_admins: true,
            demote_admins: true,
            settings: false,
            join_requests: false,
            icon: true,
            revoke_returns_link: false,
            remove_icon: true,
            settings_members_can_add: false,
            settings_approval: false,
            send_text: true,
        }
    }

    fn create_group(&self, group: &NewGroup) -> Result<Call<Group>> {
        if !group.participants.is_empty() {
            // Wavy creates a group with its creator only; the rest join by invite link.
            return Err(self.unsupported("createGroup"));
        }
        let subject = validate_subject(&group.subject, SUBJECT_MAX_CHARS)?.to_owned();
        let req = with_json(
            self.request(Method::Post, "/groups"),
            subject_body(&subject),
        );
        Ok(Call::new(req, move |resp| {
            let resp = success(resp)?;
            RawGroups::read(&resp, "created group")?
                .into_iter()
                .next()
                .ok_or_else(|| Error::Decode("created group: the answer lists no group".into()))?
                .into_created(subject.clone())
        }))
    }

    fn list_groups(&self, _options: &ListGroupsOptions) -> Result<Call<GroupListing>> {
        // Wavy neither pages nor sorts (`paging: false`): the client does, over the ids.
        Ok(Call::new(self.request(Method::Get, "/groups"), |resp| {
            Ok(GroupListing::Ids(group_ids(resp)?))
        }))
    }

    fn count_groups(&self) -> Result<Call<u64>> {
        Ok(Call::new(self.request(Method::Get, "/groups"), |resp| {
            Ok(group_ids(resp)?.len() as u64)
        }))
    }

    fn get_group(&self, id: &GroupId) -> Result<Call<Group>> {
        let req = self.group_request(Method::Get, id, "")?;
        let id = id.clone();
        Ok(Call::new(req, move |resp| group_from(resp, &id)))
    }

    fn leave_group(&self, id: &GroupId) -> Result<Call<()>> {
        Ok(Call::new(
            self.group_request(Method::Post, id, "/leave")?,
            done,
        ))
    }

    fn set_subject(&self, id: &GroupId, subject: &str) -> Result<Call<()>> {
        let subject = validate_subject(subject, SUBJECT_MAX_CHARS)?;
        let req = with_json(
            self.group_request(Method::Put, id, "")?,
            subject_body(subject),
        );
        Ok(Call::new(req, done))
    }

    fn get_invite_link(&self, id: &GroupId) -> Result<Call<String>> {
        Ok(Call::new(
            self.group_request(Method::Get, id, "/invite")?,
            |resp| {
                let resp = success(resp)?;
                RawGroups::read(&resp, "invite link")?
                    .into_iter()
                    .find_map(raw::RawGroup::into_link)
                    .ok_or_else(|| Error::Decode("invite link: the answer has no link".into()))
            },
        ))
    }

    fn revoke_invite_link(&self, id: &GroupId) -> Result<Call<Option<String>>> {
        // Wavy answers `null`/`{}`: the next `get_invite_link` creates a fresh link.
        Ok(Call::new(
            self.group_request(Method::Delete, id, "/invite")?,
            |resp| done(resp).map(|()| None),
        ))
    }

    fn list_participants(&self, id: &GroupId) -> Result<Call<Vec<Participant>>> {
        let req = self.group_request(Method::Get, id, "")?;
        let id = id.clone();
        Ok(Call::new(req, move |resp| {
            group_from(resp, &id).map(|g| g.participants)
        }))
    }

    fn change_participants(
        &self,
        id: &GroupId,
        change: ParticipantChange,
        participants: &[UserId],
    ) -> Result<Call<Vec<ParticipantResult>>> {
        let (method, route) = match change {
            ParticipantChange::Add => return Err(self.unsupported(change.operation())),
            ParticipantChange::Remove => (Method::Delete, "/participants"),
            ParticipantChange::Promote => (Method::Patch, "/admins"),
            ParticipantChange::Demote => (Method::Delete, "/admins"),
        };
        let req = self.group_request(method, id, route)?;
        let wa_ids = wa_ids(participants)?;
        let mut body = Out::new();
        body.object(|o| {
            o.field("waIds", &wa_ids);
        });
        let req = with_json(req, body.finish());
        let requested = participants.to_vec();
        let all_applied = move |ids: &[UserId]| -> Vec<ParticipantResult> {
            ids.iter().cloned().map(ParticipantResult::ok).collect()
        };
        let again = requested.clone();
        // Wavy answers all or nothing: its documented `null` or `{}` means every number
        // was changed; any other answer is not taken for success.
        let call = Call::new(req, move |resp| {
            bare_success(resp, "participant change").map(|()| all_applied(&requested))
        });
        Ok(match method {
            // A repeated DELETE whose first attempt's answer was lost finds the numbers
            // already gone: Wavy's 400 "phone not found" then means it was done.
            Method::Delete => call.on_repeat(move |resp| {
                if resp.status == 400 && error_from(&resp).to_string().contains("not found") {
                    return Ok(all_applied(&again));
                }
                bare_success(resp, "participant change").map(|()| all_applied(&again))
            }),
            _ => call,
        })
    }

    fn set_icon(&self, id: &GroupId, image: &[u8], mime_type: &str) -> Result<Call<()>> {
        validate_icon(image, mime_type)?;
        let mut req = self.group_request(Method::Post, id, "/icon")?;
        req.body = Some(Body::Bytes {
            content_type: mime_type.trim().to_ascii_lowercase(),
            data: image.to_vec(),
        });
        Ok(Call::new(req, done))
    }

    fn get_icon(&self, id: &GroupId) -> Result<Call<Option<Icon>>> {
        Ok(Call::new(
            self.group_request(Method::Get, id, "/icon")?,
            |resp| {
                // Wavy's way of saying the group has no icon.
                if resp.status == 404 {
                    return Ok(None);
                }
                raw::icon(&success(resp)?)
            },
        ))
    }

    fn remove_icon(&self, id: &GroupId) -> Result<Call<()>> {
        Ok(
            Call::new(self.group_request(Method::Delete, id, "/icon")?, done)
                // A repeat that finds no icon: the lost first attempt removed it.
                .on_repeat(|resp| {
                    if resp.status == 404 {
                        Ok(())
                    } else {
                        done(resp)
                    }
                }),
        )
    }

    fn send_text(&self, id: &GroupId, text: &str) -> Result<Call<SentMessage>> {
        group_segment(id)?;
        validate_text(text)?;
        let mut body = Out::new();
        body.object(|o| {
            o.name("destinations")
                .array([id.as_str()], |out, destination| {
                    out.object(|d| {
                        d.field("destination", destination)
                            .field("recipientType", "group");
                    });
                });
            o.name("message").object(|m| {
                m.field("messageText", text);
            });
        });
        let req = with_json(self.request(Method::Post, "/send"), body.finish());
        Ok(Call::new(req, |resp| {
            let resp = success(resp)?;
            Ok(SentMessage::new(raw::message_id(&resp.body)?))
        }))
    }
}

/// The ids of `GET /groups`.
fn group_ids(resp: HttpResponse) -> Result<Vec<GroupId>> {
    let resp = success(resp)?;
    RawGroups::read(&resp, "group list")?
        .into_iter()
        .map(raw::RawGroup::into_id)
        .collect()
}

/// The group of `GET /groups/{id}`; an empty `groups` list means there is no such group.
fn group_from(resp: HttpResponse, id: &GroupId) -> Result<Group> {
    let resp = success(resp)?;
    let status = resp.status;
    let mut groups = RawGroups::read(&resp, "group")?;
    if groups.is_empty() {
        return Err(Error::Status {
            code: ErrorCode::NotFound,
            status,
            message: format!("group {id} not found"),
            retry_after_ms: None,
        });
    }
    // One group is asked for; should more come back, take the one asked for.
    let index = groups.iter().position(|g| g.has_id(id)).unwrap_or(0);
    groups.swap_remove(index).into_group(id)
}

#[cfg(test)]
mod tests;
