//! Sans-IO providers: each operation becomes an [`HttpRequest`] plus a parser for its
//! [`HttpResponse`]. Nothing here performs I/O, so every provider is tested natively.
//!
//! An operation that needs several requests (a fallback to an older route, one `PUT` per
//! setting) is a chain: its parser returns [`Step::Next`] with the following call.

pub mod evolution;
pub mod waha;
pub mod wavy;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::model::{
    Group, GroupId, GroupListing, GroupSettings, Icon, JoinRequest, ListGroupsOptions, NewGroup,
    Participant, ParticipantChange, ParticipantResult, RefusalReason, SendOptions, SentMessage,
    Setting, UserId,
};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Which provider a client talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// WAHA, the WhatsApp HTTP API.
    Waha,
    /// The Wavy Messaging WhatsApp Groups API.
    Wavy,
    /// Evolution API v2.
    Evolution,
}

impl ProviderKind {
    /// The provider's name in the JS API (`"waha"`, `"wavy"`).
    ///
    /// ```
    /// use wa_groups::provider::ProviderKind;
    /// assert_eq!(ProviderKind::Wavy.as_str(), "wavy");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Waha => "waha",
            ProviderKind::Wavy => "wavy",
            ProviderKind::Evolution => "evolution",
        }
    }
}

/// What a parser concludes from a response.
pub enum Step<T> {
    /// The operation is complete.
    Done(T),
    /// The operation needs another request.
    Next(Call<T>),
}

/// Parses a provider's response into the neutral model (or a typed error), or asks for
/// another request.
///
/// A parser can be called again for the response of a retried request.
pub type Parser<T> = Box<dyn Fn(HttpResponse) -> Result<Step<T>>>;

/// One operation, ready to send: the request, and how to read its response.
pub struct Call<T> {
    /// The request to send.
    pub request: HttpRequest,
    /// Turns the response, whatever its status, into the result or the next step.
    pub parse: Parser<T>,
    /// Reads the answer to a repeat of the request sent after an earlier attempt whose
    /// answer was lost (a timeout, a dropped connection, a 5xx): that attempt may have
    /// applied, so an answer saying "already done" (a `DELETE` that finds nothing left to
    /// delete) means success here. `None`: the repeat is read like the first answer.
    pub repeat: Option<Parser<T>>,
}

