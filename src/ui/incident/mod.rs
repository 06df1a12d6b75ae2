//! The incident cockpit: CPU, memory and the error rate over one linked time axis above the
//! timeline's lanes (deployments, stopped tasks, alarms, scaling, service events,
//! registrations). Clicking a point opens its detail beside it; dragging across a chart
//! opens the merged logs of every task in that range.

pub(crate) mod charts;
pub(crate) mod detail;
pub(crate) mod diagnosis;
pub(crate) mod export;
pub(crate) mod lanes;
pub(crate) mod range_logs;

use super::widgets::{error_box_ui, freshness_ui};
use crate::model::incident::range_logs::RangeLogsKey;
use crate::model::incident::sources::ErrorCountSource;
use crate::model::incident::timeline::{IncidentKey, Timeline};
use crate::model::logs::tail::TailTarget;
use crate::model::metrics::{MetricRange, span_label};
use crate::model::time_format::chart_time_label;
use crate::model::{Action, Model, Route};
use egui::{Id, RichText, Ui};
use std::time::SystemTime;

/// Ranges offered in the cockpit's bar.
const RANGES_SECS: [u32; 5] = [3_600, 3 * 3_600, 6 * 3_600, 12 * 3_600, 24 * 3_600];

/// What is chosen on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    /// One event (index into the timeline's events).
    Event(usize),
    /// A range (epoch seconds): its merged logs.
    Range(i64, i64),
}

/// Local state of the cockpit.
#[derive(Debug, Default)]
pub struct IncidentView {
    /// What the detail beside the timeline shows.
    pub selection: Option<Selection>,
    /// Where a drag across a chart started (epoch seconds).
    pub(crate) drag_from: Option<f64>,
    /// Drop the zoom on the next frame (a new range was chosen).
    pub(crate) reset_zoom: bool,
    /// "Open in Logs" was clicked: the Logs page of these services at this time (epoch ms).
    pub open_logs_at: Option<(TailTarget, i64)>,
    /// Where "Export incident…" writes.
    pub export_dir: String,
    /// An export under way.
    pub(crate) export: Option<export::ExportFlow>,
    /// What the last export did, until closed.
    pub export_notice: Option<(String, bool)>,
    /// Where the charts and lanes were drawn last frame (the export's picture).
    pub(crate) charts_area: Option<egui::Rect>,
}

impl IncidentView {
    /// Chooses `selection`, asking for its logs when it is a range.
    pub fn select(&mut self, key: &IncidentKey, selection: Selection, actions: &mut Vec<Action>) {
        if let Selection::Range(from, to) = selection {
            actions.push(Action::ShowRangeLogs(Some(RangeLogsKey {
                cluster: key.cluster.clone(),
                services: key.services.clone(),
                start_ms: from * 1_000,
                end_ms: to * 1_000,
            })));
        }
        self.selection = Some(selection);
    }
}

/// The cockpit for `key`.
pub fn incident_ui(
    model: &Model,
    (view, prefs): (&mut IncidentView, &crate::model::workspace::prefs::Prefs),
    key: &IncidentKey,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    header_ui(model, view, key, ui, actions, now);
    let loadable = model.incident_of(key);
    if let Some(error) = loadable.error() {
        error_box_ui(ui, error);
    }
    let Some(timeline) = loadable.value() else {
        if loadable.error().is_none() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading deployments, events, stopped tasks, alarms, scaling and logs…");
            });
        }
        return;
    };
    summary_ui(timeline, ui);
    export::export_bar_ui(model, (view, prefs), key, timeline, ui, actions);
    egui::Panel::right("incident-detail")
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("incident-detail")
                .show(ui, |ui| {
                    detail::detail_ui(model, view, key, timeline, ui, actions);
                });
        });
    let central = egui::CentralPanel::no_frame().show(ui, |ui| {
        let group = Id::unique(("incident-link", key));
        let reset = std::mem::take(&mut view.reset_zoom);
        egui::ScrollArea::vertical()
            .id_salt("incident-charts")
            .show(ui, |ui| {
                charts::charts_ui(view, key, timeline, (group, reset), ui, actions);
                lanes::lanes_ui(view, key, timeline, (group, reset), ui, actions);
            });
    });
    view.charts_area = Some(central.response.rect);
}

