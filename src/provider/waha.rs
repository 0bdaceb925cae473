//! WAHA, the WhatsApp HTTP API: requests, engine-raw responses and error bodies.
//!
//! WAHA returns what its engine library returns, so one group has three spellings
//! (WEBJS, NOWEB, GOWS); the crate reads all of them into the neutral [`model`](crate::model).
//! Routes and shapes follow `REFERENCE.md` (part A) and WAHA's OpenAPI file.

mod error;
mod lids;
pub(super) mod raw;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::http::{Body, HttpRequest, HttpResponse, Method, path_segment};
use crate::json::{Fields, Out};
use crate::model::{
    Group, GroupId, GroupListing, GroupSettings, Icon, JoinRequest, ListGroupsOptions, Mentions,
    NewGroup, Participant, ParticipantChange, ParticipantResult, SendOptions, SentMessage, Setting,
    SortBy, SortOrder, UserId,
};
use crate::provider::{
    Call, Capabilities, Member, Provider, ProviderKind, Step, accounted, align_results,
    reasons_for, validate_icon, validate_subject, validate_text, verify_change,
};

use crate::json::read::{self, decode, list, required, string};
pub(crate) use error::error_from;
use raw::{ChangeAnswer, RawGroup, RawParticipant};

/// WhatsApp's limit on a group subject, in characters.
pub const SUBJECT_MAX_CHARS: usize = 100;
/// WhatsApp's limit on a group description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 2048;
/// What an invite code becomes as a link.
pub const INVITE_PREFIX: &str = "https://chat.whatsapp.com/";

/// The engine behind a WAHA server, when the caller knows it. It only sharpens
/// [`Provider::capabilities`] and lets unsupported calls fail before sending; responses of
/// every engine are read whatever is set here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "UPPERCASE")]
pub enum Engine {
    /// whatsapp-web.js.
    Webjs,
    /// Baileys.
    Noweb,
    /// whatsmeow.
    Gows,
}

impl Engine {
    /// The engine's name as WAHA spells it (`WEBJS`, `NOWEB`, `GOWS`).
    ///
    /// ```
    /// use wa_groups::provider::waha::Engine;
    /// assert_eq!(Engine::Noweb.as_str(), "NOWEB");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Engine::Webjs => "WEBJS",
            Engine::Noweb => "NOWEB",
            Engine::Gows => "GOWS",
        }
    }
}

/// The WAHA provider for one session.
#[derive(Clone)]
pub struct Waha {
    /// The session name as given (for `sendText`, whose body names it).
    session: String,
    /// The session name, encoded as a path segment.
    session_segment: String,
    api_key: String,
    engine: Option<Engine>,
}

impl std::fmt::Debug for Waha {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waha")
            .field("session", &self.session)
            .field("engine", &self.engine)
            .field("api_key", &"<redacted>")
            .finish()
    }
}

impl Waha {
    /// A provider for `session`, authenticating with `api_key` (`X-Api-Key`).
    ///
    /// ```
    /// use wa_groups::provider::waha::Waha;
    /// let waha = Waha::new("default", "my-api-key")?;
    /// assert!(!format!("{waha:?}").contains("my-api-key"));
    /// assert!(Waha::new("../other", "my-api-key").is_err());
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn new(session: &str, api_key: impl Into<String>) -> Result<Waha> {
        let api_key = api_key.into();
        // A header value must be visible ASCII; anything else would fail inside `fetch`.
        if !api_key.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(Error::invalid("apiKey", "must be printable ASCII"));
        }
        Ok(Waha {
            session_segment: path_segment("session", session)?,
            session: session.to_owned(),
            api_key,
            engine: None,
        })
    }

    /// Declares the server's engine (see [`Engine`]).
    ///
    /// ```
    /// use wa_groups::provider::waha::{Engine, Waha};
    /// let waha = Waha::new("default", "my-api-key")?.with_engine(Some(Engine::Gows));
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn with_engine(mut self, engine: Option<Engine>) -> Waha {
        self.engine = engine;
        self
    }

    fn authed(&self, req: HttpRequest) -> HttpRequest {
        if self.api_key.is_empty() {
            req
        } else {
            req.header("X-Api-Key", self.api_key.clone())
        }
    }

    /// A request under `/api/{session}/groups`.
    fn request(&self, method: Method, rest: &str) -> HttpRequest {
        self.authed(HttpRequest::new(
            method,
            format!("/api/{}/groups{rest}", self.session_segment),
        ))
    }

    /// A request under `/api/{session}/groups/{id}`.
    fn group_request(&self, method: Method, id: &GroupId, rest: &str) -> Result<HttpRequest> {
        let segment = group_segment(id)?;
        Ok(self.request(method, &format!("/{segment}{rest}")))
    }
}