impl<T: 'static> Call<T> {
    /// A single-request operation.
    ///
    /// ```
    /// use wa_groups::http::{HttpRequest, HttpResponse, Method};
    /// use wa_groups::provider::Call;
    /// let call = Call::new(HttpRequest::new(Method::Get, "/api/default/groups/count"), |r: HttpResponse| {
    ///     r.json::<u64>("count")
    /// });
    /// assert_eq!(call.parse_final(HttpResponse::new(200, "3"))?, 3);
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn new(
        request: HttpRequest,
        parse: impl Fn(HttpResponse) -> Result<T> + 'static,
    ) -> Call<T> {
        Call {
            request,
            parse: Box::new(move |resp| parse(resp).map(Step::Done)),
            repeat: None,
        }
    }

    /// An operation whose parser may ask for another request.
    ///
    /// ```
    /// use wa_groups::http::{HttpRequest, HttpResponse, Method};
    /// use wa_groups::provider::{Call, Step};
    ///
    /// // The newer route first; on a 404, the older one.
    /// let older = || Call::new(HttpRequest::new(Method::Get, "/old/count"), |r: HttpResponse| r.json::<u64>("count"));
    /// let call: Call<u64> = Call::chain(HttpRequest::new(Method::Get, "/new/count"), move |r| {
    ///     if r.status == 404 { Ok(Step::Next(older())) } else { r.json("count").map(Step::Done) }
    /// });
    /// let Step::Next(next) = (call.parse)(HttpResponse::new(404, ""))? else { unreachable!() };
    /// assert_eq!(next.request.path, "/old/count");
    /// assert_eq!(next.parse_final(HttpResponse::new(200, "3"))?, 3);
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn chain(
        request: HttpRequest,
        parse: impl Fn(HttpResponse) -> Result<Step<T>> + 'static,
    ) -> Call<T> {
        Call {
            request,
            parse: Box::new(parse),
            repeat: None,
        }
    }

    /// Sets how the answer to a repeat is read (see [`Call::repeat`]).
    ///
    /// ```
    /// use wa_groups::ErrorCode;
    /// use wa_groups::http::{HttpRequest, HttpResponse, Method};
    /// use wa_groups::provider::{Call, Step};
    /// let delete = |r: HttpResponse| if r.status == 200 { Ok(()) } else { Err(wa_groups::Error::Decode("gone".into())) };
    /// let call = Call::new(HttpRequest::new(Method::Delete, "/icon"), delete)
    ///     // A repeat that finds nothing to delete: the lost first attempt did it.
    ///     .on_repeat(|r: HttpResponse| if matches!(r.status, 200 | 404) { Ok(()) } else { Err(wa_groups::Error::Decode("?".into())) });
    /// assert!(call.parse_final(HttpResponse::new(404, "")).is_err());
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn on_repeat(mut self, parse: impl Fn(HttpResponse) -> Result<T> + 'static) -> Call<T> {
        self.repeat = Some(Box::new(move |resp| parse(resp).map(Step::Done)));
        self
    }

    /// Reads a response, for a call known to need no further request (tests, mostly).
    ///
    /// ```
    /// use wa_groups::http::{HttpRequest, HttpResponse, Method};
    /// use wa_groups::provider::Call;
    /// let call = Call::new(HttpRequest::new(Method::Get, "/count"), |r: HttpResponse| r.json::<u64>("count"));
    /// assert_eq!(call.parse_final(HttpResponse::new(200, "7"))?, 7);
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn parse_final(self, response: HttpResponse) -> Result<T> {
        match (self.parse)(response)? {
            Step::Done(value) => Ok(value),
            Step::Next(_) => Err(Error::Decode("the operation needs another request".into())),
        }
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

/// What a provider can do, so callers can hide what it cannot before trying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Capabilities {
    /// `listGroups` pages and sorts on the provider's side (otherwise the client does).
    pub paging: bool,
    /// `createGroup` accepts first members.
    pub create_with_participants: bool,
    /// `setDescription` (and a description in `Group`).
    pub description: bool,
    /// `deleteGroup`.
    pub delete_group: bool,
    /// `refreshGroups`.
    pub refresh_groups: bool,
    /// `joinGroup` by invite code or link.
    pub join_group: bool,
    /// `getJoinInfo`: a preview of the group a link leads to.
    pub join_info: bool,
    /// `addParticipants`.
    pub add_participants: bool,
    /// `removeParticipants`.
    pub remove_participants: bool,
    /// `promoteAdmins`.
    pub promote_admins: bool,
    /// `demoteAdmins`.
    pub demote_admins: bool,
    /// `getSettings` and `updateSettings` (of `infoAdminOnly` and `messagesAdminOnly`).
    pub settings: bool,
    /// `updateSettings` sets `membersCanAdd` and `getSettings` reports it.
    pub settings_members_can_add: bool,
    /// `updateSettings` sets `approvalRequired` and `getSettings` reports it.
    pub settings_approval: bool,
    /// `listJoinRequests`, `approveJoinRequests` and `rejectJoinRequests`.
    pub join_requests: bool,
    /// `setIcon` and `getIcon`.
    pub icon: bool,
    /// `removeIcon`.
    pub remove_icon: bool,
    /// `revokeInviteLink` answers with the new link (otherwise ask again).
    pub revoke_returns_link: bool,
    /// `sendText` to the group.
    pub send_text: bool,
}

/// The operations of a group API, as pure request builders and response parsers.
///
/// Every operation has a default that fails with [`Error::Unsupported`] before anything is
/// sent; a provider overrides what it can do.
#[allow(unused_variables)]
pub trait Provider {
    /// Which provider this is.
    fn kind(&self) -> ProviderKind;

    /// A longer name for errors (`"WAHA (NOWEB)"`).
    fn name(&self) -> String {
        self.kind().as_str().to_owned()
    }

    /// What this provider can do.
    fn capabilities(&self) -> Capabilities;

    /// An [`Error::Unsupported`] for `operation` on this provider.
    fn unsupported(&self, operation: &'static str) -> Error {
        Error::Unsupported {
            operation,
            provider: self.name(),
        }
    }