fn header_ui(
    model: &Model,
    view: &mut IncidentView,
    key: &IncidentKey,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("Incident · {}", key.label()));
        let loadable = model.incident_of(key);
        freshness_ui(ui, loadable.fetched_at(), loadable.is_pending(), now);
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Range:");
        for secs in RANGES_SECS {
            let range = MetricRange::Last(secs);
            if ui
                .selectable_label(key.range == range, span_label(i64::from(secs)))
                .clicked()
                && key.range != range
            {
                let mut next = key.clone();
                next.range = range;
                view.reset_zoom = true;
                view.selection = None;
                actions.push(Action::ShowRangeLogs(None));
                actions.push(Action::Navigate(Route::Incident(next)));
            }
        }
        ui.separator();
        ui.weak("Drag across a chart for the logs of that range; click a point for its detail.");
    });
    services_bar_ui(model, view, key, ui, actions);
}

/// The services on the timeline: each can be taken off, others of the cluster added (a
/// cluster's timeline is its most recently changed services).
fn services_bar_ui(
    model: &Model,
    view: &mut IncidentView,
    key: &IncidentKey,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    use crate::model::ecs::short_id;
    let mut next: Option<Vec<String>> = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("Services:");
        if key.services.is_empty() {
            ui.weak("the cluster's most recently changed");
        }
        for service in &key.services {
            let chip = ui
                .small_button(format!("{}  ×", short_id(service)))
                .on_hover_text("Take this service off the timeline");
            if chip.clicked() && key.services.len() > 1 {
                next = Some(
                    key.services
                        .iter()
                        .filter(|s| *s != service)
                        .cloned()
                        .collect(),
                );
            }
        }
        let others: Vec<&crate::model::ecs::Service> = model
            .services_of(&key.cluster)
            .value()
            .into_iter()
            .flatten()
            .filter(|s| !key.services.contains(&s.arn))
            .collect();
        if others.is_empty() || key.services.len() >= crate::model::incident::timeline::MAX_SERVICES
        {
            return;
        }
        let label = ui.label("Add").id;
        egui::ComboBox::from_id_salt("incident-add-service")
            .selected_text("a service…")
            .show_ui(ui, |ui| {
                for service in others {
                    if ui.selectable_label(false, &service.name).clicked() {
                        let mut services = key.services.clone();
                        services.push(service.arn.clone());
                        next = Some(services);
                    }
                }
            })
            .response
            .labelled_by(label);
    });
    if let Some(services) = next {
        view.selection = None;
        actions.push(Action::ShowRangeLogs(None));
        actions.push(Action::Navigate(Route::Incident(IncidentKey {
            services,
            ..key.clone()
        })));
    }
}

fn summary_ui(timeline: &Timeline, ui: &mut Ui) {
    use crate::model::incident::timeline::Lane;
    let deployments = timeline.markers.len();
    let stopped: usize = timeline.stops.iter().map(|r| r.group.count()).sum();
    let loops = timeline.stops.iter().filter(|r| r.group.crash_loop).count();
    let alarms = timeline.lane(Lane::Alarms).count();
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "{deployments} deployment marks · {stopped} stopped tasks ({loops} crash loop{}) · {alarms} alarm changes",
            if loops == 1 { "" } else { "s" }
        ));
        match timeline.error_rate.peak() {
            Some((at, count)) => ui.label(format!(
                "· errors peaked at {count}/min at {}",
                chart_time_label(at as f64, 60.0)
            )),
            None => ui.weak("· no error lines counted"),
        };
        let counts = &timeline.error_rate.counts;
        let how = match &counts.source {
            ErrorCountSource::Insights => "errors counted with Logs Insights".to_owned(),
            ErrorCountSource::FilterLogEvents(pattern) => {
                format!("errors counted with FilterLogEvents “{pattern}”")
            }
            ErrorCountSource::Tail => "errors counted in the loaded tail".to_owned(),
            ErrorCountSource::None if counts.groups.is_empty() => {
                "no CloudWatch log group to count errors in".to_owned()
            }
            ErrorCountSource::None => "errors not counted".to_owned(),
        };
        ui.weak(how).on_hover_text(counts.groups.join("\n"));
        if let Some(note) = &counts.note {
            ui.weak(note);
        }
    });
    for problem in &timeline.problems {
        let color = crate::ui::widgets::theme::Tone::Warn.color(ui.visuals().dark_mode);
        ui.colored_label(
            color,
            RichText::new(format!(
                "{} could not be read: {} — {}{}",
                problem.source,
                problem.error.code,
                problem.error.message,
                problem
                    .error
                    .request_id
                    .as_deref()
                    .map(|id| format!(" (request id {id})"))
                    .unwrap_or_default()
            )),
        );
    }
}
