//! The metrics page of a cluster or service: range bar, stacked charts with linked x axes,
//! deployment markers, CSV and PNG export.

pub(crate) mod controls;
pub(crate) mod plot;
pub mod sparkline;

use super::widgets::{error_box_ui, freshness_ui};
use crate::model::ecs::short_id;
use crate::model::logs::tail::TailTarget;
use crate::model::metrics::charts::{MetricsData, MetricsKey, MetricsScope, insights_enabled};
use crate::model::metrics::markers::{ChartMarker, deployment_markers};
use crate::model::metrics::{MetricRange, choose_period, span_label};
use crate::model::time_format::{chart_time_label, epoch_secs};
use crate::model::workspace::prefs::Prefs;
use crate::model::{Action, Model, Route};
use egui::{Id, Rect, RichText, Ui};
use plot::{ChartOutput, chart_ui};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::SystemTime;

/// Local state of the metrics page.
#[derive(Debug, Default)]
pub struct MetricsView {
    /// Show the Minimum statistic.
    pub show_minimum: bool,
    /// Custom range being typed: start and end (`2026-11-22 06:00`, UTC).
    pub custom_start: String,
    /// End of the custom range.
    pub custom_end: String,
    /// Why the custom range was refused.
    pub custom_error: Option<String>,
    /// Minutes of the live range.
    pub live_minutes: u32,
    /// Where Save PNG writes.
    pub png_path: String,
    /// The last export's result, until closed.
    pub notice: Option<(String, bool)>,
    /// Drop the zoom on the next frame (a new range was chosen).
    pub(crate) reset_zoom: bool,
    /// The charts' area and x range last frame (for CSV and PNG).
    pub(crate) shown: Option<(Rect, f64, f64)>,
    /// A PNG being written.
    pub(crate) png_job: Option<mpsc::Receiver<Result<PathBuf, String>>>,
    /// The time under the pointer last frame (the readout follows it).
    hover_x: Option<f64>,
    /// "Logs" was clicked by a deployment marker: the service's logs at this time, epoch ms
    /// (the shell opens the Logs page and hands the time to it).
    pub open_logs_at: Option<(TailTarget, i64)>,
}

/// The metrics page for `key`.
pub fn metrics_ui(
    model: &Model,
    (view, prefs): (&mut MetricsView, &Prefs),
    key: &MetricsKey,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    if view.live_minutes == 0 {
        view.live_minutes = 30;
    }
    let cluster = model
        .store
        .clusters
        .value()
        .and_then(|list| list.iter().find(|c| c.arn == key.scope.cluster()));
    header_ui(model, key, ui, now);
    controls::range_bar_ui(
        view,
        key,
        cluster.is_some_and(insights_enabled),
        ui,
        actions,
        now,
    );
    if !follow_width(key, ui, actions, now) {
        return;
    }
    let loadable = model.metrics_of(key);
    if let Some(error) = loadable.error() {
        error_box_ui(ui, error);
    }
    let Some(fetched) = loadable.value() else {
        if loadable.error().is_none() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Loading metrics…");
            });
        }
        return;
    };
    controls::export_bar_ui(view, fetched, prefs, ui);
    status_ui(fetched, ui);
    if fetched.is_empty() {
        no_data_ui(key, cluster.is_some_and(insights_enabled), ui);
    }
    let markers = markers_for(model, key, fetched);
    markers_list_ui(&markers, &key.scope, ui, actions);
    if let MetricsScope::Service { cluster, service } = &key.scope {
        logs_at_ui(view, cluster, service, &markers, ui);
    }
    readout_ui(fetched, view.hover_x, view.show_minimum, ui);
    let group = Id::unique(("metrics-link", &key.scope));
    let window_x = (
        fetched.window.start_secs as f64,
        fetched.window.end_secs as f64,
    );
    let reset = std::mem::take(&mut view.reset_zoom);
    let mut area: Option<Rect> = None;
    let mut shown_x = window_x;
    let mut hover_x = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        for (index, chart) in fetched.charts.iter().enumerate() {
            let output: ChartOutput = chart_ui(
                ui,
                chart,
                index,
                window_x,
                &markers,
                group,
                view.show_minimum,
                reset,
                index == 0,
            );
            if let Some(marker) = output.clicked
                && let Some(route) = marker.destination(&key.scope)
            {
                actions.push(Action::Navigate(route));
            }
            if let Some(rect) = output.rect {
                area = Some(area.map_or(rect, |a| a.union(rect)));
            }
            if let Some(x) = output.shown_x {
                shown_x = x;
            }
            hover_x = hover_x.or(output.hover_x);
            ui.add_space(6.0);
        }
    });
    view.shown = area.map(|rect| (rect, shown_x.0, shown_x.1));
    view.hover_x = hover_x;
}

