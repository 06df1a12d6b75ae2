//! Why tasks stopped: each row of stopped tasks (one task, a crash loop, a burst of planned
//! stops) with its diagnosis — the evidence ECS gave and the fix — and its tasks, those only
//! the recorder still has marked as recorded.

use super::{IncidentView, Selection};
use crate::model::incident::timeline::{EventTarget, IncidentKey, StopRow, Timeline};
use crate::model::time_format::chart_time_label;
use crate::model::{Action, Route};
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};

/// Tasks listed under a row before "and N more".
const TASKS_SHOWN: usize = 12;

/// With nothing selected: every row, failures first.
pub(crate) fn stops_overview_ui(
    view: &mut IncidentView,
    key: &IncidentKey,
    timeline: &Timeline,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new("Why tasks stopped").strong());
    if timeline.stops.is_empty() {
        ui.weak("No task stopped in this range.");
        return;
    }
    let mut rows: Vec<(usize, &StopRow)> = timeline.stops.iter().enumerate().collect();
    rows.sort_by_key(|(_, r)| {
        (
            !r.diagnosis.kind.is_failure(),
            std::cmp::Reverse(r.group.last),
        )
    });
    for (index, row) in rows {
        let tone = if row.diagnosis.kind.is_failure() {
            Tone::Bad
        } else {
            Tone::Muted
        };
        let color = tone.color(ui.visuals().dark_mode);
        let header = RichText::new(row.label()).color(color);
        egui::CollapsingHeader::new(header)
            .id_salt(("stop-row", index))
            .default_open(row.group.crash_loop)
            .show(ui, |ui| diagnosis_ui(row, key, ui, actions));
        let event = timeline
            .events
            .iter()
            .position(|e| e.target == EventTarget::Stops(index));
        if let Some(event) = event
            && ui.small_button("Show on the timeline").clicked()
        {
            view.selection = Some(Selection::Event(event));
        }
    }
}

/// One row's diagnosis: title, evidence, fix, and its tasks.
pub(crate) fn diagnosis_ui(
    row: &StopRow,
    key: &IncidentKey,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let diagnosis = &row.diagnosis;
    ui.label(RichText::new(&diagnosis.title).strong());
    let when = if row.group.count() > 1 {
        format!(
            "{} tasks from {} to {}",
            row.group.count(),
            chart_time_label(
                crate::model::time_format::epoch_secs(row.group.first) as f64,
                0.0
            ),
            chart_time_label(
                crate::model::time_format::epoch_secs(row.group.last) as f64,
                0.0
            )
        )
    } else {
        format!(
            "stopped at {}",
            chart_time_label(
                crate::model::time_format::epoch_secs(row.group.last) as f64,
                0.0
            )
        )
    };
    ui.weak(when);
    if row.group.crash_loop {
        ui.colored_label(
            Tone::Bad.color(ui.visuals().dark_mode),
            "Crash loop: the same failure again and again",
        );
    }
    ui.label(RichText::new("Evidence").weak());
    for line in &diagnosis.evidence {
        ui.label(format!("• {line}"));
    }
    if !diagnosis.fix.is_empty() {
        ui.label(RichText::new("Fix").weak());
        ui.label(&diagnosis.fix);
    }
    ui.label(RichText::new("Tasks").weak());
    for task in row.tasks.iter().rev().take(TASKS_SHOWN) {
        ui.horizontal(|ui| {
            let id = crate::model::ecs::short_id(&task.arn);
            let at = chart_time_label(
                crate::model::time_format::epoch_secs(task.stopped_at) as f64,
                0.0,
            );
            if task.recorded {
                ui.label(format!("{id} · {at}"));
                ui.weak("recorded").on_hover_text(
                    "ECS no longer lists this task: ECS Deck recorded it when it stopped",
                );
            } else if ui.link(format!("{id} · {at}")).clicked() {
                actions.push(Action::Navigate(Route::Task {
                    cluster: key.cluster.clone(),
                    service: key
                        .services
                        .first()
                        .filter(|_| key.services.len() == 1)
                        .cloned(),
                    task: task.arn.clone(),
                }));
            }
        });
    }
    if row.tasks.len() > TASKS_SHOWN {
        ui.weak(format!("and {} more", row.tasks.len() - TASKS_SHOWN));
    }
}
