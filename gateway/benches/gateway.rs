//! The gateway's benchmark, run by `cargo xtask bench` (release builds of both servers,
//! each its own process, on loopback):
//!
//! 1. **Forwarded GET vs direct**: `GET /api/default/groups/{id}` (a group of 8) straight to
//!    the sandbox with its API key, and the same through the gateway
//!    (`/c/waha/api/default/groups/{id}` with a session cookie), interleaved one for one on
//!    one keep-alive connection each; the latency of each request (sent → whole body read),
//!    p50 and p99 of both, and their differences.
//! 2. **Webhook → SSE**: deliveries POSTed at a fixed rate (half WAHA, signed; half Wavy, by
//!    URL token) while one `GET /_gateway/events` is open; for each, the time from just
//!    before its POST is sent to when its event is read off the stream.
//! 3. **Memory**: the gateway process's `VmRSS` (from `/proc/PID/status`) at rest (started,
//!    one session, no load), sampled every 50 ms under the webhook load, and `VmHWM`.
//!
//! Usage: `cargo bench -p wa-groups-gateway --bench gateway -- --gateway BIN --sandbox BIN
//! --out FILE.json [--quick]`. Nothing here judges a time; the figures are for people.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

const SANDBOX_KEY: &str = "sandbox";
const HOOK_SECRET: &str = "bench-waha-hook-secret";
const HOOK_TOKEN: &str = "benchwavyhooktoken";
const USER: &str = "bench";
const PASSWORD: &str = "bench-password";
const WAHA_GROUP: &str = "120363000000000999@g.us";
const WAVY_GROUP: &str = "5511900000999-1700000000";

type Http = Client<HttpConnector, Full<Bytes>>;

struct Args {
    gateway: PathBuf,
    sandbox: PathBuf,
    out: PathBuf,
    quick: bool,
}

fn args() -> Args {
    let mut gateway = None;
    let mut sandbox = None;
    let mut out = None;
    let mut quick = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--gateway" => gateway = it.next().map(PathBuf::from),
            "--sandbox" => sandbox = it.next().map(PathBuf::from),
            "--out" => out = it.next().map(PathBuf::from),
            "--quick" => quick = true,
            // `cargo bench` passes `--bench`.
            _ => {}
        }
    }
    match (gateway, sandbox, out) {
        (Some(gateway), Some(sandbox), Some(out)) => Args {
            gateway,
            sandbox,
            out,
            quick,
        },
        _ => {
            eprintln!("usage: gateway --gateway BIN --sandbox BIN --out FILE.json [--quick]");
            std::process::exit(2);
        }
    }
}

/// A server process, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(name: &str, command: &mut Command) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix(&format!("{name} listening on "))
            .unwrap_or_else(|| panic!("{name} did not start: {line:?}"))
            .to_owned();
        // Keep reading (and dropping) its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in stdout.lines() {});
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `VmRSS` and `VmHWM` of process `pid`, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summary(mut ms: Vec<f64>) -> Value {
    ms.sort_by(f64::total_cmp);
    json!({
        "count": ms.len(),
        "p50Ms": percentile(&ms, 50.0),
        "p99Ms": percentile(&ms, 99.0),
        "maxMs": ms.last().copied().unwrap_or(0.0),
    })
}

fn http() -> Http {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    Client::builder(TokioExecutor::new()).build(connector)
}

/// Sends a request and reads the whole answer; its status and body.
async fn send(http: &Http, request: Request<Full<Bytes>>) -> (u16, Bytes) {
    let response = http.request(request).await.expect("the server answers");
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, body)
}

fn post(url: &str, headers: &[(&str, &str)], body: String) -> Request<Full<Bytes>> {
    let mut builder = Request::post(url).header("content-type", "application/json");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Full::new(Bytes::from(body))).unwrap()
}

fn get(url: &str, headers: &[(&str, &str)]) -> Request<Full<Bytes>> {
    let mut builder = Request::get(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Full::new(Bytes::new())).unwrap()
}

