//! The core in a browser window, against the sandbox on loopback.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{SANDBOX, unique, waha};
use wa_groups::model::{ListGroupsOptions, NewGroup, Role};
use wa_groups::{Client, ErrorCode};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn waha_create_group_then_list_groups_finds_it() {
    let client = waha();
    let subject = unique("Browser");
    let created = client
        .create_group(&NewGroup {
            subject: subject.clone(),
            participants: vec!["5511988887777".into()],
        })
        .await
        .expect("create");
    assert_eq!(created.subject, subject);
    assert!(created.id.as_str().ends_with("@g.us"));

    let groups = client
        .list_groups(&ListGroupsOptions::default())
        .await
        .expect("list");
    let found = groups
        .iter()
        .find(|g| g.id == created.id)
        .expect("the new group is listed");
    assert_eq!(found.subject, subject);
    assert!(
        found
            .participants
            .iter()
            .any(|p| p.id.as_str() == "5511988887777@c.us" && p.role == Role::Member)
    );
}

#[wasm_bindgen_test]
async fn waha_list_groups_honours_limit() {
    let client = waha();
    for _ in 0..2 {
        client
            .create_group(&NewGroup {
                subject: unique("Paged"),
                participants: vec![],
            })
            .await
            .unwrap();
    }
    let page = client
        .list_groups(&ListGroupsOptions {
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
}

#[wasm_bindgen_test]
async fn waha_wrong_api_key_is_unauthorized() {
    let client = Client::waha(SANDBOX, "not-the-key", "default").unwrap();
    let err = client.list_groups(&Default::default()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    assert_eq!(err.status(), Some(401));
}

#[wasm_bindgen_test]
async fn waha_unknown_session_is_not_found() {
    let client = Client::waha(SANDBOX, "sandbox", "nobody").unwrap();
    let err = client.list_groups(&Default::default()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[wasm_bindgen_test]
async fn unreachable_server_is_a_network_error() {
    // Port 9 (discard) on loopback: nothing listens there.
    let client = Client::waha("http://127.0.0.1:9", "sandbox", "default").unwrap();
    let err = client.list_groups(&Default::default()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Network);
}

#[wasm_bindgen_test]
async fn empty_subject_is_rejected_before_sending() {
    // Pointing at an unreachable server proves nothing was sent: a request would fail
    // with `network`, not `invalid_input`.
    let client = Client::waha("http://127.0.0.1:9", "sandbox", "default").unwrap();
    let err = client
        .create_group(&NewGroup {
            subject: "  ".into(),
            participants: vec![],
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}
