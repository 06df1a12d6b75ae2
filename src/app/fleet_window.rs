//! A fleet row in a window of its own: another ECS Deck process started on a thread (never
//! the UI's), its failure to start shown on the fleet screen.

use super::App;
use crate::model::fleet::window::window_arguments;
use std::process::{Command, Stdio};
use std::sync::mpsc;

/// Why a window could not be opened, sent by the thread that tried.
pub(crate) struct WindowErrors {
    sender: mpsc::Sender<String>,
    receiver: mpsc::Receiver<String>,
}

impl Default for WindowErrors {
    fn default() -> Self {
        let (sender, receiver) = mpsc::channel();
        Self { sender, receiver }
    }
}

impl App {
    /// Opens the service of fleet row (`pair`, `service`) in another window.
    pub(crate) fn open_fleet_window(&mut self, pair: usize, service: usize) {
        let forced = self.model.change_rules.forced_read_only;
        let Some(args) = self
            .model
            .fleet
            .as_ref()
            .and_then(|load| window_arguments(load, pair, service, forced))
        else {
            return;
        };
        self.view.fleet.notice = None;
        let errors = self.window_errors.sender.clone();
        let started = std::thread::Builder::new()
            .name("ecsdeck-window".into())
            .spawn(move || {
                let child = std::env::current_exe().and_then(|exe| {
                    Command::new(exe)
                        .args(&args)
                        .stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn()
                });
                match child {
                    // Reaped when it closes, so no zombie stays behind.
                    Ok(mut child) => {
                        let _ = child.wait();
                    }
                    Err(e) => {
                        let _ = errors.send(format!("The window could not be opened: {e}"));
                    }
                }
            });
        if let Err(e) = started {
            self.view.fleet.notice = Some(format!("The window could not be opened: {e}"));
        }
    }

    /// Shows why a window did not open.
    pub(crate) fn drain_window_errors(&mut self) {
        while let Ok(why) = self.window_errors.receiver.try_recv() {
            self.view.fleet.notice = Some(why);
        }
    }
}
