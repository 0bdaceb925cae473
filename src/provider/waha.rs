//! WAHA, the WhatsApp HTTP API: requests, engine-raw responses and error bodies.
//!
//! WAHA returns what its engine library returns, so one group has three spellings
//! (WEBJS, NOWEB, GOWS); [`raw`] reads all of them into the neutral model.

mod raw;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::http::{HttpRequest, HttpResponse, Method, path_segment};
use crate::model::{Group, ListGroupsOptions, NewGroup, SortBy, SortOrder, UserId};
use crate::provider::{Call, Capabilities, Provider, ProviderKind};

use raw::{RawGroup, RawGroupList};

/// WhatsApp's limit on a group subject, in characters.
pub const SUBJECT_MAX_CHARS: usize = 100;

/// The WAHA provider for one session.
#[derive(Clone)]
pub struct Waha {
    /// The session name, already encoded as a path segment.
    session: String,
    api_key: String,
}

impl std::fmt::Debug for Waha {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waha")
            .field("session", &self.session)
            .field("api_key", &"<redacted>")
            .finish()
    }
}

impl Waha {
    /// A provider for `session`, authenticating with `api_key` (`X-Api-Key`).
    pub fn new(session: &str, api_key: impl Into<String>) -> Result<Waha> {
        let api_key = api_key.into();
        // A header value must be visible ASCII; anything else would fail inside `fetch`.
        if !api_key.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(Error::invalid("apiKey", "must be printable ASCII"));
        }
        Ok(Waha {
            session: path_segment("session", session)?,
            api_key,
        })
    }

    fn request(&self, method: Method, rest: &str) -> HttpRequest {
        let req = HttpRequest::new(method, format!("/api/{}/groups{rest}", self.session));
        if self.api_key.is_empty() {
            req
        } else {
            req.header("X-Api-Key", self.api_key.clone())
        }
    }
}

#[derive(Serialize)]
struct CreateBody<'a> {
    name: &'a str,
    participants: Vec<IdRef>,
}

#[derive(Serialize)]
struct IdRef {
    id: String,
}

/// Checks a subject against WhatsApp's rules and returns it trimmed.
fn validate_subject(subject: &str) -> Result<&str> {
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(Error::invalid("subject", "must not be empty"));
    }
    let chars = subject.chars().count();
    if chars > SUBJECT_MAX_CHARS {
        return Err(Error::invalid(
            "subject",
            format!("has {chars} characters; WhatsApp allows at most {SUBJECT_MAX_CHARS}"),
        ));
    }
    Ok(subject)
}

/// Parses a list of phone numbers or user ids, naming the bad one by its index.
fn parse_participants(field: &str, ids: &[String]) -> Result<Vec<UserId>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| UserId::parse(&format!("{field}[{i}]"), id))
        .collect()
}

impl Provider for Waha {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Waha
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            paging: true,
            create_with_participants: true,
        }
    }

    fn create_group(&self, group: &NewGroup) -> Result<Call<Group>> {
        let subject = validate_subject(&group.subject)?;
        let participants = parse_participants("participants", &group.participants)?;
        let body = CreateBody {
            name: subject,
            participants: participants
                .into_iter()
                .map(|id| IdRef { id: id.to_string() })
                .collect(),
        };
        let subject = subject.to_owned();
        Ok(Call::new(
            self.request(Method::Post, "").json(&body),
            move |resp| {
                let resp = success(resp)?;
                if !looks_like_json(&resp.body) {
                    // WEBJS returns the library's error string with a 201 when creation fails.
                    return Err(Error::Status {
                        code: ErrorCode::Server,
                        status: resp.status,
                        message: String::from_utf8_lossy(&resp.body).trim().to_owned(),
                        retry_after_ms: None,
                    });
                }
                let raw: RawGroup = resp.json("created group")?;
                let mut created = raw
                    .into_group()
                    .ok_or_else(|| Error::Decode("created group: no group id".into()))?;
                if created.subject.is_empty() {
                    created.subject = subject;
                }
                Ok(created)
            },
        ))
    }

    fn list_groups(&self, options: &ListGroupsOptions) -> Result<Call<Vec<Group>>> {
        let mut req = self.request(Method::Get, "");
        if let Some(limit) = options.limit {
            req = req.query("limit", limit.to_string());
        }
        if let Some(offset) = options.offset {
            req = req.query("offset", offset.to_string());
        }
        if let Some(sort_by) = options.sort_by {
            req = req.query(
                "sortBy",
                match sort_by {
                    SortBy::Id => "id",
                    SortBy::Subject => "subject",
                },
            );
        }
        if let Some(order) = options.sort_order {
            req = req.query(
                "sortOrder",
                match order {
                    SortOrder::Asc => "asc",
                    SortOrder::Desc => "desc",
                },
            );
        }
        Ok(Call::new(req, |resp| {
            let resp = success(resp)?;
            let list: RawGroupList = resp.json("group list")?;
            Ok(list
                .0
                .into_iter()
                .filter_map(RawGroup::into_group)
                .collect())
        }))
    }
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

/// WAHA's error bodies (see REFERENCE.md A4): NestJS `{statusCode, message, error}`, the
/// 500 filter's `{exception: {message, data, details}}`, the 422 session body `{error, status}`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorBody {
    message: Option<Message>,
    error: Option<String>,
    exception: Option<Exception>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Message {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Exception {
    message: Option<String>,
    data: Option<serde_json::Value>,
    details: Option<String>,
}

/// Maps a non-2xx WAHA response to an [`Error`]. The one place WAHA statuses are read.
pub(crate) fn error_from(resp: &HttpResponse) -> Error {
    let body: ErrorBody = serde_json::from_slice(&resp.body).unwrap_or_default();
    let exception = body.exception.unwrap_or_default();
    let message = match body.message {
        Some(Message::One(m)) => Some(m),
        Some(Message::Many(ms)) => Some(ms.join("; ")),
        None => None,
    }
    .or_else(|| match (exception.message.as_deref(), exception.details) {
        (Some(m), Some(d)) if !d.is_empty() => Some(format!("{m}: {d}")),
        (m, _) => m.map(str::to_owned),
    })
    .or(body.error)
    .unwrap_or_else(|| {
        let text = String::from_utf8_lossy(&resp.body);
        let text = text.trim();
        if text.is_empty() {
            format!("HTTP {}", resp.status)
        } else {
            text.chars().take(200).collect()
        }
    });

    let rate_overlimit = exception.message.as_deref() == Some("rate-overlimit")
        || exception.data.as_ref().and_then(serde_json::Value::as_u64) == Some(429);
    let code = match resp.status {
        _ if rate_overlimit => ErrorCode::RateLimited,
        422 | 501 if message.to_ascii_lowercase().contains("not implemented") => {
            ErrorCode::Unsupported
        }
        // 422 without "not implemented" is the session not being WORKING yet.
        422 => ErrorCode::Conflict,
        status => ErrorCode::from_status(status),
    };
    let retry_after_ms = resp
        .header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| s * 1000);
    Error::Status {
        code,
        status: resp.status,
        message,
        retry_after_ms,
    }
}

#[cfg(test)]
mod tests;
