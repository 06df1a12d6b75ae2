//! A service in detail: configuration, deployments and events.

use crate::model::ecs::console::service_url;
use crate::model::ecs::{Service, family_revision, short_id};
use crate::model::logs::tail::TailTarget;
use crate::model::{Action, DiffSide, Model, Route};
use crate::ui::widgets::{
    key_values_ui, resource_links_ui, revision_link_ui, status_ui, time_text,
};
use egui::{CollapsingHeader, RichText, Ui};

/// Most events shown; ECS keeps the last 100 anyway.
const MAX_EVENTS: usize = 100;

fn or_dash(value: Option<impl ToString>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// The heading above a service's tasks: name, status, counts, rollout.
pub fn service_header_ui(
    model: &Model,
    cluster: &str,
    service_arn: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: std::time::SystemTime,
) {
    let service = model
        .services_of(cluster)
        .value()
        .and_then(|services| services.iter().find(|s| s.arn == service_arn));
    ui.horizontal(|ui| {
        ui.heading(short_id(service_arn));
        if let Some(service) = service {
            status_ui(ui, &service.status);
            ui.label(format!(
                "desired {} · running {} · pending {}",
                service.desired, service.running, service.pending
            ));
            revision_link_ui(ui, &service.task_definition, actions);
            if let Some(state) = service.rollout_state() {
                status_ui(ui, state);
            }
        }
        if ui
            .button((
                crate::ui::widgets::icons::atom(crate::ui::widgets::icons::ResourceIcon::Chart),
                "Metrics",
            ))
            .on_hover_text("CPU and memory with deployment markers")
            .clicked()
        {
            let scope = crate::model::metrics::charts::MetricsScope::Service {
                cluster: cluster.to_owned(),
                service: service_arn.to_owned(),
            };
            actions.push(Action::Navigate(crate::ui::metrics::metrics_route(
                model, scope, now,
            )));
        }
        if ui
            .button("Incident")
            .on_hover_text(
                "One timeline of deployments, stopped tasks, alarms, scaling and errors, with why tasks stopped",
            )
            .clicked()
        {
            actions.push(Action::Navigate(Route::Incident(
                crate::model::incident::timeline::IncidentKey::service(cluster, service_arn, 3 * 3_600),
            )));
        }
        if ui
            .button((
                crate::ui::widgets::icons::atom(crate::ui::widgets::icons::ResourceIcon::Log),
                "Logs",
            ))
            .on_hover_text("Live logs of every running task, merged")
            .clicked()
        {
            actions.push(Action::Navigate(Route::Logs(TailTarget::Services {
                cluster: cluster.to_owned(),
                services: vec![service_arn.to_owned()],
            })));
        }
        if let Some(service) = service {
            crate::ui::shell::pins::pin_button_ui(model, service, ui, actions);
        }
    });
    ui.separator();
}

/// "What is this rollout changing?": the revision being replaced against the one rolling out,
/// and the running revision against the family's newest.
fn compare_deployments_ui(service: &Service, ui: &mut Ui, actions: &mut Vec<Action>) {
    let primary = service.deployments.iter().find(|d| d.status == "PRIMARY");
    let replaced = service.deployments.iter().find(|d| {
        d.status == "ACTIVE" && Some(&d.task_definition) != primary.map(|p| &p.task_definition)
    });
    ui.horizontal(|ui| {
        if let (Some(old), Some(new)) = (replaced, primary)
            && ui
                .button(format!(
                    "Compare {} → {}",
                    family_revision(&old.task_definition),
                    family_revision(&new.task_definition)
                ))
                .on_hover_text("What this rollout changes")
                .clicked()
        {
            actions.push(Action::Navigate(Route::Compare {
                old: DiffSide::Revision(old.task_definition.clone()),
                new: DiffSide::Revision(new.task_definition.clone()),
            }));
        }
        let family = DiffSide::Revision(service.task_definition.clone()).family();
        if let Some(family) = family
            && ui
                .button("Compare with newest revision")
                .on_hover_text(format!(
                    "The running revision against the newest ACTIVE revision of {family}"
                ))
                .clicked()
        {
            actions.push(Action::Navigate(Route::Compare {
                old: DiffSide::Revision(service.task_definition.clone()),
                new: DiffSide::Revision(family),
            }));
        }
    });
}

/// Every part of a service's description, in collapsible sections.
pub fn service_detail_ui(model: &Model, service: &Service, ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.heading(&service.name);
    ui.horizontal(|ui| {
        ui.label("Task definition");
        revision_link_ui(ui, &service.task_definition, actions);
    });
    status_ui(ui, &service.status);
    resource_links_ui(
        ui,
        &service.arn,
        &service_url(&model.connection.region, &service.cluster_arn, &service.arn),
    );
    key_values_ui(
        ui,
        "service-overview",
        &[
            ("Launch", service.capacity_label()),
            (
                "Desired / running / pending",
                format!(
                    "{} / {} / {}",
                    service.desired, service.running, service.pending
                ),
            ),
            ("Rollout (PRIMARY)", or_dash(service.rollout_state())),
            ("Created", time_text(service.created_at)),
            ("Updated", time_text(service.updated_at())),
        ],
    );
    network_ui(service, ui);
    super::deployment_config::deployment_config_ui(model, service, ui, true);
    placement_ui(service, ui);
    load_balancers_ui(service, ui);
    deployments_ui(service, ui, actions);
    events_ui(service, ui);
}

/// The service's awsvpc subnets, security groups and public IP.
fn network_ui(service: &Service, ui: &mut Ui) {
    CollapsingHeader::new("Network")
        .default_open(true)
        .show(ui, |ui| match &service.network {
            Some(network) => key_values_ui(
                ui,
                "service-network",
                &[
                    ("Subnets", network.subnets.join(", ")),
                    ("Security groups", network.security_groups.join(", ")),
                    ("Public IP", or_dash(network.assign_public_ip.as_deref())),
                ],
            ),
            None => {
                ui.label(
                    RichText::new("No awsvpc configuration (bridge or host networking).").weak(),
                );
            }
        });
}

/// Placement strategy and constraints.
fn placement_ui(service: &Service, ui: &mut Ui) {
    CollapsingHeader::new("Placement")
        .default_open(false)
        .show(ui, |ui| {
            key_values_ui(
                ui,
                "service-placement",
                &[
                    (
                        "Strategy",
                        if service.placement_strategy.is_empty() {
                            "-".into()
                        } else {
                            service.placement_strategy.join(", ")
                        },
                    ),
                    (
                        "Constraints",
                        if service.placement_constraints.is_empty() {
                            "-".into()
                        } else {
                            service.placement_constraints.join(", ")
                        },
                    ),
                ],
            );
        });
}

/// Target groups or load balancers and the container each sends to.
fn load_balancers_ui(service: &Service, ui: &mut Ui) {
    CollapsingHeader::new(format!("Load balancers ({})", service.load_balancers.len()))
        .default_open(false)
        .show(ui, |ui| {
            for lb in &service.load_balancers {
                let target = lb
                    .target_group_arn
                    .as_deref()
                    .or(lb.load_balancer_name.as_deref())
                    .unwrap_or("-");
                ui.label(format!(
                    "{target} → {}:{}",
                    lb.container_name.as_deref().unwrap_or("?"),
                    or_dash(lb.container_port)
                ));
            }
        });
}

/// Each deployment with its counts and rollout state; compare two of them.
fn deployments_ui(service: &Service, ui: &mut Ui, actions: &mut Vec<Action>) {
    CollapsingHeader::new(format!("Deployments ({})", service.deployments.len()))
        .default_open(true)
        .show(ui, |ui| {
            compare_deployments_ui(service, ui, actions);
            for deployment in &service.deployments {
                ui.group(|ui| {
                    ui.horizontal(|ui| {
                        status_ui(ui, &deployment.status);
                        ui.label(family_revision(&deployment.task_definition));
                        if let Some(state) = &deployment.rollout_state {
                            status_ui(ui, state);
                        }
                    });
                    ui.label(format!(
                        "desired {} · running {} · pending {} · failed {}",
                        deployment.desired,
                        deployment.running,
                        deployment.pending,
                        deployment.failed
                    ));
                    if let Some(reason) = &deployment.rollout_state_reason {
                        ui.label(RichText::new(reason).small());
                    }
                    ui.label(
                        RichText::new(format!(
                            "{} · created {} · updated {}",
                            deployment.id,
                            time_text(deployment.created_at),
                            time_text(deployment.updated_at)
                        ))
                        .small()
                        .weak(),
                    );
                });
            }
        });
}

/// The newest service events.
fn events_ui(service: &Service, ui: &mut Ui) {
    CollapsingHeader::new(format!("Events ({})", service.events.len()))
        .default_open(true)
        .show(ui, |ui| {
            if service.events.is_empty() {
                ui.label(RichText::new("No events.").weak());
            }
            for event in service.events.iter().take(MAX_EVENTS) {
                ui.label(RichText::new(time_text(event.created_at)).small().weak());
                ui.add(egui::Label::new(&event.message).wrap());
            }
        });
}
