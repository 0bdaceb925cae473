//! `--static DIR`: the built panel over real HTTP. A release build leaves `X.br` and `X.gz`
//! beside its files (`cargo xtask compress`); the sandbox sends them as they are to a client
//! that accepts them, with the file's own `Content-Type`, and `index.html` (compressed
//! likewise) for the panel's own routes.

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use common::*;
use wa_groups_sandbox::Config;

const INDEX: &[u8] = b"<!doctype html><title>panel</title>";
const INDEX_BR: &[u8] = b"index.html as brotli";
const INDEX_GZ: &[u8] = b"index.html as gzip";
const WASM: &[u8] = b"\0asm\x01\0\0\0 the panel";
const WASM_BR: &[u8] = b"app_bg.wasm as brotli";
const WASM_GZ: &[u8] = b"app_bg.wasm as gzip";
const LOADER: &[u8] = b"import init from '/app.js';";

/// A sandbox serving a panel folder; the folder lives as long as the returned guard.
async fn serving_a_panel() -> (String, tempfile::TempDir) {
    let site = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("index.html", INDEX),
        ("index.html.br", INDEX_BR),
        ("index.html.gz", INDEX_GZ),
        ("app_bg.wasm", WASM),
        ("app_bg.wasm.br", WASM_BR),
        ("app_bg.wasm.gz", WASM_GZ),
        // Too small to gain from compression: no variants beside it.
        ("init.js", LOADER),
    ] {
        std::fs::write(site.path().join(name), bytes).unwrap();
    }
    let base = serve(sandbox_with(Config {
        static_dir: Some(site.path().to_owned()),
        ..Config::default()
    }))
    .await;
    (base, site)
}

async fn fetch(url: String, accept_encoding: Option<&str>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::get(url);
    if let Some(accepted) = accept_encoding {
        request = request.header("accept-encoding", accepted);
    }
    over_http(request.body(Body::empty()).unwrap()).await
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

fn varies_by_encoding(headers: &HeaderMap) -> bool {
    headers.get_all("vary").iter().any(|v| {
        v.to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    })
}

#[tokio::test]
async fn a_browser_that_accepts_brotli_gets_the_br_file_as_wasm() {
    let (base, _site) = serving_a_panel().await;
    // What Chromium sends.
    let (status, headers, body) = fetch(
        format!("{base}/app_bg.wasm"),
        Some("gzip, deflate, br, zstd"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "content-encoding"), Some("br"));
    assert_eq!(header(&headers, "content-type"), Some("application/wasm"));
    assert!(varies_by_encoding(&headers), "{headers:?}");
    assert_eq!(body, WASM_BR);
}

#[tokio::test]
async fn a_client_that_accepts_gzip_only_gets_the_gz_file() {
    let (base, _site) = serving_a_panel().await;
    for accepted in ["gzip", "br;q=0, gzip"] {
        let (status, headers, body) = fetch(format!("{base}/app_bg.wasm"), Some(accepted)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            header(&headers, "content-encoding"),
            Some("gzip"),
            "{accepted}"
        );
        assert_eq!(header(&headers, "content-type"), Some("application/wasm"));
        assert_eq!(body, WASM_GZ, "{accepted}");
    }
}

#[tokio::test]
async fn a_client_that_accepts_no_encoding_gets_the_file_itself() {
    let (base, _site) = serving_a_panel().await;
    for accepted in [None, Some("identity")] {
        let (status, headers, body) = fetch(format!("{base}/app_bg.wasm"), accepted).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header(&headers, "content-encoding"), None, "{accepted:?}");
        assert_eq!(header(&headers, "content-type"), Some("application/wasm"));
        assert!(varies_by_encoding(&headers), "{headers:?}");
        assert_eq!(body, WASM, "{accepted:?}");
    }
}

#[tokio::test]
async fn the_panels_own_routes_get_index_html_compressed_or_not() {
    let (base, _site) = serving_a_panel().await;
    for path in ["/", "/index.html", "/groups/120363025246125486@g.us"] {
        let (status, headers, body) = fetch(format!("{base}{path}"), Some("br, gzip")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(header(&headers, "content-encoding"), Some("br"), "{path}");
        assert!(
            header(&headers, "content-type")
                .unwrap()
                .starts_with("text/html"),
            "{path}: {headers:?}"
        );
        assert!(varies_by_encoding(&headers), "{path}: {headers:?}");
        assert_eq!(body, INDEX_BR, "{path}");

        let (_, headers, body) = fetch(format!("{base}{path}"), Some("gzip")).await;
        assert_eq!(header(&headers, "content-encoding"), Some("gzip"), "{path}");
        assert_eq!(body, INDEX_GZ, "{path}");

        let (status, headers, body) = fetch(format!("{base}{path}"), None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(header(&headers, "content-encoding"), None, "{path}");
        assert_eq!(body, INDEX, "{path}");
    }
}

#[tokio::test]
async fn a_file_without_precompressed_variants_is_sent_as_it_is() {
    let (base, _site) = serving_a_panel().await;
    let (status, headers, body) = fetch(format!("{base}/init.js"), Some("br, gzip")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "content-encoding"), None);
    assert!(
        header(&headers, "content-type")
            .unwrap()
            .contains("javascript"),
        "{headers:?}"
    );
    assert_eq!(body, LOADER);
}

#[tokio::test]
async fn the_provider_and_control_routes_are_never_the_panel() {
    let (base, _site) = serving_a_panel().await;
    let (status, _, _) = fetch(format!("{base}/api/default/groups"), Some("br")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, headers, body) = fetch(format!("{base}/_sandbox/stats"), Some("br")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "content-encoding"), None);
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
}