/// The period follows the plot's width (no more points than pixels): a new period reloads.
/// False, with the reason shown, when the range has no period at all.
fn follow_width(key: &MetricsKey, ui: &mut Ui, actions: &mut Vec<Action>, now: SystemTime) -> bool {
    let width_px = (ui.available_width() - 60.0).max(100.0) as u32;
    match choose_period(&key.range, epoch_secs(now), width_px) {
        Ok(period) if period != key.period_secs => {
            let mut next = key.clone();
            next.period_secs = period;
            actions.push(Action::Navigate(Route::Metrics(next)));
            true
        }
        Ok(_) => true,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
            false
        }
    }
}

/// Every statistic's value at the time under the pointer, as text (also for screen readers).
fn readout_ui(data: &MetricsData, hover_x: Option<f64>, with_on_demand: bool, ui: &mut Ui) {
    let Some(slot) = hover_x.and_then(|x| data.slot_at(x)) else {
        ui.weak("Point at a chart to read every value at that time; drag to zoom, double-click to reset.");
        return;
    };
    let mut parts = vec![chart_time_label(data.slot_start(slot) as f64, 0.0)];
    for chart in &data.charts {
        let values: Vec<String> = chart
            .series
            .iter()
            .filter(|s| with_on_demand || !s.on_demand)
            .map(|s| match s.values.get(slot).copied().flatten() {
                Some(v) => format!("{} {}", s.label, chart.unit.format(v)),
                None => format!("{} no data", s.label),
            })
            .collect();
        parts.push(format!("{}: {}", chart.title, values.join(", ")));
    }
    ui.label(parts.join(" · "));
}

/// The markers as buttons: the keyboard's (and a screen reader's) way to the diffs — "what
/// changed" in the service deployment where the history names it.
fn markers_list_ui(
    markers: &[ChartMarker],
    scope: &MetricsScope,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    if markers.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Deployments:");
        for marker in markers {
            let text = format!(
                "{} at {}",
                marker.label(),
                chart_time_label(marker.at_secs as f64, 1.0)
            );
            let color = crate::ui::metrics::plot::marker_color(marker.kind, ui.visuals().dark_mode);
            let Some(route) = marker.destination(scope) else {
                ui.colored_label(color, text);
                continue;
            };
            let hover = match &route {
                Route::Compare { old, new } => {
                    format!("Compare {} with {}", old.label(), new.label())
                }
                _ => "What this deployment changed".to_owned(),
            };
            if ui
                .button(RichText::new(text).color(color))
                .on_hover_text(hover)
                .clicked()
            {
                actions.push(Action::Navigate(route));
            }
        }
    });
}

