//! The core in a browser against the sandbox's injected faults: every operation under
//! every fault ends in success or a typed error, a POST is never applied twice, `Retry-After`
//! is honoured, an abort during a backoff returns at once, and a bulk job under a 20 % fault
//! rate reports every item.
//!
//! Faults are set through `/_sandbox/faults`, scoped to the provider's routes and to one
//! request (`times: 1`), so each cell meets exactly one fault on its first request. The tests
//! of this binary run one at a time; each clears the faults before it starts. Within the
//! matrix, the three providers run side by side, each replacing and clearing only the
//! faults under its own routes (`?scope=`) and reading only its own paths' counts.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use common::SANDBOX;
use serde_json::{Value, json};
use wa_groups::bulk::{BulkItem, BulkOptions};
use wa_groups::http::{HttpRequest, Method, Transport};
use wa_groups::model::{GroupId, GroupSettings, NewGroup, ParticipantChange};
use wa_groups::provider::ProviderKind;
use wa_groups::retry::RetryPolicy;
use wa_groups::transport::FetchTransport;
use wa_groups::{Client, ErrorCode};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Every request of a cell gets this long; a stalled body ends in `timeout`. It is only the
/// stalled cells' wait, so it leaves room for a loaded machine: the matrix runs while other
/// layers build and drive Chromium, and 600 ms once timed out a healthy request there
/// (Wavy's `setIcon` after its `Retry-After`, on a clean CI run).
const TIMEOUT_MS: u32 = 2_000;