/// Checks a WAHA group id (`120363…@g.us`, or the legacy `<phone>-<time>@g.us`) and encodes it.
fn group_segment(id: &GroupId) -> Result<String> {
    let raw = id.as_str();
    let user = raw.strip_suffix("@g.us").ok_or_else(|| {
        Error::invalid(
            "groupId",
            format!("`{raw}` is not a WAHA group id (…@g.us)"),
        )
    })?;
    let valid = !user.is_empty()
        && user.split('-').count() <= 2
        && user
            .split('-')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        return Err(Error::invalid(
            "groupId",
            format!("`{raw}` is not a WAHA group id (digits@g.us)"),
        ));
    }
    path_segment("groupId", raw)
}

/// The invite code in a code or a `https://chat.whatsapp.com/…` link (its last segment).
///
/// ```
/// use wa_groups::provider::waha::invite_code;
/// assert_eq!(invite_code("https://chat.whatsapp.com/AbCdEf123456")?, "AbCdEf123456");
/// assert_eq!(invite_code("AbCdEf123456")?, "AbCdEf123456");
/// assert!(invite_code("http://chat.whatsapp.com/AbCdEf123456").is_err());
/// # Ok::<(), wa_groups::Error>(())
/// ```
pub fn invite_code(code_or_link: &str) -> Result<String> {
    let trimmed = code_or_link.trim().trim_matches('"');
    let code = trimmed
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            "code",
            format!("`{code_or_link}` is not an invite code or link"),
        ));
    }
    if trimmed.contains('/') && !trimmed.starts_with("https://") {
        return Err(Error::invalid("code", "an invite link must use https:"));
    }
    Ok(code.to_owned())
}

/// `request` with the JSON object that `fields` writes as its body.
fn with_body(mut request: HttpRequest, fields: impl FnOnce(&mut Fields<'_>)) -> HttpRequest {
    let mut out = Out::new();
    out.object(fields);
    request.body = Some(Body::Json(out.finish()));
    request
}

/// The `participants: [{id}, …]` field of a body.
fn participants_field(o: &mut Fields<'_>, ids: &[UserId]) {
    o.name("participants").array(ids, |out, id| {
        out.object(|o| {
            o.field("id", id.as_str());
        });
    });
}

/// `{participants: [{id}, …]}`.
fn participants_body(request: HttpRequest, ids: &[UserId]) -> HttpRequest {
    with_body(request, |o| participants_field(o, ids))
}

/// Parses a list of phone numbers or user ids, naming the bad one by its index.
pub(crate) fn parse_participants(field: &str, ids: &[String]) -> Result<Vec<UserId>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| UserId::parse(&format!("{field}[{i}]"), id))
        .collect()
}

fn looks_like_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// Passes a 2xx response through; turns anything else into the matching [`Error`].
fn success(resp: HttpResponse) -> Result<HttpResponse> {
    if resp.is_success() {
        Ok(resp)
    } else {
        Err(error_from(&resp))
    }
}

/// The body of a route that returns a string (raw text, maybe JSON-quoted).
fn text_body(resp: &HttpResponse) -> String {
    String::from_utf8_lossy(&resp.body)
        .trim()
        .trim_matches('"')
        .to_owned()
}

/// Routes that return `true`/`false` (WEBJS) or nothing (other engines): `false` means
/// WhatsApp refused, which WEBJS reports for missing admin rights.
fn accepted(resp: HttpResponse) -> Result<()> {
    let resp = success(resp)?;
    if text_body(&resp) == "false" {
        return Err(Error::Status {
            code: ErrorCode::Forbidden,
            status: resp.status,
            message: "WhatsApp refused the change (is the account an admin of the group?)".into(),
            retry_after_ms: None,
        });
    }
    Ok(())
}

