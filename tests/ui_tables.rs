//! Tables fit the window (egui_kittest over the fixture backend): columns as wide as their
//! content, the rest reached by scrolling sideways, and the columns each table shows chosen
//! in its Columns menu and kept in the settings.

use crate::support;
use ecsdeck::App;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::FixtureBackend;

/// prod's services at `size`, with no service selected (no detail pane).
fn prod_services(backend: &FixtureBackend, size: egui::Vec2) -> Harness<'static, App> {
    let mut harness = support::harness::app_harness(backend, None);
    harness.set_size(size);
    harness.run();
    harness.get_by_label("prod").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.run();
    harness
}

/// The right edge of the header `title`, if it is on screen.
fn header_right(harness: &Harness<'_, App>, title: &str) -> Option<f32> {
    harness.query_by_label(title).map(|n| n.rect().right())
}

#[test]
fn at_1280_every_column_of_the_services_table_is_on_screen() {
    let backend = FixtureBackend::new();
    let mut harness = prod_services(&backend, egui::vec2(1280.0, 800.0));
    support::harness::snapshot_themes(&mut harness, "services_1280");
    for title in [
        "Name",
        "Status",
        "Launch",
        "Desired",
        "CPU 1h",
        "Memory 1h",
        "Updated",
    ] {
        let right = header_right(&harness, title).unwrap_or_else(|| panic!("{title} shown"));
        assert!(right <= 1280.0, "{title} ends at {right}");
    }
}

#[test]
fn at_1024_the_last_columns_are_reached_by_scrolling_sideways() {
    let backend = FixtureBackend::new();
    let mut harness = prod_services(&backend, egui::vec2(1024.0, 768.0));
    harness.get_by_label("Name");
    let before = header_right(&harness, "Updated");
    if before.is_some_and(|r| r <= 1024.0) {
        // Fitted columns may all fit at 1024 too: then there is nothing to scroll.
        return;
    }
    // egui 0.37 applies AccessKit's ScrollLeft as a scroll towards the right edge (the sign
    // is the other way round to its ScrollDown), to the scroll area under the pointer.
    harness.get_by_label("Desired").hover();
    harness.run();
    for _ in 0..12 {
        harness.get_by_label("Name").scroll_left();
        harness.run();
        if header_right(&harness, "Updated").is_some_and(|r| r <= 1024.0) {
            break;
        }
    }
    let right = header_right(&harness, "Updated").expect("Updated reached by scrolling");
    assert!(right <= 1024.0, "Updated ends at {right}");
    support::harness::snapshot_themes(&mut harness, "services_1024");
}

#[test]
fn the_columns_menu_hides_a_column_and_the_settings_keep_it() {
    let backend = FixtureBackend::new();
    let mut harness = prod_services(&backend, egui::vec2(1280.0, 800.0));
    harness.get_by_label("Pending");
    harness.get_by_label("Columns").click();
    harness.run();
    // The menu's tick (the header has the same name).
    harness
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, "Pending")
        .click();
    harness.run();
    assert!(harness.query_by_label("Pending").is_none(), "hidden");
    harness.get_by_label("Running");
    let settings = harness.state().current_settings();
    let hidden = settings.prefs.hidden_columns.get("services").cloned();
    assert_eq!(
        hidden,
        Some(["Created".to_owned(), "Pending".to_owned()].into()),
        "Created is hidden from the start"
    );
    // A restart with those settings still hides it; other tables are untouched.
    let mut again = support::harness::app_harness_with(&backend, None, settings);
    again.set_size(egui::vec2(1280.0, 800.0));
    again.run();
    again.get_by_label("prod").click();
    again.run();
    again.key_press(Key::Enter);
    again.run();
    again.run();
    again.get_by_label("Running");
    assert!(again.query_by_label("Pending").is_none());
}
