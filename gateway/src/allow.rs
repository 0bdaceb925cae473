//! The allow-list: exactly the routes the core's providers build (`src/provider/waha.rs`,
//! `src/provider/wavy.rs`, `src/provider/evolution.rs`), as method + path pattern. Anything
//! else is not forwarded.
//!
//! Paths are matched on their raw (still percent-encoded) form, segment by segment, and
//! each variable segment must look like what the core sends: a WAHA group id
//! (`digits@g.us`), a Wavy group id (`digits-digits`), the connection's own session or
//! instance. So `..`, encoded slashes or dots, empty segments and other sessions never match.
//!
//! Evolution's routes, which name the group in a query parameter or a body field, are in
//! `allow/evolution.rs`.

use axum::http::Method;

use crate::config::{Connection, Provider};

mod evolution;

/// A matched route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The core's operation (`setSubject`, …), for the audit.
    pub operation: &'static str,
    /// The group in the path, if any.
    pub group_id: Option<String>,
    /// Icon uploads may be larger (5 MiB instead of 1 MiB).
    pub icon: bool,
    /// What the body must be checked for before forwarding.
    pub body: Option<BodyCheck>,
    /// Whether the route changes something: only admins may, and it is audited. Every
    /// method but GET writes, and so does Evolution's `GET acceptInviteCode` (a join).
    pub write: bool,
    /// The query forwarded: only what the core sends.
    pub query: Option<String>,
}

/// What a route's body must be before it is forwarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyCheck {
    /// WAHA's send: this session, to a group.
    WahaSend,
    /// Wavy's send: to one group.
    WavySend,
    /// Evolution: a JSON object whose `groupJid` is a group id.
    EvolutionGroup,
    /// Evolution's `updateParticipant`: a group, and an `action` that names the operation.
    EvolutionParticipants,
    /// Evolution's `updateSetting`: a group and one of the two settings the core changes.
    EvolutionSetting,
    /// Evolution's `updateGroupPicture`: a group and the image's base64 (never a URL the
    /// provider would fetch).
    EvolutionPicture,
    /// Evolution's `sendText`: its `number` is a group.
    EvolutionSend,
    /// No body at all (Evolution's routes that read `groupJid` from the query).
    Empty,
}

/// What a checked body tells about the route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedBody {
    /// The group the body names.
    pub group_id: Option<String>,
    /// The operation, when the body decides it (Evolution's `updateParticipant`).
    pub operation: Option<&'static str>,
    /// Whether the body was read as JSON (then it is sent as JSON, whatever the caller said).
    pub json: bool,
}

/// The query parameters the core sends (list paging/sorting, join-info's code).
const QUERY_NAMES: &[&str] = &["limit", "offset", "sortBy", "sortOrder", "exclude", "code"];

fn route(operation: &'static str, group_id: Option<&str>) -> Option<Route> {
    Some(Route {
        operation,
        group_id: group_id.map(str::to_owned),
        icon: false,
        body: None,
        write: false,
        query: None,
    })
}

/// Splits a raw path (`/api/…`) into segments; `None` for an empty segment (`//`, a trailing
/// `/`), a dot segment, a backslash, or an encoded `/`, `\` or `.`.
fn segments(path: &str) -> Option<Vec<&str>> {
    let rest = path.strip_prefix('/')?;
    let mut out = Vec::new();
    for seg in rest.split('/') {
        let lower = seg.to_ascii_lowercase();
        let unsafe_char = seg.bytes().any(|b| {
            !(b.is_ascii_alphanumeric()
                || matches!(b, b'@' | b'.' | b'-' | b'_' | b'~' | b'%' | b'+'))
        });
        if seg.is_empty()
            || seg.starts_with('.')
            || unsafe_char
            || lower.contains("%2f")
            || lower.contains("%5c")
            || lower.contains("%2e")
            || lower.contains("%00")
        {
            return None;
        }
        out.push(seg);
    }
    Some(out)
}

/// `digits@g.us` (the core's WAHA group ids; the older `digits-digits@g.us` too).
pub fn waha_group(seg: &str) -> bool {
    seg.strip_suffix("@g.us").is_some_and(|local| {
        !local.is_empty() && local.bytes().all(|b| b.is_ascii_digit() || b == b'-')
    })
}

/// `digits-digits` (Wavy's group ids).
pub fn wavy_group(seg: &str) -> bool {
    seg.split_once('-').is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    })
}

/// The route `method path?query` matches on `connection`, if it is one the core uses; the
/// query it carries is what may be forwarded.
pub fn match_route(
    connection: &Connection,
    method: &Method,
    path: &str,
    query: Option<&str>,
) -> Option<Route> {
    let segs = segments(path)?;
    let read = *method == Method::GET;
    let mut found = match connection.provider {
        Provider::Waha => waha(connection, method, &segs)?,
        Provider::Wavy => wavy(method, &segs)?,
        Provider::Evolution => return evolution::route(connection, method, &segs, query),
    };
    found.write = !read;
    found.query = if read { filter_query(query) } else { None };
    Some(found)
}

