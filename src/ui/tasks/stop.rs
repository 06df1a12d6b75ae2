//! "Stop task…": a reason, a confirmation, and the equivalent `aws` command.

use crate::model::changes::service_change::stop_task_cli;
use crate::model::ecs::Task;
use crate::model::{Action, Model, MutationKind};
use crate::ui::widgets::error_box_ui;
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};

const DEFAULT_REASON: &str = "Stopped from ECS Deck";

/// The button, its dialog and the outcome, for one task.
pub fn stop_task_ui(model: &Model, task: &Task, ui: &mut Ui, actions: &mut Vec<Action>) {
    let id = egui::Id::unique(("stop-task", &task.arn));
    let kind = MutationKind::StopTask {
        task: task.arn.clone(),
    };
    if task.desired_status == "STOPPED" {
        ui.label(RichText::new("Stopping or stopped.").weak());
    } else {
        let button = ui.add_enabled(
            !model.read_only() && model.mutation.is_none(),
            egui::Button::new("Stop task…"),
        );
        let button = if model.read_only() {
            button.on_disabled_hover_text("Read-only mode is on")
        } else {
            button.on_hover_text("Stop this task (asks for a reason first)")
        };
        if button.clicked() {
            ui.data_mut(|d| d.insert_temp(id, DEFAULT_REASON.to_owned()));
        }
    }
    if let Some(outcome) = &model.outcome
        && outcome.kind == kind
    {
        match &outcome.result {
            Ok(_) => {
                ui.label(
                    RichText::new("Stop requested; the task list shows it stopping.")
                        .color(Tone::Good.color(ui.visuals().dark_mode)),
                );
            }
            Err(error) => error_box_ui(ui, error),
        }
    }
    let Some(mut reason) = ui.data(|d| d.get_temp::<String>(id)) else {
        return;
    };
    let mut close = false;
    let modal = egui::Modal::new(id.with("modal")).show(ui.ctx(), |ui| {
        ui.set_max_width(520.0);
        ui.heading(format!("Stop task {}?", task.short_id()));
        let replaced = if task.service_name().is_some() {
            " Its service starts a replacement to keep its desired count."
        } else {
            ""
        };
        ui.label(format!(
            "ECS sends SIGTERM, then SIGKILL after the stop timeout.{replaced}"
        ));
        let label = ui.label("Reason").id;
        ui.add(egui::TextEdit::singleline(&mut reason).desired_width(400.0))
            .labelled_by(label);
        ui.horizontal(|ui| {
            let color = Tone::Bad.color(ui.visuals().dark_mode);
            let reason_ok = !reason.trim().is_empty();
            if ui
                .add_enabled(
                    reason_ok,
                    egui::Button::new(RichText::new("Stop task").color(color)),
                )
                .clicked()
            {
                actions.push(Action::StopTask {
                    cluster: task.cluster_arn.clone(),
                    task: task.arn.clone(),
                    reason: reason.trim().to_owned(),
                });
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
            if ui.button("Copy as AWS CLI").clicked() {
                ui.ctx().copy_text(stop_task_cli(
                    &model.connection,
                    &task.cluster_arn,
                    &task.arn,
                    reason.trim(),
                ));
            }
        });
    });
    if close || modal.should_close() {
        ui.data_mut(|d| d.remove::<String>(id));
    } else {
        ui.data_mut(|d| d.insert_temp(id, reason));
    }
}
