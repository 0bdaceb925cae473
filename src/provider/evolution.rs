//! Evolution API v2 (its Baileys channel): requests, response bodies and error mapping.
//!
//! Routes and shapes follow research `evolution-and-meta-groups.md` §2, read from Evolution's
//! source (v2.3.6/2.3.7): every route is `/group/<action>/{instance}` (and
//! `/message/sendText/{instance}`), authenticated by the `apikey` header, with the group's
//! id as `groupJid` in the body or the query. What Evolution answers for groups is Baileys'
//! raw `GroupMetadata` — the shape WAHA's NOWEB engine passes through too — so it is read by
//! the same permissive reader (`provider::waha::raw`).
//!
//! Its quirks are absorbed here, not left to the caller:
//! - `updateParticipant` answers 201 even when some people fail: each person's status
//!   string becomes that person's result (and reason);
//! - `create` silently drops numbers that are not on WhatsApp: each first member missing
//!   from the new group is reported not added;
//! - `fetchAllGroups` neither pages nor counts: the [`Client`](crate::Client) pages, and a
//!   count is the list's length;
//! - its error envelope `{status, error, response: {message: […]}}` maps to our codes;
//! - members may be listed by `@lid` with `phoneNumber`, or the reverse.

mod answers;
mod error;

use super::waha::raw::{ChangeAnswer, RawGroup, RawParticipant, RawSettings, participant_results};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Method, path_segment};
use crate::json::Fields;
use crate::json::read::{self, decode};
use crate::model::{
    Group, GroupId, GroupListing, GroupSettings, Icon, ListGroupsOptions, Mentions, NewGroup,
    Participant, ParticipantChange, ParticipantResult, SendOptions, SentMessage, Setting, UserId,
};
use crate::provider::{
    Call, Capabilities, Provider, ProviderKind, Step, align_results, reasons_for, validate_icon,
    validate_subject, validate_text,
};

use answers::with_body;
pub(crate) use error::error_from;

/// WhatsApp's limit on a group subject, in characters (as for WAHA).
pub const SUBJECT_MAX_CHARS: usize = super::waha::SUBJECT_MAX_CHARS;

/// Where an invite code becomes a link.
const INVITE_PREFIX: &str = "https://chat.whatsapp.com/";

/// The Evolution API provider for one instance.
#[derive(Clone)]
pub struct Evolution {
    instance: String,
    api_key: String,
}

impl std::fmt::Debug for Evolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evolution")
            .field("instance", &self.instance)
            .field("api_key", &"<redacted>")
            .finish()
    }
}

impl Evolution {
    /// A provider for the Evolution instance `instance`, authenticating with `api_key` (the
    /// server's global key or the instance's token), sent as the `apikey` header.
    ///
    /// ```
    /// use wa_groups::provider::evolution::Evolution;
    /// let evolution = Evolution::new("sales", "s3cret")?;
    /// assert!(!format!("{evolution:?}").contains("s3cret"));
    /// assert!(Evolution::new(" ", "s3cret").is_err());
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn new(instance: &str, api_key: &str) -> Result<Evolution> {
        let instance = instance.trim();
        if instance.is_empty() {
            return Err(Error::invalid("instance", "must not be empty"));
        }
        path_segment("instance", instance)?;
        if api_key.trim().is_empty() {
            return Err(Error::invalid("apiKey", "must not be empty"));
        }
        if !api_key.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(Error::invalid("apiKey", "must be printable ASCII"));
        }
        Ok(Evolution {
            instance: instance.to_owned(),
            api_key: api_key.to_owned(),
        })
    }

    /// `/{prefix}/{action}/{instance}`, with the key.
    fn request(&self, method: Method, prefix: &str, action: &str) -> HttpRequest {
        // Checked in `new`: the instance is a valid path segment.
        let instance = path_segment("instance", &self.instance).unwrap_or_default();
        HttpRequest::new(method, format!("/{prefix}/{action}/{instance}"))
            .header("apikey", self.api_key.clone())
    }

    /// A `/group/…` request.
    fn group(&self, method: Method, action: &str) -> HttpRequest {
        self.request(method, "group", action)
    }

    /// A `/group/…` request about one group, `groupJid` in the query.
    fn about(&self, method: Method, action: &str, id: &GroupId) -> Result<HttpRequest> {
        Ok(self.group(method, action).query("groupJid", group_jid(id)?))
    }
}

