//! The rollout cockpit: the service's newest deployment as DescribeServiceDeployments tells
//! it — its lifecycle stage on the strategy's stage track, the traffic split between the
//! old (blue) and new (green) revisions, the bake countdown, the monitors watching it, each
//! lifecycle hook (Continue / Roll back on one that waits) and why it rolled back.

use crate::model::ecs::Service;
use crate::model::ecs::deployment_config::percent_text;
use crate::model::ecs::service_deployment::{HookRun, ServiceDeploymentDetail, stage_label};
use crate::model::ecs::short_id;
use crate::model::{Action, Model, Route};
use crate::ui::widgets::theme::Tone;
use crate::ui::widgets::{status_ui, time_text};
use egui::{RichText, Ui};
use std::time::{Duration, SystemTime};

/// The cockpit of `service`'s newest deployment, when it is loaded.
pub fn cockpit_ui(
    model: &Model,
    service: &Service,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    let Some(newest) = model
        .history_of(&service.arn)
        .value()
        .and_then(|h| h.first())
    else {
        return;
    };
    let loadable = model.deployment_detail(&newest.arn);
    if let Some(error) = loadable.error() {
        crate::ui::widgets::error_box_ui(ui, error);
    }
    let Some(detail) = loadable.value() else {
        return;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        heading_ui(model, service, detail, ui, actions);
        stage_track_ui(detail, ui);
        if detail.is_active() || detail.target.is_some() {
            traffic_ui(detail, ui);
        }
        if let Some(left) = detail.bake_remaining(now) {
            bake_ui(detail, left, ui);
        }
        monitors_ui(detail, ui);
        hooks_ui(model, service, detail, ui, actions, now);
        if let Some(rollback) = &detail.rollback {
            ui.label(
                RichText::new(format!(
                    "Rolled back{}: {}",
                    rollback
                        .started_at
                        .map(|t| format!(" at {}", time_text(Some(t))))
                        .unwrap_or_default(),
                    rollback.reason.as_deref().unwrap_or("no reason given")
                ))
                .color(Tone::Bad.color(ui.visuals().dark_mode)),
            );
        }
    });
}

fn heading_ui(
    model: &Model,
    service: &Service,
    detail: &ServiceDeploymentDetail,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Deployment").strong());
        ui.label(short_id(&detail.arn));
        status_ui(ui, &detail.status);
        ui.label(RichText::new(detail.config.strategy_text()).weak());
        if let Some(started) = detail.started_at.or(detail.created_at) {
            ui.label(RichText::new(format!("started {}", time_text(Some(started)))).weak());
        }
        if let Some(finished) = detail.finished_at {
            ui.label(RichText::new(format!("ended {}", time_text(Some(finished)))).weak());
        }
        if ui
            .button("What changed")
            .on_hover_text("The service revisions it moves between, side by side")
            .clicked()
        {
            actions.push(Action::Navigate(Route::DeploymentChanges {
                cluster: service.cluster_arn.clone(),
                service: service.arn.clone(),
                deployment: detail.arn.clone(),
            }));
        }
        if detail.is_active()
            && ui
                .add_enabled(
                    !model.read_only() && model.mutation.is_none(),
                    egui::Button::new("Stop and roll back…"),
                )
                .clicked()
        {
            actions.push(Action::RollBackDeployment {
                service: service.arn.clone(),
                deployment: detail.arn.clone(),
            });
        }
    });
    if let Some(reason) = &detail.status_reason {
        ui.label(RichText::new(reason).small().weak());
    }
}

/// The strategy's stages: done ✔, the current one highlighted, the rest to come.
fn stage_track_ui(detail: &ServiceDeploymentDetail, ui: &mut Ui) {
    let dark = ui.visuals().dark_mode;
    let at = detail.stage_index();
    let failed = detail.rolled_back() || detail.status == "STOPPED";
    ui.horizontal_wrapped(|ui| {
        for (i, stage) in detail.track().into_iter().enumerate() {
            if i > 0 {
                ui.label(RichText::new("›").weak());
            }
            let label = stage_label(stage);
            let text = match at {
                Some(current) if i < current => {
                    RichText::new(format!("✔ {label}")).color(Tone::Good.color(dark))
                }
                Some(current) if i == current && failed => RichText::new(format!("✖ {label}"))
                    .color(Tone::Bad.color(dark))
                    .strong(),
                Some(current) if i == current => RichText::new(format!("● {label}"))
                    .color(Tone::Busy.color(dark))
                    .strong(),
                _ => RichText::new(label).weak(),
            };
            ui.label(text).on_hover_text(stage);
        }
    });
}

