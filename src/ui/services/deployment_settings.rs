//! "Deployment settings…": the deployment configuration as a form — strategy and its steps,
//! bake time, minimum healthy / maximum, circuit breaker, the alarms that roll back (picked
//! from DescribeAlarms) — checked as ECS would check it, then sent through the one
//! confirmation (before → after, the `aws` command). Lifecycle hooks and every field the form
//! does not show are sent back as they are.

use crate::model::changes::service_change::{ServiceChange, ServiceSnapshot, ServiceUpdate};
use crate::model::ecs::Service;
use crate::model::ecs::deployment_config::{
    DeploymentAlarms, DeploymentConfig, STRATEGIES, TrafficStep,
};
use crate::model::{Action, Model};
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};

/// The dialog, while open: the service and the configuration being edited.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SettingsDialog {
    /// Service ARN.
    pub service: String,
    /// The configuration as edited.
    pub draft: DeploymentConfig,
}

fn strategy_label(strategy: &str) -> &'static str {
    match strategy {
        "BLUE_GREEN" => "Blue/green",
        "LINEAR" => "Linear",
        "CANARY" => "Canary",
        _ => "Rolling update",
    }
}

/// The button and, when open, the dialog.
pub fn deployment_settings_ui(
    model: &Model,
    dialog: &mut Option<SettingsDialog>,
    service: &Service,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let hover = "Strategy, bake time, min/max, circuit breaker, alarms";
    if super::actions::change_button_ui(model, ui, "Deployment settings…", hover) {
        actions.push(Action::LoadOnce(crate::model::ResourceKey::Alarms));
        *dialog = Some(SettingsDialog {
            service: service.arn.clone(),
            draft: service.deployment_config.clone(),
        });
    }
    let Some(open) = dialog.as_mut().filter(|d| d.service == service.arn) else {
        return;
    };
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("deployment-settings")).show(ui.ctx(), |ui| {
        ui.set_max_width(620.0);
        ui.heading(format!("Deployment settings of {}", service.name));
        strategy_ui(&mut open.draft, ui);
        limits_ui(&mut open.draft, ui);
        alarms_ui(model, &mut open.draft, ui);
        let problems = open.draft.problems(&service.traits());
        let dark = ui.visuals().dark_mode;
        for problem in &problems {
            ui.label(RichText::new(format!("✖ {problem}")).color(Tone::Bad.color(dark)));
        }
        let changed = open.draft != service.deployment_config;
        ui.label(
            RichText::new("Lifecycle hooks and every other field are sent back as they are.")
                .small()
                .weak(),
        );
        ui.horizontal(|ui| {
            let review = ui.add_enabled(
                changed && problems.is_empty(),
                egui::Button::new(RichText::new("Review change…").strong()),
            );
            if review.clicked() {
                actions.push(Action::UpdateService(Box::new(ServiceChange {
                    cluster: service.cluster_arn.clone(),
                    service: service.arn.clone(),
                    update: ServiceUpdate {
                        deployment_config: Some(open.draft.clone()),
                        ..ServiceUpdate::default()
                    },
                    expected: ServiceSnapshot::of(service),
                })));
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if close || modal.should_close() {
        *dialog = None;
    }
}

fn minutes_ui(ui: &mut Ui, label: &str, value: &mut Option<i32>) {
    let mut minutes = value.unwrap_or(0);
    let id = ui.label(label).id;
    if ui
        .add(
            egui::DragValue::new(&mut minutes)
                .range(0..=1440)
                .suffix(" min"),
        )
        .labelled_by(id)
        .changed()
    {
        *value = Some(minutes);
    }
}

fn percent_ui(ui: &mut Ui, label: &str, value: &mut Option<f64>, default: f64) {
    let mut percent = value.unwrap_or(default);
    let id = ui.label(label).id;
    if ui
        .add(
            egui::DragValue::new(&mut percent)
                .range(0.1..=100.0)
                .speed(0.5)
                .suffix(" %"),
        )
        .labelled_by(id)
        .changed()
    {
        *value = Some(percent);
    }
}

/// The strategy and its parameters.
fn strategy_ui(draft: &mut DeploymentConfig, ui: &mut Ui) {
    egui::Grid::new("deployment-strategy")
        .num_columns(2)
        .show(ui, |ui| {
            let id = ui.label("Strategy").id;
            let current = draft.strategy_name().to_owned();
            egui::ComboBox::from_id_salt("strategy-combo")
                .selected_text(strategy_label(&current))
                .show_ui(ui, |ui| {
                    for strategy in STRATEGIES {
                        if ui
                            .selectable_label(current == strategy, strategy_label(strategy))
                            .clicked()
                        {
                            draft.strategy = Some(strategy.to_owned());
                        }
                    }
                })
                .response
                .labelled_by(id);
            ui.end_row();
            if draft.shifts_traffic() {
                ui.horizontal(|_| {});
                ui.horizontal(|ui| minutes_ui(ui, "Bake time", &mut draft.bake_time_minutes));
                ui.end_row();
            }
            let strategy = draft.strategy_name().to_owned();
            let step = match strategy.as_str() {
                "LINEAR" => Some(("Step", &mut draft.linear)),
                "CANARY" => Some(("Canary", &mut draft.canary)),
                _ => None,
            };
            if let Some((label, step)) = step {
                let step = step.get_or_insert_with(TrafficStep::default);
                ui.horizontal(|_| {});
                ui.horizontal(|ui| {
                    percent_ui(ui, label, &mut step.percent, 10.0);
                    minutes_ui(ui, "then wait", &mut step.bake_minutes);
                });
                ui.end_row();
            }
        });
    ui.label(RichText::new(draft.strategy_text()).weak());
}

/// Minimum healthy, maximum and the circuit breaker.
fn limits_ui(draft: &mut DeploymentConfig, ui: &mut Ui) {
    ui.horizontal(|ui| {
        let mut min = draft.minimum_healthy_percent.unwrap_or(100);
        let mut max = draft.maximum_percent.unwrap_or(200);
        let id = ui.label("Minimum healthy %").id;
        if ui
            .add(egui::DragValue::new(&mut min).range(0..=100))
            .labelled_by(id)
            .changed()
        {
            draft.minimum_healthy_percent = Some(min);
        }
        let id = ui.label("Maximum %").id;
        if ui
            .add(egui::DragValue::new(&mut max).range(1..=200))
            .labelled_by(id)
            .changed()
        {
            draft.maximum_percent = Some(max);
        }
        ui.checkbox(&mut draft.circuit_breaker_enable, "Circuit breaker");
        ui.add_enabled(
            draft.circuit_breaker_enable,
            egui::Checkbox::new(&mut draft.circuit_breaker_rollback, "with rollback"),
        );
        if !draft.circuit_breaker_enable {
            draft.circuit_breaker_rollback = false;
        }
    });
}

/// The alarms that stop a deployment, picked from the region's alarms.
fn alarms_ui(model: &Model, draft: &mut DeploymentConfig, ui: &mut Ui) {
    let mut alarms = draft.alarms.clone().unwrap_or_default();
    ui.label(RichText::new("Alarms that stop a deployment").strong());
    let loaded = model.alarms();
    let mut names: Vec<String> = loaded
        .value()
        .map(|all| all.list.iter().map(|a| a.name.clone()).collect())
        .unwrap_or_default();
    for name in &alarms.names {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    if let Some(error) = loaded.error() {
        ui.label(
            RichText::new(format!("Alarms could not be listed ({}).", error.code))
                .small()
                .weak(),
        );
    }
    egui::ScrollArea::vertical()
        .id_salt("alarm-picker")
        .max_height(140.0)
        .show(ui, |ui| {
            for name in names {
                let mut on = alarms.names.contains(&name);
                if ui.checkbox(&mut on, &name).changed() {
                    if on {
                        alarms.names.push(name.clone());
                    } else {
                        alarms.names.retain(|n| *n != name);
                    }
                    alarms.enable = !alarms.names.is_empty();
                }
            }
        });
    ui.add_enabled(
        !alarms.names.is_empty(),
        egui::Checkbox::new(&mut alarms.rollback, "Roll back when one fires"),
    );
    let before = draft.alarms.clone();
    draft.alarms = if alarms == DeploymentAlarms::default() && before.is_none() {
        None
    } else {
        Some(alarms)
    };
}
