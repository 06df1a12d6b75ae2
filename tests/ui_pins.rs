//! Pinned services through egui_kittest over the fixture backend (no network): pin from a
//! service's page, see it with its counts in the sidebar from any screen, go there in one
//! click, keep it across a restart (a new app from the saved settings), unpin.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::Route;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use support::fixture_backend::FixtureBackend;

/// The sidebar row of checkout-api, `checkout-api running/desired`.
fn pinned_row(harness: &Harness<'_, App>) -> Option<String> {
    harness
        .query_all(egui_kittest::kittest::by().role(egui::accesskit::Role::Button))
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| l.starts_with("checkout-api ") && l.contains('/'))
}

fn on_checkout_api(harness: &Harness<'_, App>) -> bool {
    matches!(&harness.state().model().route, Route::Service { service, .. }
        if service.ends_with("/checkout-api"))
}

#[test]
fn a_pinned_service_stays_in_the_sidebar_across_screens_and_restarts() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    support::harness::open_service(&mut harness, "prod", "checkout-api");
    assert!(on_checkout_api(&harness));
    assert!(pinned_row(&harness).is_none());
    harness.get_by_label("☆ Pin").click();
    harness.run();
    harness.get_by_label("★ Pinned");
    let row = pinned_row(&harness).expect("sidebar row");

    // From the cluster list, one click goes back to it.
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().model().route, Route::Clusters);
    support::harness::snapshot(&mut harness, "pinned");
    harness.get_by_label(&row).click();
    harness.run();
    assert!(on_checkout_api(&harness));

    // A restart keeps it, with its counts (the cluster's services load for the sidebar).
    let saved = harness.state().current_settings();
    assert_eq!(saved.pins.len(), 1);
    let mut harness = support::harness::app_harness_with(&backend, None, saved);
    harness.run();
    assert_eq!(pinned_row(&harness).as_deref(), Some(row.as_str()));
    harness.get_by_label(&row).click();
    harness.run();
    harness.get_by_label("★ Pinned").click();
    harness.run();
    assert!(pinned_row(&harness).is_none());
    assert!(harness.state().current_settings().pins.is_empty());
}