/// A group read from a 2xx body; an empty body is WAHA's way of saying "no such group".
fn group_from(resp: HttpResponse, id: Option<&GroupId>) -> Result<Group> {
    let resp = success(resp)?;
    if resp.body.iter().all(u8::is_ascii_whitespace) || text_body(&resp) == "null" {
        return Err(not_found(resp.status, id));
    }
    let raw = decode(&resp, "group", RawGroup::read)?;
    raw.into_group()
        .ok_or_else(|| Error::Decode("group: no group id".into()))
}

fn not_found(status: u16, id: Option<&GroupId>) -> Error {
    Error::Status {
        code: ErrorCode::NotFound,
        status,
        message: match id {
            Some(id) => format!("group {id} not found"),
            None => "group not found".into(),
        },
        retry_after_ms: None,
    }
}

impl Provider for Waha {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Waha
    }

    fn name(&self) -> String {
        match self.engine {
            Some(engine) => format!("waha ({})", engine.as_str()),
            None => "waha".into(),
        }
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            paging: true,
            create_with_participants: true,
            description: true,
            // Only WEBJS implements delete; unknown engine: try and map WAHA's 501/422.
            delete_group: !matches!(self.engine, Some(Engine::Noweb | Engine::Gows)),
            refresh_groups: true,
            join_group: true,
            join_info: true,
            add_participants: true,
            remove_participants: true,
            promote_admins: true,
            demote_admins: true,
            settings: true,
            join_requests: true,
            icon: true,
            revoke_returns_link: true,
            remove_icon: true,
            settings_members_can_add: true,
            settings_approval: true,
            send_text: true,
        }
    }

    fn create_group(&self, group: &NewGroup) -> Result<Call<Group>> {
        let subject = validate_subject(&group.subject, SUBJECT_MAX_CHARS)?.to_owned();
        let participants = parse_participants("participants", &group.participants)?;
        // The fields in the order `json!` wrote them (sorted), so the text is unchanged.
        let req = with_body(self.request(Method::Post, ""), |o| {
            o.field("name", &subject);
            participants_field(o, &participants);
        });
        Ok(Call::new(req, move |resp| {
            let resp = success(resp)?;
            if !looks_like_json(&resp.body) {
                // WEBJS returns the library's error string with a 201 when creation fails.
                return Err(Error::Status {
                    code: ErrorCode::Server,
                    status: resp.status,
                    message: text_body(&resp),
                    retry_after_ms: None,
                });
            }
            let raw = decode(&resp, "created group", RawGroup::read)?;
            let added = (!participants.is_empty()).then(|| raw.added(&participants));
            let mut created = raw
                .into_group()
                .ok_or_else(|| Error::Decode("created group: no group id".into()))?;
            if created.subject.is_empty() {
                created.subject = subject.clone();
            }
            created.added = added;
            Ok(created)
        }))
    }

    fn list_groups(&self, options: &ListGroupsOptions) -> Result<Call<GroupListing>> {
        let mut req = self.request(Method::Get, "");
        if let Some(limit) = options.limit {
            req = req.query("limit", limit.to_string());
        }
        if let Some(offset) = options.offset {
            req = req.query("offset", offset.to_string());
        }
        if let Some(sort_by) = options.sort_by {
            let field = match sort_by {
                SortBy::Id => "id",
                SortBy::Subject => "subject",
            };
            req = req.query("sortBy", field);
        }
        if options.participants == Some(false) {
            req = req.query("exclude", "participants");
        }
        if let Some(order) = options.sort_order {
            let order = match order {
                SortOrder::Asc => "asc",
                SortOrder::Desc => "desc",
            };
            req = req.query("sortOrder", order);
        }
        Ok(Call::new(req, |resp| {
            let resp = success(resp)?;
            let list = decode(&resp, "group list", raw::group_list)?;
            Ok(GroupListing::Groups(
                list.into_iter().filter_map(RawGroup::into_group).collect(),
            ))
        }))
    }

    fn count_groups(&self) -> Result<Call<u64>> {
        Ok(Call::new(self.request(Method::Get, "/count"), |resp| {
            decode(&success(resp)?, "group count", |v| {
                required(v, "count", read::count)
            })
        }))
    }

    fn get_group(&self, id: &GroupId) -> Result<Call<Group>> {
        let req = self.group_request(Method::Get, id, "")?;
        let id = id.clone();
        Ok(Call::new(req, move |resp| group_from(resp, Some(&id))))
    }

    fn delete_group(&self, id: &GroupId) -> Result<Call<()>> {
        if !self.capabilities().delete_group {
            return Err(self.unsupported("deleteGroup"));
        }
        Ok(
            Call::new(self.group_request(Method::Delete, id, "")?, accepted)
                // A repeat that finds no group: the lost first attempt deleted it.
                .on_repeat(|resp| match accepted(resp) {
                    Err(e) if e.code() == ErrorCode::NotFound => Ok(()),
                    other => other,
                }),
        )
    }

    fn leave_group(&self, id: &GroupId) -> Result<Call<()>> {
        Ok(Call::new(
            self.group_request(Method::Post, id, "/leave")?,
            |resp| success(resp).map(drop),
        ))
    }

    fn refresh_groups(&self) -> Result<Call<()>> {
        Ok(Call::new(self.request(Method::Post, "/refresh"), |resp| {
            success(resp).map(drop)
        }))
    }

    fn set_subject(&self, id: &GroupId, subject: &str) -> Result<Call<()>> {
        let subject = validate_subject(subject, SUBJECT_MAX_CHARS)?;
        let req = with_body(self.group_request(Method::Put, id, "/subject")?, |o| {
            o.field("subject", subject);
        });
        Ok(Call::new(req, accepted))
    }

    fn set_description(&self, id: &GroupId, description: &str) -> Result<Call<()>> {
        let chars = description.chars().count();
        if chars > DESCRIPTION_MAX_CHARS {
            return Err(Error::invalid(
                "description",
                format!("has {chars} characters; at most {DESCRIPTION_MAX_CHARS} are allowed"),
            ));
        }
        if description.trim().is_empty() && self.engine == Some(Engine::Gows) {
            return Err(Error::invalid(
                "description",
                "GOWS cannot clear a description (it rejects an empty one)",
            ));
        }
        let req = with_body(self.group_request(Method::Put, id, "/description")?, |o| {
            o.field("description", description);
        });
        Ok(Call::new(req, accepted))
    }

    fn get_invite_link(&self, id: &GroupId) -> Result<Call<String>> {
        Ok(Call::new(
            self.group_request(Method::Get, id, "/invite-code")?,
            |resp| invite_link_from(success(resp)?),
        ))
    }

    fn revoke_invite_link(&self, id: &GroupId) -> Result<Call<Option<String>>> {
        Ok(Call::new(
            self.group_request(Method::Post, id, "/invite-code/revoke")?,
            |resp| invite_link_from(success(resp)?).map(Some),
        ))
    }

    fn join_group(&self, code_or_link: &str) -> Result<Call<GroupId>> {
        let code = invite_code(code_or_link)?;
        let req = with_body(self.request(Method::Post, "/join"), |o| {
            o.field("code", &code);
        });
        Ok(Call::new(req, |resp| {
            let joined = decode(&success(resp)?, "joined group", |v| {
                required(v, "id", string)
            })?;
            GroupId::new("id", joined).map_err(|_| Error::Decode("joined group: empty id".into()))
        }))
    }

    fn get_join_info(&self, code_or_link: &str) -> Result<Call<Group>> {
        let code = invite_code(code_or_link)?;
        let req = self.request(Method::Get, "/join-info").query("code", code);
        Ok(Call::new(req, |resp| group_from(resp, None)))
    }

    fn list_participants(&self, id: &GroupId) -> Result<Call<Vec<Participant>>> {
        // `participants/v2` (WAHA 2025+) is typed the same for every engine; older servers
        // answer 404 there, so fall back to v1, the engine-raw list.
        let v1 = self.group_request(Method::Get, id, "/participants")?;
        let v2 = self.group_request(Method::Get, id, "/participants/v2")?;
        Ok(Call::chain(v2, move |resp| {
            if resp.status == 404 {
                return Ok(Step::Next(Call::new(v1.clone(), participants_from)));
            }
            participants_from(resp).map(Step::Done)
        }))
    }

    fn change_participants(
        &self,
        id: &GroupId,
        change: ParticipantChange,
        participants: &[UserId],
    ) -> Result<Call<Vec<ParticipantResult>>> {
        if participants.is_empty() {
            return Err(Error::invalid("participants", "must not be empty"));
        }
        let route = match change {
            ParticipantChange::Add => "/participants/add",
            ParticipantChange::Remove => "/participants/remove",
            ParticipantChange::Promote => "/admin/promote",
            ParticipantChange::Demote => "/admin/demote",
        };
        let req = participants_body(self.group_request(Method::Post, id, route)?, participants);
        let requested = participants.to_vec();
        let read_back = self.group_request(Method::Get, id, "/participants")?;
        Ok(Call::chain(req, move |resp| {
            match raw::participant_results(&success(resp)?)? {
                ChangeAnswer::PerPerson(reported) => Ok(Step::Done(reasons_for(
                    change,
                    align_results(&requested, &reported),
                ))),
                // Nothing per person (WEBJS says `{"status":200}` even when WhatsApp
                // refused): read the members back and report each person's real state.
                ChangeAnswer::Unverified => {
                    let requested = requested.clone();
                    Ok(Step::Next(Call::new(read_back.clone(), move |resp| {
                        let members = members_from(resp)?;
                        Ok(reasons_for(
                            change,
                            verify_change(change, &requested, &members),
                        ))
                    })))
                }
            }
        }))
    }

    fn get_settings(&self, id: &GroupId) -> Result<Call<GroupSettings>> {
        let req = self.group_request(Method::Get, id, "")?;
        let id = id.clone();
        Ok(Call::new(req, move |resp| {
            let resp = success(resp)?;
            // The same "no such group" answers as `group_from`: an empty or `null` body.
            if resp.body.iter().all(u8::is_ascii_whitespace) || text_body(&resp) == "null" {
                return Err(not_found(resp.status, Some(&id)));
            }
            Ok(decode(&resp, "group settings", raw::RawSettings::read)?.into_settings())
        }))
    }

    fn set_setting(&self, id: &GroupId, setting: Setting, value: bool) -> Result<Call<()>> {
        let (route, name) = match setting {
            Setting::InfoAdminOnly => ("info-admin-only", "adminsOnly"),
            Setting::MessagesAdminOnly => ("messages-admin-only", "adminsOnly"),
            Setting::MembersCanAdd => ("member-add-mode", "membersCanAddNewMember"),
            Setting::ApprovalRequired => ("membership-approval", "newMembersApprovalRequired"),
        };
        let req = self.group_request(Method::Put, id, &format!("/settings/security/{route}"))?;
        let req = with_body(req, |o| {
            o.field(name, &value);
        });
        Ok(Call::new(req, accepted))
    }

    fn list_join_requests(&self, id: &GroupId) -> Result<Call<Vec<JoinRequest>>> {
        Ok(Call::new(
            self.group_request(Method::Get, id, "/participants/join-requests")?,
            |resp| raw::join_requests(&success(resp)?),
        ))
    }

    fn answer_join_requests(
        &self,
        id: &GroupId,
        approve: bool,
        participants: &[UserId],
    ) -> Result<Call<Vec<ParticipantResult>>> {
        if participants.is_empty() {
            return Err(Error::invalid("participants", "must not be empty"));
        }
        let route = if approve { "approve" } else { "reject" };
        let req = self.group_request(
            Method::Post,
            id,
            &format!("/participants/join-requests/{route}"),
        )?;
        let req = participants_body(req, participants);
        let requested = participants.to_vec();
        // Where the answer leaves someone unaccounted for, what shows now: the members
        // (approved) or the pending requests (rejected).
        let check = self.group_request(
            Method::Get,
            id,
            if approve {
                "/participants"
            } else {
                "/participants/join-requests"
            },
        )?;
        Ok(Call::chain(req, move |resp| {
            let reported = raw::join_request_results(&success(resp)?)?;
            let results = align_results(&requested, &reported);
            // A success naming someone not asked for is the engine answering with another
            // of a person's ids (the LID of a number asked by phone, on GOWS and NOWEB):
            // which person, only a fresh read can tell.
            let stranger = reported
                .iter()
                .any(|r| r.ok && !requested.iter().any(|id| r.names(id)));
            let unsure: Vec<usize> = accounted(&requested, &reported)
                .iter()
                .enumerate()
                .filter_map(|(i, entry)| entry.is_none().then_some(i))
                .collect();
            if !stranger || unsure.is_empty() {
                return Ok(Step::Done(results));
            }
            let ids: Vec<UserId> = unsure.iter().map(|&i| requested[i].clone()).collect();
            Ok(Step::Next(Call::new(check.clone(), move |resp| {
                let verified = if approve {
                    verify_change(ParticipantChange::Add, &ids, &members_from(resp)?)
                } else {
                    still_pending(&ids, &raw::join_requests(&success(resp)?)?)
                };
                let mut results = results.clone();
                for (&i, result) in unsure.iter().zip(verified) {
                    results[i] = result;
                }
                Ok(results)
            })))
        }))
    }

    fn set_icon(&self, id: &GroupId, image: &[u8], mime_type: &str) -> Result<Call<()>> {
        use base64::Engine as _;
        validate_icon(image, mime_type)?;
        let mime = mime_type.trim().to_ascii_lowercase();
        let filename = if mime == "image/png" {
            "icon.png"
        } else {
            "icon.jpg"
        };
        let data = base64::engine::general_purpose::STANDARD.encode(image);
        // The fields in the order `json!` wrote them (sorted), so the text is unchanged.
        let req = with_body(self.group_request(Method::Put, id, "/picture")?, |o| {
            o.name("file").object(|file| {
                file.field("data", &data)
                    .field("filename", filename)
                    .field("mimetype", &mime);
            });
        });
        Ok(Call::new(req, |resp| success(resp).map(drop)))
    }

    fn get_icon(&self, id: &GroupId) -> Result<Call<Option<Icon>>> {
        Ok(Call::new(
            self.group_request(Method::Get, id, "/picture")?,
            |resp| {
                let resp = success(resp)?;
                let text = text_body(&resp);
                if text.is_empty() || text == "null" {
                    return Ok(None);
                }
                let url = decode(&resp, "group picture", |v| {
                    read::object(v)?;
                    read::field(v, &["url"], string)
                })?;
                Ok(url
                    .filter(|u| !u.is_empty())
                    .map(|url| Icon::new(url, None)))
            },
        ))
    }

    fn remove_icon(&self, id: &GroupId) -> Result<Call<()>> {
        Ok(Call::new(
            self.group_request(Method::Delete, id, "/picture")?,
            |resp| success(resp).map(drop),
        ))
    }

    fn send_text(&self, id: &GroupId, text: &str) -> Result<Call<SentMessage>> {
        self.send_text_with(id, text, &SendOptions::default())
    }

    fn resolves_lids(&self) -> bool {
        true
    }

    fn lid_to_phone(&self, lid: &UserId) -> Result<Call<Option<String>>> {
        lids::lid_to_phone(self, lid)
    }

    fn knows_names(&self) -> bool {
        true
    }

    fn contact_name(&self, id: &UserId) -> Result<Call<Option<String>>> {
        lids::contact_name(self, id)
    }

    /// `mentions: ["all"]` goes as is (WAHA 2025.11.1+ expands it to the group's members);
    /// members' ids are first checked against a read of the group (`GET …/participants`)
    /// and sent as the ids the group lists them by (the `@lid` in a LID group).
    fn send_text_with(
        &self,
        id: &GroupId,
        text: &str,
        options: &SendOptions,
    ) -> Result<Call<SentMessage>> {
        group_segment(id)?;
        validate_text(text)?;
        let send = self.authed(HttpRequest::new(Method::Post, "/api/sendText"));
        let message = SendText {
            session: self.session.clone(),
            chat_id: id.as_str().to_owned(),
            text: text.to_owned(),
        };
        let wanted = match &options.mentions {
            None => return Ok(Call::new(message.request(send, None), sent)),
            Some(Mentions::All) => {
                return Ok(Call::new(message.request(send, Some(&["all"])), sent));
            }
            Some(Mentions::Members(list)) => {
                if list.is_empty() {
                    return Err(Error::invalid(
                        "options.mentions",
                        "must be \"all\" or a non-empty list of members",
                    ));
                }
                parse_participants("options.mentions", list)?
            }
        };
        let read = self.group_request(Method::Get, id, "/participants")?;
        Ok(Call::chain(read, move |resp| {
            let members = members_from(resp)?;
            let mut ids: Vec<&str> = Vec::with_capacity(wanted.len());
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
                let listed = member.ids[0].as_str();
                if !ids.contains(&listed) {
                    ids.push(listed);
                }
            }
            let req = message.request(send.clone(), Some(&ids));
            Ok(Step::Next(Call::new(req, sent)))
        }))
    }

    /// `POST /api/sendText` with the person's chat id (`…@c.us`, `…@lid`).
    fn send_direct_text(&self, to: &UserId, text: &str) -> Result<Call<SentMessage>> {
        validate_text(text)?;
        let message = SendText {
            session: self.session.clone(),
            chat_id: to.as_str().to_owned(),
            text: text.to_owned(),
        };
        let send = self.authed(HttpRequest::new(Method::Post, "/api/sendText"));
        Ok(Call::new(message.request(send, None), sent))
    }
}

