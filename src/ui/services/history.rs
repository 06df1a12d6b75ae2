//! A service's deployment history from the service deployments API, with "Stop and roll back"
//! for a deployment in progress. Where the API is not available the section says so and
//! Roll back… (UpdateService with the previous revision) remains.

use crate::model::ecs::{Service, short_id};
use crate::model::{Action, Model, MutationKind, Route};
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
    egui::CollapsingHeader::new(format!("Deployment history ({})", history.len()))
        .id_salt(("history", &service.arn))
        .show(ui, |ui| {
            for (i, deployment) in history.iter().enumerate() {
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
                    if ui
                        .small_button("What changed")
                        .on_hover_text("Its service revisions side by side")
                        .clicked()
                    {
                        actions.push(Action::Navigate(Route::DeploymentChanges {
                            cluster: service.cluster_arn.clone(),
                            service: service.arn.clone(),
                            deployment: deployment.arn.clone(),
                        }));
                    }
                    // The newest deployment's controls are in the cockpit above.
                    if i > 0
                        && deployment.can_roll_back()
                        && ui
                            .add_enabled(
                                !model.read_only() && model.mutation.is_none(),
                                egui::Button::new("Stop and roll back…"),
                            )
                            .clicked()
                    {
                        // Shown for confirmation (with the AWS CLI command) before it is sent.
                        actions.push(Action::RollBackDeployment {
                            service: service.arn.clone(),
                            deployment: deployment.arn.clone(),
                        });
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
}
