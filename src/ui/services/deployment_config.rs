//! A service's whole deployment configuration, read-only: controller, strategy and its
//! steps, bake time, min/max, circuit breaker, the alarms with their state now, and the
//! lifecycle hooks with their stages. Shown on the service page and in the detail pane.

use crate::model::Model;
use crate::model::ecs::Service;
use crate::ui::widgets::{key_values_ui, status_ui};
use egui::{CollapsingHeader, RichText, Ui};

/// The configuration of `service` under a collapsible heading, open at first when `open`.
pub fn deployment_config_ui(model: &Model, service: &Service, ui: &mut Ui, open: bool) {
    CollapsingHeader::new("Deployment configuration")
        .id_salt(("deployment-config", &service.arn))
        .default_open(open)
        .show(ui, |ui| {
            let config = &service.deployment_config;
            let rows = config.rows(&service.deployment_controller);
            key_values_ui(ui, &format!("deploy-config-{}", service.arn), &rows);
            alarms_ui(model, service, ui);
            hooks_ui(service, ui);
        });
}

/// Each alarm the deployment watches, with its state from DescribeAlarms.
fn alarms_ui(model: &Model, service: &Service, ui: &mut Ui) {
    let Some(alarms) = &service.deployment_config.alarms else {
        ui.label(RichText::new("Alarms: none").weak());
        return;
    };
    ui.label(
        RichText::new(format!(
            "Alarms: {}",
            service.deployment_config.alarms_text()
        ))
        .weak(),
    );
    let loaded = model.alarms();
    for name in &alarms.names {
        ui.horizontal(|ui| {
            ui.label(format!("  {name}"));
            match loaded.value().map(|all| all.state_of(name)) {
                Some(Some(state)) => {
                    status_ui(ui, &state.state);
                    if let Some(reason) = &state.reason {
                        ui.label(RichText::new(reason).small().weak());
                    }
                }
                Some(None) => {
                    ui.label(RichText::new("not found in CloudWatch").small().weak());
                }
                None if loaded.error().is_some() => {
                    ui.label(
                        RichText::new("state unknown (DescribeAlarms failed)")
                            .small()
                            .weak(),
                    );
                }
                None => {
                    ui.spinner();
                }
            }
        });
    }
}

/// Each lifecycle hook: what it runs, at which stages, and what happens at its timeout.
fn hooks_ui(service: &Service, ui: &mut Ui) {
    let hooks = &service.deployment_config.lifecycle_hooks;
    if hooks.is_empty() {
        ui.label(RichText::new("Lifecycle hooks: none").weak());
        return;
    }
    ui.label(RichText::new(format!("Lifecycle hooks ({})", hooks.len())).weak());
    for hook in hooks {
        ui.label(format!("  {}", hook.describe()));
    }
}
