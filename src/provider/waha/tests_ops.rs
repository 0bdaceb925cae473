//! Every WAHA operation beyond create/list: the request it builds and the responses of each
//! engine (WEBJS, NOWEB, GOWS) it reads, plus the errors it maps.

use serde_json::json;

use super::*;
use crate::http::Body;
use crate::model::Role;

pub(super) const GID: &str = "120363401234567890@g.us";
pub(super) const BASE: &str = "/api/default/groups/120363401234567890@g.us";
const CODE: &str = "KgSmc7eBq6PGq2oEOn7Cbq";

pub(super) fn waha() -> Waha {
    Waha::new("default", "secret").unwrap()
}

pub(super) fn gid() -> GroupId {
    GroupId::new("groupId", GID).unwrap()
}

pub(super) fn user(id: &str) -> UserId {
    UserId::from_provider(id)
}

pub(super) fn resp(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body)
}

/// A string response as Express sends it (`res.send(String(x))`).
pub(super) fn text(status: u16, body: &str) -> HttpResponse {
    let mut r = HttpResponse::new(status, body);
    r.headers
        .push(("content-type".into(), "text/html; charset=utf-8".into()));
    r
}

pub(super) fn body_json(req: &HttpRequest) -> serde_json::Value {
    match &req.body {
        Some(Body::Json(text)) => serde_json::from_str(text).unwrap(),
        other => panic!("expected a JSON body, got {other:?}"),
    }
}

/// Method, path, no query, the API key, and no body.
pub(super) fn assert_bare(req: &HttpRequest, method: Method, path: &str) {
    assert_eq!(req.method, method, "{path}");
    assert_eq!(req.path, path);
    assert!(req.query.is_empty(), "{:?}", req.query);
    assert_eq!(req.headers, vec![("X-Api-Key", "secret".to_owned())]);
    assert!(req.body.is_none(), "{:?}", req.body);
}

/// Method, path, no query, the API key, and exactly this JSON body.
fn assert_json(req: &HttpRequest, method: Method, path: &str, body: serde_json::Value) {
    assert_eq!(req.method, method, "{path}");
    assert_eq!(req.path, path);
    assert!(req.query.is_empty(), "{:?}", req.query);
    assert_eq!(req.headers, vec![("X-Api-Key", "secret".to_owned())]);
    assert_eq!(body_json(req), body);
}

fn code_of<T: std::fmt::Debug>(r: Result<T>) -> ErrorCode {
    r.unwrap_err().code()
}

