//! Deploy a revision to a service, or roll back: pick the target, set the deployment options,
//! read the preview (the semantic diff of the running and the target revision, and the
//! service-level changes), confirm. The service is described again before anything changes.

use crate::model::changes::service_change::{
    ServiceChange, ServiceSnapshot, ServiceUpdate, deploy_cli,
};
use crate::model::ecs::{DeploymentConfig, Service};
use crate::model::task_defs::revisions::family_revision;
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::task_defs::td_diff::diff;
use crate::model::task_defs::td_diff_render::to_text;
use crate::model::{Action, Model, MutationKind, Route};
use crate::ui::widgets::error_box_ui;
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};

/// Local state of the deploy page.
#[derive(Debug, Default)]
pub struct DeployView {
    /// Which service and running revision the options were filled from.
    filled_for: Option<(String, String)>,
    /// Start a new deployment even if the revision is the same.
    pub force: bool,
    /// Deployment options as edited.
    pub config: DeploymentConfig,
    /// A revision typed by hand.
    pub other: String,
}

/// The deploy page for `service_arn`.
pub fn deploy_ui(
    model: &Model,
    view: &mut DeployView,
    route: (&str, &str, &str, &str),
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let (cluster, service_arn, current, target) = route;
    let Some(service) = model
        .services_of(cluster)
        .value()
        .and_then(|list| list.iter().find(|s| s.arn == service_arn))
    else {
        ui.spinner();
        return;
    };
    // Someone deployed since the page opened: compare against what runs now.
    if service.task_definition != current {
        actions.push(Action::Navigate(Route::Deploy {
            cluster: cluster.to_owned(),
            service: service_arn.to_owned(),
            current: service.task_definition.clone(),
            target: target.to_owned(),
        }));
    }
    let filled = (service.arn.clone(), service.task_definition.clone());
    if view.filled_for.as_ref() != Some(&filled) {
        view.config = service.deployment_config.clone();
        view.force = false;
        view.filled_for = Some(filled);
    }
    let verb = if rolls_back(model, current, target) {
        "Roll back"
    } else {
        "Deploy"
    };
    let resolved = model
        .task_definition(target)
        .value()
        .and_then(|d| d.text("taskDefinitionArn"))
        .unwrap_or_else(|| target.to_owned());
    ui.label(
        RichText::new(format!("{verb} {} to {}", short(&resolved), service.name))
            .strong()
            .size(16.0),
    );
    ui.label(
        RichText::new(format!(
            "Runs {} · desired {} · running {}",
            family_revision(&service.task_definition),
            service.desired,
            service.running
        ))
        .weak(),
    );
    target_picker_ui(
        model,
        view,
        (cluster, service, current, target),
        ui,
        actions,
    );
    ui.separator();
    options_ui(view, service, ui);
    ui.separator();
    let target_doc = model.task_definition(target);
    let current_doc = model.task_definition(current);
    if let Some(error) = target_doc.error().or(current_doc.error()) {
        error_box_ui(ui, error);
        return;
    }
    let (Some(new), Some(old)) = (target_doc.value(), current_doc.value()) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Loading both revisions for the preview…");
        });
        return;
    };
    confirm_ui(
        model,
        view,
        (cluster, service, target, verb),
        (old, new),
        ui,
        actions,
    );
}

/// The preview of what changes, what would stop the deploy, the buttons, and the outcome.
fn confirm_ui(
    model: &Model,
    view: &mut DeployView,
    (cluster, service, target, verb): (&str, &Service, &str, &str),
    (old, new): (&TaskDefDocument, &TaskDefDocument),
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let status = new.text("status").unwrap_or_default();
    let target_arn = new
        .text("taskDefinitionArn")
        .unwrap_or_else(|| target.to_owned());
    let same = target_arn == service.task_definition;
    preview_ui(old, new, view, service, same, ui);
    let kind = MutationKind::UpdateService {
        service: service.arn.clone(),
    };
    let update = ServiceUpdate {
        task_definition: (!same).then(|| target_arn.clone()),
        force_new_deployment: view.force,
        deployment_config: (view.config != service.deployment_config).then(|| view.config.clone()),
        desired: None,
        enable_execute_command: None,
    };
    let why_not = refusal(model, view, (&status, same, &target_arn), &update);
    if let Some(why) = &why_not {
        ui.label(RichText::new(why).color(Tone::Warn.color(ui.visuals().dark_mode)));
    }
    ui.horizontal(|ui| {
        let label = format!("{verb} {}", short(&target_arn));
        if ui
            .add_enabled(
                why_not.is_none(),
                egui::Button::new(RichText::new(label).strong()),
            )
            .clicked()
        {
            actions.push(Action::UpdateService(Box::new(ServiceChange {
                cluster: cluster.to_owned(),
                service: service.arn.clone(),
                update: update.clone(),
                expected: ServiceSnapshot::of(service),
            })));
        }
        if model.is_changing(&kind) {
            ui.spinner();
        }
        if ui.button("Copy as AWS CLI").clicked() {
            ui.ctx().copy_text(deploy_cli(
                &model.connection,
                &service.cluster_arn,
                &service.name,
                &target_arn,
                view.force,
            ));
        }
        if ui.button("Cancel").clicked() {
            actions.push(Action::Navigate(Route::Service {
                cluster: cluster.to_owned(),
                service: service.arn.clone(),
            }));
        }
    });
    if let Some(outcome) = &model.outcome
        && outcome.kind == kind
    {
        match &outcome.result {
            Ok(_) => actions.push(Action::Navigate(Route::Service {
                cluster: cluster.to_owned(),
                service: service.arn.clone(),
            })),
            Err(error) => error_box_ui(ui, error),
        }
    }
}

