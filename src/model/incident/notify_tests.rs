//! The notification rules: kinds off by default, each event once, one per service per minute,
//! nothing about what happened before the app started watching.

use super::notify::{Notice, NoticeKind, NoticeLedger, NoticePrefs, PER_SERVICE_INTERVAL};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn t(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
}

fn notice(kind: NoticeKind, service: &str, event: &str, at: u64) -> Notice {
    Notice {
        kind,
        service_arn: format!("arn:aws:ecs:us-east-1:1:service/prod/{service}"),
        event_id: event.into(),
        title: format!("{service}: {}", kind.label()),
        body: String::new(),
        at: t(at),
    }
}

fn all_on() -> NoticePrefs {
    let mut prefs = NoticePrefs::default();
    for kind in NoticeKind::ALL {
        *prefs.switch(kind) = true;
    }
    prefs
}

#[test]
fn every_kind_is_off_until_turned_on() {
    let mut ledger = NoticeLedger::new(t(0));
    let failed = [notice(NoticeKind::DeploymentFailed, "web", "d1:FAILED", 10)];
    assert!(
        ledger
            .decide(&failed, &NoticePrefs::default(), t(20))
            .is_empty()
    );
    let only_alarms = NoticePrefs {
        alarm_firing: true,
        ..NoticePrefs::default()
    };
    assert!(ledger.decide(&failed, &only_alarms, t(20)).is_empty());
    assert_eq!(ledger.decide(&failed, &all_on(), t(20)).len(), 1);
    for kind in NoticeKind::ALL {
        assert!(only_alarms.allows(kind) == (kind == NoticeKind::AlarmFiring));
    }
}

#[test]
fn each_event_is_told_once() {
    let mut ledger = NoticeLedger::new(t(0));
    let waiting = [notice(NoticeKind::HookWaiting, "web", "d1:pause-hook", 10)];
    assert_eq!(ledger.decide(&waiting, &all_on(), t(20)).len(), 1);
    assert!(ledger.decide(&waiting, &all_on(), t(200)).is_empty());
    assert!(ledger.decide(&waiting, &all_on(), t(5000)).is_empty());
}

#[test]
fn one_notification_per_service_per_minute_and_the_held_one_comes_later() {
    let mut ledger = NoticeLedger::new(t(0));
    let prefs = all_on();
    let both = [
        notice(NoticeKind::DeploymentFailed, "web", "d1:FAILED", 10),
        notice(NoticeKind::AlarmFiring, "web", "web-5xx:11", 11),
        notice(NoticeKind::CrashLoop, "api", "loop:t1", 12),
    ];
    let first = ledger.decide(&both, &prefs, t(20));
    let told: Vec<&str> = first.iter().map(|n| n.event_id.as_str()).collect();
    // The oldest of web's, and api's: two services, one each.
    assert_eq!(told, ["d1:FAILED", "loop:t1"]);
    // Within the minute the alarm waits; after it, it is told.
    let later = PER_SERVICE_INTERVAL.as_secs() - 1;
    assert!(ledger.decide(&both, &prefs, t(20 + later)).is_empty());
    let after = ledger.decide(&both, &prefs, t(20 + PER_SERVICE_INTERVAL.as_secs()));
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].event_id, "web-5xx:11");
}

#[test]
fn what_happened_before_the_app_started_watching_is_not_news() {
    let mut ledger = NoticeLedger::new(t(1000));
    let old = [notice(
        NoticeKind::DeploymentFailed,
        "web",
        "d0:FAILED",
        500,
    )];
    assert!(ledger.decide(&old, &all_on(), t(1010)).is_empty());
    // Not even later, when it is still true.
    assert!(ledger.decide(&old, &all_on(), t(5000)).is_empty());
    let new = [notice(
        NoticeKind::DeploymentFailed,
        "web",
        "d1:FAILED",
        1500,
    )];
    assert_eq!(ledger.decide(&new, &all_on(), t(1510)).len(), 1);
}