    /// Creates a group.
    fn create_group(&self, group: &NewGroup) -> Result<Call<Group>>;

    /// Lists the groups the account is in.
    fn list_groups(&self, options: &ListGroupsOptions) -> Result<Call<GroupListing>>;

    /// Counts the groups the account is in.
    fn count_groups(&self) -> Result<Call<u64>> {
        Err(self.unsupported("countGroups"))
    }

    /// One group, with its participants.
    fn get_group(&self, id: &GroupId) -> Result<Call<Group>>;

    /// Deletes a group for everyone.
    fn delete_group(&self, id: &GroupId) -> Result<Call<()>> {
        Err(self.unsupported("deleteGroup"))
    }

    /// Leaves a group.
    fn leave_group(&self, id: &GroupId) -> Result<Call<()>>;

    /// Asks the provider to re-read the groups from WhatsApp.
    fn refresh_groups(&self) -> Result<Call<()>> {
        Err(self.unsupported("refreshGroups"))
    }

    /// Renames a group.
    fn set_subject(&self, id: &GroupId, subject: &str) -> Result<Call<()>>;

    /// Sets a group's description (empty clears it).
    fn set_description(&self, id: &GroupId, description: &str) -> Result<Call<()>> {
        Err(self.unsupported("setDescription"))
    }

    /// The group's invite link.
    fn get_invite_link(&self, id: &GroupId) -> Result<Call<String>>;

    /// Invalidates the invite link; the new one where the provider returns it.
    fn revoke_invite_link(&self, id: &GroupId) -> Result<Call<Option<String>>>;

    /// Joins a group by invite code or link; returns its id.
    fn join_group(&self, code_or_link: &str) -> Result<Call<GroupId>> {
        Err(self.unsupported("joinGroup"))
    }

    /// A preview of the group an invite code or link leads to.
    fn get_join_info(&self, code_or_link: &str) -> Result<Call<Group>> {
        Err(self.unsupported("getJoinInfo"))
    }

    /// The members of a group.
    fn list_participants(&self, id: &GroupId) -> Result<Call<Vec<Participant>>>;

    /// Adds, removes, promotes or demotes members; one result per requested id.
    fn change_participants(
        &self,
        id: &GroupId,
        change: ParticipantChange,
        participants: &[UserId],
    ) -> Result<Call<Vec<ParticipantResult>>>;

    /// The group's security settings.
    fn get_settings(&self, id: &GroupId) -> Result<Call<GroupSettings>> {
        Err(self.unsupported("getSettings"))
    }

    /// Changes one security setting.
    fn set_setting(&self, id: &GroupId, setting: Setting, value: bool) -> Result<Call<()>> {
        Err(self.unsupported("updateSettings"))
    }

    /// Pending requests to join.
    fn list_join_requests(&self, id: &GroupId) -> Result<Call<Vec<JoinRequest>>> {
        Err(self.unsupported("listJoinRequests"))
    }

    /// Approves (`approve`) or rejects pending join requests; one result per id.
    fn answer_join_requests(
        &self,
        id: &GroupId,
        approve: bool,
        participants: &[UserId],
    ) -> Result<Call<Vec<ParticipantResult>>> {
        Err(self.unsupported(if approve {
            "approveJoinRequests"
        } else {
            "rejectJoinRequests"
        }))
    }

    /// Sets the group's icon from image bytes.
    fn set_icon(&self, id: &GroupId, image: &[u8], mime_type: &str) -> Result<Call<()>> {
        Err(self.unsupported("setIcon"))
    }

    /// The group's icon, `None` when it has none.
    fn get_icon(&self, id: &GroupId) -> Result<Call<Option<Icon>>> {
        Err(self.unsupported("getIcon"))
    }

    /// Removes the group's icon.
    fn remove_icon(&self, id: &GroupId) -> Result<Call<()>> {
        Err(self.unsupported("removeIcon"))
    }

    /// Sends a text message to the group.
    fn send_text(&self, id: &GroupId, text: &str) -> Result<Call<SentMessage>>;

