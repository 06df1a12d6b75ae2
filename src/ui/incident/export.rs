//! "Export incident…": a folder with the report (Markdown and JSON), the charts and lanes as
//! PNG, and the logs around each marked event. The logs are read by the worker and the
//! screenshot comes a frame later; the files are written on a thread of their own once both
//! are here.

use super::IncidentView;
use crate::jobs::incident_export::{ExportContent, Exported, write_in_background};
use crate::model::incident::export::{ExportRange, export_ranges, log_file_text};
use crate::model::incident::report::{report, to_markdown};
use crate::model::incident::timeline::{IncidentKey, Timeline};
use crate::model::workspace::prefs::{Prefs, SaveKind};
use crate::model::{Action, Model};
use egui::{ColorImage, Rect, Ui};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};

/// The screenshot, once it comes back.
type PictureSlot = Arc<Mutex<Option<Arc<ColorImage>>>>;

/// An export under way.
#[derive(Debug)]
pub(crate) struct ExportFlow {
    dir: PathBuf,
    report_md: String,
    report_json: String,
    ranges: Vec<ExportRange>,
    picture: PictureSlot,
    area: Option<(Rect, f32)>,
    job: Option<mpsc::Receiver<Result<Exported, String>>>,
}

/// The export bar: the folder, the button, and what the last export did.
pub(crate) fn export_bar_ui(
    model: &Model,
    (view, prefs): (&mut IncidentView, &Prefs),
    key: &IncidentKey,
    timeline: &Timeline,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    advance(model, view, ui);
    ui.horizontal(|ui| {
        if view.export_dir.is_empty() {
            let name = format!(
                "incident-{}",
                key.label().replace([',', ' ', '/'], "-").replace("--", "-")
            );
            view.export_dir = prefs.save_path(SaveKind::Document, &name);
        }
        let label = ui.label("Export folder");
        ui.add(egui::TextEdit::singleline(&mut view.export_dir).desired_width(300.0))
            .labelled_by(label.id)
            .on_hover_text(
                "Where Export incident writes report.md, report.json, timeline.png and logs/",
            );
        let busy = view.export.is_some();
        let button = ui.add_enabled(!busy, egui::Button::new("Export incident…"));
        if button.clicked() {
            start(view, key, timeline, ui, actions);
        }
        if busy {
            ui.spinner();
        }
        crate::ui::widgets::notice_ui(ui, &mut view.export_notice);
    });
}

fn start(
    view: &mut IncidentView,
    key: &IncidentKey,
    timeline: &Timeline,
    ui: &Ui,
    actions: &mut Vec<Action>,
) {
    let report = report(&key.label(), &key.cluster, timeline);
    let ranges = export_ranges(timeline);
    if !ranges.is_empty() {
        actions.push(Action::ExportIncidentLogs {
            key: key.clone(),
            ranges: ranges.clone(),
        });
    }
    let picture: PictureSlot = Arc::default();
    let area = view
        .charts_area
        .map(|rect| (rect, ui.ctx().pixels_per_point()));
    if area.is_some() {
        let slot = picture.clone();
        let ctx = ui.ctx().clone();
        ui.ctx().request_screenshot(move |image| {
            if let Ok(mut held) = slot.lock() {
                *held = Some(image);
            }
            ctx.request_repaint();
        });
    }
    view.export = Some(ExportFlow {
        dir: PathBuf::from(view.export_dir.trim()),
        report_md: to_markdown(&report),
        report_json: serde_json::to_string_pretty(&report).unwrap_or_default(),
        ranges,
        picture,
        area,
        job: None,
    });
}

/// Moves an export on: writes once the logs and the picture are here, reports when done.
fn advance(model: &Model, view: &mut IncidentView, ui: &Ui) {
    let Some(flow) = view.export.as_mut() else {
        return;
    };
    if let Some(job) = &flow.job {
        if let Ok(result) = job.try_recv() {
            view.export_notice = Some(match result {
                Ok(done) => (
                    format!(
                        "Exported {} files to {}",
                        done.files.len(),
                        done.dir.display()
                    ),
                    false,
                ),
                Err(e) => (e, true),
            });
            view.export = None;
        }
        return;
    }
    let picture = flow.picture.lock().ok().and_then(|p| p.clone());
    if flow.area.is_some() && picture.is_none() {
        return;
    }
    let logs = if flow.ranges.is_empty() {
        Vec::new()
    } else {
        match model.export_logs.as_ref().and_then(|e| e.result.as_ref()) {
            None => return,
            Some(Ok(found)) => found
                .iter()
                .map(|(range, logs)| (range.file_name(), log_file_text(range, logs)))
                .collect(),
            Some(Err(error)) => {
                let why = format!(
                    "The logs around the marks could not be read: {} — {}\n",
                    error.code, error.message
                );
                vec![("NOT-READ.txt".to_owned(), why)]
            }
        }
    };
    let content = ExportContent {
        dir: flow.dir.clone(),
        report_md: std::mem::take(&mut flow.report_md),
        report_json: std::mem::take(&mut flow.report_json),
        picture: picture
            .zip(flow.area)
            .map(|(image, (rect, ppp))| (image, rect, ppp)),
        logs,
    };
    let (tx, rx) = mpsc::channel();
    let ctx = ui.ctx().clone();
    let wake: crate::model::messages::Repaint = Arc::new(move || ctx.request_repaint());
    write_in_background(content, tx, wake);
    flow.job = Some(rx);
}
