//! WAHA's `/api/{session}/lids…` routes on every engine, checked against the research rather
//! than against shapes written here: `shared/research/waha-lids-mentions-adds.md` §1 (WAHA's
//! `lids.controller.ts`, 2025.5.4+). Its table gives each route's 200 body (the field names
//! are read from it below), the list's default `limit`, what a miss looks like (200 with
//! `pn: null` / `lid: null`, never 404) and the 422 text for a LID on another server. All
//! engines implement the four routes with the same DTO (§1 "Engine support").

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

const SESSIONS: [&str; 4] = ["webjs", "noweb", "gows", "default"];
const ME: &str = "5511900000000@c.us";

/// The research file's §1 table: one row per route, `(path, response cell, errors cell)`.
fn research_rows() -> Vec<(String, String, String)> {
    let path = format!(
        "{}/../../shared/research/waha-lids-mentions-adds.md",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = text.find("## 1. LID endpoints").expect("research has §1");
    let end = start + text[start..].find("\n## 2.").expect("research has §2");
    text[start..end]
        .lines()
        .filter(|l| l.starts_with("| `GET /api/{session}/lids"))
        .map(|l| {
            let cells: Vec<String> = l
                .replace("\\|", "/")
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect();
            // "| `GET path` | params | 200 response | errors |"
            let path = cells[1]
                .trim_matches('`')
                .trim_start_matches("GET ")
                .to_owned();
            (path, cells[3].clone(), cells[4].clone())
        })
        .collect()
}

fn row(path: &str) -> (String, String) {
    research_rows()
        .into_iter()
        .find(|(p, _, _)| p == path)
        .map(|(_, response, errors)| (response, errors))
        .unwrap_or_else(|| panic!("research §1 documents {path}"))
}

/// The JSON keys a documented body names: each `"word":`.
fn documented_keys(cell: &str) -> BTreeSet<String> {
    cell.split('"')
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[1].trim_start().starts_with(':'))
        .map(|w| w[0].to_owned())
        .filter(|k| k.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect()
}

fn keys(object: &Value) -> BTreeSet<String> {
    object
        .as_object()
        .unwrap_or_else(|| panic!("an object: {object}"))
        .keys()
        .cloned()
        .collect()
}

async fn ok(router: &axum::Router, path: &str) -> Value {
    let (status, body) = send(router, waha("GET", path, None)).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

/// Creates a group in `session` with these members; returns the `participants/v2` list.
async fn group_with(router: &axum::Router, session: &str, members: &[&str]) -> Vec<Value> {
    let mut body = participants(members);
    body["name"] = json!("Lids");
    let (status, created) = send(
        router,
        waha("POST", &format!("/api/{session}/groups"), Some(body)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = ["id", "JID"]
        .iter()
        .find_map(|k| match &created[*k] {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o["_serialized"].as_str().map(str::to_owned),
            _ => None,
        })
        .or_else(|| created["gid"]["_serialized"].as_str().map(str::to_owned))
        .unwrap_or_else(|| panic!("a group id in {created}"));
    ok(
        router,
        &format!("/api/{session}/groups/{id}/participants/v2"),
    )
    .await
    .as_array()
    .unwrap()
    .clone()
}

#[tokio::test]
async fn every_engine_answers_the_documented_lid_shapes() {
    let list_keys = documented_keys(&row("/api/{session}/lids").0);
    let count_keys = documented_keys(&row("/api/{session}/lids/count").0);
    let by_lid_keys = documented_keys(&row("/api/{session}/lids/{lid}").0);
    let by_pn_keys = documented_keys(&row("/api/{session}/lids/pn/{phoneNumber}").0);
    assert_eq!(list_keys, BTreeSet::from(["lid".into(), "pn".into()]));
    assert_eq!(count_keys, BTreeSet::from(["count".into()]));

    let router = sandbox();
    let members = ["5511977771001@c.us", "5511977771002@c.us"];
    for session in SESSIONS {
        let listed = group_with(&router, session, &members).await;
        let list = ok(&router, &format!("/api/{session}/lids")).await;
        let list = list
            .as_array()
            .unwrap_or_else(|| panic!("{session}: {list}"));
        for item in list {
            assert_eq!(keys(item), list_keys, "{session}: {item}");
            assert!(item["lid"].as_str().unwrap().ends_with("@lid"), "{item}");
            assert!(item["pn"].as_str().unwrap().ends_with("@c.us"), "{item}");
        }
        // sortBy='lid', sortOrder='asc'.
        let lids: Vec<&str> = list.iter().map(|i| i["lid"].as_str().unwrap()).collect();
        let mut sorted = lids.clone();
        sorted.sort();
        assert_eq!(lids, sorted, "{session}");
        for pn in members.iter().chain([&ME]) {
            assert!(
                list.iter().any(|i| i["pn"] == *pn),
                "{session} knows {pn}: {list:?}"
            );
        }

        let count = ok(&router, &format!("/api/{session}/lids/count")).await;
        assert_eq!(keys(&count), count_keys, "{session}: {count}");
        assert_eq!(count["count"], list.len(), "{session}");

        for pn in members {
            let digits = pn.trim_end_matches("@c.us");
            let found = list.iter().find(|i| i["pn"] == pn).unwrap();
            let lid = found["lid"].as_str().unwrap();
            // A LID-addressed session lists the member by that same LID.
            if listed
                .iter()
                .any(|p| p["id"].as_str().unwrap().ends_with("@lid"))
            {
                assert!(
                    listed.iter().any(|p| p["id"] == lid),
                    "{session}: {listed:?}"
                );
            }
            let bare = lid.trim_end_matches("@lid");
            for asked in [lid, bare] {
                let answer = ok(&router, &format!("/api/{session}/lids/{asked}")).await;
                assert_eq!(keys(&answer), by_lid_keys, "{session}: {answer}");
                assert_eq!(answer, json!({"lid": lid, "pn": pn}), "{session} {asked}");
            }
            for asked in [
                digits.to_owned(),
                pn.to_owned(),
                format!("{digits}@s.whatsapp.net"),
            ] {
                let answer = ok(&router, &format!("/api/{session}/lids/pn/{asked}")).await;
                assert_eq!(keys(&answer), by_pn_keys, "{session}: {answer}");
                assert_eq!(answer, json!({"lid": lid, "pn": pn}), "{session} {asked}");
            }
        }
    }
}

#[tokio::test]
async fn misses_are_200s_with_a_null_and_a_foreign_server_is_422() {
    let (_, lid_errors) = row("/api/{session}/lids/{lid}");
    let (_, pn_errors) = row("/api/{session}/lids/pn/{phoneNumber}");
    assert!(lid_errors.contains("`\"pn\": null`"), "{lid_errors}");
    assert!(pn_errors.contains("`\"lid\": null`"), "{pn_errors}");
    let invalid = lid_errors
        .split("**422** `\"")
        .nth(1)
        .and_then(|s| s.split("\"`").next())
        .expect("the research quotes the 422 message");
    assert_eq!(invalid, "Invalid LID - it must end with @lid");

    let router = sandbox();
    for session in SESSIONS {
        let answer = ok(&router, &format!("/api/{session}/lids/999999999999")).await;
        assert_eq!(answer, json!({"lid": "999999999999@lid", "pn": null}));
        let answer = ok(&router, &format!("/api/{session}/lids/999999999999@lid")).await;
        assert_eq!(answer, json!({"lid": "999999999999@lid", "pn": null}));

        let answer = ok(&router, &format!("/api/{session}/lids/pn/5511977779999")).await;
        assert_eq!(answer, json!({"lid": null, "pn": "5511977779999@c.us"}));
        // Already a LID: handed back without a lookup.
        let answer = ok(&router, &format!("/api/{session}/lids/pn/123456789@lid")).await;
        assert_eq!(answer, json!({"lid": "123456789@lid", "pn": null}));

        let (status, body) = send(
            &router,
            waha(
                "GET",
                &format!("/api/{session}/lids/5511977771001@c.us"),
                None,
            ),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{session}: {body}"
        );
        assert_eq!(body["statusCode"], 422, "{body}");
        assert_eq!(body["message"], invalid, "{body}");
    }
}

#[tokio::test]
async fn the_list_pages_with_the_documented_default_limit() {
    let (_, errors) = row("/api/{session}/lids");
    assert_eq!(errors, "—", "the list has no documented error");
    let params = research_rows()
        .into_iter()
        .find(|(p, _, _)| p == "/api/{session}/lids")
        .map(|(_, response, _)| response)
        .unwrap();
    assert!(
        params.trim_matches('`').starts_with('['),
        "a bare array: {params}"
    );
    let text = std::fs::read_to_string(format!(
        "{}/../../shared/research/waha-lids-mentions-adds.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert!(
        text.contains("query `limit` (default **100**), `offset` (default **0**)"),
        "the research documents the defaults this test uses"
    );

    let router = sandbox();
    let people: Vec<String> = (0..120).map(|i| format!("55119777{i:05}@c.us")).collect();
    let refs: Vec<&str> = people.iter().map(String::as_str).collect();
    group_with(&router, "gows", &refs).await;
    let count = ok(&router, "/api/gows/lids/count").await["count"]
        .as_u64()
        .unwrap();
    assert!(count >= 121, "{count}");
    let all = ok(&router, "/api/gows/lids?limit=1000").await;
    assert_eq!(all.as_array().unwrap().len() as u64, count);
    let first = ok(&router, "/api/gows/lids").await;
    assert_eq!(first.as_array().unwrap().len(), 100);
    assert_eq!(
        first.as_array().unwrap()[..],
        all.as_array().unwrap()[..100]
    );
    let page = ok(&router, "/api/gows/lids?limit=5&offset=100").await;
    assert_eq!(
        page.as_array().unwrap()[..],
        all.as_array().unwrap()[100..105]
    );
    let past = ok(&router, "/api/gows/lids?offset=100000").await;
    assert_eq!(past, json!([]));
}

#[tokio::test]
async fn lids_need_the_api_key_and_a_session() {
    let router = sandbox();
    for route in [
        "lids",
        "lids/count",
        "lids/123456789",
        "lids/pn/5511977771001",
    ] {
        let path = format!("/api/gows/{route}");
        for key in [None, Some("wrong")] {
            let (status, body) = send(&router, get(&path, key)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path} {key:?}: {body}");
            assert_eq!(body, json!({"statusCode": 401, "message": "Unauthorized"}));
        }
        let path = format!("/api/nobody/{route}");
        let (status, body) = send(&router, waha("GET", &path, None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_eq!(body["statusCode"], 404, "{body}");
    }
}