    /// Sends a text message to the group with `options` (mentions). Without mentions it is
    /// [`Provider::send_text`]; a provider that cannot mention fails with
    /// [`Error::Unsupported`] before anything is sent.
    fn send_text_with(
        &self,
        id: &GroupId,
        text: &str,
        options: &SendOptions,
    ) -> Result<Call<SentMessage>> {
        match options.mentions {
            None => self.send_text(id, text),
            Some(_) => Err(self.unsupported("mentions in sendText")),
        }
    }

    /// Whether members can be listed by privacy id (`…@lid`), so that their number is
    /// worth looking up with [`Provider::lid_to_phone`]. Wavy knows members by phone only.
    fn resolves_lids(&self) -> bool {
        false
    }

    /// The phone number (digits) behind a privacy id; `None` when WhatsApp hides it or the
    /// server does not know it.
    fn lid_to_phone(&self, lid: &UserId) -> Result<Call<Option<String>>> {
        Err(self.unsupported("resolvePhones"))
    }

    /// Whether the provider knows people's names ([`Provider::contact_name`]).
    fn knows_names(&self) -> bool {
        false
    }

    /// The name WhatsApp shows for someone (address book, else their own), when known.
    fn contact_name(&self, id: &UserId) -> Result<Call<Option<String>>> {
        Err(self.unsupported("names"))
    }

    /// Sends a text message straight to one person (never a group): how
    /// `addParticipants`' `inviteOnPrivacy` delivers an invite link. Not part of the public
    /// `sendText`, which only ever sends to groups.
    fn send_direct_text(&self, to: &UserId, text: &str) -> Result<Call<SentMessage>> {
        Err(self.unsupported("inviteOnPrivacy"))
    }
}

/// The icon types WhatsApp accepts for a group picture.
pub const ICON_MIME_TYPES: &[&str] = &["image/jpeg", "image/png"];

/// The largest icon accepted, in bytes (WhatsApp rescales to 640×640; 5 MB is generous).
pub const ICON_MAX_BYTES: usize = 5 * 1024 * 1024;

/// Checks an icon before upload.
///
/// ```
/// use wa_groups::provider::validate_icon;
/// assert!(validate_icon(b"\x89PNG\r\n\x1a\n...", "image/png").is_ok());
/// assert!(validate_icon(b"GIF89a...", "image/gif").is_err());
/// assert!(validate_icon(b"GIF89a...", "image/png").is_err());
/// ```
pub fn validate_icon(image: &[u8], mime_type: &str) -> Result<()> {
    let mime = mime_type.trim().to_ascii_lowercase();
    if !ICON_MIME_TYPES.contains(&mime.as_str()) {
        return Err(Error::invalid(
            "mimeType",
            format!(
                "`{mime_type}` is not accepted; use one of {}",
                ICON_MIME_TYPES.join(", ")
            ),
        ));
    }
    if image.is_empty() {
        return Err(Error::invalid("image", "is empty"));
    }
    if image.len() > ICON_MAX_BYTES {
        return Err(Error::invalid(
            "image",
            format!(
                "is {} bytes; at most {ICON_MAX_BYTES} are accepted",
                image.len()
            ),
        ));
    }
    let magic_ok = match mime.as_str() {
        "image/jpeg" => image.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => image.starts_with(b"\x89PNG\r\n\x1a\n"),
        _ => false,
    };
    if !magic_ok {
        return Err(Error::invalid(
            "image",
            format!("does not look like {mime} (its first bytes do not match)"),
        ));
    }
    Ok(())
}

/// Checks the text of a message.
///
/// ```
/// use wa_groups::provider::validate_text;
/// assert!(validate_text("Hello, team!").is_ok());
/// assert!(validate_text("   ").is_err());
/// ```
pub fn validate_text(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid("text", "must not be empty"));
    }
    // WhatsApp's limit on a text message.
    const MAX: usize = 65_536;
    let chars = text.chars().count();
    if chars > MAX {
        return Err(Error::invalid(
            "text",
            format!("has {chars} characters; at most {MAX} are accepted"),
        ));
    }
    Ok(())
}

