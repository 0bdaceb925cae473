//! The shared conformance suite (tests/conformance/mod.rs) in a browser: the core over the
//! real `fetch` against the sandbox on loopback, for WAHA (each engine), Wavy and Evolution.
#![cfg(target_arch = "wasm32")]

mod common;
mod conformance;

use common::SANDBOX;
use conformance::Env;
use wa_groups::Client;
use wa_groups::transport::FetchTransport;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn tag() -> u32 {
    (js_sys::Math::random() * 1e9) as u32
}

fn env(client: Client<FetchTransport>) -> Env<FetchTransport> {
    Env {
        client,
        control: FetchTransport::default(),
        base_url: SANDBOX.into(),
        tag: tag(),
    }
}

fn waha(session: &str) -> Env<FetchTransport> {
    env(Client::waha(SANDBOX, "sandbox", session).unwrap())
}

fn wavy() -> Env<FetchTransport> {
    env(Client::wavy(SANDBOX, "sandbox", "sandbox").unwrap())
}

fn evolution() -> Env<FetchTransport> {
    env(Client::evolution(SANDBOX, "sandbox", "default").unwrap())
}

macro_rules! conformance {
    ($name:ident, $make:expr) => {
        mod $name {
            use super::*;

            #[wasm_bindgen_test]
            async fn create_then_get_list_and_count() {
                conformance::create_then_get_list_and_count(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn rename_shows_in_get() {
                conformance::rename_shows_in_get(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn description_where_supported() {
                conformance::description_where_supported(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn invite_join_and_revoke() {
                conformance::invite_join_and_revoke(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn promote_demote_remove() {
                conformance::promote_demote_remove(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn add_where_supported() {
                conformance::add_where_supported(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn settings_where_supported() {
                conformance::settings_where_supported(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn join_requests_where_supported() {
                conformance::join_requests_where_supported(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn icon_set_get_remove() {
                conformance::icon_set_get_remove(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn send_text_to_the_group() {
                conformance::send_text_to_the_group(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn mention_all_is_delivered() {
                conformance::mention_all_is_delivered(&$make).await;
            }

            #[wasm_bindgen_test]
            async fn a_cached_client_keeps_reads_and_shows_its_own_writes() {
                conformance::cache::a_cached_client_keeps_reads_and_shows_its_own_writes(&$make)
                    .await;
            }
            #[wasm_bindgen_test]
            async fn mentions_of_members_are_checked_first() {
                conformance::mentions_of_members_are_checked_first(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn leave_removes_the_group_from_the_list() {
                conformance::leave_removes_the_group_from_the_list(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn delete_where_supported() {
                conformance::delete_where_supported(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn join_by_link_and_preview_where_supported() {
                // Another account: the `default` session (every env below uses a named one).
                let other = Client::waha(SANDBOX, "sandbox", "default").unwrap();
                conformance::join_by_link_and_preview_where_supported(&$make, &other).await;
            }
            #[wasm_bindgen_test]
            async fn changes_by_the_ids_the_provider_lists() {
                conformance::changes_by_the_ids_the_provider_lists(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn the_owner_is_never_reported_demoted_or_removed() {
                conformance::the_owner_is_never_reported_demoted_or_removed(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn create_reports_each_first_member() {
                conformance::create_reports_each_first_member(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn add_refusals_say_why() {
                conformance::add_refusals_say_why(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn a_spent_budget_refuses_before_sending() {
                conformance::a_spent_budget_refuses_before_sending(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn privacy_refusals_are_invited_where_supported() {
                conformance::privacy_refusals_are_invited_where_supported(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn answering_a_request_nobody_made_is_not_ok() {
                conformance::answering_a_request_nobody_made_is_not_ok(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn refresh_where_supported() {
                conformance::refresh_where_supported(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn bad_ids_are_invalid_input() {
                conformance::bad_ids_are_invalid_input(&$make).await;
            }
            #[wasm_bindgen_test]
            async fn members_resolve_and_export() {
                conformance::members_resolve_and_export(&$make).await;
            }
        }
    };
}

conformance!(waha_webjs, waha("webjs"));
conformance!(waha_noweb, waha("noweb"));
conformance!(waha_gows, waha("gows"));
conformance!(wavy_api, wavy());
conformance!(evolution_api, evolution());
