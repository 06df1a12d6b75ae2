//! The command palette through egui_kittest over the fixture backend (model-level fixtures,
//! no network): shortcuts open it, fuzzy text finds loaded resources and commands, arrows and
//! Enter or a click choose, recent choices come first.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::{ClusterTab, Route};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::FixtureBackend;
use support::fixtures::cluster_arn;

fn route(harness: &Harness<'_, App>) -> Route {
    harness.state().model().route.clone()
}

fn open_palette(harness: &mut Harness<'_, App>, key: Key) {
    harness.key_press_modifiers(Modifiers::COMMAND, key);
    harness.run();
    harness.get_by_label("Go to");
}

fn type_query(harness: &mut Harness<'_, App>, text: &str) {
    harness.get_by_label("Go to").type_text(text);
    harness.run();
}

/// Opens prod (so its services are loaded).
fn open_prod(harness: &mut Harness<'_, App>) {
    harness.get_by_label("prod").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
}

fn is_checkout_api(route: &Route) -> bool {
    matches!(route, Route::Service { cluster, service }
        if *cluster == cluster_arn("prod") && service.ends_with("/checkout-api"))
}

#[test]
fn the_palette_finds_a_loaded_service_by_fuzzy_text_and_goes_there() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    // Open prod once, so its services are loaded, then come back to the cluster list.
    open_prod(&mut harness);
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(route(&harness), Route::Clusters);

    open_palette(&mut harness, Key::K);
    type_query(&mut harness, "chkapi");
    harness.get_by_label("checkout-api prod service");
    assert!(
        harness.query_by_label_contains("payments-api").is_none(),
        "a service that does not match is listed"
    );
    support::harness::snapshot(&mut harness, "palette");
    harness.key_press(Key::Enter);
    harness.run();
    assert!(is_checkout_api(&route(&harness)), "{:?}", route(&harness));
    assert!(
        harness.query_by_label("Go to").is_none(),
        "palette still open"
    );

    // Go somewhere else through the palette (Ctrl+P too), by clicking a result.
    open_palette(&mut harness, Key::P);
    type_query(&mut harness, "task def");
    harness.get_by_label("Task definitions screen").click();
    harness.run();
    assert_eq!(route(&harness), Route::TaskDefinitions);

    // With nothing typed, recent choices come first, newest first: ↓ Enter is the service.
    open_palette(&mut harness, Key::K);
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(is_checkout_api(&route(&harness)), "{:?}", route(&harness));
    // Visits count too: prod was opened by hand at the start.
    let recent = harness.state().current_settings().recent;
    assert_eq!(recent.len(), 3, "{recent:?}");
    assert!(recent[0].starts_with("service:"), "{recent:?}");
    assert!(recent[1].starts_with("screen:Task"), "{recent:?}");
    assert!(recent[2].starts_with("cluster:"), "{recent:?}");
}

#[test]
fn commands_run_from_the_palette_and_escape_closes_it() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    // A cluster is found without opening anything: the cluster list is loaded.
    open_palette(&mut harness, Key::K);
    type_query(&mut harness, "stag");
    harness.get_by(|node| {
        node.label()
            .is_some_and(|l| l.starts_with("staging ") && l.ends_with(" tasks cluster"))
    });
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        route(&harness),
        Route::Cluster {
            cluster: cluster_arn("staging"),
            tab: ClusterTab::Services,
        }
    );

    // A command, shown with its shortcut.
    open_palette(&mut harness, Key::K);
    type_query(&mut harness, "tail log");
    harness.get_by_label_contains("Tail a log group… Ctrl+Shift+L");
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Log group");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Log group").is_none());

    // Nothing matches: said so; Escape closes and goes nowhere.
    open_palette(&mut harness, Key::K);
    type_query(&mut harness, "zzqx");
    harness.get_by_label_contains("Nothing matches “zzqx”");
    let before = route(&harness);
    harness.key_press(Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label("Go to").is_none(),
        "palette still open"
    );
    assert_eq!(route(&harness), before);
}

#[test]
fn escape_closes_a_dialog_instead_of_going_up() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    open_prod(&mut harness);
    let prod = route(&harness);
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::L);
    harness.run();
    harness.get_by_label("Log group");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Log group").is_none(), "dialog open");
    assert_eq!(route(&harness), prod);
    // With no dialog, Escape goes up again.
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(route(&harness), Route::Clusters);
}

#[test]
fn the_palette_finds_a_service_of_a_cluster_never_opened() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    // Only the cluster list is on screen; every cluster's service ARNs were listed behind it.
    assert!(harness.state().model().store.services.is_empty());
    assert_eq!(harness.state().model().store.service_arns.len(), 3);
    open_palette(&mut harness, Key::K);
    type_query(&mut harness, "email-sender");
    harness.get_by_label("email-sender prod service");
    harness.get_by_label("email-sender dev service");
    harness.get_by_label("email-sender staging service").click();
    harness.run();
    assert!(
        matches!(route(&harness), Route::Service { cluster, service }
            if cluster == cluster_arn("staging") && service.ends_with("/email-sender")),
        "{:?}",
        route(&harness)
    );
}