/// Why the deploy cannot be sent now, if it cannot.
fn refusal(
    model: &Model,
    view: &DeployView,
    (status, same, target_arn): (&str, bool, &str),
    update: &ServiceUpdate,
) -> Option<String> {
    if model.read_only() {
        Some("Read-only mode is on".to_owned())
    } else if status == "INACTIVE" {
        Some(format!(
            "{} is INACTIVE: register it again to deploy it",
            short(target_arn)
        ))
    } else if same && !view.force && update.deployment_config.is_none() {
        Some("Nothing to change: pick another revision or force a new deployment".to_owned())
    } else if model.mutation.is_some() {
        Some("Another change is in flight".to_owned())
    } else {
        None
    }
}

/// Whether the target is an older revision than the one running (a rollback).
fn rolls_back(model: &Model, current: &str, target: &str) -> bool {
    let revision = |arn: &str| {
        let doc = model.task_definition(arn).value()?;
        doc.text("revision")?.parse::<u32>().ok()
    };
    matches!((revision(target), revision(current)), (Some(t), Some(c)) if t < c)
}

fn short(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

fn target_picker_ui(
    model: &Model,
    view: &mut DeployView,
    route: (&str, &Service, &str, &str),
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let (cluster, service, current, target) = route;
    let go = |target: String| {
        Action::Navigate(Route::Deploy {
            cluster: cluster.to_owned(),
            service: service.arn.clone(),
            current: current.to_owned(),
            target,
        })
    };
    ui.horizontal(|ui| {
        let label = ui.label("Revision").id;
        let family = crate::model::task_defs::revisions::parse_arn(current).map(|(f, _)| f);
        let revisions = family
            .as_deref()
            .and_then(|f| model.revisions_of(f).value());
        egui::ComboBox::from_id_salt("deploy-target")
            .selected_text(short(target))
            .show_ui(ui, |ui| {
                for row in revisions.into_iter().flatten().take(30) {
                    let text = format!(
                        "{}:{}  {}  {}",
                        row.family,
                        row.revision,
                        row.status,
                        row.image_tags()
                    );
                    if ui.selectable_label(row.arn == target, text).clicked() {
                        actions.push(go(row.arn.clone()));
                    }
                }
            })
            .response
            .labelled_by(label);
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut view.other)
                    .hint_text("family:revision")
                    .desired_width(160.0),
            )
            .on_hover_text("Any revision; Enter picks it");
        if field.lost_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter))
            && !view.other.trim().is_empty()
        {
            actions.push(go(view.other.trim().to_owned()));
        }
        let previous = crate::model::task_defs::revisions::previous_revision(current);
        if let Some(previous) = previous
            && ui
                .button(format!("Previous ({})", short(&previous)))
                .on_hover_text("Roll back to the revision before the running one")
                .clicked()
        {
            actions.push(go(previous));
        }
    });
}

fn options_ui(view: &mut DeployView, service: &Service, ui: &mut Ui) {
    ui.checkbox(&mut view.force, "Force a new deployment")
        .on_hover_text(
            "Replace every task even with the same revision, e.g. to pull an image tag that moved",
        );
    ui.horizontal(|ui| {
        let mut min = view.config.minimum_healthy_percent.unwrap_or(100);
        let mut max = view.config.maximum_percent.unwrap_or(200);
        let label = ui.label("Minimum healthy %").id;
        let response = ui.add(egui::DragValue::new(&mut min).range(0..=100));
        if response.labelled_by(label).changed() {
            view.config.minimum_healthy_percent = Some(min);
        }
        let label = ui.label("Maximum %").id;
        let response = ui.add(egui::DragValue::new(&mut max).range(100..=200));
        if response.labelled_by(label).changed() {
            view.config.maximum_percent = Some(max);
        }
        ui.checkbox(&mut view.config.circuit_breaker_enable, "Circuit breaker");
        ui.add_enabled(
            view.config.circuit_breaker_enable,
            egui::Checkbox::new(&mut view.config.circuit_breaker_rollback, "with rollback"),
        );
    });
    if view.config != service.deployment_config && ui.small_button("Reset options").clicked() {
        view.config = service.deployment_config.clone();
    }
}

fn preview_ui(
    old: &crate::model::task_defs::task_def::TaskDefDocument,
    new: &crate::model::task_defs::task_def::TaskDefDocument,
    view: &DeployView,
    service: &Service,
    same: bool,
    ui: &mut Ui,
) {
    ui.label(RichText::new("What changes").strong());
    let shown = crate::ui::widgets::reveal_env_ui(ui, "deploy");
    let d = diff(old, new);
    let dark = ui.visuals().dark_mode;
    if same {
        ui.label("Same revision as running.");
    } else {
        let text = to_text(&d, "", !shown);
        let mut lines = text.lines();
        let summary = lines.next().unwrap_or_default().trim_start_matches(": ");
        ui.label(RichText::new(summary).strong());
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .id_salt("deploy-preview")
            .show(ui, |ui| {
                crate::ui::task_defs::dialogs::change_lines_ui(ui, lines)
            });
    }
    let before = &service.deployment_config;
    let after = &view.config;
    let mut service_changes = Vec::new();
    if view.force {
        service_changes.push("every task is replaced (forced new deployment)".to_owned());
    }
    for (field, was, now) in after.changes_from(before) {
        service_changes.push(format!("{} {was} → {now}", field.to_lowercase()));
    }
    for change in service_changes {
        ui.label(
            RichText::new(format!("~ service: {change}"))
                .monospace()
                .color(Tone::Warn.color(dark)),
        );
    }
}
