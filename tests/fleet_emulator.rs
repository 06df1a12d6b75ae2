//! The fleet screen end to end: the real App and worker against the emulator (two accounts
//! and two regions of moto's state, tests/support/fleet_seed.rs), driven through kittest.
//! Rows stream in pair by pair (a pair whose credentials take seconds is still reading while
//! the others show), a pair whose credentials fail shows its error and fix beside the healthy
//! ones, and opening a row switches the app to that profile and region, where the change
//! policy of that profile applies.

use crate::support;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::Route;
use ecsdeck::model::fleet::FleetMember;
use ecsdeck::model::fleet::load::PairStatus;
use ecsdeck::worker::Worker;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use support::Emulator;
use support::fleet_seed::seed_fleet;
use support::harness::wait_for;

fn app(emulator: &Emulator, fleet: ecsdeck::model::fleet::FleetDef) -> Harness<'static, App> {
    let worker = Worker::spawn_with(Arc::new(|| {}), emulator.profile_source()).expect("worker");
    let mut settings = Settings {
        connection: emulator.connection(),
        fleets: vec![fleet],
        ..Settings::default()
    };
    settings.policy.auto_refresh = false;
    settings.policy.read_only_profiles = vec!["*prod*".into()];
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |_cc| App::with_backend(settings, Box::new(worker)))
}

fn pair_status(harness: &Harness<'_, App>, profile: &str) -> Option<PairStatus> {
    let fleet = harness.state().model().fleet.as_ref()?;
    fleet
        .pairs
        .iter()
        .find(|p| p.connection.profile.as_deref() == Some(profile))
        .map(|p| p.status.clone())
}

#[test]
fn rows_stream_in_a_failed_pair_says_why_and_a_row_opens_on_its_profile() {
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let mut fleet = runtime.block_on(seed_fleet(&emulator)).fleet;
    fleet.members.push(FleetMember {
        profile: Some("slow".into()),
        regions: vec!["ap-south-1".into()],
    });
    let mut harness = app(&emulator, fleet);
    harness.run_steps(2);
    harness.get_by_label("Fleet").click();
    // The first pairs' rows show while the slow one is still reading.
    wait_for(&mut harness, "the prod rows", |h| {
        h.query_by_label_contains("in alarm: orders-cpu-high")
            .is_some()
    });
    assert_eq!(pair_status(&harness, "slow"), Some(PairStatus::Loading));
    // Under load another pair (the expired profile's credential_process) may still be
    // reading too, so at least one row says so.
    assert!(
        harness
            .query_all_by_label_contains("reading…")
            .next()
            .is_some()
    );
    std::fs::write(support::fleet_seed::slow_gate(&emulator), "").expect("open the gate");
    // Ranked: the alarm, then no capacity, then the healthy services.
    let rows: Vec<String> = {
        let load = harness.state().model().fleet.clone().expect("a fleet");
        load.rows
            .iter()
            .map(|r| load.service(r).expect("row").1.name.clone())
            .take(2)
            .collect()
    };
    assert_eq!(rows, ["orders", "batch"]);
    // The expired profile's pair: its error and the fix, the others unaffected.
    wait_for(&mut harness, "the failed pair", |h| {
        h.query_by_label_contains("Fix: the credential_process of profile expired failed")
            .is_some()
    });
    wait_for(&mut harness, "the slow pair", |h| {
        matches!(pair_status(h, "slow"), Some(PairStatus::Loaded))
    });
    harness.get_by_label_contains("6 of 6 pairs read · 5 services · 2 need attention · 1 failed");

    // A row opens on its own profile and region: prod is read-only by its pattern.
    harness.get_by_label("orders").click();
    harness.run_steps(2);
    harness.get_by_label("Open ›").click();
    harness.run_steps(2);
    let model = harness.state().model();
    assert_eq!(model.connection.profile.as_deref(), Some("prod"));
    assert_eq!(model.connection.region, "us-east-1");
    assert!(
        matches!(&model.route, Route::Service { service, .. } if service.ends_with("/prod/orders"))
    );
    assert!(model.read_only(), "prod matches *prod*");
    let cluster = match &model.route {
        Route::Service { cluster, .. } => cluster.clone(),
        other => panic!("{other:?}"),
    };
    wait_for(&mut harness, "the service page's data", |h| {
        h.state().model().services_of(&cluster).value().is_some()
    });
    // Back to the fleet (still loaded), then staging's row: not read-only there.
    harness.get_by_label("Fleet").click();
    harness.run_steps(2);
    harness.state_mut().set_fleet_search("cluster:staging");
    harness.run_steps(2);
    harness.get_by_label("web").click();
    harness.run_steps(2);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    let model = harness.state().model();
    assert_eq!(model.connection.profile.as_deref(), Some("staging"));
    assert!(!model.read_only(), "staging matches no read-only pattern");
}
