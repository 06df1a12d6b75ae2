//! Which desktop notifications to send for pinned services: only the kinds the user turned on
//! (all are off until then), each event once, never more than one per service per minute,
//! and nothing for what had already happened before the app started watching.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

/// No service gets more than one notification in this long.
pub const PER_SERVICE_INTERVAL: Duration = Duration::from_secs(60);

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NoticeKind {
    /// A deployment failed or rolled back.
    DeploymentFailed,
    /// A lifecycle hook waits for someone to continue or roll back.
    HookWaiting,
    /// Tasks keep stopping for the same reason.
    CrashLoop,
    /// An alarm on the service went to ALARM.
    AlarmFiring,
}

impl NoticeKind {
    /// Every kind, in the order Settings lists them.
    pub const ALL: [Self; 4] = [
        Self::DeploymentFailed,
        Self::HookWaiting,
        Self::CrashLoop,
        Self::AlarmFiring,
    ];

    /// What Settings calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::DeploymentFailed => "a deployment failed or rolled back",
            Self::HookWaiting => "a lifecycle hook waits for a decision",
            Self::CrashLoop => "tasks are crash-looping",
            Self::AlarmFiring => "an alarm went to ALARM",
        }
    }
}

/// Which kinds of notification are on: all off by default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticePrefs {
    /// A deployment failed or rolled back.
    pub deployment_failed: bool,
    /// A hook waits for a decision.
    pub hook_waiting: bool,
    /// Tasks are crash-looping.
    pub crash_loop: bool,
    /// An alarm went to ALARM.
    pub alarm_firing: bool,
}

impl NoticePrefs {
    /// Whether `kind` is on.
    pub fn allows(&self, kind: NoticeKind) -> bool {
        match kind {
            NoticeKind::DeploymentFailed => self.deployment_failed,
            NoticeKind::HookWaiting => self.hook_waiting,
            NoticeKind::CrashLoop => self.crash_loop,
            NoticeKind::AlarmFiring => self.alarm_firing,
        }
    }

    /// The switch for `kind`, for Settings.
    pub fn switch(&mut self, kind: NoticeKind) -> &mut bool {
        match kind {
            NoticeKind::DeploymentFailed => &mut self.deployment_failed,
            NoticeKind::HookWaiting => &mut self.hook_waiting,
            NoticeKind::CrashLoop => &mut self.crash_loop,
            NoticeKind::AlarmFiring => &mut self.alarm_firing,
        }
    }
}

/// Something a pinned service went through that the user may want to hear about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// What kind of thing.
    pub kind: NoticeKind,
    /// The service's ARN (notifications are limited per service).
    pub service_arn: String,
    /// Which event it is, so it is told once: a deployment's ARN and status, a hook's
    /// deployment and name, a crash loop's first task, an alarm's name and state time.
    pub event_id: String,
    /// The notification's title ("checkout-api: deployment rolled back").
    pub title: String,
    /// Its text.
    pub body: String,
    /// When it happened: a click opens the timeline there.
    pub at: SystemTime,
}

/// What has been told so far.
#[derive(Clone, Debug)]
pub struct NoticeLedger {
    watching_since: SystemTime,
    told: HashSet<String>,
    last_per_service: HashMap<String, SystemTime>,
}

impl NoticeLedger {
    /// A ledger that stays quiet about anything that happened before `since` (the app's
    /// start): old failures are on screen already, not news.
    pub fn new(since: SystemTime) -> Self {
        Self {
            watching_since: since,
            told: HashSet::new(),
            last_per_service: HashMap::new(),
        }
    }

    /// The notices to show now, out of `candidates` (every notice still true of the pinned
    /// services): the kinds that are on, each event once, at most one per service per
    /// [`PER_SERVICE_INTERVAL`]. A notice held back by that limit is not marked told: if it is
    /// still true next time it is offered again.
    pub fn decide(
        &mut self,
        candidates: &[Notice],
        prefs: &NoticePrefs,
        now: SystemTime,
    ) -> Vec<Notice> {
        let mut shown = Vec::new();
        let mut ordered: Vec<&Notice> = candidates.iter().collect();
        // The oldest first, so a service's first problem is the one told.
        ordered.sort_by_key(|n| (n.at, n.kind));
        for notice in ordered {
            if !prefs.allows(notice.kind) || self.told.contains(&notice.event_id) {
                continue;
            }
            if notice.at < self.watching_since {
                self.told.insert(notice.event_id.clone());
                continue;
            }
            let recent = self
                .last_per_service
                .get(&notice.service_arn)
                .is_some_and(|last| {
                    now.duration_since(*last)
                        .ok()
                        .is_none_or(|gap| gap < PER_SERVICE_INTERVAL)
                });
            if recent {
                continue;
            }
            self.told.insert(notice.event_id.clone());
            self.last_per_service
                .insert(notice.service_arn.clone(), now);
            shown.push(notice.clone());
        }
        shown
    }
}