/// Checks a subject against a provider's limit and returns it trimmed.
///
/// ```
/// use wa_groups::provider::{validate_subject, wavy::SUBJECT_MAX_CHARS};
/// assert_eq!(validate_subject("  Team ", SUBJECT_MAX_CHARS)?, "Team");
/// assert!(validate_subject(&"x".repeat(26), SUBJECT_MAX_CHARS).is_err());
/// # Ok::<(), wa_groups::Error>(())
/// ```
pub fn validate_subject(subject: &str, max_chars: usize) -> Result<&str> {
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(Error::invalid("subject", "must not be empty"));
    }
    let chars = subject.chars().count();
    if chars > max_chars {
        return Err(Error::invalid(
            "subject",
            format!("has {chars} characters; at most {max_chars} are allowed"),
        ));
    }
    Ok(subject)
}

/// What a provider reported for one participant of a change: every id it named the person
/// by (a `@lid`, a phone number, …) and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reported {
    /// The ids the provider named this person by; empty when the entry names nobody.
    pub ids: Vec<UserId>,
    /// Whether the provider says the change applied to this person.
    pub ok: bool,
    /// The provider's per-person status, when it gives one (e.g. 403, 409).
    pub status: Option<u16>,
    /// The provider's message for this person, when it gives one.
    pub message: Option<String>,
    /// Why an add was refused, read from the per-person code (see
    /// [`RefusalReason::from_add_code`]); kept only when the change is an add
    /// ([`reasons_for`]).
    pub reason: Option<RefusalReason>,
    /// The engine itself sent this person an invite (WAHA WEBJS's `isInviteV4Sent`).
    pub invited: bool,
}

impl Reported {
    /// Whether this entry names `id` by any of its ids.
    pub fn names(&self, id: &UserId) -> bool {
        self.ids.contains(id)
    }
}

/// Matches per-participant outcomes to the requested ids: every requested id gets exactly
/// one result, in request order and under the id it was requested by, so nothing is
/// silently dropped.
///
/// An entry matches a requested id by any of the ids it names (an engine that addresses
/// members by `@lid` also reports their phone number, and either may have been asked for).
/// A failed entry that names nobody (WAHA's `requesterId: null`) is paired by position when
/// the provider answered one entry per requested id. A requested id no entry accounts for is
/// reported as not applied: a provider's silence is never taken for success.
///
/// ```
/// use wa_groups::model::UserId;
/// use wa_groups::provider::{Reported, align_results};
///
/// let (phone, lid) = (UserId::parse("p", "5511988880000")?, UserId::parse("p", "92965187932215@lid")?);
/// // The engine names the person by LID and phone; the caller asked by LID.
/// let reported = vec![Reported { ids: vec![lid.clone(), phone.clone()], ok: true, ..Default::default() }];
/// let results = align_results(&[lid.clone(), UserId::parse("p", "5511977770000")?], &reported);
/// assert!(results[0].ok && results[0].id == lid);
/// // The second id was not reported: its outcome is unknown, so not applied.
/// assert!(!results[1].ok);
/// // Nothing reported at all is not "all applied".
/// assert!(align_results(&[phone], &[]).iter().all(|r| !r.ok));
/// # Ok::<(), wa_groups::Error>(())
/// ```
pub fn align_results(requested: &[UserId], reported: &[Reported]) -> Vec<ParticipantResult> {
    requested
        .iter()
        .zip(accounted(requested, reported))
        .map(|(id, entry)| match entry {
            Some(r) if r.ok => ParticipantResult::ok(id.clone()),
            Some(r) => {
                let mut failed = ParticipantResult::failed(
                    id.clone(),
                    r.status,
                    r.message.clone().unwrap_or_else(|| match r.status {
                        Some(code) => format!("WhatsApp answered {code} for this participant"),
                        None => "WhatsApp did not apply the change to this participant".into(),
                    }),
                );
                failed.reason = r.reason;
                failed.invited = r.invited.then_some(true);
                failed
            }
            None => ParticipantResult::failed(
                id.clone(),
                None,
                "the provider did not report an outcome for this participant",
            ),
        })
        .collect()
}

