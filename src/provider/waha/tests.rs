use serde_json::json;

use super::*;
use crate::http::Body;
use crate::model::{GroupId, Participant, Role};

fn waha() -> Waha {
    Waha::new("default", "secret").unwrap()
}

fn body_json(req: &HttpRequest) -> serde_json::Value {
    match &req.body {
        Some(Body::Json(text)) => serde_json::from_str(text).unwrap(),
        other => panic!("expected a JSON body, got {other:?}"),
    }
}

fn ok(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body)
}

fn member(id: &str, role: Role) -> Participant {
    Participant::new(UserId::from_provider(id), role)
}

#[test]
fn create_group_posts_name_and_normalised_participants() {
    let call = waha()
        .create_group(&NewGroup {
            subject: "  Team  ".into(),
            participants: vec![
                "+55 11 98888-0000".into(),
                "85299999999@s.whatsapp.net".into(),
            ],
        })
        .unwrap();
    let req = &call.request;
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/api/default/groups");
    assert_eq!(req.headers, vec![("X-Api-Key", "secret".to_owned())]);
    assert_eq!(
        body_json(req),
        json!({"name": "Team", "participants": [{"id": "5511988880000@c.us"}, {"id": "85299999999@c.us"}]})
    );
}

#[test]
fn create_group_rejects_bad_input_before_sending() {
    let empty = waha().create_group(&NewGroup {
        subject: "   ".into(),
        participants: vec![],
    });
    assert!(matches!(empty, Err(Error::InvalidInput { ref field, .. }) if field == "subject"));

    let long = waha().create_group(&NewGroup {
        subject: "x".repeat(101),
        participants: vec![],
    });
    assert!(matches!(long, Err(Error::InvalidInput { ref field, .. }) if field == "subject"));

    let bad_member = waha().create_group(&NewGroup {
        subject: "Team".into(),
        participants: vec!["5511988880000".into(), "not a phone".into()],
    });
    assert!(
        matches!(bad_member, Err(Error::InvalidInput { ref field, .. }) if field == "participants[1]")
    );
}

#[test]
fn subject_limit_counts_characters_not_bytes() {
    let call = waha().create_group(&NewGroup {
        subject: "é".repeat(100),
        participants: vec![],
    });
    assert!(call.is_ok());
}

#[test]
fn session_is_a_safe_path_segment() {
    assert!(
        matches!(Waha::new("../admin", "k"), Err(Error::InvalidInput { ref field, .. }) if field == "session")
    );
    assert!(matches!(
        Waha::new("", "k"),
        Err(Error::InvalidInput { .. })
    ));
    let req = Waha::new("my session", "k")
        .unwrap()
        .list_groups(&Default::default())
        .unwrap()
        .request;
    assert_eq!(req.path, "/api/my%20session/groups");
}

#[test]
fn no_api_key_header_when_the_key_is_empty() {
    let req = Waha::new("default", "")
        .unwrap()
        .list_groups(&Default::default())
        .unwrap()
        .request;
    assert!(req.headers.is_empty());
}

#[test]
fn create_group_reads_the_webjs_result() {
    let call = waha()
        .create_group(&NewGroup {
            subject: "Team".into(),
            participants: vec!["85299999999".into()],
        })
        .unwrap();
    let group = call
        .parse_final(ok(201, include_str!("fixtures/webjs_create.json")))
        .unwrap();
    assert_eq!(group.id.as_str(), "120363401234567890@g.us");
    assert_eq!(group.subject, "Team");
    // WEBJS's answer lists the adds, not the group's members (the creator is missing).
    assert!(group.participants.is_empty());
    assert_eq!(
        group.added,
        Some(vec![crate::model::ParticipantResult::ok(
            UserId::from_provider("85299999999@c.us")
        )])
    );
}

#[test]
fn create_group_reads_the_nowebs_and_gows_results() {
    let noweb: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/noweb_groups.json")).unwrap();
    let inner = noweb["120363401234567890@g.us"].to_string();
    let call = waha()
        .create_group(&NewGroup {
            subject: "Team".into(),
            participants: vec![],
        })
        .unwrap();
    assert_eq!(
        call.parse_final(ok(201, &inner)).unwrap().id.as_str(),
        "120363401234567890@g.us"
    );

    let call = waha()
        .create_group(&NewGroup {
            subject: "Team".into(),
            participants: vec![],
        })
        .unwrap();
    let gows = call
        .parse_final(ok(201, include_str!("fixtures/gows_group.json")))
        .unwrap();
    assert_eq!(gows.id.as_str(), "120363431849092219@g.us");
}