/// Checks an Evolution group id: Evolution's schema wants `^[\d-]+@g.us$`.
fn group_jid(id: &GroupId) -> Result<String> {
    let raw = id.as_str();
    let valid = raw.strip_suffix("@g.us").is_some_and(|user| {
        !user.is_empty() && user.bytes().all(|b| b.is_ascii_digit() || b == b'-')
    });
    if !valid {
        return Err(Error::invalid(
            "groupId",
            format!("`{raw}` is not a WhatsApp group id (digits@g.us)"),
        ));
    }
    Ok(raw.to_owned())
}

/// The numbers Evolution takes for people (`participants`, `numbers`): digits, at least 10
/// (its schema's `minLength`); a privacy id (`…@lid`) has no number to send.
fn numbers(field: &str, ids: &[UserId]) -> Result<Vec<String>> {
    if ids.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    ids.iter()
        .enumerate()
        .map(|(i, id)| match id.phone() {
            Some(phone) if phone.len() >= 10 => Ok(phone.to_owned()),
            Some(_) => Err(Error::invalid(
                format!("{field}[{i}]"),
                format!(
                    "`{id}`: Evolution wants a number of at least 10 digits, country code first"
                ),
            )),
            None => Err(Error::invalid(
                format!("{field}[{i}]"),
                format!("`{id}` has no phone number; Evolution names people by number"),
            )),
        })
        .collect()
}

/// An invite code: Evolution's schema wants exactly 22 letters or digits.
fn invite_code(code_or_link: &str) -> Result<String> {
    let code = super::waha::invite_code(code_or_link)?;
    if code.len() != 22 {
        return Err(Error::invalid(
            "code",
            format!("`{code_or_link}` is not a WhatsApp invite code (22 letters or digits)"),
        ));
    }
    Ok(code)
}

/// Passes a 2xx response through; turns anything else into the matching [`Error`].
fn success(resp: HttpResponse) -> Result<HttpResponse> {
    if resp.is_success() {
        Ok(resp)
    } else {
        Err(error_from(&resp))
    }
}

/// Routes that answer `{update: "success"}`, `{}`, or nothing: any 2xx is done.
fn done(resp: HttpResponse) -> Result<()> {
    success(resp).map(drop)
}

/// A group from a 2xx body (`findGroupInfos`, `inviteInfo`, `create`).
fn group_from(resp: HttpResponse, what: &str) -> Result<Group> {
    let resp = success(resp)?;
    let raw = decode(&resp, what, RawGroup::read)?;
    raw.into_group()
        .ok_or_else(|| Error::Decode(format!("{what}: no group id")))
}

/// `{participants: [...]}`.
fn participants_in(resp: &HttpResponse) -> Result<Vec<RawParticipant>> {
    decode(resp, "participants", |v| {
        read::required(v, "participants", |list| {
            read::list(list, RawParticipant::read)
        })
    })
}

/// A link from an invite code (or a link already).
fn link_of(code: &str) -> Result<String> {
    let code = super::waha::invite_code(code)
        .map_err(|_| Error::Decode(format!("invite code: unexpected `{code}`")))?;
    Ok(format!("{INVITE_PREFIX}{code}"))
}

