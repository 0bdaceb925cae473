//! The state lock is never held for more than linear work: a group at the size cap (with
//! every member listed twice, the duplicate check's worst case) is created while other
//! clients keep reading, and anything bigger is refused before the lock is taken. No
//! timings are asserted: the work is linear by construction (hashed look-ups, see
//! `state.rs`, whose unit tests count the scans), the cap bounds it, and this test pins
//! the cap and the results at it.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::{Value, json};

const CAP: usize = 5_000;

fn post(base: &str, path: &str, body: &Value) -> Request<Body> {
    Request::post(format!("{base}{path}"))
        .header("X-Api-Key", "sandbox")
        .header("Content-Type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn read(base: &str) -> Request<Body> {
    Request::get(format!("{base}/api/default/groups/count"))
        .header("X-Api-Key", "sandbox")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_at_the_cap_is_created_while_reads_go_on_and_a_bigger_one_is_refused() {
    let base = serve(sandbox()).await;
    // Half the cap, each listed twice: the list is at the cap, the group holds half of it.
    let ids: Vec<Value> = (0..CAP)
        .map(|n| json!({"id": format!("5521{:09}@c.us", n / 2)}))
        .collect();
    let create = post(
        &base,
        "/api/default/groups",
        &json!({"name": "Big", "participants": ids}),
    );
    let created = tokio::spawn(over_http(create));
    let readers: Vec<_> = (0..20)
        .map(|_| tokio::spawn(over_http(read(&base))))
        .collect();
    for reader in readers {
        let (status, _, body) = reader.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        let count: Value = serde_json::from_slice(&body).unwrap();
        assert!(count["count"] == 0 || count["count"] == 1, "{count}");
    }
    let (status, _, body) = created.await.unwrap();
    assert_eq!(status, StatusCode::CREATED);
    let created: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        created["participants"].as_object().unwrap().len(),
        CAP / 2,
        "each member once, the creator not among them"
    );

    let over: Vec<Value> = (0..4 * CAP)
        .map(|n| json!({"id": format!("5522{n:09}@c.us")}))
        .collect();
    let (status, _, body) = over_http(post(
        &base,
        "/api/default/groups",
        &json!({"name": "Bigger", "participants": over}),
    ))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        body["message"],
        json!(["participants must contain no more than 5000 elements"])
    );
    let (_, _, count) = over_http(read(&base)).await;
    assert_eq!(
        serde_json::from_slice::<Value>(&count).unwrap(),
        json!({"count": 1})
    );
}

#[tokio::test]
async fn bulk_changes_at_the_cap_apply_to_everyone_once() {
    let router = sandbox();
    let (status, seeded) = send(
        &router,
        post_json(
            "/_sandbox/seed",
            None,
            json!({"session": "gows", "groups": 0, "bigGroupMembers": CAP}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{seeded}");
    let group = seeded["bigGroupId"].as_str().unwrap();
    // By LID, which the sandbox resolves through one hashed index, not a scan per id.
    let (_, members) = send(
        &router,
        waha(
            "GET",
            &format!("/api/gows/groups/{group}/participants/v2"),
            None,
        ),
    )
    .await;
    let lids: Vec<&str> = members.as_array().unwrap()[1..]
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(lids.len(), CAP);
    let path = format!("/api/gows/groups/{group}/admin/promote");
    let (status, results) = send(&router, waha("POST", &path, Some(participants(&lids)))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        results.as_array().unwrap().iter().all(|r| r["Error"] == 0),
        "every member promoted"
    );
    let path = format!("/api/gows/groups/{group}/participants/remove");
    let (status, results) = send(&router, waha("POST", &path, Some(participants(&lids)))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(results.as_array().unwrap().len(), CAP);
    let (_, after) = send(
        &router,
        waha(
            "GET",
            &format!("/api/gows/groups/{group}/participants/v2"),
            None,
        ),
    )
    .await;
    assert_eq!(
        after.as_array().unwrap().len(),
        1,
        "only the creator is left"
    );
}
