//! The core in a dedicated worker (no `window`), against the sandbox on loopback.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{unique, waha};
use wa_groups::model::NewGroup;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
async fn waha_create_and_list_work_in_a_worker() {
    let client = waha();
    let subject = unique("Worker");
    let created = client
        .create_group(&NewGroup {
            subject: subject.clone(),
            participants: vec![],
        })
        .await
        .expect("create from a worker");
    let groups = client
        .list_groups(&Default::default())
        .await
        .expect("list from a worker");
    assert!(
        groups
            .iter()
            .any(|g| g.id == created.id && g.subject == subject)
    );
}
