//! Evolution API's routes (`src/provider/evolution.rs`): `/group/<action>/{instance}` and
//! `/message/sendText/{instance}`. The group is named by `groupJid`, in the query (reads,
//! leave) or the body (the other writes): the query is rebuilt from the checked value only,
//! a route that reads the query takes no body, and a route that reads the body gets no query,
//! so Evolution never sees a `groupJid` the gateway did not check.

use axum::http::Method;
use serde_json::Value;

use super::{BodyCheck, Route};
use crate::config::Connection;

/// A WhatsApp group id as the core sends it: `digits@g.us` or `digits-digits@g.us`.
pub fn group_jid(id: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    id.strip_suffix("@g.us")
        .is_some_and(|local| match local.split_once('-') {
            Some((a, b)) => digits(a) && digits(b),
            None => digits(local),
        })
}

/// Evolution API: `/group/<action>/{instance}` and `/message/sendText/{instance}`, this
/// connection's instance only (`src/provider/evolution.rs`).
pub(super) fn route(
    connection: &Connection,
    method: &Method,
    segs: &[&str],
    query: Option<&str>,
) -> Option<Route> {
    let [prefix, action, instance] = segs else {
        return None;
    };
    if Some(*instance) != connection.session_segment().as_deref() {
        return None;
    }
    let with_body = |operation: &'static str, check: Option<BodyCheck>| {
        Some(Route {
            operation,
            group_id: None,
            icon: operation == "setIcon",
            body: check,
            write: true,
            query: None,
        })
    };
    // A route that reads the query: the one parameter it needs, checked, and no body.
    let with_query = |operation: &'static str, name: &'static str, write: bool| {
        let value = query_value(query, name)?;
        let valid = match name {
            "groupJid" => group_jid(&value),
            // An invite code: 22 letters or digits (`evolution::invite_code`).
            "inviteCode" => value.len() == 22 && value.bytes().all(|b| b.is_ascii_alphanumeric()),
            "getParticipants" => value == "false" || value == "true",
            _ => false,
        };
        if !valid {
            return None;
        }
        Some(Route {
            operation,
            group_id: (name == "groupJid").then(|| value.clone()),
            icon: false,
            body: Some(BodyCheck::Empty),
            write,
            // Only `@` needs encoding in what passed the checks.
            query: Some(format!("{name}={}", value.replace('@', "%40"))),
        })
    };
    match (method.as_str(), *prefix, *action) {
        ("POST", "group", "create") => with_body("createGroup", None),
        ("GET", "group", "fetchAllGroups") => with_query("listGroups", "getParticipants", false),
        ("GET", "group", "findGroupInfos") => with_query("getGroup", "groupJid", false),
        ("GET", "group", "participants") => with_query("listParticipants", "groupJid", false),
        ("GET", "group", "inviteCode") => with_query("getInviteLink", "groupJid", false),
        ("GET", "group", "inviteInfo") => with_query("getJoinInfo", "inviteCode", false),
        // A GET that joins a group, as Evolution routes it: a write.
        ("GET", "group", "acceptInviteCode") => with_query("joinGroup", "inviteCode", true),
        ("DELETE", "group", "leaveGroup") => with_query("leaveGroup", "groupJid", true),
        ("POST", "group", "updateGroupSubject") => {
            with_body("setSubject", Some(BodyCheck::EvolutionGroup))
        }
        ("POST", "group", "updateGroupDescription") => {
            with_body("setDescription", Some(BodyCheck::EvolutionGroup))
        }
        ("POST", "group", "revokeInviteCode") => {
            with_body("revokeInviteLink", Some(BodyCheck::EvolutionGroup))
        }
        ("POST", "group", "updateGroupPicture") => {
            with_body("setIcon", Some(BodyCheck::EvolutionPicture))
        }
        // The operation (add, remove, promote, demote) comes from the body's `action`.
        ("POST", "group", "updateParticipant") => {
            with_body("updateParticipants", Some(BodyCheck::EvolutionParticipants))
        }
        ("POST", "group", "updateSetting") => {
            with_body("updateSettings", Some(BodyCheck::EvolutionSetting))
        }
        ("POST", "message", "sendText") => with_body("sendText", Some(BodyCheck::EvolutionSend)),
        _ => None,
    }
}

/// The one value of query parameter `name`, percent-decoded (`+` is a space, as Express
/// reads it); `None` when it is missing or given more than once (Express would read a list).
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    let mut found = None;
    for pair in query?.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_encoding::percent_decode_str(key)
            .decode_utf8()
            .ok()?;
        // `groupJid[]=` and `groupJid[x]=` are the same parameter to Express's parser.
        let base = key.split('[').next().unwrap_or_default();
        if base != name {
            continue;
        }
        if found.is_some() || key.len() != name.len() {
            return None;
        }
        let value = value.replace('+', " ");
        found = Some(
            percent_encoding::percent_decode_str(&value)
                .decode_utf8()
                .ok()?
                .into_owned(),
        );
    }
    found
}

