//! How Wavy's failure statuses and error bodies become [`Error`]s.

use super::*;
use crate::error::ErrorCode;

const NOT_FOUND: &str = include_str!("../fixtures/error_not_found.json");

fn resp(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body)
}

fn status_of(err: &Error) -> (ErrorCode, Option<u16>) {
    (err.code(), err.status())
}

#[test]
fn error_statuses_map_to_codes_and_carry_the_message() {
    let cases = [
        (400, ErrorCode::InvalidInput),
        (401, ErrorCode::Unauthorized),
        (403, ErrorCode::Forbidden),
        (404, ErrorCode::NotFound),
        (409, ErrorCode::Conflict),
        (429, ErrorCode::RateLimited),
        (500, ErrorCode::Server),
        (502, ErrorCode::Server),
        (503, ErrorCode::Server),
    ];
    for (status, code) in cases {
        let body = format!(r#"{{"errorCode":{status},"errorMessage":"went wrong {status}"}}"#);
        let err = error_from(&resp(status, &body));
        assert_eq!(
            err,
            Error::Status {
                code,
                status,
                message: format!("went wrong {status}"),
                retry_after_ms: None
            }
        );
    }
}

#[test]
fn not_found_fixture_maps_to_not_found() {
    let err = wavy()
        .set_subject(&gid(GROUP), "new-group-subject")
        .unwrap()
        .parse_final(resp(404, NOT_FOUND))
        .unwrap_err();
    assert_eq!(status_of(&err), (ErrorCode::NotFound, Some(404)));
    assert!(err.to_string().contains("group not found"), "{err}");
}

#[test]
fn rate_limit_carries_retry_after_in_ms() {
    let mut limited = resp(429, r#"{"errorCode":429,"errorMessage":"slow down"}"#);
    limited.headers.push(("retry-after".into(), "7".into()));
    let err = error_from(&limited);
    assert_eq!(err.code(), ErrorCode::RateLimited);
    assert_eq!(err.retry_after_ms(), Some(7000));
}

#[test]
fn error_without_a_json_message_keeps_the_text_trimmed_to_200_chars() {
    let long = format!("  {}  ", "y".repeat(500));
    let Error::Status { message, code, .. } = error_from(&resp(502, &long)) else {
        panic!("expected a status error");
    };
    assert_eq!(code, ErrorCode::Server);
    assert_eq!(message, "y".repeat(200));
    let Error::Status { message, .. } = error_from(&resp(401, "")) else {
        panic!("expected a status error");
    };
    assert_eq!(message, "HTTP 401");
}

#[test]
fn every_operation_maps_a_failure_status() {
    let w = wavy();
    let id = gid(GROUP);
    let unauthorized = || resp(401, r#"{"errorCode":401,"errorMessage":"bad token"}"#);
    let errors = [
        w.create_group(&NewGroup {
            subject: "s".into(),
            participants: vec![],
        })
        .unwrap()
        .parse_final(unauthorized())
        .map(drop),
        w.list_groups(&Default::default())
            .unwrap()
            .parse_final(unauthorized())
            .map(drop),
        w.count_groups()
            .unwrap()
            .parse_final(unauthorized())
            .map(drop),
        w.get_group(&id)
            .unwrap()
            .parse_final(unauthorized())
            .map(drop),
        w.get_invite_link(&id)
            .unwrap()
            .parse_final(unauthorized())
            .map(drop),
        w.revoke_invite_link(&id)
            .unwrap()
            .parse_final(unauthorized())
            .map(drop),
        w.leave_group(&id).unwrap().parse_final(unauthorized()),
        w.remove_icon(&id).unwrap().parse_final(unauthorized()),
        w.send_text(&id, "hi")
            .unwrap()
            .parse_final(unauthorized())
            .map(drop),
    ];
    for (i, result) in errors.into_iter().enumerate() {
        let err = result.unwrap_err();
        assert_eq!(
            status_of(&err),
            (ErrorCode::Unauthorized, Some(401)),
            "#{i}"
        );
        assert!(err.to_string().contains("bad token"), "#{i}: {err}");
    }
}
