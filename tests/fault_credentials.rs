//! Credentials expiring mid-session, end to end: the real App and worker against moto behind
//! the fault proxy. Moto accepts any key, so the proxy plays AWS rejecting an expired session
//! token (ExpiredTokenException on every call); the SSO-style failure is real — the profile is
//! switched to an IAM Identity Center profile with no cached login, and the SDK's own SSO
//! provider fails; logging in again is played by the profile getting working keys back.

use crate::support;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::worker::Worker;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use support::Emulator;
use support::emulator::{TEST_KEY_ID, TEST_SECRET};
use support::fault_proxy::{FaultProxy, Rule};
use support::harness::wait_for;
use support::seed::seed;

fn static_keys() -> (String, String) {
    (
        "[profile work]\nregion = us-east-1\n".to_owned(),
        format!(
            "[work]\naws_access_key_id = {TEST_KEY_ID}\naws_secret_access_key = {TEST_SECRET}\n"
        ),
    )
}

/// An IAM Identity Center profile whose session name no login has ever cached.
const SSO_CONFIG: &str = "[profile work]\nregion = us-east-1\nsso_session = ecsdeck-test-never-logged-in\n\
sso_account_id = 123456789012\nsso_role_name = ReadOnly\n\n[sso-session ecsdeck-test-never-logged-in]\n\
sso_start_url = https://ecsdeck-test.awsapps.com/start\nsso_region = us-east-1\n";

#[test]
fn expired_credentials_show_the_fix_stop_the_calls_and_resume_after_login() {
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let seeded = runtime.block_on(seed(&emulator, 2));
    let (config, credentials) = static_keys();
    emulator.write_profile_files(&config, &credentials);
    let proxy = FaultProxy::start(emulator.port, Vec::new());
    let worker = Worker::spawn_with(Arc::new(|| {}), emulator.profile_source()).unwrap();
    let settings = Settings {
        connection: ecsdeck::model::Connection {
            profile: Some("work".into()),
            region: "us-east-1".into(),
            endpoint_url: Some(proxy.endpoint.clone()),
        },
        policy: ecsdeck::model::workspace::policy::Policy {
            auto_refresh: true,
            refresh_interval_secs: 5,
            read_only_profiles: Vec::new(),
            ..Default::default()
        },
        ..Settings::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |_cc| App::with_backend(settings, Box::new(worker)));
    wait_for(&mut harness, "the cluster list", |h| {
        h.query_by_label("prod").is_some()
    });
    support::harness::open_service_list(&mut harness, "prod");
    wait_for(&mut harness, "the services", |h| {
        h.query_by_label("svc-000").is_some()
    });

    // The short-lived keys expire: AWS rejects every call.
    proxy.set_rules(vec![Rule::error("", 1.0, "ExpiredTokenException")]);
    harness.key_press(egui::Key::F5);
    wait_for(&mut harness, "the banner", |h| {
        h.state().model().credentials_error.is_some()
    });
    harness.get_by_label_contains("Credentials for profile work are missing or expired.");
    harness.get_by_label("aws configure --profile work");
    harness.get_by_label("svc-000"); // what was shown stays
    // Nothing is left in flight, and auto-refresh does not hammer AWS with the same failure.
    wait_for(&mut harness, "calls to settle", |h| {
        h.state().model().in_flight_count() == 0
    });
    let calls = proxy
        .counts
        .faulted
        .load(std::sync::atomic::Ordering::SeqCst);
    let quiet_until = std::time::Instant::now() + std::time::Duration::from_secs(7);
    while std::time::Instant::now() < quiet_until {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        proxy
            .counts
            .faulted
            .load(std::sync::atomic::Ordering::SeqCst),
        calls,
        "no call while the credentials are known to be bad"
    );

    // The user's profile turns out to be SSO, and its session has expired.
    emulator.write_profile_files(SSO_CONFIG, "");
    proxy.set_rules(Vec::new());
    harness.get_by_label("Retry").click();
    wait_for(&mut harness, "the SSO fix", |h| {
        h.query_by_label("aws sso login --profile work").is_some()
    });
    assert!(harness.state().model().credentials_error.is_some());

    // Logged in again: Retry, and everything loads without a restart.
    emulator.write_profile_files(&config, &credentials);
    harness.get_by_label("Retry").click();
    let prod = seeded.prod.clone();
    wait_for(&mut harness, "the services again", |h| {
        h.state().model().credentials_error.is_none()
            && h.state().model().services_of(&prod).fetched_at().is_some()
            && !h.state().model().services_of(&prod).is_pending()
    });
    assert!(
        harness
            .query_by_label_contains("are missing or expired")
            .is_none()
    );
    assert!(
        harness
            .state()
            .model()
            .services_of(&seeded.prod)
            .error()
            .is_none()
    );
}
