//! The Settings screen through egui_kittest over the fixture backend (no network): each
//! change applies at once, is saved, survives a restart (a new app from the saved settings),
//! and "Reset to defaults" undoes it.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::Route;
use ecsdeck::model::workspace::prefs::ThemeChoice;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::FixtureBackend;

fn open_settings(harness: &mut Harness<'_, App>) {
    // Tall enough for the whole page: what a scroll area clips is not in the tree.
    harness.set_size(egui::vec2(1280.0, 1500.0));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    harness.run();
    assert_eq!(harness.state().model().route, Route::Settings);
}

#[test]
fn settings_apply_at_once_survive_a_restart_and_reset_to_defaults() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    open_settings(&mut harness);
    support::harness::snapshot(&mut harness, "settings");

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
    assert_eq!(saved.prefs.theme, ThemeChoice::Light);
    assert!(saved.prefs.log_times_utc);
    assert!(saved.prefs.vim_keys);
    assert_eq!(saved.policy.read_only_profiles, vec!["*live*".to_owned()]);

    let mut harness = support::harness::app_harness_with(&backend, None, saved);
    assert_eq!(harness.ctx.theme(), egui::Theme::Light);
    open_settings(&mut harness);
    harness.get_by_label("*live*  ×");
    harness.get_by_label("Reset to defaults").click();
    harness.run();
    harness.get_by_label("*prod*  ×");
    let reset = harness.state().current_settings();
    assert_eq!(reset.prefs.theme, ThemeChoice::System);
    assert!(!reset.prefs.log_times_utc && !reset.prefs.vim_keys);
    assert_eq!(reset.policy.read_only_profiles, vec!["*prod*".to_owned()]);
    // The connection is not reset.
    assert_eq!(reset.connection.profile.as_deref(), Some("platform"));
}

/// Types `text` into the field labelled `label` in place of what it holds, then Enter.
fn enter_text(harness: &mut Harness<'_, App>, label: &str, text: &str) {
    support::harness::replace_text(harness, label, text);
    harness.key_press(Key::Enter);
    harness.run();
}

#[test]
fn the_time_zone_is_checked_and_it_and_the_save_folder_are_saved() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    open_settings(&mut harness);
    harness.get_by_label_contains("(now UTC)");

    enter_text(&mut harness, "Local time zone", "Mars/Olympus");
    harness.get_by_label_contains("unknown time zone \"Mars/Olympus\"");
    assert_eq!(
        harness
            .state()
            .current_settings()
            .prefs
            .time_zone
            .as_deref(),
        Some("UTC"),
        "a refused zone changes nothing"
    );
    enter_text(&mut harness, "Local time zone", "Asia/Tokyo");
    harness.get_by_label_contains("(now Asia/Tokyo)");
    assert!(
        harness
            .query_by_label_contains("unknown time zone")
            .is_none()
    );
    enter_text(&mut harness, "Save exports to", "/data/exports");

    let saved = harness.state().current_settings();
    assert_eq!(saved.prefs.time_zone.as_deref(), Some("Asia/Tokyo"));
    assert_eq!(saved.prefs.save_dir, Some("/data/exports".into()));
    let json = saved.to_json();
    let restored = ecsdeck::app::settings::Settings::from_json(Some(&json));
    assert_eq!(restored.prefs.local_zone_name(), "Asia/Tokyo");
    assert_eq!(
        restored
            .prefs
            .save_path(ecsdeck::model::workspace::prefs::SaveKind::Picture, "c.png"),
        std::path::Path::new("/data/exports")
            .join("c.png")
            .display()
            .to_string()
    );
}

#[test]
fn about_names_the_renderer_its_adapter_and_what_failed_first_and_the_settings_keep_it() {
    use ecsdeck::model::workspace::renderer::{FailedAttempt, Renderer, RendererReport};
    let backend = FixtureBackend::new();
    // A start that found Glow saved: until this run's renderer is known, Glow stays saved.
    let saved = ecsdeck::app::settings::Settings {
        renderer: Some(Renderer::Glow),
        ..support::fixture_backend::settings()
    };
    let mut harness = support::harness::app_harness_with(&backend, None, saved);
    assert_eq!(
        harness.state().current_settings().renderer,
        Some(Renderer::Glow)
    );
    harness.state_mut().set_renderer(RendererReport {
        renderer: Some(Renderer::Vulkan),
        adapter: "llvmpipe (LLVM 15.0.6, 256 bits), Mesa 22.3.6".into(),
        failed: vec![FailedAttempt {
            renderer: Renderer::Dx12,
            error: "WGPU error: Parent device is lost".into(),
        }],
    });
    harness.set_size(egui::vec2(1280.0, 2000.0));
    open_settings(&mut harness);
    harness.get_by_label("About ECS Deck");
    harness.get_by_label("Vulkan (wgpu)");
    harness.get_by_label("llvmpipe (LLVM 15.0.6, 256 bits), Mesa 22.3.6");
    harness.get_by_label("Direct3D 12 (wgpu): WGPU error: Parent device is lost");
    // What opened the window is what the next start tries first; a reset does not forget it.
    harness.get_by_label("Reset to defaults").click();
    harness.run();
    assert_eq!(
        harness.state().current_settings().renderer,
        Some(Renderer::Vulkan)
    );
}
