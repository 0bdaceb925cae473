//! The shared conformance suite (tests/conformance/mod.rs), natively: the core's `Client`
//! over an in-process transport against a fresh sandbox per test, for every WAHA engine,
//! Wavy and Evolution API.

mod common;
#[path = "../../tests/conformance/mod.rs"]
mod conformance;

use common::{InProcess, sandbox};
use conformance::Env;
use wa_groups::Client;
use wa_groups::provider::evolution::Evolution;
use wa_groups::provider::waha::Waha;
use wa_groups::provider::wavy::Wavy;

const BASE: &str = "http://sandbox.test";

fn waha_env(router: &axum::Router, session: &str) -> Env<InProcess> {
    let provider = Waha::new(session, "sandbox").unwrap();
    Env {
        client: Client::new(provider, InProcess(router.clone()), BASE).unwrap(),
        control: InProcess(router.clone()),
        base_url: BASE.into(),
        tag: 4242,
    }
}

fn wavy_env(router: &axum::Router) -> Env<InProcess> {
    let provider = Wavy::new("sandbox", "sandbox").unwrap();
    Env {
        client: Client::new(provider, InProcess(router.clone()), BASE).unwrap(),
        control: InProcess(router.clone()),
        base_url: BASE.into(),
        tag: 4343,
    }
}

fn evolution_env(router: &axum::Router) -> Env<InProcess> {
    let provider = Evolution::new("default", "sandbox").unwrap();
    Env {
        client: Client::new(provider, InProcess(router.clone()), BASE).unwrap(),
        control: InProcess(router.clone()),
        base_url: BASE.into(),
        tag: 4444,
    }
}

/// One module per provider configuration, one test per suite function.
macro_rules! conformance {
    ($name:ident, $make:expr) => {
        mod $name {
            use super::*;

            fn env() -> (axum::Router, Env<InProcess>) {
                let router = sandbox();
                let env = $make(&router);
                (router, env)
            }

            #[tokio::test]
            async fn create_then_get_list_and_count() {
                conformance::create_then_get_list_and_count(&env().1).await;
            }
            #[tokio::test]
            async fn rename_shows_in_get() {
                conformance::rename_shows_in_get(&env().1).await;
            }
            #[tokio::test]
            async fn description_where_supported() {
                conformance::description_where_supported(&env().1).await;
            }
            #[tokio::test]
            async fn invite_join_and_revoke() {
                conformance::invite_join_and_revoke(&env().1).await;
            }
            #[tokio::test]
            async fn promote_demote_remove() {
                conformance::promote_demote_remove(&env().1).await;
            }
            #[tokio::test]
            async fn add_where_supported() {
                conformance::add_where_supported(&env().1).await;
            }
            #[tokio::test]
            async fn settings_where_supported() {
                conformance::settings_where_supported(&env().1).await;
            }
            #[tokio::test]
            async fn join_requests_where_supported() {
                conformance::join_requests_where_supported(&env().1).await;
            }
            #[tokio::test]
            async fn icon_set_get_remove() {
                conformance::icon_set_get_remove(&env().1).await;
            }
            #[tokio::test]
            async fn send_text_to_the_group() {
                conformance::send_text_to_the_group(&env().1).await;
            }
            #[tokio::test]
            async fn mention_all_is_delivered() {
                conformance::mention_all_is_delivered(&env().1).await;
            }

            #[tokio::test]
            async fn a_cached_client_keeps_reads_and_shows_its_own_writes() {
                conformance::cache::a_cached_client_keeps_reads_and_shows_its_own_writes(&env().1)
                    .await;
            }
            #[tokio::test]
            async fn mentions_of_members_are_checked_first() {
                conformance::mentions_of_members_are_checked_first(&env().1).await;
            }
            #[tokio::test]
            async fn leave_removes_the_group_from_the_list() {
                conformance::leave_removes_the_group_from_the_list(&env().1).await;
            }
            #[tokio::test]
            async fn delete_where_supported() {
                conformance::delete_where_supported(&env().1).await;
            }
            #[tokio::test]
            async fn join_by_link_and_preview_where_supported() {
                let (router, env) = env();
                let other = waha_env(&router, "webjs").client;
                conformance::join_by_link_and_preview_where_supported(&env, &other).await;
            }
            #[tokio::test]
            async fn changes_by_the_ids_the_provider_lists() {
                conformance::changes_by_the_ids_the_provider_lists(&env().1).await;
            }
            #[tokio::test]
            async fn the_owner_is_never_reported_demoted_or_removed() {
                conformance::the_owner_is_never_reported_demoted_or_removed(&env().1).await;
            }
            #[tokio::test]
            async fn create_reports_each_first_member() {
                conformance::create_reports_each_first_member(&env().1).await;
            }
            #[tokio::test]
            async fn add_refusals_say_why() {
                conformance::add_refusals_say_why(&env().1).await;
            }
            #[tokio::test]
            async fn a_spent_budget_refuses_before_sending() {
                conformance::a_spent_budget_refuses_before_sending(&env().1).await;
            }
            #[tokio::test]
            async fn privacy_refusals_are_invited_where_supported() {
                conformance::privacy_refusals_are_invited_where_supported(&env().1).await;
            }
            #[tokio::test]
            async fn answering_a_request_nobody_made_is_not_ok() {
                conformance::answering_a_request_nobody_made_is_not_ok(&env().1).await;
            }
            #[tokio::test]
            async fn refresh_where_supported() {
                conformance::refresh_where_supported(&env().1).await;
            }
            #[tokio::test]
            async fn bad_ids_are_invalid_input() {
                conformance::bad_ids_are_invalid_input(&env().1).await;
            }
            #[tokio::test]
            async fn members_resolve_and_export() {
                conformance::members_resolve_and_export(&env().1).await;
            }
        }
    };
}

conformance!(waha_webjs, |r| waha_env(r, "default"));
conformance!(waha_noweb, |r| waha_env(r, "noweb"));
conformance!(waha_gows, |r| waha_env(r, "gows"));
conformance!(wavy, wavy_env);
conformance!(evolution, evolution_env);
