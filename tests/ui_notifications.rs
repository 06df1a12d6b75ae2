//! Desktop notifications of pinned services through egui_kittest, with a recording notifier
//! in place of the desktop's (the app's decisions are what is tested: which notices, how
//! often, and where a click leads): off until turned on in Settings, a rollback told once,
//! no second notice for the same service within a minute, and a click opening the timeline
//! at that moment.

use crate::support;

use ecsdeck::App;
use ecsdeck::app::notifier::RecordingNotifier;
use ecsdeck::model::Route;
use ecsdeck::model::ecs::ServiceEvent;
use ecsdeck::model::incident::notify::NoticeKind;
use ecsdeck::model::metrics::MetricRange;
use ecsdeck::model::time_format::epoch_secs;
use ecsdeck::model::workspace::pins::Pin;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::time::Duration;
use support::fixture_backend::FixtureBackend;
use support::fixtures::{cluster_arn, now, service_arn};

fn pinned_settings(rollbacks_on: bool) -> ecsdeck::app::settings::Settings {
    let mut settings = support::fixture_backend::settings();
    settings.pins = vec![Pin {
        connection: settings.connection.clone(),
        cluster: cluster_arn("prod"),
        service: service_arn("prod", "checkout-api"),
        name: "checkout-api".into(),
    }];
    settings.policy.notifications.deployment_failed = rollbacks_on;
    settings
}

fn rollback(backend: &FixtureBackend, id: &str, after_secs: u64) {
    backend.new_events.borrow_mut().push((
        "checkout-api".into(),
        ServiceEvent {
            id: id.into(),
            created_at: Some(now() + Duration::from_secs(after_secs)),
            message: "(service checkout-api) deployment ecs-svc/9 deployment failed: tasks failed to start. Rolling back to taskDefinition checkout-api:9".into(),
        },
    ));
}

fn refresh(harness: &mut Harness<'_, App>) {
    harness.key_press(Key::F5);
    harness.run();
    harness.run();
}

#[test]
fn a_rollback_of_a_pinned_service_is_told_once_and_a_click_opens_its_timeline() {
    let backend = FixtureBackend::new();
    let notifier = RecordingNotifier::default();
    let mut harness =
        support::harness::app_harness_notifying(&backend, pinned_settings(true), notifier.clone());
    assert!(
        notifier.shown.lock().unwrap().is_empty(),
        "what had happened before the start is not news"
    );
    rollback(&backend, "rb-1", 10);
    refresh(&mut harness);
    let shown = notifier.shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 1, "{shown:#?}");
    assert_eq!(shown[0].kind, NoticeKind::DeploymentFailed);
    assert_eq!(shown[0].title, "checkout-api: deployment rolled back");
    assert!(
        shown[0]
            .body
            .contains("Rolling back to taskDefinition checkout-api:9")
    );
    // The same event again, and a second one within the minute: nothing more.
    rollback(&backend, "rb-2", 20);
    refresh(&mut harness);
    assert_eq!(notifier.shown.lock().unwrap().len(), 1);

    // A click on it: the incident timeline of the service around that moment.
    harness
        .state()
        .notification_clicks()
        .send(shown[0].clone())
        .unwrap();
    harness.run();
    match &harness.state().model().route {
        Route::Incident(key) => {
            assert_eq!(key.services, [service_arn("prod", "checkout-api")]);
            let at = epoch_secs(shown[0].at);
            assert_eq!(
                key.range,
                MetricRange::Custom {
                    start_secs: at - 1_800,
                    end_secs: at + 1_800
                }
            );
        }
        other => panic!("expected the timeline, got {other:?}"),
    }
}

#[test]
fn notifications_are_off_until_turned_on_in_settings() {
    let backend = FixtureBackend::new();
    let notifier = RecordingNotifier::default();
    let mut harness =
        support::harness::app_harness_notifying(&backend, pinned_settings(false), notifier.clone());
    rollback(&backend, "rb-1", 10);
    refresh(&mut harness);
    assert!(notifier.shown.lock().unwrap().is_empty(), "off by default");

    // Tall enough for the whole page: what a scroll area clips is not in the tree.
    harness.set_size(egui::vec2(1280.0, 1500.0));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    harness.run();
    harness.get_by_label("Notifications");
    harness.get_by_label("a lifecycle hook waits for a decision");
    harness
        .get_by_label("a deployment failed or rolled back")
        .click();
    harness.run();
    assert!(
        harness
            .state()
            .model()
            .policy
            .notifications
            .deployment_failed
    );
    rollback(&backend, "rb-2", 30);
    refresh(&mut harness);
    let shown = notifier.shown.lock().unwrap().clone();
    // Both rollbacks happened after the start: the older is told, the other waits out the
    // service's minute.
    assert_eq!(shown.len(), 1, "{shown:#?}");
    assert!(shown[0].event_id.ends_with("/event/rb-1"), "{shown:#?}");
}
