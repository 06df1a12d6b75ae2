//! Beside the timeline: what is selected — an event's detail (a deployment's "what changed",
//! a stopped-task row's diagnosis, a revision), a range's merged logs — or, with nothing
//! selected, why tasks stopped.

use super::{IncidentView, Selection, diagnosis, range_logs};
use crate::model::incident::timeline::{EventTarget, IncidentKey, Timeline, TimelineEvent};
use crate::model::metrics::charts::MetricsScope;
use crate::model::time_format::chart_time_label;
use crate::model::{Action, Model, Route};
use egui::{RichText, Ui};

/// Minutes of logs a "Logs around this" shows before and after an event.
const AROUND_BEFORE_SECS: i64 = 120;
const AROUND_AFTER_SECS: i64 = 300;

/// The detail panel.
pub(crate) fn detail_ui(
    model: &Model,
    view: &mut IncidentView,
    key: &IncidentKey,
    timeline: &Timeline,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    match view.selection.clone() {
        None => diagnosis::stops_overview_ui(view, key, timeline, ui, actions),
        Some(Selection::Event(index)) => match timeline.events.get(index) {
            Some(event) => {
                close_ui(view, ui, actions);
                event_ui(view, key, timeline, event, ui, actions);
            }
            None => view.selection = None,
        },
        Some(Selection::Range(from, to)) => {
            close_ui(view, ui, actions);
            range_logs::range_logs_ui(model, view, key, timeline, (from, to), ui);
        }
    }
}

fn close_ui(view: &mut IncidentView, ui: &mut Ui, actions: &mut Vec<Action>) {
    if ui
        .small_button("× Close")
        .on_hover_text("Back to why tasks stopped")
        .clicked()
    {
        view.selection = None;
        actions.push(Action::ShowRangeLogs(None));
    }
}

fn event_ui(
    view: &mut IncidentView,
    key: &IncidentKey,
    timeline: &Timeline,
    event: &TimelineEvent,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new(event.lane.label()).weak());
    ui.label(RichText::new(&event.title).strong());
    let mut when = chart_time_label(event.at_secs as f64, 0.0);
    if let Some(until) = event.until_secs {
        when.push_str(&format!(" – {}", chart_time_label(until as f64, 0.0)));
    }
    ui.weak(when);
    for line in &event.detail {
        ui.label(line);
    }
    ui.separator();
    match &event.target {
        EventTarget::Deployment(marker) => {
            let scope = match event.service.as_deref() {
                Some(name) => key
                    .services
                    .iter()
                    .find(|s| crate::model::ecs::short_id(s) == name)
                    .map(|service| MetricsScope::Service {
                        cluster: key.cluster.clone(),
                        service: service.clone(),
                    }),
                None => None,
            }
            .unwrap_or(MetricsScope::Cluster {
                cluster: key.cluster.clone(),
            });
            match marker.destination(&scope) {
                Some(route) => {
                    if ui.button("What changed ›").clicked() {
                        actions.push(Action::Navigate(route));
                    }
                }
                None => {
                    ui.weak("No earlier revision to compare with.");
                }
            }
        }
        EventTarget::Stops(row) => {
            if let Some(row) = timeline.stops.get(*row) {
                diagnosis::diagnosis_ui(row, key, ui, actions);
            }
        }
        EventTarget::Revision(arn) => {
            if ui.button("Open revision ›").clicked() {
                actions.push(Action::Navigate(Route::Revision { arn: arn.clone() }));
            }
        }
        EventTarget::Detail => {}
    }
    let from = event.at_secs - AROUND_BEFORE_SECS;
    let to = event.until_secs.unwrap_or(event.at_secs) + AROUND_AFTER_SECS;
    if ui
        .button("Logs around this")
        .on_hover_text("The merged logs of every task from 2 minutes before to 5 minutes after")
        .clicked()
    {
        view.select(key, Selection::Range(from, to), actions);
    }
}
