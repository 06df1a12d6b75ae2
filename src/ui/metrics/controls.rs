//! The metrics page's controls: the range bar (presets, live, custom window, Minimum and
//! Container Insights toggles) and the export bar (CSV to the clipboard, PNG to a file).

use super::MetricsView;
use crate::model::Action;
use crate::model::Route;
use crate::model::metrics::charts::{MetricsData, MetricsKey};
use crate::model::metrics::export::to_csv;
use crate::model::metrics::{MetricRange, choose_period, span_label};
use crate::model::time_format::epoch_secs;
use egui::Ui;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::SystemTime;

pub(crate) fn range_bar_ui(
    view: &mut MetricsView,
    key: &MetricsKey,
    insights_on: bool,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    let mut next: Option<MetricsKey> = None;
    let with_range = |range: MetricRange| MetricsKey {
        range,
        ..key.clone()
    };
    ui.horizontal_wrapped(|ui| {
        ui.label("Range:");
        for preset in MetricRange::PRESETS {
            if ui
                .selectable_label(key.range == preset, preset.label())
                .clicked()
            {
                next = Some(with_range(preset));
            }
        }
        let live = matches!(key.range, MetricRange::Live(_));
        if ui
            .selectable_label(live, "Live")
            .on_hover_text("The last minutes at 1-minute resolution, reloaded every minute")
            .clicked()
        {
            next = Some(with_range(MetricRange::Live(view.live_minutes)));
        }
        let minutes = ui.add(
            egui::DragValue::new(&mut view.live_minutes)
                .range(5..=360)
                .suffix(" min"),
        );
        if live && minutes.changed() {
            next = Some(with_range(MetricRange::Live(view.live_minutes)));
        }
        ui.separator();
        custom_range_ui(view, key, ui, &mut next, now);
        ui.separator();
        ui.checkbox(&mut view.show_minimum, "Minimum")
            .on_hover_text("Also draw the Minimum statistic (dashed)");
        let mut insights = key.insights;
        let toggle = ui
            .add_enabled(
                insights_on || key.insights,
                egui::Checkbox::new(&mut insights, "Container Insights"),
            )
            .on_hover_text("Task count, network, storage and a line per task")
            .on_disabled_hover_text("Container Insights is off for this cluster");
        if toggle.changed() {
            next = Some(MetricsKey {
                insights,
                ..key.clone()
            });
        }
    });
    if let Some(next) = next {
        view.reset_zoom = true;
        actions.push(Action::Navigate(Route::Metrics(next)));
    }
}

fn custom_range_ui(
    view: &mut MetricsView,
    key: &MetricsKey,
    ui: &mut Ui,
    next: &mut Option<MetricsKey>,
    now: SystemTime,
) {
    if let MetricRange::Custom {
        start_secs,
        end_secs,
    } = key.range
    {
        ui.label(format!(
            "custom {} shown ·",
            span_label(end_secs - start_secs)
        ));
    }
    let hint = "YYYY-MM-DD HH:MM (UTC)";
    let from = ui.label("From");
    ui.add(
        egui::TextEdit::singleline(&mut view.custom_start)
            .hint_text("2026-11-22 06:00")
            .desired_width(120.0),
    )
    .labelled_by(from.id)
    .on_hover_text(hint);
    let to = ui.label("to");
    ui.add(
        egui::TextEdit::singleline(&mut view.custom_end)
            .hint_text("now")
            .desired_width(120.0),
    )
    .labelled_by(to.id)
    .on_hover_text(hint);
    if ui.button("Show range").clicked() {
        match parse_custom(&view.custom_start, &view.custom_end, epoch_secs(now)) {
            Ok(range) => {
                view.custom_error = None;
                *next = Some(MetricsKey {
                    range,
                    ..key.clone()
                });
            }
            Err(e) => view.custom_error = Some(e),
        }
    }
    if let Some(error) = &view.custom_error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
}

/// `2026-11-22 06:00` or RFC 3339, UTC; an empty end is now.
fn parse_custom(start: &str, end: &str, now: i64) -> Result<MetricRange, String> {
    let parse = |text: &str| -> Result<i64, String> {
        let text = text.trim().replace(' ', "T");
        let full = match text.len() {
            16 => format!("{text}:00Z"),
            19 => format!("{text}Z"),
            _ => text.clone(),
        };
        let t = humantime::parse_rfc3339(&full)
            .map_err(|_| format!("“{text}” is not a time like 2026-11-22 06:00 (UTC)"))?;
        Ok(epoch_secs(t))
    };
    let start_secs = parse(start)?;
    let end_secs = if end.trim().is_empty() {
        now
    } else {
        parse(end)?
    };
    let range = MetricRange::Custom {
        start_secs,
        end_secs,
    };
    // Refused here (future, empty, too old) with the reason, before anything is asked.
    choose_period(&range, now, 1_000).map_err(|e| e.to_string())?;
    Ok(range)
}

pub(crate) fn export_bar_ui(
    view: &mut MetricsView,
    data: &MetricsData,
    prefs: &crate::model::workspace::prefs::Prefs,
    ui: &mut Ui,
) {
    if let Some(job) = &view.png_job
        && let Ok(result) = job.try_recv()
    {
        view.notice = Some(match result {
            Ok(path) => (format!("Saved {}", path.display()), false),
            Err(e) => (e, true),
        });
        view.png_job = None;
    }
    ui.horizontal(|ui| {
        if ui
            .button("Copy CSV")
            .on_hover_text("Copy the series shown, over the range shown, as CSV")
            .clicked()
        {
            let (from, to) = view
                .shown
                .map_or((f64::MIN, f64::MAX), |(_, from, to)| (from, to));
            let csv = to_csv(data, from, to, view.show_minimum);
            let rows = csv.lines().count().saturating_sub(1);
            ui.ctx().copy_text(csv);
            view.notice = Some((format!("Copied {rows} rows as CSV"), false));
        }
        if view.png_path.is_empty() {
            let kind = crate::model::workspace::prefs::SaveKind::Picture;
            view.png_path = prefs.save_path(kind, "ecsdeck-chart.png");
        }
        let label = ui.label("PNG file");
        ui.add(egui::TextEdit::singleline(&mut view.png_path).desired_width(260.0))
            .labelled_by(label.id)
            .on_hover_text("Where Save PNG writes");
        let busy = view.png_job.is_some();
        if ui
            .add_enabled(!busy && view.shown.is_some(), egui::Button::new("Save PNG"))
            .clicked()
            && let Some((rect, ..)) = view.shown
        {
            let path = PathBuf::from(view.png_path.trim());
            let ppp = ui.ctx().pixels_per_point();
            let (tx, rx) = mpsc::channel();
            let ctx = ui.ctx().clone();
            let wake: crate::model::messages::Repaint =
                std::sync::Arc::new(move || ctx.request_repaint());
            ui.ctx().request_screenshot(move |image| {
                crate::jobs::chart_png::save_in_background((image, rect, ppp), path, tx, wake);
            });
            view.png_job = Some(rx);
        }
        crate::ui::widgets::notice_ui(ui, &mut view.notice);
    });
}
