//! The incident cockpit through egui_kittest, on the fixture backend's model-level incident
//! (support/incident_fixtures.rs: a bad deploy an hour before the frozen "now", rolled back
//! after a crash loop out of memory): the timeline with its lanes and charts, why tasks
//! stopped, a stop shown on the timeline with its diagnosis and the logs around it, and
//! dragging across a chart for the merged logs of that range.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::incident::timeline::IncidentKey;
use ecsdeck::model::metrics::MetricRange;
use ecsdeck::model::{Request, ResourceKey, Route, WorkerCommand};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::FixtureBackend;

fn open_incident(backend: &FixtureBackend) -> Harness<'static, App> {
    let mut harness = support::harness::app_harness(backend, None);
    harness.set_size(egui::vec2(1400.0, 1100.0));
    support::harness::open_service(&mut harness, "prod", "checkout-api");
    harness.get_by_label("Incident").click();
    harness.run();
    harness.run();
    harness
}

fn incident_key(harness: &Harness<'_, App>) -> IncidentKey {
    match &harness.state().model().route {
        Route::Incident(key) => key.clone(),
        other => panic!("expected the cockpit, got {other:?}"),
    }
}

#[test]
fn the_cockpit_shows_the_timeline_and_why_tasks_stopped() {
    let backend = FixtureBackend::new();
    let mut harness = open_incident(&backend);
    let key = incident_key(&harness);
    assert_eq!(key.range, MetricRange::Last(3 * 3_600));
    assert_eq!(key.services.len(), 1);
    let asked = backend.sent.borrow().iter().any(|c| {
        matches!(c, WorkerCommand::Start { request: Request::Incident { key: k, .. }, .. } if *k == key)
    });
    assert!(asked, "the timeline is read by the worker");
    harness.get_by_label("Incident · checkout-api");
    harness.get_by_label("CPU utilization");
    harness.get_by_label("Memory utilization");
    harness.get_by_label("Error lines per minute");
    harness.get_by_label("Timeline");
    harness.get_by_label_contains("Stopped tasks: 1");
    harness.get_by_label_contains("Alarms: 2");
    harness.get_by_label_contains("errors peaked at");
    // Why tasks stopped: one crash-loop row, open, with the diagnosis and its fix.
    harness.get_by_label("Why tasks stopped");
    harness.get_by_label_contains("Out of memory (app) ×6, crash loop");
    harness.get_by_label_contains("Out of memory: app, limit 512 MiB");
    harness.get_by_label("Crash loop: the same failure again and again");
    assert!(
        harness.query_all_by_label("recorded").count() >= 2,
        "the tasks only the recorder has are marked"
    );
    support::harness::snapshot_themes(&mut harness, "incident");
}

#[test]
fn a_stop_on_the_timeline_opens_its_diagnosis_and_the_logs_around_it() {
    let backend = FixtureBackend::new();
    let mut harness = open_incident(&backend);
    harness.get_by_label("Show on the timeline").click();
    harness.run();
    harness.get_by_label("× Close");
    harness.get_by_label("Stopped tasks");
    harness.get_by_label_contains("Evidence");
    harness.get_by_label("Logs around this").click();
    harness.run();
    harness.run();
    harness.get_by_label_contains("error lines counted in this range");
    assert!(
        harness
            .query_all_by_label_contains("java.lang.OutOfMemoryError")
            .count()
            > 0
    );
    harness.get_by_label("× Close").click();
    harness.run();
    assert!(harness.state().model().range_logs.is_none());
    harness.get_by_label("Why tasks stopped");
}

#[test]
fn dragging_across_a_chart_opens_the_logs_of_that_range_with_its_deployments() {
    let backend = FixtureBackend::new();
    let mut harness = open_incident(&backend);
    let title = harness.get_by_label("CPU utilization").rect();
    // The plot is under its title; the deploy was an hour ago, the range three hours wide.
    let y = title.bottom() + 60.0;
    let plot_left = title.left() + 50.0;
    let from = egui::pos2(plot_left + 600.0, y);
    let to = egui::pos2(plot_left + 760.0, y);
    harness.drag_at(from);
    harness.run();
    harness.hover_at(egui::pos2(from.x + 80.0, y));
    harness.run();
    harness.hover_at(to);
    harness.run();
    harness.drop_at(to);
    harness.run();
    harness.run();
    let range = harness
        .state()
        .model()
        .range_logs
        .clone()
        .expect("a range chosen by the drag");
    assert!(range.end_ms - range.start_ms >= 60_000, "{range:?}");
    let loaded = backend.sent.borrow().iter().any(|c| {
        matches!(c, WorkerCommand::Start { request: Request::Load(ResourceKey::RangeLogs(r)), .. } if *r == range)
    });
    assert!(loaded, "the range's logs are read by the worker");
    harness.get_by_label_contains("error lines counted in this range");
    harness.get_by_label_contains("40 lines");
    harness.get_by_label("Open in Logs ›").click();
    harness.run();
    assert!(matches!(harness.state().model().route, Route::Logs(_)));
}

