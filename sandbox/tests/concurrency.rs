//! 200 concurrent clients doing mixed operations on shared groups, over real HTTP on
//! loopback: no update is lost. Prints the counts and the latency percentiles (asserts no
//! time).

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use common::*;
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

const CLIENTS: usize = 200;
const GROUPS: usize = 5;

type Http = Client<hyper_util::client::legacy::connect::HttpConnector, Body>;

/// Sends one request; returns the status, the body and how long it took.
async fn call(
    http: &Http,
    base: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value, Duration) {
    let request = axum::http::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"))
        .header("x-api-key", "sandbox")
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let started = Instant::now();
    let response = http.request(request).await.expect("the sandbox answers");
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let took = started.elapsed();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        took,
    )
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_clients_lose_no_update() {
    let listener = wa_groups_sandbox::listen("127.0.0.1:0".parse().unwrap()).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, sandbox()).await });

    let admin: Http = Client::builder(TokioExecutor::new()).build_http();
    let mut groups = Vec::new();
    for n in 0..GROUPS {
        let (status, body, _) = call(
            &admin,
            &base,
            "POST",
            "/api/noweb/groups",
            Some(json!({"name": format!("Shared {n}"), "participants": []})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        groups.push(body["id"].as_str().unwrap().to_owned());
    }

    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (base, groups) = (base.clone(), groups.clone());
            tokio::spawn(async move {
                // Each client has its own connections, as separate browsers would.
                let http: Http = Client::builder(TokioExecutor::new()).build_http();
                let me = format!("55118{i:08}@c.us");
                let mut latencies = Vec::new();
                for group in &groups {
                    let path = format!("/api/noweb/groups/{group}/participants/add");
                    let participants = json!({"participants": [{"id": me}]});
                    let (status, body, took) =
                        call(&http, &base, "POST", &path, Some(participants)).await;
                    assert_eq!(status, 200, "{body}");
                    latencies.push(took);
                }
                let promote = format!("/api/noweb/groups/{}/admin/promote", groups[0]);
                let participants = json!({"participants": [{"id": me}]});
                let (status, body, took) =
                    call(&http, &base, "POST", &promote, Some(participants)).await;
                assert_eq!(status, 200, "{body}");
                latencies.push(took);
                // Reads and other writes interleave with the membership changes.
                let group = &groups[i % GROUPS];
                let (status, _, took) = call(
                    &http,
                    &base,
                    "GET",
                    &format!("/api/noweb/groups/{group}"),
                    None,
                )
                .await;
                assert_eq!(status, 200);
                latencies.push(took);
                let description = json!({"description": format!("written by client {i}")});
                let path = format!("/api/noweb/groups/{group}/description");
                let (status, body, took) =
                    call(&http, &base, "PUT", &path, Some(description)).await;
                assert!(status < 300, "{status} {body}");
                latencies.push(took);
                let text =
                    json!({"session": "noweb", "chatId": group, "text": format!("hi from {i}")});
                let (status, body, took) =
                    call(&http, &base, "POST", "/api/sendText", Some(text)).await;
                assert!(status < 300, "{status} {body}");
                latencies.push(took);
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let wall = started.elapsed();

    // Every add and every promotion must be there: count what is missing.
    let mut lost = 0;
    for (n, group) in groups.iter().enumerate() {
        let (status, body, _) = call(
            &admin,
            &base,
            "GET",
            &format!("/api/noweb/groups/{group}"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        let members = body["participants"].as_array().cloned().unwrap_or_default();
        let clients = |admins_only: bool| {
            (0..CLIENTS)
                .filter(|i| {
                    let me = format!("55118{i:08}");
                    !members.iter().any(|m| {
                        m.to_string().contains(&me)
                            && (!admins_only
                                || m["admin"].as_str().is_some_and(|a| a.contains("admin")))
                    })
                })
                .count()
        };
        lost += clients(false);
        if n == 0 {
            lost += clients(true);
        }
    }
    latencies.sort();
    eprintln!(
        "concurrency: {CLIENTS} clients, {} operations over HTTP in {:.0} ms, lost updates {lost}, \
         latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        wall.as_secs_f64() * 1000.0,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
    );
    server.abort();
    assert_eq!(lost, 0, "every add and promotion is kept");
}
