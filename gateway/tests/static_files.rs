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