pub(super) fn invalid_field<T: std::fmt::Debug>(r: Result<T>) -> String {
    match r.unwrap_err() {
        Error::InvalidInput { field, .. } => field,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

pub(super) fn member(id: &str, role: Role, phone: Option<&str>) -> Participant {
    let mut p = Participant::new(user(id), role);
    p.phone = phone.map(str::to_owned);
    p
}

// ---------------------------------------------------------------- count, get, delete, leave

#[test]
fn count_groups_gets_count_and_reads_it() {
    let call = waha().count_groups().unwrap();
    assert_bare(&call.request, Method::Get, "/api/default/groups/count");
    assert_eq!(call.parse_final(resp(200, r#"{"count":42}"#)).unwrap(), 42);
}

#[test]
fn count_groups_rejects_a_body_without_count() {
    let call = waha().count_groups().unwrap();
    assert_eq!(
        code_of(call.parse_final(resp(200, "[]"))),
        ErrorCode::Decode
    );
}

#[test]
fn get_group_gets_the_encoded_id() {
    let call = waha().get_group(&gid()).unwrap();
    assert_bare(&call.request, Method::Get, BASE);
}

#[test]
fn session_name_is_percent_encoded_in_every_group_path() {
    let w = Waha::new("my team", "secret").unwrap();
    assert_eq!(
        w.get_group(&gid()).unwrap().request.path,
        "/api/my%20team/groups/120363401234567890@g.us"
    );
    assert_eq!(
        w.count_groups().unwrap().request.path,
        "/api/my%20team/groups/count"
    );
}

#[test]
fn get_group_reads_each_engines_object() {
    let webjs = waha()
        .get_group(&GroupId::new("id", "120363355684878098@g.us").unwrap())
        .unwrap()
        .parse_final(resp(200, include_str!("fixtures/webjs_group.json")))
        .unwrap();
    assert_eq!(webjs.id.as_str(), "120363355684878098@g.us");
    assert_eq!(webjs.subject, "Team");
    assert_eq!(webjs.description.as_deref(), Some("Ops"));
    assert_eq!(webjs.created_at, Some(1_732_526_981));
    assert_eq!(
        webjs.participants,
        vec![
            member("85288888888@c.us", Role::Superadmin, Some("85288888888")),
            member("85299999999@c.us", Role::Member, Some("85299999999")),
        ]
    );

    let noweb = waha()
        .get_group(&gid())
        .unwrap()
        .parse_final(resp(200, include_str!("fixtures/noweb_group.json")))
        .unwrap();
    assert_eq!(noweb.id.as_str(), GID);
    assert_eq!(noweb.subject, "Team");
    assert_eq!(
        noweb.creator.as_ref().map(UserId::as_str),
        Some("5511999990000@c.us")
    );
    assert_eq!(
        noweb.participants,
        vec![
            member(
                "5511999990000@c.us",
                Role::Superadmin,
                Some("5511999990000")
            ),
            member("76699677012110@lid", Role::Admin, Some("5511888880000")),
        ]
    );

    let gows = waha()
        .get_group(&gid())
        .unwrap()
        .parse_final(resp(200, include_str!("fixtures/gows_group.json")))
        .unwrap();
    assert_eq!(gows.id.as_str(), "120363431849092219@g.us");
    assert_eq!(gows.description.as_deref(), Some("Ops"));
    assert_eq!(gows.created_at, Some(1_789_592_106));
    assert_eq!(gows.participants.len(), 2);
}

#[test]
fn gows_empty_topic_and_zero_time_mean_unknown() {
    let gows = waha()
        .get_group(&gid())
        .unwrap()
        .parse_final(resp(200, include_str!("fixtures/gows_group_settings.json")))
        .unwrap();
    assert_eq!(gows.description, None);
    assert_eq!(gows.created_at, None);
    assert_eq!(
        gows.creator.as_ref().map(UserId::as_str),
        Some("558181390000@c.us")
    );
}

#[test]
fn get_group_empty_or_null_200_is_not_found() {
    for body in ["", "  \n", "null"] {
        let err = waha()
            .get_group(&gid())
            .unwrap()
            .parse_final(resp(200, body))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound, "{body:?}");
        assert!(err.to_string().contains(GID), "{err}");
    }
}

#[test]
fn get_group_500_group_not_found_is_not_found() {
    let err = waha()
        .get_group(&gid())
        .unwrap()
        .parse_final(resp(
            500,
            include_str!("fixtures/error_group_not_found.json"),
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert_eq!(err.status(), Some(500));
    assert!(err.to_string().contains("not found"), "{err}");
}

#[test]
fn get_group_object_without_id_is_decode() {
    let err = waha()
        .get_group(&gid())
        .unwrap()
        .parse_final(resp(200, r#"{"subject":"Team"}"#))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Decode);
}

#[test]
fn delete_group_sends_delete_and_accepts_webjs_true() {
    let call = waha().delete_group(&gid()).unwrap();
    assert_bare(&call.request, Method::Delete, BASE);
    call.parse_final(text(200, "true")).unwrap();
    // Other engines (or a newer WAHA) may answer with an empty body.
    waha()
        .delete_group(&gid())
        .unwrap()
        .parse_final(resp(200, ""))
        .unwrap();
}

#[test]
fn delete_group_false_is_forbidden() {
    let err = waha()
        .delete_group(&gid())
        .unwrap()
        .parse_final(text(200, "false"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
    assert_eq!(err.status(), Some(200));
}

#[test]
fn delete_group_not_implemented_422_and_501_are_unsupported() {
    for (status, body) in [
        (501, include_str!("fixtures/error_not_implemented_501.json")),
        (422, include_str!("fixtures/error_not_implemented_422.json")),
    ] {
        let err = waha()
            .delete_group(&gid())
            .unwrap()
            .parse_final(resp(status, body))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Unsupported, "{status}");
        assert_eq!(err.status(), Some(status));
    }
}

#[test]
fn delete_group_on_noweb_or_gows_is_unsupported_before_sending() {
    for engine in [Engine::Noweb, Engine::Gows] {
        let w = waha().with_engine(Some(engine));
        assert!(!w.capabilities().delete_group);
        let err = w.delete_group(&gid()).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Unsupported {
                    operation: "deleteGroup",
                    ..
                }
            ),
            "{err:?}"
        );
    }
    let webjs = waha().with_engine(Some(Engine::Webjs));
    assert!(webjs.capabilities().delete_group);
    assert!(webjs.delete_group(&gid()).is_ok());
}

#[test]
fn leave_group_posts_leave_and_accepts_empty_200_and_201() {
    let call = waha().leave_group(&gid()).unwrap();
    assert_bare(&call.request, Method::Post, &format!("{BASE}/leave"));
    call.parse_final(resp(200, "")).unwrap();
    waha()
        .leave_group(&gid())
        .unwrap()
        .parse_final(resp(201, ""))
        .unwrap();
}

#[test]
fn leave_group_of_unknown_group_is_not_found() {
    let err = waha()
        .leave_group(&gid())
        .unwrap()
        .parse_final(resp(
            500,
            include_str!("fixtures/error_group_not_found.json"),
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[test]
fn refresh_groups_posts_refresh_and_reads_success() {
    let call = waha().refresh_groups().unwrap();
    assert_bare(&call.request, Method::Post, "/api/default/groups/refresh");
    call.parse_final(resp(200, r#"{"success":true}"#)).unwrap();
}

#[test]
fn refresh_groups_404_on_an_old_waha_is_not_found() {
    let err = waha()
        .refresh_groups()
        .unwrap()
        .parse_final(resp(
            404,
            r#"{"statusCode":404,"message":"Cannot POST /api/default/groups/refresh","error":"Not Found"}"#,
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

// ---------------------------------------------------------------- subject, description

#[test]
fn set_subject_puts_the_trimmed_subject() {
    let call = waha().set_subject(&gid(), "  New name ").unwrap();
    assert_json(
        &call.request,
        Method::Put,
        &format!("{BASE}/subject"),
        json!({"subject": "New name"}),
    );
}

#[test]
fn set_subject_accepts_true_and_empty_and_refuses_false() {
    for ok in [text(200, "true"), resp(200, ""), resp(201, "")] {
        waha()
            .set_subject(&gid(), "Team")
            .unwrap()
            .parse_final(ok)
            .unwrap();
    }
    let err = waha()
        .set_subject(&gid(), "Team")
        .unwrap()
        .parse_final(text(200, "false"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
}

#[test]
fn set_subject_limits_are_checked_before_sending() {
    assert_eq!(invalid_field(waha().set_subject(&gid(), "   ")), "subject");
    assert_eq!(
        invalid_field(waha().set_subject(&gid(), &"x".repeat(SUBJECT_MAX_CHARS + 1))),
        "subject"
    );
    // The limit is in characters, not bytes.
    assert!(
        waha()
            .set_subject(&gid(), &"é".repeat(SUBJECT_MAX_CHARS))
            .is_ok()
    );
}

#[test]
fn set_subject_gows_empty_400_is_invalid_input() {
    let err = waha()
        .set_subject(&gid(), "Team")
        .unwrap()
        .parse_final(resp(
            400,
            r#"{"statusCode":400,"message":"GOWS does not support empty group subject.","error":"Bad Request"}"#,
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("GOWS"), "{err}");
}

#[test]
fn set_description_puts_the_description_verbatim() {
    let call = waha().set_description(&gid(), " Ops\nline 2 ").unwrap();
    assert_json(
        &call.request,
        Method::Put,
        &format!("{BASE}/description"),
        json!({"description": " Ops\nline 2 "}),
    );
    call.parse_final(text(200, "true")).unwrap();
}

#[test]
fn set_description_responses_true_empty_false() {
    waha()
        .set_description(&gid(), "Ops")
        .unwrap()
        .parse_final(resp(200, ""))
        .unwrap();
    waha()
        .set_description(&gid(), "Ops")
        .unwrap()
        .parse_final(text(200, "\"true\""))
        .unwrap();
    let err = waha()
        .set_description(&gid(), "Ops")
        .unwrap()
        .parse_final(text(200, "false"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
}

#[test]
fn set_description_empty_clears_except_on_gows() {
    let call = waha().set_description(&gid(), "").unwrap();
    assert_eq!(body_json(&call.request), json!({"description": ""}));
    assert!(
        waha()
            .with_engine(Some(Engine::Webjs))
            .set_description(&gid(), "")
            .is_ok()
    );
    for blank in ["", "   "] {
        assert_eq!(
            invalid_field(
                waha()
                    .with_engine(Some(Engine::Gows))
                    .set_description(&gid(), blank)
            ),
            "description"
        );
    }
}

#[test]
fn set_description_length_limit_in_characters() {
    assert!(
        waha()
            .set_description(&gid(), &"é".repeat(DESCRIPTION_MAX_CHARS))
            .is_ok()
    );
    assert_eq!(
        invalid_field(waha().set_description(&gid(), &"x".repeat(DESCRIPTION_MAX_CHARS + 1))),
        "description"
    );
}

// ---------------------------------------------------------------- invite links, join

fn invite(r: HttpResponse) -> Result<String> {
    waha().get_invite_link(&gid()).unwrap().parse_final(r)
}

#[test]
fn get_invite_link_gets_invite_code() {
    let call = waha().get_invite_link(&gid()).unwrap();
    assert_bare(&call.request, Method::Get, &format!("{BASE}/invite-code"));
}

#[test]
fn invite_code_of_every_engine_becomes_a_link() {
    let link = format!("https://chat.whatsapp.com/{CODE}");
    // WEBJS and NOWEB: the bare code as text/html.
    assert_eq!(invite(text(200, CODE)).unwrap(), link);
    assert_eq!(invite(text(200, &format!("{CODE}\n"))).unwrap(), link);
    // GOWS: whatsmeow's full link.
    assert_eq!(invite(text(200, &link)).unwrap(), link);
    // A JSON-quoted string.
    assert_eq!(invite(resp(200, &format!("\"{CODE}\""))).unwrap(), link);
    assert_eq!(invite(resp(200, &format!("\"{link}\""))).unwrap(), link);
}

#[test]
fn invite_code_garbage_or_empty_is_decode() {
    for body in [
        "",
        "{\"code\":1}",
        "not a code!",
        "http://chat.whatsapp.com/AbC",
    ] {
        assert_eq!(
            code_of(invite(text(200, body))),
            ErrorCode::Decode,
            "{body:?}"
        );
    }
}

#[test]
fn invite_code_of_non_admin_is_forbidden() {
    let err = invite(resp(
        500,
        include_str!("fixtures/error_not_authorized.json"),
    ))
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
}

#[test]
fn revoke_invite_link_posts_and_returns_the_new_link() {
    let call = waha().revoke_invite_link(&gid()).unwrap();
    assert_bare(
        &call.request,
        Method::Post,
        &format!("{BASE}/invite-code/revoke"),
    );
    assert_eq!(
        call.parse_final(text(201, "NewCode123")).unwrap(),
        Some("https://chat.whatsapp.com/NewCode123".to_owned())
    );
    let gows = waha()
        .revoke_invite_link(&gid())
        .unwrap()
        .parse_final(text(200, "https://chat.whatsapp.com/NewCode123"))
        .unwrap();
    assert_eq!(
        gows.as_deref(),
        Some("https://chat.whatsapp.com/NewCode123")
    );
}

#[test]
fn join_group_sends_the_code_for_a_code_or_a_link() {
    for input in [
        CODE.to_owned(),
        format!("https://chat.whatsapp.com/{CODE}"),
        format!("  https://chat.whatsapp.com/{CODE}/ "),
    ] {
        let call = waha().join_group(&input).unwrap();
        assert_json(
            &call.request,
            Method::Post,
            "/api/default/groups/join",
            json!({"code": CODE}),
        );
    }
}

#[test]
fn join_group_rejects_non_https_links_and_garbage_before_sending() {
    for bad in [
        "http://chat.whatsapp.com/AbC",
        "chat.whatsapp.com/AbC",
        "ftp://x/AbC",
        "",
        "   ",
        "https://chat.whatsapp.com/",
        "Ab Cd",
        "AbC?x=1",
    ] {
        assert_eq!(invalid_field(waha().join_group(bad)), "code", "{bad:?}");
    }
}

#[test]
fn join_group_reads_the_joined_id() {
    let id = waha()
        .join_group(CODE)
        .unwrap()
        .parse_final(resp(200, &format!(r#"{{"id":"{GID}"}}"#)))
        .unwrap();
    assert_eq!(id, gid());
    let err = waha()
        .join_group(CODE)
        .unwrap()
        .parse_final(resp(200, r#"{"id":""}"#))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Decode);
    let err = waha()
        .join_group(CODE)
        .unwrap()
        .parse_final(resp(200, ""))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Decode);
}

#[test]
fn get_join_info_sends_the_code_as_an_encoded_query() {
    let call = waha()
        .get_join_info(&format!("https://chat.whatsapp.com/{CODE}"))
        .unwrap();
    let req = &call.request;
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, "/api/default/groups/join-info");
    assert_eq!(req.query, vec![("code", CODE.to_owned())]);
    assert_eq!(req.headers, vec![("X-Api-Key", "secret".to_owned())]);
    assert!(req.body.is_none());
    assert_eq!(
        req.url("http://h"),
        format!("http://h/api/default/groups/join-info?code={CODE}")
    );
    assert_eq!(invalid_field(waha().get_join_info("http://x/AbC")), "code");
}

#[test]
fn get_join_info_reads_noweb_and_gows_previews() {
    let noweb = waha()
        .get_join_info(CODE)
        .unwrap()
        .parse_final(resp(200, include_str!("fixtures/noweb_join_info.json")))
        .unwrap();
    assert_eq!(noweb.id.as_str(), GID);
    assert_eq!(noweb.subject, "Team");
    assert_eq!(noweb.description.as_deref(), Some("Ops"));
    assert_eq!(noweb.created_at, Some(1_732_526_981));
    assert_eq!(noweb.participants.len(), 1);

    let gows = waha()
        .get_join_info(CODE)
        .unwrap()
        .parse_final(resp(200, include_str!("fixtures/gows_join_info.json")))
        .unwrap();
    assert_eq!(gows.id.as_str(), "120363431849092219@g.us");
    assert_eq!(gows.subject, "Team");
    assert_eq!(gows.created_at, Some(1_789_592_106));
    assert!(gows.participants.is_empty());
}

#[test]
fn get_join_info_of_a_revoked_code_is_not_found_or_server() {
    let err = waha()
        .get_join_info(CODE)
        .unwrap()
        .parse_final(resp(200, ""))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let err = waha()
        .get_join_info(CODE)
        .unwrap()
        .parse_final(resp(
            500,
            r#"{"statusCode":500,"exception":{"message":"2 UNKNOWN: info query returned status 410: gone","code":2,"name":"Error"}}"#,
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Server);
}

// ---------------------------------------------------------------- participants

/// Runs a `list_participants` call on the v2 response; on fallback, checks the v1 request and
/// runs it on `v1`.
fn participants(v2: HttpResponse, v1: Option<HttpResponse>) -> Result<Vec<Participant>> {
    let call = waha().list_participants(&gid()).unwrap();
    assert_bare(
        &call.request,
        Method::Get,
        &format!("{BASE}/participants/v2"),
    );
    match (call.parse)(v2)? {
        Step::Done(list) => {
            assert!(v1.is_none(), "expected a fallback to v1");
            Ok(list)
        }
        Step::Next(next) => {
            assert_bare(&next.request, Method::Get, &format!("{BASE}/participants"));
            next.parse_final(v1.expect("unexpected fallback to v1"))
        }
    }
}

#[test]
fn list_participants_reads_v2_and_drops_left_members() {
    let list = participants(
        resp(200, include_str!("fixtures/participants_v2.json")),
        None,
    )
    .unwrap();
    assert_eq!(
        list,
        vec![
            member("123456789@lid", Role::Superadmin, Some("5511999990000")),
            member("5511888880000@c.us", Role::Admin, Some("5511888880000")),
            member("987654321@lid", Role::Member, None),
        ]
    );
}

#[test]
fn list_participants_404_on_v2_falls_back_to_v1_webjs() {
    let list = participants(
        resp(
            404,
            r#"{"statusCode":404,"message":"Cannot GET /api/default/groups/x/participants/v2","error":"Not Found"}"#,
        ),
        Some(resp(200, include_str!("fixtures/webjs_participants_v1.json"))),
    )
    .unwrap();
    assert_eq!(
        list,
        vec![
            member("85288888888@c.us", Role::Superadmin, Some("85288888888")),
            member("85277777777@c.us", Role::Admin, Some("85277777777")),
            member("85299999999@c.us", Role::Member, Some("85299999999")),
        ]
    );
}

#[test]
fn list_participants_v1_noweb_normalises_ids_and_lids() {
    let list = participants(
        resp(404, ""),
        Some(resp(
            200,
            include_str!("fixtures/noweb_participants_v1.json"),
        )),
    )
    .unwrap();
    assert_eq!(
        list,
        vec![
            member(
                "5511999990000@c.us",
                Role::Superadmin,
                Some("5511999990000")
            ),
            member("5511777770000@c.us", Role::Admin, Some("5511777770000")),
            member("76699677012110@lid", Role::Member, Some("5511888880000")),
        ]
    );
}

#[test]
fn list_participants_v1_gows_reads_pascal_case() {
    let list = participants(
        resp(404, ""),
        Some(resp(
            200,
            include_str!("fixtures/gows_participants_v1.json"),
        )),
    )
    .unwrap();
    assert_eq!(
        list,
        vec![
            member(
                "180002129735765@lid",
                Role::Superadmin,
                Some("558181390000")
            ),
            member("92965187932215@lid", Role::Admin, Some("558192980000")),
            member("11122233344455@lid", Role::Member, None),
        ]
    );
}

#[test]
fn list_participants_errors_on_v2_do_not_fall_back() {
    let err = participants(
        resp(500, include_str!("fixtures/error_group_not_found.json")),
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let err = participants(
        resp(401, r#"{"statusCode":401,"message":"Unauthorized"}"#),
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized);
}

#[test]
fn list_participants_v1_404_after_fallback_is_not_found() {
    let err = participants(resp(404, ""), Some(resp(404, ""))).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

pub(super) fn ids(list: &[&str]) -> Vec<UserId> {
    list.iter().map(|s| user(s)).collect()
}

pub(super) fn change(
    kind: ParticipantChange,
    requested: &[&str],
    r: HttpResponse,
) -> Result<Vec<ParticipantResult>> {
    waha()
        .change_participants(&gid(), kind, &ids(requested))
        .unwrap()
        .parse_final(r)
}

#[test]
fn change_participants_routes_and_body() {
    for (kind, route) in [
        (ParticipantChange::Add, "/participants/add"),
        (ParticipantChange::Remove, "/participants/remove"),
        (ParticipantChange::Promote, "/admin/promote"),
        (ParticipantChange::Demote, "/admin/demote"),
    ] {
        let call = waha()
            .change_participants(
                &gid(),
                kind,
                &ids(&["5511888880000@c.us", "76699677012110@lid"]),
            )
            .unwrap();
        assert_json(
            &call.request,
            Method::Post,
            &format!("{BASE}{route}"),
            json!({"participants": [{"id": "5511888880000@c.us"}, {"id": "76699677012110@lid"}]}),
        );
    }
}

#[test]
fn change_participants_rejects_an_empty_list_before_sending() {
    assert_eq!(
        invalid_field(waha().change_participants(&gid(), ParticipantChange::Add, &[])),
        "participants"
    );
}

#[test]
fn change_participants_reads_gows_errors_by_phone_number() {
    let results = change(
        ParticipantChange::Add,
        &["558193330000@c.us", "558192980000@c.us"],
        resp(200, include_str!("fixtures/gows_change_participants.json")),
    )
    .unwrap();
    assert_eq!(results.len(), 2);
    // In request order, not response order.
    assert_eq!(results[0].id.as_str(), "558193330000@c.us");
    assert!(!results[0].ok);
    assert_eq!(results[0].status, Some(409));
    assert_eq!(results[1], ParticipantResult::ok(user("558192980000@c.us")));
}

#[test]
fn change_participants_reads_noweb_string_statuses() {
    let results = change(
        ParticipantChange::Add,
        &["5511888880000@c.us", "5511777770000@c.us"],
        resp(200, include_str!("fixtures/noweb_change_participants.json")),
    )
    .unwrap();
    assert_eq!(
        results[0],
        ParticipantResult::ok(user("5511888880000@c.us"))
    );
    assert_eq!(results[1].id.as_str(), "5511777770000@c.us");
    assert!(!results[1].ok);
    assert_eq!(results[1].status, Some(409));
    assert!(results[1].message.is_some());
}

#[test]
fn change_participants_reads_webjs_add_map_with_messages() {
    let results = change(
        ParticipantChange::Add,
        &["5511777770000@c.us", "5511888880000@c.us"],
        resp(201, include_str!("fixtures/webjs_add_participants.json")),
    )
    .unwrap();
    assert_eq!(
        results,
        vec![
            ParticipantResult::failed(
                user("5511777770000@c.us"),
                Some(409),
                "The participant is already a group member"
            )
            .with_reason(crate::model::RefusalReason::AlreadyMember),
            ParticipantResult::ok(user("5511888880000@c.us")),
        ]
    );
}

#[test]
fn change_participants_unreported_id_is_not_ok_when_others_are_reported() {
    let results = change(
        ParticipantChange::Add,
        &[
            "5511888880000@c.us",
            "5511666660000@c.us",
            "5511777770000@c.us",
        ],
        resp(200, include_str!("fixtures/noweb_change_participants.json")),
    )
    .unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(
        results.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        [
            "5511888880000@c.us",
            "5511666660000@c.us",
            "5511777770000@c.us"
        ]
    );
    assert!(results[0].ok);
    assert!(!results[1].ok);
    assert_eq!(results[1].status, None);
    assert!(!results[2].ok);
}

#[test]
fn change_participants_not_authorized_500_is_forbidden() {
    let err = change(
        ParticipantChange::Promote,
        &["5511888880000@c.us"],
        resp(500, include_str!("fixtures/error_not_authorized.json")),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
    assert_eq!(err.status(), Some(500));
}

#[test]
fn change_participants_rate_overlimit_500_is_rate_limited() {
    let err = change(
        ParticipantChange::Add,
        &["5511888880000@c.us"],
        resp(500, include_str!("fixtures/error_rate_overlimit.json")),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RateLimited);
}

#[test]
fn change_participants_garbage_is_decode() {
    let err = change(
        ParticipantChange::Add,
        &["5511888880000@c.us"],
        resp(200, "oops"),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Decode);
}

// ---------------------------------------------------------------- settings

fn settings(body: &str) -> Result<GroupSettings> {
    let call = waha().get_settings(&gid()).unwrap();
    assert_bare(&call.request, Method::Get, BASE);
    call.parse_final(resp(200, body))
}

#[test]
fn get_settings_reads_webjs_metadata() {
    assert_eq!(
        settings(include_str!("fixtures/webjs_group_settings.json")).unwrap(),
        GroupSettings {
            info_admin_only: Some(true),
            messages_admin_only: Some(false),
            members_can_add: Some(false),
            approval_required: Some(true),
        }
    );
    // An older WEBJS without memberAddMode leaves it unknown.
    assert_eq!(
        settings(include_str!("fixtures/webjs_group.json")).unwrap(),
        GroupSettings {
            info_admin_only: Some(false),
            messages_admin_only: Some(false),
            members_can_add: None,
            approval_required: Some(false),
        }
    );
}

#[test]
fn get_settings_reads_noweb_join_approval_and_bool_member_add_mode() {
    assert_eq!(
        settings(include_str!("fixtures/noweb_group.json")).unwrap(),
        GroupSettings {
            info_admin_only: Some(false),
            messages_admin_only: Some(true),
            members_can_add: Some(false),
            approval_required: Some(true),
        }
    );
}

#[test]
fn get_settings_reads_gows_pascal_case() {
    assert_eq!(
        settings(include_str!("fixtures/gows_group_settings.json")).unwrap(),
        GroupSettings {
            info_admin_only: Some(true),
            messages_admin_only: Some(true),
            members_can_add: Some(false),
            approval_required: Some(true),
        }
    );
    assert_eq!(
        settings(include_str!("fixtures/gows_group.json")).unwrap(),
        GroupSettings {
            info_admin_only: Some(false),
            messages_admin_only: Some(false),
            members_can_add: Some(true),
            approval_required: Some(false),
        }
    );
}

#[test]
fn get_settings_of_unknown_group_is_not_found() {
    // The same empty or `null` 200 that `get_group` reads as "no such group".
    for body in ["", " \n", "null"] {
        assert_eq!(code_of(settings(body)), ErrorCode::NotFound, "{body:?}");
    }
    let err = waha()
        .get_settings(&gid())
        .unwrap()
        .parse_final(resp(
            500,
            include_str!("fixtures/error_group_not_found.json"),
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[test]
fn set_setting_routes_and_body_keys() {
    for (setting, value, route, body) in [
        (
            Setting::InfoAdminOnly,
            true,
            "info-admin-only",
            json!({"adminsOnly": true}),
        ),
        (
            Setting::MessagesAdminOnly,
            false,
            "messages-admin-only",
            json!({"adminsOnly": false}),
        ),
        (
            Setting::MembersCanAdd,
            true,
            "member-add-mode",
            json!({"membersCanAddNewMember": true}),
        ),
        (
            Setting::ApprovalRequired,
            false,
            "membership-approval",
            json!({"newMembersApprovalRequired": false}),
        ),
    ] {
        let call = waha().set_setting(&gid(), setting, value).unwrap();
        assert_json(
            &call.request,
            Method::Put,
            &format!("{BASE}/settings/security/{route}"),
            body,
        );
        call.parse_final(text(200, "true")).unwrap();
    }
}

#[test]
fn set_setting_responses() {
    let run = |r| {
        waha()
            .set_setting(&gid(), Setting::MessagesAdminOnly, true)
            .unwrap()
            .parse_final(r)
    };
    run(resp(200, "")).unwrap();
    run(resp(200, r#"{"success":true}"#)).unwrap();
    assert_eq!(code_of(run(text(200, "false"))), ErrorCode::Forbidden);
    assert_eq!(
        code_of(run(resp(
            422,
            include_str!("fixtures/error_not_implemented_422.json")
        ))),
        ErrorCode::Unsupported
    );
    assert_eq!(
        code_of(run(resp(
            404,
            r#"{"statusCode":404,"message":"Cannot PUT /api/default/groups/x/settings/security/member-add-mode","error":"Not Found"}"#
        ))),
        ErrorCode::NotFound
    );
}

// ---------------------------------------------------------------- join requests

#[test]
fn list_join_requests_gets_and_normalises() {
    let call = waha().list_join_requests(&gid()).unwrap();
    assert_bare(
        &call.request,
        Method::Get,
        &format!("{BASE}/participants/join-requests"),
    );
    let list = call
        .parse_final(resp(200, include_str!("fixtures/join_requests.json")))
        .unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].id.as_str(), "76699677012110@lid");
    assert_eq!(list[0].phone.as_deref(), Some("5511888880000"));
    assert_eq!(list[0].method.as_deref(), Some("invite_link"));
    // Milliseconds become seconds; seconds stay.
    assert_eq!(list[0].requested_at, Some(1_757_000_000));
    assert_eq!(list[1].id.as_str(), "5511777770000@c.us");
    assert_eq!(list[1].phone.as_deref(), Some("5511777770000"));
    assert_eq!(list[1].method.as_deref(), Some("non_admin_add"));
    assert_eq!(list[1].requested_at, Some(1_757_000_000));
    assert_eq!(list[2].phone, None);
    assert_eq!(list[2].method, None);
    assert_eq!(list[2].requested_at, Some(1_757_000_001));
}

#[test]
fn list_join_requests_empty_and_garbage() {
    let run = |r| waha().list_join_requests(&gid()).unwrap().parse_final(r);
    assert_eq!(run(resp(200, "[]")).unwrap(), vec![]);
    assert_eq!(code_of(run(resp(200, "{}"))), ErrorCode::Decode);
    assert_eq!(
        code_of(run(resp(
            501,
            include_str!("fixtures/error_not_implemented_501.json")
        ))),
        ErrorCode::Unsupported
    );
}

#[test]
fn answer_join_requests_routes_body_and_results() {
    for (approve, route) in [(true, "approve"), (false, "reject")] {
        let call = waha()
            .answer_join_requests(
                &gid(),
                approve,
                &ids(&["5511777770000@c.us", "5511888880000@c.us"]),
            )
            .unwrap();
        assert_json(
            &call.request,
            Method::Post,
            &format!("{BASE}/participants/join-requests/{route}"),
            json!({"participants": [{"id": "5511777770000@c.us"}, {"id": "5511888880000@c.us"}]}),
        );
        let results = call
            .parse_final(resp(
                200,
                include_str!("fixtures/join_request_results.json"),
            ))
            .unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].id.as_str(), "5511777770000@c.us");
        assert!(!results[0].ok);
        assert_eq!(results[0].status, Some(404));
        assert_eq!(
            results[1],
            ParticipantResult::ok(user("5511888880000@c.us"))
        );
    }
    assert_eq!(
        invalid_field(waha().answer_join_requests(&gid(), true, &[])),
        "participants"
    );
}

// ---------------------------------------------------------------- icon

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];

#[test]
fn set_icon_puts_base64_file() {
    use base64::Engine as _;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let call = waha().set_icon(&gid(), PNG, "image/png").unwrap();
    assert_json(
        &call.request,
        Method::Put,
        &format!("{BASE}/picture"),
        json!({"file": {"mimetype": "image/png", "filename": "icon.png", "data": b64(PNG)}}),
    );
    call.parse_final(resp(200, r#"{"success":true}"#)).unwrap();

    let call = waha().set_icon(&gid(), JPEG, " Image/JPEG ").unwrap();
    assert_eq!(
        body_json(&call.request),
        json!({"file": {"mimetype": "image/jpeg", "filename": "icon.jpg", "data": b64(JPEG)}})
    );
}

#[test]
fn set_icon_rejects_gif_empty_and_wrong_magic_before_sending() {
    assert_eq!(
        invalid_field(waha().set_icon(&gid(), b"GIF89a....", "image/gif")),
        "mimeType"
    );
    assert_eq!(
        invalid_field(waha().set_icon(&gid(), b"", "image/png")),
        "image"
    );
    assert_eq!(
        invalid_field(waha().set_icon(&gid(), JPEG, "image/png")),
        "image"
    );
    assert_eq!(
        invalid_field(waha().set_icon(&gid(), PNG, "image/jpeg")),
        "image"
    );
}

#[test]
fn set_icon_not_implemented_is_unsupported() {
    let err = waha()
        .set_icon(&gid(), PNG, "image/png")
        .unwrap()
        .parse_final(resp(
            501,
            include_str!("fixtures/error_not_implemented_501.json"),
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unsupported);
}

fn icon(r: HttpResponse) -> Result<Option<Icon>> {
    waha().get_icon(&gid()).unwrap().parse_final(r)
}

#[test]
fn get_icon_gets_picture_and_reads_the_url() {
    let call = waha().get_icon(&gid()).unwrap();
    assert_bare(&call.request, Method::Get, &format!("{BASE}/picture"));
    assert_eq!(
        icon(resp(
            200,
            r#"{"url":"https://pps.whatsapp.net/v/t61/x.jpg"}"#
        ))
        .unwrap(),
        Some(Icon::new("https://pps.whatsapp.net/v/t61/x.jpg", None))
    );
}

#[test]
fn get_icon_none_for_null_empty_and_missing() {
    for body in [r#"{"url":null}"#, r#"{"url":""}"#, "{}", "", "null", " \n"] {
        assert_eq!(icon(resp(200, body)).unwrap(), None, "{body:?}");
    }
    assert_eq!(code_of(icon(resp(200, "[1]"))), ErrorCode::Decode);
}

#[test]
fn remove_icon_deletes_picture() {
    let call = waha().remove_icon(&gid()).unwrap();
    assert_bare(&call.request, Method::Delete, &format!("{BASE}/picture"));
    call.parse_final(resp(200, r#"{"success":true}"#)).unwrap();
    let err = waha()
        .remove_icon(&gid())
        .unwrap()
        .parse_final(resp(
            500,
            include_str!("fixtures/error_not_authorized.json"),
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
}

// ---------------------------------------------------------------- send text

fn sent(body: &str) -> Option<String> {
    waha()
        .send_text(&gid(), "Hello group")
        .unwrap()
        .parse_final(resp(201, body))
        .unwrap()
        .id
}

#[test]
fn send_text_posts_session_chat_and_text() {
    let call = waha().send_text(&gid(), "Hello group").unwrap();
    assert_json(
        &call.request,
        Method::Post,
        "/api/sendText",
        json!({"session": "default", "chatId": GID, "text": "Hello group"}),
    );
    // The session goes in the body as given, not percent-encoded.
    let call = Waha::new("my team", "secret")
        .unwrap()
        .send_text(&gid(), "hi")
        .unwrap();
    assert_eq!(body_json(&call.request)["session"], "my team");
}

#[test]
fn send_text_reads_each_engines_message_id() {
    let expected = "true_120363401234567890@g.us_3EB0C767D26A1D8E1C2F_5511999990000@c.us";
    assert_eq!(
        sent(include_str!("fixtures/webjs_send_text.json")).as_deref(),
        Some(expected)
    );
    assert_eq!(
        sent(include_str!("fixtures/gows_send_text.json")).as_deref(),
        Some(expected)
    );
    assert_eq!(
        sent(include_str!("fixtures/noweb_send_text.json")).as_deref(),
        Some("true_120363401234567890@g.us_3EB0C767D26A1D8E1C2F")
    );
    // A message without an id still counts as sent.
    assert_eq!(sent("{}"), None);
    assert_eq!(sent(""), None);
}

#[test]
fn send_text_rejects_empty_text_and_bad_group_before_sending() {
    assert_eq!(invalid_field(waha().send_text(&gid(), "  \n")), "text");
    assert_eq!(
        invalid_field(waha().send_text(&gid(), &"x".repeat(65_537))),
        "text"
    );
    assert_eq!(
        invalid_field(waha().send_text(&GroupId::new("id", "1@c.us").unwrap(), "hi")),
        "groupId"
    );
}

#[test]
fn send_text_session_not_working_is_conflict() {
    let err = waha()
        .send_text(&gid(), "hi")
        .unwrap()
        .parse_final(resp(
            422,
            r#"{"error":"Session status is not as expected. Try again later or restart the session","session":"default","status":"STARTING","expected":["WORKING"]}"#,
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
}

// ---------------------------------------------------------------- ids

/// A group id that bypasses [`GroupId::new`]'s check, as a deserialised value could.
fn raw_gid(s: &str) -> GroupId {
    serde_json::from_value(json!(s)).unwrap()
}

#[test]
fn invalid_group_ids_are_rejected_before_sending_by_every_operation() {
    let w = waha();
    let one = ids(&["5511888880000@c.us"]);
    type Op<'a> = Box<dyn Fn(&GroupId) -> Result<HttpRequest> + 'a>;
    let ops: Vec<(&str, Op)> = vec![
        ("get_group", Box::new(|id| Ok(w.get_group(id)?.request))),
        (
            "delete_group",
            Box::new(|id| Ok(w.delete_group(id)?.request)),
        ),
        ("leave_group", Box::new(|id| Ok(w.leave_group(id)?.request))),
        (
            "set_subject",
            Box::new(|id| Ok(w.set_subject(id, "Team")?.request)),
        ),
        (
            "set_description",
            Box::new(|id| Ok(w.set_description(id, "Ops")?.request)),
        ),
        (
            "get_invite_link",
            Box::new(|id| Ok(w.get_invite_link(id)?.request)),
        ),
        (
            "revoke_invite_link",
            Box::new(|id| Ok(w.revoke_invite_link(id)?.request)),
        ),
        (
            "list_participants",
            Box::new(|id| Ok(w.list_participants(id)?.request)),
        ),
        (
            "change_participants",
            Box::new(|id| {
                Ok(w.change_participants(id, ParticipantChange::Add, &one)?
                    .request)
            }),
        ),
        (
            "get_settings",
            Box::new(|id| Ok(w.get_settings(id)?.request)),
        ),
        (
            "set_setting",
            Box::new(|id| Ok(w.set_setting(id, Setting::InfoAdminOnly, true)?.request)),
        ),
        (
            "list_join_requests",
            Box::new(|id| Ok(w.list_join_requests(id)?.request)),
        ),
        (
            "answer_join_requests",
            Box::new(|id| Ok(w.answer_join_requests(id, true, &one)?.request)),
        ),
        (
            "set_icon",
            Box::new(|id| Ok(w.set_icon(id, PNG, "image/png")?.request)),
        ),
        ("get_icon", Box::new(|id| Ok(w.get_icon(id)?.request))),
        ("remove_icon", Box::new(|id| Ok(w.remove_icon(id)?.request))),
        (
            "send_text",
            Box::new(|id| Ok(w.send_text(id, "hi")?.request)),
        ),
    ];
    for bad in [
        "",
        "abc",
        "1@c.us",
        "../x@g.us",
        "1-2-3@g.us",
        "@g.us",
        "1-@g.us",
        "12 3@g.us",
    ] {
        for (name, op) in &ops {
            assert_eq!(
                invalid_field(op(&raw_gid(bad))),
                "groupId",
                "{name} {bad:?}"
            );
        }
    }
    // The empty id is also refused when it is made.
    assert_eq!(invalid_field(GroupId::new("groupId", "")), "groupId");
    // Both modern and legacy ids pass, unencoded (`@` is legal in a segment).
    for good in [GID, "5511986100004-1603680717@g.us"] {
        for (name, op) in &ops {
            let req = op(&raw_gid(good)).unwrap_or_else(|e| panic!("{name}: {e}"));
            if *name != "send_text" {
                assert!(
                    req.path.starts_with(&format!("/api/default/groups/{good}")),
                    "{name}: {}",
                    req.path
                );
            }
        }
    }
}

// ---------------------------------------------------------------- path_segment property

/// A small, deterministic xorshift64 generator.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the bytes are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[test]
fn percent_decode_helper_round_trips_known_values() {
    assert_eq!(percent_decode("a%20b%C3%A9%25").as_deref(), Some("a bé%"));
    assert_eq!(percent_decode("%2"), None);
    assert_eq!(percent_decode("%zz"), None);
}

#[test]
fn path_segment_is_rejected_or_round_trips_without_separators() {
    const CHARS: &[char] = &[
        'a', 'Z', '0', '9', '-', '_', '~', '/', '?', '#', '%', '@', '.', ' ', 'é', '中', '+', ':',
        '&', '=', '\\', '"', '\0', '\n', '\t', '\u{1f}', '\u{7f}', '\u{85}',
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let (mut accepted, mut rejected) = (0, 0);
    for _ in 0..5000 {
        let len = rng.below(10);
        let input: String = (0..len).map(|_| CHARS[rng.below(CHARS.len())]).collect();
        match path_segment("groupId", &input) {
            Err(Error::InvalidInput { field, .. }) => {
                assert_eq!(field, "groupId");
                rejected += 1;
            }
            Err(other) => panic!("{input:?}: unexpected {other:?}"),
            Ok(encoded) => {
                accepted += 1;
                assert!(
                    !encoded.contains(['/', '?', '#', ' ']),
                    "{input:?} -> {encoded:?}"
                );
                assert!(encoded.is_ascii(), "{input:?} -> {encoded:?}");
                assert_ne!(encoded, ".", "{input:?}");
                assert_ne!(encoded, "..", "{input:?}");
                assert_eq!(
                    percent_decode(&encoded).as_deref(),
                    Some(input.as_str()),
                    "{encoded:?}"
                );
            }
        }
    }
    // The generator exercises both outcomes.
    assert!(accepted > 500 && rejected > 500, "{accepted} / {rejected}");
}