#[test]
fn export_writes_the_report_the_picture_and_the_logs_around_each_mark() {
    let backend = FixtureBackend::new();
    let mut harness = open_incident(&backend);
    let dir = tempfile::tempdir().expect("dir");
    let target = dir.path().join("incident-checkout");
    support::harness::replace_text(&mut harness, "Export folder", &target.display().to_string());
    harness.get_by_label("Export incident…").click();
    // The logs come from the worker, the screenshot next frame, the files from a thread.
    let done = format!("files to {}", target.display());
    for _ in 0..300 {
        harness.step();
        if harness.query_by_label_contains(&done).is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.get_by_label_contains(&done);
    let report = std::fs::read_to_string(target.join("report.md")).expect("report.md");
    assert!(
        report.starts_with("# Incident report: checkout-api (prod)"),
        "{report}"
    );
    assert!(report.contains("### Out of memory ×6"));
    assert!(
        report.contains("image app: 1.4.2 → 1.4.3"),
        "what the deploy changed"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(target.join("report.json")).unwrap())
            .unwrap();
    assert_eq!(json["stopped_tasks"], 6);
    let picture = image::open(target.join("timeline.png")).expect("a PNG");
    assert!(picture.width() > 600 && picture.height() > 400);
    let logs: Vec<String> = std::fs::read_dir(target.join("logs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        logs.iter()
            .any(|n| n.ends_with("-deploy-checkout-api-43.log")),
        "{logs:?}"
    );
    assert!(
        logs.iter().any(|n| n.contains("crash-loop-out-of-memory")),
        "{logs:?}"
    );
    let first = std::fs::read_to_string(target.join("logs").join(&logs[0])).unwrap();
    assert!(first.contains("java.lang.OutOfMemoryError"));
}

#[test]
fn stopped_tasks_recorded_before_a_restart_reach_the_timeline_after_it() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().expect("dir");
    let drafts = dir.path().join("drafts");
    let file = dir.path().join("stopped-tasks.jsonl");
    // The fixtures' frozen clock is weeks before today, when the file is pruned by age.
    let mut settings = support::fixture_backend::settings();
    settings.policy.stopped_task_recorder.max_age_days = 3_650;
    {
        // The service's tasks are seen (some stopped): the recorder writes them down.
        let mut harness =
            support::harness::app_harness_with(&backend, Some(&drafts), settings.clone());
        support::harness::open_service(&mut harness, "prod", "checkout-api");
        for _ in 0..200 {
            harness.step();
            if std::fs::read_to_string(&file).is_ok_and(|t| !t.is_empty()) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    let written = std::fs::read_to_string(&file).expect("the recorder's file");
    let recorded = written.lines().count();
    assert!(recorded > 0);
    assert!(written.contains("\"last_status\":\"STOPPED\""));

    // After a restart: read back, and handed to the timeline of that cluster.
    let mut harness = support::harness::app_harness_with(&backend, Some(&drafts), settings);
    for _ in 0..200 {
        harness.step();
        if !harness.state().model().recorded_stops.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(harness.state().model().recorded_stops.len(), recorded);
    harness.set_size(egui::vec2(1400.0, 1100.0));
    support::harness::open_service(&mut harness, "prod", "checkout-api");
    harness.get_by_label("Incident").click();
    harness.run();
    let handed = backend.sent.borrow().iter().rev().find_map(|c| match c {
        WorkerCommand::Start {
            request: Request::Incident { seen, .. },
            ..
        } => Some(seen.recorded.len()),
        _ => None,
    });
    assert_eq!(handed, Some(recorded), "every recorded task of the cluster");
}

#[test]
fn services_are_added_to_and_taken_off_the_timeline() {
    let backend = FixtureBackend::new();
    let mut harness = open_incident(&backend);
    harness.get_by_label("Add").click();
    harness.run();
    harness.get_by_label("payments-api").click();
    harness.run();
    let key = incident_key(&harness);
    assert_eq!(key.services.len(), 2, "{key:?}");
    assert!(key.services[1].ends_with("/payments-api"));
    harness.get_by_label("Incident · checkout-api, payments-api");
    harness.get_by_label("checkout-api  ×").click();
    harness.run();
    let key = incident_key(&harness);
    assert_eq!(key.services.len(), 1);
    assert!(key.services[0].ends_with("/payments-api"));
}