fn sign(body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha512>::new_from_slice(HOOK_SECRET.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Delivery `n`, named by its text: even a WAHA `message` webhook, odd a Wavy MO.
fn delivery(gateway: &str, n: usize) -> Request<Full<Bytes>> {
    let text = format!("bench {n}");
    if n.is_multiple_of(2) {
        let body = json!({
            "id": format!("evt_bench_{n}"), "timestamp": 1_757_000_000_000u64, "event": "message",
            "session": "default",
            "payload": {"id": format!("false_{WAHA_GROUP}_{n}"), "timestamp": 1_757_000_000u64,
                        "from": WAHA_GROUP, "fromMe": false, "participant": "5511977770001@c.us",
                        "body": text, "hasMedia": false},
        })
        .to_string();
        let signature = sign(&body);
        post(
            &format!("{gateway}/_gateway/hooks/waha"),
            &[("x-webhook-hmac", &signature)],
            body,
        )
    } else {
        let body = json!({"total": 1, "data": [{
            "id": format!("mo-bench-{n}"), "source": "5511977770002", "origin": "5511977770002",
            "receivedAt": 1_757_000_000_000u64,
            "message": {"type": "TEXT", "messageText": text, "waGroupId": WAVY_GROUP},
        }]})
        .to_string();
        post(
            &format!("{gateway}/_gateway/hooks/wavy/{HOOK_TOKEN}"),
            &[],
            body,
        )
    }
}

fn main() {
    let args = args();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = runtime.block_on(run(&args));
    let text = serde_json::to_string_pretty(&result).unwrap();
    std::fs::write(&args.out, text + "\n").unwrap();
    eprintln!("bench (gateway): wrote {}", args.out.display());
}

async fn run(args: &Args) -> Value {
    // How busy the machine was before anything started (other programs share its cores).
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load_1m: f64 = load
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    let sandbox = Server::start(
        "wa-groups-sandbox",
        Command::new(&args.sandbox).args(["--addr", "127.0.0.1:0"]),
    );
    let data = std::env::temp_dir().join(format!("wa-groups-gateway-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).unwrap();
    let config = data.join("gateway.toml");
    std::fs::write(
        &config,
        format!(
            r#"[[connection]]
name = "waha"
provider = "waha"
upstream = "{sandbox}"
api_key_env = "BENCH_WAHA_KEY"
webhook_secret_env = "BENCH_WAHA_HOOK"

[[connection]]
name = "wavy"
provider = "wavy"
upstream = "{sandbox}"
user_name_env = "BENCH_WAVY_USER"
auth_token_env = "BENCH_WAVY_TOKEN"
webhook_secret_env = "BENCH_WAVY_HOOK"
"#,
            sandbox = sandbox.url
        ),
    )
    .unwrap();
    let mut add = Command::new(&args.gateway)
        .args(["user", "add", USER, "--role", "admin", "--data"])
        .arg(&data)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(PASSWORD.as_bytes())
        .unwrap();
    assert!(add.wait().unwrap().success(), "user add");
    let gateway = Server::start(
        "wa-groups-gateway",
        Command::new(&args.gateway)
            .arg("--config")
            .arg(&config)
            .arg("--data")
            .arg(&data)
            .args(["--addr", "127.0.0.1:0"])
            .envs([
                ("BENCH_WAHA_KEY", SANDBOX_KEY),
                ("BENCH_WAHA_HOOK", HOOK_SECRET),
                ("BENCH_WAVY_USER", SANDBOX_KEY),
                ("BENCH_WAVY_TOKEN", SANDBOX_KEY),
                ("BENCH_WAVY_HOOK", HOOK_TOKEN),
            ]),
    );
    let pid = gateway.child.id();
    let http = http();

    // Sign in; the seeded groups' ids.
    let login = http
        .request(post(
            &format!("{}/_gateway/login", gateway.url),
            &[],
            json!({"user": USER, "password": PASSWORD}).to_string(),
        ))
        .await
        .unwrap();
    assert_eq!(login.status(), 204, "sign-in");
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (status, _) = send(
        &http,
        post(
            &format!("{}/_sandbox/seed", sandbox.url),
            &[],
            json!({"groups": 100, "membersPerGroup": 8}).to_string(),
        ),
    )
    .await;
    assert_eq!(status, 200, "seed");
    let (_, listed) = send(
        &http,
        get(
            &format!("{}/api/default/groups", sandbox.url),
            &[("x-api-key", SANDBOX_KEY)],
        ),
    )
    .await;
    let listed: Value = serde_json::from_slice(&listed).unwrap();
    let ids: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            g["id"]["_serialized"]
                .as_str()
                .or(g["id"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect();

    tokio::time::sleep(Duration::from_secs(1)).await;
    let (rest_rss, _) = memory_kib(pid);
    eprintln!("bench (gateway): at rest {rest_rss} KiB");

    let forwarded = forwarded_get(&sandbox.url, &gateway.url, &cookie, &ids, args.quick).await;
    let hooks = webhooks_to_sse(&gateway.url, &cookie, pid, args.quick).await;
    let (after_rss, hwm) = memory_kib(pid);

    drop(gateway);
    drop(sandbox);
    let _ = std::fs::remove_dir_all(&data);
    json!({
        "loadAverage1mBefore": load_1m,
        "forwardedGet": forwarded,
        "webhookToSse": hooks["latency"],
        "memory": {
            "atRestKiB": rest_rss,
            "underLoadMaxKiB": hooks["maxRssKiB"],
            "afterLoadKiB": after_rss,
            "peakHwmKiB": hwm,
        },
    })
}

/// Direct and forwarded `GET /api/default/groups/{id}`, interleaved (the order alternating
/// each round), each on its own keep-alive connection.
async fn forwarded_get(
    sandbox: &str,
    gateway: &str,
    cookie: &str,
    ids: &[String],
    quick: bool,
) -> Value {
    let (warmup, rounds) = if quick { (200, 1_000) } else { (1_000, 10_000) };
    // One client each, so each keeps its own connection.
    let (direct_http, gateway_http) = (http(), http());
    let direct = |id: &str| {
        get(
            &format!("{sandbox}/api/default/groups/{id}"),
            &[("x-api-key", SANDBOX_KEY)],
        )
    };
    let forwarded = |id: &str| {
        get(
            &format!("{gateway}/c/waha/api/default/groups/{id}"),
            &[("cookie", cookie)],
        )
    };
    let mut times = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for round in 0..warmup + rounds {
        let id = &ids[round % ids.len()];
        let one = |direct_first: bool| {
            let request = if direct_first {
                direct(id)
            } else {
                forwarded(id)
            };
            let client = if direct_first {
                &direct_http
            } else {
                &gateway_http
            };
            async move {
                let started = Instant::now();
                let (status, body) = send(client, request).await;
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
                ms
            }
        };
        let first_is_direct = round % 2 == 0;
        let a = one(first_is_direct).await;
        let b = one(!first_is_direct).await;
        let (d, f) = if first_is_direct { (a, b) } else { (b, a) };
        if round >= warmup {
            times.0.push(d);
            times.1.push(f);
        }
    }
    let direct = summary(times.0);
    let through = summary(times.1);
    let added = |key: &str| through[key].as_f64().unwrap() - direct[key].as_f64().unwrap();
    eprintln!(
        "bench (gateway): GET direct p50 {:.3} p99 {:.3}, forwarded p50 {:.3} p99 {:.3} ms",
        direct["p50Ms"], direct["p99Ms"], through["p50Ms"], through["p99Ms"]
    );
    json!({
        "request": "GET /api/default/groups/{id}, a WEBJS group of 8 members",
        "warmup": warmup,
        "rounds": rounds,
        "direct": direct,
        "forwarded": through,
        "addedP50Ms": added("p50Ms"),
        "addedP99Ms": added("p99Ms"),
    })
}

/// Deliveries at 1,000 a second (open loop: each on its own task, on time whatever the
/// earlier ones are doing) while one event stream is open.
async fn webhooks_to_sse(gateway: &str, cookie: &str, pid: u32, quick: bool) -> Value {
    const RATE: u64 = 1_000;
    let deliveries: usize = if quick { 1_000 } else { 5_000 };
    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();

    // The stream, opened before the first delivery.
    let response = http()
        .request(get(
            &format!("{gateway}/_gateway/events"),
            &[("cookie", cookie)],
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "events stream");
    let mut body = response.into_body();
    let reader_sent = sent.clone();
    let reader = tokio::spawn(async move {
        let mut latencies = Vec::with_capacity(deliveries);
        let mut buffer = String::new();
        let mut last_id = 0i64;
        while latencies.len() < deliveries {
            let Some(frame) = body.frame().await else {
                break;
            };
            let Ok(data) = frame.unwrap().into_data() else {
                continue;
            };
            let read_at = Instant::now();
            buffer.push_str(&String::from_utf8_lossy(&data));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                let Some(line) = block.lines().find_map(|l| l.strip_prefix("data:")) else {
                    continue;
                };
                let event: Value = serde_json::from_str(line.trim()).unwrap();
                let id = event["id"].as_i64().unwrap();
                assert!(id > last_id, "ids increase");
                last_id = id;
                let text = event["text"].as_str().unwrap_or_default().to_owned();
                let at = reader_sent.lock().unwrap().remove(&text);
                let at = at.unwrap_or_else(|| panic!("an event no one sent, or twice: {text}"));
                latencies.push(read_at.duration_since(at).as_secs_f64() * 1000.0);
            }
        }
        latencies
    });

    // Memory, sampled while the load runs.
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        tokio::spawn(async move {
            let mut max = 0;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                max = max.max(memory_kib(pid).0);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            max
        })
    };

    let poster = http();
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / RATE));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut posts = Vec::with_capacity(deliveries);
    for n in 0..deliveries {
        tick.tick().await;
        let request = delivery(gateway, n);
        let poster = poster.clone();
        let sent = sent.clone();
        posts.push(tokio::spawn(async move {
            sent.lock()
                .unwrap()
                .insert(format!("bench {n}"), Instant::now());
            let (status, body) = send(&poster, request).await;
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        }));
    }
    let offered_s = started.elapsed().as_secs_f64();
    for post in posts {
        post.await.expect("every delivery answered 200");
    }
    let latencies = tokio::time::timeout(Duration::from_secs(60), reader)
        .await
        .expect("every event streamed within a minute")
        .unwrap();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let max_rss = sampler.await.unwrap();
    let lost = deliveries - latencies.len();
    let latency = summary(latencies);
    eprintln!(
        "bench (gateway): webhook → SSE p50 {:.3} p99 {:.3} ms, {lost} lost, max RSS {max_rss} KiB",
        latency["p50Ms"], latency["p99Ms"]
    );
    let mut latency = latency;
    latency["deliveries"] = deliveries.into();
    latency["ratePerSecond"] = RATE.into();
    latency["offeredOverS"] = offered_s.into();
    latency["lost"] = lost.into();
    latency["mix"] =
        "half WAHA message webhooks signed with HMAC-SHA512, half Wavy MOs with the URL token"
            .into();
    json!({"latency": latency, "maxRssKiB": max_rss})
}
