//! 200 concurrent clients doing mixed operations on shared groups: no update is lost.

mod common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_clients_lose_no_update() {
    let router = sandbox();
    let mut groups = Vec::new();
    for n in 0..5 {
        let (status, body) = send(
            &router,
            post_json(
                "/api/noweb/groups",
                Some("sandbox"),
                json!({"name": format!("Shared {n}"), "participants": []}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        groups.push(body["id"].as_str().unwrap().to_owned());
    }
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let (router, groups) = (router.clone(), groups.clone());
            tokio::spawn(async move {
                let me = format!("55118{i:08}@c.us");
                for group in &groups {
                    let path = format!("/api/noweb/groups/{group}/participants/add");
                    let (status, body) = send(
                        &router,
                        post_json(
                            &path,
                            Some("sandbox"),
                            json!({"participants": [{"id": me}]}),
                        ),
                    )
                    .await;
                    assert_eq!(status, 200, "{body}");
                }
                let promote = format!("/api/noweb/groups/{}/admin/promote", groups[0]);
                send(
                    &router,
                    post_json(
                        &promote,
                        Some("sandbox"),
                        json!({"participants": [{"id": me}]}),
                    ),
                )
                .await;
                // Reads interleave with the writes.
                let (status, _) = send(
                    &router,
                    get(
                        &format!("/api/noweb/groups/{}", groups[i % 5]),
                        Some("sandbox"),
                    ),
                )
                .await;
                assert_eq!(status, 200);
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let client = client(&router, "sandbox", "noweb");
    for (n, group) in groups.iter().enumerate() {
        let id = wa_groups::model::GroupId::new("id", group.as_str()).unwrap();
        let members = client.list_participants(&id).await.unwrap();
        assert_eq!(
            members.len(),
            201,
            "group {n}: the creator and all 200 clients"
        );
        if n == 0 {
            let admins = members
                .iter()
                .filter(|p| p.role != wa_groups::model::Role::Member)
                .count();
            assert_eq!(admins, 201, "every promotion kept");
        }
    }
}
