//! The banner that points at a crash report left by an earlier run.

/// A crash report from an earlier run, offered at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrashNotice {
    /// The report file.
    pub path: std::path::PathBuf,
    /// Its file name (what settings remember as seen).
    pub name: String,
}

use crate::ui::ViewState;
use egui::{RichText, Ui};

/// "ECS Deck stopped after an internal error" with the report's path, until dismissed.
pub(crate) fn crash_banner_ui(view: &mut ViewState, ui: &mut Ui) {
    let Some(notice) = &view.crash_notice else {
        return;
    };
    let path = notice.path.display().to_string();
    let mut dismiss = false;
    egui::Frame::new()
        .fill(crate::ui::widgets::theme::banner_fill(
            ui.visuals().dark_mode,
        ))
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.label(RichText::new("ECS Deck stopped after an internal error last time.").strong());
            ui.label(format!(
                "A crash report (credentials masked) is at {path} — please attach it to a bug \
                 report. Saved drafts were kept."
            ));
            ui.horizontal(|ui| {
                if ui.button("Copy report path").clicked() {
                    ui.ctx().copy_text(path.clone());
                }
                if ui.button("Dismiss").clicked() {
                    dismiss = true;
                }
            });
        });
    if dismiss {
        view.crash_notice = None;
    }
}
