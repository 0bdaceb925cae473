//! `--static DIR`: the panel's files, precompressed variants when accepted, `index.html` for
//! unknown non-API paths; API paths never fall back to it.

mod common;

use axum::http::StatusCode;
use common::*;

#[tokio::test]
async fn the_panel_is_served_with_precompressed_files_and_an_index_fallback() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    add_users(dir.path());
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("index.html"),
        "<!doctype html><title>panel</title>",
    )
    .unwrap();
    std::fs::write(site.path().join("app.js"), "console.log('panel')").unwrap();
    std::fs::write(site.path().join("app.js.br"), b"brotli bytes").unwrap();
    std::fs::write(site.path().join("app.js.gz"), b"gzip bytes").unwrap();
    let options = wa_groups_gateway::Options {
        static_dir: Some(site.path().to_owned()),
        ..test_options()
    };
    let gateway = gateway_in(
        dir.path(),
        vec![waha_connection("default", &sandbox.base)],
        options,
    )
    .await;
    let base = &gateway.base;

    let index = get(&format!("{base}/"), &[]).await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.text().contains("panel"));
    let deep = get(&format!("{base}/groups/1203@g.us"), &[]).await;
    assert_eq!(deep.status, StatusCode::OK);
    assert!(deep.text().contains("<title>panel</title>"));

    let br = get(
        &format!("{base}/app.js"),
        &[("accept-encoding", "br, gzip")],
    )
    .await;
    assert_eq!(br.header("content-encoding").as_deref(), Some("br"));
    assert_eq!(br.body, b"brotli bytes");
    let gz = get(&format!("{base}/app.js"), &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.header("content-encoding").as_deref(), Some("gzip"));
    let plain = get(&format!("{base}/app.js"), &[]).await;
    assert_eq!(plain.text(), "console.log('panel')");

    // API paths are never the panel.
    for path in ["/_gateway/me", "/_gateway/nope", "/c/default/api/sessions"] {
        let reply = get(&format!("{base}{path}"), &[]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let cookie = login(base, ADMIN, ADMIN_PASSWORD).await;
    let reply = get(
        &format!("{base}/c/default/api/sessions"),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_wasm_and_the_panels_own_routes_go_out_as_brotli_with_their_own_types() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    add_users(dir.path());
    let site = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("index.html", &b"<!doctype html><title>panel</title>"[..]),
        ("index.html.br", b"index.html as brotli"),
        ("index.html.gz", b"index.html as gzip"),
        ("app_bg.wasm", b"\0asm\x01\0\0\0 the panel"),
        ("app_bg.wasm.br", b"app_bg.wasm as brotli"),
        ("app_bg.wasm.gz", b"app_bg.wasm as gzip"),
        // Too small to gain from compression: no variants beside it.
        ("init.js", b"import init from '/app.js';"),
    ] {
        std::fs::write(site.path().join(name), bytes).unwrap();
    }
    let options = wa_groups_gateway::Options {
        static_dir: Some(site.path().to_owned()),
        ..test_options()
    };
    let gateway = gateway_in(
        dir.path(),
        vec![waha_connection("default", &sandbox.base)],
        options,
    )
    .await;
    let base = &gateway.base;
    let varies = |reply: &Reply| {
        reply
            .headers
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap().contains("accept-encoding"))
    };

    // What Chromium sends.
    let chromium = [("accept-encoding", "gzip, deflate, br, zstd")];
    let wasm = get(&format!("{base}/app_bg.wasm"), &chromium).await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.header("content-encoding").as_deref(), Some("br"));
    assert_eq!(
        wasm.header("content-type").as_deref(),
        Some("application/wasm")
    );
    assert!(varies(&wasm), "{:?}", wasm.headers);
    assert_eq!(wasm.body, b"app_bg.wasm as brotli");

    let gz = get(
        &format!("{base}/app_bg.wasm"),
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(gz.header("content-encoding").as_deref(), Some("gzip"));
    assert_eq!(
        gz.header("content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(gz.body, b"app_bg.wasm as gzip");

    let plain = get(&format!("{base}/app_bg.wasm"), &[]).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, b"\0asm\x01\0\0\0 the panel");
    assert!(varies(&plain), "{:?}", plain.headers);

    for path in ["/", "/groups/120363025246125486@g.us"] {
        let deep = get(&format!("{base}{path}"), &chromium).await;
        assert_eq!(deep.status, StatusCode::OK, "{path}");
        assert_eq!(
            deep.header("content-encoding").as_deref(),
            Some("br"),
            "{path}"
        );
        assert!(
            deep.header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        assert_eq!(deep.body, b"index.html as brotli", "{path}");
        let deep = get(&format!("{base}{path}"), &[]).await;
        assert_eq!(deep.header("content-encoding"), None, "{path}");
        assert_eq!(deep.text(), "<!doctype html><title>panel</title>", "{path}");
    }

    let loader = get(&format!("{base}/init.js"), &chromium).await;
    assert_eq!(loader.status, StatusCode::OK);
    assert_eq!(loader.header("content-encoding"), None);
    assert_eq!(loader.text(), "import init from '/app.js';");
}
