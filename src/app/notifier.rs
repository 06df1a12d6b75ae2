//! Desktop notifications behind a trait: the real one shows them through the platform's
//! notification service (notify-rust: D-Bus on Linux and the BSDs, Notification Center on
//! macOS, toasts on Windows); tests record what would have been shown. A click on a Linux
//! notification comes back through a channel and opens the timeline at that moment.

use crate::model::incident::notify::Notice;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// Shows notifications.
pub trait Notifier {
    /// Shows `notice`; why not, if it could not be shown (no notification service).
    fn show(&self, notice: &Notice) -> Result<(), String>;
}

/// The platform's notifications.
pub struct DesktopNotifier {
    /// Where clicks go.
    clicks: mpsc::Sender<Notice>,
    /// Wakes the UI after a click.
    wake: crate::model::messages::Repaint,
}

impl DesktopNotifier {
    /// A notifier whose clicks arrive on `clicks`, waking the UI with `wake`.
    pub fn new(clicks: mpsc::Sender<Notice>, wake: crate::model::messages::Repaint) -> Self {
        Self { clicks, wake }
    }
}

impl Notifier for DesktopNotifier {
    fn show(&self, notice: &Notice) -> Result<(), String> {
        let mut notification = notify_rust::Notification::new();
        notification
            .appname("ECS Deck")
            .summary(&notice.title)
            .body(&notice.body)
            .action("default", "Open the timeline");
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            let handle = notification.show().map_err(|e| e.to_string())?;
            let (clicks, wake, notice) = (self.clicks.clone(), self.wake.clone(), notice.clone());
            // Waiting for the click blocks: one short-lived thread per notification (at most one
            // per pinned service per minute).
            let spawned = std::thread::Builder::new()
                .name("notification".into())
                .spawn(move || {
                    handle.wait_for_action(|action| {
                        if action == "default" && clicks.send(notice).is_ok() {
                            wake();
                        }
                    });
                });
            spawned.map(|_| ()).map_err(|e| e.to_string())
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        {
            // Clicking focuses the app here: the notification service reports no click back.
            let _ = (&self.clicks, &self.wake);
            notification.show().map(|_| ()).map_err(|e| e.to_string())
        }
    }
}

/// Records what would have been shown (tests, and `--smoke-test` runs).
#[derive(Clone, Debug, Default)]
pub struct RecordingNotifier {
    /// Every notice shown, in order.
    pub shown: Arc<Mutex<Vec<Notice>>>,
}

impl Notifier for RecordingNotifier {
    fn show(&self, notice: &Notice) -> Result<(), String> {
        self.shown
            .lock()
            .map_err(|e| e.to_string())?
            .push(notice.clone());
        Ok(())
    }
}
