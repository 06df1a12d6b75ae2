//! Metric charts through egui_kittest with fixed data on the fixtures' frozen clock (see
//! support/metric_fixtures.rs): a service's charts with deployment markers, switching range,
//! the value readout under the pointer, a marker opening the diff, sparklines in the services
//! list, and CloudWatch denied while ECS works.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::metrics::MetricRange;
use ecsdeck::model::metrics::charts::MetricsKey;
use ecsdeck::model::{ErrorKind, Request, ResourceKey, Route, WorkerCommand};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::{FixtureBackend, service_error};

fn harness(backend: &FixtureBackend) -> Harness<'static, App> {
    support::harness::app_harness(backend, None)
}

fn open_checkout_metrics(harness: &mut Harness<'_, App>) {
    support::harness::open_service(harness, "prod", "checkout-api");
    harness.get_by_label("Metrics").click();
    harness.run();
}

/// The metric keys the app asked the worker for, in order.
fn metric_loads(backend: &FixtureBackend) -> Vec<MetricsKey> {
    backend
        .sent
        .borrow()
        .iter()
        .filter_map(|c| match c {
            WorkerCommand::Start {
                request: Request::Load(ResourceKey::Metrics(key)),
                ..
            } => Some(key.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_service_shows_cpu_and_memory_with_its_deployments_and_ranges_switch() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout_metrics(&mut harness);
    harness.get_by_label("Service checkout-api in prod");
    harness.get_by_label("CPU utilization");
    harness.get_by_label("Memory utilization");
    let loads = metric_loads(&backend);
    let first = loads.last().expect("a metrics load").clone();
    assert_eq!(first.range, MetricRange::Last(3 * 3_600));
    assert_eq!(
        first.period_secs, 60,
        "3 hours on a 1280-pixel window: 1-minute points"
    );
    // checkout-api is rolling out revision 10 over 9: one marker each for the two deployments.
    harness.get_by_label_contains("deploy checkout-api:10 at");
    harness.get_by_label("one datapoint every 1m · 1 GetMetricData call");
    support::harness::snapshot_themes(&mut harness, "metrics_service");

    harness.get_by_label("24h").click();
    harness.run();
    let latest = metric_loads(&backend).last().cloned().expect("a load");
    assert_eq!(latest.range, MetricRange::Last(86_400));
    assert!(
        latest.period_secs >= 120,
        "a day is wider than the plot: {}",
        latest.period_secs
    );
    harness.get_by_label("CPU utilization");
}

#[test]
fn pointing_at_a_chart_reads_every_value_at_that_time() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout_metrics(&mut harness);
    let plot = harness.get_by_label("CPU utilization").rect();
    // Below the title: the plot. Its middle is about 90 minutes ago.
    let at = egui::pos2(plot.left() + 600.0, plot.bottom() + 100.0);
    harness.hover_at(at);
    harness.run();
    harness.hover_at(at);
    harness.run();
    // The readout: the time, then every series' value at it.
    harness.get_by_label_contains("UTC · CPU utilization: Average ");
    harness.get_by_label_contains(" %, Maximum ");
    harness.get_by_label_contains(" · Memory utilization: Average ");
}

#[test]
fn a_deployment_opens_the_diff_of_its_revision() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout_metrics(&mut harness);
    harness
        .get_by_label_contains("deploy checkout-api:10 at")
        .click();
    harness.run();
    let route = harness.state().model().route.clone();
    match route {
        Route::Compare { old, new } => {
            assert_eq!(old.label(), "checkout-api:9");
            assert_eq!(new.label(), "checkout-api:10");
        }
        other => panic!("expected the comparison, got {other:?}"),
    }
}

#[test]
fn the_services_list_has_cpu_and_memory_sparklines() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    harness.get_by_label("prod").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.run();
    harness.get_by_label("CPU 1h");
    harness.get_by_label("Memory 1h");
    let sparkline_loads = backend
        .sent
        .borrow()
        .iter()
        .filter(|c| matches!(c, WorkerCommand::Start { request: Request::Sparklines { services, .. }, .. } if services.len() == 24))
        .count();
    assert_eq!(
        sparkline_loads, 1,
        "one request for the whole list, after the list"
    );
    assert!(
        !harness
            .query_all_by_label_contains("%")
            .collect::<Vec<_>>()
            .is_empty()
    );
    support::harness::snapshot(&mut harness, "services_sparklines");
}