impl Provider for Evolution {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Evolution
    }

    fn name(&self) -> String {
        "evolution".into()
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            // `fetchAllGroups` has no paging: the client pages.
            paging: false,
            create_with_participants: true,
            description: true,
            delete_group: false,
            refresh_groups: false,
            join_group: true,
            join_info: true,
            add_participants: true,
            remove_participants: true,
            promote_admins: true,
            demote_admins: true,
            // Only "admins edit info" and "admins send" (2.3.x has no member-add mode and no
            // approval setting): the others fail with `unsupported` before sending.
            settings: true,
            join_requests: false,
            icon: true,
            revoke_returns_link: true,
            // Its only picture removal works on the instance's own profile.
            remove_icon: false,
            // Not in Evolution 2.3.x (the member-add mode comes in 2.4.0-rc).
            settings_members_can_add: false,
            settings_approval: false,
            send_text: true,
        }
    }

    fn create_group(&self, group: &NewGroup) -> Result<Call<Group>> {
        let subject = validate_subject(&group.subject, SUBJECT_MAX_CHARS)?.to_owned();
        if group.participants.is_empty() {
            // Evolution's schema requires at least one first member.
            return Err(Error::invalid(
                "participants",
                "Evolution creates a group with at least one first member",
            ));
        }
        let requested = super::waha::parse_participants("participants", &group.participants)?;
        let first = numbers("participants", &requested)?;
        let body = |o: &mut Fields<'_>| {
            o.field("subject", &subject).field("participants", &first);
        };
        Ok(Call::new(
            with_body(self.group(Method::Post, "create"), body),
            move |resp| {
                let resp = success(resp)?;
                let raw = decode(&resp, "created group", RawGroup::read)?;
                // Numbers not on WhatsApp are dropped without a word: whoever the new
                // group does not list was not added.
                let added = raw.added(&requested);
                let mut created = raw
                    .into_group()
                    .ok_or_else(|| Error::Decode("created group: no group id".into()))?;
                if created.subject.is_empty() {
                    created.subject = subject.clone();
                }
                created.added = Some(added);
                Ok(created)
            },
        ))
    }

    fn list_groups(&self, _options: &ListGroupsOptions) -> Result<Call<GroupListing>> {
        let req = self
            .group(Method::Get, "fetchAllGroups")
            .query("getParticipants", "false");
        Ok(Call::new(req, |resp| {
            Ok(GroupListing::Groups(groups_from(resp)?))
        }))
    }

    fn count_groups(&self) -> Result<Call<u64>> {
        let req = self
            .group(Method::Get, "fetchAllGroups")
            .query("getParticipants", "false");
        Ok(Call::new(req, |resp| Ok(groups_from(resp)?.len() as u64)))
    }

    fn get_group(&self, id: &GroupId) -> Result<Call<Group>> {
        let req = self.about(Method::Get, "findGroupInfos", id)?;
        Ok(Call::new(req, |resp| group_from(resp, "group")))
    }

    fn leave_group(&self, id: &GroupId) -> Result<Call<()>> {
        Ok(
            Call::new(self.about(Method::Delete, "leaveGroup", id)?, done)
                // A DELETE is repeated after a lost answer; a repeat that no longer finds the
                // group means the first attempt left it.
                .on_repeat(|resp| {
                    if resp.status == 404 {
                        Ok(())
                    } else {
                        done(resp)
                    }
                }),
        )
    }

    fn set_subject(&self, id: &GroupId, subject: &str) -> Result<Call<()>> {
        let subject = validate_subject(subject, SUBJECT_MAX_CHARS)?;
        let group = group_jid(id)?;
        let req = with_body(self.group(Method::Post, "updateGroupSubject"), |o| {
            o.field("groupJid", &group).field("subject", subject);
        });
        Ok(Call::new(req, done))
    }

    fn set_description(&self, id: &GroupId, description: &str) -> Result<Call<()>> {
        let chars = description.chars().count();
        let max = super::waha::DESCRIPTION_MAX_CHARS;
        if chars > max {
            return Err(Error::invalid(
                "description",
                format!("has {chars} characters; at most {max} are allowed"),
            ));
        }
        let group = group_jid(id)?;
        let req = with_body(self.group(Method::Post, "updateGroupDescription"), |o| {
            o.field("groupJid", &group)
                .field("description", description);
        });
        Ok(Call::new(req, done))
    }

    fn get_invite_link(&self, id: &GroupId) -> Result<Call<String>> {
        Ok(Call::new(
            self.about(Method::Get, "inviteCode", id)?,
            |resp| match answers::invite(&success(resp)?)? {
                (Some(url), _) if url.starts_with(INVITE_PREFIX) => link_of(&url),
                (_, Some(code)) => link_of(&code),
                _ => Err(Error::Decode("invite link: the answer has no link".into())),
            },
        ))
    }

    fn revoke_invite_link(&self, id: &GroupId) -> Result<Call<Option<String>>> {
        let group = group_jid(id)?;
        let req = with_body(self.group(Method::Post, "revokeInviteCode"), |o| {
            o.field("groupJid", &group);
        });
        Ok(Call::new(req, |resp| {
            answers::revoked_code(&success(resp)?)?
                .as_deref()
                .map(link_of)
                .transpose()
        }))
    }

    fn join_group(&self, code_or_link: &str) -> Result<Call<GroupId>> {
        // A GET with a side effect, as Evolution routes it.
        let req = self
            .group(Method::Get, "acceptInviteCode")
            .query("inviteCode", invite_code(code_or_link)?);
        Ok(Call::new(req, |resp| {
            let id = answers::joined_group(&success(resp)?)?
                .ok_or_else(|| Error::Decode("joined group: no groupJid".into()))?;
            GroupId::new("groupJid", id).map_err(|e| Error::Decode(e.to_string()))
        }))
    }

    fn get_join_info(&self, code_or_link: &str) -> Result<Call<Group>> {
        let req = self
            .group(Method::Get, "inviteInfo")
            .query("inviteCode", invite_code(code_or_link)?);
        Ok(Call::new(req, |resp| group_from(resp, "invite info")))
    }

    fn list_participants(&self, id: &GroupId) -> Result<Call<Vec<Participant>>> {
        Ok(Call::new(
            self.about(Method::Get, "participants", id)?,
            |resp| {
                let resp = success(resp)?;
                Ok(participants_in(&resp)?
                    .into_iter()
                    .filter_map(RawParticipant::into_participant)
                    .collect())
            },
        ))
    }

    fn change_participants(
        &self,
        id: &GroupId,
        change: ParticipantChange,
        participants: &[UserId],
    ) -> Result<Call<Vec<ParticipantResult>>> {
        let action = match change {
            ParticipantChange::Add => "add",
            ParticipantChange::Remove => "remove",
            ParticipantChange::Promote => "promote",
            ParticipantChange::Demote => "demote",
        };
        if participants.is_empty() {
            return Err(Error::invalid("participants", "must not be empty"));
        }
        let post = self.group(Method::Post, "updateParticipant");
        let group = group_jid(id)?;
        let requested = participants.to_vec();
        let send = move |numbers: Vec<String>| {
            let req = with_body(post.clone(), |o| {
                o.field("groupJid", &group)
                    .field("action", action)
                    .field("participants", &numbers);
            });
            let requested = requested.clone();
            Call::new(req, move |resp| {
                participant_results_of(resp, change, &requested)
            })
        };
        // Evolution names people by number only. A member asked for by the `@lid` id the
        // group lists is named by the phone the same listing gives beside it.
        if participants.iter().all(|p| p.phone().is_some()) {
            return Ok(send(numbers("participants", participants)?));
        }
        let known: Vec<(usize, &UserId)> = participants
            .iter()
            .enumerate()
            .filter(|(_, p)| p.phone().is_some())
            .collect();
        for (i, person) in known {
            numbers(&format!("participants[{i}]"), std::slice::from_ref(person)).map_err(|e| {
                match e {
                    Error::InvalidInput { reason, .. } => {
                        Error::invalid(format!("participants[{i}]"), reason)
                    }
                    other => other,
                }
            })?;
        }
        let wanted = participants.to_vec();
        let read = self.about(Method::Get, "participants", id)?;
        Ok(Call::chain(read, move |resp| {
            let members = members_from(resp)?;
            let mut numbers = Vec::with_capacity(wanted.len());
            for (i, person) in wanted.iter().enumerate() {
                let number = match person.phone() {
                    Some(phone) => phone.to_owned(),
                    None => members
                        .iter()
                        .find(|m| m.ids.contains(person))
                        .and_then(|m| m.ids.iter().find_map(UserId::phone))
                        .map(str::to_owned)
                        .ok_or_else(|| {
                            Error::invalid(
                                format!("participants[{i}]"),
                                format!(
                                    "`{person}` is not a member whose number is known; Evolution names people by number"
                                ),
                            )
                        })?,
                };
                numbers.push(number);
            }
            Ok(Step::Next(send.clone()(numbers)))
        }))
    }

    fn get_settings(&self, id: &GroupId) -> Result<Call<GroupSettings>> {
        Ok(Call::new(
            self.about(Method::Get, "findGroupInfos", id)?,
            |resp| {
                let resp = success(resp)?;
                let mut settings =
                    decode(&resp, "group settings", RawSettings::read)?.into_settings();
                // Evolution does not pass these through (research §2.2): unknown, not false.
                settings.members_can_add = None;
                settings.approval_required = None;
                Ok(settings)
            },
        ))
    }

    fn set_setting(&self, id: &GroupId, setting: Setting, value: bool) -> Result<Call<()>> {
        let action = match (setting, value) {
            (Setting::InfoAdminOnly, true) => "locked",
            (Setting::InfoAdminOnly, false) => "unlocked",
            (Setting::MessagesAdminOnly, true) => "announcement",
            (Setting::MessagesAdminOnly, false) => "not_announcement",
            (Setting::MembersCanAdd, _) => {
                return Err(self.unsupported("updateSettings (membersCanAdd)"));
            }
            (Setting::ApprovalRequired, _) => {
                return Err(self.unsupported("updateSettings (approvalRequired)"));
            }
        };
        let group = group_jid(id)?;
        let req = with_body(self.group(Method::Post, "updateSetting"), |o| {
            o.field("groupJid", &group).field("action", action);
        });
        Ok(Call::new(req, done))
    }

    fn set_icon(&self, id: &GroupId, image: &[u8], mime_type: &str) -> Result<Call<()>> {
        use base64::Engine as _;
        validate_icon(image, mime_type)?;
        // Evolution takes a URL or the bare base64 of the image.
        let data = base64::engine::general_purpose::STANDARD.encode(image);
        let group = group_jid(id)?;
        let req = with_body(self.group(Method::Post, "updateGroupPicture"), |o| {
            o.field("groupJid", &group).field("image", &data);
        });
        Ok(Call::new(req, done))
    }

    fn get_icon(&self, id: &GroupId) -> Result<Call<Option<Icon>>> {
        Ok(Call::new(
            self.about(Method::Get, "findGroupInfos", id)?,
            |resp| {
                Ok(answers::picture_url(&success(resp)?)?
                    .filter(|u| !u.trim().is_empty())
                    .map(|url| Icon::new(url, None)))
            },
        ))
    }

    fn send_text(&self, id: &GroupId, text: &str) -> Result<Call<SentMessage>> {
        self.send_text_with(id, text, &SendOptions::default())
    }

    /// A direct text (an invite link for someone whose privacy refuses adds): Evolution's
    /// `sendText` to their number.
    fn send_direct_text(&self, to: &UserId, text: &str) -> Result<Call<SentMessage>> {
        validate_text(text)?;
        let number = numbers("to", std::slice::from_ref(to))?.remove(0);
        let req = with_body(self.request(Method::Post, "message", "sendText"), |o| {
            o.field("number", &number).field("text", text);
        });
        Ok(Call::new(req, |resp| {
            Ok(SentMessage::new(answers::sent_message_id(&success(resp)?)?))
        }))
    }

    /// `mentions: "all"` is Evolution's `mentionsEveryOne`; members are checked against a
    /// read of the group first and sent by number in `mentioned`.
    fn send_text_with(
        &self,
        id: &GroupId,
        text: &str,
        options: &SendOptions,
    ) -> Result<Call<SentMessage>> {
        validate_text(text)?;
        let group = group_jid(id)?;
        let text = text.to_owned();
        let send = self.request(Method::Post, "message", "sendText");
        // `{number, text}`, with `mentionsEveryOne: true` or the `mentioned` numbers.
        let message = move |every_one: bool, mentioned: &[String]| {
            with_body(send.clone(), |o| {
                o.field("number", &group).field("text", &text);
                if every_one {
                    o.field("mentionsEveryOne", &true);
                }
                if !mentioned.is_empty() {
                    o.field("mentioned", mentioned);
                }
            })
        };
        let sent =
            |resp: HttpResponse| Ok(SentMessage::new(answers::sent_message_id(&success(resp)?)?));
        let wanted = match &options.mentions {
            None => return Ok(Call::new(message(false, &[]), sent)),
            Some(Mentions::All) => return Ok(Call::new(message(true, &[]), sent)),
            Some(Mentions::Members(list)) if list.is_empty() => {
                return Err(Error::invalid(
                    "options.mentions",
                    "must be \"all\" or a non-empty list of members",
                ));
            }
            Some(Mentions::Members(list)) => {
                super::waha::parse_participants("options.mentions", list)?
            }
        };
        let read = self.about(Method::Get, "participants", id)?;
        Ok(Call::chain(read, move |resp| {
            let members = members_from(resp)?;
            let mut mentioned: Vec<String> = Vec::with_capacity(wanted.len());
            for (i, person) in wanted.iter().enumerate() {
                let member = members
                    .iter()
                    .find(|m| m.ids.contains(person))
                    .ok_or_else(|| {
                        Error::invalid(
                            format!("options.mentions[{i}]"),
                            format!("`{person}` is not a member of the group"),
                        )
                    })?;
                // Evolution mentions by number: a member known only by LID cannot be named.
                let number = member.ids.iter().find_map(UserId::phone).ok_or_else(|| {
                    Error::invalid(
                        format!("options.mentions[{i}]"),
                        format!("`{person}` has no known phone number to mention"),
                    )
                })?;
                if !mentioned.iter().any(|n| n == number) {
                    mentioned.push(number.to_owned());
                }
            }
            Ok(Step::Next(Call::new(message(false, &mentioned), sent)))
        }))
    }
}

