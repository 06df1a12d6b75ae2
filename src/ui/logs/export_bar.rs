//! The Logs page's export and copy: save the shown (filtered) lines or all of them to a file
//! on a thread of its own, and copy the selected lines.

use super::LogsView;
use crate::jobs::log_export::{ExportRequest, Exported, export_in_background};
use crate::model::logs::export::{LineFormat, write_line};
use crate::model::logs::tail::{SharedTail, TailData};
use egui::Ui;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc;

/// A running export.
pub type ExportJob = mpsc::Receiver<Result<Exported, String>>;

/// Path field, "Save shown" and "Save all", and the last export's result. `shown` is the
/// range of lines on screen (after Clear, up to a pause).
pub(crate) fn export_bar_ui(
    view: &mut LogsView,
    tail: &SharedTail,
    (shown, prefs): (Range<i64>, &crate::model::workspace::prefs::Prefs),
    ui: &mut Ui,
) {
    if let Some(job) = &view.export_job
        && let Ok(result) = job.try_recv()
    {
        view.export_notice = Some(match result {
            Ok(done) if done.evicted > 0 => (
                format!(
                    "Saved {} lines to {} ({} left the buffer before they were written)",
                    done.lines,
                    done.path.display(),
                    done.evicted
                ),
                false,
            ),
            Ok(done) => (
                format!("Saved {} lines to {}", done.lines, done.path.display()),
                false,
            ),
            Err(e) => (e, true),
        });
        view.export_job = None;
    }
    if view.export_path.is_empty() {
        // Filled once, not each frame: the user's own path stays until cleared.
        let kind = crate::model::workspace::prefs::SaveKind::Document;
        view.export_path = prefs.save_path(kind, "ecsdeck-logs.log");
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Save to").id;
        ui.add(egui::TextEdit::singleline(&mut view.export_path).desired_width(300.0))
            .labelled_by(label)
            .on_hover_text("A .jsonl or .json file gets one JSON object per line; else text");
        let idle = view.export_job.is_none();
        let filter = if view.filter.is_everything() {
            None
        } else {
            view.filter.compile().ok()
        };
        let save_shown = ui
            .add_enabled(idle, egui::Button::new("Save shown"))
            .on_hover_text("The lines the filter keeps, as on screen");
        let save_all = ui
            .add_enabled(idle, egui::Button::new("Save all"))
            .on_hover_text("Every line in the buffer");
        let request = if save_shown.clicked() {
            Some((filter, shown))
        } else if save_all.clicked() {
            let all = tail.try_read().map_or(shown.clone(), |d| {
                d.buffer.first_index()..d.buffer.end_index()
            });
            Some((None, all))
        } else {
            None
        };
        if let Some((filter, range)) = request {
            let path = PathBuf::from(view.export_path.trim());
            view.export_notice = None;
            let ctx = ui.ctx().clone();
            let wake: crate::model::messages::Repaint =
                std::sync::Arc::new(move || ctx.request_repaint());
            view.export_job = Some(export_in_background(
                ExportRequest {
                    tail: tail.clone(),
                    filter,
                    range,
                    format: LineFormat::for_path(&path),
                    path,
                },
                wake,
            ));
        }
        if !idle {
            ui.spinner();
        }
        crate::ui::widgets::notice_ui(ui, &mut view.export_notice);
    });
}

/// The selected lines as text: the message alone for one line; time, source and message
/// per line for several (only the lines shown: `indices` when filtered).
pub(crate) fn selection_text(
    data: &TailData,
    selection: std::ops::RangeInclusive<i64>,
    indices: Option<&[i64]>,
) -> String {
    if selection.start() == selection.end() {
        return data
            .buffer
            .get(*selection.start())
            .map(|(_, text)| text.to_owned())
            .unwrap_or_default();
    }
    let mut out = Vec::new();
    let mut add = |index: i64| {
        if let Some((meta, text)) = data.buffer.get(index) {
            let _ = write_line(&mut out, data, meta, text, LineFormat::Text);
        }
    };
    match indices {
        Some(indices) => {
            let from = indices.partition_point(|i| i < selection.start());
            let to = indices.partition_point(|i| i <= selection.end());
            indices[from..to].iter().copied().for_each(&mut add);
        }
        None => selection.for_each(add),
    }
    String::from_utf8_lossy(&out).into_owned()
}
