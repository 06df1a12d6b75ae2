//! A service's deployment history from the service deployments API, with "Stop and roll back"
//! for a deployment in progress. Where the API is not available the section says so and
//! Roll back… (UpdateService with the previous revision) remains.

use crate::model::ecs::{Service, short_id};
use crate::model::{Action, Model, MutationKind};
use crate::ui::widgets::theme::Tone;
use crate::ui::widgets::{error_box_ui, status_ui, time_text};
use egui::{RichText, Ui};

/// The history section of `service`.
pub fn history_ui(model: &Model, service: &Service, ui: &mut Ui, actions: &mut Vec<Action>) {
    let loadable = model.history_of(&service.arn);
    if let Some(error) = loadable.error() {
        ui.label(
            RichText::new(format!(
                "Deployment history not available here ({}); Roll back… redeploys the previous revision instead.",
                if error.code.is_empty() { &error.message } else { &error.code }
            ))
            .small()
            .weak(),
        );
        return;
    }
    let Some(history) = loadable.value() else {
        return;
    };
    let confirm_id = egui::Id::unique(("rollback-deployment", &service.arn));
    egui::CollapsingHeader::new(format!("Deployment history ({})", history.len()))
        .id_salt(("history", &service.arn))
        .show(ui, |ui| {
            for deployment in history {
                ui.horizontal(|ui| {
                    status_ui(ui, &deployment.status);
                    ui.label(
                        RichText::new(format!(
                            "{} · started {} · finished {}",
                            short_id(&deployment.arn),
                            time_text(deployment.started_at),
                            time_text(deployment.finished_at)
                        ))
                        .small(),
                    );
                    if deployment.can_roll_back()
                        && ui
                            .add_enabled(
                                !model.read_only && model.mutation.is_none(),
                                egui::Button::new("Stop and roll back…"),
                            )
                            .clicked()
                    {
                        ui.data_mut(|d| d.insert_temp(confirm_id, deployment.arn.clone()));
                    }
                });
                if let Some(reason) = &deployment.reason {
                    ui.label(RichText::new(reason).small().weak());
                }
            }
        });
    let kind = MutationKind::RollBackDeployment {
        service: service.arn.clone(),
    };
    if let Some(outcome) = &model.outcome
        && outcome.kind == kind
    {
        match &outcome.result {
            Ok(_) => {
                ui.label(
                    RichText::new("Rollback requested: ECS stops the deployment and restores the previous one.")
                        .color(Tone::Good.color(ui.visuals().dark_mode)),
                );
            }
            Err(error) => error_box_ui(ui, error),
        }
    }
    let Some(arn) = ui.data(|d| d.get_temp::<String>(confirm_id)) else {
        return;
    };
    let mut close = false;
    let modal = egui::Modal::new(confirm_id.with("modal")).show(ui.ctx(), |ui| {
        ui.set_max_width(520.0);
        ui.heading(format!("Stop deployment {} and roll back?", short_id(&arn)));
        ui.label("ECS stops replacing tasks and returns the service to the deployment before it.");
        ui.horizontal(|ui| {
            let color = Tone::Bad.color(ui.visuals().dark_mode);
            if ui
                .button(RichText::new("Stop and roll back").color(color))
                .clicked()
            {
                actions.push(Action::RollBackDeployment {
                    service: service.arn.clone(),
                    deployment: arn.clone(),
                });
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
            if ui.button("Copy as AWS CLI").clicked() {
                let command = format!(
                    "{} --service-deployment-arn {} --stop-type ROLLBACK",
                    crate::model::changes::aws_cli::aws_ecs(
                        &model.connection,
                        "stop-service-deployment"
                    ),
                    crate::model::changes::aws_cli::quote(&arn)
                );
                ui.ctx().copy_text(command);
            }
        });
    });
    if close || modal.should_close() {
        ui.data_mut(|d| d.remove::<String>(confirm_id));
    }
}
