//! The merged logs of every task in a range of the timeline, with the deployments in that
//! range marked, and a way on to the Logs page at its start.

use super::IncidentView;
use crate::model::Model;
use crate::model::incident::range_logs::{RangeLogs, RangeLogsKey};
use crate::model::incident::timeline::{IncidentKey, Timeline};
use crate::model::logs::tail::TailTarget;
use crate::model::time_format::chart_time_label;
use crate::ui::metrics::plot::marker_color;
use crate::ui::widgets::error_box_ui;
use crate::ui::widgets::theme::Tone;
use ecsdeck_core::log_severity::Severity;
use egui::{RichText, Ui};

/// The range's logs.
pub(crate) fn range_logs_ui(
    model: &Model,
    view: &mut IncidentView,
    key: &IncidentKey,
    timeline: &Timeline,
    (from, to): (i64, i64),
    ui: &mut Ui,
) {
    ui.label(
        RichText::new(format!(
            "Logs {} – {}",
            chart_time_label(from as f64, 0.0),
            chart_time_label(to as f64, 0.0)
        ))
        .strong(),
    );
    let errors = timeline.error_rate.total_between(from, to);
    ui.weak(format!("{errors} error lines counted in this range"));
    let marks: Vec<_> = timeline
        .markers
        .iter()
        .filter(|m| m.at_secs >= from && m.at_secs <= to)
        .collect();
    for marker in &marks {
        ui.colored_label(
            marker_color(marker.kind, ui.visuals().dark_mode),
            format!(
                "▶ {} at {}",
                marker.label(),
                chart_time_label(marker.at_secs as f64, 0.0)
            ),
        );
    }
    if ui
        .button("Open in Logs ›")
        .on_hover_text("The Logs page of these services, at this range's start")
        .clicked()
    {
        let target = TailTarget::Services {
            cluster: key.cluster.clone(),
            services: key.services.clone(),
        };
        view.open_logs_at = Some((target, from * 1_000));
    }
    let range = RangeLogsKey {
        cluster: key.cluster.clone(),
        services: key.services.clone(),
        start_ms: from * 1_000,
        end_ms: to * 1_000,
    };
    let Some(loadable) = model.store.range_logs.get(&range) else {
        ui.spinner();
        return;
    };
    if let Some(error) = loadable.error() {
        error_box_ui(ui, error);
    }
    match loadable.value() {
        Some(logs) => lines_ui(logs, &marks, ui),
        None if loadable.error().is_none() => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading the logs of every task…");
            });
        }
        None => {}
    }
}

fn lines_ui(logs: &RangeLogs, marks: &[&crate::model::metrics::markers::ChartMarker], ui: &mut Ui) {
    ui.weak(format!(
        "{} lines{} from {}",
        logs.lines.len(),
        if logs.truncated {
            " (the first; more matched)"
        } else {
            ""
        },
        logs.groups.join(", ")
    ));
    for note in &logs.notes {
        ui.weak(note);
    }
    if logs.lines.is_empty() {
        ui.label("No log lines in this range.");
        return;
    }
    let dark = ui.visuals().dark_mode;
    let row_height = ui.text_style_height(&egui::TextStyle::Monospace) + 2.0;
    egui::ScrollArea::both()
        .id_salt("incident-range-lines")
        .auto_shrink([false, true])
        .max_height(ui.available_height().max(200.0))
        .show_rows(ui, row_height, logs.lines.len(), |ui, rows| {
            for line in &logs.lines[rows] {
                // A deployment between the previous line and this one is marked on this line.
                let marked = marks.iter().any(|m| {
                    m.at_secs * 1_000 <= line.at_ms && line.at_ms - m.at_secs * 1_000 < 1_000
                });
                let color = match line.severity {
                    Severity::Error | Severity::Fatal => Tone::Bad.color(dark),
                    Severity::Warn => Tone::Warn.color(dark),
                    _ => ui.visuals().text_color(),
                };
                let time = crate::model::time_format::rfc3339_ms(line.at_ms);
                let text = format!(
                    "{} {} {}",
                    &time[11..23.min(time.len())],
                    line.source,
                    line.text
                );
                let mut rich = RichText::new(text).monospace().color(color);
                if marked {
                    rich = rich.underline();
                }
                ui.label(rich);
            }
        });
}
