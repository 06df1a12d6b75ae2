//! Panics: one inside a worker request (the real worker over moto, the panic injected by the
//! worker's request hook) fails that request alone and the app carries on; one on the UI thread
//! (injected into an egui pass of the real App over model fixtures) leaves a crash report in
//! the data directory, keeps the drafts, and the next start points at the report.

use crate::support;
use crate::ui_task_defs::{draft_on_disk, edit_image_until_saved, harness, run_until};

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::{Request, ResourceKey};
use ecsdeck::worker::Worker;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::Emulator;
use support::fixture_backend::FixtureBackend;
use support::harness::wait_for;
use support::seed::seed;

#[test]
fn a_panicking_request_fails_alone_and_the_app_carries_on() {
    let emulator = Emulator::start();
    let seeded = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(seed(&emulator, 2));
    let prod = seeded.prod.clone();
    let panics = Arc::new(AtomicUsize::new(0));
    let hook_panics = panics.clone();
    // The first load of prod's services panics inside the worker; later ones run normally.
    let hook = Arc::new(move |request: &Request| {
        if matches!(request, Request::Load(ResourceKey::Services(c)) if *c == prod)
            && hook_panics.fetch_add(1, Ordering::SeqCst) == 0
        {
            panic!("injected worker panic");
        }
    });
    let worker = Worker::spawn_with_hook(Arc::new(|| {}), emulator.profile_source(), hook).unwrap();
    let settings = Settings {
        connection: ecsdeck::model::Connection {
            profile: None,
            region: "us-east-1".into(),
            endpoint_url: Some(emulator.endpoint.clone()),
        },
        policy: ecsdeck::model::workspace::policy::Policy {
            auto_refresh: false,
            ..Default::default()
        },
        ..Settings::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |_cc| App::with_backend(settings, Box::new(worker)));
    wait_for(&mut harness, "the cluster list", |h| {
        h.query_by_label("staging").is_some()
    });
    harness.get_by_label("prod").click();
    harness.step();
    harness.key_press(egui::Key::Enter);
    let prod = seeded.prod.clone();
    wait_for(&mut harness, "the failed load", |h| {
        h.state().model().services_of(&prod).error().is_some()
    });
    let error = harness.state().model().services_of(&prod).error().unwrap();
    assert!(
        error
            .to_string()
            .contains("internal error: injected worker panic"),
        "{error}"
    );
    harness.get_by_label_contains("injected worker panic");
    // The worker is alive: a refresh of the same screen loads it.
    harness.key_press(egui::Key::F5);
    wait_for(&mut harness, "the services", |h| {
        h.query_by_label("svc-000").is_some()
    });
    assert_eq!(panics.load(Ordering::SeqCst), 2, "one panic, one good load");
    assert!(harness.state().model().services_of(&prod).error().is_none());
}

#[test]
fn a_ui_thread_panic_writes_a_crash_report_and_keeps_the_drafts() {
    let backend = FixtureBackend::new();
    let data = tempfile::tempdir().unwrap();
    let drafts = data.path().join("drafts");
    let reports = data.path().join("crash-reports");
    std::fs::create_dir_all(&drafts).unwrap();
    // Only this test's thread writes reports into `reports`.
    ecsdeck::app::crash_report::install(Some(reports.clone()));
    let image = "registry.example.com/web:4.4.4";
    {
        let mut harness = harness(&backend, &drafts);
        edit_image_until_saved(&mut harness, &drafts, image);
        // A credential in the panic message must not reach the report.
        harness.ctx.on_begin_pass(
            "crash",
            Arc::new(|_| panic!("injected UI panic with AKIAIOSFODNN7EXAMPLE")),
        );
        let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| harness.run()));
        assert!(crashed.is_err(), "the injected panic fired");
        std::mem::forget(harness); // a crashed process runs no destructors
    }
    let notice = ecsdeck::app::crash_report::newest_unseen(&reports, None).expect("a crash report");
    let report = std::fs::read_to_string(&notice.path).unwrap();
    assert!(
        report.contains("message: injected UI panic with [redacted]"),
        "{report}"
    );
    assert!(report.contains("panicked at: tests/panics.rs:"), "{report}");
    assert!(report.contains("backtrace:"), "{report}");
    assert!(!report.contains("AKIAIOSFODNN7EXAMPLE"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&notice.path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(draft_on_disk(&drafts, image), "the draft is intact");

    // The next start offers the draft and points at the report, once.
    let mut harness = harness(&backend, &drafts);
    let restarted = std::mem::replace(
        harness.state_mut(),
        App::with_backend(Settings::default(), Box::new(FixtureBackend::new())),
    );
    *harness.state_mut() = restarted.with_crash_notice(Some(notice.clone()));
    harness.run();
    harness.get_by_label_contains("stopped after an internal error");
    harness.get_by_label_contains(&notice.path.display().to_string());
    run_until(&mut harness, "the restore offer", |h| {
        !h.state().view().task_defs.restorable.is_empty()
    });
    assert_eq!(
        harness.state().current_settings().crash_report_seen,
        Some(notice.name.clone())
    );
    assert_eq!(
        ecsdeck::app::crash_report::newest_unseen(&reports, Some(&notice.name)),
        None,
        "offered once"
    );
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("stopped after an internal error")
            .is_none()
    );
}