fn waha(connection: &Connection, method: &Method, segs: &[&str]) -> Option<Route> {
    let m = method.as_str();
    if let (["api", "sendText"], "POST") = (segs, m) {
        return Some(Route {
            operation: "sendText",
            group_id: None,
            icon: false,
            body: Some(BodyCheck::WahaSend),
            write: true,
            query: None,
        });
    }
    let ["api", session, "groups", tail @ ..] = segs else {
        return None;
    };
    if Some(*session) != connection.session_segment().as_deref() {
        return None;
    }
    match (m, tail) {
        ("POST", []) => return route("createGroup", None),
        ("GET", []) => return route("listGroups", None),
        ("GET", ["count"]) => return route("countGroups", None),
        ("POST", ["refresh"]) => return route("refreshGroups", None),
        ("POST", ["join"]) => return route("joinGroup", None),
        ("GET", ["join-info"]) => return route("getJoinInfo", None),
        _ => {}
    }
    let [id, rest @ ..] = tail else { return None };
    if !waha_group(id) {
        return None;
    }
    let id = Some(*id);
    let mut found = match (m, rest) {
        ("GET", []) => route("getGroup", id),
        ("DELETE", []) => route("deleteGroup", id),
        ("POST", ["leave"]) => route("leaveGroup", id),
        ("PUT", ["subject"]) => route("setSubject", id),
        ("PUT", ["description"]) => route("setDescription", id),
        ("GET", ["invite-code"]) => route("getInviteLink", id),
        ("POST", ["invite-code", "revoke"]) => route("revokeInviteLink", id),
        ("GET", ["participants"]) | ("GET", ["participants", "v2"]) => {
            route("listParticipants", id)
        }
        ("POST", ["participants", "add"]) => route("addParticipants", id),
        ("POST", ["participants", "remove"]) => route("removeParticipants", id),
        ("POST", ["admin", "promote"]) => route("promoteAdmins", id),
        ("POST", ["admin", "demote"]) => route("demoteAdmins", id),
        (
            "PUT",
            [
                "settings",
                "security",
                "info-admin-only"
                | "messages-admin-only"
                | "member-add-mode"
                | "membership-approval",
            ],
        ) => route("updateSettings", id),
        ("GET", ["participants", "join-requests"]) => route("listJoinRequests", id),
        ("POST", ["participants", "join-requests", "approve" | "reject"]) => {
            route("answerJoinRequests", id)
        }
        ("PUT", ["picture"]) => route("setIcon", id),
        ("GET", ["picture"]) => route("getIcon", id),
        ("DELETE", ["picture"]) => route("removeIcon", id),
        _ => None,
    }?;
    found.icon = found.operation == "setIcon";
    Some(found)
}

fn wavy(method: &Method, segs: &[&str]) -> Option<Route> {
    let m = method.as_str();
    let ["v1", "whatsapp", tail @ ..] = segs else {
        return None;
    };
    match (m, tail) {
        ("POST", ["send"]) => {
            return Some(Route {
                operation: "sendText",
                group_id: None,
                icon: false,
                body: Some(BodyCheck::WavySend),
                write: true,
                query: None,
            });
        }
        ("POST", ["groups"]) => return route("createGroup", None),
        ("GET", ["groups"]) => return route("listGroups", None),
        _ => {}
    }
    let ["groups", id, rest @ ..] = tail else {
        return None;
    };
    if !wavy_group(id) {
        return None;
    }
    let id = Some(*id);
    let mut found = match (m, rest) {
        ("GET", []) => route("getGroup", id),
        ("PUT", []) => route("setSubject", id),
        ("POST", ["leave"]) => route("leaveGroup", id),
        ("GET", ["invite"]) => route("getInviteLink", id),
        ("DELETE", ["invite"]) => route("revokeInviteLink", id),
        ("DELETE", ["participants"]) => route("removeParticipants", id),
        ("PATCH", ["admins"]) => route("promoteAdmins", id),
        ("DELETE", ["admins"]) => route("demoteAdmins", id),
        ("POST", ["icon"]) => route("setIcon", id),
        ("GET", ["icon"]) => route("getIcon", id),
        ("DELETE", ["icon"]) => route("removeIcon", id),
        _ => None,
    }?;
    found.icon = found.operation == "setIcon";
    Some(found)
}