/// The traffic on the new revision (production, and test while it is tested) and the tasks.
fn traffic_ui(detail: &ServiceDeploymentDetail, ui: &mut Ui) {
    let Some(target) = &detail.target else {
        return;
    };
    let old_running: i32 = detail.sources.iter().map(|s| s.running).sum();
    ui.label(RichText::new(format!(
        "Tasks: new {} of {} running ({} pending) · old {} running",
        target.running, target.requested, target.pending, old_running
    )));
    let shifts = detail.config.shifts_traffic();
    for (label, weight) in [
        ("Production traffic", detail.production_to_target()),
        ("Test traffic", detail.test_to_target().filter(|_| shifts)),
    ] {
        let Some(green) = weight else { continue };
        let green = green.clamp(0.0, 100.0);
        ui.horizontal(|ui| {
            ui.label(format!("{label}:"));
            ui.add(
                egui::ProgressBar::new((green / 100.0) as f32)
                    .desired_width(260.0)
                    .text(format!(
                        "new {} % · old {} %",
                        percent_text(green),
                        percent_text(100.0 - green)
                    )),
            );
        });
    }
}

fn clock(d: Duration) -> String {
    let secs = d.as_secs();
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// Time left before ECS cleans up the old revision.
fn bake_ui(detail: &ServiceDeploymentDetail, left: Duration, ui: &mut Ui) {
    let total = Duration::from_secs(
        u64::try_from(detail.config.bake_time_minutes.unwrap_or(0)).unwrap_or(0) * 60,
    );
    let done = if total.is_zero() {
        1.0
    } else {
        1.0 - left.as_secs_f32() / total.as_secs_f32()
    };
    ui.horizontal(|ui| {
        ui.label("Bake time:");
        ui.add(
            egui::ProgressBar::new(done)
                .desired_width(260.0)
                .text(format!("{} left of {}", clock(left), clock(total))),
        );
    });
}

/// The circuit breaker and the alarms: what they watch and whether they fired.
fn monitors_ui(detail: &ServiceDeploymentDetail, ui: &mut Ui) {
    let dark = ui.visuals().dark_mode;
    if let Some(alarms) = &detail.alarms {
        ui.horizontal_wrapped(|ui| {
            ui.label("Alarms:");
            status_ui(ui, &alarms.status);
            for name in &alarms.names {
                let fired = alarms.triggered.contains(name);
                let text = if fired {
                    RichText::new(format!("{name} (fired)")).color(Tone::Bad.color(dark))
                } else {
                    RichText::new(name)
                };
                ui.label(text);
            }
        });
    }
    if let Some(breaker) = &detail.circuit_breaker {
        ui.horizontal(|ui| {
            ui.label("Circuit breaker:");
            status_ui(ui, &breaker.status);
            if let Some((failed, threshold)) = breaker.failures {
                ui.label(RichText::new(format!("{failed} of {threshold} failed tasks")).weak());
            }
        });
    }
}

/// The hooks of the current stage; one that waits offers Continue and Roll back.
fn hooks_ui(
    model: &Model,
    service: &Service,
    detail: &ServiceDeploymentDetail,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    for hook in &detail.hooks {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("Hook {}:", hook_label(hook)));
            status_ui(ui, &hook.status);
            if let Some(expires) = hook.expires_at.filter(|_| hook.is_waiting()) {
                let left = expires.duration_since(now).unwrap_or_default();
                ui.label(
                    RichText::new(format!(
                        "{} in {}",
                        hook.timeout_action
                            .as_deref()
                            .unwrap_or("ROLLBACK")
                            .to_lowercase(),
                        clock(left)
                    ))
                    .weak(),
                );
            }
            if hook.is_waiting() {
                let enabled = !model.read_only() && model.mutation.is_none();
                for (label, roll_back) in
                    [("Continue past hook…", false), ("Roll back at hook…", true)]
                {
                    if ui.add_enabled(enabled, egui::Button::new(label)).clicked() {
                        actions.push(Action::ContinueDeployment {
                            service: service.arn.clone(),
                            deployment: detail.arn.clone(),
                            hook_id: hook.hook_id.clone(),
                            roll_back,
                        });
                    }
                }
            }
        });
    }
}

fn hook_label(hook: &HookRun) -> String {
    match (hook.target_type.as_str(), &hook.target_arn) {
        ("PAUSE", _) => "pause".to_owned(),
        (_, Some(arn)) => arn.rsplit(':').next().unwrap_or(arn).to_owned(),
        (kind, None) => kind.to_lowercase(),
    }
}
