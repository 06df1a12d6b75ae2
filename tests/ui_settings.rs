//! The Settings screen through egui_kittest over the fixture backend (no network): each
//! change applies at once, is saved, survives a restart (a new app from the saved settings),
//! and "Reset to defaults" undoes it.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::Route;
use ecsdeck::settings::ThemeChoice;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::FixtureBackend;

fn open_settings(harness: &mut Harness<'_, App>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    harness.run();
    assert_eq!(harness.state().model().route, Route::Settings);
}

#[test]
fn settings_apply_at_once_survive_a_restart_and_reset_to_defaults() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    open_settings(&mut harness);
    harness.snapshot("settings");

    harness.get_by_label("light").click();
    harness.run();
    assert_eq!(harness.ctx.theme(), egui::Theme::Light);
    harness.get_by_label("UTC").click();
    harness.run();
    // Rules: remove the default one, add another.
    harness.get_by_label("*prod*  ×").click();
    harness.run();
    harness.get_by_label("Add a pattern").focus();
    harness.run();
    harness.get_by_label("Add a pattern").type_text("*live*");
    harness.run();
    harness.get_by_label("Add").click();
    harness.run();
    harness.get_by_label("*live*  ×");
    assert!(harness.query_by_label("*prod*  ×").is_none());
    harness
        .get_by_label("j and k move in lists (vim keys)")
        .click();
    harness.run();

    let saved = harness.state().current_settings();
    assert_eq!(saved.theme, ThemeChoice::Light);
    assert!(saved.log_times_utc);
    assert!(saved.vim_keys);
    assert_eq!(saved.read_only_profiles, vec!["*live*".to_owned()]);

    let mut harness = support::harness::app_harness_with(&backend, None, saved);
    assert_eq!(harness.ctx.theme(), egui::Theme::Light);
    open_settings(&mut harness);
    harness.get_by_label("*live*  ×");
    harness.get_by_label("Reset to defaults").click();
    harness.run();
    harness.get_by_label("*prod*  ×");
    let reset = harness.state().current_settings();
    assert_eq!(reset.theme, ThemeChoice::System);
    assert!(!reset.log_times_utc && !reset.vim_keys);
    assert_eq!(reset.read_only_profiles, vec!["*prod*".to_owned()]);
    // The connection is not reset.
    assert_eq!(reset.profile.as_deref(), Some("platform"));
}
