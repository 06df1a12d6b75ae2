//! The kittest harness every UI test starts from: the real `App` at 1280×800 over the fixture
//! backend, its clock frozen, with drafts saved to `drafts` when given.

use super::fixture_backend::{self, FixtureBackend};
use super::fixtures;
use ecsdeck::App;
use ecsdeck::jobs::drafts::DraftStore;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;
use std::sync::Arc;

/// A harness that has drawn its first frame.
pub fn app_harness(backend: &FixtureBackend, drafts: Option<&Path>) -> Harness<'static, App> {
    app_harness_with(backend, drafts, fixture_backend::settings())
}

/// Like [`app_harness`], starting from `settings` (as a restart would).
pub fn app_harness_with(
    backend: &FixtureBackend,
    drafts: Option<&Path>,
    settings: ecsdeck::app::settings::Settings,
) -> Harness<'static, App> {
    let backend = backend.clone();
    let drafts = drafts.map(Path::to_owned);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_eframe(move |_cc| {
            let mut app = App::with_backend(settings, Box::new(backend));
            if let Some(dir) = drafts {
                let store = DraftStore::spawn(dir, Arc::new(|| {})).expect("file thread");
                app = app.with_drafts(store);
            }
            app.set_clock(fixtures::now());
            app
        });
    harness.run();
    harness
}

/// Like [`app_harness_with`], showing notifications through `notifier`.
pub fn app_harness_notifying(
    backend: &FixtureBackend,
    settings: ecsdeck::app::settings::Settings,
    notifier: ecsdeck::app::notifier::RecordingNotifier,
) -> Harness<'static, App> {
    let backend = backend.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_eframe(move |_cc| {
            let mut app =
                App::with_backend(settings, Box::new(backend)).with_notifier(Box::new(notifier));
            app.set_clock(fixtures::now());
            app
        });
    harness.run();
    harness
}

/// From the cluster list, opens `service` of `cluster` (click, Enter, click, Enter).
pub fn open_service(harness: &mut Harness<'_, App>, cluster: &str, service: &str) {
    harness.get_by_label(cluster).click();
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.get_by_label(service).click();
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
}

/// From the cluster list, opens `cluster`'s services (click, Enter), a frame at a time (for
/// a real worker, whose answers arrive on their own time).
pub fn open_service_list(harness: &mut Harness<'_, App>, cluster: &str) {
    harness.get_by_label(cluster).click();
    harness.step();
    harness.key_press(egui::Key::Enter);
    harness.step();
}

/// Waits for `cluster` in the list, opens it, waits for `service` and opens its page, a frame
/// at a time (a real worker answers on its own time).
pub fn open_service_page(harness: &mut Harness<'_, App>, cluster: &str, service: &str) {
    wait_for(harness, "the cluster list", |h| {
        h.query_by_label(cluster).is_some()
    });
    open_service_list(harness, cluster);
    wait_for(harness, "the services", |h| {
        h.query_by_label(service).is_some()
    });
    harness.get_by_label(service).click();
    harness.step();
    harness.key_press(egui::Key::Enter);
    wait_for(harness, "the service page", |h| {
        h.query_by_label("Desired tasks").is_some()
    });
}

/// Types `text` into the field labelled `label` in place of what it holds.
pub fn replace_text(harness: &mut Harness<'_, App>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// Confirms the change the confirmation dialog shows (every change to AWS passes it).
pub fn confirm_change(harness: &mut Harness<'_, App>) {
    harness.get_by_label("Confirm change").click();
    harness.run();
    harness.run();
}

/// The text the last frame put on the clipboard, if any.
pub fn copied_text(harness: &Harness<'_, App>) -> Option<String> {
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
}

/// Compares the screen with the reference image `tests/snapshots/<name>.png` — on Linux,
/// where the references were recorded (Mesa's software renderer). Elsewhere GPUs and drivers
/// rasterise differently, so the image is not compared there; the test's behaviour checks
/// still run (README, "What runs where").
pub fn snapshot<S>(harness: &mut Harness<'_, S>, name: &str) {
    if cfg!(target_os = "linux") {
        #[expect(
            clippy::disallowed_methods,
            reason = "the one place snapshots are taken"
        )]
        harness.snapshot(name);
    }
}

/// Snapshots the screen as `name` (dark theme) and as `name_light`, then goes back to dark.
pub fn snapshot_themes(harness: &mut Harness<'_, App>, name: &str) {
    snapshot(harness, name);
    harness.ctx.set_theme(egui::Theme::Light);
    harness.run();
    snapshot(harness, &format!("{name}_light"));
    harness.ctx.set_theme(egui::Theme::Dark);
    harness.run();
}

/// Steps frames until `done` holds (a real worker answers on its own time); 30 s at most.
pub fn wait_for(
    harness: &mut Harness<'_, App>,
    what: &str,
    done: impl Fn(&Harness<'_, App>) -> bool,
) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done(harness) {
        assert!(
            std::time::Instant::now() < deadline,
            "{what} never happened"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.step();
}