/// An Evolution body checked for `check`: the group it names, and the operation when the
/// body decides it (`updateParticipant`'s `action`); `None` refuses it.
pub(super) fn check_body(
    check: BodyCheck,
    value: &Value,
) -> Option<(String, Option<&'static str>)> {
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    let group = |id: &str| group_jid(id).then(|| id.to_owned());
    match check {
        BodyCheck::EvolutionGroup => Some((group(text("groupJid")?)?, None)),
        BodyCheck::EvolutionParticipants => {
            let operation = match text("action")? {
                "add" => "addParticipants",
                "remove" => "removeParticipants",
                "promote" => "promoteAdmins",
                "demote" => "demoteAdmins",
                _ => return None,
            };
            Some((group(text("groupJid")?)?, Some(operation)))
        }
        BodyCheck::EvolutionSetting => {
            matches!(
                text("action")?,
                "locked" | "unlocked" | "announcement" | "not_announcement"
            )
            .then_some(())?;
            Some((group(text("groupJid")?)?, None))
        }
        BodyCheck::EvolutionPicture => {
            let image = text("image")?;
            let base64 = !image.is_empty()
                && image
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
            base64.then_some(())?;
            Some((group(text("groupJid")?)?, None))
        }
        BodyCheck::EvolutionSend => Some((group(text("number")?)?, None)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allow::match_route;
    use crate::config::{Credentials, Provider, Upstream};

    fn evolution_conn() -> Connection {
        Connection {
            provider: Provider::Evolution,
            session: Some("sales".into()),
            credentials: Credentials::Evolution {
                api_key: "k".into(),
            },
            name: "evo".into(),
            upstream: Upstream::parse("http://127.0.0.1:1").unwrap(),
            webhook_secret: None,
        }
    }

    #[test]
    fn the_evolution_routes_match_with_their_checked_query_and_nothing_else() {
        let c = evolution_conn();
        let get = |p: &str, q: &str| match_route(&c, &Method::GET, p, Some(q));
        let found = get("/group/participants/sales", "groupJid=1203-16%40g.us").unwrap();
        assert_eq!(found.operation, "listParticipants");
        assert_eq!(found.group_id.as_deref(), Some("1203-16@g.us"));
        assert_eq!(found.query.as_deref(), Some("groupJid=1203-16%40g.us"));
        assert_eq!(found.body, Some(BodyCheck::Empty));
        assert!(!found.write);
        let join = get(
            "/group/acceptInviteCode/sales",
            "inviteCode=AbCdEfGhIjKlMnOpQrStUv",
        );
        assert!(join.unwrap().write, "joining by GET is a write");
        let leave = match_route(
            &c,
            &Method::DELETE,
            "/group/leaveGroup/sales",
            Some("groupJid=1203@g.us&apikey=x"),
        )
        .unwrap();
        assert_eq!(leave.query.as_deref(), Some("groupJid=1203%40g.us"));
        let post = match_route(
            &c,
            &Method::POST,
            "/group/updateGroupPicture/sales",
            Some("a=b"),
        );
        let post = post.unwrap();
        assert!(post.icon && post.write && post.query.is_none());
        for (m, p, q) in [
            (
                Method::GET,
                "/group/participants/default",
                "groupJid=1203@g.us",
            ),
            (
                Method::GET,
                "/group/participants/sales",
                "groupJid=1203@s.whatsapp.net",
            ),
            (
                Method::GET,
                "/group/participants/sales",
                "groupJid=1203%40g.us&groupJid=1@g.us",
            ),
            (
                Method::GET,
                "/group/participants/sales",
                "groupJid%5B%5D=1203@g.us",
            ),
            (Method::GET, "/group/participants/sales", ""),
            (Method::GET, "/group/participants/sales", "groupJid=-@g.us"),
            (
                Method::GET,
                "/group/participants/sales",
                "groupJid=1--2@g.us",
            ),
            (
                Method::GET,
                "/group/participants/sales",
                "groupJid=1-2-3@g.us",
            ),
            (
                Method::GET,
                "/group/participants/sales",
                "groupJid=1203@g.us.evil",
            ),
            (Method::GET, "/group/updateMemberAddMode/sales", ""),
            (Method::GET, "/instance/fetchInstances", ""),
            (Method::GET, "/chat/findChats/sales", ""),
            (Method::PUT, "/group/updateParticipant/sales", ""),
            (
                Method::GET,
                "/group/participants/sales/x",
                "groupJid=1203@g.us",
            ),
        ] {
            assert_eq!(match_route(&c, &m, p, Some(q)), None, "{m} {p}?{q}");
        }
    }

    #[test]
    fn evolution_bodies_name_a_group_and_updateparticipant_its_operation() {
        let c = evolution_conn();
        let check = |check, body: serde_json::Value| {
            crate::allow::check_body(&c, check, body.to_string().as_bytes())
        };
        let promoted = check(
            BodyCheck::EvolutionParticipants,
            serde_json::json!({"groupJid": "1203@g.us", "action": "promote", "participants": []}),
        )
        .unwrap();
        assert_eq!(promoted.operation, Some("promoteAdmins"));
        assert_eq!(promoted.group_id.as_deref(), Some("1203@g.us"));
        assert!(
            check(
                BodyCheck::EvolutionSend,
                serde_json::json!({"number": "1203@g.us"})
            )
            .is_some()
        );
        for (kind, body) in [
            (
                BodyCheck::EvolutionSend,
                serde_json::json!({"number": "5511999990000"}),
            ),
            (
                BodyCheck::EvolutionGroup,
                serde_json::json!({"groupJid": "1203"}),
            ),
            (
                BodyCheck::EvolutionParticipants,
                serde_json::json!({"groupJid": "1203@g.us", "action": "x"}),
            ),
            (
                BodyCheck::EvolutionSetting,
                serde_json::json!({"groupJid": "1203@g.us", "action": "x"}),
            ),
            (
                BodyCheck::EvolutionPicture,
                serde_json::json!({"groupJid": "1203@g.us", "image": "https://x/y.png"}),
            ),
        ] {
            assert_eq!(check(kind, body.clone()), None, "{body}");
        }
        assert!(crate::allow::check_body(&c, BodyCheck::Empty, b"").is_some());
        assert_eq!(crate::allow::check_body(&c, BodyCheck::Empty, b"{}"), None);
    }
}