#[test]
fn create_group_failure_string_is_an_error_not_a_group() {
    let call = waha()
        .create_group(&NewGroup {
            subject: "Team".into(),
            participants: vec![],
        })
        .unwrap();
    let err = call
        .parse_final(ok(
            201,
            "CreateGroupError: An unknown error occupied while creating a group",
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Server);
    assert!(err.to_string().contains("CreateGroupError"), "{err}");
}

#[test]
fn list_groups_sends_paging_and_sorting() {
    let call = waha()
        .list_groups(&ListGroupsOptions {
            limit: Some(10),
            offset: Some(20),
            sort_by: Some(SortBy::Subject),
            sort_order: Some(SortOrder::Desc),
            participants: None,
        })
        .unwrap();
    assert_eq!(call.request.method, Method::Get);
    assert_eq!(
        call.request.url("http://h"),
        "http://h/api/default/groups?limit=10&offset=20&sortBy=subject&sortOrder=desc"
    );
}

#[test]
fn list_groups_without_participants_asks_waha_to_exclude_them() {
    let options = ListGroupsOptions {
        participants: Some(false),
        ..Default::default()
    };
    let call = waha().list_groups(&options).unwrap();
    assert_eq!(
        call.request.url("http://h"),
        "http://h/api/default/groups?exclude=participants"
    );
    let with = ListGroupsOptions {
        participants: Some(true),
        ..Default::default()
    };
    assert!(
        !waha()
            .list_groups(&with)
            .unwrap()
            .request
            .url("h")
            .contains("exclude")
    );
}

#[test]
fn size_comes_from_the_engine_or_from_the_members() {
    let webjs = list(&format!("[{}]", include_str!("fixtures/webjs_group.json"))).unwrap();
    assert_eq!(webjs[0].size, Some(2));
    let gows = list(&format!("[{}]", include_str!("fixtures/gows_group.json"))).unwrap();
    assert_eq!(
        gows[0].size,
        Some(2),
        "GOWS has no size: counted from its members"
    );
    let bare = list(r#"[{"JID":"1@g.us","Name":"x","Participants":[]}]"#).unwrap();
    assert_eq!(bare[0].size, None, "members left out and no size: unknown");
}

fn expected_webjs() -> Group {
    let mut g = Group::new(
        GroupId::new("id", "120363355684878098@g.us").unwrap(),
        "Team",
    );
    g.description = Some("Ops".into());
    g.creator = Some(UserId::from_provider("85288888888@c.us"));
    g.created_at = Some(1_732_526_981);
    g.size = Some(2);
    g.participants = vec![
        member("85288888888@c.us", Role::Superadmin),
        member("85299999999@c.us", Role::Member),
    ];
    g
}

fn list(body: &str) -> Result<Vec<Group>> {
    let call = waha().list_groups(&Default::default()).unwrap();
    match call.parse_final(ok(200, body))? {
        GroupListing::Groups(groups) => Ok(groups),
        other => panic!("WAHA lists whole groups, got {other:?}"),
    }
}

#[test]
fn list_groups_normalises_webjs() {
    let body = format!("[{}]", include_str!("fixtures/webjs_group.json"));
    assert_eq!(list(&body).unwrap(), vec![expected_webjs()]);
}

#[test]
fn list_groups_normalises_noweb_dict_with_lids() {
    let groups = list(include_str!("fixtures/noweb_groups.json")).unwrap();
    let mut expected = Group::new(
        GroupId::new("id", "120363401234567890@g.us").unwrap(),
        "Team",
    );
    expected.description = Some("Ops".into());
    expected.creator = Some(UserId::from_provider("5511999990000@c.us"));
    expected.created_at = Some(1_732_526_981);
    expected.size = Some(2);
    let mut lid = member("76699677012110@lid", Role::Member);
    lid.phone = Some("5511888880000".into());
    expected.participants = vec![member("5511999990000@c.us", Role::Superadmin), lid];
    assert_eq!(groups, vec![expected]);
}

#[test]
fn list_groups_normalises_gows() {
    let body = format!("[{}]", include_str!("fixtures/gows_group.json"));
    let groups = list(&body).unwrap();
    let g = &groups[0];
    assert_eq!(g.id.as_str(), "120363431849092219@g.us");
    assert_eq!(g.subject, "Team");
    assert_eq!(g.description.as_deref(), Some("Ops"));
    assert_eq!(
        g.creator.as_ref().map(UserId::as_str),
        Some("558181390000@c.us")
    );
    assert_eq!(g.created_at, Some(1_789_592_106));
    assert_eq!(g.participants.len(), 2);
    assert_eq!(g.participants[0].id.as_str(), "180002129735765@lid");
    assert_eq!(g.participants[0].phone.as_deref(), Some("558181390000"));
    assert_eq!(g.participants[0].role, Role::Superadmin);
    assert_eq!(g.participants[1].role, Role::Member);
}

#[test]
fn list_groups_of_an_empty_account() {
    assert_eq!(list("[]").unwrap(), vec![]);
    assert_eq!(list("{}").unwrap(), vec![]);
}

#[test]
fn list_groups_rejects_garbage_as_decode() {
    for body in ["", "nope", "[1,2]", "{\"a\":", "true"] {
        assert_eq!(
            list(body).unwrap_err().code(),
            ErrorCode::Decode,
            "{body:?}"
        );
    }
}

#[test]
fn unauthorized_maps_from_wahas_401() {
    let err = list_status(401, r#"{"statusCode":401,"message":"Unauthorized"}"#);
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    assert_eq!(err.status(), Some(401));
    assert!(err.to_string().contains("Unauthorized"));
}

fn list_status(status: u16, body: &str) -> Error {
    let call = waha().list_groups(&Default::default()).unwrap();
    call.parse_final(ok(status, body)).unwrap_err()
}

#[test]
fn rate_overlimit_500_is_rate_limited() {
    let err = list_status(500, include_str!("fixtures/error_rate_overlimit.json"));
    assert_eq!(err.code(), ErrorCode::RateLimited);
    assert_eq!(err.status(), Some(500));
}

#[test]
fn session_errors_map_to_not_found_and_conflict() {
    let missing = list_status(
        404,
        r#"{"statusCode":404,"message":"We didn't find a session with name 'default'.","error":"Not Found"}"#,
    );
    assert_eq!(missing.code(), ErrorCode::NotFound);
    let starting = list_status(
        422,
        r#"{"error":"Session status is not as expected. Try again later or restart the session","session":"default","status":"SCAN_QR_CODE","expected":["WORKING"]}"#,
    );
    assert_eq!(starting.code(), ErrorCode::Conflict);
    assert!(starting.to_string().contains("Session status"));
}

#[test]
fn not_implemented_by_engine_is_unsupported() {
    let old = list_status(
        422,
        r#"{"statusCode":422,"message":"The method is not implemented by the engine.","error":"Unprocessable Entity"}"#,
    );
    let new = list_status(
        501,
        r#"{"statusCode":501,"message":"The method is not implemented by 'GOWS' engine.","error":"Not Implemented"}"#,
    );
    assert_eq!(old.code(), ErrorCode::Unsupported);
    assert_eq!(new.code(), ErrorCode::Unsupported);
}

#[test]
fn validation_400_joins_messages() {
    let err = list_status(
        400,
        r#"{"statusCode":400,"message":["sortBy must be one of the following values: id, subject"],"error":"Bad Request"}"#,
    );
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("sortBy must be"));
}

#[test]
fn gows_grpc_errors_keep_their_details() {
    let err = list_status(
        500,
        r#"{"statusCode":500,"exception":{"message":"2 UNKNOWN: info query returned status 400: bad-request","code":2,"details":"server returned error 463","name":"Error"}}"#,
    );
    assert_eq!(err.code(), ErrorCode::Server);
    assert!(err.to_string().contains("463"), "{err}");
}

#[test]
fn retry_after_seconds_are_kept() {
    let call = waha().list_groups(&Default::default()).unwrap();
    let mut resp = ok(429, "");
    resp.headers.push(("retry-after".into(), "3".into()));
    let err = call.parse_final(resp).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RateLimited);
    assert_eq!(err.retry_after_ms(), Some(3000));
}
