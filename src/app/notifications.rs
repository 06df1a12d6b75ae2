//! The app's side of desktop notifications: each frame the pinned services' notices that
//! are still true are put to the ledger (the kinds turned on, each event once, one per
//! service per minute, nothing from before the start), and those it lets through are shown.
//! A click opens the service's incident timeline around that moment.

use super::notifier::{Notifier, RecordingNotifier};
use crate::model::incident::notice_candidates::candidates;
use crate::model::incident::notify::{Notice, NoticeLedger};
use crate::model::incident::timeline::IncidentKey;
use crate::model::metrics::MetricRange;
use crate::model::time_format::epoch_secs;
use crate::model::{Model, Route};
use std::sync::mpsc;
use std::time::SystemTime;

/// The timeline a click opens reaches this far either side of the moment.
const AROUND_SECS: i64 = 30 * 60;

/// Notifications: the notifier, what has been told, and the clicks coming back.
pub struct Notifications {
    notifier: Box<dyn Notifier>,
    ledger: Option<NoticeLedger>,
    clicks_tx: mpsc::Sender<Notice>,
    clicks_rx: mpsc::Receiver<Notice>,
}

impl Default for Notifications {
    /// Recording only: the real app puts the desktop's notifier in ([`Self::set_notifier`]).
    fn default() -> Self {
        let (clicks_tx, clicks_rx) = mpsc::channel();
        Self {
            notifier: Box::new(RecordingNotifier::default()),
            ledger: None,
            clicks_tx,
            clicks_rx,
        }
    }
}

impl Notifications {
    /// Shows notices through `notifier` from now on.
    pub fn set_notifier(&mut self, notifier: Box<dyn Notifier>) {
        self.notifier = notifier;
    }

    /// Where clicks on notifications are sent.
    pub fn clicks(&self) -> mpsc::Sender<Notice> {
        self.clicks_tx.clone()
    }

    /// Shows what the ledger lets through of what the pinned services go through now.
    pub fn tick(&mut self, model: &Model, now: SystemTime) {
        let prefs = &model.policy.notifications;
        let ledger = self.ledger.get_or_insert_with(|| NoticeLedger::new(now));
        if !crate::model::incident::notify::NoticeKind::ALL
            .iter()
            .any(|k| prefs.allows(*k))
        {
            return;
        }
        for notice in ledger.decide(&candidates(model), prefs, now) {
            if let Err(why) = self.notifier.show(&notice) {
                log::warn!("notification not shown ({why}): {}", notice.title);
            }
        }
    }

    /// The route a click asks for, if one came.
    pub fn clicked(&self, model: &Model) -> Option<Route> {
        let notice = self.clicks_rx.try_recv().ok()?;
        let cluster = model
            .pins
            .iter()
            .find(|p| p.service == notice.service_arn)
            .map(|p| p.cluster.clone())?;
        let at = epoch_secs(notice.at);
        Some(Route::Incident(IncidentKey {
            cluster,
            services: vec![notice.service_arn],
            range: MetricRange::Custom {
                start_secs: at - AROUND_SECS,
                end_secs: at + AROUND_SECS,
            },
        }))
    }
}
