//! Keyboard and appearance through egui_kittest over the fixture backend (no network): the
//! shortcuts overlay, themes, zoom and vim keys, each kept in the settings and restored by a
//! new app built from them (as a restart would).

use crate::support;

use ecsdeck::App;
use ecsdeck::model::Route;
use ecsdeck::model::workspace::prefs::ThemeChoice;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::{self, FixtureBackend};
use support::fixtures::cluster_arn;

fn run_from_palette(harness: &mut Harness<'_, App>, query: &str) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run();
    harness.get_by_label("Go to").type_text(query);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
}

fn overlay_open(harness: &Harness<'_, App>) -> bool {
    harness.query_by_label("next or previous change").is_some()
}

#[test]
fn question_mark_lists_every_shortcut_and_closes_again() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    harness.key_press(Key::Questionmark);
    harness.run();
    assert!(overlay_open(&harness));
    harness.get_by_label("Ctrl+K  or  Ctrl+P");
    harness.get_by_label("?");
    harness.get_by_label("Go to anything…");
    harness.get_by_label("next or previous change");
    support::harness::snapshot(&mut harness, "shortcuts");
    harness.key_press(Key::Questionmark);
    harness.run();
    assert!(!overlay_open(&harness));
    // Escape closes it too, without going anywhere.
    harness.key_press(Key::Questionmark);
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert!(!overlay_open(&harness));
    assert_eq!(harness.state().model().route, Route::Clusters);
}

#[test]
fn the_light_theme_is_chosen_saved_and_restored() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    run_from_palette(&mut harness, "theme light");
    assert_eq!(harness.ctx.theme(), egui::Theme::Light);
    harness.get_by_label("prod").click();
    harness.run();
    support::harness::snapshot(&mut harness, "clusters_light");
    let settings = harness.state().current_settings();
    assert_eq!(settings.prefs.theme, ThemeChoice::Light);

    let restarted = support::harness::app_harness_with(&backend, None, settings);
    assert_eq!(restarted.ctx.theme(), egui::Theme::Light);
    let mut harness = restarted;
    run_from_palette(&mut harness, "theme dark");
    assert_eq!(harness.ctx.theme(), egui::Theme::Dark);
}

#[test]
fn zoom_keys_scale_the_interface_and_the_scale_is_restored() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    harness.run();
    let settings = harness.state().current_settings();
    assert!(
        settings.prefs.ui_scale_percent > 100,
        "{}",
        settings.prefs.ui_scale_percent
    );
    let restarted = support::harness::app_harness_with(&backend, None, settings.clone());
    assert!(
        (restarted.ctx.zoom_factor() * 100.0 - settings.prefs.ui_scale_percent as f32).abs() < 0.5
    );
    // Out-of-range values from an older or edited file are held within bounds.
    let mut huge = fixture_backend::settings();
    huge.prefs.ui_scale_percent = 5_000;
    let harness = support::harness::app_harness_with(&backend, None, huge);
    assert_eq!(
        harness.state().current_settings().prefs.ui_scale_percent,
        300
    );
}

#[test]
fn vim_keys_move_in_lists_once_turned_on() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    // Off by default: j does nothing.
    harness.key_press(Key::J);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().model().route, Route::Clusters);
    run_from_palette(&mut harness, "vim");
    harness.key_press(Key::J);
    harness.key_press(Key::J);
    harness.key_press(Key::K);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().model().route.cluster(),
        Some(cluster_arn("prod").as_str())
    );
    assert!(harness.state().current_settings().prefs.vim_keys);
}

#[test]
fn the_resource_icons_are_one_set_at_every_size_in_both_themes() {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(520.0, 140.0))
        .build_ui(|ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                for size in [14.0, 28.0, 56.0] {
                    ecsdeck::ui::widgets::icons::icon_sheet_ui(ui, size);
                }
            });
        });
    harness.run();
    support::harness::snapshot(&mut harness, "resource_icons");
    harness.ctx.set_theme(egui::Theme::Light);
    harness.run();
    support::harness::snapshot(&mut harness, "resource_icons_light");
}
