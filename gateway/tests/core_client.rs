//! The core's `wa_groups::Client` works unchanged through the gateway: `{origin}/c/{name}`
//! as its base URL, no real credential (WAHA: none; Wavy: placeholders the gateway drops),
//! the session cookie as the browser would send it.

mod common;

use common::*;
use wa_groups::model::{GroupId, NewGroup};
use wa_groups::provider::{waha::Waha, wavy::Wavy};

#[tokio::test]
async fn the_core_client_manages_waha_groups_through_the_gateway() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let client = wa_groups::Client::new(
        Waha::new("default", "").unwrap(),
        CookieTransport {
            cookie: cookie.clone(),
        },
        &format!("{}/c/default", s.gateway.base),
    )
    .unwrap();

    let group = client
        .create_group(&NewGroup {
            subject: "Gateway team".into(),
            participants: vec!["5511988880000".into()],
        })
        .await
        .unwrap();
    client.set_subject(&group.id, "Renamed").await.unwrap();
    let fetched = client.get_group(&group.id).await.unwrap();
    assert_eq!(fetched.subject, "Renamed");
    assert_eq!(client.count_groups().await.unwrap(), 1);
    let listed = client.list_groups(&Default::default()).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(
        client
            .get_invite_link(&group.id)
            .await
            .unwrap()
            .starts_with("https://")
    );
    assert!(
        !client
            .list_participants(&group.id)
            .await
            .unwrap()
            .is_empty()
    );
    client.send_text(&group.id, "hello").await.unwrap();

    // Each write is in the audit, newest first, under the user who made it.
    let audit = get(
        &format!("{}/_gateway/audit?groupId={}", s.gateway.base, group.id),
        &[("cookie", &cookie)],
    )
    .await;
    let ops: Vec<String> = audit
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ops, ["sendText", "setSubject"]);
    let all = get(
        &format!("{}/_gateway/audit", s.gateway.base),
        &[("cookie", &cookie)],
    )
    .await
    .json();
    assert_eq!(all[2]["operation"], "createGroup");
    assert_eq!(all[0]["user"], ADMIN);
    assert_eq!(all[0]["status"], 201);
}

#[tokio::test]
async fn the_core_client_manages_wavy_groups_through_the_gateway() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    // Wavy's provider wants non-empty credentials: placeholders, which the gateway replaces.
    let client = wa_groups::Client::new(
        Wavy::new("placeholder", "placeholder").unwrap(),
        CookieTransport { cookie },
        &format!("{}/c/wavy", s.gateway.base),
    )
    .unwrap();

    let group = client
        .create_group(&NewGroup {
            subject: "Wavy team".into(),
            participants: vec![],
        })
        .await
        .unwrap();
    client.set_subject(&group.id, "Wavy renamed").await.unwrap();
    assert_eq!(
        client.get_group(&group.id).await.unwrap().subject,
        "Wavy renamed"
    );
    assert_eq!(client.count_groups().await.unwrap(), 1);
    assert!(!client.get_invite_link(&group.id).await.unwrap().is_empty());
    client.send_text(&group.id, "hello").await.unwrap();
    let missing = GroupId::new("groupId", "5511000000000-1").unwrap();
    let err = client.get_group(&missing).await.unwrap_err();
    assert_eq!(err.code(), wa_groups::ErrorCode::NotFound, "{err}");
}