#[test]
fn cloudwatch_denied_shows_the_error_and_the_rest_works() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout_metrics(&mut harness);
    let key = match &harness.state().model().route {
        Route::Metrics(key) => key.clone(),
        other => panic!("{other:?}"),
    };
    backend.failures.borrow_mut().insert(
        ResourceKey::Metrics(MetricsKey {
            range: MetricRange::Last(12 * 3_600),
            period_secs: 60,
            ..key
        }),
        service_error(
            "GetMetricData",
            "AccessDeniedException",
            "User: arn:aws:sts::123456789012:assumed-role/ReadOnly/jo is not authorized to perform: cloudwatch:GetMetricData",
            ErrorKind::AccessDenied,
        ),
    );
    harness.get_by_label("12h").click();
    harness.run();
    harness.get_by_label_contains("AccessDeniedException");
    harness.get_by_label_contains("not authorized to perform: cloudwatch:GetMetricData");
    // ECS still answers: back to the service page, its tasks are there.
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("Desired tasks");
}

#[test]
fn a_custom_range_in_the_future_is_refused_inline() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout_metrics(&mut harness);
    let loads = metric_loads(&backend).len();
    harness.get_by_label("From").focus();
    harness.run();
    harness.get_by_label("From").type_text("2031-01-01 00:00");
    harness.run();
    harness.get_by_label("Show range").click();
    harness.run();
    harness.get_by_label_contains("this range is in the future");
    assert_eq!(metric_loads(&backend).len(), loads, "nothing asked");
    harness.get_by_label("CPU utilization");
}

#[test]
fn no_datapoints_says_so_and_why() {
    let backend = FixtureBackend::new();
    backend.no_metrics.set(true);
    let mut harness = harness(&backend);
    open_checkout_metrics(&mut harness);
    harness.get_by_label("No data for this range.");
    harness.get_by_label_contains("a new service, or one scaled to zero, has none yet");
    assert!(
        harness
            .query_all_by_label("no datapoints in this range")
            .count()
            >= 2,
        "each chart says it is empty"
    );
}

#[test]
fn copy_csv_puts_the_visible_series_on_the_clipboard() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout_metrics(&mut harness);
    harness.get_by_label("Copy CSV").click();
    harness.step();
    let copied = support::harness::copied_text(&harness).expect("text copied");
    let mut lines = copied.lines();
    assert!(
        lines.next().is_some_and(
            |h| h.starts_with("timestamp,CPU utilization Average,CPU utilization Maximum,")
        ),
        "{copied:.200}"
    );
    // Three hours of minutes (plus the edges the plot shows), gaps as empty cells.
    let rows = copied.lines().count() - 1;
    assert!((180..=182).contains(&rows), "{rows}");
    assert!(copied.contains(",,"), "the fixture's gap");
    harness.run();
    harness.get_by_label(&format!("Copied {rows} rows as CSV"));
}

#[test]
fn save_png_writes_the_charts_to_the_file_named() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout_metrics(&mut harness);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("cpu.png");
    harness.get_by_label("PNG file").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("PNG file")
        .type_text(&path.display().to_string());
    harness.run();
    harness.get_by_label("Save PNG").click();
    // The screenshot comes back next frame; encoding and writing run on their own thread.
    let saved = format!("Saved {}", path.display());
    for _ in 0..200 {
        harness.step();
        if harness.query_by_label(&saved).is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.get_by_label(&saved);
    let image = image::open(&path).expect("a PNG").to_rgba8();
    // The charts' area: wider than tall, most of the window's width.
    let (width, height) = image.dimensions();
    assert!(
        width > 1_000 && height > 300 && width > height,
        "{width}×{height}"
    );
}