/// Checks `body` for `check` on `connection`; `None` refuses it. The core only ever sends to
/// groups, so the gateway does not let the account's key message anyone else.
pub fn check_body(connection: &Connection, check: BodyCheck, body: &[u8]) -> Option<CheckedBody> {
    if check == BodyCheck::Empty {
        return body.is_empty().then_some(CheckedBody {
            group_id: None,
            operation: None,
            json: false,
        });
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
    let group = |id: &str| waha_group(id).then(|| id.to_owned());
    let checked = |group_id: String, operation: Option<&'static str>| {
        Some(CheckedBody {
            group_id: Some(group_id),
            operation,
            json: true,
        })
    };
    match check {
        BodyCheck::WahaSend => {
            if text("session")? != connection.session.as_deref()? {
                return None;
            }
            checked(group(text("chatId")?)?, None)
        }
        BodyCheck::WavySend => {
            let [destination] = value.get("destinations")?.as_array()?.as_slice() else {
                return None;
            };
            let id = destination.get("destination")?.as_str()?;
            let to_group = destination.get("recipientType")?.as_str()? == "group";
            (to_group && wavy_group(id)).then_some(())?;
            checked(id.to_owned(), None)
        }
        _ => {
            let (group_id, operation) = evolution::check_body(check, &value)?;
            checked(group_id, operation)
        }
    }
}

/// The query forwarded: only the parameters the core sends, each value of safe characters
/// (`None` drops it all). WAHA's `x-api-key` query parameter, in particular, never passes.
pub fn filter_query(query: Option<&str>) -> Option<String> {
    let kept: Vec<&str> = query?
        .split('&')
        .filter(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            QUERY_NAMES.contains(&name)
                && value.bytes().all(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'%' | b'.' | b'-' | b'_' | b'~' | b'+')
                })
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Credentials, Upstream};

    fn waha_conn() -> Connection {
        Connection {
            name: "default".into(),
            provider: Provider::Waha,
            upstream: Upstream::parse("http://127.0.0.1:1").unwrap(),
            session: Some("default".into()),
            credentials: Credentials::Waha {
                api_key: "k".into(),
            },
            webhook_secret: None,
        }
    }

    fn wavy_conn() -> Connection {
        Connection {
            provider: Provider::Wavy,
            session: None,
            credentials: Credentials::Wavy {
                user_name: "u".into(),
                token: "t".into(),
            },
            ..waha_conn()
        }
    }

    #[test]
    fn the_waha_group_routes_match_and_nothing_else() {
        let c = waha_conn();
        let ok = |m: Method, p: &str| match_route(&c, &m, p, None).map(|r| r.operation);
        assert_eq!(ok(Method::GET, "/api/default/groups"), Some("listGroups"));
        assert_eq!(
            ok(Method::PUT, "/api/default/groups/1203@g.us/subject"),
            Some("setSubject")
        );
        assert_eq!(
            ok(Method::PUT, "/api/default/groups/1203@g.us/picture"),
            Some("setIcon")
        );
        assert_eq!(ok(Method::POST, "/api/sendText"), Some("sendText"));
        for (m, p) in [
            (Method::GET, "/api/sessions"),
            (Method::GET, "/api/default/auth/qr"),
            (Method::GET, "/api/default/chats"),
            (Method::GET, "/api/other/groups"),
            (Method::GET, "/api/default/groups/"),
            (Method::GET, "/api/default/groups/../../sessions"),
            (Method::GET, "/api/default/groups/%2e%2e/x"),
            (Method::GET, "/api/default/groups/1203@g.us%2F..%2Fsessions"),
            (Method::GET, "/api/default//groups"),
            (Method::GET, "/api/default/groups/not-a-group"),
            (Method::PATCH, "/api/default/groups/1203@g.us/subject"),
            (Method::GET, "/api/sendText"),
            (Method::GET, "/v1/whatsapp/groups"),
            (Method::GET, "/api/default/groups/1203@g.us\\x"),
        ] {
            assert_eq!(match_route(&c, &m, p, None), None, "{m} {p}");
        }
    }

    #[test]
    fn the_wavy_group_routes_match_and_nothing_else() {
        let c = wavy_conn();
        let ok = |m: Method, p: &str| match_route(&c, &m, p, None).map(|r| r.operation);
        assert_eq!(ok(Method::GET, "/v1/whatsapp/groups"), Some("listGroups"));
        assert_eq!(
            ok(Method::PATCH, "/v1/whatsapp/groups/55-16/admins"),
            Some("promoteAdmins")
        );
        assert_eq!(ok(Method::POST, "/v1/whatsapp/send"), Some("sendText"));
        assert!(
            match_route(&c, &Method::POST, "/v1/whatsapp/groups/55-16/icon", None)
                .unwrap()
                .icon
        );
        for (m, p) in [
            (Method::POST, "/v1/whatsapp/groups/55-16/participants"),
            (Method::GET, "/v1/whatsapp/templates"),
            (Method::GET, "/v1/whatsapp/groups/abc"),
            (Method::GET, "/v1/sms/send"),
            (Method::GET, "/api/default/groups"),
        ] {
            assert_eq!(match_route(&c, &m, p, None), None, "{m} {p}");
        }
    }

    #[test]
    fn only_the_cores_query_parameters_pass() {
        assert_eq!(
            filter_query(Some("limit=5&x-api-key=guess&sortBy=subject")).as_deref(),
            Some("limit=5&sortBy=subject")
        );
        assert_eq!(filter_query(Some("x-api-key=guess")), None);
        assert_eq!(filter_query(None), None);
    }
}
