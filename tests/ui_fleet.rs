//! The fleet screen through egui_kittest over the fixture backend (model-level fixtures,
//! tests/support/fleet_fixtures.rs; no network): ranking, a failed pair's error and fix, the
//! search (by image too), opening a row on its profile and region with that profile's
//! read-only rule, the palette's fleets, the Settings editor, and snapshots in both themes.

use crate::support;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::{Action, Route, WorkerCommand};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::{FixtureBackend, settings};
use support::fleet_fixtures::{FLEET, fleet};

fn with_fleet() -> Settings {
    Settings {
        fleets: vec![fleet()],
        ..settings()
    }
}

fn fleet_screen(backend: &FixtureBackend) -> Harness<'static, App> {
    let mut harness = support::harness::app_harness_with(backend, None, with_fleet());
    harness.get_by_label("Fleet").click();
    harness.run();
    harness
}

fn fleet_loads(backend: &FixtureBackend) -> usize {
    backend
        .sent
        .borrow()
        .iter()
        .filter(|c| {
            matches!(
                c,
                WorkerCommand::Start {
                    request: ecsdeck::model::Request::LoadFleet { .. },
                    ..
                }
            )
        })
        .count()
}

/// Service names in the order the table ranks them.
fn ranked(harness: &Harness<'_, App>) -> Vec<String> {
    let load = harness.state().model().fleet.clone().expect("a fleet");
    load.rows
        .iter()
        .map(|r| {
            let (pair, service) = load.service(r).expect("row");
            format!(
                "{}/{}/{}",
                pair.connection.region,
                service.cluster_name(),
                service.name
            )
        })
        .collect()
}

#[test]
fn the_fleet_ranks_what_needs_attention_and_names_a_failed_pair_with_its_fix() {
    let backend = FixtureBackend::new();
    let mut harness = fleet_screen(&backend);
    assert_eq!(fleet_loads(&backend), 1);
    assert_eq!(harness.state().model().route, Route::Fleet);
    assert_eq!(
        ranked(&harness),
        [
            "us-east-1/prod/checkout",
            "us-east-1/prod/payments",
            "us-east-1/prod/search",
            "eu-west-1/prod-eu/web",
            "us-east-1/prod/batch",
            "eu-west-1/prod-eu/api",
            "us-east-1/prod/web",
            "us-east-1/playground/api",
        ]
    );
    harness.get_by_label_contains("down: 0 of 3 running");
    harness.get_by_label_contains("rolling back");
    harness.get_by_label_contains("2 tasks failed to start; 3 of 4 running");
    harness.get_by_label_contains("in alarm: web-5xx");
    harness.get_by_label_contains("4 of 4 pairs read · 8 services · 5 need attention · 1 failed");
    // The pair that failed: AWS's error and what to do about it.
    harness.get_by_label_contains("ExpiredTokenException");
    harness.get_by_label("Fix: aws configure --profile sandbox");
    // Accounts come from the ARNs read.
    assert!(harness.query_all_by_label("111111111111").count() >= 2);
    assert!(harness.query_all_by_label("222222222222").count() >= 2);
    // Reload asks again; the Fleet tab on its own does not.
    harness.get_by_label("⟳ Reload").click();
    harness.run();
    assert_eq!(fleet_loads(&backend), 2);
    harness.get_by_label("Clusters").click();
    harness.run();
    harness.get_by_label("Fleet").click();
    harness.run();
    assert_eq!(fleet_loads(&backend), 2, "the loaded fleet is shown again");
}

#[test]
fn the_search_finds_where_an_image_runs_and_any_field() {
    let backend = FixtureBackend::new();
    let mut harness = fleet_screen(&backend);
    let search = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Search");
    search.focus();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Search")
        .type_text("api:2.4.0");
    harness.run();
    harness.get_by_label("2 of 8 rows");
    assert!(harness.query_by_label("checkout").is_none());
    harness.state_mut().set_fleet_search("launch:ec2");
    harness.run();
    harness.get_by_label("1 of 8 rows");
    harness.get_by_label("batch");
    harness.state_mut().set_fleet_search("region:eu family:web");
    harness.run();
    harness.get_by_label("1 of 8 rows");
}

#[test]
fn a_row_opens_on_its_profile_and_region_and_that_profiles_rule_applies() {
    let backend = FixtureBackend::new();
    let mut harness = fleet_screen(&backend);
    harness.get_by_label("checkout").click();
    harness.run();
    harness.get_by_label("Open ›").click();
    harness.run();
    let model = harness.state().model();
    assert_eq!(model.connection.profile.as_deref(), Some("prod-admin"));
    assert_eq!(model.connection.region, "us-east-1");
    assert!(matches!(&model.route, Route::Service { service, .. }
        if service == "arn:aws:ecs:us-east-1:111111111111:service/prod/checkout"));
    assert!(
        model.read_only(),
        "prod-admin is read-only by the *prod* pattern"
    );
    // A change is refused with that rule, as anywhere else.
    harness.state_mut().apply(Action::StopTask {
        cluster: "arn:aws:ecs:us-east-1:111111111111:cluster/prod".into(),
        task: "arn:aws:ecs:us-east-1:111111111111:task/prod/0123".into(),
        reason: "test".into(),
    });
    harness.run();
    let refused = harness.state().model().outcome.clone().expect("refused");
    assert_eq!(refused.result.expect_err("read-only").code, "ReadOnly");
    assert!(backend.stopped.borrow().is_empty());
    // Back to the fleet, still loaded; sandbox's row is not read-only.
    harness.get_by_label("Fleet").click();
    harness.run();
    harness.state_mut().set_fleet_search("profile:sandbox");
    harness.run();
    harness.get_by_label("api").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let model = harness.state().model();
    assert_eq!(model.connection.profile.as_deref(), Some("sandbox"));
    assert!(!model.read_only());
    assert_eq!(fleet_loads(&backend), 1);
}

#[test]
fn fleets_are_chosen_from_the_palette_and_edited_in_settings() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness_with(&backend, None, with_fleet());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run();
    harness.get_by_label("Go to").type_text(FLEET);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().model().route, Route::Fleet);
    assert_eq!(fleet_loads(&backend), 1);
    harness.state_mut().apply(Action::Navigate(Route::Settings));
    harness.run();
    // Low on the page: scrolled into view first, as a user would.
    harness.get_by_label("+ New fleet").scroll_to_me();
    harness.run();
    harness.get_by_label("+ New fleet").click();
    harness.run();
    assert!(
        harness.query_all_by_value("Fleet 2").next().is_some(),
        "the new fleet name field"
    );
    harness.get_by_label("Save fleets").scroll_to_me();
    harness.run();
    harness.get_by_label("Save fleets").click();
    harness.run();
    let fleets = &harness.state().model().fleets;
    assert_eq!(fleets.len(), 2);
    assert_eq!(fleets[1].name, "Fleet 2");
    assert_eq!(fleets[1].regions, ["us-east-1"]);
    assert_eq!(fleets[1].members[0].profile.as_deref(), Some("platform"));
    assert_eq!(harness.state().current_settings().fleets, *fleets);
}

#[test]
fn fleet_screen_snapshots() {
    let backend = FixtureBackend::new();
    let mut harness = fleet_screen(&backend);
    harness.get_by_label("checkout").click();
    harness.run();
    support::harness::snapshot_themes(&mut harness, "fleet");
}