async fn control(method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = HttpRequest::new(method, format!("/_sandbox{path}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = FetchTransport::default()
        .send(SANDBOX, request)
        .await
        .expect("the control API answers");
    let value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    (response.status, value)
}

async fn inject(rules: Value) {
    let (status, body) = control(Method::Post, "/faults", Some(rules)).await;
    assert_eq!(status, 204, "{body}");
}

async fn clear_faults() {
    control(Method::Delete, "/faults", None).await;
}

/// Replaces the faults under `scope` only (`?scope=`), leaving other subjects' in place.
async fn inject_within(scope: &str, rules: Value) {
    let path = format!("/faults?scope={scope}");
    let (status, body) = control(Method::Post, &path, Some(rules)).await;
    assert_eq!(status, 204, "{body}");
}

async fn clear_faults_within(scope: &str) {
    control(Method::Delete, &format!("/faults?scope={scope}"), None).await;
}

/// What the sandbox counted: side effects applied and requests received, by `METHOD path`.
#[derive(Default)]
struct Stats {
    applied: BTreeMap<String, u64>,
    received: BTreeMap<String, u64>,
}

async fn side_effects() -> Stats {
    let (_, stats) = control(Method::Get, "/stats", None).await;
    Stats {
        applied: serde_json::from_value(stats["sideEffects"].clone()).unwrap_or_default(),
        received: serde_json::from_value(stats["requests"].clone()).unwrap_or_default(),
    }
}

/// The requests a reading counts, by `METHOD path`: everything, or one subject's.
type Owns = fn(&str) -> bool;

fn everything(_: &str) -> bool {
    true
}

/// Whether a `METHOD path` key is one of `owns`'s paths.
fn owned(key: &str, owns: Owns) -> bool {
    key.split_once(' ').is_some_and(|(_, path)| owns(path))
}

fn post_delta(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>, owns: Owns) -> u64 {
    after
        .iter()
        .filter(|(k, _)| k.starts_with("POST ") && owned(k, owns))
        .map(|(k, n)| n - before.get(k).copied().unwrap_or(0))
        .sum()
}

/// Non-idempotent requests (POST) to `owns`'s paths applied between two readings.
fn posts_applied(before: &Stats, after: &Stats, owns: Owns) -> u64 {
    post_delta(&before.applied, &after.applied, owns)
}

/// Writes (any method but GET, and not a CORS preflight) to `owns`'s paths the sandbox
/// received between two readings.
fn writes_received(before: &Stats, after: &Stats, owns: Owns) -> u64 {
    after
        .received
        .iter()
        .filter(|(k, _)| !k.starts_with("GET ") && !k.starts_with("OPTIONS ") && owned(k, owns))
        .map(|(k, n)| n - before.received.get(k).copied().unwrap_or(0))
        .sum()
}

/// FetchTransport, counting the writes (POST, PUT, DELETE…) this client itself sends (a
/// browser may re-send one on its own after a connection reset; this tells the two apart).
#[derive(Clone)]
struct Counting {
    inner: FetchTransport,
    posts: Rc<Cell<u32>>,
    writes: Rc<Cell<u32>>,
}

impl Transport for Counting {
    async fn send(
        &self,
        base_url: &str,
        request: HttpRequest,
    ) -> wa_groups::Result<wa_groups::http::HttpResponse> {
        if request.method == Method::Post {
            self.posts.set(self.posts.get() + 1);
        }
        if request.method != Method::Get {
            self.writes.set(self.writes.get() + 1);
        }
        self.inner.send(base_url, request).await
    }
    async fn sleep(&self, ms: u64) -> wa_groups::Result<()> {
        self.inner.sleep(ms).await
    }
    fn random(&self) -> f64 {
        self.inner.random()
    }
    fn now_ms(&self) -> f64 {
        self.inner.now_ms()
    }
}

fn tag() -> u32 {
    (js_sys::Math::random() * 1e9) as u32
}

/// One provider under test: its client, the route prefix its faults are scoped to, and
/// the paths its requests reach (the subjects run side by side, so each reads only its own
/// in the sandbox's counts).
struct Subject {
    name: &'static str,
    client: Client<Counting>,
    route: &'static str,
    owns: Owns,
    posts: Rc<Cell<u32>>,
    writes: Rc<Cell<u32>>,
}

fn subject(
    name: &'static str,
    route: &'static str,
    owns: Owns,
    client: impl FnOnce(Counting) -> Client<Counting>,
) -> Subject {
    let posts = Rc::new(Cell::new(0));
    let writes = Rc::new(Cell::new(0));
    let transport = Counting {
        inner: FetchTransport::with_timeout(Some(TIMEOUT_MS)),
        posts: posts.clone(),
        writes: writes.clone(),
    };
    Subject {
        name,
        client: client(transport),
        route,
        owns,
        posts,
        writes,
    }
}

fn subjects() -> Vec<Subject> {
    vec![
        // WAHA's routes, `/api/sendText` included (its session is in the body).
        subject(
            "waha (gows)",
            "/api/gows/",
            |p| p.starts_with("/api/"),
            |t| {
                Client::waha(SANDBOX, "sandbox", "gows")
                    .unwrap()
                    .with_transport(t)
            },
        ),
        subject(
            "wavy",
            "/v1/whatsapp/",
            |p| p.starts_with("/v1/"),
            |t| {
                Client::wavy(SANDBOX, "sandbox", "sandbox")
                    .unwrap()
                    .with_transport(t)
            },
        ),
        // Its group routes (`sendText` lives under `/message/`, outside the faults).
        subject(
            "evolution",
            "/group/",
            |p| !p.starts_with("/api/") && !p.starts_with("/v1/") && !p.starts_with("/_sandbox/"),
            |t| {
                Client::evolution(SANDBOX, "sandbox", "default")
                    .unwrap()
                    .with_transport(t)
            },
        ),
    ]
}

/// A fresh group with one member, made without faults, for one cell.
struct Fixture {
    id: GroupId,
    member: String,
    link: Option<String>,
}

async fn fixture(subject: &Subject) -> Fixture {
    let client = &subject.client;
    let member = format!("55119{:08}", tag() % 100_000_000);
    let caps = client.capabilities();
    let participants = if caps.create_with_participants {
        vec![member.clone()]
    } else {
        vec![]
    };
    let id = client
        .create_group(&NewGroup {
            subject: format!("Fault {:05}", tag() % 100_000),
            participants,
        })
        .await
        .expect("fixture group")
        .id;
    let link = client.get_invite_link(&id).await.ok();
    if !caps.create_with_participants {
        let (status, body) = control(
            Method::Post,
            "/join",
            Some(json!({"link": link.clone().expect("a link to join by"), "phone": member})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    Fixture { id, member, link }
}

const OPERATIONS: [&str; 20] = [
    "createGroup",
    "listGroups",
    "countGroups",
    "getGroup",
    "setSubject",
    "setDescription",
    "getInviteLink",
    "revokeInviteLink",
    "getJoinInfo",
    "joinGroup",
    "listParticipants",
    "promote",
    "getSettings",
    "updateSettings",
    "listJoinRequests",
    "setIcon",
    "getIcon",
    "removeIcon",
    "sendText",
    "leaveGroup",
];

/// Runs one operation; `Ok` carries nothing, `Err` the error's code.
async fn operate(client: &Client<Counting>, op: &str, f: &Fixture) -> Result<(), ErrorCode> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let link = f.link.clone().unwrap_or_default();
    let done = |r: Result<(), wa_groups::Error>| r.map_err(|e| e.code());
    match op {
        "createGroup" => done(
            client
                .create_group(&NewGroup {
                    subject: "Fault new".into(),
                    // Evolution creates a group only with a first member.
                    participants: if client.provider() == ProviderKind::Evolution {
                        vec![f.member.clone()]
                    } else {
                        vec![]
                    },
                })
                .await
                .map(drop),
        ),
        "listGroups" => done(client.list_groups(&Default::default()).await.map(drop)),
        "countGroups" => done(client.count_groups().await.map(drop)),
        "getGroup" => done(client.get_group(&f.id).await.map(drop)),
        "setSubject" => done(client.set_subject(&f.id, "Fault renamed").await),
        "setDescription" => done(client.set_description(&f.id, "About faults").await),
        "getInviteLink" => done(client.get_invite_link(&f.id).await.map(drop)),
        "revokeInviteLink" => done(client.revoke_invite_link(&f.id).await.map(drop)),
        "getJoinInfo" => done(client.get_join_info(&link).await.map(drop)),
        "joinGroup" => done(client.join_group(&link).await.map(drop)),
        "listParticipants" => done(client.list_participants(&f.id).await.map(drop)),
        "promote" => done(
            client
                .change_participants(
                    &f.id,
                    ParticipantChange::Promote,
                    std::slice::from_ref(&f.member),
                )
                .await
                .map(drop),
        ),
        "getSettings" => done(client.get_settings(&f.id).await.map(drop)),
        "updateSettings" => done(
            client
                .update_settings(
                    &f.id,
                    &GroupSettings {
                        messages_admin_only: Some(true),
                        ..Default::default()
                    },
                )
                .await,
        ),
        "listJoinRequests" => done(client.list_join_requests(&f.id).await.map(drop)),
        "setIcon" => done(client.set_icon(&f.id, PNG, "image/png").await),
        "getIcon" => done(client.get_icon(&f.id).await.map(drop)),
        "removeIcon" => done(client.remove_icon(&f.id).await),
        "sendText" => done(client.send_text(&f.id, "fault test").await.map(drop)),
        "leaveGroup" => done(client.leave_group(&f.id).await),
        other => panic!("no operation {other}"),
    }
}

/// The faults of the matrix, by name, as `/_sandbox/faults` rules (without the route).
fn faults() -> Vec<(&'static str, Value)> {
    vec![
        ("latency 200 ms", json!({"latencyMs": 200})),
        (
            "429 + Retry-After: 1",
            json!({"status": 429, "retryAfter": "1"}),
        ),
        ("500", json!({"status": 500})),
        ("502", json!({"status": 502})),
        ("503", json!({"status": 503})),
        ("rate-overlimit", json!({"body": "rateOverlimit"})),
        ("malformed JSON", json!({"body": "malformed"})),
        ("truncated JSON", json!({"body": "truncated"})),
        ("stalled body", json!({"body": "stall"})),
        ("dropped mid-body", json!({"body": "drop"})),
        ("reset before answer", json!({"body": "reset"})),
    ]
}

/// Which outcomes a fault allows, given the operation's outcome without faults.
fn allowed(
    provider: &str,
    fault: &str,
    baseline: Result<(), ErrorCode>,
) -> Vec<Result<(), ErrorCode>> {
    let mut ok = vec![baseline];
    ok.extend(match fault {
        // Delays and "not processed" answers are waited out: the outcome is unchanged.
        "latency 200 ms" | "429 + Retry-After: 1" => vec![],
        // A 5xx may have been applied: retried only where repeating is safe (GET, PUT, DELETE).
        "500" | "502" | "503" => vec![Err(ErrorCode::Server)],
        // WAHA's rate limit, a 500 carrying 429; to Wavy it is a plain 500.
        "rate-overlimit" if provider == "wavy" => vec![Err(ErrorCode::Server)],
        "rate-overlimit" => vec![Err(ErrorCode::RateLimited)],
        // A 200 whose body is damaged: `decode` where the operation reads the body; `ok`
        // where it returns nothing and the 200 is the whole answer (Wavy's removeIcon).
        "malformed JSON" | "truncated JSON" => vec![Err(ErrorCode::Decode), Ok(())],
        "stalled body" => vec![Err(ErrorCode::Timeout)],
        "dropped mid-body" | "reset before answer" => vec![Err(ErrorCode::Network)],
        other => panic!("no fault {other}"),
    });
    // A repeat after a lost or failed answer that finds nothing left to delete takes it
    // for done (`Call::repeat`): the first attempt may have deleted it. So where the
    // operation finds nothing without faults (Wavy's removeIcon of a group without one),
    // these faults may end in `ok`.
    let answer_lost = matches!(
        fault,
        "500" | "502" | "503" | "stalled body" | "dropped mid-body" | "reset before answer"
    ) || (fault == "rate-overlimit" && provider == "wavy");
    if baseline == Err(ErrorCode::NotFound) && answer_lost {
        ok.push(Ok(()));
    }
    ok
}

fn show(outcome: &Result<(), ErrorCode>) -> String {
    match outcome {
        Ok(()) => "ok".into(),
        Err(code) => code.as_str().into(),
    }
}

#[wasm_bindgen_test]
async fn every_operation_under_every_fault_ends_in_success_or_a_typed_error() {
    clear_faults().await;
    // The providers' matrices run side by side (most of a cell is waiting: a `Retry-After`,
    // a timeout, a backoff), each with its faults scoped to its own routes.
    let tables = futures_util::future::join_all(subjects().iter().map(matrix)).await;
    console_log!(
        "fault matrix (cell: outcome; ≠ differs from no fault; ⟳ the browser re-sent the POST)\n{}",
        tables.concat()
    );
}

/// One provider's row of operations × faults; panics on the first cell out of bounds.
async fn matrix(subject: &Subject) -> String {
    let owns = subject.owns;
    let mut baselines = BTreeMap::new();
    for op in OPERATIONS {
        let f = fixture(subject).await;
        let before = side_effects().await;
        subject.posts.set(0);
        let outcome = operate(&subject.client, op, &f).await;
        let sent = subject.posts.get();
        let posts = posts_applied(&before, &side_effects().await, owns);
        baselines.insert(op, (outcome, sent, posts));
    }
    let mut table = format!("\n{}\n{:<22}", subject.name, "operation");
    table += &format!("{:<10}", "no fault");
    for (fault, _) in faults() {
        table += &format!("{fault:<22}");
    }
    table += "\n";
    for op in OPERATIONS {
        let (baseline, baseline_sent, baseline_posts) = baselines[op];
        table += &format!("{op:<22}{:<10}", show(&baseline));
        if baseline == Err(ErrorCode::Unsupported) {
            table += "(not offered by this provider: refused before sending)\n";
            continue;
        }
        for (fault, rule) in faults() {
            let f = fixture(subject).await;
            let mut rule = rule;
            rule["route"] = subject.route.into();
            rule["times"] = 1.into();
            inject_within(subject.route, json!([rule])).await;
            let before = side_effects().await;
            subject.posts.set(0);
            subject.writes.set(0);
            let outcome = operate(&subject.client, op, &f).await;
            let sent = subject.posts.get();
            let writes = subject.writes.get();
            clear_faults_within(subject.route).await;
            let after = side_effects().await;
            let posts = posts_applied(&before, &after, owns);
            // More writes reached the server than the client sent: the browser re-sent.
            let browser_resent = writes_received(&before, &after, owns) > u64::from(writes);
            let cell = format!(
                "{}{}{}",
                show(&outcome),
                if outcome == baseline { "" } else { " ≠" },
                if browser_resent { " ⟳" } else { "" }
            );
            table += &format!("{cell:<22}");
            // When the browser re-sent a write after a reset, the answer is the second
            // application's (`not_found` for a second leave, say): still a typed code.
            assert!(
                browser_resent || allowed(subject.name, fault, baseline).contains(&outcome),
                "{}: {op} under {fault}: {} (without faults: {})",
                subject.name,
                show(&outcome),
                show(&baseline)
            );
            // The client sends a POST again only after a 429 (the server did not process
            // it); after any other fault, never.
            let resend = u32::from(fault.starts_with("429"));
            assert!(
                sent <= baseline_sent + resend,
                "{}: {op} under {fault}: the client sent {sent} POSTs (without faults: {baseline_sent})",
                subject.name
            );
            // So the server applies a POST at most once — except that on a reset before
            // any byte of the answer, the browser itself may send it again (Chromium
            // does on a reused keep-alive connection); no client code sees that.
            let browser_resend = if fault == "reset before answer" { 2 } else { 1 };
            assert!(
                posts <= baseline_posts * browser_resend,
                "{}: {op} under {fault} applied {posts} POSTs (without faults: {baseline_posts})",
                subject.name
            );
        }
        table += "\n";
    }
    table
}

#[wasm_bindgen_test]
async fn a_post_hit_by_a_500_is_not_repeated() {
    clear_faults().await;
    let client = common::waha();
    inject(json!([{"route": "/api/default/groups", "method": "POST", "status": 500, "times": 1}]))
        .await;
    let before = side_effects().await;
    let subject = format!("Once {}", tag());
    let err = client
        .create_group(&NewGroup {
            subject: subject.clone(),
            participants: vec![],
        })
        .await
        .expect_err("the 500 is returned");
    assert_eq!(err.code(), ErrorCode::Server);
    assert_eq!(posts_applied(&before, &side_effects().await, everything), 0);
    // Had the client repeated it, the repeat (no fault left) would have created the group.
    let listed = client.list_groups(&Default::default()).await.unwrap();
    assert!(!listed.iter().any(|g| g.subject == subject));
}

#[wasm_bindgen_test]
async fn a_redirect_is_not_followed_with_the_credentials() {
    clear_faults().await;
    // Neither provider redirects; one that did would take X-Api-Key (and a POST's body)
    // to wherever it points. Here it points back at the sandbox, whose counts show it.
    let target = "/api/default/groups/120363000000000999@g.us";
    for (status, method) in [(302, "GET"), (307, "POST")] {
        inject(json!([{
            "route": "/api/default/groups",
            "method": method,
            "status": status,
            "location": format!("{SANDBOX}{target}"),
            "times": 1,
        }]))
        .await;
        let before = side_effects().await;
        let client = common::waha();
        let err = if method == "GET" {
            client.count_groups().await.map(drop)
        } else {
            client
                .create_group(&NewGroup {
                    subject: format!("Redirected {}", tag()),
                    participants: vec![],
                })
                .await
                .map(drop)
        }
        .expect_err("a redirect is not an answer");
        // The browser hides a manual redirect's status (an opaque redirect: 0).
        assert_eq!(err.code(), ErrorCode::Server, "{status}: {err}");
        assert!(err.to_string().contains("redirect"), "{err}");
        let after = side_effects().await;
        let followed: u64 = after
            .received
            .iter()
            .filter(|(k, _)| k.ends_with(target))
            .map(|(k, n)| n - before.received.get(k).copied().unwrap_or(0))
            .sum();
        assert_eq!(followed, 0, "{status}: the redirect was followed");
        clear_faults().await;
    }
}

#[wasm_bindgen_test]
async fn a_get_hit_by_429_with_retry_after_1_succeeds_after_about_a_second() {
    clear_faults().await;
    let client = common::waha();
    inject(json!([{"route": "/api/default/groups", "method": "GET", "status": 429, "retryAfter": "1", "times": 1}]))
        .await;
    let started = js_sys::Date::now();
    client
        .count_groups()
        .await
        .expect("succeeds after the wait");
    let waited = js_sys::Date::now() - started;
    // Not a timing assertion on our speed: it proves the server's wait was honoured.
    assert!(waited >= 950.0, "waited {waited} ms");
}

#[wasm_bindgen_test]
async fn an_abort_during_the_backoff_returns_at_once() {
    clear_faults().await;
    inject(json!([{"route": "/api/default/groups", "method": "GET", "status": 503, "retryAfter": "20", "times": 1}]))
        .await;
    let controller = web_sys::AbortController::new().unwrap();
    let transport = FetchTransport {
        timeout_ms: None,
        signal: Some(controller.signal()),
    };
    let client = common::waha()
        .with_retry(RetryPolicy {
            retries: 2,
            base_delay_ms: 500,
            max_delay_ms: 30_000,
        })
        .with_transport(transport);
    // Abort 300 ms in: the client is then waiting out the server's 20 s.
    let abort = wasm_bindgen::closure::Closure::once_into_js(move || controller.abort());
    let set_timeout: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into())
            .unwrap()
            .unchecked_into();
    set_timeout
        .call2(&wasm_bindgen::JsValue::NULL, &abort, &300.into())
        .unwrap();
    let started = js_sys::Date::now();
    let err = client.count_groups().await.expect_err("aborted");
    let took = js_sys::Date::now() - started;
    clear_faults().await;
    assert_eq!(err.code(), ErrorCode::Aborted);
    assert!(took < 5_000.0, "returned after {took} ms, not at the abort");
}

#[wasm_bindgen_test]
async fn a_bulk_job_of_1000_changes_under_a_20_percent_fault_rate_reports_every_item() {
    clear_faults().await;
    let (status, seeded) = control(
        Method::Post,
        "/seed",
        Some(json!({"session": "webjs", "groups": 0, "bigGroupMembers": 1000})),
    )
    .await;
    assert_eq!(status, 200, "{seeded}");
    let group = GroupId::new("g", seeded["bigGroupId"].as_str().unwrap()).unwrap();
    let client = Client::waha(SANDBOX, "sandbox", "webjs").unwrap();
    let members: Vec<String> = client
        .get_group(&group)
        .await
        .unwrap()
        .participants
        .into_iter()
        .filter_map(|p| p.phone)
        .filter(|p| p.starts_with("5521"))
        .collect();
    assert_eq!(members.len(), 1000);
    let items: Vec<BulkItem> = members
        .iter()
        .map(|p| BulkItem {
            group: group.clone(),
            change: ParticipantChange::Promote,
            participant: p.clone(),
        })
        .collect();
    // One request in five fails with a 500, which is not repeated: a promote is a POST.
    let route = format!("/api/webjs/groups/{}/", group);
    inject(json!([
        {"route": route, "method": "POST", "status": 500, "probability": 0.2},
    ]))
    .await;
    let before = side_effects().await;
    let mut progress = Vec::new();
    let report = client
        .bulk_change_participants(
            &items,
            BulkOptions {
                concurrency: 4,
                batch_size: 10,
                ..BulkOptions::default()
            },
            |done, total| progress.push((done, total)),
        )
        .await;
    clear_faults().await;
    let applied_batches = posts_applied(&before, &side_effects().await, everything);
    assert_eq!(report.outcomes.len(), 1000, "nothing dropped");
    assert!(
        report
            .outcomes
            .iter()
            .enumerate()
            .all(|(i, o)| o.index == i)
    );
    assert_eq!(report.succeeded + report.failed, 1000);
    assert!(report.failed > 0 && report.succeeded > 0, "{report:?}");
    assert!(
        report
            .outcomes
            .iter()
            .all(|o| o.ok || o.code.as_deref() == Some("server")),
        "only injected faults fail"
    );
    assert_eq!(progress.last(), Some(&(1000, 1000)));
    // The server's record agrees with the report, item for item.
    assert_eq!(applied_batches as usize * 10, report.succeeded);
    let admins: std::collections::BTreeSet<String> = client
        .get_group(&group)
        .await
        .unwrap()
        .participants
        .into_iter()
        .filter(|p| p.role == wa_groups::model::Role::Admin)
        .filter_map(|p| p.phone)
        .collect();
    for (item, outcome) in items.iter().zip(&report.outcomes) {
        assert_eq!(
            admins.contains(&item.participant),
            outcome.ok,
            "{} reported {outcome:?}",
            item.participant
        );
    }
    console_log!(
        "bulk under 20 % faults: {} items, {} succeeded, {} failed (code server), {} batches applied",
        report.outcomes.len(),
        report.succeeded,
        report.failed,
        applied_batches
    );
}