/// Keeps the `reason` of failed results where `change` is an add (a failure with none is
/// [`RefusalReason::Other`]) and drops it otherwise: a 404 to a promote means "not a
/// member", not "not on WhatsApp".
///
/// ```
/// use wa_groups::model::{ParticipantChange, ParticipantResult, RefusalReason, UserId};
/// use wa_groups::provider::reasons_for;
/// let failed = ParticipantResult::failed(UserId::parse("p", "5511988880000")?, None, "not added");
/// let added = reasons_for(ParticipantChange::Add, vec![failed.clone()]);
/// assert_eq!(added[0].reason, Some(RefusalReason::Other));
/// assert_eq!(reasons_for(ParticipantChange::Remove, added)[0].reason, None);
/// # Ok::<(), wa_groups::Error>(())
/// ```
pub fn reasons_for(
    change: ParticipantChange,
    mut results: Vec<ParticipantResult>,
) -> Vec<ParticipantResult> {
    for result in &mut results {
        result.reason = match change {
            ParticipantChange::Add if !result.ok => {
                Some(result.reason.unwrap_or(RefusalReason::Other))
            }
            _ => None,
        };
    }
    results
}

/// For each requested id, the entry that accounts for it: one that names it by any id, or
/// a failure naming nobody at its position when the provider answered one entry per id
/// (a success that names nobody cannot be attributed, so it proves nothing).
pub(crate) fn accounted<'a>(
    requested: &[UserId],
    reported: &'a [Reported],
) -> Vec<Option<&'a Reported>> {
    let by_position = reported.len() == requested.len();
    requested
        .iter()
        .enumerate()
        .map(|(i, id)| {
            reported.iter().find(|r| r.names(id)).or_else(|| {
                by_position
                    .then(|| &reported[i])
                    .filter(|r| r.ids.is_empty() && !r.ok)
            })
        })
        .collect()
}

/// A member as a fresh read of the group shows them: every id they go by, and their role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The member's ids (`…@lid`, `…@c.us`): any of them may have been asked for.
    pub ids: Vec<UserId>,
    /// Their role now.
    pub role: crate::model::Role,
}

/// Each requested person's real state after `change`, from a fresh read of the group's
/// `members`: for an engine that answers a change with nothing per person (WAHA WEBJS's
/// `{"status":200}`, even when WhatsApp refused), this is the only honest result.
///
/// ```
/// use wa_groups::model::{ParticipantChange, Role, UserId};
/// use wa_groups::provider::{Member, verify_change};
/// let owner = UserId::parse("p", "5511900000000")?;
/// let members = [Member { ids: vec![owner.clone()], role: Role::Superadmin }];
/// // WhatsApp does not demote a group's owner, whatever the engine answered.
/// let results = verify_change(ParticipantChange::Demote, &[owner], &members);
/// assert!(!results[0].ok);
/// # Ok::<(), wa_groups::Error>(())
/// ```
pub fn verify_change(
    change: ParticipantChange,
    requested: &[UserId],
    members: &[Member],
) -> Vec<ParticipantResult> {
    use crate::model::Role;
    requested
        .iter()
        .map(|id| {
            let role = members.iter().find(|m| m.ids.contains(id)).map(|m| m.role);
            let failure = match (change, role) {
                (ParticipantChange::Add, Some(_))
                | (ParticipantChange::Remove, None)
                | (ParticipantChange::Promote, Some(Role::Admin | Role::Superadmin))
                | (ParticipantChange::Demote, Some(Role::Member)) => None,
                (ParticipantChange::Add, None) => {
                    Some("is not a member after the change: WhatsApp did not add them")
                }
                (ParticipantChange::Remove, Some(Role::Superadmin)) => {
                    Some("is still a member: WhatsApp does not remove the group's owner")
                }
                (ParticipantChange::Remove, Some(_)) => {
                    Some("is still a member after the change: WhatsApp did not remove them")
                }
                (ParticipantChange::Promote, Some(Role::Member)) => {
                    Some("is still not an admin after the change: WhatsApp did not promote them")
                }
                (ParticipantChange::Demote, Some(Role::Superadmin)) => {
                    Some("is the group's owner: WhatsApp does not demote the owner")
                }
                (ParticipantChange::Demote, Some(Role::Admin)) => {
                    Some("is still an admin after the change: WhatsApp did not demote them")
                }
                (ParticipantChange::Promote | ParticipantChange::Demote, None) => {
                    Some("is not a member of the group")
                }
            };
            match failure {
                None => ParticipantResult::ok(id.clone()),
                Some(why) => ParticipantResult::failed(id.clone(), None, why),
            }
        })
        .collect()
}
