//! Bulk jobs against the sandbox: every item is reported, in order, with or without faults.

mod common;

use common::*;
use serde_json::json;
use wa_groups::bulk::{BulkItem, BulkOptions};
use wa_groups::model::{GroupId, ListGroupsOptions, ParticipantChange, SortBy};
use wa_groups::retry::RetryPolicy;

/// 10 groups of 100 members; one promote per member: 1,000 items.
async fn job(router: &axum::Router) -> Vec<BulkItem> {
    let (status, body) = send(
        router,
        post_json(
            "/_sandbox/seed",
            None,
            json!({"session": "noweb", "groups": 10, "membersPerGroup": 100}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let client = client(router, "sandbox", "noweb");
    let options = ListGroupsOptions {
        sort_by: Some(SortBy::Id),
        participants: Some(false),
        ..Default::default()
    };
    let groups: Vec<GroupId> = client
        .list_groups(&options)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.id)
        .collect();
    assert_eq!(groups.len(), 10);
    (0..1000)
        .map(|n| BulkItem {
            group: groups[n / 100].clone(),
            change: ParticipantChange::Promote,
            participant: format!("5521{n:09}"),
        })
        .collect()
}

#[tokio::test]
async fn a_thousand_promotions_all_apply_and_progress_reaches_the_total() {
    let router = sandbox();
    let items = job(&router).await;
    let client = client(&router, "sandbox", "noweb");
    let mut seen = Vec::new();
    let report = client
        .bulk_change_participants(
            &items,
            BulkOptions {
                concurrency: 4,
                batch_size: 25,
                ..BulkOptions::default()
            },
            |done, total| seen.push((done, total)),
        )
        .await;
    assert_eq!((report.succeeded, report.failed), (1000, 0));
    assert!(
        report
            .outcomes
            .iter()
            .enumerate()
            .all(|(i, o)| o.index == i)
    );
    assert_eq!(seen.len(), 40, "one progress call per batch");
    assert_eq!(seen.last(), Some(&(1000, 1000)));
}

#[tokio::test]
async fn under_a_20_percent_fault_rate_every_item_is_reported() {
    let router = sandbox();
    let items = job(&router).await;
    let (status, _) = send(
        &router,
        post_json("/_sandbox/faults", None, json!([{"route": "/api/noweb/groups/", "method": "POST", "status": 503, "probability": 0.2}])),
    )
    .await;
    assert_eq!(status, 204);
    let client = client(&router, "sandbox", "noweb").with_retry(RetryPolicy::none());
    let mut items = items;
    items.push(BulkItem {
        participant: "not a phone".into(),
        ..items[0].clone()
    });
    let report = client
        .bulk_change_participants(
            &items,
            BulkOptions {
                concurrency: 4,
                batch_size: 20,
                ..BulkOptions::default()
            },
            |_, _| {},
        )
        .await;
    assert_eq!(report.outcomes.len(), 1001, "nothing dropped");
    assert_eq!(report.succeeded + report.failed, 1001);
    assert!(
        report.failed > 1 && report.succeeded > 500,
        "{} failed",
        report.failed
    );
    let codes: std::collections::BTreeSet<_> = report
        .outcomes
        .iter()
        .filter_map(|o| o.code.clone())
        .collect();
    assert_eq!(
        codes,
        ["invalid_input".to_owned(), "server".to_owned()]
            .into_iter()
            .collect()
    );
    // The server's record agrees: only the batches it answered 2xx were applied.
    let stats = send(&router, get("/_sandbox/stats", None)).await.1;
    let applied_batches = stats["total"].as_u64().unwrap() as usize;
    assert_eq!(applied_batches * 20, report.succeeded, "{stats}");
}

/// The sandbox answers 429 + `Retry-After: 1` beyond `per_second` group requests a second.
async fn limit_rate(router: &axum::Router, per_second: u32) {
    let rule = json!([{"route": "/api/noweb/groups/", "ratePerSecond": per_second}]);
    let (status, _) = send(router, post_json("/_sandbox/faults", None, rule)).await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn a_rate_limited_job_pauses_as_one_and_loses_nothing() {
    let router = sandbox();
    let items = job(&router).await;
    // 12 requests a second; the job needs 50 (batches of 20), so it meets the limit often.
    limit_rate(&router, 12).await;
    // Client retries off: every 429 is the job's own pacing at work.
    let client = client(&router, "sandbox", "noweb").with_retry(RetryPolicy::none());
    let report = client
        .bulk_change_participants(
            &items,
            BulkOptions {
                concurrency: 4,
                batch_size: 20,
                ..BulkOptions::default()
            },
            |_, _| {},
        )
        .await;
    assert_eq!((report.succeeded, report.failed), (1000, 0), "{report:?}");
    assert!(report.throttled >= 1, "the limit was met");
    // One pause serves all workers: far fewer 429s than a worker-by-worker retry would
    // draw (each of the 4 workers hitting the limit each second it is exceeded).
    assert!(report.throttled <= 4 * 5, "{} 429s", report.throttled);
    let stats = send(&router, get("/_sandbox/stats", None)).await.1;
    assert_eq!(
        stats["total"].as_u64(),
        Some(50),
        "each batch applied once: {stats}"
    );
}

#[tokio::test]
async fn a_request_rate_spaces_the_job_below_the_limit() {
    let router = sandbox();
    let items: Vec<BulkItem> = job(&router).await.into_iter().take(200).collect();
    limit_rate(&router, 12).await;
    let client = client(&router, "sandbox", "noweb").with_retry(RetryPolicy::none());
    let report = client
        .bulk_change_participants(
            &items,
            BulkOptions {
                concurrency: 4,
                batch_size: 10,
                requests_per_second: Some(10.0),
                ..BulkOptions::default()
            },
            |_, _| {},
        )
        .await;
    assert_eq!((report.succeeded, report.failed), (200, 0));
    assert_eq!(report.throttled, 0, "paced below the limit, never refused");
}

#[tokio::test]
async fn promoting_someone_who_is_not_a_member_is_reported_not_applied() {
    let router = sandbox();
    let items = job(&router).await;
    let client = client(&router, "sandbox", "noweb");
    let mixed = vec![
        items[0].clone(),
        BulkItem {
            participant: "5599999999999".into(),
            ..items[0].clone()
        },
    ];
    let report = client
        .bulk_change_participants(&mixed, BulkOptions::default(), |_, _| {})
        .await;
    assert!(report.outcomes[0].ok);
    assert_eq!(report.outcomes[1].code.as_deref(), Some("not_applied"));
    assert_eq!(report.outcomes[1].status, Some(404));
}