/// "Logs at …": the service's logs at a deployment marker, or at the time under the pointer.
fn logs_at_ui(
    view: &mut MetricsView,
    cluster: &str,
    service: &str,
    markers: &[ChartMarker],
    ui: &mut Ui,
) {
    let target = TailTarget::Services {
        cluster: cluster.to_owned(),
        services: vec![service.to_owned()],
    };
    ui.horizontal_wrapped(|ui| {
        ui.label("Logs at:");
        let mut shown_minutes = Vec::new();
        for marker in markers {
            // Markers of one minute (a deploy and its completion) share one button.
            if shown_minutes.contains(&(marker.at_secs / 60)) {
                continue;
            }
            shown_minutes.push(marker.at_secs / 60);
            if ui
                .small_button(chart_time_label(marker.at_secs as f64, 1.0))
                .on_hover_text(format!("The service's logs from {}", marker.label()))
                .clicked()
            {
                view.open_logs_at = Some((target.clone(), marker.at_secs * 1_000));
            }
        }
        if let Some(x) = view.hover_x {
            ui.weak(format!(
                "or press L over a chart for {}",
                chart_time_label(x, 1.0)
            ));
            if ui.input(|i| i.key_pressed(egui::Key::L)) && ui.memory(|m| m.focused().is_none()) {
                view.open_logs_at = Some((target.clone(), (x * 1_000.0) as i64));
            }
        }
    });
}

fn header_ui(model: &Model, key: &MetricsKey, ui: &mut Ui, now: SystemTime) {
    ui.horizontal(|ui| {
        let title = match &key.scope {
            MetricsScope::Cluster { cluster } => format!("Cluster {}", short_id(cluster)),
            MetricsScope::Service { cluster, service } => {
                format!("Service {} in {}", short_id(service), short_id(cluster))
            }
        };
        ui.heading(title);
        let loadable = model.metrics_of(key);
        freshness_ui(ui, loadable.fetched_at(), loadable.is_pending(), now);
    });
}

fn status_ui(data: &MetricsData, ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.weak(format!(
            "one datapoint every {} · {} GetMetricData call{}",
            span_label(i64::from(data.window.period_secs)),
            data.calls,
            if data.calls == 1 { "" } else { "s" }
        ));
        if data.partial {
            ui.colored_label(
                crate::ui::widgets::theme::Tone::Warn.color(ui.visuals().dark_mode),
                "Partial data: CloudWatch did not return every datapoint",
            );
        }
        for note in &data.notes {
            ui.weak(note);
        }
    });
}

fn no_data_ui(key: &MetricsKey, insights_on: bool, ui: &mut Ui) {
    let mut why = vec![
        "ECS publishes CPU and memory once a minute for services with running tasks: a new \
         service, or one scaled to zero, has none yet.",
    ];
    if key.scope.service().is_none() && !insights_on {
        why.push("Container Insights is off for this cluster, so only ECS's own metrics exist.");
    }
    why.push("Metrics live in the region of the cluster: check the region in the bar above.");
    ui.group(|ui| {
        ui.label(RichText::new("No data for this range.").strong());
        for line in why {
            ui.label(line);
        }
    });
}

fn markers_for(model: &Model, key: &MetricsKey, data: &MetricsData) -> Vec<ChartMarker> {
    let MetricsScope::Service { cluster, service } = &key.scope else {
        return Vec::new();
    };
    let Some(found) = model
        .services_of(cluster)
        .value()
        .and_then(|list| list.iter().find(|s| s.arn == *service))
    else {
        return Vec::new();
    };
    let history = model
        .history_of(service)
        .value()
        .map_or(&[][..], Vec::as_slice);
    deployment_markers(found, history, data.window.start_secs, data.window.end_secs)
}

/// The metrics route of `scope` over the default range (3 h), for buttons that open it.
pub fn metrics_route(model: &Model, scope: MetricsScope, now: SystemTime) -> Route {
    let cluster = model
        .store
        .clusters
        .value()
        .and_then(|list| list.iter().find(|c| c.arn == scope.cluster()));
    let range = MetricRange::default();
    let period = choose_period(&range, epoch_secs(now), 1_000).unwrap_or(60);
    Route::Metrics(MetricsKey::new(scope, range, period, cluster))
}