/// A text for `POST /api/sendText`.
struct SendText {
    session: String,
    chat_id: String,
    text: String,
}

impl SendText {
    /// `send` with this text as its body, mentioning `mentions`. The fields are in the
    /// order `json!` wrote them (sorted), so the text is unchanged.
    fn request(&self, send: HttpRequest, mentions: Option<&[&str]>) -> HttpRequest {
        with_body(send, |o| {
            o.field("chatId", &self.chat_id)
                .field_opt("mentions", mentions)
                .field("session", &self.session)
                .field("text", &self.text);
        })
    }
}

/// The message `POST /api/sendText` answered with.
fn sent(resp: HttpResponse) -> Result<SentMessage> {
    let resp = success(resp)?;
    Ok(SentMessage::new(raw::message_id(&resp.body)))
}

/// An invite code (WEBJS, NOWEB) or link (GOWS) as raw text, made a full link.
fn invite_link_from(resp: HttpResponse) -> Result<String> {
    let text = text_body(&resp);
    let code = invite_code(&text)
        .map_err(|_| Error::Decode(format!("invite code: unexpected `{text}`")))?;
    Ok(format!("{INVITE_PREFIX}{code}"))
}

/// The members of a group from the engine-raw list (`GET …/participants`), with every id
/// each goes by, to check a change against.
fn members_from(resp: HttpResponse) -> Result<Vec<Member>> {
    let resp = success(resp)?;
    let raw = decode(&resp, "participants", |v| list(v, RawParticipant::read))?;
    Ok(raw
        .into_iter()
        .filter_map(RawParticipant::into_member)
        .collect())
}

/// Whether each rejected request is gone from the pending ones (by its id or its phone).
fn still_pending(ids: &[UserId], pending: &[JoinRequest]) -> Vec<ParticipantResult> {
    ids.iter()
        .map(|id| {
            let waiting = pending
                .iter()
                .any(|r| &r.id == id || r.phone.as_deref().is_some_and(|p| id.phone() == Some(p)));
            if waiting {
                ParticipantResult::failed(
                    id.clone(),
                    None,
                    "is still waiting for approval: WhatsApp did not reject the request",
                )
            } else {
                ParticipantResult::ok(id.clone())
            }
        })
        .collect()
}

fn participants_from(resp: HttpResponse) -> Result<Vec<Participant>> {
    let resp = success(resp)?;
    let raw = decode(&resp, "participants", |v| list(v, RawParticipant::read))?;
    Ok(raw
        .into_iter()
        .filter_map(RawParticipant::into_participant)
        .collect())
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_json;
#[cfg(test)]
mod tests_mentions;
#[cfg(test)]
mod tests_ops;
#[cfg(test)]
mod tests_reasons;
#[cfg(test)]
mod tests_results;