/// Each person's result from `updateParticipant`'s 201 `{updateParticipants: [...]}`,
/// whatever happened to each: their status strings say.
fn participant_results_of(
    resp: HttpResponse,
    change: ParticipantChange,
    requested: &[UserId],
) -> Result<Vec<ParticipantResult>> {
    let resp = success(resp)?;
    // The list is handed to the shared reader as it came.
    let list = answers::updated_participants(&resp)?;
    match participant_results(&HttpResponse::new(resp.status, list))? {
        ChangeAnswer::PerPerson(reported) => {
            Ok(reasons_for(change, align_results(requested, &reported)))
        }
        ChangeAnswer::Unverified => Err(Error::Decode(
            "participant results: no outcome per participant".into(),
        )),
    }
}

/// The members of `GET /group/participants`, with every id each goes by.
fn members_from(resp: HttpResponse) -> Result<Vec<crate::provider::Member>> {
    let resp = success(resp)?;
    Ok(participants_in(&resp)?
        .into_iter()
        .filter_map(RawParticipant::into_member)
        .collect())
}

/// The groups of `fetchAllGroups` (an array of the `findGroupInfos` shape).
fn groups_from(resp: HttpResponse) -> Result<Vec<Group>> {
    let resp = success(resp)?;
    let raw = decode(&resp, "group list", |v| read::list(v, RawGroup::read))?;
    // One group without an id must not fail the listing (as for WAHA).
    Ok(raw.into_iter().filter_map(RawGroup::into_group).collect())
}

#[cfg(test)]
mod tests;
